"""Pick the training run's best weights by dev BLEU: single snapshots and averages of the last.

    python models/select_checkpoint.py --workdir ~/.cache/mt-train/ar-en-small-news \\
        --out /tmp/best [--average 2 4 8] [--limit 500]

``mt train --keep-checkpoints N`` leaves the weights of its last N checkpoints
in ``WORKDIR/snapshots``. Each of the last ``--singles`` snapshots and the mean
of the last K for each ``--average K`` (checkpoint averaging, a standard gain)
is exported beside the run's model and scored on UD PUD (dev; test sets are
left for reporting) with the default CTranslate2 decoding. The best is copied
to ``--out`` with ``selection.json`` saying what it is and what it beat.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEV = ROOT.parent / "shared" / "data" / "dev" / "pud.ar-en.tsv.gz"


def average(files: list[Path]) -> dict:
    """The element-wise mean of the weights in ``files`` (safetensors)."""
    from safetensors.torch import load_file

    total: dict = {}
    for file in files:
        for name, tensor in load_file(str(file)).items():
            total[name] = total.get(name, 0) + tensor.double()
    return {name: (tensor / len(files)).float() for name, tensor in total.items()}


def export(weights: dict, like: Path, target: Path) -> Path:
    """A model directory like ``like`` (config, tokenizer) holding ``weights``."""
    from transformers import MarianMTModel

    from mt.train import export_model

    model = MarianMTModel.from_pretrained(like)
    model.load_state_dict(weights)
    generation = json.loads((like / "generation_config.json").read_text("utf-8"))
    export_model(model, like, target, generation["max_length"])
    return target


def dev_bleu(model_dir: Path, limit: int | None) -> float:
    from mt.evaluate import testset_pairs, translate_and_score
    from mt.translate import load_translator

    translator = load_translator(str(model_dir), word_links="none")
    result = translate_and_score(translator, testset_pairs(DEV, limit=limit), ("bleu",))
    return round(result.scores["bleu"].score, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, required=True, help="the mt train --workdir")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--singles", type=int, default=2, help="last N snapshots, each alone")
    parser.add_argument("--average", type=int, nargs="*", default=[2, 4, 8])
    parser.add_argument("--limit", type=int, help="first N dev rows only")
    args = parser.parse_args()
    snapshots = sorted((args.workdir / "snapshots").glob("step-*.safetensors"))
    if not snapshots:
        sys.exit(f"{args.workdir}/snapshots: no snapshots; train with --keep-checkpoints N")
    like = args.workdir / "model"
    candidates = {f"{s.stem}": [s] for s in snapshots[-args.singles:]}
    for k in args.average:
        if 1 < k <= len(snapshots):
            candidates[f"mean of last {k} ({snapshots[-k].stem}..{snapshots[-1].stem})"] = \
                snapshots[-k:]
    scores: dict[str, float] = {}
    best: tuple[float, Path] | None = None
    with tempfile.TemporaryDirectory() as scratch:
        for index, (name, files) in enumerate(candidates.items()):
            directory = export(average(files), like, Path(scratch) / str(index))
            scores[name] = dev_bleu(directory, args.limit)
            print(f"{name}: PUD BLEU {scores[name]}", flush=True)
            if best is None or scores[name] > best[0]:
                best = (scores[name], directory)
        assert best is not None
        if args.out.exists():
            shutil.rmtree(args.out)
        shutil.copytree(best[1], args.out, ignore=shutil.ignore_patterns(".ct2-*"))
    chosen = max(scores, key=scores.__getitem__)
    (args.out / "selection.json").write_text(json.dumps(
        {"chosen": chosen, "dev": "UD PUD", "rows": args.limit or "all", "bleu": scores},
        indent=2), "utf-8")
    print(f"chosen: {chosen} -> {args.out}")


if __name__ == "__main__":
    main()
