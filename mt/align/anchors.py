"""Exact anchors between an Arabic and an English sentence: numbers, Latin strings, punctuation.

An anchor is a link no statistical model needs to guess: the same number
(``٧ آلاف`` = ``7,000``, ``87,29%`` = ``87.29%``), the same Latin string
(``DVD`` in the Arabic), the same punctuation mark (``؟`` = ``?``). Equal
items are paired in order, nearest relative position first, so repeated
numbers or marks pair up monotonically.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from mt.arabic import LATIN_LETTER_RE
from mt.numbers import find_arabic_numbers, find_english_numbers
from mt.types import Span

ANCHOR_SCORE = 1.0
_PUNCTUATION = {"،": ",", "؛": ";", "؟": "?", "٪": "%", "«": '"', "»": '"', "“": '"', "”": '"',
                "‘": "'", "’": "'", "٫": ".", "…": "...", "–": "-", "—": "-"}


def _pair_in_order(left: Sequence[tuple[Hashable, float]], right: Sequence[tuple[Hashable, float]]
                   ) -> list[tuple[int, int]]:
    """Indices of equal keys paired one to one, closest relative positions first."""
    candidates = sorted(
        (abs(lp - rp), i, j)
        for i, (lk, lp) in enumerate(left) for j, (rk, rp) in enumerate(right) if lk == rk
    )
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_left and j not in used_right:
            used_left.add(i)
            used_right.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def _words_in(words: Sequence[Span], span: Span) -> list[int]:
    return [i for i, w in enumerate(words) if w.start < span.end and span.start < w.end]


def _relative(span: Span, whole: Span) -> float:
    return (span.start - whole.start) / max(1, len(whole))


def number_anchors(source: str, target: str, source_words: Sequence[Span],
                   target_words: Sequence[Span], source_span: Span, target_span: Span
                   ) -> list[tuple[int, int]]:
    """Word index pairs of numbers of equal value (and equal percent-ness)."""
    ar = [n for n in find_arabic_numbers(source_span.slice(source))]
    en = [n for n in find_english_numbers(target_span.slice(target))]
    left = [((n.value, n.percent), _relative(n.span, Span(0, len(source_span)))) for n in ar]
    right = [((n.value, n.percent), _relative(n.span, Span(0, len(target_span)))) for n in en]
    links: list[tuple[int, int]] = []
    for i, j in _pair_in_order(left, right):
        a_words = _words_in(source_words, ar[i].span.shift(source_span.start))
        e_words = _words_in(target_words, en[j].span.shift(target_span.start))
        if len(a_words) == len(e_words):  # سبعة آلاف / seven thousand: word by word
            links.extend(zip(a_words, e_words, strict=True))
        else:
            links.extend((a, e) for a in a_words for e in e_words)
    return links


def _keyed(text: str, words: Sequence[Span], whole: Span,
           key: Callable[[str], str | None]) -> list[tuple[int, tuple[Hashable, float]]]:
    keyed: list[tuple[int, tuple[Hashable, float]]] = []
    for index, word in enumerate(words):
        value = key(word.slice(text))
        if value is not None:
            keyed.append((index, (value, _relative(word, whole))))
    return keyed


def _latin_key(word: str) -> str | None:
    return word.lower() if LATIN_LETTER_RE.search(word) else None


def punctuation_key(word: str) -> str | None:
    """A punctuation mark in a form shared by both scripts (``،`` → ``,``), else None."""
    if any(char.isalnum() for char in word):
        return None
    return _PUNCTUATION.get(word, word)


def string_anchors(source: str, target: str, source_words: Sequence[Span],
                   target_words: Sequence[Span], source_span: Span, target_span: Span,
                   key: Callable[[str], str | None]) -> list[tuple[int, int]]:
    """Word index pairs whose ``key`` is equal (Latin strings, punctuation)."""
    left = _keyed(source, source_words, source_span, key)
    right = _keyed(target, target_words, target_span, key)
    return [(left[i][0], right[j][0])
            for i, j in _pair_in_order([k for _, k in left], [k for _, k in right])]


def find_anchors(source: str, target: str, source_words: Sequence[Span],
                 target_words: Sequence[Span], source_span: Span | None = None,
                 target_span: Span | None = None) -> set[tuple[int, int]]:
    """All exact anchors of a sentence pair as (source word, target word) index pairs."""
    source_span = source_span or Span(0, len(source))
    target_span = target_span or Span(0, len(target))
    anchors = set(number_anchors(source, target, source_words, target_words, source_span,
                                 target_span))
    for key in (_latin_key, punctuation_key):
        anchors.update(string_anchors(source, target, source_words, target_words,
                                      source_span, target_span, key))
    return anchors
