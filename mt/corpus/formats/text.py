"""The line formats: TSV, Moses (two line-aligned files) and JSONL (the row form)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from mt.corpus.formats.streams import FileWriter, open_files
from mt.corpus.formats.writer import PairWriter
from mt.corpus.record import Pair
from mt.errors import InputError
from mt.inputs import open_input, tsv_rows


def _lines(stream: IO[str], name: str) -> Iterator[tuple[int, str]]:
    """Numbered lines without their line break (LF, or CRLF); a leading BOM dropped."""
    try:
        for number, line in enumerate(stream, start=1):
            if number == 1:
                line = line.removeprefix("\ufeff")
            line = line.removesuffix("\n")
            yield number, line.removesuffix("\r")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 ({exc.reason}); convert it to UTF-8") from None


def _line_breaks(text: str) -> bool:
    return "\n" in text or "\r" in text


def _write_bom(stream: IO[str], text: str, first: bool) -> None:
    """Readers drop one leading BOM: a first line that starts with its own keeps it."""
    if first and text.startswith("\ufeff"):
        stream.write("\ufeff")


# TSV -----------------------------------------------------------------------------------------

def read_tsv(stream: IO[str], name: str = "<tsv>") -> Iterator[Pair]:
    """``arabic<TAB>english[<TAB>doc]`` lines; blank lines skipped, a tab-less line an error."""
    for _, fields in tsv_rows((line for _, line in _lines(stream, name)), name):
        if not fields:
            continue
        yield Pair(fields[0], fields[1], "\t".join(fields[2:]) if len(fields) > 2 else None)


class TsvWriter(PairWriter):
    """``arabic<TAB>english[<TAB>doc]`` lines into a text stream."""

    fmt = "tsv"

    def __init__(self, stream: IO[str], name: str = "<tsv>") -> None:
        super().__init__(name)
        self.stream = stream

    def unwritable(self, pair: Pair) -> str | None:
        if "\t" in pair.ar or "\t" in pair.en:
            return "a tab inside a field"
        if _line_breaks(pair.ar) or _line_breaks(pair.en) or _line_breaks(pair.doc or ""):
            return "a line break inside a field"
        return None

    def _write(self, pair: Pair) -> None:
        _write_bom(self.stream, pair.ar, self.count == 0)
        doc = "" if pair.doc is None else f"\t{pair.doc}"
        self.stream.write(f"{pair.ar}\t{pair.en}{doc}\n")


# Moses ---------------------------------------------------------------------------------------

def moses_paths(prefix: str) -> list[str]:
    """The two files a Moses corpus ``PREFIX`` stands for."""
    return [f"{prefix}.ar", f"{prefix}.en"]


def is_moses(path: Path) -> bool:
    """``PATH`` names no file, but ``PATH.ar`` and ``PATH.en`` are files."""
    return not path.exists() and all(Path(p).is_file() for p in moses_paths(str(path)))


def read_moses(ar_stream: IO[str], en_stream: IO[str], name: str = "<moses>") -> Iterator[Pair]:
    """Two line-aligned files; every line is a pair, empty ones included."""
    ar_lines, en_lines = _lines(ar_stream, f"{name}.ar"), _lines(en_stream, f"{name}.en")
    for ar_item in ar_lines:
        en_item = next(en_lines, None)
        if en_item is None:
            raise InputError(f"{name}.en has fewer lines than {name}.ar (line {ar_item[0]}); "
                             "give line-aligned files")
        yield Pair(ar_item[1], en_item[1])
    extra = next(en_lines, None)
    if extra is not None:
        raise InputError(f"{name}.en has more lines than {name}.ar (line {extra[0]}); "
                         "give line-aligned files")


def read_moses_files(prefix: str) -> Iterator[Pair]:
    """The Moses corpus ``PREFIX.ar`` + ``PREFIX.en``."""
    ar_path, en_path = moses_paths(prefix)
    with open_input(ar_path) as ar_stream, open_input(en_path) as en_stream:
        yield from read_moses(ar_stream, en_stream, prefix)


class MosesWriter(PairWriter):
    """Two line-aligned text streams, Arabic and English."""

    fmt = "moses"

    def __init__(self, ar_stream: IO[str], en_stream: IO[str], name: str = "<moses>") -> None:
        super().__init__(name)
        self.streams = (ar_stream, en_stream)

    def unwritable(self, pair: Pair) -> str | None:
        if _line_breaks(pair.ar) or _line_breaks(pair.en):
            return "a line break inside a sentence"
        return None

    def _write(self, pair: Pair) -> None:
        for stream, text in zip(self.streams, (pair.ar, pair.en), strict=True):
            _write_bom(stream, text, self.count == 0)
            stream.write(f"{text}\n")


def open_moses_writer(prefix: str) -> FileWriter:
    """A writer of ``PREFIX.ar`` and ``PREFIX.en``."""
    return open_files(moses_paths(prefix),
                      lambda streams: MosesWriter(streams[0], streams[1], prefix))


# JSONL ---------------------------------------------------------------------------------------

def _refuse_constant(name: str) -> float:
    """``Infinity`` as Python writes it; ``NaN``, which no score can mean, refused."""
    if name == "NaN":
        raise ValueError("NaN is not a number a pair can have (write null)")
    return float(name)


def read_jsonl(stream: IO[str], name: str = "<jsonl>") -> Iterator[Pair]:
    """One row-form object a line (unknown keys, such as a reject's ``reason``, are ignored)."""
    for number, line in _lines(stream, name):
        if not line.strip():
            continue
        try:
            yield Pair.from_row(json.loads(line, parse_constant=_refuse_constant))
        except RecursionError:
            raise InputError(f"{name}:{number}: not a corpus record (JSON nested too deeply); "
                             'expected {"translation": {"ar": ..., "en": ...}, ...}') from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{name}:{number}: not a corpus record ({exc}); expected "
                             '{"translation": {"ar": ..., "en": ...}, ...}') from None


def jsonl_line(row: dict[str, Any]) -> str:
    """One row as a JSONL line: compact, characters as they are."""
    return json.dumps(row, ensure_ascii=False) + "\n"


class JsonlWriter(PairWriter):
    """The compact row form, one JSON object a line."""

    fmt = "jsonl"

    def __init__(self, stream: IO[str], name: str = "<jsonl>") -> None:
        super().__init__(name)
        self.stream = stream

    def _write(self, pair: Pair) -> None:
        self.stream.write(jsonl_line(pair.to_row(compact=True)))
