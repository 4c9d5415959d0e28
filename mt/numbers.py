"""Numbers in Arabic and English text: where they are and what they are worth.

Arabic digits may be Western or Arabic-Indic, with ``٫`` (decimal) and ``٬``
(thousands) or with ``.``/``,``; a comma followed by exactly three digits
groups thousands, any other comma is a decimal comma (``87,29%``). A single
``.`` or ``,`` before exactly three digits is read both ways (``1.000`` is a
thousand in much Arabic typesetting), and either reading may match. Digits may
carry a scale word (``7 آلاف`` = 7,000) and numbers may be written in words
(``سبعة آلاف``, ``أحد عشر``, ``مليون ونصف``), with a clitic (``بسبعة``). A
plural scale with no count (``آلاف الأشخاص``, thousands of people) is not a
number, nor is ``الاثنين`` (Monday, or both).

Ordinals (``الأول``: 1, also the day of ``في الأول من أكتوبر``), decades and
centuries, fractions (``نصف``, ``ربع``), Hijri dates (``1445 هـ``) and
approximate quantities (``بضعة``, ``عشرات``) are found too, each with its
``kind``: they are weak evidence (a translation may leave them out or say
them otherwise), and an approximate quantity has no value to compare.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from mt.arabic import (
    ALEF_FORMS,
    ARABIC_LETTERS,
    ARABIC_WORD_RE,
    ARTICLE,
    ARTICLE_PREFIXES,
    PROCLITICS,
    strip_diacritics,
    to_western_digits,
    unify_alef,
)
from mt.dates import ARABIC_MONTHS
from mt.types import Span

_DIGITS = r"[0-9٠-٩۰-۹]"
# An Arabic comma between digits groups thousands (783،562) when three digits follow.
_NUMERAL = (rf"{_DIGITS}{{1,2}}:{_DIGITS}{{2}}(?!{_DIGITS})"
            rf"|{_DIGITS}+(?:[.,٫٬]{_DIGITS}+|،{_DIGITS}{{3}}(?!{_DIGITS}))*")
_PERCENT = r"\s?[%٪]|\s?(?:في\s?المائة|في\s?المئة|بالمائة|بالمئة)"

UNITS = {
    "صفر": 0, "واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2,
    "ثلاث": 3, "ثلاثة": 3, "أربع": 4, "أربعة": 4, "خمس": 5, "خمسة": 5, "ست": 6, "ستة": 6,
    "سبع": 7, "سبعة": 7, "ثماني": 8, "ثمانية": 8, "ثمان": 8, "تسع": 9, "تسعة": 9,
    "عشر": 10, "عشرة": 10,
    # Indefinite accusatives (أربعاً وعشرين); left out: سبعاً is also "a lion", الثلاثا
    # "Tuesday" without its hamza.
    "أربعا": 4, "خمسا": 5, "ثمانيا": 8, "تسعا": 9,
}
# Words that are a number only before عشر/عشرة: أحد عشر (11), اثنا عشر (12).
TEEN_UNITS = {"أحد": 1, "إحدى": 1, "احدى": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2,
              "اثنى": 2, "اثنتى": 2}  # اثنى: a common spelling
# Ordinals count only before عشر/عشرة (القرن السادس عشر, the 16th century): alone,
# الثاني is as often "the other" as "the second".
ORDINAL_UNITS = {
    **{w: n for n, forms in enumerate((("حادي", "حادية"), ("ثاني", "ثانية"), ("ثالث", "ثالثة"),
                                       ("رابع", "رابعة"), ("خامس", "خامسة"),
                                       ("سادس", "سادسة"), ("سابع", "سابعة"),
                                       ("ثامن", "ثامنة"), ("تاسع", "تاسعة")), start=1)
       for w in forms},
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
    "تريليون": 10**12, "ألفي": 2 * 10**3, "مليوني": 2 * 10**6, "ملياري": 2 * 10**9,
}
PLURAL_SCALES = frozenset({"آلاف", "ملايين", "مليارات"})  # need a count: سبعة آلاف
HALF = frozenset({"ونصف", "ونصفا"})  # مليون ونصف = 1.5 million
# Short forms that are also other words (لست "I am not", تسع "it holds"): bare only.
_BARE_ONLY = frozenset({"ست", "تسع", "سبع", "خمس", "عشر"})
_NOT_NUMBERS = frozenset({"الاثنين", "الإثنين", "والاثنين", "والإثنين"})  # Monday, both
def _bare(table: dict[str, int]) -> dict[str, int]:
    """The table keyed by bare-alef forms, as the words it is looked up with."""
    return {unify_alef(key): value for key, value in table.items()}


UNITS, TEEN_UNITS, ORDINAL_UNITS = _bare(UNITS), _bare(TEEN_UNITS), _bare(ORDINAL_UNITS)
TENS, HUNDREDS, SCALES = _bare(TENS), _bare(HUNDREDS), _bare(SCALES)
PLURAL_SCALES = frozenset(unify_alef(w) for w in PLURAL_SCALES)
_NOT_NUMBERS = frozenset(unify_alef(w) for w in _NOT_NUMBERS)
_WORDS = {**UNITS, **TENS, **HUNDREDS}
_SCALE_RE = "|".join(k.replace("ا", f"[ا{ALEF_FORMS}]")
                     for k in sorted(SCALES, key=len, reverse=True))
_DIGIT_NUMBER_RE = re.compile(
    rf"(?P<num>{_NUMERAL})(?P<pct>{_PERCENT})?(?:\s(?P<scale>{_SCALE_RE})(?![{ARABIC_LETTERS}]))?"
)
ENGLISH_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
# "bn" always means billion; "m" and "mn" only after a currency sign (£5m, not 5m tall).
_SUFFIX_SCALES = {"bn": 10**9, "m": 10**6, "mn": 10**6}
CURRENCY_SIGNS = frozenset("£$€¥")
_ENGLISH_NUMBER_RE = re.compile(
    r"(?P<num>\d{1,2}:\d{2}(?!\d)|\d+(?:[.,]\d+)*)(?P<pct>\s?%|\s?percent|\s?per cent)?"
    rf"(?:\s(?P<scale>{'|'.join(ENGLISH_SCALES)})\b|(?P<suffix>bn|mn?)\b)?",
    re.IGNORECASE,
)
ENGLISH_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
    "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12,
}
# Ordinals from 11th on are as clear as digits (the sixteenth century, her sixtieth year);
# first to ninth count only at the end of a compound (twenty-first).
ENGLISH_ORDINALS = {
    **{f"{stem}th": n for stem, n in (("eleven", 11), ("twelf", 12), ("thirteen", 13),
                                      ("fourteen", 14), ("fifteen", 15), ("sixteen", 16),
                                      ("seventeen", 17), ("eighteen", 18), ("nineteen", 19),
                                      ("hundred", 100), ("thousand", 1000),
                                      ("million", 10**6))},
    **{f"{stem}ieth": n for stem, n in (("twent", 20), ("thirt", 30), ("fort", 40),
                                        ("fift", 50), ("sixt", 60), ("sevent", 70),
                                        ("eight", 80), ("ninet", 90))},
}
ENGLISH_ORDINAL_UNITS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
                         "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9}
_ENGLISH_VALUES = {**ENGLISH_WORDS, **ENGLISH_ORDINALS, **ENGLISH_ORDINAL_UNITS}
_ENGLISH_SINGLE_RE = re.compile(
    rf"\b(?:{'|'.join(sorted(_ENGLISH_VALUES, key=len, reverse=True))})\b", re.IGNORECASE)
_ENGLISH_JOINER_RE = re.compile(r"(?:\s*-\s*|\s+|\s+and\s+)")
_ENGLISH_SCALE_WORDS = frozenset({"thousand", "million", "billion", "trillion"})
_ENGLISH_HALF_RE = re.compile(r"\s(?:and a half|and one half)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Number:
    """A number found in text: its span, its value, and whether it is a percentage.

    ``alternative`` is the other reading of an ambiguous numeral (``1.000``:
    1 or 1000); ``spelled`` is set for numbers written in words, which are
    often not quantities (``one of``) and so weaker evidence. ``kind`` says
    what else it may be: an ordinal (الأول, 1st), a decade (ثلاثينيات القرن
    العشرين, 1930), a century (القرن الحادي والعشرين, 21; alternative 2000), a
    fraction (نصف, 0.5), a Hijri date, an approximate quantity (بضعة, عشرات), or
    the label of a numbered paragraph (``6 - يقرر``), which translations often drop.
    """

    span: Span
    value: float
    percent: bool = False
    alternative: float | None = None
    spelled: bool = False
    kind: str = "cardinal"  # or one of WEAK_KINDS, "century" or "time" (6:30)

    def readings(self) -> set[float]:
        """Every value it may stand for: 15:00 is also 3 (p.m.)."""
        values = {self.value} if self.alternative is None else {self.value, self.alternative}
        if self.kind == "time" and 13 <= self.value < 24:
            values.add(round(self.value - 12, 2))
        return values

    def matches(self, other: Number) -> bool:
        """Whether the two may be the same quantity (any reading of either)."""
        return bool(self.readings() & other.readings())


def parse_numeral(numeral: str) -> float:
    """The value of a digit string with separators: ``7,000`` 7000, ``87,29`` 87.29."""
    text = to_western_digits(numeral).replace("٬", ",").replace("٫", ".").replace("،", ",")
    if "." in text and "," in text:  # 1,234.5 or 1.234,5: the last mark is the decimal one
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        group = "," if decimal == "." else "."
        whole, _, fraction = text.rpartition(decimal)
        text = whole.replace(group, "").replace(decimal, "") + "." + fraction
    elif "," in text:
        groups = text.split(",")
        if all(len(g) == 3 for g in groups[1:]):
            text = "".join(groups)
        else:
            text = "".join(groups[:-1]) + "." + groups[-1]
    elif text.count(".") > 1:  # 1.234.567
        text = text.replace(".", "")
    return float(text)


def _alternative(numeral: str, value: float) -> float | None:
    """The other reading of ``1.000`` or ``1,000`` (one separator, three digits after)."""
    text = to_western_digits(numeral)
    marks = [c for c in text if c in ".,"]
    if len(marks) != 1 or len(text.split(marks[0])[1]) != 3:
        return None
    whole, fraction = text.split(marks[0])
    other = float(whole + fraction) if marks[0] == "." else float(f"{whole}.{fraction}")
    return None if other == value else other


def _strip_clitic(word: str) -> tuple[str, int]:
    """The number word inside ``word`` and the length of the clitic before it (-1: none)."""
    if word in _NOT_NUMBERS:
        return word, -1
    if word in _WORDS or word in SCALES:
        return word, 0
    for clitic in PROCLITICS:
        rest = word[len(clitic):]
        if word.startswith(clitic) and rest not in _BARE_ONLY and (rest in _WORDS
                                                                    or rest in SCALES):
            return rest, len(clitic)
    rest = word.removeprefix(ARTICLE)
    if rest != word and rest in _WORDS and rest not in _BARE_ONLY:
        return rest, len(ARTICLE)
    return word, -1


def _first_word(word: str) -> tuple[str, int, float] | None:
    """How a number can start at ``word``: (token, clitic length, value of an ordinal teen)."""
    ordinal, skip = _strip_prefix(word, ORDINAL_UNITS)
    if ordinal in ORDINAL_UNITS:
        return ordinal, skip, ORDINAL_UNITS[ordinal]
    token, skip = _strip_clitic(word)
    return None if skip < 0 else (token, skip, 0.0)


def _part(token: str) -> str:
    """Which place of a compound a number word fills."""
    return ("scale" if token in SCALES else "hundred" if token in HUNDREDS
            else "ten" if token in TENS else "unit")


# What may follow و in a compound, by the part before it: Arabic says the scales
# first, then hundreds, then units before tens (ألف وخمسمائة وخمسة وعشرون: 1525).
# ثلاثة وستة (3 and 6) and عشرين وأربعة are two numbers, not one.
_AFTER_AND = {"scale": {"hundred", "ten", "unit", "teen"}, "hundred": {"ten", "unit", "teen"},
              "unit": {"ten"}, "ten": set(), "teen": set()}
# Percentages said in words after a spelled number: ثمانية عشر في المائة.
_WORD_PERCENT_RE = re.compile(r"\s+(?:في\s?ال(?:مائة|مئة)|بال(?:مائة|مئة))"
                              rf"(?![{ARABIC_LETTERS}])")


def _arabic_word_numbers(text: str, taken: list[Span]) -> Iterator[Number]:
    """Numbers written in Arabic words: ``سبعة آلاف``, ``خمسة وعشرون``, ``الخامس عشر``.

    After the first word, a number word must be joined by و (``ألف وخمسمائة``)
    unless it is a teen's عشر, a hundred after a unit or a scale after a count:
    ``ألف ست`` is "composed six", not 1006. و joins only what Arabic compounds
    join (``_AFTER_AND``), and a scale no smaller than one already said starts a
    new number: مليوني وثلاثة ملايين is 2 million and 3 million.
    """
    words = list(ARABIC_WORD_RE.finditer(text))
    # اربعة, الاف: hamza is often left out; harakat are not part of the word.
    plain = [unify_alef(strip_diacritics(w.group())) for w in words]
    i = 0
    while i < len(words):
        first = plain[i]
        following = plain[i + 1] if i + 1 < len(words) else ""
        teen_unit, teen_skip = _strip_prefix(first, TEEN_UNITS)
        if following in ("عشر", "عشرة") and teen_unit in TEEN_UNITS:  # الاثني عشر
            found: tuple[str, int, float] | None = (teen_unit, teen_skip,
                                                    float(TEEN_UNITS[teen_unit]))
        else:
            found = _first_word(first)
        if found is None:
            i += 1
            continue
        word, skip, ordinal = found
        start_char = words[i].start() + skip
        teen = ordinal and following in ("عشر", "عشرة")
        if (ordinal and not teen) or any(s.start <= start_char < s.end for s in taken) or (
                word in PLURAL_SCALES):
            i += 1
            continue
        if teen:  # الخامس عشر, أحد عشر: one number of two words
            current, total, j, last = ordinal + 10, 0.0, i + 2, "teen"
        else:
            current, total, j, last = 0.0, 0.0, i, ""
        smallest_scale, since_scale = math.inf, j
        while j < len(words):
            raw, width = plain[j], 1
            if j > i and text[words[j - 1].end():words[j].start()].strip():
                break
            if j > i and raw == "و" and j + 1 < len(words) and not text[
                    words[j].end():words[j + 1].start()].strip():
                raw, width = "و" + plain[j + 1], 2  # و عشرون: the conjunction written apart
            if j > i and raw.startswith("وال") and raw[3:] in _WORDS:
                raw = "و" + raw[3:]  # الخمسة والعشرون
            after = plain[j + width] if j + width < len(words) else ""
            if j > i and raw[:1] == "و" and raw[1:] in TEEN_UNITS and after in ("عشر", "عشرة"):
                if "teen" not in _AFTER_AND.get(last, set()):
                    break
                current, j, last = current + TEEN_UNITS[raw[1:]] + 10, j + width + 1, "teen"
                continue
            joined = j > i and raw.startswith("و") and (raw[1:] in _WORDS or raw[1:] in SCALES)
            token = word if j == i else raw[1:] if joined else raw
            if joined and _part(token) not in _AFTER_AND.get(last, set()):
                break
            if token in SCALES and (j == i or joined or current):
                if token in PLURAL_SCALES and not current:
                    break
                scale = SCALES[token]
                unit = scale if scale in (10**3, 10**6, 10**9, 10**12) else scale // 2
                if unit >= smallest_scale:
                    j, current = since_scale, 0  # the count before it starts the next number
                    break
                total += max(current, 1) * scale
                current, last, smallest_scale, since_scale = 0, "scale", unit, j + width
                if j + width < len(words) and plain[j + width] in HALF:
                    total += scale / 2
                    j += 1
                    since_scale = j + width
            elif j > i and not joined and token in ("عشر", "عشرة") and 1 <= current <= 9:
                current, last = current + 10, "teen"
            elif j > i and not joined and token in ("مائة", "مئة") and 1 <= current <= 9:
                current, last = current * 100, "hundred"
            elif token in _WORDS and (j == i or joined):
                current, last = current + _WORDS[token], _part(token)
            else:
                break
            j += width
        if j > i:
            end = words[j - 1].end()
            percent = _WORD_PERCENT_RE.match(text, end)
            if percent:
                end = percent.end()
                j += len(ARABIC_WORD_RE.findall(percent.group()))
            yield Number(Span(start_char, end), float(total + current), bool(percent),
                         spelled=True)
        i = max(j, i + 1)


def _strip_prefix(word: str, table: dict[str, int]) -> tuple[str, int]:
    """``word`` less the article or clitic before a word of ``table``, and its length."""
    for prefix in ("", *ARTICLE_PREFIXES, *PROCLITICS):
        if word.startswith(prefix) and word[len(prefix):] in table:
            return word[len(prefix):], len(prefix)
    return word, 0


def _parse(numeral: str, arabic: bool) -> float:
    """A numeral's value; a time ``6:30`` reads 6.30 so that it meets ``6.30`` and ``6:30``.

    An English comma always groups digits (``1,3350`` is a slip for 13,350).
    """
    if ":" in numeral:
        hours, minutes = to_western_digits(numeral).split(":")
        return int(hours) + int(minutes) / 100
    return parse_numeral(numeral if arabic else numeral.replace(",", ""))


def _bare_time(numeral: str) -> int:
    hours, minutes = to_western_digits(numeral).split(":")
    return int(hours) * 100 + int(minutes)


def _digit_number(match: re.Match[str], scales: dict[str, int], arabic: bool) -> Number:
    numeral = match.group("num")
    value = _parse(numeral, arabic)
    if ":" in numeral:  # 12:00 is also written 1200 (GMT, military time)
        alternative: float | None = float(_bare_time(numeral))
    else:
        alternative = _alternative(numeral, value) if arabic else None
    end = match.end()
    scale = match.groupdict().get("scale")
    suffix = match.groupdict().get("suffix")
    if suffix and (suffix.lower() == "bn" or match.string[match.start() - 1:match.start()]
                   in CURRENCY_SIGNS):
        value *= _SUFFIX_SCALES[suffix.lower()]
        alternative = None
    elif scale:
        value *= scales[unify_alef(scale.lower())]
        alternative = None  # 1.5 million is never 1500 million
    elif suffix:
        end = match.start("suffix")  # 5m: metres or minutes, not a scale
    return Number(Span(match.start(), end), value, bool(match.group("pct")), alternative,
                  kind="time" if ":" in numeral else "cardinal")


WEAK_KINDS = frozenset({"ordinal", "decade", "fraction", "hijri", "approximate", "label"})
_AR_PREFIX = r"(?:و|ف|ب|ل|وب|ول|في\s+)?(?:ال|لل)?"
ARABIC_ORDINALS = {
    "أول": 1, "أولى": 1, "اول": 1, "اولى": 1, "ثاني": 2, "ثانية": 2, "ثالث": 3, "ثالثة": 3,
    "رابع": 4, "رابعة": 4, "خامس": 5, "خامسة": 5, "سادس": 6, "سادسة": 6, "سابع": 7,
    "سابعة": 7, "ثامن": 8, "ثامنة": 8, "تاسع": 9, "تاسعة": 9, "عاشر": 10, "عاشرة": 10,
    "حادي": 1, "حادية": 1,
}
_TENS_STEMS = {"عشرين": 2, "ثلاثين": 3, "أربعين": 4, "اربعين": 4, "خمسين": 5, "ستين": 6,
               "سبعين": 7, "ثمانين": 8, "تسعين": 9}
ARABIC_FRACTIONS = {"نصف": 0.5, "ربع": 0.25, "ثلث": 1 / 3, "ثلثا": 2 / 3, "ثلثي": 2 / 3,
                    "ثلاثة أرباع": 0.75, "ثلاثة ارباع": 0.75}
APPROXIMATE = ("بضعة", "بضع", "عشرات", "مئات", "مئآت", "عدة")
HIJRI_MONTHS = ("محرم", "صفر", "ربيع الأول", "ربيع الاول", "ربيع الآخر", "ربيع الثاني",
                "جمادى الأولى", "جمادى الاولى", "جمادى الآخرة", "جمادى الثانية", "رجب",
                "شعبان", "رمضان", "شوال", "ذو القعدة", "ذي القعدة", "ذو الحجة", "ذي الحجة")
_ORDINAL_WORD = "|".join(sorted(ARABIC_ORDINALS, key=len, reverse=True))
_TENS_WORD = "|".join(_TENS_STEMS)
# An ordinal phrase: الأول, الحادي عشر, الحادي والعشرين, العشرين.
_ORDINAL_PHRASE = (rf"(?:ال)?(?P<unit>{_ORDINAL_WORD})(?:\s+(?P<teen>عشر|عشرة)"
                   rf"|\s+وال(?P<tens>{_TENS_WORD}))?|ال(?P<tens_only>{_TENS_WORD})")
_NOT_AFTER = rf"(?<![{ARABIC_LETTERS}])"
_NOT_BEFORE = rf"(?![{ARABIC_LETTERS}])"
_CENTURY_RE = re.compile(
    rf"{_NOT_AFTER}{_AR_PREFIX}قرن\s+(?P<ord>{_ORDINAL_PHRASE}){_NOT_BEFORE}")
_DECADE_RE = re.compile(
    rf"{_NOT_AFTER}{_AR_PREFIX}(?P<decade>عشر|ثلاث|أربع|اربع|خمس|ست|سبع|ثمان|تسع)"
    rf"ينيات{_NOT_BEFORE}(?:\s+(?:من\s+)?(?:ال)?قرن\s+(?:(?P<past>الماضي|المنصرم)|"
    rf"(?P<ord>{_ORDINAL_PHRASE})){_NOT_BEFORE})?")
_DECADES = {"عشر": 2, "ثلاث": 3, "أربع": 4, "اربع": 4, "خمس": 5, "ست": 6, "سبع": 7, "ثمان": 8,
            "تسع": 9}
_ORDINAL_RE = re.compile(rf"{_NOT_AFTER}{_AR_PREFIX}(?P<ord>{_ORDINAL_PHRASE}){_NOT_BEFORE}")
_FRACTION_WORD = "|".join(sorted(ARABIC_FRACTIONS, key=len, reverse=True))
_FRACTION_RE = re.compile(rf"{_NOT_AFTER}{_AR_PREFIX}(?P<frac>{_FRACTION_WORD}){_NOT_BEFORE}")
_APPROXIMATE_RE = re.compile(
    rf"{_NOT_AFTER}[وبل]?(?:{'|'.join(APPROXIMATE)}){_NOT_BEFORE}"
    rf"(?:\s+(?:ال)?(?:آلاف|الاف|ملايين|مليارات|مئات|عشرات){_NOT_BEFORE})?")
_HIJRI_AFTER_RE = re.compile(r"\s*(?:هـ|ه\b|هجري|هجرية|للهجرة)")
_HIJRI_MONTH_RE = re.compile(rf"(?:{'|'.join(HIJRI_MONTHS)}){_NOT_BEFORE}")
# Month names that hold an ordinal: تشرين الأول is October, ربيع الأول a Hijri month.
_MONTH_NAME_RE = re.compile("|".join(
    sorted((*HIJRI_MONTHS, *(m for m in ARABIC_MONTHS if " " in m)), key=len, reverse=True)))


def _ordinal_value(match: re.Match[str]) -> int:
    if match.group("tens_only"):
        return 10 * _TENS_STEMS[match.group("tens_only")]
    value = ARABIC_ORDINALS[match.group("unit")]
    if match.group("teen"):
        return value + 10
    if match.group("tens"):
        return value + 10 * _TENS_STEMS[match.group("tens")]
    return value


def _ordinal_start(match: re.Match[str]) -> int:
    """Where the ordinal word begins, after its article (الحادي عشر: حادي عشر)."""
    return match.start("unit") if match.group("unit") else match.start("tens_only")


def _free(span: Span, taken: list[Span]) -> bool:
    return not any(s.start < span.end and span.start < s.end for s in taken)


def _claim(found: list[Number], taken: list[Span], number: Number) -> None:
    if _free(number.span, taken):
        taken.append(number.span)
        found.append(number)


def _arabic_periods(text: str, taken: list[Span]) -> list[Number]:
    """Decades and centuries (before number words: القرن العشرين is the 20th century);
    month names are claimed too (تشرين الأول is a month, not "the first")."""
    found: list[Number] = []
    for month in _MONTH_NAME_RE.finditer(text):
        if month.group() != "صفر":  # also zero
            taken.append(Span(month.start(), month.end()))
    for match in _DECADE_RE.finditer(text):
        decade = _DECADES[match.group("decade")]
        century = 20 if match.group("past") or not match.group("ord") else _ordinal_value(match)
        _claim(found, taken, Number(
            Span(match.start("decade"), match.end()), float((century - 1) * 100 + decade * 10),
            spelled=True, kind="decade",
            alternative=None if match.group("ord") else float(decade * 10)))
    for match in _CENTURY_RE.finditer(text):
        century = _ordinal_value(match)
        _claim(found, taken, Number(Span(_ordinal_start(match), match.end()), float(century),
                                    spelled=True, kind="century",
                                    alternative=float((century - 1) * 100)))
    return found


def _arabic_weak_words(text: str, taken: list[Span]) -> list[Number]:
    """Approximate quantities, fractions and ordinals (after number words: مليون ونصف is
    one number)."""
    found: list[Number] = []
    for match in _APPROXIMATE_RE.finditer(text):
        _claim(found, taken, Number(Span(match.start(), match.end()), 0.0, spelled=True,
                                    kind="approximate"))
    for match in _FRACTION_RE.finditer(text):
        _claim(found, taken, Number(Span(match.start("frac"), match.end()),
                                    ARABIC_FRACTIONS[match.group("frac")], spelled=True,
                                    kind="fraction"))
    for match in _ORDINAL_RE.finditer(text):
        if not match.group("tens_only"):  # العشرين alone is as often twenty as twentieth
            _claim(found, taken, Number(Span(_ordinal_start(match), match.end()),
                                        float(_ordinal_value(match)), spelled=True,
                                        kind="ordinal"))
    return found


def _hijri(text: str, number: Number) -> bool:
    """A year or day of the Hijri calendar: ``1445 هـ``, ``15 رمضان``, ``رمضان 1445``."""
    after = text[number.span.end:number.span.end + 12]
    before = text[max(0, number.span.start - 16):number.span.start]
    return bool(_HIJRI_AFTER_RE.match(after) or _HIJRI_MONTH_RE.match(after.lstrip())
                or any(before.rstrip().endswith(m) for m in HIJRI_MONTHS))


# Digits grouped by spaces as UN documents write them, least significant group first in
# the stored text (000 100 is 100,000; 250 444 3 is 3,444,250).
_SPACED_RE = re.compile(rf"(?<![0-9٠-٩۰-۹.,٫٬])(?:{_DIGITS}{{3}} )+{_DIGITS}{{1,3}}"
                        rf"(?![0-9٠-٩۰-۹]|[.,٫٬]{_DIGITS}| {_DIGITS})")
# A list or paragraph label: a number opening a line, then a dash, stop or bracket: 6 -,
# ١٤-, (6).
_LABEL_RE = re.compile(rf"^[ \t]*\(?({_DIGITS}+)[ \t]*[-–.)][ \t]", re.MULTILINE)


def _spaced_number(match: re.Match[str]) -> Number:
    groups = to_western_digits(match.group()).split(" ")
    reversed_value = float("".join(reversed(groups)))
    forward = float("".join(groups)) if not groups[0].startswith("0") else None
    return Number(Span(match.start(), match.end()), reversed_value, alternative=forward)


def find_arabic_numbers(text: str) -> list[Number]:
    """Every number in Arabic ``text``, digits first, then number words, by position."""
    found = [_spaced_number(match) for match in _SPACED_RE.finditer(text)]
    spaced = [n.span for n in found]
    found += [n for n in (_digit_number(match, SCALES, arabic=True)
                          for match in _DIGIT_NUMBER_RE.finditer(text))
              if not any(n.span.start < s.end and s.start < n.span.end for s in spaced)]
    labels = {match.start(1) for match in _LABEL_RE.finditer(text)}
    found = [replace(n, kind="hijri") if _hijri(text, n)
             else replace(n, kind="label") if n.span.start in labels else n for n in found]
    taken = [n.span for n in found]
    found.extend(_arabic_periods(text, taken))
    words = list(_arabic_word_numbers(text, taken))
    taken.extend(n.span for n in words)
    found.extend(words)
    found.extend(_arabic_weak_words(text, taken))
    return sorted(found, key=lambda n: n.span.start)


def _joins(previous: list[str], token: str, joiner: str) -> bool:
    """Whether number word ``token`` continues the compound ``previous`` (English grammar).

    ``twenty-five``, ``five hundred``, ``seven thousand``, ``hundred and five`` join;
    ``zero five five`` and ``fifty sixty`` are several numbers.
    """
    last = previous[-1]
    value, last_value = _ENGLISH_VALUES[token], _ENGLISH_VALUES.get(last, 0)
    if "and" in joiner.split():
        return last in ("hundred", *_ENGLISH_SCALE_WORDS) and value < 100
    if token in _ENGLISH_SCALE_WORDS or token == "dozen":
        return last not in _ENGLISH_SCALE_WORDS and last not in ENGLISH_ORDINAL_UNITS
    if token == "hundred":
        return 1 <= last_value <= 99 and last not in ENGLISH_ORDINALS
    if token in ENGLISH_ORDINAL_UNITS or (value < 10 and token in ENGLISH_WORDS):
        return last_value in range(20, 100, 10) and last in ENGLISH_WORDS or (
            last in ("hundred", *_ENGLISH_SCALE_WORDS))
    return last in ("hundred", *_ENGLISH_SCALE_WORDS) and value < 100


def _english_words_value(tokens: list[str]) -> float:
    total, current = 0.0, 0.0
    for token in tokens:
        value = _ENGLISH_VALUES[token]
        if token in _ENGLISH_SCALE_WORDS:
            total += max(current, 1) * value
            current = 0
        elif token in ("dozen", "hundred"):  # a dozen, two hundred
            current = max(current, 1) * value
        else:
            current += value
    return total + current


def _english_word_numbers(text: str, taken: list[Span]) -> Iterator[Number]:
    """Numbers in English words, a compound at a time (``a hundred and five``)."""
    singles = [m for m in _ENGLISH_SINGLE_RE.finditer(text)
               if not any(s.start <= m.start() < s.end for s in taken)]
    i = 0
    while i < len(singles):
        tokens = [singles[i].group().lower()]
        j = i + 1
        since_scale = 1 if tokens[0] in _ENGLISH_SCALE_WORDS else 0
        while j < len(singles):
            joiner = text[singles[j - 1].end():singles[j].start()]
            token = singles[j].group().lower()
            if not _ENGLISH_JOINER_RE.fullmatch(joiner) or not _joins(tokens, token, joiner):
                break
            if token in _ENGLISH_SCALE_WORDS and any(
                    ENGLISH_SCALES[t] <= ENGLISH_SCALES[token] for t in tokens[:since_scale]
                    if t in _ENGLISH_SCALE_WORDS):
                # three million and five million: the count after "and" starts a new number
                j -= len(tokens) - since_scale
                del tokens[since_scale:]
                break
            tokens.append(token)
            j += 1
            if token in _ENGLISH_SCALE_WORDS:
                since_scale = len(tokens)
        start, end = singles[i].start(), singles[j - 1].end()
        i = j
        if tokens[0] in ENGLISH_ORDINAL_UNITS:  # "first", "second": ordinals, weak evidence
            if len(tokens) == 1:
                yield Number(Span(start, end), float(_ENGLISH_VALUES[tokens[0]]),
                             spelled=True, kind="ordinal")
            continue
        if re.search(r"\ba\s+$", text[max(0, start - 2):start]) and tokens[0] in (
                "hundred", "dozen", *_ENGLISH_SCALE_WORDS):
            start -= 2  # a hundred
        value = _english_words_value(tokens)
        half = _ENGLISH_HALF_RE.match(text, end)
        if half and value >= 1:
            value, end = value * 1.5 if value >= 1000 else value + 0.5, half.end()
        percent = _ENGLISH_WORD_PERCENT_RE.match(text, end)
        yield Number(Span(start, percent.end() if percent else end), value, bool(percent),
                     spelled=True)


_ENGLISH_WORD_PERCENT_RE = re.compile(r"\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)
_ENGLISH_FRACTION_RE = re.compile(
    r"\b(?:(?P<count>an?|one|two|three)[\s-]+)?(?P<part>half|quarters?|thirds?)\b",
    re.IGNORECASE)
_ENGLISH_PARTS = {"half": 2, "quarter": 4, "quarters": 4, "third": 3, "thirds": 3}
_ENGLISH_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3}


def _english_fractions(text: str) -> Iterator[Number]:
    """``half``, ``a quarter``, ``three quarters``, ``two-thirds`` (``third`` alone is 3rd)."""
    for match in _ENGLISH_FRACTION_RE.finditer(text):
        part, count = match.group("part").lower(), (match.group("count") or "").lower()
        if part.startswith("third") and not count:
            continue
        value = _ENGLISH_COUNTS.get(count, 1) / _ENGLISH_PARTS[part]
        yield Number(Span(match.start(), match.end()), value, spelled=True, kind="fraction")


# Roman numerals: II to XXXIX anywhere (Elizabeth II, the XXI century); any, single letters
# included, after the words that number things (Part III, Chapter VII, Article L). The
# lookahead tries only words of Roman letters: elsewhere the pattern matches empty.
_ROMAN_RE = re.compile(r"\b(?=[MDCLXVI]+\b)"
                       r"(?:M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))\b")
_ROMAN_HEADING_RE = re.compile(
    r"\b(?:Part|Chapter|Article|Section|Annex|Appendix|Title|Volume|Book|Phase|Stage|"
    r"Class|Category|Level|Schedule|Rule|Principle|Protocol|War)\s$")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def roman_value(numeral: str) -> int:
    """The value of a valid Roman numeral (``XIV``: 14)."""
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


def _english_roman_numerals(text: str, taken: list[Span]) -> Iterator[Number]:
    """Roman numerals, as ordinals: ``Part III`` is the third part (الجزء الثالث)."""
    for match in _ROMAN_RE.finditer(text):
        numeral, span = match.group(), Span(match.start(), match.end())
        if not numeral or not _free(span, taken):
            continue
        heading = _ROMAN_HEADING_RE.search(text, max(0, span.start - 12), span.start)
        if heading or (len(numeral) > 1 and set(numeral) <= set("IVX")):
            yield Number(span, float(roman_value(numeral)), spelled=True, kind="ordinal")


_YEAR_BEFORE_RE = re.compile(r"\b(\d{4})\s?[-–—/]\s?$")


def _completed_year(text: str, number: Number) -> Number:
    """The end of a year range written short, ``2010-11`` or ``1943–6``, also reads as the
    whole year (2011, 1946)."""
    digits = number.span.slice(text)
    year = _YEAR_BEFORE_RE.search(text, max(0, number.span.start - 6), number.span.start)
    if not year or not digits.isdigit() or len(digits) > 2 or number.alternative is not None:
        return number
    whole = int(year.group(1)[:4 - len(digits)] + digits)
    return replace(number, alternative=float(whole)) if whole > int(year.group(1)) else number


def find_english_numbers(text: str) -> list[Number]:
    """Every number in English ``text``: digits with scales and percentages, number words,
    fractions and ordinals."""
    found = [_completed_year(text, _digit_number(match, ENGLISH_SCALES, arabic=False))
             for match in _ENGLISH_NUMBER_RE.finditer(text)]
    found.extend(_english_fractions(text))
    found.extend(_english_word_numbers(text, [n.span for n in found]))
    found.extend(_english_roman_numerals(text, [n.span for n in found]))
    return sorted(found, key=lambda n: n.span.start)
