"""Translation speed, memory and quality: mt's backends against plain transformers and raw
CTranslate2.

    python eval/bench_speed.py [--model DIR] [--sentences 200] [--threads 2] [--write]

Every system runs as a whole process (model loading included) under
``/usr/bin/time``, on the same FLORES-200 devtest sentences, with the same
model, threads and beam (mt's default): the baseline
(``eval/baseline_transformers.py``: generate, one sentence at a time), raw
CTranslate2 (``eval/baseline_ctranslate2.py``: ``translate_batch`` on the model
mt converts, int8, the same pieces and search), ``mt translate --lines`` with
the transformers backend, and with CTranslate2 in float32 and int8 (the
default), and the trace (``--lines --format json``: word aligner, traced spans,
quality estimates). Then the seed article's sentences, for latency. BLEU of
each output is scored with sacrebleu against the references; mt's overhead is
given as mt's wall time over raw CTranslate2's. ``--write`` puts the table in
eval/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
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
from mt.translate.conversion import conversion_dir  # noqa: E402
from mt.translate.options import BEAM_SIZE  # noqa: E402

FLORES = HERE.parent.parent / "shared" / "data" / "test" / "flores200_devtest.ar-en.tsv.gz"
SEED = HERE.parent / "seeds" / "000_e65b64538d617a2f.txt"
BEAM = BEAM_SIZE  # mt's default; every system, the baseline included, does the same search
MT = [sys.executable, "-m", "mt", "translate", "--beam", str(BEAM)]
RAW = "raw CTranslate2: translate_batch, int8, same model, pieces and search"
TEXT = "mt, ctranslate2 int8 (the default backend, facts on)"
TRACE = "mt, the trace: --format json (int8, word aligner, spans, quality)"


def timed(command: list[str], output: Path) -> tuple[float, float, float]:
    """Wall seconds, peak resident MiB and CPU seconds (user and system, children included)
    of ``command``, its stdout saved to ``output``."""
    report = output.with_suffix(".time")
    with output.open("w", encoding="utf-8") as out:
        subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", "-o", str(report), *command],
                       stdout=out, check=True)
    seconds, kilobytes, user, system = report.read_text().split()[-4:]
    return float(seconds), int(kilobytes) / 1024, float(user) + float(system)


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
        RAW:
            lambda src: [sys.executable, str(HERE / "baseline_ctranslate2.py"),
                         str(conversion_dir(ref)), model, str(src), *threads,
                         "--beam", str(BEAM)],
        "mt, --backend transformers (batched)":
            lambda src: [*MT, "--lines", "--model", model, "--backend", "transformers",
                         *threads, str(src)],
        "mt, --backend ctranslate2 --compute-type float32":
            lambda src: [*MT, "--lines", "--model", model, "--backend", "ctranslate2",
                         "--compute-type", "float32", *threads, str(src)],
        TEXT: lambda src: [*MT, "--lines", "--model", model, *threads, str(src)],
        TRACE: lambda src: [*MT, "--lines", "--format", "json", "--model", model, *threads,
                            str(src)],
    }
    seed_text = SEED.read_text(encoding="utf-8")
    load = os.getloadavg()
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
        walls: dict[str, tuple[float, float, float]] = {}
        for name, command in systems.items():
            hyp = work / "hyp.en"
            seconds, memory, cpu = timed(command(source), hyp)
            output = hyp.read_text(encoding="utf-8")
            hypotheses = (json.loads(output)["target"]["text"] if name == TRACE
                          else output).splitlines()
            bleu = score(hypotheses, references, ("bleu",))[0].score
            seed_seconds, seed_memory, _ = timed(command(seed_lines), work / "seed.en")
            walls[name] = (seconds, seed_seconds, cpu)
            speed = len(rows) / seconds
            baseline_speed = baseline_speed or speed
            table.append(f"| {name} | {speed:.2f} ({speed / baseline_speed:.1f}x) | "
                         f"{seconds:.1f} | {memory:.0f} | {bleu:.2f} | {seed_seconds:.1f} | "
                         f"{seed_memory:.0f} |")
            print(table[-1], flush=True)
    def ratios(name: str) -> str:
        wall, seed, cpu = (ours / raw for ours, raw in zip(walls[name], walls[RAW], strict=True))
        return f"{wall:.2f}x wall, {cpu:.2f}x CPU ({seed:.2f}x wall on the seed)"

    overhead = [f"mt over raw CTranslate2, whole processes on the {len(rows)} sentences (and "
                f"the seed's {len(split_sentences(seed_text))}): `--lines` text {ratios(TEXT)}; "
                f"the trace {ratios(TRACE)}. Load average before the run {load[0]:.2f}, "
                f"after {os.getloadavg()[0]:.2f}."]
    print(overhead[0], flush=True)
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
        "",
        *overhead,
    ]), args.write)


if __name__ == "__main__":
    main()
