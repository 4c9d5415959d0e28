"""The formats by name, and the one place a corpus path is told, read and written."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from mt.corpus.formats import arrow, text, tmx
from mt.corpus.formats.streams import path_reader, path_writer
from mt.corpus.formats.writer import PairWriter, UnwritableError
from mt.corpus.record import Pair
from mt.errors import InputError, one_of


def _itself(path: str) -> list[str]:
    return [path]


@dataclass(frozen=True)
class Format:
    """A corpus format: what names it, how a path is read and written."""

    name: str
    suffixes: tuple[str, ...]  # file suffixes that name it (before any .gz); () for none
    read: Callable[[str], Iterator[Pair]]  # the pairs at a path
    open_writer: Callable[[str], PairWriter]  # a writer to a path
    stdio: bool = True  # can be read from stdin and written to stdout
    claims: Callable[[Path], bool] | None = None  # an existing, suffix-less path is this format
    files: Callable[[str], list[str]] = _itself  # the files a path of this format stands for

    @property
    def suffix(self) -> str:
        """The suffix a new file of this format is given ('' where a prefix or folder)."""
        return self.suffixes[0] if self.suffixes else ""


REGISTRY: dict[str, Format] = {f.name: f for f in (
    Format("tsv", (".tsv",), path_reader(text.read_tsv), path_writer(text.TsvWriter)),
    Format("moses", (), text.read_moses_files, text.open_moses_writer, stdio=False,
           claims=text.is_moses, files=text.moses_paths),
    Format("tmx", (".tmx",), path_reader(tmx.read_tmx, binary=True),
           path_writer(tmx.TmxWriter)),
    Format("jsonl", (".jsonl",), path_reader(text.read_jsonl), path_writer(text.JsonlWriter)),
    Format("parquet", (".parquet",), arrow.read_parquet, arrow.ParquetWriter, stdio=False,
           claims=arrow.is_parquet_folder),
    Format("hf", (), arrow.read_hf, arrow.HfWriter, stdio=False,
           claims=arrow.is_dataset_folder),
)}
FORMATS = tuple(REGISTRY)


def detect_format(path: str, given: str | None = None, writing: bool = False) -> str:
    """The format named by ``given`` or told by the path; stdin/stdout default to TSV.

    A suffix tells a format; else (reading) what is there: a ``datasets`` folder, a folder
    of Parquet files, or ``PATH.ar`` + ``PATH.en``.
    """
    if given:
        if given not in REGISTRY:
            raise InputError(f"unknown corpus format {given!r}; use one of {', '.join(FORMATS)}")
        return given
    if path == "-":
        return "tsv"
    suffix = os.path.splitext(path.removesuffix(".gz").rstrip("/"))[1].lower()
    for fmt in REGISTRY.values():
        if suffix in fmt.suffixes:
            return fmt.name
    if not writing:
        for fmt in REGISTRY.values():
            if fmt.claims is not None and fmt.claims(Path(path)):
                return fmt.name
    suffixes = one_of(s for fmt in REGISTRY.values() for s in fmt.suffixes)
    raise InputError(f"{path}: cannot tell the corpus format from the name; use {suffixes}, "
                     f"or give --from/--to ({', '.join(FORMATS)})")


def corpus_files(path: str, fmt: str | None = None, writing: bool = False) -> list[str]:
    """The files a corpus path stands for: itself, or ``PATH.ar`` and ``PATH.en`` (moses)."""
    if path == "-":
        return [path]
    return REGISTRY[detect_format(path, fmt, writing)].files(path)


def read_corpus(path: str, fmt: str | None = None) -> Iterator[Pair]:
    """Pairs of the corpus at ``path`` (``-``: stdin), streamed."""
    yield from REGISTRY[detect_format(path, fmt)].read(path)


def open_writer(path: str, fmt: str | None = None) -> PairWriter:
    """A writer for ``path`` (``-``: stdout); ``moses`` writes ``PATH.ar`` and ``PATH.en``."""
    chosen = REGISTRY[detect_format(path, fmt, writing=True)]
    if path == "-" and not chosen.stdio:
        raise InputError(f"{chosen.name} cannot go to stdout; give -o PATH")
    return chosen.open_writer(path)


def write_corpus(pairs: Iterable[Pair], path: str, fmt: str | None = None,
                 on_unwritable: Callable[[Pair, str], None] | None = None) -> int:
    """Write ``pairs``; a pair the format cannot hold goes to ``on_unwritable`` or raises."""
    with open_writer(path, fmt) as writer:
        for pair in pairs:
            try:
                writer.write(pair)
            except UnwritableError as exc:
                if on_unwritable is None:
                    raise
                on_unwritable(pair, exc.reason)
        return writer.count
