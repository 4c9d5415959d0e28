"""Score models side by side on the shared test sets (``--write``: the table goes to RESULTS.md).

    python eval/model_quality.py                                  # the embedded model
    python eval/model_quality.py --model models/ar-en-small --model DIR --write  # old, new
    python eval/model_quality.py --model DIR --limit 200          # a look: printed only

FLORES-200 devtest, Tatoeba v2021 (the ``ara``-labelled rows) and UD PUD
(dev) are translated with the default decoding and scored with sacrebleu
(BLEU, chrF) through ``mt.evaluate``; every model in one run, on the same
rows and machine. Published scores of other systems, from
../shared/data/README.md, stand beside them. The seed article's first
sentences are printed too, as a reader would meet them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from protocol import reporting  # noqa: E402
from results import add_write_option, machine, publish, today  # noqa: E402

from mt.evaluate import testset_pairs, translate_and_score  # noqa: E402
from mt.models import model_hash, resolve_model  # noqa: E402
from mt.translate import load_translator  # noqa: E402
from mt.translate.guard import text_stutters  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
SEED = ROOT / "seeds" / "000_e65b64538d617a2f.txt"
TESTSETS = {
    "FLORES-200 devtest (test)": (DATA / "test" / "flores200_devtest.ar-en.tsv.gz", None,
                                  "opus-mt-ar-en 33.9 (FLORES-101); NLLB-200 600M 37.4"),
    "Tatoeba v2021, ara (test)": (DATA / "test" / "tatoeba_v2021.ar-en.tsv.gz", "ara",
                                  "opus-mt-ar-en 47.0"),
    # dev: checkpoints and the beam are chosen on it, so its figures are not held out
    "UD PUD (dev, not held out)": (DATA / "dev" / "pud.ar-en.tsv.gz", None, "none published"),
}


def seed_sentences(translator, count: int = 3) -> list[str]:  # noqa: ANN001
    document = translator.translate_document(SEED.read_text(encoding="utf-8"))
    return [document.target_text[s.target.start:s.target.end]
            for s in document.segments[:count] if s.target is not None]


@reporting  # models chosen elsewhere (on dev) scored side by side
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append",
                        help="model directory or hub id; repeat to compare (default: embedded)")
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--limit", type=int, help="first N rows of each set only")
    add_write_option(parser)
    args = parser.parse_args()
    models = args.model or [None]
    translators = [load_translator(m, backend=args.backend, word_links="none")
                   for m in models]
    # A model is named by its weights, not by the folder it was run from.
    names = [f"{ref.name}@{model_hash(ref.path)}" for ref in map(resolve_model, models)]
    rows = ["| set | sentences | model | BLEU | chrF | stuttering outputs | seconds | "
            "published BLEU of others |", "|---|---|---|---|---|---|---|---|"]
    signatures: set[str] = set()
    for set_name, (path, label, published) in TESTSETS.items():
        pairs = testset_pairs(path, label, args.limit)
        for name, translator in zip(names, translators, strict=True):
            result = translate_and_score(translator, pairs)
            bleu, chrf = result.scores["bleu"], result.scores["chrf"]
            signatures.update((bleu.signature, chrf.signature))
            stuttering = sum(map(text_stutters, result.hypotheses)) / len(pairs)
            rows.append(f"| {set_name} | {len(pairs)} | `{name}` | {bleu.score:.2f} | "
                        f"{chrf.score:.1f} | {stuttering:.1%} | {result.seconds:.0f} | "
                        f"{published} |")
            print(rows[-1], flush=True)
    seeds = []
    for name, translator in zip(names, translators, strict=True):
        seeds += [f"`{name}`:", ""] + [f"> {s}" for s in seed_sentences(translator)] + [""]
    command = "python eval/model_quality.py" + "".join(
        f" --model {m}" for m in args.model or []) + (f" --limit {args.limit}"
                                                       if args.limit else "") + " --write"
    report = "\n".join([
        "## Translation quality of the embedded model",
        "",
        f"Command: `{command}`; machine: {machine()}; date: {today()}.",
        "Translators: " + "; ".join(f"`{t.signature}`" for t in translators) + ".",
        "",
        *rows,
        "",
        "The seed article's first three sentences:",
        "",
        *seeds,
        "sacrebleu signatures: " + "; ".join(f"`{s}`" for s in sorted(signatures)),
    ])
    publish("model-quality", report, args.write)


if __name__ == "__main__":
    main()
