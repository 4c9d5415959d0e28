"""Reading user input: documents and parallel TSV files, with clear errors."""

from __future__ import annotations

import gzip
import io
import sys
from collections.abc import Iterator
from pathlib import Path

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


def read_document(path: str | Path) -> str:
    """The whole text of a UTF-8 file, or of stdin for ``-``, exactly as given (BOM dropped)."""
    name = str(path)
    if name == "-":
        return _decode(sys.stdin.buffer.read(), "<stdin>")
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory; give a text file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror}); check permissions") from None
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return _decode(data, name)


def iter_lines(path: str | Path) -> Iterator[str]:
    """Lines of a UTF-8 file or stdin (``-``) as they arrive, without ``\n``/``\r\n``.

    The file is opened now, so a missing file fails before any work starts.
    """
    name = "<stdin>" if str(path) == "-" else str(path)
    if str(path) == "-":
        stream = sys.stdin.buffer
    else:
        try:
            stream = gzip.open(path) if name.endswith(".gz") else open(path, "rb")  # noqa: SIM115
        except FileNotFoundError:
            raise InputError(f"{name}: no such file; check the path") from None
        except OSError as exc:
            raise InputError(f"{name}: cannot read ({exc.strerror}); check permissions") from None

    def lines() -> Iterator[str]:
        try:
            for number, raw in enumerate(stream, start=1):
                line = _decode(raw, f"{name}:{number}")
                yield line.removesuffix("\n").removesuffix("\r")
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()

    return lines()


def open_text(path: str | Path) -> io.TextIOBase:
    """A UTF-8 text stream over a plain or gzipped file (strict decoding)."""
    name = str(path)
    try:
        if name.endswith(".gz"):
            return gzip.open(path, "rt", encoding="utf-8", newline="\n")  # type: ignore[return-value]
        return open(path, encoding="utf-8", newline="\n")  # noqa: SIM115
    except FileNotFoundError:
        raise InputError(f"{name}: no such file; check the path") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror}); check permissions") from None


def read_rows(path: str | Path) -> Iterator[list[str]]:
    """Stream the tab-separated fields (at least two) of a TSV or TSV.gz file.

    A line without a tab is an error naming the file and line: a parallel
    corpus must never lose a line silently. Empty lines are skipped.
    """
    with open_text(path) as stream:
        try:
            for number, line in enumerate(stream, start=1):
                line = line.rstrip("\n").rstrip("\r")
                if not line:
                    continue
                fields = line.split("\t")
                if len(fields) < 2:
                    raise InputError(
                        f"{path}:{number}: expected 'arabic<TAB>english', found no tab; "
                        "fix the line"
                    )
                yield fields
        except UnicodeDecodeError:
            raise InputError(f"{path}: not valid UTF-8; convert it to UTF-8") from None


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
