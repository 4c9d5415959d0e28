"""Train a ~30M-parameter MarianMT on one CUDA GPU in minutes, then score it.

Run by ``models/train-gpu.sh`` on the lent GPU machine, whose Python has torch,
transformers, sentencepiece, sacrebleu and safetensors but neither ctranslate2
nor datasets: training goes through ``mt.train`` and scoring through the
transformers backend, both importable from the working tree. The tokenizer is
the embedded model's (12k pieces), so the result drops in beside it.

    python models/train_gpu.py prepare --shared ../shared/data --to gpu-run/data
    python models/train_gpu.py train --data gpu-run/data --out "$OUT" --minutes 6.5
    python models/train_gpu.py train --data DIR --out DIR --tiny --steps 3   # CPU smoke test

``prepare`` writes the clean pairs of the news mix (``models/news-mix.txt``),
files drawn at a weight under 1 already subsampled, plus UD PUD dev and
FLORES-200 devtest, small enough to travel with the tree (64 MiB in all, the
committed model included). ``train`` keeps the last ``--snapshots`` weight
snapshots, scores each of them and their mean on PUD dev (eval/PROTOCOL.md: the
choice is made on dev), keeps the best, and scores FLORES-200 devtest once, on
that model alone. It writes to ``--out`` the model in fp16 safetensors shards
of at most 15 MB (``model/``) and ``scores.json`` (every candidate's dev BLEU
and chrF, the choice, the test scores).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from protocol import reporting  # noqa: E402

from mt.train import DataSource, TrainConfig, Trainer, clean_pair, source_pairs  # noqa: E402

EMBEDDED = ROOT / "models" / "ar-en-small"
MIX = ROOT / "models" / "news-mix.txt"
# fp16 weights of "base" come to about 60 MB, under the 64 MiB that comes back
SHAPES: dict[str, dict[str, Any]] = {
    "base": {"d_model": 512, "encoder_layers": 5, "decoder_layers": 2, "attention_heads": 8,
             "ffn_dim": 2048},
    "tiny": {"d_model": 32, "encoder_layers": 1, "decoder_layers": 1, "attention_heads": 2,
             "ffn_dim": 64},
}
SHARD = "15MB"
DEV = "pud.ar-en.tsv.gz"  # under dev/: the checkpoint is chosen here
TESTSET = "flores200_devtest.ar-en.tsv.gz"  # under test/: reported once, on the chosen model


def mix_sources(data: Path, mix: Path) -> list[DataSource]:
    """The ``FILE:WEIGHT`` lines of ``mix``, files under ``data``."""
    return [DataSource.parse(str(data / line.strip()))
            for line in mix.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def prepare(shared: Path, target: Path) -> None:
    """The mix's clean pairs under ``target``, weights under 1 drawn here once."""
    import gzip
    import random

    target.mkdir(parents=True, exist_ok=True)
    lines = []
    for source in mix_sources(shared, MIX):
        pairs = [p for p in (clean_pair(ar, en) for ar, en in source_pairs(source.path)) if p]
        weight = source.weight
        if weight < 1:
            pairs, weight = random.Random(1).sample(pairs, round(len(pairs) * weight)), 1.0
        name = Path(source.path).name
        with gzip.open(target / name, "wt", encoding="utf-8") as out:
            out.writelines(f"{ar}\t{en}\n" for ar, en in pairs)
        lines.append(f"{name}:{weight:g}")
    (target / "mix.txt").write_text("\n".join(lines) + "\n", "utf-8")
    shutil.copy(shared / "dev" / DEV, target / DEV)


@reporting
def copy_test_set(shared: Path, target: Path) -> None:
    """FLORES-200 devtest beside the training data, for the one score at the end."""
    shutil.copy(shared / "test" / TESTSET, target / TESTSET)


def export_fp16(trained: Path, out: Path) -> Path:
    """``trained`` as fp16 safetensors shards (``SHARD`` each at most), config beside them."""
    from transformers import MarianMTModel

    model = MarianMTModel.from_pretrained(trained).half()
    target = out / "model"
    model.save_pretrained(target, safe_serialization=True, max_shard_size=SHARD)
    return target


def score_set(model_dir: Path, tokenizer_dir: Path, pairs: Path, limit: int | None,
              device: str) -> dict[str, float]:
    """BLEU and chrF on the TSV ``pairs`` with the reference backend's decoding."""
    import torch
    from sacrebleu.metrics import BLEU, CHRF

    from mt.hub import MARIAN_TOKENIZER_FILES
    from mt.inputs import read_rows
    from mt.models import resolve_model
    from mt.translate.backend import DecodeOptions, TransformersBackend

    copied = [name for name in MARIAN_TOKENIZER_FILES if not (model_dir / name).exists()]
    for name in copied:
        shutil.copy(tokenizer_dir / name, model_dir / name)
    try:
        backend = TransformersBackend(resolve_model(str(model_dir)), DecodeOptions())
        model: torch.nn.Module = backend.network  # torch's type: transformers' .to() confuses mypy
        model.to(device).float()
        if device == "cuda":
            model.to(torch.bfloat16)
        rows = list(read_rows(pairs))[:limit]
        hypotheses: list[str] = []
        for begin in range(0, len(rows), 64):
            hypotheses += [h.text for h in backend.translate_batch(
                [r[0] for r in rows[begin:begin + 64]])]
    finally:
        for name in copied:
            (model_dir / name).unlink()
    references = [[r[1] for r in rows]]
    return {"sentences": len(rows), "bleu": BLEU().corpus_score(hypotheses, references).score,
            "chrf": CHRF().corpus_score(hypotheses, references).score}


def choose_on_dev(trained: Path, data: Path, limit: int | None, device: str
                  ) -> tuple[Path, dict[str, Any]]:
    """The kept snapshots, each alone and all averaged, scored on PUD dev; the best by BLEU.

    Without snapshots (a run shorter than ``--save-every``) the final weights are
    the only candidate.
    """
    from select_checkpoint import average, export

    snapshots = sorted((trained.parent / "snapshots").glob("step-*.safetensors"))
    groups = {s.stem: [s] for s in snapshots}
    if len(snapshots) > 1:
        groups[f"mean of {snapshots[0].stem}..{snapshots[-1].stem}"] = snapshots
    candidates = {name: export(average(files), trained, trained.parent / f"candidate-{i}")
                  for i, (name, files) in enumerate(groups.items())} or {"final": trained}
    scores = {name: score_set(directory, EMBEDDED, data / DEV, limit, device)
              for name, directory in candidates.items()}
    chosen = max(scores, key=lambda name: scores[name]["bleu"])
    return candidates[chosen], {"set": DEV, "candidates": scores, "chosen": chosen}


def train(args: argparse.Namespace) -> tuple[Path, dict[str, Any]]:
    """Train, choose on dev, export the chosen weights; their path and the run's record."""
    import torch
    from transformers import MarianMTModel

    device = "cuda" if torch.cuda.is_available() else "cpu"
    work = args.out / "work"
    config = TrainConfig(
        sources=mix_sources(args.data, args.data / "mix.txt"), output=str(work / "model"),
        workdir=str(work), tokenizer=str(EMBEDDED), max_tokens=args.max_tokens,
        learning_rate=1e-3, warmup_steps=min(1000, max(1, args.steps // 10)),
        max_steps=args.steps, max_hours=args.minutes / 60, save_every=args.save_every,
        keep_checkpoints=args.snapshots, log_every=100, threads=torch.get_num_threads(),
        seed=1, device=device, precision="bf16" if device == "cuda" else "fp32",
        **SHAPES["tiny" if args.tiny else "base"],
    )
    started = time.monotonic()
    trained = Trainer(config, progress=lambda s: print(json.dumps(s), flush=True)).run()
    train_minutes = (time.monotonic() - started) / 60
    chosen, dev = choose_on_dev(trained, args.data, args.limit, device)
    exported = export_fp16(chosen, args.out)
    shutil.rmtree(work)
    parameters = sum(p.numel() for p in MarianMTModel.from_pretrained(exported).parameters())
    return exported, {"device": device, "train_minutes": round(train_minutes, 2),
                      "parameters": parameters, "dev": dev}


@reporting
def score_test(model_dir: Path, data: Path, limit: int | None, device: str) -> dict[str, Any]:
    """FLORES-200 devtest, once, on the model chosen on dev."""
    return {"set": TESTSET, **score_set(model_dir, EMBEDDED, data / TESTSET, limit, device)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("prepare", help="write the training data that travels with the tree")
    p.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    p.add_argument("--to", type=Path, default=ROOT / "gpu-run" / "data")
    p = sub.add_parser("train", help="train, choose on PUD dev, export fp16 shards, score "
                                     "FLORES-200 devtest once")
    p.add_argument("--data", type=Path, required=True, help="what prepare wrote")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--minutes", type=float, default=6.5, help="training time budget")
    p.add_argument("--steps", type=int, default=1_000_000)
    p.add_argument("--max-tokens", type=int, default=32768)
    p.add_argument("--tiny", action="store_true", help="a tiny shape, for a CPU smoke test")
    p.add_argument("--save-every", type=int, default=500, help="steps between snapshots")
    p.add_argument("--snapshots", type=int, default=4, help="last snapshots kept as candidates")
    p.add_argument("--limit", type=int, help="score the first N dev and test rows only")
    args = parser.parse_args()
    if args.step == "prepare":
        prepare(args.shared, args.to)
        copy_test_set(args.shared, args.to)
        return
    exported, record = train(args)
    record["test"] = score_test(exported, args.data, args.limit, record["device"])
    (args.out / "scores.json").write_text(json.dumps(record, indent=2), "utf-8")
    print(json.dumps(record))


if __name__ == "__main__":
    main()
