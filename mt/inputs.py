"""Reading user input: documents and parallel TSV files, with clear errors."""

from __future__ import annotations

import gzip
import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from mt.errors import InputError


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file; give a UTF-8 text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 (byte {exc.start}); convert it, e.g. iconv -f CP1256 -t UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


def decode_text(data: bytes, name: str) -> str:
    """``data`` as strict UTF-8 text (BOM dropped); binary or bad bytes: InputError on ``name``."""
    return _decode(data, name)


def read_document(path: str | Path) -> str:
    """The whole text of a UTF-8 file, or of stdin for ``-``, exactly as given (BOM dropped)."""
    stream = open_input(path, binary=True)
    if stream is sys.stdin.buffer:
        return _decode(stream.read(), "<stdin>")
    with stream:
        return _decode(stream.read(), str(path))


def iter_lines(path: str | Path) -> Iterator[str]:
    """Lines of a UTF-8 file or stdin (``-``) as they arrive, without ``\n``/``\r\n``.

    The file is opened now, so a missing file fails before any work starts.
    """
    name = "<stdin>" if str(path) == "-" else str(path)
    stream = open_input(path, binary=True)

    def lines() -> Iterator[str]:
        try:
            for number, raw in enumerate(stream, start=1):
                line = _decode(raw, f"{name}:{number}")
                yield line.removesuffix("\n").removesuffix("\r")
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()

    return lines()


def open_input(path: str | Path, binary: bool = False) -> IO[Any]:
    """A plain or gzipped file, or stdin for ``-``, open for reading (strict UTF-8 as text).

    Every failure to open becomes one InputError naming the path and the fix.
    """
    name = str(path)
    if name == "-":
        return sys.stdin.buffer if binary else io.TextIOWrapper(
            sys.stdin.buffer, encoding="utf-8", newline="\n")
    try:
        if name.endswith(".gz"):
            return gzip.open(path, "rb") if binary else gzip.open(  # type: ignore[return-value]
                path, "rt", encoding="utf-8", newline="\n")
        return open(path, "rb") if binary else open(path, encoding="utf-8", newline="\n")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory; give a file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror}); check permissions") from None


def tsv_rows(lines: Iterable[str], name: str) -> Iterator[tuple[int, list[str]]]:
    """The one TSV parser: ``(line number, fields)`` of ``arabic<TAB>english[<TAB>...]`` lines.

    ``lines`` come without their line breaks. A blank line (white space only,
    no tab) gives no fields; the caller skips it or keeps it in step. Any other
    line without a tab is an error naming the file and line: a parallel corpus
    must never lose a line silently.
    """
    for number, line in enumerate(lines, start=1):
        if "\t" not in line and not line.strip():
            yield number, []
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            raise InputError(f"{name}:{number}: expected 'arabic<TAB>english', found no tab; "
                             "fix the line")
        yield number, fields


def read_rows(path: str | Path) -> Iterator[list[str]]:
    """Stream the tab-separated fields (at least two) of a TSV or TSV.gz file (or ``-``).

    Blank lines are skipped; a line without a tab is an error (see :func:`tsv_rows`).
    """
    name = "<stdin>" if str(path) == "-" else str(path)
    return (fields for _, fields in tsv_rows(iter_lines(path), name) if fields)


def read_pairs(path: str | Path) -> Iterator[tuple[str, str]]:
    """Stream ``(arabic, english)`` from ``arabic<TAB>english[<TAB>extra...]`` lines."""
    return ((fields[0], fields[1]) for fields in read_rows(path))


def read_lines(path: str | Path) -> list[str]:
    """The lines of a text file as sacrebleu reads them (trailing whitespace removed)."""
    text = read_document(path)
    if not text:
        return []
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return [line.rstrip() for line in lines]
