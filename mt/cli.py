"""The `mt` command line: thin subcommands over the library.

Only this module prints, exits and configures logging.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from mt.errors import InputError, MtError

Handler = Callable[[argparse.Namespace], int]


def _write(args: argparse.Namespace, text: str) -> None:
    """Write ``text`` to ``-o FILE`` or stdout."""
    if getattr(args, "output", None) and args.output != "-":
        from pathlib import Path

        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{args.output}: cannot write ({exc.strerror}); "
                             "check the directory") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _progress_bar(unit: str):  # noqa: ANN202
    """A tqdm counter on stderr, shown on terminals only."""
    from tqdm import tqdm

    return tqdm(unit=unit, file=sys.stderr, disable=None, leave=False)


def _add_translate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("translate", help="translate an Arabic document into English")
    p.add_argument("file", nargs="?", default="-", help="UTF-8 text file, or - for stdin")
    p.add_argument("--model", help="MarianMT directory or hub id (default: $MT_MODEL, then "
                                   "the embedded model)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lines", action="store_true",
                   help="one segment per input line: exactly one output line per input line")
    p.add_argument("-o", "--output", help="write here instead of stdout")
    p.add_argument("--beam", type=int, default=4, help="beam size (default 4)")
    p.add_argument("--batch-tokens", type=int, default=2048,
                   help="padded source tokens per batch (default 2048)")
    p.add_argument("--threads", type=int, help="CPU threads (default: torch's choice)")
    p.set_defaults(handler=_run_translate)


def _run_translate(args: argparse.Namespace) -> int:
    from mt.inputs import read_document
    from mt.translate import load_translator

    if args.beam < 1 or args.batch_tokens < 1:
        raise InputError("--beam and --batch-tokens must be positive; give e.g. --beam 4")
    text = read_document(args.file)
    translator = load_translator(args.model, beam_size=args.beam,
                                 max_batch_tokens=args.batch_tokens, threads=args.threads)
    translate = translator.translate_lines if args.lines else translator.translate_document
    with _progress_bar("segment") as bar:
        document = translate(text, progress=bar.update)
    if args.format == "json":
        _write(args, document.dumps() + "\n")
    elif document.segments:
        _write(args, document.target_text + "\n")
    return 0


def _add_models(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="list known models")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="VERB")
    listing = verbs.add_parser("list", help="embedded, MT_MODEL and cached hub models")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(handler=_run_models_list)


def _run_models_list(args: argparse.Namespace) -> int:
    import json

    from mt.models import list_models

    models = list_models()
    if args.format == "json":
        print(json.dumps(models, ensure_ascii=False, indent=2))
    else:
        for entry in models:
            mark = "*" if entry["default"] else " "
            print(f"{mark} {entry['name']}\t{entry['source']}\t{entry['path']}")
    return 0


def _add_train(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train or fine-tune a MarianMT model on parallel TSV files")
    p.add_argument("data", nargs="+", metavar="TSV[:WEIGHT]",
                   help="parallel arabic<TAB>english files (.tsv or .tsv.gz); WEIGHT samples "
                        "that share of the file each epoch (default 1)")
    p.add_argument("-o", "--output", required=True, help="directory for the trained model")
    p.add_argument("--workdir", help="checkpoints and caches (default: OUTPUT/../.train-NAME)")
    p.add_argument("--init", help="fine-tune this MarianMT directory instead of starting afresh")
    p.add_argument("--vocab-size", type=int, default=12000)
    p.add_argument("--d-model", type=int, default=256)
    p.add_argument("--encoder-layers", type=int, default=6)
    p.add_argument("--decoder-layers", type=int, default=2)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--ffn-dim", type=int, default=1024)
    p.add_argument("--max-tokens", type=int, default=4096, help="tokens per batch")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=int, default=1000)
    p.add_argument("--max-steps", type=int, default=100_000)
    p.add_argument("--max-hours", type=float, default=0.0, help="stop after this long (0: never)")
    p.add_argument("--save-every", type=int, default=500)
    p.add_argument("--log-every", type=int, default=50)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(handler=_run_train)


def _run_train(args: argparse.Namespace) -> int:
    from pathlib import Path

    from mt.train import DataSource, Trainer, TrainConfig

    output = Path(args.output)
    config = TrainConfig(
        sources=[DataSource.parse(spec) for spec in args.data], output=str(output),
        workdir=args.workdir or str(output.parent / f".train-{output.name}"), init=args.init,
        vocab_size=args.vocab_size, d_model=args.d_model, encoder_layers=args.encoder_layers,
        decoder_layers=args.decoder_layers, attention_heads=args.heads, ffn_dim=args.ffn_dim,
        max_tokens=args.max_tokens, learning_rate=args.lr, warmup_steps=args.warmup,
        max_steps=args.max_steps, max_hours=args.max_hours, save_every=args.save_every,
        log_every=args.log_every, threads=args.threads, seed=args.seed,
    )

    def report(stats: dict[str, float]) -> None:
        print(f"step {stats['step']:.0f} epoch {stats['epoch']:.0f} loss {stats['loss']:.3f} "
              f"{stats['tokens_per_s']:.0f} tok/s lr {stats['lr']:.2e} "
              f"{stats['hours']:.2f} h", file=sys.stderr, flush=True)

    saved = Trainer(config, progress=report).run()
    print(saved)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mt", description="Traceable Arabic-to-English machine translation")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_add_translate, _add_models, _add_train):
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="mt: %(message)s", stream=sys.stderr)
    handler: Handler = args.handler
    try:
        return handler(args)
    except MtError as exc:
        print(f"mt: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mt: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
