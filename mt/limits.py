"""Ranges a setting may take, shared by the command line and the library.

The largest values are where a run exhausts memory or the machine long before
it helps the result.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BEAM = 64
MAX_BATCH_TOKENS = 1 << 16
MAX_THREADS = 256
MAX_WORKERS = 64


@dataclass(frozen=True)
class Bounds:
    """A closed range, open at ``low`` when ``above`` (a learning rate of 0 learns nothing)."""

    low: float | None = None
    high: float | None = None
    above: bool = False

    def holds(self, value: float) -> bool:
        if self.low is not None and (value <= self.low if self.above else value < self.low):
            return False
        return self.high is None or value <= self.high

    def describe(self) -> str:
        """The range in words, as an error's fix gives it: ``from 1 to 64``, ``above 0``."""
        if self.low is None:
            return "" if self.high is None else f"at most {self.high:g}"
        if self.above:
            return f"above {self.low:g}" + ("" if self.high is None else f", at most {self.high:g}")
        return f"from {self.low:g} to {self.high:g}" if self.high is not None \
            else f"at least {self.low:g}"

    def problem(self, value: float) -> str | None:
        """None when ``value`` is in range, else what is wrong, in words."""
        return None if self.holds(value) else \
            f"{value:g} is out of range; give a number {self.describe()}"
