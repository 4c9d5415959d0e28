"""Reading user input: documents and parallel TSV files, with clear errors."""

from __future__ import annotations

import codecs
import gzip
import io
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from mt.errors import InputError


def _decode(data: bytes, name: str, keep_bom: bool = False) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
            b"\x00" in data and max(data[0::2].count(0), data[1::2].count(0)) > len(data) // 4
            and min(data[0::2].count(0), data[1::2].count(0)) == 0):  # one zero per ASCII letter
        raise InputError(f"{name}: looks like UTF-16 text; convert it to UTF-8, e.g. "
                         "iconv -f UTF-16 -t UTF-8")
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file; give a UTF-8 text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 (byte {exc.start}); convert it, e.g. iconv -f CP1256 -t UTF-8"
        ) from None
    return text if keep_bom else text.removeprefix("\ufeff")


def decode_text(data: bytes, name: str) -> str:
    """``data`` as strict UTF-8 text (BOM dropped); binary or bad bytes: InputError on ``name``."""
    return _decode(data, name)


def read_document(path: str | Path, keep_bom: bool = False) -> str:
    """The whole text of a UTF-8 file, or of stdin for ``-``; ``keep_bom``: exactly as given."""
    stream = open_input(path, binary=True)
    if stream is sys.stdin.buffer:
        return _decode(stream.read(), "<stdin>", keep_bom)
    with stream:
        return _decode(stream.read(), str(path), keep_bom)


class LiveLines:
    """Lines of a pipe or terminal as they arrive, knowing whether another is ready.

    ``pending()`` says whether the next line can be had without waiting for the
    writer, so a streaming consumer answers each line of an interactive pipe
    instead of holding a whole batch.
    """

    def __init__(self, fd: int, name: str) -> None:
        self.fd, self.name = fd, name
        self.buffer = bytearray()
        self.number = 0
        self.ended = False

    def __iter__(self) -> LiveLines:
        return self

    def pending(self) -> bool:
        if self.ended or b"\n" in self.buffer:
            return True
        import select

        return bool(select.select([self.fd], [], [], 0)[0])

    def __next__(self) -> str:
        while b"\n" not in self.buffer and not self.ended:
            chunk = os.read(self.fd, 1 << 16)
            self.ended = not chunk
            self.buffer += chunk
        if not self.buffer:
            raise StopIteration
        end = self.buffer.find(b"\n") + 1 or len(self.buffer)
        raw = bytes(self.buffer[:end])
        del self.buffer[:end]
        self.number += 1
        return _decode(raw, f"{self.name}:{self.number}").removesuffix("\n").removesuffix("\r")


def _live_stdin() -> int | None:
    """Stdin's descriptor when it is a pipe or terminal (not a file), else None."""
    try:
        fd = sys.stdin.buffer.fileno()
        return None if stat.S_ISREG(os.fstat(fd).st_mode) else fd
    except (AttributeError, OSError, ValueError):
        return None


def iter_lines(path: str | Path) -> Iterator[str]:
    """Lines of a UTF-8 file or stdin (``-``) as they arrive, without ``\n``/``\r\n``.

    The file is opened now, so a missing file fails before any work starts.
    """
    name = "<stdin>" if str(path) == "-" else str(path)
    if str(path) == "-" and (fd := _live_stdin()) is not None:
        return LiveLines(fd, name)
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


class _CheckedGzip(gzip.GzipFile):
    """A gzip stream whose damage (truncated, not gzip at all) is one InputError naming it."""

    def _checked(self, method: str, *args: Any) -> Any:
        try:
            return getattr(super(), method)(*args)
        except (EOFError, OSError, zlib.error) as exc:
            reason = "truncated" if isinstance(exc, EOFError) else str(exc) or "corrupt"
            raise InputError(f"{self.name}: not a readable gzip file ({reason}); "
                             "download it again, or give the uncompressed file") from None

    def read(self, size: int | None = -1) -> bytes:
        return self._checked("read", size)

    def read1(self, size: int = -1) -> bytes:
        return self._checked("read1", size)

    def readinto(self, buffer: Any) -> int:
        return self._checked("readinto", buffer)

    def readline(self, size: int | None = -1) -> bytes:
        return self._checked("readline", size)

    def peek(self, n: int) -> bytes:
        return self._checked("peek", n)


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
            compressed = _CheckedGzip(name, "rb")
            return compressed if binary else io.TextIOWrapper(  # type: ignore[return-value]
                compressed, encoding="utf-8", newline="\n")
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
    line without a tab is an error naming the file and line, and so is a line
    holding more rows behind a carriage return (a file of CR line ends, read as
    one line): a parallel corpus must never lose a line silently.
    """
    for number, line in enumerate(lines, start=1):
        if "\t" not in line and not line.strip():
            yield number, []
            continue
        cr = line.find("\r")
        if cr >= 0 and "\t" in line[cr:]:  # rows of a file whose lines end in CR alone
            raise InputError(f"{name}:{number}: rows joined by carriage returns (a file with "
                             "old Mac line ends); turn them into newlines, e.g. "
                             "tr '\\r' '\\n' < FILE")
        fields = line.split("\t")
        if len(fields) < 2:
            raise InputError(f"{name}:{number}: expected 'arabic<TAB>english', found no tab; "
                             f"{_format_hint(line)}")
        yield number, fields


def _format_hint(line: str) -> str:
    """What to do about a line that is not TSV: name the format it looks like."""
    start = line.lstrip("\ufeff \t")[:1]
    if start == "{":
        return "it looks like JSON Lines: give --from jsonl or name it .jsonl"
    if start == "<":
        return "it looks like XML: give --from tmx or name it .tmx"
    return "fix the line"


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
    text = read_document(path)  # BOM dropped, as sacrebleu's readers do
    if not text:
        return []
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return [line.rstrip() for line in lines]
