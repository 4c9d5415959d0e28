"""Translation speed, memory and quality: mt's backends against plain transformers.

    python eval/bench_speed.py [--model DIR] [--sentences 200] [--threads 2] [--write]

Every system runs as a whole process (model loading included) under
``/usr/bin/time``, on the same FLORES-200 devtest sentences, with the same
model, threads and beam (4): the baseline
(``eval/baseline_transformers.py``: generate, one sentence at a time),
``mt translate --lines`` with the transformers backend, and with CTranslate2
in float32 and int8 (the default).
Then the seed article, whole, for latency. BLEU of each output is scored with
sacrebleu against the references. ``--write`` puts the table in eval/RESULTS.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from protocol import reporting  # noqa: E402
from results import add_write_option, machine, publish, today  # noqa: E402

from mt.evaluate import score  # noqa: E402
from mt.inputs import read_rows  # noqa: E402
from mt.models import model_hash, resolve_model  # noqa: E402
from mt.segment import split_sentences  # noqa: E402

FLORES = HERE.parent.parent / "shared" / "data" / "test" / "flores200_devtest.ar-en.tsv.gz"
SEED = HERE.parent / "seeds" / "000_e65b64538d617a2f.txt"
BEAM = 4  # every system, the baseline included, does the same search
MT = [sys.executable, "-m", "mt", "translate", "--beam", str(BEAM)]


def timed(command: list[str], output: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of ``command``, its stdout saved to ``output``."""
    report = output.with_suffix(".time")
    with output.open("w", encoding="utf-8") as out:
        subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", str(report), *command],
                       stdout=out, check=True)
    seconds, kilobytes = report.read_text().split()[-2:]
    return float(seconds), int(kilobytes) / 1024


@reporting  # speed and BLEU on test sentences, nothing chosen
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model directory (default: the embedded model)")
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    add_write_option(parser)
    args = parser.parse_args()
    ref = resolve_model(args.model)
    model = str(ref.path)
    rows = list(read_rows(FLORES))[:args.sentences]
    references = [r[1] for r in rows]
    threads = ["--threads", str(args.threads)]
    systems = {
        "baseline: transformers generate, 1 sentence at a time":
            lambda src: [sys.executable, str(HERE / "baseline_transformers.py"), model, str(src),
                         *threads, "--beam", str(BEAM)],
        "mt, --backend transformers (batched)":
            lambda src: [*MT, "--lines", "--model", model, "--backend", "transformers",
                         *threads, str(src)],
        "mt, --backend ctranslate2 --compute-type float32":
            lambda src: [*MT, "--lines", "--model", model, "--backend", "ctranslate2",
                         "--compute-type", "float32", *threads, str(src)],
        "mt, ctranslate2 int8 (the default backend)":
            lambda src: [*MT, "--lines", "--model", model, *threads, str(src)],
    }
    seed_text = SEED.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "flores.ar"
        source.write_text("".join(r[0] + "\n" for r in rows), encoding="utf-8")
        seed_lines = work / "seed.ar"  # the seed's sentences, one a line, for every system
        seed_lines.write_text("".join(s.span.slice(seed_text) + "\n"
                                      for s in split_sentences(seed_text)), encoding="utf-8")
        subprocess.run([sys.executable, "-m", "mt", "models", "convert", model], check=True,
                       stdout=subprocess.DEVNULL)  # conversion is a one-time cost, not timed
        table = ["| system | sentences/s | wall s | peak MiB | BLEU | seed article s | "
                 "seed peak MiB |", "|---|---|---|---|---|---|---|"]
        baseline_speed = None
        for name, command in systems.items():
            hyp = work / "hyp.en"
            seconds, memory = timed(command(source), hyp)
            hypotheses = hyp.read_text(encoding="utf-8").splitlines()
            bleu = score(hypotheses, references, ("bleu",))[0].score
            seed_seconds, seed_memory = timed(command(seed_lines), work / "seed.en")
            speed = len(rows) / seconds
            baseline_speed = baseline_speed or speed
            table.append(f"| {name} | {speed:.2f} ({speed / baseline_speed:.1f}x) | "
                         f"{seconds:.1f} | {memory:.0f} | {bleu:.2f} | {seed_seconds:.1f} | "
                         f"{seed_memory:.0f} |")
            print(table[-1], flush=True)
    rerun = "python eval/bench_speed.py" + (f" --model {args.model}" if args.model else "") \
        + f" --sentences {args.sentences} --threads {args.threads} --write"
    publish(f"speed-{len(rows)}", "\n".join([
        f"## Translation speed and quality on {len(rows)} sentences: CTranslate2 and batching "
        "against plain transformers",
        "",
        f"Command: `{rerun}`; machine: {machine()}; date: {today()}; "
        f"model: `{ref.name}@{model_hash(ref.path)}`.",
        f"{len(rows)} FLORES-200 devtest sentences (`--lines`), and the seed article's "
        f"{len(split_sentences(seed_text))} sentences; whole processes, model loading "
        f"included, beam {BEAM}, same threads; BLEU by sacrebleu on those sentences.",
        "",
        *table,
    ]), args.write)


if __name__ == "__main__":
    main()
