"""Score a model on the shared test sets and write the table to eval/RESULTS.md.

    python eval/model_quality.py                      # the embedded model, all sets
    python eval/model_quality.py --model DIR --limit 200 --no-write

FLORES-200 devtest, Tatoeba v2021 (the ``ara``-labelled rows) and UD PUD
(dev) are translated with the default decoding (beam 4) and scored with
sacrebleu (BLEU, chrF) through ``mt.evaluate``; published scores of other
systems, from ../shared/data/README.md, stand beside them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import machine, today, write_section  # noqa: E402

from mt.evaluate import score  # noqa: E402
from mt.inputs import read_rows  # noqa: E402
from mt.translate import load_translator  # noqa: E402

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
TESTSETS = {
    "FLORES-200 devtest": (DATA / "test" / "flores200_devtest.ar-en.tsv.gz", None,
                           "opus-mt-ar-en 33.9 (FLORES-101); NLLB-200 600M 37.4"),
    "Tatoeba v2021 (ara)": (DATA / "test" / "tatoeba_v2021.ar-en.tsv.gz", "ara",
                            "opus-mt-ar-en 47.0"),
    "UD PUD (dev)": (DATA / "dev" / "pud.ar-en.tsv.gz", None, "none published"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model directory or hub id (default: embedded)")
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--limit", type=int, help="first N rows of each set only")
    parser.add_argument("--no-write", action="store_true", help="print, don't touch RESULTS.md")
    args = parser.parse_args()
    translator = load_translator(args.model, backend=args.backend)
    rows = ["| test set | sentences | BLEU | chrF | published BLEU of others | seconds |",
            "|---|---|---|---|---|---|"]
    signatures = set()
    for name, (path, label, published) in TESTSETS.items():
        pairs = [r for r in read_rows(path) if label is None or (len(r) > 2 and r[2] == label)]
        pairs = pairs[:args.limit] if args.limit else pairs
        started = time.perf_counter()
        hypotheses = [t.text for t in translator.translate_iter(p[0] for p in pairs)]
        seconds = time.perf_counter() - started
        bleu, chrf = score(hypotheses, [p[1] for p in pairs], ("bleu", "chrf"))
        signatures.update((bleu.signature, chrf.signature))
        rows.append(f"| {name} | {len(pairs)} | {bleu.score:.1f} | {chrf.score:.1f} | "
                    f"{published} | {seconds:.0f} |")
        print(rows[-1], flush=True)
    command = "python eval/model_quality.py" + "".join(
        f" {flag} {value}" for flag, value in (("--model", args.model), ("--limit", args.limit))
        if value)
    report = "\n".join([
        "## Translation quality of the embedded model",
        "",
        f"Command: `{command}`; machine: {machine()}; date: {today()}.",
        f"Translator: `{translator.signature}`.",
        "",
        *rows,
        "",
        "sacrebleu signatures: " + "; ".join(f"`{s}`" for s in sorted(signatures)),
    ])
    if args.no_write:
        print(report)
    else:
        write_section("model-quality", report)


if __name__ == "__main__":
    main()
