"""``mt train``: train or fine-tune a MarianMT model."""

from __future__ import annotations

import argparse
import sys

from mt.commands.common import MAX_BATCH_TOKENS, MAX_THREADS, add_device_option, bounded


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train or fine-tune a MarianMT model on parallel TSV files")
    p.add_argument("data", nargs="+", metavar="TSV[:WEIGHT]",
                   help="parallel arabic<TAB>english files (.tsv or .tsv.gz) or Hugging Face "
                        "datasets saved with save_to_disk; WEIGHT samples that share of "
                        "each epoch (default 1)")
    p.add_argument("-o", "--output", required=True, help="directory for the trained model")
    p.add_argument("--workdir", help="checkpoints and caches (default: OUTPUT/../.train-NAME)")
    p.add_argument("--init", help="fine-tune this MarianMT directory instead of starting afresh")
    p.add_argument("--tokenizer", metavar="DIR",
                   help="from scratch, but with this model directory's sentencepiece files")
    p.add_argument("--precision", choices=("fp32", "bf16"), default="fp32",
                   help="bf16: mixed precision (weights and optimiser stay fp32); on a CPU "
                        "it pays only where the CPU has bf16 instructions (AVX512-BF16, AMX)")
    p.add_argument("--vocab-size", type=int, default=12000)
    p.add_argument("--d-model", type=int, default=256)
    p.add_argument("--encoder-layers", type=int, default=6)
    p.add_argument("--decoder-layers", type=int, default=2)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--ffn-dim", type=int, default=1024)
    p.add_argument("--max-tokens", type=bounded(1, MAX_BATCH_TOKENS), default=4096,
                   help="tokens per batch")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=int, default=1000)
    p.add_argument("--max-steps", type=bounded(1), default=100_000)
    p.add_argument("--max-hours", type=float, default=0.0, help="stop after this long (0: never)")
    p.add_argument("--save-every", type=bounded(1), default=500)
    p.add_argument("--keep-checkpoints", type=int, default=0, metavar="N",
                   help="keep the weights of the last N checkpoints in WORKDIR/snapshots "
                        "(for averaging; 0: none)")
    p.add_argument("--log-every", type=bounded(1), default=50)
    p.add_argument("--threads", type=bounded(1, MAX_THREADS), default=2)
    p.add_argument("--seed", type=int, default=1)
    add_device_option(p)
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

    from mt.outputs import refuse_clobber
    from mt.train import DataSource, TrainConfig, Trainer

    output = Path(args.output)
    sources = [DataSource.parse(spec) for spec in args.data]
    refuse_clobber([*(s.path for s in sources), args.init], [args.output, args.workdir])
    _require_clean_pair(sources)
    config = TrainConfig(
        sources=sources, output=str(output),
        workdir=args.workdir or str(output.parent / f".train-{output.name}"), init=args.init,
        tokenizer=args.tokenizer, precision=args.precision,
        vocab_size=args.vocab_size, d_model=args.d_model, encoder_layers=args.encoder_layers,
        decoder_layers=args.decoder_layers, attention_heads=args.heads, ffn_dim=args.ffn_dim,
        max_tokens=args.max_tokens, learning_rate=args.lr, warmup_steps=args.warmup,
        max_steps=args.max_steps, max_hours=args.max_hours, save_every=args.save_every,
        keep_checkpoints=args.keep_checkpoints,
        log_every=args.log_every, threads=args.threads, seed=args.seed, device=args.device,
    )

    def report(stats: dict[str, float]) -> None:
        print(f"step {stats['step']:.0f} epoch {stats['epoch']:.0f} loss {stats['loss']:.3f} "
              f"{stats['tokens_per_s']:.0f} tok/s lr {stats['lr']:.2e} "
              f"{stats['hours']:.2f} h, ETA {stats['eta_hours']:.2f} h",
              file=sys.stderr, flush=True)

    saved = Trainer(config, progress=report).run()
    print(saved)
    return 0
