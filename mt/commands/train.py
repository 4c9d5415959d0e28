"""``mt train``: train or fine-tune a MarianMT model."""

from __future__ import annotations

import argparse
import sys

from mt.commands.common import bounded


def register(sub: argparse._SubParsersAction) -> None:
    from mt.train import TrainConfig, config_options

    p = sub.add_parser("train", help="train or fine-tune a MarianMT model on parallel TSV files")
    p.add_argument("data", nargs="+", metavar="TSV[:WEIGHT]",
                   help="parallel arabic<TAB>english files (.tsv or .tsv.gz) or Hugging Face "
                        "datasets saved with save_to_disk; WEIGHT (above 0) samples that share "
                        "of each epoch (default 1)")
    p.add_argument("-o", "--output", required=True, help="directory for the trained model")
    p.add_argument("--workdir", help="checkpoints and caches (default: OUTPUT/../.train-NAME)")
    defaults = TrainConfig.__dataclass_fields__
    for name, option in config_options():  # declared once, with their ranges, in TrainConfig
        default = defaults[name].default
        shown = f"default {default}" if default is not None else ""
        help_text = "; ".join(part for part in (option.help, shown) if part)
        if option.choices:
            p.add_argument(option.flag, dest=name, choices=option.choices, default=default,
                           help=help_text)
            continue
        metavar = option.flag.removeprefix("--").upper().replace("-", "_")
        if isinstance(default, (int, float)):
            bounds = option.bounds
            p.add_argument(option.flag, dest=name, metavar=metavar, default=default,
                           help=help_text, type=bounded(bounds.low, bounds.high, type(default),
                                                        bounds.above))
        else:
            p.add_argument(option.flag, dest=name, metavar=metavar, default=default,
                           help=help_text)
    p.set_defaults(handler=run)


def _require_clean_pair(sources: list) -> None:
    """Stop before training when no source holds a usable pair (reads up to the first one)."""
    from mt.errors import InputError
    from mt.train import clean_pair, source_pairs

    for source in sources:
        if any(clean_pair(ar, en) for ar, en in source_pairs(source.path)):
            return
    names = ", ".join(s.path for s in sources)
    raise InputError(f"{names}: no usable arabic<TAB>english pair (empty, or every pair "
                     "filtered as noise); give a parallel corpus")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from mt.models import check_model_dir, is_model_dir
    from mt.outputs import refuse_clobber, refuse_non_folder
    from mt.train import DataSource, TrainConfig, Trainer, config_options

    output = Path(args.output)
    sources = [DataSource.parse(spec) for spec in args.data]
    config = TrainConfig(
        sources=sources, output=str(output),
        workdir=args.workdir or str(output.parent / f".train-{output.name}"),
        **{name: getattr(args, name) for name, _ in config_options()})
    refuse_clobber([*(s.path for s in sources), args.init], [args.output, args.workdir])
    refuse_non_folder(output, is_model_dir)  # replaced whole by the trained model
    refuse_non_folder(Path(config.workdir))  # kept, to resume
    if args.init:  # a folder of a MarianMT model, checked before the slow imports
        check_model_dir(Path(args.init))
    _require_clean_pair(sources)

    def report(stats: dict[str, float]) -> None:
        print(f"step {stats['step']:.0f} epoch {stats['epoch']:.0f} loss {stats['loss']:.3f} "
              f"{stats['tokens_per_s']:.0f} tok/s lr {stats['lr']:.2e} "
              f"{stats['hours']:.2f} h, ETA {stats['eta_hours']:.2f} h",
              file=sys.stderr, flush=True)

    saved = Trainer(config, progress=report).run()
    print(saved)
    return 0
