"""The trace's word links, attention against the aligner, on gold word alignments; and their cost.

Quality: the gold English of each pair of ``../shared/data/wordalign/gold_dev.json``
is force-decoded through the model (default: the embedded model), so the links
are links of a real translation to its source; they are mapped onto words as
``mt translate`` maps them and scored like ``eval/word_alignment.py`` (the
set's convention: AER = 1 - F1 over (Arabic word, English word) pairs,
punctuation ignored). Alignment heads are chosen on the tuning half
(``eval/gold_split.py``); every figure of the table is on the reporting half.

- attention, CTranslate2 int8 (``mt translate``'s default backend), forced
  with the gold English as target prefix, from a conversion per candidate
  selection of heads (those CTranslate2 can return: one layer, its first N
  heads); the tuning table ranks them, ``mt.translate.links.ALIGNMENT_HEADS``
  is what ships;
- attention, transformers: every decoder layer and head, forced decoding;
- aligner: ``mt translate``'s default, the word aligner with the CTranslate2
  attention links as hints, one eflomal run over the half (as one document).

Cost: ``mt translate``'s document call on the seed article and on 200 FLORES
devtest sentences (one per line, ``--lines --format json``), with attention
links and with the aligner, and the aligner's own time inside it.

    .venv/bin/python eval/word_links.py [--write] [--model DIR] [--repeats 3]
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "eval"))

from gold_split import GOLD, read_halves  # noqa: E402
from protocol import reporting  # noqa: E402
from word_alignment import GoldPair, Score, content_pairs, parse_alignment_string, score  # noqa: E402

from mt.align.words import Hint, WordAligner, load_aligner  # noqa: E402
from mt.arabic import strip_diacritics_mapped  # noqa: E402
from mt.models import model_hash, resolve_model  # noqa: E402
from mt.translate.backend import Hypothesis  # noqa: E402
from mt.translate.links import ALIGNMENT_HEADS, AlignmentHeads  # noqa: E402
from mt.translate.translator import Translator  # noqa: E402
from mt.types import Span, WordLink  # noqa: E402

SEED = REPO / "seeds" / "000_e65b64538d617a2f.txt"
FLORES = REPO.parent / "shared" / "data" / "test" / "flores200_devtest.ar-en.tsv.gz"
SECTION = "word-links"
LinkTuple = tuple[Span, Span, float]


@dataclass(frozen=True)
class Forced:
    """One gold pair force-decoded: pieces and cross-attention ``[layer, head, target, source]``."""

    pair: GoldPair
    normalised: str
    index: list[int]
    source_pieces: list[str]
    target_pieces: list[str]
    attention: np.ndarray


def gold_pairs(rows: Sequence[dict]) -> list[GoldPair]:
    return [GoldPair(r["ar"], r["en"], content_pairs(parse_alignment_string(r["alignment_string"])))
            for r in rows]


def force_transformers(model_dir: str, pairs: Sequence[GoldPair]) -> list[Forced]:
    """Every layer's and head's cross-attention with the gold English as the decoder's input."""
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(model_dir)
    model = MarianMTModel.from_pretrained(model_dir, attn_implementation="eager").eval()
    forced = []
    for pair in pairs:
        normalised, index = strip_diacritics_mapped(pair.ar)
        batch = tokenizer(normalised, text_target=pair.en, return_tensors="pt")
        with torch.inference_mode():
            out = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                        labels=batch["labels"], output_attentions=True)
        source_pieces = tokenizer.tokenize(normalised)
        target_pieces = tokenizer.convert_ids_to_tokens(batch["labels"][0, :-1].tolist())
        attention = torch.stack(out.cross_attentions)[:, 0]  # [layer, head, target, source]
        forced.append(Forced(pair, normalised, index, source_pieces, target_pieces,
                             attention[:, :, :len(target_pieces), :len(source_pieces)].numpy()))
    return forced


def force_ctranslate2(model_dir: str, forced: Sequence[Forced], heads: AlignmentHeads,
                      scratch: Path, compute_type: str = "int8") -> list[np.ndarray]:
    """CTranslate2's attention for the same pieces (gold English as target prefix), from a
    conversion that returns ``heads`` (``mt``'s own converter)."""
    import ctranslate2

    from mt.translate.ct2 import converter
    from mt.translate.marian_start import pad_start_marian

    directory = scratch / f"a{heads.layer}h{heads.heads}"
    if not (directory / "model.bin").is_file():
        with pad_start_marian():  # as mt.translate.ct2.convert does
            converter(model_dir, heads).convert(str(directory), force=True)
    translator = ctranslate2.Translator(str(directory), compute_type=compute_type)
    results = translator.translate_batch(
        [f.source_pieces + ["</s>"] for f in forced], target_prefix=[f.target_pieces
                                                                    for f in forced],
        beam_size=1, return_attention=True, max_input_length=0,
        max_decoding_length=max(len(f.target_pieces) for f in forced) + 2)
    return [np.asarray(r.attention[0], dtype=np.float32)[:len(f.target_pieces),
                                                          :len(f.source_pieces)]
            for f, r in zip(forced, results, strict=True)]


def attention_links(item: Forced, attention: np.ndarray) -> list[LinkTuple]:
    """Word links from a ``[target, source]`` matrix exactly as ``mt translate`` makes them."""
    hypothesis = Hypothesis(item.pair.en, 0.0, item.source_pieces, item.target_pieces, attention)
    return list(Translator.to_translation(item.pair.ar, item.normalised, item.index,
                                          hypothesis).links)


def candidates(layers: int, count: int) -> list[AlignmentHeads]:
    """Every selection both backends can make: one layer (from the top), its first N heads."""
    return [AlignmentHeads(layer - layers, n % count) for layer in range(layers)
            for n in range(1, count + 1)]


def describe(heads: AlignmentHeads, layers: int) -> str:
    first = "all heads" if not heads.heads else f"first {heads.heads} head" + \
        ("s" if heads.heads > 1 else "")
    return f"layer {layers + heads.layer + 1} of {layers}, {first}"


def select(attention: np.ndarray, heads: AlignmentHeads) -> np.ndarray:
    """``AlignmentHeads.select`` on one pair's ``[layer, head, target, source]`` array."""
    import torch

    return heads.select([torch.from_numpy(layer[None]) for layer in attention])[0].numpy()


def scored(pairs: Sequence[GoldPair], links: Sequence[Sequence[LinkTuple]]) -> Score:
    return score(pairs, [[(s, t) for s, t, _ in row] for row in links])


def aligner_links(pairs: Sequence[GoldPair], hints: Sequence[Sequence[LinkTuple]] | None
                  ) -> list[list[LinkTuple]]:
    found = load_aligner().align_batch([(p.ar, p.en) for p in pairs], hints=hints)
    return [[(link.source, link.target, link.score) for link in row] for row in found]


@reporting
def reporting_pairs() -> list[GoldPair]:
    """The reporting half of gold_dev: every figure of the table, no choice."""
    return gold_pairs(read_halves(GOLD).reporting)


# --- cost ----------------------------------------------------------------------------------

class TimedAligner:
    """A word aligner that counts the seconds spent in it, handed to a ``Translator``."""

    def __init__(self, aligner: WordAligner) -> None:
        self.aligner = aligner
        self.seconds = 0.0

    @property
    def signature(self) -> str:
        return self.aligner.signature

    def align_batch(self, pairs: Sequence[tuple[str, str]],
                    spans: Sequence[tuple[Span | None, Span | None]] | None = None,
                    hints: Sequence[Iterable[Hint]] | None = None) -> list[list[WordLink]]:
        started = time.perf_counter()
        try:
            return self.aligner.align_batch(pairs, spans, hints)
        finally:
            self.seconds += time.perf_counter() - started


def timed_document(call: Callable[[str], object], text: str,
                   aligner: TimedAligner | None = None) -> tuple[float, float]:
    """Seconds of ``call(text)`` and of the aligner inside it."""
    before = aligner.seconds if aligner else 0.0
    started = time.perf_counter()
    call(text)
    return time.perf_counter() - started, (aligner.seconds - before) if aligner else 0.0


@reporting  # timing on test sentences; nothing is chosen by it
def cost_rows(model: str | None, repeats: int) -> list[tuple[str, float, float, float]]:
    """(input, seconds with attention links, seconds with the aligner, aligner seconds)."""
    from mt.translate import load_translator

    with gzip.open(FLORES, "rt", encoding="utf-8") as stream:
        flores = "\n".join(line.split("\t")[0] for line in islice(stream, 200))
    seed = SEED.read_text(encoding="utf-8")
    plain = load_translator(model, word_links="attention")
    loaded = load_translator(model, word_links="aligner")
    if not isinstance(loaded.aligner, WordAligner):
        raise SystemExit("models/align is missing: nothing to measure")
    timer = TimedAligner(loaded.aligner)  # the same translator, its aligner timed
    linked = Translator(loaded.backend, loaded.options, aligner=timer)
    linked.translate_document(seed)  # warm-up: CTranslate2 conversion, aligner tables
    rows = []
    for name, text, lines in ((f"seed article ({len(seed.split())} words)", seed, False),
                              ("200 FLORES devtest sentences, --lines", flores, True)):
        # Interleaved, best of each: the machine's load drifts between runs.
        plain_s, linked_s, aligner_s = float("inf"), float("inf"), 0.0
        for _ in range(repeats):
            plain_s = min(plain_s, timed_document(
                plain.translate_lines if lines else plain.translate_document, text)[0])
            total, inside = timed_document(
                linked.translate_lines if lines else linked.translate_document, text, timer)
            if total < linked_s:
                linked_s, aligner_s = total, inside
        rows.append((name, plain_s, linked_s, aligner_s))
    return rows


# --- report --------------------------------------------------------------------------------

def row(name: str, result: Score) -> str:
    return f"| {name} | {result.aer:.3f} | {result.precision:.3f} | {result.recall:.3f} |"


def main() -> int:
    from results import add_write_option, machine, publish, today

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(REPO / "models" / "ar-en-small"))
    parser.add_argument("--repeats", type=int, default=3, help="timings: best of this many")
    add_write_option(parser)
    args = parser.parse_args()
    tuning, reporting = gold_pairs(read_halves(GOLD).tuning), reporting_pairs()
    with tempfile.TemporaryDirectory(prefix="mt-word-links-") as folder:  # conversions
        scratch = Path(folder)
        forced_tuning = force_transformers(args.model, tuning)
        layers, count = forced_tuning[0].attention.shape[:2]
        tuned = {}
        for heads in candidates(layers, count):
            matrices = force_ctranslate2(args.model, forced_tuning, heads, scratch)
            tuned[heads] = scored(tuning, [attention_links(f, a)
                                           for f, a in zip(forced_tuning, matrices, strict=True)])
            print(f"tuning  {describe(heads, layers):30} AER {tuned[heads].aer:.4f}",
                  file=sys.stderr)
        best = min(tuned, key=lambda heads: tuned[heads].aer)
        mean_tuning = scored(tuning, [attention_links(f, f.attention.mean(axis=(0, 1)))
                                      for f in forced_tuning])

        forced = force_transformers(args.model, reporting)

        def ct2_links(heads: AlignmentHeads) -> list[list[LinkTuple]]:
            matrices = force_ctranslate2(args.model, forced, heads, scratch)
            return [attention_links(f, a) for f, a in zip(forced, matrices, strict=True)]

        shipped_links = ct2_links(ALIGNMENT_HEADS)
        first_head = AlignmentHeads(-1, 1)  # what CTranslate2 returns unless told otherwise
        mean_links = [attention_links(f, f.attention.mean(axis=(0, 1))) for f in forced]
        shipped_transformers = [attention_links(f, select(f.attention, ALIGNMENT_HEADS))
                                for f in forced]
        default_name = "**aligner with the attention as hints (`mt translate`'s default)**"
        results = {
            f"attention, CTranslate2, {describe(ALIGNMENT_HEADS, layers)} (shipped: "
            "`--word-links attention`)": scored(reporting, shipped_links),
            f"attention, CTranslate2, {describe(first_head, layers)} (its default, used before)":
                scored(reporting, ct2_links(first_head)),
            f"attention, transformers, {describe(ALIGNMENT_HEADS, layers)} (shipped)":
                scored(reporting, shipped_transformers),
            "attention, transformers, mean of all layers and heads (used before)":
                scored(reporting, mean_links),
            "aligner alone (no hints)": scored(reporting, aligner_links(reporting, None)),
            default_name: scored(reporting, aligner_links(reporting, shipped_links)),
        }
        for name, result in results.items():
            print(f"report  {name:60} AER {result.aer:.4f}", file=sys.stderr)
        default = results[default_name]
        best_attention = min((r for n, r in results.items() if n.startswith("attention")),
                             key=lambda r: r.aer)
    costs = cost_rows(args.model, args.repeats)

    tuning_rows = [row(describe(heads, layers), result) for heads, result in
                   sorted(tuned.items(), key=lambda item: item[1].aer)]
    tuning_rows.append(row("(transformers only: mean of all layers and heads)", mean_tuning))
    if best != ALIGNMENT_HEADS:
        print(f"note: the tuning half prefers {describe(best, layers)}; mt.translate.links "
              f"ships {describe(ALIGNMENT_HEADS, layers)}", file=sys.stderr)
    cost_lines = [f"| {name} | {plain:.2f} | {total:.2f} | {aligner:.2f} | {aligner / total:.1%} "
                  f"| {(total - plain) / total:.1%} |" for name, plain, total, aligner in costs]
    ref = resolve_model(args.model)
    section = "\n".join([
        "## Word links of a translation: attention against the aligner", "",
        f"Gold English force-decoded through `{ref.name}@{model_hash(ref.path)}`; aligner "
        f"`{load_aligner().signature}`; links mapped onto words "
        f"as `mt translate` maps them; AER = 1 - F1 (the set's convention, see the word "
        f"alignment section). Reporting half of `gold_dev` ({len(reporting)} pairs, "
        f"{default.gold} gold links; the split is `eval/gold_split.py`).", "",
        "| word links | AER | precision | recall |", "|---|---|---|---|",
        *[row(name, result) for name, result in results.items()], "",
        f"- Margin: the default link source (aligner with attention hints) has AER "
        f"{default.aer:.3f}, the best attention links {best_attention.aer:.3f}: "
        f"{best_attention.aer - default.aer:+.3f} in the default's favour.",
        f"- Alignment heads (`mt.translate.links.ALIGNMENT_HEADS`, in the trace signature as "
        f"`heads:{ALIGNMENT_HEADS.label}`): the best on the tuning half is "
        f"{describe(best, layers)}; shipped: {describe(ALIGNMENT_HEADS, layers)}. The "
        f"candidates are those CTranslate2 can return (one layer, its first N heads), each "
        f"measured through its own CTranslate2 int8 conversion ({len(tuning)} tuning pairs; "
        "best first):", "",
        "| attention heads (tuning half) | AER | precision | recall |", "|---|---|---|---|",
        *tuning_rows, "",
        "Cost inside `mt translate` (default backend, the two link sources timed in turn, "
        f"best of {args.repeats} each; aligner share: the aligner's own time over the whole "
        "call; difference: what the whole call took longer, over it, which also carries the "
        "machine's noise):", "",
        "| input | seconds, attention links | seconds, aligner links | of which aligner "
        "| aligner share | difference |", "|---|---|---|---|---|---|", *cost_lines, "",
        f"- Command: `python eval/word_links.py {' '.join(sys.argv[1:])}`; machine: "
        f"{machine()}, shared with other jobs; date: {today()}.",
    ])
    publish(SECTION, section, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
