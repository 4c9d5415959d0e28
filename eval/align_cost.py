"""What tracing and alignment add to translation time, on FLORES-200 devtest documents.

Each document (sentences grouped by URL, one paragraph per sentence) is
translated with ``mt translate``'s document call, then, timed apart:

- ``trace``: ``detect_spans`` as ``mt translate --format json`` runs it
  (already inside the translation time; shown on its own);
- ``align``: ``mt align`` of the Arabic with an English translation: sentence
  alignment (USE), word alignment (the project's aligner when built, else
  anchors) and tracing. It runs on the human translation, so that its cost is
  that of real English of real length whatever the model;
- ``check``: ``mt check``'s findings on that alignment, with the sentence
  encoder (what ``--format html`` adds).

Translation is timed with two models, on the same documents in one run:

- the embedded model (``models/ar-en-small``, what ``mt translate`` uses
  without a pulled one);
- a stand-in of opus-mt-ar-en's exact architecture and vocabulary
  (``../shared/models``, random weights: per token it costs what the real
  model costs, the words are noise). Its end-of-sentence bias is calibrated
  by bisection on the warm-up document so that its output is about as long
  as the reference (a random model's length is set by that bias alone).

The warm-up document is dev data (the first ``WARM_SENTENCES`` pairs of UD
PUD dev, eval/PROTOCOL.md): the bias is a choice, so it is not made on the
FLORES-200 devtest documents, which are only timed and reported.
``--model DIR`` times that model instead of both. The warm-up document is
translated first by each model.

Usage: python eval/align_cost.py [--model DIR] [--documents N] [--beam 4] [--write]
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "eval"))
from protocol import reporting  # noqa: E402

if TYPE_CHECKING:
    from mt.translate.translator import Translator

SHARED = REPO.parent / "shared"
STEPS = {"trace": "trace: `detect_spans` (inside `--format json`)",
         "align": "align: `mt align` (sentences, words, tracing)",
         "check": "check: findings with the encoder after `align` (`--format html`)"}
PUD = SHARED / "data" / "dev" / "pud.ar-en.tsv.gz"
WARM_SENTENCES = 5  # about a FLORES-200 document and a half: enough text to set a length


def warm_up_document() -> tuple[str, str]:
    """The first ``WARM_SENTENCES`` pairs of PUD dev as one document (Arabic, English)."""
    with gzip.open(PUD, "rt", encoding="utf-8") as stream:
        pairs = [line.rstrip("\n").split("\t")[:2] for line in islice(stream, WARM_SENTENCES)]
    return "\n".join(ar for ar, _ in pairs), "\n".join(en for _, en in pairs)


@reporting
def documents(limit: int) -> list[tuple[str, str]]:
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    path = SHARED / "data" / "test" / "flores200_devtest.ar-en.tsv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            ar, en, url = line.rstrip("\n").split("\t")[:3]
            grouped[url].append((ar, en))
    docs = list(grouped.values())[:limit]
    return [("\n".join(a for a, _ in d), "\n".join(e for _, e in d)) for d in docs]


def stand_in_model(directory: Path, eos_bias: float) -> Path:
    import shutil

    import torch
    from transformers import MarianConfig, MarianMTModel

    source = SHARED / "models" / "opus-mt-ar-en-tokenizer"
    config = MarianConfig.from_pretrained(source)
    torch.manual_seed(0)
    model = MarianMTModel(config)
    with torch.no_grad():
        model.final_logits_bias[0, config.eos_token_id] += eos_bias
    shutil.rmtree(directory, ignore_errors=True)
    model.save_pretrained(directory)
    for name in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json",
                 "special_tokens_map.json", "generation_config.json"):
        if (source / name).exists():
            shutil.copy(source / name, directory / name)
    return directory


def length_ratio(translator: Translator, ar: str, reference: str) -> float:
    return len(translator.translate_document(ar).target_text) / max(len(reference), 1)


def calibrated_stand_in(scratch: Path, warm: tuple[str, str], beam: int,
                        steps: int) -> tuple[Translator, float, float]:
    """The stand-in whose output on the warm-up document is closest to the reference's
    length, by bisection on the end-of-sentence bias (a larger bias, a shorter output)."""
    from mt.translate import load_translator

    low, high = 0.0, 4.0
    best: tuple[float, float, Translator] | None = None
    for step in range(steps):
        bias = (low + high) / 2
        translator = load_translator(str(stand_in_model(scratch / f"stand-in-{step}", bias)),
                                     beam_size=beam)
        ratio = length_ratio(translator, *warm)
        print(f"stand-in: end-of-sentence bias {bias:g}, length {ratio:.2f}", file=sys.stderr)
        if best is None or abs(ratio - 1) < abs(best[1] - 1):
            best = (bias, ratio, translator)
        low, high = (bias, high) if ratio > 1 else (low, bias)
    assert best is not None
    return best[2], best[0], best[1]


def main() -> None:
    from results import add_write_option, machine, publish, today

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="time this MarianMT directory only (default: the "
                                        "embedded model and the opus-mt-shaped stand-in)")
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--calibration-steps", type=int, default=5,
                        help="bisection steps for the stand-in's end-of-sentence bias")
    add_write_option(parser)
    args = parser.parse_args()

    from mt.align.document import align_documents
    from mt.check import check_document
    from mt.encoder import load_encoder
    from mt.paths import embedded_model
    from mt.trace import detect_spans
    from mt.translate import load_translator

    warm, docs = warm_up_document(), documents(args.documents)
    with tempfile.TemporaryDirectory() as scratch:
        # The stand-ins' conversions go to the scratch folder, not the user's cache.
        os.environ["XDG_CACHE_HOME"] = scratch
        translators: dict[str, Translator] = {}
        if args.model:
            translators[f"`{args.model}`"] = load_translator(args.model, beam_size=args.beam)
        else:
            embedded = embedded_model()
            translators["the embedded model (`models/ar-en-small`)"] = load_translator(
                str(embedded), beam_size=args.beam)
            stand_in, bias, ratio = calibrated_stand_in(Path(scratch), warm, args.beam,
                                                        args.calibration_steps)
            translators[f"opus-mt-ar-en stand-in (random weights, end-of-sentence bias "
                        f"{bias:g}: warm-up length {ratio:.2f})"] = stand_in
        encoder = load_encoder()
        for translator in translators.values():
            translator.translate_document(warm[0])
        align_documents(*warm, encoder)
        translate_seconds: dict[str, float] = defaultdict(float)
        lengths: dict[str, list[float]] = defaultdict(list)
        times: dict[str, float] = defaultdict(float)
        for ar, reference in docs:
            outputs = {}
            for name, translator in translators.items():
                start = time.perf_counter()
                outputs[name] = translator.translate_document(ar)
                translate_seconds[name] += time.perf_counter() - start
                lengths[name].append(len(outputs[name].target_text) / max(len(reference), 1))
            document = next(iter(outputs.values()))
            start = time.perf_counter()
            detect_spans(ar, document.target_text, document.segments, document.links)
            times["trace"] += time.perf_counter() - start
            start = time.perf_counter()
            aligned = align_documents(ar, reference, encoder)
            times["align"] += time.perf_counter() - start
            start = time.perf_counter()
            check_document(aligned, encoder)
            times["check"] += time.perf_counter() - start
    sentences = sum(ar.count("\n") + 1 for ar, _ in docs)
    names = list(translators)
    rows = ["| step | seconds | per sentence | "
            + " | ".join(f"share of translation by model {i + 1}" for i in range(len(names)))
            + " |", "|---" * (3 + len(names)) + "|"]
    for i, name in enumerate(names):
        seconds = translate_seconds[name]
        rows.append(f"| translate with model {i + 1} (`mt translate`) | {seconds:.1f} | "
                    f"{seconds / sentences * 1000:.0f} ms | "
                    + " | ".join("100.0%" if j == i else "" for j in range(len(names))) + " |")
    for step, label in STEPS.items():
        rows.append(f"| {label} | {times[step]:.1f} | {times[step] / sentences * 1000:.0f} ms | "
                    + " | ".join(f"{times[step] / translate_seconds[n]:.1%}" for n in names)
                    + " |")
    models = "; ".join(
        f"model {i + 1}: {name}, output/reference length {statistics.mean(lengths[name]):.2f}, "
        f"`{translators[name].signature}`" for i, name in enumerate(names))
    section = "\n".join([
        "## What alignment and tracing cost next to translation", "",
        f"FLORES-200 devtest (test, reported only), {len(docs)} documents ({sentences} "
        f"sentences) after one warm-up document of {WARM_SENTENCES} UD PUD dev sentences, on "
        f"which the stand-in's end-of-sentence bias is calibrated (dev); translation by "
        f"`Translator.translate_document`, beam {args.beam}. "
        f"{models}. Alignment: `{aligned.signature}`; `align` runs on the human translation; "
        f"`trace` is timed on model 1's output.", "", *rows, "",
        f"- Command: `python eval/align_cost.py {' '.join(sys.argv[1:])}`; machine: "
        f"{machine()}; date: {today()}."])
    publish("align-cost", section, args.write)


if __name__ == "__main__":
    main()
