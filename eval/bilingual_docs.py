"""Bilingual documents built the way real translations differ from their source.

From parallel sentences grouped into documents (FLORES-200: devtest's third
column is the source URL; dev has none, so its consecutive sentences are taken
in order), documents of 5 to 60 sentences are laid out as lines (the units a
user gives ``mt align``) and corrupted, all from one seeded generator:

- merge: two sentences on one line on one side, both full stops kept
  (``"e1. e2."``), against two lines on the other (a 2:1 or 1:2 bead);
- split: one sentence cut in two at a comma or a conjunction near its middle
  (a full stop put there and the next word capitalised), the halves on two lines
  against one (1:2 or 2:1);
- delete: a sentence with no counterpart on the other side (1:0 or 0:1);
- paragraph: 2 to 4 sentences on one line, on both sides alike (a 1:1 bead of
  paragraphs) or on one side only against one line a sentence (1:n or n:1).

The gold beads are over lines, which is what a system is scored on.
"""

from __future__ import annotations

import gzip
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

Pair = tuple[str, str]
Bead = tuple[tuple[int, ...], tuple[int, ...]]

RATES = {  # share of positions where each change starts
    "merge_en": 0.07, "merge_ar": 0.07, "split_en": 0.035, "split_ar": 0.035,
    "delete_ar": 0.03, "delete_en": 0.03, "paragraph": 0.08, "paragraph_one_side": 0.04,
}
MIN_SENTENCES, MAX_SENTENCES = 5, 60
_EN_SPLIT_RE = re.compile(r", (?:and |but |while |which |as )?| and | but |; ")
_AR_SPLIT_RE = re.compile(r"[،؛] ?| (?=و[^\s]{2,})")


@dataclass(frozen=True)
class Document:
    """A corrupted document: its lines on each side and the gold beads between them."""

    ar: list[str]
    en: list[str]
    gold: list[Bead]
    kinds: list[str]  # what made each gold bead ("1:1", "merge_en", "paragraph"...)


def read_sentence_groups(path: Path) -> list[list[Pair]]:
    """Consecutive pairs grouped by the third column where there is one, else one group."""
    groups: dict[str, list[Pair]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            fields = line.rstrip("\n").split("\t")
            groups[fields[2] if len(fields) > 2 else ""].append((fields[0], fields[1]))
    return list(groups.values())


def documents_of(groups: Sequence[list[Pair]], rng: random.Random) -> list[list[Pair]]:
    """Groups cut or joined, in order, into documents of 5 to 60 sentences each.

    A source document is not cut unless it alone is longer than the length drawn.
    """
    pairs = [(pair, number) for number, group in enumerate(groups) for pair in group]
    documents: list[list[Pair]] = []
    current: list[Pair] = []
    target = rng.randint(MIN_SENTENCES, MAX_SENTENCES)
    for index, (pair, group) in enumerate(pairs):
        current.append(pair)
        group_ends = index + 1 == len(pairs) or pairs[index + 1][1] != group
        if len(current) >= MAX_SENTENCES or (len(current) >= target and group_ends):
            documents.append(current)
            current, target = [], rng.randint(MIN_SENTENCES, MAX_SENTENCES)
    if len(current) >= MIN_SENTENCES or not documents:
        documents.append(current)
    elif current:
        documents[-1].extend(current)
    return documents


def _split_point(text: str, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """The separator nearest the middle that leaves at least four words each side."""
    middle = len(text) / 2
    best = None
    for match in pattern.finditer(text):
        before, after = text[:match.start()], text[match.end():]
        if len(before.split()) >= 4 and len(after.split()) >= 4 and (
                best is None or abs(match.start() - middle) < abs(best.start() - middle)):
            best = match
    return best


def split_sentence(text: str, arabic: bool) -> tuple[str, str] | None:
    """One sentence as two, a full stop where a comma or conjunction was (None: no place)."""
    match = _split_point(text, _AR_SPLIT_RE if arabic else _EN_SPLIT_RE)
    if match is None:
        return None
    first = text[:match.start()].rstrip(" ،,;؛") + "."
    second = text[match.end():].strip()
    if not arabic:
        second = second[:1].upper() + second[1:]
    return first, second


def _join(sentences: Sequence[str]) -> str:
    return " ".join(s.strip() for s in sentences)


def corrupt(pairs: Sequence[Pair], rng: random.Random, rates: dict[str, float] = RATES
            ) -> Document:
    """Lines on both sides and the gold beads over them."""
    ar: list[str] = []
    en: list[str] = []
    gold: list[Bead] = []
    kinds: list[str] = []

    def add(ar_lines: list[str], en_lines: list[str], kind: str) -> None:
        gold.append((tuple(range(len(ar), len(ar) + len(ar_lines))),
                     tuple(range(len(en), len(en) + len(en_lines)))))
        kinds.append(kind)
        ar.extend(ar_lines)
        en.extend(en_lines)

    i = 0
    while i < len(pairs):
        draw, kind = rng.random(), "1:1"
        for name, rate in rates.items():
            if draw < rate:
                kind = name
                break
            draw -= rate
        a, e = pairs[i]
        size = rng.randint(2, 4)
        if kind in ("merge_en", "merge_ar") and i + 1 < len(pairs):
            (a2, e2) = pairs[i + 1]
            if kind == "merge_en":
                add([a, a2], [_join([e, e2])], kind)
            else:
                add([_join([a, a2])], [e, e2], kind)
            i += 2
        elif kind in ("split_en", "split_ar") and (halves := split_sentence(
                e if kind == "split_en" else a, arabic=kind == "split_ar")):
            add([a], list(halves), kind) if kind == "split_en" else add(list(halves), [e], kind)
            i += 1
        elif kind == "delete_ar":
            add([a], [], kind)
            i += 1
        elif kind == "delete_en":
            add([], [e], kind)
            i += 1
        elif kind.startswith("paragraph") and i + size <= len(pairs):
            group = pairs[i:i + size]
            ar_para, en_para = _join([p[0] for p in group]), _join([p[1] for p in group])
            if kind == "paragraph":
                add([ar_para], [en_para], kind)
            elif rng.random() < 0.5:
                add([ar_para], [p[1] for p in group], kind)
            else:
                add([p[0] for p in group], [en_para], kind)
            i += size
        else:
            add([a], [e], "1:1")
            i += 1
    return Document(ar, en, gold, kinds)


def build(path: Path, seed: int) -> list[Document]:
    """The corrupted documents of one TSV, reproducible from ``seed``."""
    rng = random.Random(seed)
    return [corrupt(pairs, rng) for pairs in documents_of(read_sentence_groups(path), rng)]
