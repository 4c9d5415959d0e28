"""Words as the statistical aligner sees them: normalised, clitics split off.

Links are always between whole words of ``mt.segment.split_words``; inside
the aligner an Arabic word may become several tokens (``وبالسيارات`` →
``و+ ب+ ال+ سيارات``) and an English contraction two (``don't`` → ``do n't``),
so that the model's counts are shared between forms of one stem. Each token
remembers the word it came from, and a link between tokens is a link between
their words.

The article is split off wherever it can be one; any other clitic only where
what remains is a word seen in the training corpus (``Segmenter.frequencies``)
more often than the whole form, so that ``كتاب`` (book) never becomes
``ك+ تاب``. Among the readings left, the one with the most tokens wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mt.arabic import (
    ARTICLE,
    CONJUNCTIONS,
    PREPOSITIONS,
    strip_diacritics,
    to_western_digits,
    unify_alef,
)
from mt.segment import split_words
from mt.types import Span

_YEH_TABLE = str.maketrans({"ى": "ي"})  # alef maqsura written as yeh
# Pronouns (object, possessive, or a perfect verb's subject), longest first; none follows
# the article.
SUFFIXES = ("هما", "كما", "هم", "هن", "ها", "كم", "كن", "تم", "وا", "نا", "ني", "ه", "ك", "ي",
            "ت")
FUTURE = "س"
# The person prefixes of an imperfect verb: I, you/she, we, he. Arabic drops the subject
# pronoun that English writes, so ا+ and ت+ are where "I" and "you" link.
PERSONS = ("ا", "ت", "ن", "ي")
# Words that begin with ال but carry no article.
NOT_ARTICLE = frozenset(
    "الذي التي الذين اللذان اللتان اللذين اللتين اللاتي اللواتي الله اللهم الي الا الان الف "
    "الفا الفين الم".split())
NEVER_SPLIT = frozenset({"هناك", "هنالك"})  # there: not هنا+ك (here + you)
MIN_STEM = 3  # after و ف ب ل, and before a suffix
MIN_STEM_AFTER_KAF = 4  # ك (like) is rare before short words: كانت is not ك+انت
MIN_STEM_AFTER_ARTICLE = 2


def normalise_arabic(word: str) -> str:
    """Harakat and tatweel dropped, alef and alef maqsura unified, Western digits, and any
    Latin letters lower-cased as on the English side."""
    return unify_alef(to_western_digits(strip_diacritics(word))).translate(_YEH_TABLE).lower()


def english_tokens(word: str) -> list[str]:
    """Lower-cased English word, a contraction or possessive split: ``I'm`` → ``i 'm``."""
    word = word.lower().replace("’", "'")
    if word.endswith("n't") and len(word) > 3:
        return [word[:-3], "n't"]
    head, mark, tail = word.rpartition("'")
    if mark and head and tail and tail in {"s", "m", "re", "ve", "ll", "d", "t"}:
        return [head, "'" + tail]
    return [word]


class Segmenter:
    """Splits Arabic clitics: ``و ف``, ``ب ل ك``, ``ال``, pronoun suffixes, and a verb's
    future ``س`` and person prefix (``احتاج`` → ``ا+ يحتاج``, its stem written as the
    third person so that every person shares it).

    ``frequencies`` counts normalised Arabic words of the training corpus;
    with ``suffixes`` False only proclitics are split.
    """

    def __init__(self, frequencies: Mapping[str, int], min_count: int = 5,
                 suffixes: bool = True) -> None:
        self.frequencies = frequencies
        self.min_count = min_count
        self.suffixes = suffixes
        self._cache: dict[str, tuple[str, ...]] = {}

    def _evidence(self, clitics: list[str], stem: str, suffix: str, whole: str) -> int:
        """How well the corpus supports a reading (0: not at all)."""
        count = self.frequencies.get
        if ARTICLE + "+" in clitics:  # the article is split wherever it can be one
            shortest = MIN_STEM if len(clitics) > 1 else MIN_STEM_AFTER_ARTICLE
            if len(stem) < shortest or ARTICLE + stem in NOT_ARTICLE:
                return 0
            return max(count(stem, 0), count(ARTICLE + stem, 0), 1)
        shortest = MIN_STEM_AFTER_KAF if clitics[-1:] == ["ك+"] and not suffix else MIN_STEM
        stem_count = count(stem, 0)
        if len(stem) < shortest or stem_count < self.min_count:
            return 0
        return stem_count if stem_count > count(whole, 0) else 0

    def _verb_evidence(self, person: str, stem: str) -> int:
        """Support for reading ``person + stem`` as an imperfect verb: its other persons."""
        count = self.frequencies.get
        if len(stem) < MIN_STEM or count(PERSONS[-1] + stem, 0) < self.min_count:
            return 0
        others = sum(count(p + stem, 0) for p in PERSONS if p != person)
        return others if others > count(person + stem, 0) else 0

    def segment(self, word: str) -> tuple[str, ...]:
        """Tokens of a normalised Arabic word: clitics as ``و+``/``+ك``, the stem bare."""
        cached = self._cache.get(word)
        if cached is None:
            cached = self._cache[word] = self._segment(word)
        return cached

    def _segment(self, word: str) -> tuple[str, ...]:
        if word in NEVER_SPLIT:
            return (word,)
        best: tuple[int, int, tuple[str, ...]] = (1, 0, (word,))
        for clitics, stem, suffix in _analyses(word, self.suffixes):
            if not clitics and not suffix:
                continue
            evidence = self._evidence(clitics, stem, suffix, word)
            tokens = (*clitics, stem, *(["+" + suffix] if suffix else []))
            if evidence and (len(tokens), evidence) > best[:2]:
                best = (len(tokens), evidence, tokens)
        for clitics, person, stem, suffix in _verb_analyses(word, self.suffixes):
            evidence = self._verb_evidence(person, stem)
            tokens = (*clitics, PERSONS[-1] + stem, *(["+" + suffix] if suffix else []))
            if evidence and (len(tokens), evidence) > best[:2]:
                best = (len(tokens), evidence, tokens)
        return best[2]


def _suffixes_of(word: str) -> list[str]:
    """The pronoun suffixes ``word`` may end in, leaving a stem long enough."""
    return [s for s in SUFFIXES if word.endswith(s) and len(word) - len(s) >= MIN_STEM
            and not (s == "ت" and word.endswith("ات"))]  # ات is a plural, not a subject


def _analyses(word: str, suffixes: bool) -> list[tuple[list[str], str, str]]:
    """Every (proclitics, stem, suffix) reading of ``word`` by form alone."""
    readings = []
    for conj in ("", *CONJUNCTIONS):
        for prep in ("", *PREPOSITIONS):
            for article in ("", ARTICLE):
                prefix = conj + prep + article
                if prep == "ل" and article:
                    prefix = conj + "لل"  # ل + ال is written لل
                if prefix and not word.startswith(prefix):
                    continue
                rest = word[len(prefix):]
                clitics = [c + "+" for c in (conj, prep, article) if c]
                readings.append((clitics, rest, ""))
                if suffixes and not article:
                    for suffix in _suffixes_of(rest):
                        stem = rest[:-len(suffix)]
                        if not stem.startswith(ARTICLE):
                            readings.append((clitics, stem, suffix))
                            if stem.endswith("ت"):  # a feminine ة is written ت before a suffix
                                readings.append((clitics, stem[:-1] + "ة", suffix))
    return readings


def _verb_analyses(word: str, suffixes: bool) -> list[tuple[list[str], str, str, str]]:
    """Every (clitics, person, stem, suffix) reading of ``word`` as an imperfect verb."""
    readings = []
    for conj in ("", *CONJUNCTIONS):
        for future in ("", FUTURE):
            prefix = conj + future
            if not word.startswith(prefix) or len(word) <= len(prefix) + 1:
                continue
            person, rest = word[len(prefix)], word[len(prefix) + 1:]
            if person not in PERSONS or (person == PERSONS[-1] and not prefix):
                continue
            clitics = [c + "+" for c in (conj, future) if c]
            if person != PERSONS[-1]:
                clitics.append(person + "+")
            readings.append((clitics, person, rest, ""))
            for suffix in _suffixes_of(rest) if suffixes else ():
                readings.append((clitics, person, rest[:-len(suffix)], suffix))
    return readings


@dataclass(frozen=True)
class Tokens:
    """The aligner's tokens of a text and, for each, the index of its word in ``words``."""

    words: tuple[Span, ...]
    tokens: tuple[str, ...]
    owners: tuple[int, ...]


def tokenize_arabic(text: str, span: Span | None = None,
                    segmenter: Segmenter | None = None) -> Tokens:
    words = tuple(split_words(text, span))
    tokens: list[str] = []
    owners: list[int] = []
    for index, word in enumerate(words):
        form = normalise_arabic(word.slice(text))
        pieces = segmenter.segment(form) if segmenter else [form]
        tokens.extend(pieces)
        owners.extend([index] * len(pieces))
    return Tokens(words, tuple(tokens), tuple(owners))


def tokenize_english(text: str, span: Span | None = None) -> Tokens:
    words = tuple(split_words(text, span))
    tokens: list[str] = []
    owners: list[int] = []
    for index, word in enumerate(words):
        pieces = english_tokens(word.slice(text))
        tokens.extend(pieces)
        owners.extend([index] * len(pieces))
    return Tokens(words, tuple(tokens), tuple(owners))
