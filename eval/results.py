"""Writing one section of eval/RESULTS.md without touching the others.

A section lies between ``<!-- begin NAME -->`` and ``<!-- end NAME -->``; a
script rewrites its own section in place, or appends it the first time.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = ("# Results\n\nEvery figure here was measured by the script and command named beside it, "
          "under the rules of eval/PROTOCOL.md.\n")


STARTING_LOAD = os.getloadavg()[0]  # scripts import this module as they start


def machine() -> str:
    """A one-line description of this machine and its load, for the record."""
    return (f"{os.cpu_count()}-core {platform.machine()} CPU, {platform.python_version()} "
            f"Python, 1-minute load average {STARTING_LOAD:.1f} at the start")


def today() -> str:
    return datetime.date.today().isoformat()


RECORD = ("Command:", "machine:", "date:")  # what every section must say of its own run


def write_section(name: str, markdown: str, path: Path = RESULTS) -> None:
    """Replace (or append) the section ``name`` of RESULTS.md with ``markdown``.

    A section without its command, machine and date is refused: a figure
    nobody can rerun does not go in.
    """
    missing = [word for word in RECORD if word not in markdown]
    if missing:
        raise ValueError(f"section {name!r} lacks {', '.join(missing)}")
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    block = f"<!-- begin {name} -->\n{markdown.strip()}\n<!-- end {name} -->"
    pattern = re.compile(rf"<!-- begin {re.escape(name)} -->.*?<!-- end {re.escape(name)} -->",
                         re.DOTALL)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else \
        text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def add_write_option(parser: argparse.ArgumentParser) -> None:
    """``--write``: every script prints its section, and writes it only when asked."""
    parser.add_argument("--write", action="store_true",
                        help=f"also write this section of {RESULTS.name}")


def publish(name: str, markdown: str, write: bool, path: Path = RESULTS) -> None:
    """Print the section; with ``write``, also put it in RESULTS.md."""
    print(markdown)
    if write:
        write_section(name, markdown, path)
