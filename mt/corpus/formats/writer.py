"""What every corpus writer is: it checks each pair, writes it, counts it, and is staged."""

from __future__ import annotations

from mt.corpus.record import Pair
from mt.errors import InputError
from mt.outputs import Staged


class UnwritableError(InputError):
    """A pair this format cannot hold losslessly; ``reason`` is a short slug."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _others(fmt: str) -> str:
    """The formats that hold more than ``fmt``, as a user names them."""
    others = [f".{name}" for name in ("jsonl", "tmx", "parquet") if name != fmt]
    return ", ".join(others[:-1]) + " or " + others[-1]


class PairWriter(Staged):
    """Base of the writers: checks each pair, writes it, counts it; staged as a whole."""

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
                f"{self.fmt} cannot hold; write {_others(self.fmt)} instead, or pass "
                "--rejects FILE to set such pairs aside", f"unwritable-{self.fmt}")
        self._write(pair)
        self.count += 1

    def _write(self, pair: Pair) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        """Finish the output (footers, buffered rows) and put it in place."""

    def discard(self) -> None:
        """Drop the output: a failed run leaves the old file untouched and no partial one."""
