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


def read_pairs(path: str | Path) -> Iterator[tuple[str, str]]:
    """Stream ``arabic<TAB>english[<TAB>extra...]`` lines of a TSV or TSV.gz file.

    A line without a tab is an error naming the file and line: a parallel
    corpus must never lose a line silently.
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
                yield fields[0], fields[1]
        except UnicodeDecodeError:
            raise InputError(f"{path}: not valid UTF-8; convert it to UTF-8") from None
