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

The model is ``--model``; without one the script builds a stand-in of
opus-mt-ar-en's exact architecture and vocabulary (``../shared/models``,
random weights) whose end-of-sentence bias is set so that its outputs are
about as long as real translations: translation cost per token is that of the
real model, the words are noise. One warm-up document is translated first.

Usage: python eval/align_cost.py [--model DIR] [--documents N] [--beam 4] [--write]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "eval"))
SHARED = REPO.parent / "shared"
STEPS = {"translate": "translate (`mt translate`)",
         "trace": "trace: `detect_spans` (inside `--format json`)",
         "align": "align: `mt align` (sentences, words, tracing)",
         "check": "check: findings with the encoder after `align` (`--format html`)"}


def documents(limit: int) -> list[tuple[str, str]]:
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    path = SHARED / "data" / "test" / "flores200_devtest.ar-en.tsv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            ar, en, url = line.rstrip("\n").split("\t")[:3]
            grouped[url].append((ar, en))
    docs = list(grouped.values())[:limit + 1]
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
    model.save_pretrained(directory)
    for name in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json",
                 "special_tokens_map.json", "generation_config.json"):
        if (source / name).exists():
            shutil.copy(source / name, directory / name)
    return directory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="MarianMT directory (default: opus-mt-shaped stand-in)")
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--eos-bias", type=float, default=7.0,
                        help="stand-in only: end-of-sentence logit bias (output length)")
    parser.add_argument("--write", action="store_true", help="write eval/RESULTS.md")
    args = parser.parse_args()

    from mt.align.document import align_documents
    from mt.check import check_document
    from mt.encoder import load_encoder
    from mt.trace import detect_spans
    from mt.translate import load_translator

    with tempfile.TemporaryDirectory() as scratch:
        model = args.model or str(stand_in_model(Path(scratch), args.eos_bias))
        translator = load_translator(model, beam_size=args.beam)
        encoder = load_encoder()
        warm, *docs = documents(args.documents)
        translator.translate_document(warm[0])
        align_documents(*warm, encoder)
        times: dict[str, float] = defaultdict(float)
        lengths = []
        for ar, reference in docs:
            start = time.perf_counter()
            document = translator.translate_document(ar)
            times["translate"] += time.perf_counter() - start
            lengths.append(len(document.target_text) / max(len(reference), 1))
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
    from results import machine, today

    model_name = args.model or (f"a stand-in of opus-mt-ar-en's architecture and vocabulary "
                                f"(random weights, end-of-sentence bias {args.eos_bias:g})")
    rows = ["| step | seconds | per sentence | share of translation time |", "|---|---|---|---|"]
    for step, label in STEPS.items():
        rows.append(f"| {label} | {times[step]:.1f} | {times[step] / sentences * 1000:.0f} ms | "
                    f"{times[step] / times['translate']:.1%} |")
    section = "\n".join([
        "## What alignment and tracing cost next to translation", "",
        f"FLORES-200 devtest, {len(docs)} documents ({sentences} sentences) after one warm-up "
        f"document; translation by `Translator.translate_document`, beam {args.beam}, model: "
        f"{model_name}; output/reference length {statistics.mean(lengths):.2f}. Translator: "
        f"`{translator.signature}`; alignment: `{aligned.signature}`. `align` runs on the "
        "human translation.", "", *rows, "",
        f"- Command: `python eval/align_cost.py {' '.join(sys.argv[1:])}`; machine: "
        f"{machine()}; date: {today()}."])
    print(section)
    if args.write:
        from results import write_section

        write_section("align-cost", section)


if __name__ == "__main__":
    main()
