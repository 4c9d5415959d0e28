"""Corpus formats: one streaming reader and one writer per format.

| format    | holds                                   | name                         |
|-----------|-----------------------------------------|------------------------------|
| `tsv`     | ar, en, doc (3rd column)                | `.tsv`, `.tsv.gz`            |
| `moses`   | ar, en (two line-aligned files)         | `PREFIX.ar` + `PREFIX.en`    |
| `tmx`     | everything (TMX 1.4b, `x-` props)       | `.tmx`                       |
| `jsonl`   | everything (the row form, one a line)   | `.jsonl`, `.jsonl.gz`        |
| `parquet` | everything, with the declared Features  | `.parquet`, or a folder      |
| `hf`      | everything (`datasets` ``save_to_disk``)| a folder (``--to hf``)       |

Readers yield :class:`Pair` one at a time and writers take them one at a
time, so memory stays flat whatever the corpus size. Text is never altered:
a pair a format cannot hold (a tab or line break inside a TSV field, a
character XML forbids) makes the writer raise :class:`UnwritableError`
before anything of it is written, so the caller can set it aside or stop.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from mt import __version__
from mt.corpus.record import Pair
from mt.errors import InputError
from mt.inputs import open_input, tsv_rows
from mt.outputs import OutputFile, StdoutOutput, output_file, replace_directory
from mt.types import Span, WordLink

FORMATS = ("tsv", "moses", "tmx", "jsonl", "parquet", "hf")
# The file suffix that names a format (moses and hf are named otherwise).
SUFFIXES = {"tsv": ".tsv", "tmx": ".tmx", "jsonl": ".jsonl", "parquet": ".parquet"}
_BY_SUFFIX = {suffix: name for name, suffix in SUFFIXES.items()}
_BATCH_ROWS = 4096
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot carry at all, not even as character references.
_XML_FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TMX_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                              "\r": "&#13;"})  # a raw CR would be read back as LF
_TMX_CODES = frozenset({"bpt", "ept", "it", "ph", "ut"})  # inline native codes, not text


class UnwritableError(InputError):
    """A pair this format cannot hold losslessly; ``reason`` is a short slug."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def features():  # noqa: ANN201 - datasets.Features, imported lazily
    """The declared Hugging Face schema: ``translation: {ar, en}`` plus provenance."""
    from datasets import Features, List, Translation, Value

    span = List(Value("int64"), length=2)
    return Features({
        "translation": Translation(languages=["ar", "en"]),
        "doc": Value("string"),
        "segment": Value("int64"),
        "source": span,
        "target": span,
        "score": Value("float64"),
        "signature": Value("string"),
        "links": List({"source": span, "target": span, "score": Value("float64")}),
    })


def _moses_paths(prefix: str) -> tuple[Path, Path]:
    return Path(f"{prefix}.ar"), Path(f"{prefix}.en")


def corpus_files(path: str, fmt: str | None = None, writing: bool = False) -> list[str]:
    """The files a corpus path stands for: itself, or ``PATH.ar`` and ``PATH.en`` (moses)."""
    if path != "-" and detect_format(path, fmt, writing) == "moses":
        return [str(p) for p in _moses_paths(path)]
    return [path]


def detect_format(path: str, given: str | None = None, writing: bool = False) -> str:
    """The format named by ``given`` or told by the path; stdin/stdout default to TSV."""
    if given:
        if given not in FORMATS:
            raise InputError(f"unknown corpus format {given!r}; use one of {', '.join(FORMATS)}")
        return given
    if path == "-":
        return "tsv"
    name = path.removesuffix(".gz").rstrip("/")
    suffix = os.path.splitext(name)[1].lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    target = Path(path)
    if not writing and target.is_dir():
        if (target / "dataset_info.json").is_file() or (target / "state.json").is_file():
            return "hf"
        if any(target.glob("*.parquet")):
            return "parquet"
    if not writing and not target.exists() and all(p.is_file() for p in _moses_paths(path)):
        return "moses"
    raise InputError(f"{path}: cannot tell the corpus format from the name; use .tsv, .tmx, "
                     f".jsonl or .parquet, or give --from/--to ({', '.join(FORMATS)})")


# Reading ------------------------------------------------------------------------------------

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


def read_tsv(stream: IO[str], name: str = "<tsv>") -> Iterator[Pair]:
    """``arabic<TAB>english[<TAB>doc]`` lines; blank lines skipped, a tab-less line an error."""
    for _, fields in tsv_rows((line for _, line in _lines(stream, name)), name):
        if not fields:
            continue
        yield Pair(fields[0], fields[1], "\t".join(fields[2:]) if len(fields) > 2 else None)


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
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{name}:{number}: not a corpus record ({exc}); expected "
                             '{"translation": {"ar": ..., "en": ...}, ...}') from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _seg_text(element: Any) -> str:
    """The text of a ``<seg>`` or ``<hi>``: inline native codes (``<ph>`` ...) left out."""
    parts = [element.text or ""]
    for child in element:
        if _local(child.tag) not in _TMX_CODES:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _tmx_lang(tuv: Any) -> str:
    lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower().replace("_", "-")
    primary = lang.split("-", 1)[0]
    return {"ara": "ar", "eng": "en"}.get(primary, primary)


def _tu_pair(tu: Any, number: int, name: str) -> Pair:
    props: dict[str, str] = {}
    texts: dict[str, str] = {}
    for child in tu:
        tag = _local(child.tag)
        if tag == "prop":
            props[child.get("type", "")] = child.text or ""
        elif tag == "tuv":
            seg = next((c for c in child if _local(c.tag) == "seg"), None)
            texts.setdefault(_tmx_lang(child), "" if seg is None else _seg_text(seg))
    if "ar" not in texts and "en" not in texts:
        raise InputError(f"{name}: <tu> {number} has neither an ar nor an en <tuv>; "
                         "give an Arabic-English TMX")

    def span(key: str) -> Span | None:
        return Span(*map(int, props[key].split())) if key in props else None

    try:
        return Pair(
            texts.get("ar", ""), texts.get("en", ""), props.get("x-doc"),
            int(props["x-segment"]) if "x-segment" in props else None,
            span("x-source"), span("x-target"),
            float(props["x-score"]) if "x-score" in props else None,
            props.get("x-signature"),
            tuple(WordLink.from_json(link) for link in json.loads(props.get("x-links", "[]"))),
        )
    except (ValueError, TypeError, KeyError) as exc:
        raise InputError(f"{name}: <tu> {number} has a malformed x- prop ({exc}); "
                         "fix or remove it") from None


def read_tmx(stream: IO[bytes], name: str = "<tmx>") -> Iterator[Pair]:
    """TMX 1.4b ``<tu>`` elements in order, parsed incrementally (each freed once read)."""
    import xml.etree.ElementTree as ET

    body = None
    number = 0
    try:
        for event, element in ET.iterparse(stream, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "body":
                    body = element
                continue
            if tag == "tu":
                number += 1
                yield _tu_pair(element, number, name)
                if body is not None:
                    body.clear()  # drop finished <tu> elements: constant memory
    except ET.ParseError as exc:
        raise InputError(f"{name}: not well-formed XML ({exc}); fix the TMX file") from None


def _iter_rows(tables: Iterable[Any]) -> Iterator[Pair]:
    for table in tables:
        for row in table.to_pylist():
            yield Pair.from_row(row)


def read_parquet(path: str) -> Iterator[Pair]:
    """A Parquet file, or every ``*.parquet`` in a folder in name order (as Ray writes them)."""
    import pyarrow.parquet as pq

    target = Path(path)
    files = sorted(target.glob("*.parquet")) if target.is_dir() else [target]
    if not files or not all(f.is_file() for f in files):
        raise InputError(f"{path}: no Parquet file there; check the path")
    import pyarrow as pa

    for file in files:
        try:
            batches = pq.ParquetFile(file).iter_batches(batch_size=_BATCH_ROWS)
            yield from _iter_rows(batches)
        except (pa.ArrowException, OSError) as exc:
            raise InputError(f"{file}: not a readable Parquet file ({exc}); write it again, "
                             "or give --from with its real format") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{file}: not a corpus table ({exc}); it needs a "
                             "'translation' column with 'ar' and 'en'") from None


def read_hf(path: str) -> Iterator[Pair]:
    """A ``datasets`` folder written by ``save_to_disk`` (one split), memory-mapped."""
    from datasets import Dataset, load_from_disk

    try:
        dataset = load_from_disk(path)
    except FileNotFoundError:
        raise InputError(f"{path}: not a datasets folder; check the path") from None
    if not isinstance(dataset, Dataset):
        raise InputError(f"{path}: holds several splits ({', '.join(dataset)}); give one, "
                         f"e.g. {path}/{next(iter(dataset))}")
    try:
        yield from _iter_rows(dataset.with_format("arrow").iter(batch_size=_BATCH_ROWS))
    except (KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a corpus dataset (missing {exc}); it needs a "
                         "'translation' column with 'ar' and 'en'") from None


def read_corpus(path: str, fmt: str | None = None) -> Iterator[Pair]:
    """Pairs of the corpus at ``path`` (``-``: stdin), streamed."""
    fmt = detect_format(path, fmt)
    if fmt == "moses":
        ar_path, en_path = _moses_paths(path)
        with open_input(str(ar_path)) as ar_stream, open_input(str(en_path)) as en_stream:
            yield from read_moses(ar_stream, en_stream, path)
    elif fmt == "parquet":
        yield from read_parquet(path)
    elif fmt == "hf":
        yield from read_hf(path)
    elif fmt == "tmx":
        with open_input(path, binary=True) as stream:
            yield from read_tmx(stream, path)
    else:
        reader = read_tsv if fmt == "tsv" else read_jsonl
        with open_input(path) as stream:
            yield from reader(stream, path)


# Writing ------------------------------------------------------------------------------------

class PairWriter:
    """Base of the writers: checks each pair, writes it, counts it; a context manager."""

    fmt = ""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0
        self._offered = 0

    def unwritable(self, pair: Pair) -> str | None:
        """Why this format cannot hold ``pair`` (a short phrase), or None."""
        return None

    def write(self, pair: Pair) -> None:
        self._offered += 1
        problem = self.unwritable(pair)
        if problem is not None:
            raise UnwritableError(
                f"{self.name}: pair {self._offered} ({pair.ar[:30]!r}...) has {problem}, which "
                f"{self.fmt} cannot hold; write .jsonl, .tmx or .parquet instead, or pass "
                "--rejects FILE to set such pairs aside", f"unwritable-{self.fmt}")
        self._write(pair)
        self.count += 1

    def _write(self, pair: Pair) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish the output (footers, buffered rows) and put it in place."""

    def abort(self) -> None:
        """Drop the output: a failed run leaves the old file untouched and no partial one."""

    def __enter__(self) -> PairWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


def _line_breaks(text: str) -> bool:
    return "\n" in text or "\r" in text


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
        if self.count == 0 and pair.ar.startswith("\ufeff"):
            self.stream.write("\ufeff")  # readers drop one leading BOM: keep the text's own
        doc = "" if pair.doc is None else f"\t{pair.doc}"
        self.stream.write(f"{pair.ar}\t{pair.en}{doc}\n")


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
            if self.count == 0 and text.startswith("\ufeff"):
                stream.write("\ufeff")
            stream.write(f"{text}\n")


class JsonlWriter(PairWriter):
    """The compact row form, one JSON object a line."""

    fmt = "jsonl"

    def __init__(self, stream: IO[str], name: str = "<jsonl>") -> None:
        super().__init__(name)
        self.stream = stream

    def _write(self, pair: Pair) -> None:
        self.stream.write(json.dumps(pair.to_row(compact=True), ensure_ascii=False) + "\n")


def _xml(text: str) -> str:
    return text.translate(_TMX_ESCAPES)


class TmxWriter(PairWriter):
    """TMX 1.4b: one ``<tu>`` a pair, ``xml:lang`` on each ``<tuv>``, provenance as x- props."""

    fmt = "tmx"

    def __init__(self, stream: IO[str], name: str = "<tmx>") -> None:
        super().__init__(name)
        self.stream = stream
        stream.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
            f'  <header creationtool="mt" creationtoolversion="{__version__}" '
            'segtype="sentence" o-tmf="mt-jsonl" adminlang="en" srclang="ar" '
            'datatype="plaintext"/>\n  <body>\n')

    def unwritable(self, pair: Pair) -> str | None:
        for text in (pair.ar, pair.en, pair.doc or "", pair.signature or ""):
            found = _XML_FORBIDDEN_RE.search(text)
            if found:
                return f"the character U+{ord(found.group()):04X}, which XML 1.0 forbids"
        return None

    def _write(self, pair: Pair) -> None:
        props = []
        if pair.doc is not None:
            props.append(("x-doc", pair.doc))
        if pair.segment is not None:
            props.append(("x-segment", str(pair.segment)))
        for key, span in (("x-source", pair.source), ("x-target", pair.target)):
            if span is not None:
                props.append((key, f"{span.start} {span.end}"))
        if pair.score is not None:
            props.append(("x-score", repr(pair.score)))
        if pair.signature is not None:
            props.append(("x-signature", pair.signature))
        if pair.links:
            props.append(("x-links", json.dumps([link.to_json() for link in pair.links])))
        lines = [f'    <tu tuid="{self.count + 1}">']
        lines += [f'      <prop type="{key}">{_xml(value)}</prop>' for key, value in props]
        lines += [f'      <tuv xml:lang="{lang}"><seg>{_xml(text)}</seg></tuv>'
                  for lang, text in (("ar", pair.ar), ("en", pair.en))]
        lines.append("    </tu>\n")
        self.stream.write("\n".join(lines))

    def close(self) -> None:
        self.stream.write("  </body>\n</tmx>\n")


class _ArrowRowsWriter(PairWriter):
    """Pairs gathered into Arrow tables of the declared schema, ``batch`` rows at a time."""

    batch = _BATCH_ROWS
    schema: Any  # the Arrow schema, set before _start

    def _start(self, writer: Any) -> None:
        import pyarrow as pa

        self._pa = pa
        self.writer = writer
        self.rows: list[dict[str, Any]] = []

    def _write(self, pair: Pair) -> None:
        self.rows.append(pair.to_row())
        if len(self.rows) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            self.writer.write_table(self._pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []


class ParquetWriter(_ArrowRowsWriter):
    """Row groups of the declared schema (its Features in the file's metadata)."""

    fmt = "parquet"
    batch = _BATCH_ROWS * 4  # larger row groups read faster

    def __init__(self, where: str | IO[bytes], name: str = "<parquet>") -> None:
        """``where``: a path (written safely, see mt.outputs) or an open binary stream."""
        super().__init__(where if isinstance(where, str) else name)
        import pyarrow.parquet as pq

        self.schema = features().arrow_schema
        self._file = OutputFile(where, binary=True) if isinstance(where, str) else None
        self._start(pq.ParquetWriter(where if self._file is None else self._file.stream,
                                     self.schema))

    def close(self) -> None:
        self._flush()
        self.writer.close()
        if self._file is not None:
            self._file.commit()

    def abort(self) -> None:
        with suppress(Exception):
            self.writer.close()
        if self._file is not None:
            self._file.discard()


class HfWriter(_ArrowRowsWriter):
    """A ``datasets`` folder: rows streamed into an Arrow file, then ``save_to_disk``."""

    fmt = "hf"

    def __init__(self, path: str) -> None:
        super().__init__(path)
        import tempfile

        import pyarrow as pa

        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise InputError(f"{path}: exists and is not a folder; give a folder name")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._tmp = tempfile.TemporaryDirectory(dir=self.path.parent, prefix=".mt-hf-")
        except OSError as exc:
            raise InputError(f"{path}: cannot write ({exc.strerror}); check the directory") \
                from None
        self._arrow = Path(self._tmp.name) / "pairs.arrow"
        self.schema = features().arrow_schema
        self._sink = pa.OSFile(str(self._arrow), "wb")
        self._start(pa.ipc.new_stream(self._sink, self.schema))

    def close(self) -> None:
        from datasets import Dataset

        self._flush()
        self.writer.close()
        self._sink.close()
        staging = Path(self._tmp.name) / "dataset"
        try:
            with _quiet_datasets():
                Dataset.from_file(str(self._arrow)).save_to_disk(str(staging))
            replace_directory(staging, self.path)
        finally:
            self._tmp.cleanup()

    def abort(self) -> None:
        with suppress(Exception):
            self.writer.close()
            self._sink.close()
        self._tmp.cleanup()


@contextmanager
def _quiet_datasets() -> Iterator[None]:
    """``save_to_disk`` draws its own progress bar; the library must not print."""
    from datasets.utils import logging as ds_logging

    was_enabled = ds_logging.is_progress_bar_enabled()
    ds_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            ds_logging.enable_progress_bar()


def _open_write(path: str) -> OutputFile | StdoutOutput:
    if path != "-" and Path(path).is_dir():
        raise InputError(f"{path}: is a directory; give a file name, or --to parquet/hf "
                         "for a folder")
    return output_file(path)


class _Closing(PairWriter):
    """A writer that also closes the files it opened."""

    def __init__(self, inner: PairWriter, files: list[OutputFile | StdoutOutput]) -> None:
        super().__init__(inner.name)
        self.inner, self.files, self.fmt = inner, files, inner.fmt

    def write(self, pair: Pair) -> None:
        self.inner.write(pair)
        self.count = self.inner.count

    def close(self) -> None:
        try:
            self.inner.close()
        except BaseException:
            self.abort()
            raise
        for file in self.files:
            file.commit()

    def abort(self) -> None:
        for file in self.files:
            file.discard()


def open_writer(path: str, fmt: str | None = None) -> PairWriter:
    """A writer for ``path`` (``-``: stdout); ``moses`` writes ``PATH.ar`` and ``PATH.en``."""
    fmt = detect_format(path, fmt, writing=True)
    if path == "-" and fmt in ("parquet", "hf", "moses"):
        raise InputError(f"{fmt} cannot go to stdout; give -o PATH")
    if fmt == "parquet":
        return ParquetWriter(path)
    if fmt == "hf":
        return HfWriter(path)
    if fmt == "moses":
        ar_path, en_path = _moses_paths(path)
        ar_file = _open_write(str(ar_path))
        try:
            en_file = _open_write(str(en_path))
        except BaseException:
            ar_file.discard()
            raise
        return _Closing(MosesWriter(ar_file.stream, en_file.stream, path), [ar_file, en_file])
    output = _open_write(path)
    writer_class = {"tsv": TsvWriter, "jsonl": JsonlWriter, "tmx": TmxWriter}[fmt]
    return _Closing(writer_class(output.stream, path), [output])


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


class RejectsWriter:
    """Rejected pairs as JSONL rows with a ``reason``, counted per reason."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._output = _open_write(path)
        self.stream = self._output.stream
        self.counts: Counter[str] = Counter()

    def reject(self, pair: Pair, reason: str) -> None:
        row = {"reason": reason, **pair.to_row(compact=True)}
        self.stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.counts[reason] += 1

    def close(self) -> None:
        self._output.commit()

    def abort(self) -> None:
        self._output.discard()

    def __enter__(self) -> RejectsWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()
