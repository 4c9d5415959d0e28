"""The number checker of `mt check` on human translations: corruptions caught, false alarms.

For every pair of the dev and test sets (PUD dev, FLORES-200 devtest, Tatoeba
test), the clean pair is checked: a false alarm is a pair with a number
finding of status ``mismatch`` or ``missing`` (``mt check`` would exit 1 on
it for a number). Then, in every clean pair where an Arabic number was traced
``ok`` to an English number written with digits or words, one such English
number is corrupted (seeded: a digit changed, a digit dropped or added, two
digits swapped, a scale or number word changed) and the pair checked again:
caught when that Arabic number is now ``mismatch`` or ``missing``.

The baseline is the rule of the trace `mt` shipped before this work: an
Arabic number with no number of equal value and percent-ness in the
translation is flagged (it was marked ``unverified``; counted as a flag
here), on the same number parser.

Usage: python eval/number_check.py [--seed S] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import time
from itertools import pairwise
from pathlib import Path

from mt.align.document import trace_pairs
from mt.numbers import find_arabic_numbers, find_english_numbers
from mt.types import Span, TraceDocument

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SETS = {"pud (dev)": "dev/pud.ar-en.tsv.gz", "madar (dev)": "dev/madar_aralects_dev.ar-en.tsv.gz",
        "flores200 devtest": "test/flores200_devtest.ar-en.tsv.gz",
        "tatoeba v2021 (test)": "test/tatoeba_v2021.ar-en.tsv.gz"}
FAILING = ("mismatch", "missing")
CHUNK = 500  # pairs per word-alignment batch, as mt check
_WORD_SWAPS = {"one": "two", "two": "three", "three": "four", "four": "five", "five": "six",
               "six": "seven", "seven": "eight", "eight": "nine", "nine": "ten", "ten": "eleven",
               "eleven": "twelve", "twelve": "ten", "twenty": "thirty", "thirty": "forty",
               "forty": "fifty", "fifty": "sixty", "sixty": "seventy", "seventy": "eighty",
               "eighty": "ninety", "ninety": "twenty", "hundred": "thousand",
               "thousand": "million", "million": "billion", "billion": "million",
               "dozen": "hundred"}


def read(path: Path) -> list[tuple[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return [tuple(line.rstrip("\n").split("\t")[:2]) for line in stream]  # type: ignore[misc]


def corrupt(numeral: str, rng: random.Random) -> str | None:
    """A different rendering of ``numeral``: the kinds of slip a translation makes."""
    words = re.findall(r"[A-Za-z]+", numeral)
    swappable = [w for w in words if w.lower() in _WORD_SWAPS]
    digits = [i for i, c in enumerate(numeral) if c.isdigit()]
    if not digits and not swappable:
        return None
    if not digits:
        word = rng.choice(swappable)
        return numeral.replace(word, _WORD_SWAPS[word.lower()], 1)
    kinds = ["change", "add"] + (["drop"] if len(digits) > 1 else []) + (
        ["swap"] if any(numeral[a] != numeral[b] for a, b in pairwise(digits)
                        if b == a + 1) else []) + (["word"] if swappable else [])
    kind = rng.choice(kinds)
    if kind == "word":
        word = rng.choice(swappable)
        return numeral.replace(word, _WORD_SWAPS[word.lower()], 1)
    if kind == "change":
        i = rng.choice(digits)
        new = rng.choice([d for d in "0123456789" if d != numeral[i]
                          and not (i == digits[0] and d == "0" and len(digits) > 1)])
        return numeral[:i] + new + numeral[i + 1:]
    if kind == "add":
        i = digits[-1] + 1
        return numeral[:i] + "0" + numeral[i:]
    if kind == "drop":
        i = rng.choice(digits[1:])
        return numeral[:i] + numeral[i + 1:]
    pairs = [(a, b) for a, b in pairwise(digits) if b == a + 1 and numeral[a] != numeral[b]]
    a, b = rng.choice(pairs)
    return numeral[:a] + numeral[b] + numeral[a] + numeral[b + 1:]


def _corrupt_value(numeral: str, rng: random.Random) -> str | None:
    """A corruption that changes the value (1.5 → 1.50 is no corruption), or None."""
    values = {n.value for n in find_english_numbers(numeral)}
    for _ in range(10):
        wrong = corrupt(numeral, rng)
        if wrong is None:
            return None
        if {n.value for n in find_english_numbers(wrong)} != values:
            return wrong
    return None


def baseline_flags(ar: str, en: str) -> set[Span]:
    """Arabic numbers the shipped trace left unverified (no equal value in the English)."""
    english = find_english_numbers(en)
    flagged = set()
    for number in find_arabic_numbers(ar):
        if not any(c.value == number.value and c.percent == number.percent for c in english):
            flagged.add(number.span)
    return flagged


def number_flags(documents: list[TraceDocument]) -> list[tuple[set[Span], dict[Span, Span]]]:
    """Per pair: Arabic numbers that fail the check, and the ok ones with their counterpart."""
    flags = []
    for document in documents:
        numbers = [s for s in document.spans if s.kind == "number"]
        flags.append(({s.source for s in numbers if s.status in FAILING},
                      {s.source: s.target for s in numbers
                       if s.status == "ok" and s.target is not None}))
    return flags


def traced(pairs: list[tuple[str, str]]) -> list[TraceDocument]:
    """Trace documents of ``pairs``, word-aligned a chunk at a time as `mt check` does."""
    documents: list[TraceDocument] = []
    for start in range(0, len(pairs), CHUNK):
        documents.extend(trace_pairs(pairs[start:start + CHUNK]))
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit", type=int, default=0, help="pairs per set (0: all)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print("| set | pairs | pairs with an Arabic number | false alarms mt (all pairs / with "
          "numbers) | false alarms baseline | corrupted | caught mt | caught baseline |")
    totals = [0] * 7
    start = time.perf_counter()
    for name, relative in SETS.items():
        pairs = read(SHARED / relative)
        if args.limit:
            pairs = pairs[:args.limit]
        clean = number_flags(traced(pairs))
        with_numbers = sum(bool(find_arabic_numbers(ar)) for ar, _ in pairs)
        alarms = sum(bool(failing) for failing, _ in clean)
        base_alarms = sum(bool(baseline_flags(ar, en)) for ar, en in pairs)
        corrupted_pairs, sources = [], []
        for (ar, en), (failing, ok) in zip(pairs, clean, strict=True):
            if not ok or failing:
                continue
            source, target = rng.choice(sorted(ok.items()))
            wrong = _corrupt_value(target.slice(en), rng)
            if wrong is not None:
                corrupted_pairs.append((ar, en[:target.start] + wrong + en[target.end:]))
                sources.append(source)
        corrupted = len(corrupted_pairs)
        after = number_flags(traced(corrupted_pairs))
        caught = sum(source in failing for source, (failing, _) in zip(sources, after,
                                                                       strict=True))
        base_caught = sum(source in baseline_flags(ar, bad)
                          for source, (ar, bad) in zip(sources, corrupted_pairs, strict=True))
        counted = [len(pairs), with_numbers, alarms, base_alarms, corrupted, caught, base_caught]
        totals = [t + c for t, c in zip(totals, counted, strict=True)]
        _row(name, counted)
    _row("all", totals)
    print(f"({time.perf_counter() - start:.0f} s)")


def _row(name: str, c: list[int]) -> None:
    pairs, with_numbers, alarms, base_alarms, corrupted, caught, base_caught = c
    print(f"| {name} | {pairs} | {with_numbers} | {alarms} ({alarms / pairs:.1%} / "
          f"{alarms / max(with_numbers, 1):.1%}) | {base_alarms} ({base_alarms / pairs:.1%} / "
          f"{base_alarms / max(with_numbers, 1):.1%}) | {corrupted} | {caught} "
          f"({caught / max(corrupted, 1):.1%}) | {base_caught} "
          f"({base_caught / max(corrupted, 1):.1%}) |")


if __name__ == "__main__":
    main()
