"""What every subcommand shares: writing output, progress bars, the translator options."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

from mt.limits import MAX_BEAM, MAX_THREADS, Bounds
from mt.outputs import open_output
from mt.translate import BEAM_SIZE

if TYPE_CHECKING:
    from mt.glossary import Glossary
    from mt.models import ModelRef
    from mt.translate import Translation, Translator


@contextlib.contextmanager
def output_stream(args: argparse.Namespace) -> Iterator[TextIO]:
    """``-o FILE`` (UTF-8, put in place only when the block succeeds) or stdout."""
    with open_output(getattr(args, "output", None) or "-") as stream:
        yield stream  # type: ignore[misc]  # opened in text mode


def write_output(args: argparse.Namespace, text: str | bytes) -> None:
    """Write ``text`` (or bytes, such as a .docx) to ``-o FILE`` or stdout."""
    binary = isinstance(text, bytes)
    with open_output(getattr(args, "output", None) or "-", binary=binary) as stream:
        stream.write(text)


def bounded(low: float | None, high: float | None = None, kind: type = int,
            above: bool = False) -> Callable[[str], Any]:
    """An argparse type: a ``kind`` (whole number by default) within ``Bounds(low, high,
    above)``, else a one-line usage error."""
    bounds = Bounds(low, high, above)
    wanted = "a whole number" if kind is int else "a number"

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {wanted}") from None
        problem = bounds.problem(value)
        if problem is not None:
            raise argparse.ArgumentTypeError(problem)
        return value

    return parse


def progress_bar(unit: str, total: int | None = None):  # noqa: ANN201
    """A tqdm bar on stderr, shown on terminals only."""
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, file=sys.stderr, disable=None, leave=False)


def add_quiet_option(parser: argparse.ArgumentParser) -> None:
    """``-q`` after the subcommand too (``mt -q translate`` and ``mt translate -q``)."""
    parser.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="no notices on stderr, errors only")


def defer_notice(args: argparse.Namespace, line: str) -> None:
    """A stderr line said once the command has done its work (:func:`print_notices`), so that
    an error on the way is the only line on stderr, as the error contract promises."""
    args.notices = [*getattr(args, "notices", []), line]


def print_notices(args: argparse.Namespace) -> None:
    """The lines :func:`defer_notice` held, on stderr, each once."""
    for line in getattr(args, "notices", []):
        print(line, file=sys.stderr, flush=True)
    args.notices = []


def chosen_model(args: argparse.Namespace) -> ModelRef:
    """The default chain's model for ``--model``; one stderr line when it is the embedded
    one, unless ``-q`` (deferred: see :func:`defer_notice`)."""
    from mt.models import embedded_notice, resolve_model

    model = resolve_model(getattr(args, "model", None))
    if model.origin == "embedded" and not getattr(args, "quiet", False):
        defer_notice(args, f"mt: {embedded_notice()}")
    return model


MODEL_HELP = ("MarianMT directory or hub id (default: $MT_MODEL, then the best pulled "
              "Arabic->English model, then the embedded one)")


def _model_name(text: str) -> str:
    """An argparse type: ``--model ''`` is a mistake, not the default."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty; give a model directory or a hub id, or leave "
                                         "--model out for the default")
    return text


def add_model_options(parser: argparse.ArgumentParser, purpose: str = "") -> None:
    """``--model`` (its help led by ``purpose``) and ``--beam``, for every translating command."""
    parser.add_argument("--model", type=_model_name, help=purpose + MODEL_HELP)
    parser.add_argument("--beam", type=bounded(1, MAX_BEAM), default=BEAM_SIZE,
                        help=f"beam size (default {BEAM_SIZE})")


def add_device_option(parser: argparse.ArgumentParser) -> None:
    """``--device``: where CTranslate2 and torch run."""
    from mt.device import DEVICES

    parser.add_argument("--device", choices=DEVICES, default="auto",
                        help="auto: CUDA when present (default), else the CPU")


def add_translator_options(parser: argparse.ArgumentParser, word_links: bool = True,
                           purpose: str = "") -> None:
    """What :func:`load_chosen_translator` reads: the model options, ``--backend``,
    ``--compute-type``, ``--threads``, ``--device``, ``-q`` and (where links are written)
    ``--word-links``."""
    from mt.translate import BACKENDS, COMPUTE_TYPES, WORD_LINKS

    add_model_options(parser, purpose)
    parser.add_argument("--backend", choices=BACKENDS,
                        default="auto", help="auto: CTranslate2 when installed (default)")
    parser.add_argument("--compute-type", default="int8",
                        choices=COMPUTE_TYPES,
                        help="CTranslate2 quantisation (default int8)")
    parser.add_argument("--threads", type=bounded(1, MAX_THREADS),
                        help="CPU threads (default: all cores)")
    add_device_option(parser)
    add_quiet_option(parser)
    if not word_links:
        return
    parser.add_argument("--word-links", choices=WORD_LINKS, default="aligner",
                        help="word links from the statistical aligner with the model's "
                             "attention as hints (default), from the attention alone, or "
                             "none (fastest)")


def load_chosen_translator(args: argparse.Namespace,
                           word_links: str | None = None) -> Translator:
    """The translator :func:`add_translator_options` chose (and ``--batch-tokens`` where the
    command has it); ``word_links`` for a command without ``--word-links``."""
    from mt.translate import load_translator

    batch = {"max_batch_tokens": args.batch_tokens} if hasattr(args, "batch_tokens") else {}
    glossary = chosen_glossary(args)
    return load_translator(chosen_model(args), beam_size=args.beam, threads=args.threads,
                           backend=args.backend, compute_type=args.compute_type,
                           word_links=word_links or args.word_links, device=args.device,
                           glossary=glossary, **batch)


def add_glossary_option(parser: argparse.ArgumentParser) -> None:
    """``--glossary FILE``: terms the English must use (see :func:`chosen_glossary`)."""
    parser.add_argument("--glossary", metavar="FILE",
                        help="terms the English must use: a two-column TSV or CSV (Arabic, "
                             "English) or a TBX file")


def chosen_glossary(args: argparse.Namespace) -> Glossary | None:
    """The glossary ``--glossary`` names, read (a bad file is one line, exit 2), or None."""
    from mt.glossary import read_glossary

    return read_glossary(args.glossary) if getattr(args, "glossary", None) else None


def translate_each(args: argparse.Namespace, sources: Iterable[str], unit: str,
                   total: int | None = None, word_links: str | None = None
                   ) -> Iterator[Translation]:
    """The translations of ``sources``, in order, by the translator the options chose (see
    :func:`load_chosen_translator`), counted on a progress bar."""
    translator = load_chosen_translator(args, word_links)
    with progress_bar(unit, total=total) as bar:
        yield from translator.translate_iter(sources, bar.update)
