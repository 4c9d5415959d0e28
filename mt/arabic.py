"""Facts about Arabic script that several modules share.

Only character classes and copy-normalisation live here; nothing in this
module rewrites text that spans point into.
"""

from __future__ import annotations

import re

# Harakat, Quranic marks, superscript alef and tatweel: dropped from model input only.
_DIACRITICS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
DIACRITICS_RE = re.compile(f"[{_DIACRITICS}]")
# Presentation forms included: NFKC (sentencepiece's normaliser) turns ﷺ into four Arabic words.
ARABIC_LETTER_RE = re.compile(
    r"[\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06fa-\u06ff\u0750-\u077f"
    r"\ufb50-\ufdfb\ufe70-\ufefc]"
)
LATIN_LETTER_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")

ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
EXTENDED_INDIC_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_DIGIT_TABLE = str.maketrans(
    ARABIC_INDIC_DIGITS + EXTENDED_INDIC_DIGITS, "0123456789" * 2
)
ARABIC_DECIMAL_SEPARATOR = "٫"
ARABIC_THOUSANDS_SEPARATOR = "٬"


def to_western_digits(text: str) -> str:
    """Arabic-Indic and extended Arabic-Indic digits as ASCII digits, same length."""
    return text.translate(_DIGIT_TABLE)


def strip_diacritics(text: str) -> str:
    """A copy of ``text`` without harakat and tatweel (for model input, not for spans)."""
    return DIACRITICS_RE.sub("", text)


def has_arabic(text: str) -> bool:
    return ARABIC_LETTER_RE.search(text) is not None


def arabic_ratio(text: str) -> float:
    """Share of letters that are Arabic (0.0 when there are no letters)."""
    arabic = len(ARABIC_LETTER_RE.findall(text))
    latin = len(LATIN_LETTER_RE.findall(text))
    total = arabic + latin
    return arabic / total if total else 0.0


def strip_diacritics_mapped(text: str) -> tuple[str, list[int]]:
    """``strip_diacritics(text)`` and, for each kept character, its index in ``text``.

    The map has one extra entry, ``len(text)``, so a half-open span of the copy
    maps back as ``[index[start], index[end - 1] + 1)``.
    """
    kept = [i for i, char in enumerate(text) if not DIACRITICS_RE.match(char)]
    return "".join(text[i] for i in kept), [*kept, len(text)]


_ALEF_TABLE = str.maketrans("أإآٱٲٳٵ", "ا" * 7)
_WORD_CHARS_RE = re.compile(r"\w+")


def unify_alef(text: str) -> str:
    """Alef with hamza, madda or wasla as bare alef, same length (a copy for matching)."""
    return text.translate(_ALEF_TABLE)


def matching_key(text: str) -> str:
    """A copy of ``text`` under which near-duplicates compare equal (dedup, leakage).

    NFKC (presentation forms as letters), no harakat or tatweel, bare alef,
    Western digits, case-folded, punctuation dropped and spacing collapsed.
    Text with no word characters keeps its symbols, so ``→`` and ``←`` differ.
    """
    import unicodedata

    folded = to_western_digits(unify_alef(strip_diacritics(
        unicodedata.normalize("NFKC", text)))).casefold()
    return " ".join(_WORD_CHARS_RE.findall(folded)) or " ".join(folded.split())
