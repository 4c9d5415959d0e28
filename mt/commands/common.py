"""What every subcommand shares: writing output, progress bars."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from mt.errors import InputError


@contextlib.contextmanager
def output_stream(args: argparse.Namespace) -> Iterator[TextIO]:
    """``-o FILE`` (UTF-8) or stdout, as a text stream."""
    if not getattr(args, "output", None) or args.output == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    try:
        stream = Path(args.output).open("w", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{args.output}: cannot write ({exc.strerror}); "
                         "check the directory") from None
    with stream:
        yield stream


def write_output(args: argparse.Namespace, text: str) -> None:
    """Write ``text`` to ``-o FILE`` or stdout."""
    with output_stream(args) as stream:
        stream.write(text)


def progress_bar(unit: str, total: int | None = None):  # noqa: ANN201
    """A tqdm bar on stderr, shown on terminals only."""
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, file=sys.stderr, disable=None, leave=False)


def add_backend_options(parser: argparse.ArgumentParser) -> None:
    """``--backend``, ``--compute-type`` and ``--threads``, shared by translating commands."""
    parser.add_argument("--backend", choices=("auto", "ctranslate2", "transformers"),
                        default="auto", help="auto: CTranslate2 when installed (default)")
    parser.add_argument("--compute-type", default="int8",
                        choices=("int8", "int8_float32", "int16", "float32", "auto"),
                        help="CTranslate2 quantisation (default int8)")
    parser.add_argument("--threads", type=int, help="CPU threads (default: all cores)")
    parser.add_argument("--word-links", choices=("aligner", "attention"), default="aligner",
                        help="word links from the statistical aligner with the model's "
                             "attention as hints (default), or from the attention alone")
