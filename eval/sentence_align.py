"""Sentence alignment: strict and lax F1 of `mt align` against published aligners.

Bilingual documents are built from a parallel TSV whose third column groups
lines into documents (FLORES-200 devtest: the source URL), or from runs of
consecutive lines (``--chunk N``, for dev sets without one). Each document is
corrupted deterministically: a few adjacent sentences are merged on one side
(the first one's full stop becomes a comma, so it stays one sentence: a 2:1 or
1:2 bead), and a few sentences are deleted on one side (a 1:0 or 0:1 bead).
Each sentence goes on its own line, as news paragraphs do.

Scores use vecalign's own scorer (``sentalign.score.score_multiple``: strict
F1, precision over all beads, recall over non-null ones), on the same
documents and the same sentence splits for every system:

- ``mt``: ``mt.align.document.align_sentences`` (USE vectors, length, anchors);
- ``sentalign``: vecalign's dynamic programme fed the same USE vectors;
- ``galechurch``: Gale-Church lengths only.

Usage: python eval/sentence_align.py [--data TSV] [--chunk N] [--long K] [--seed S]
"""

from __future__ import annotations

import argparse
import gzip
import random
import time
from collections import defaultdict
from pathlib import Path

from mt.align.document import align_sentences, load_encoder
from mt.segment import split_sentences

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
MERGE_RATE = 0.15  # share of adjacent sentence pairs merged on one side
DELETE_RATE = 0.06  # share of sentences deleted on one side
Bead = tuple[tuple[int, ...], tuple[int, ...]]


def read_documents(path: Path, chunk: int) -> list[list[tuple[str, str]]]:
    documents: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for number, line in enumerate(stream):
            fields = line.rstrip("\n").split("\t")
            key = fields[2] if chunk == 0 else str(number // chunk)
            documents[key].append((fields[0], fields[1]))
    return list(documents.values())


def _join(first: str, second: str, arabic: bool) -> str:
    return first.rstrip().rstrip(".!?؟").rstrip() + ("، " if arabic else "; ") + second.strip()


def corrupt(pairs: list[tuple[str, str]], rng: random.Random
            ) -> tuple[list[str], list[str], list[Bead]]:
    """Arabic units, English units, and the gold beads between them (unit indices)."""
    ar: list[str] = []
    en: list[str] = []
    gold: list[Bead] = []
    i = 0
    while i < len(pairs):
        if i + 1 < len(pairs) and rng.random() < MERGE_RATE:
            (a1, e1), (a2, e2) = pairs[i], pairs[i + 1]
            if rng.random() < 0.5:  # two Arabic sentences, one English
                gold.append(((len(ar), len(ar) + 1), (len(en),)))
                ar += [a1, a2]
                en.append(_join(e1, e2, arabic=False))
            else:
                gold.append(((len(ar),), (len(en), len(en) + 1)))
                ar.append(_join(a1, a2, arabic=True))
                en += [e1, e2]
            i += 2
            continue
        a, e = pairs[i]
        if rng.random() < DELETE_RATE:
            if rng.random() < 0.5:
                gold.append(((len(ar),), ()))
                ar.append(a)
            else:
                gold.append(((), (len(en),)))
                en.append(e)
        else:
            gold.append(((len(ar),), (len(en),)))
            ar.append(a)
            en.append(e)
        i += 1
    return ar, en, gold


def sentences(units: list[str], lang: str) -> tuple[list[str], list[int]]:
    """The document's sentences as `mt` splits it, and the unit each one comes from."""
    text = "\n".join(units)
    found = split_sentences(text, lang)
    return [s.span.slice(text) for s in found], [s.line for s in found]


def to_units(beads: list[tuple[list[int], list[int]]], ar_unit: list[int],
             en_unit: list[int]) -> list[Bead]:
    """Sentence beads as unit beads; beads sharing a unit (a unit split in two) are joined."""
    groups: list[tuple[set[int], set[int]]] = []
    for src, tgt in beads:
        a = {ar_unit[i] for i in src}
        e = {en_unit[j] for j in tgt}
        overlapping = [g for g in groups if g[0] & a or g[1] & e]
        for g in overlapping:
            a |= g[0]
            e |= g[1]
            groups.remove(g)
        groups.append((a, e))
    return [(tuple(sorted(a)), tuple(sorted(e))) for a, e in groups]


class _CachedEncoder:
    """The USE encoder with a cache, so every system pays for each text once."""

    def __init__(self) -> None:
        self.encoder = load_encoder()
        self.cache: dict[str, object] = {}
        self.seconds = 0.0

    def encode(self, texts):  # noqa: ANN001, ANN201
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            start = time.perf_counter()
            for text, vector in zip(missing, self.encoder.encode(missing), strict=True):
                self.cache[text] = vector
            self.seconds += time.perf_counter() - start
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 512))


def run_mt(ar: list[str], en: list[str], encoder: _CachedEncoder) -> list:
    return [(list(range(b.source_start, b.source_end)), list(range(b.target_start, b.target_end)))
            for b in align_sentences(ar, en, encoder)]


def run_sentalign(ar: list[str], en: list[str], encoder: _CachedEncoder) -> list:
    from sentalign import sentalign

    if not ar or not en:
        return [([i], []) for i in range(len(ar))] + [([], [j]) for j in range(len(en))]
    result = sentalign(ar, en, encoder, alignment_max_size=4)
    return [(a.src_indices, a.tgt_indices) for a in result.alignments]


def run_galechurch(ar: list[str], en: list[str], encoder: _CachedEncoder) -> list:
    import galechurch

    result = galechurch.align(ar, en)
    return [(list(range(b.source_start, b.source_end)), list(range(b.target_start, b.target_end)))
            for b in result.beads]


SYSTEMS = {"mt": ("mt align (USE + length + anchors)", run_mt),
           "sentalign": ("sentalign (vecalign DP, same USE vectors)", run_sentalign),
           "galechurch": ("galechurch (Gale-Church lengths)", run_galechurch)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(SHARED / "test" / "flores200_devtest.ar-en.tsv.gz"))
    parser.add_argument("--chunk", type=int, default=0,
                        help="documents of N consecutive lines instead of the third column")
    parser.add_argument("--long", type=int, default=1,
                        help="concatenate K consecutive documents into one (longer documents)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    args = parser.parse_args()
    from sentalign.score import score_multiple

    rng = random.Random(args.seed)
    documents = read_documents(Path(args.data), args.chunk)
    documents = [sum(documents[k:k + args.long], []) for k in range(0, len(documents), args.long)]
    encoder = _CachedEncoder()
    corpus = []
    for pairs in documents:
        ar_units, en_units, gold = corrupt(pairs, rng)
        ar, ar_unit = sentences(ar_units, "ar")
        en, en_unit = sentences(en_units, "en")
        corpus.append((ar, ar_unit, en, en_unit, gold))
    gold_beads = sum(len(c[4]) for c in corpus)
    kinds = defaultdict(int)
    for c in corpus:
        for a, e in c[4]:
            kinds[f"{len(a)}:{len(e)}"] += 1
    print(f"{len(corpus)} documents, {gold_beads} gold beads {dict(kinds)}, "
          f"{sum(len(c[0]) for c in corpus)} Arabic and {sum(len(c[2]) for c in corpus)} "
          "English sentences")
    print("| system | strict F1 | strict precision | strict recall | lax F1 | time |")
    for name in args.systems.split(","):
        label, system = SYSTEMS[name]
        start, encoding = time.perf_counter(), encoder.seconds
        tests, golds = [], []
        for ar, ar_unit, en, en_unit, gold in corpus:
            beads = system(ar, en, encoder)
            tests.append(to_units(beads, ar_unit, en_unit))
            golds.append(gold)
        seconds = time.perf_counter() - start - (encoder.seconds - encoding)
        score = score_multiple(gold_list=golds, test_list=tests)
        print(f"| {label} | {score['f1_strict']:.3f} | {score['precision_strict']:.3f} | "
              f"{score['recall_strict']:.3f} | {score['f1_lax']:.3f} | {seconds:.1f} s |")
    print(f"(times exclude USE encoding, done once and shared: {encoder.seconds:.1f} s)")


if __name__ == "__main__":
    main()
