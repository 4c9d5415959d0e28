"""The `mt` command line: thin subcommands over the library.

Each subcommand lives in ``mt/commands/<name>.py`` with ``register(subparsers)``;
only the CLI prints, exits and configures logging.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from mt.commands import align, check, corpus, models, serve, train, translate
from mt.commands import eval as eval_command
from mt.commands.common import print_notices
from mt.errors import MtError

Handler = Callable[[argparse.Namespace], int]
COMMANDS = (translate, models, train, eval_command, check, align, corpus, serve)


class OneLineParser(argparse.ArgumentParser):
    """Usage errors on one line, like every other `mt` error (subcommands inherit it)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {_one_line(message)}; see {self.prog} --help\n")


def _one_line(message: str) -> str:
    """A message on one line whatever it quotes (a file name may hold a newline)."""
    return message.replace("\r", "\\r").replace("\n", "\\n")


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds like Ctrl-C: partial outputs are removed


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="mt", description="Traceable Arabic-to-English machine translation")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    parser.add_argument("-q", "--quiet", action="store_true", help="no notices on stderr, "
                                                                   "errors only")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.ERROR if args.quiet else logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level,
                        format="mt: %(message)s", stream=sys.stderr)
    handler: Handler = args.handler
    with contextlib.suppress(ValueError):  # only the main thread may set handlers
        signal.signal(signal.SIGTERM, _terminate)
    try:
        code = handler(args)
    except MtError as exc:
        print(f"mt: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mt: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    print_notices(args)
    return code
