"""Decoding settings tuned on dev, the stutter guard measured, the two backends compared.

    python eval/decoding.py --write                  # the embedded model, into RESULTS.md
    python eval/decoding.py --model DIR --limit 300  # a look: printed only

On UD PUD (dev; FLORES devtest is left for reporting), translated as users
get it (the translator's normalisation, CTranslate2 int8): BLEU and chrF over
a grid of beam sizes and length penalties with the guard on; at the default
setting, the guard off beside it with the share of outputs that stutter
(letters looping inside a word, or a word three times); and the share of
sentences on which CTranslate2 (float32) and transformers produce the same
pieces with the same settings.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import add_write_option, machine, publish, today  # noqa: E402

from mt.evaluate import testset_pairs, translate_and_score  # noqa: E402
from mt.models import model_hash, resolve_model  # noqa: E402
from mt.translate import Translator, load_translator  # noqa: E402
from mt.translate.backend import DecodeOptions, Hypothesis, TransformersBackend  # noqa: E402
from mt.translate.ct2 import CTranslate2Backend  # noqa: E402
from mt.translate.guard import text_stutters  # noqa: E402

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "dev" / "pud.ar-en.tsv.gz"
BEAMS = (4, 6)
LENGTH_PENALTIES = (0.8, 1.0, 1.2)


def decode_all(backend: CTranslate2Backend | TransformersBackend, sources: list[str],
               batch: int = 16) -> list[Hypothesis]:
    out: list[Hypothesis] = []
    for begin in range(0, len(sources), batch):
        out.extend(backend.translate_batch(sources[begin:begin + batch]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model directory (default: embedded)")
    parser.add_argument("--limit", type=int, default=1000, help="first N dev rows")
    parser.add_argument("--agreement", type=int, default=200,
                        help="sentences for the backend comparison")
    parser.add_argument("--threads", type=int, default=2)
    add_write_option(parser)
    args = parser.parse_args()
    model = resolve_model(args.model)
    pairs = testset_pairs(DEV, limit=args.limit)
    translator = load_translator(model, threads=args.threads, backend="ctranslate2",
                                 word_links="none")

    def run(options: DecodeOptions) -> tuple[float, float, float, float]:
        # One translator per option set, over the one loaded model.
        configured = Translator(translator.backend.configured(options=options),
                                translator.options)
        result = translate_and_score(configured, pairs)
        stuttering = sum(map(text_stutters, result.hypotheses)) / len(pairs)
        return (result.scores["bleu"].score, result.scores["chrf"].score, stuttering,
                result.seconds)

    grid = ["| beam | length penalty | BLEU | chrF | stuttering outputs | seconds |",
            "|---|---|---|---|---|---|"]
    best: tuple[float, DecodeOptions] | None = None
    for beam, penalty in itertools.product(BEAMS, LENGTH_PENALTIES):
        options = DecodeOptions(beam_size=beam, length_penalty=penalty)
        bleu, chrf, stuttering, seconds = run(options)
        grid.append(f"| {beam} | {penalty:g} | {bleu:.2f} | {chrf:.1f} | {stuttering:.1%} | "
                    f"{seconds:.0f} |")
        print(grid[-1], flush=True)
        if best is None or bleu > best[0]:
            best = (bleu, options)
    assert best is not None
    chosen = DecodeOptions()  # what users get; the grid says whether it should change
    guard = ["| guard | BLEU | chrF | stuttering outputs | seconds |", "|---|---|---|---|---|"]
    for options in (replace(chosen, guard=False), chosen):
        bleu, chrf, stuttering, seconds = run(options)
        guard.append(f"| {'on' if options.guard else 'off'} | {bleu:.2f} | {chrf:.1f} | "
                     f"{stuttering:.1%} | {seconds:.0f} |")
        print(guard[-1], flush=True)

    sample = [p[0] for p in pairs[:args.agreement]]
    fast = CTranslate2Backend(model, chosen, compute_type="float32", threads=args.threads)
    reference = TransformersBackend(model, chosen, threads=args.threads)
    same = sum(a.target_pieces == b.target_pieces
               for a, b in zip(decode_all(fast, sample), decode_all(reference, sample),
                               strict=True))
    command = "python eval/decoding.py" + "".join(
        f" {flag} {value}" for flag, value in (("--model", args.model), ("--limit", args.limit))
        if value) + " --write"
    report = "\n".join([
        "## Decoding: beam and length penalty tuned on dev, the stutter guard, backend agreement",
        "",
        f"Command: `{command}`; machine: {machine()}; date: {today()}.",
        f"Model: `{model.name}@{model_hash(model.path)}`; dev set: UD PUD, first {len(pairs)} "
        "pairs; CTranslate2 int8.",
        "",
        *grid,
        "",
        f"Best by BLEU: beam {best[1].beam_size}, length penalty {best[1].length_penalty:g} "
        f"({best[0]:.2f}). The guard at the default setting (beam {chosen.beam_size}, "
        f"length penalty {chosen.length_penalty:g}):",
        "",
        *guard,
        "",
        f"Backend agreement (CTranslate2 float32 against transformers, same settings): "
        f"{same} of {len(sample)} sentences decode to identical pieces.",
    ])
    publish("decoding", report, args.write)


if __name__ == "__main__":
    main()
