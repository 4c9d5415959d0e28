"""Numbers in Arabic and English text: where they are and what they are worth.

Arabic digits may be Western or Arabic-Indic, with ``٫`` (decimal) and ``٬``
(thousands) or with ``.``/``,``; a comma followed by exactly three digits
groups thousands, any other comma is a decimal comma (``87,29%``). Digits may
carry a scale word (``7 آلاف`` = 7,000) and numbers may be written in words
(``سبعة آلاف``, ``مليون``), with a clitic (``بسبعة``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from mt.arabic import to_western_digits
from mt.types import Span

_DIGITS = r"[0-9٠-٩۰-۹]"
_NUMERAL = rf"{_DIGITS}+(?:[.,٫٬]{_DIGITS}+)*"
_PERCENT = r"\s?[%٪]|\s?(?:في\s?المائة|في\s?المئة|بالمائة|بالمئة)"

UNITS = {
    "صفر": 0, "واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2,
    "ثلاث": 3, "ثلاثة": 3, "أربع": 4, "أربعة": 4, "خمس": 5, "خمسة": 5, "ست": 6, "ستة": 6,
    "سبع": 7, "سبعة": 7, "ثماني": 8, "ثمانية": 8, "ثمان": 8, "تسع": 9, "تسعة": 9,
    "عشر": 10, "عشرة": 10,
}
TENS = {
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "أربعون": 40, "أربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
    "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
}
HUNDREDS = {
    "مائة": 100, "مئة": 100, "مائتان": 200, "مائتين": 200, "مئتان": 200, "مئتين": 200,
    **{f"{stem}{h}": n * 100 for stem, n in (("ثلاث", 3), ("أربع", 4), ("خمس", 5), ("ست", 6),
                                             ("سبع", 7), ("ثمان", 8), ("تسع", 9))
       for h in ("مائة", "مئة")},
}
SCALES = {
    "ألف": 10**3, "آلاف": 10**3, "ألفا": 10**3, "ألفاً": 10**3, "ألفان": 2 * 10**3,
    "ألفين": 2 * 10**3, "مليون": 10**6, "ملايين": 10**6, "مليونا": 10**6,
    "مليونان": 2 * 10**6, "مليونين": 2 * 10**6, "مليار": 10**9, "مليارات": 10**9,
    "بليون": 10**9, "مليارا": 10**9, "ملياران": 2 * 10**9, "مليارين": 2 * 10**9,
    "تريليون": 10**12,
}
_WORDS = {**UNITS, **TENS, **HUNDREDS}
_CLITICS = ("وب", "ول", "وك", "و", "ب", "ل", "ك", "ف")
_ARABIC_WORD_RE = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")
_DIGIT_NUMBER_RE = re.compile(
    rf"(?P<num>{_NUMERAL})(?P<pct>{_PERCENT})?"
    rf"(?:\s(?P<scale>{'|'.join(sorted(SCALES, key=len, reverse=True))})(?![\u0621-\u064a]))?"
)
ENGLISH_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_ENGLISH_NUMBER_RE = re.compile(
    rf"(?P<num>\d+(?:[.,]\d+)*)(?P<pct>\s?%|\s?percent|\s?per cent)?"
    rf"(?:\s(?P<scale>{'|'.join(ENGLISH_SCALES)}))?",
    re.IGNORECASE,
)
ENGLISH_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
}
_ENGLISH_WORD_RE = re.compile(
    rf"\b(?:a |one )?(?:{'|'.join(ENGLISH_WORDS)})(?:[ -](?:{'|'.join(ENGLISH_WORDS)}))*\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Number:
    """A number found in text: its span, its value, and whether it is a percentage."""

    span: Span
    value: float
    percent: bool = False


def parse_numeral(numeral: str) -> float:
    """The value of a digit string with separators: ``7,000`` 7000, ``87,29`` 87.29."""
    text = to_western_digits(numeral).replace("٬", ",").replace("٫", ".")
    if "." in text and "," in text:  # 1,234.5 or 1.234,5: the last mark is the decimal one
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        group = "," if decimal == "." else "."
        text = text.replace(group, "").replace(decimal, ".")
    elif "," in text:
        groups = text.split(",")
        text = "".join(groups) if all(len(g) == 3 for g in groups[1:]) else text.replace(",", ".")
    elif text.count(".") > 1:  # 1.234.567
        text = text.replace(".", "")
    return float(text)


def _strip_clitic(word: str) -> tuple[str, int]:
    """The number word inside ``word`` and the length of the clitic before it."""
    if word in _WORDS or word in SCALES:
        return word, 0
    for clitic in _CLITICS:
        if word.startswith(clitic) and (word[len(clitic):] in _WORDS
                                        or word[len(clitic):] in SCALES):
            return word[len(clitic):], len(clitic)
    if word.startswith("ال") and word[2:] in _WORDS:
        return word[2:], 2
    return word, -1


def _arabic_word_numbers(text: str, taken: list[Span]) -> Iterator[Number]:
    """Numbers written in Arabic words: ``سبعة آلاف``, ``خمسة وعشرون``, ``مليون``."""
    words = list(_ARABIC_WORD_RE.finditer(text))
    i = 0
    while i < len(words):
        word, skip = _strip_clitic(words[i].group())
        start_char = words[i].start() + max(skip, 0)
        if skip < 0 or any(s.start <= start_char < s.end for s in taken):
            i += 1
            continue
        total, current, j = 0, 0, i
        while j < len(words):
            token, cut = _strip_clitic(words[j].group()) if j == i else (words[j].group(), 0)
            if j > i and token.startswith("و") and token[1:] in _WORDS:
                token = token[1:]
            if j > i and text[words[j - 1].end():words[j].start()].strip():
                break
            if token in SCALES:
                total += max(current, 1) * SCALES[token]
                current = 0
            elif token in _WORDS:
                current += _WORDS[token]
            else:
                break
            j += 1
        if j > i:
            yield Number(Span(start_char, words[j - 1].end()), float(total + current))
        i = max(j, i + 1)


def find_arabic_numbers(text: str) -> list[Number]:
    """Every number in Arabic ``text``, digits first, then number words, by position."""
    found = []
    for match in _DIGIT_NUMBER_RE.finditer(text):
        value = parse_numeral(match.group("num"))
        if match.group("scale"):
            value *= SCALES[match.group("scale")]
        found.append(Number(Span(match.start(), match.end()), value, bool(match.group("pct"))))
    taken = [n.span for n in found]
    found.extend(_arabic_word_numbers(text, taken))
    return sorted(found, key=lambda n: n.span.start)


def find_english_numbers(text: str) -> list[Number]:
    """Every number in English ``text``: digits with scales and percentages, number words."""
    found = []
    for match in _ENGLISH_NUMBER_RE.finditer(text):
        value = parse_numeral(match.group("num"))
        if match.group("scale"):
            value *= ENGLISH_SCALES[match.group("scale").lower()]
        found.append(Number(Span(match.start(), match.end()), value, bool(match.group("pct"))))
    for match in _ENGLISH_WORD_RE.finditer(text):
        if any(n.span.start <= match.start() < n.span.end for n in found):
            continue
        total, current = 0, 0
        for token in re.split(r"[ -]", match.group().lower()):
            if token == "a":
                current = 1
                continue
            value = ENGLISH_WORDS[token]
            if value >= 1000:
                total += max(current, 1) * value
                current = 0
            elif value == 100:
                current = max(current, 1) * 100
            else:
                current += value
        found.append(Number(Span(match.start(), match.end()), float(total + current)))
    return sorted(found, key=lambda n: n.span.start)
