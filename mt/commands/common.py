"""What every subcommand shares: writing output, progress bars."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mt.errors import InputError


def write_output(args: argparse.Namespace, text: str) -> None:
    """Write ``text`` to ``-o FILE`` or stdout."""
    if getattr(args, "output", None) and args.output != "-":
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{args.output}: cannot write ({exc.strerror}); "
                             "check the directory") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def progress_bar(unit: str, total: int | None = None):  # noqa: ANN201
    """A tqdm bar on stderr, shown on terminals only."""
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, file=sys.stderr, disable=None, leave=False)
