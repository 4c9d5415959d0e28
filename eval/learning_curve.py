"""The embedded model's learning curve: FLORES-200 devtest BLEU against training compute,
and what the curve predicts.

    python eval/learning_curve.py --point 2400=d33603c --point 5756=9299d81 \\
        --point 7556=677ca53 --point 9756=/tmp/best [--fit-from 5756] [--write]

Each ``--point STEPS=MODEL`` is the model after STEPS training steps in all
(batches of at most 4,096 padded tokens a side, about 7,400 real tokens), MODEL
a model directory or a git commit whose ``models/ar-en-small`` is taken. Every
point is scored in one run with the default decoding (CTranslate2 int8, the
default beam, the guard on), so that old and new weights are measured by the same code.
Compute is given in core-hours at the fp32 speed measured on the project's
2-core CPU (``--seconds-per-step``; bf16 now trains 1.3x faster). A line
BLEU = a + b ln(core-hours) is fitted by least squares to the points from
``--fit-from`` on (the news-weighted data), and the core-hours it predicts for
BLEU 10 and 15 are written beside.
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from protocol import reporting  # noqa: E402
from results import add_write_option, machine, publish, today  # noqa: E402

from mt.evaluate import testset_pairs, translate_and_score  # noqa: E402
from mt.translate import BEAM_SIZE, load_translator  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FLORES = ROOT.parent / "shared" / "data" / "test" / "flores200_devtest.ar-en.tsv.gz"
EMBEDDED = "models/ar-en-small"
SECONDS_PER_STEP = 2.9  # fp32, 2 threads, quiet machine: 100 steps in 0.08 h (2026-12-02)
CORES = 2
BF16_SPEED_UP = 1.3  # measured: models/continue-ar-en-small.sh
TARGETS = (10.0, 15.0)


def model_dir(reference: str, scratch: Path) -> Path:
    """``reference`` itself when it is a directory, else the embedded model at that commit."""
    if Path(reference).is_dir():
        return Path(reference)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", reference, EMBEDDED],
                             check=True, capture_output=True).stdout
    target = scratch / reference
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target / EMBEDDED


def fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares ``a, b`` of ``bleu = a + b ln(hours)`` over ``(hours, bleu)``."""
    xs = [math.log(h) for h, _ in points]
    ys = [b for _, b in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / \
        sum((x - mean_x) ** 2 for x in xs)
    return mean_y - slope * mean_x, slope


@reporting  # scores of models already chosen, nothing chosen here
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--point", action="append", required=True, metavar="STEPS=MODEL")
    parser.add_argument("--fit-from", type=int, default=5756,
                        help="fit the curve to the points with at least this many steps")
    parser.add_argument("--seconds-per-step", type=float, default=SECONDS_PER_STEP)
    parser.add_argument("--limit", type=int, help="first N sentences only (a quick look)")
    add_write_option(parser)
    args = parser.parse_args()
    pairs = testset_pairs(FLORES, limit=args.limit)
    core_hours_per_step = args.seconds_per_step * CORES / 3600
    rows = ["| steps | core-hours (fp32) | model | BLEU | chrF |", "|---|---|---|---|---|"]
    measured: list[tuple[int, float, float]] = []
    with tempfile.TemporaryDirectory() as scratch:
        for point in args.point:
            steps_text, _, reference = point.partition("=")
            steps = int(steps_text)
            translator = load_translator(str(model_dir(reference, Path(scratch))),
                                         word_links="none")
            result = translate_and_score(translator, pairs)
            bleu, chrf = result.scores["bleu"], result.scores["chrf"]
            hours = steps * core_hours_per_step
            measured.append((steps, hours, bleu.score))
            settings = translator.settings
            rows.append(f"| {steps:,} | {hours:.1f} | `{reference}` "
                        f"(`model:{settings.model}@{settings.weights}`) | {bleu.score:.2f} | "
                        f"{chrf.score:.1f} |")
            print(rows[-1], flush=True)
    fitted = [(h, b) for s, h, b in measured if s >= args.fit_from]
    lines = []
    if len(fitted) >= 2:
        a, b = fit(fitted)
        lines.append(f"Fit over the {len(fitted)} points from step {args.fit_from:,} on: "
                     f"BLEU = {a:.2f} + {b:.2f} ln(core-hours), that is "
                     f"{b * math.log(2):+.2f} BLEU for each doubling of compute.")
        if b <= 0:
            lines.append("The curve is flat or falling: no prediction.")
        for target in TARGETS if b > 0 else ():
            if measured[-1][2] >= target:
                lines.append(f"BLEU {target:g}: reached (the last point scores "
                             f"{measured[-1][2]:.2f}).")
                continue
            more = max(math.exp((target - a) / b) - measured[-1][1], 0)
            lines.append(f"BLEU {target:g}: about {more:,.1f} core-hours more than the "
                         f"last point ({more / CORES:,.1f} hours of this machine at "
                         f"fp32, {more / CORES / BF16_SPEED_UP:,.1f} at bf16), if the "
                         "curve holds.")
    command = "python eval/learning_curve.py" + "".join(f" --point {p}" for p in args.point) \
        + (f" --fit-from {args.fit_from}" if args.fit_from != 5756 else "") \
        + (f" --limit {args.limit}" if args.limit else "") + " --write"
    report = "\n".join([
        "## Learning curve of the embedded model: FLORES-200 devtest against compute",
        "",
        f"Command: `{command}`; machine: {machine()}; date: {today()}.",
        f"FLORES-200 devtest, {len(pairs)} sentences; default decoding (CTranslate2 int8, "
        f"beam {BEAM_SIZE}); core-hours = steps x {args.seconds_per_step} s x {CORES} cores.",
        "",
        *rows,
        "",
        *lines,
    ])
    publish("learning-curve", report, args.write)


if __name__ == "__main__":
    main()
