"""Dates in Arabic and English: month names (Gregorian and Syriac), days, years, weekdays.

Arabic news names a month in its Egyptian form (``يوليو``), its Syriac form
(``تموز``) or both (``تموز/يوليو``, ``تموز (يوليو)``); a day number may come
before and a year after. ``مارس`` is also a verb (practised), so it counts
only with a day, a year or its Syriac twin. Weekdays count with their article
(``الإثنين`` is Monday).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mt.arabic import ARABIC_LETTERS, to_western_digits
from mt.types import Span

ARABIC_MONTHS = {
    "يناير": 1, "كانون الثاني": 1, "فبراير": 2, "شباط": 2, "مارس": 3, "آذار": 3,
    "أبريل": 4, "إبريل": 4, "ابريل": 4, "نيسان": 4, "مايو": 5, "أيار": 5, "يونيو": 6,
    "يونيه": 6, "حزيران": 6, "يوليو": 7, "يوليه": 7, "تموز": 7, "أغسطس": 8, "اغسطس": 8,
    "آب": 8, "سبتمبر": 9, "أيلول": 9, "أكتوبر": 10, "اكتوبر": 10, "تشرين الأول": 10,
    "نوفمبر": 11, "تشرين الثاني": 11, "ديسمبر": 12, "كانون الأول": 12,
}
ARABIC_WEEKDAYS = {"الإثنين": 0, "الاثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الاربعاء": 2,
                   "الخميس": 3, "الجمعة": 4, "السبت": 5, "الأحد": 6, "الاحد": 6}
ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
                  "september", "october", "november", "december")
ENGLISH_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                    "sunday")
_VERB_TOO = frozenset({"مارس"})
_AR_DIGITS = "[0-9٠-٩]"
_AR_MONTH = "|".join(sorted(ARABIC_MONTHS, key=len, reverse=True))
_ARABIC_DATE_RE = re.compile(
    rf"(?:(?P<day>{_AR_DIGITS}{{1,2}})\s+)?(?:[وب]?(?:في|من|منذ)\s+)?"
    rf"(?<![{ARABIC_LETTERS}])[وبل]?(?P<month>{_AR_MONTH})"
    rf"(?:\s*(?:/|\(|-)\s*(?P<twin>{_AR_MONTH})\s*\)?)?"
    rf"(?![{ARABIC_LETTERS}])(?:\s+(?:عام|سنة)?\s*(?P<year>{_AR_DIGITS}{{4}}))?"
)
_ARABIC_WEEKDAY_RE = re.compile(
    rf"(?<![{ARABIC_LETTERS}])[وب]?(?P<day>{'|'.join(ARABIC_WEEKDAYS)})(?![{ARABIC_LETTERS}])")
_EN_MONTH = (r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
             r"November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|"
             r"Dec\.)")
_ENGLISH_DATE_RE = re.compile(
    rf"(?:(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?)?{_EN_MONTH}"
    rf"(?:\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\b)?(?:,?\s+(?P<year>\d{{4}})\b)?"
)
_ENGLISH_WEEKDAY_RE = re.compile(r"\b(?P<day>Monday|Tuesday|Wednesday|Thursday|Friday|"
                                 r"Saturday|Sunday)\b")


@dataclass(frozen=True)
class Date:
    """A date or weekday: month 1-12 (0 for a weekday), day, year, weekday 0-6."""

    span: Span
    month: int = 0
    day: int | None = None
    year: int | None = None
    weekday: int | None = None

    def describe(self) -> str:
        if self.weekday is not None:
            return ENGLISH_WEEKDAYS[self.weekday].capitalize()
        parts = [str(self.day)] if self.day else []
        parts.append(ENGLISH_MONTHS[self.month - 1].capitalize())
        if self.year:
            parts.append(str(self.year))
        return " ".join(parts)


def _number(value: str | None) -> int | None:
    return int(to_western_digits(value)) if value else None


def find_arabic_dates(text: str) -> list[Date]:
    """Month dates and weekdays of Arabic ``text``."""
    found = []
    for match in _ARABIC_DATE_RE.finditer(text):
        month, twin = match.group("month"), match.group("twin")
        if month in _VERB_TOO and not (match.group("day") or match.group("year") or twin):
            continue
        start = match.start("day") if match.group("day") else match.start("month")
        end = match.end("year") if match.group("year") else match.end(
            "twin") if twin else match.end("month")
        if twin and text[end:end + 1] == ")":
            end += 1
        found.append(Date(Span(start, end), ARABIC_MONTHS[month], _number(match.group("day")),
                          _number(match.group("year"))))
    for match in _ARABIC_WEEKDAY_RE.finditer(text):
        found.append(Date(Span(match.start("day"), match.end("day")),
                          weekday=ARABIC_WEEKDAYS[match.group("day")]))
    return sorted(found, key=lambda d: d.span.start)


def _english_month(name: str) -> int:
    key = name.lower().rstrip(".")
    return next(i for i, month in enumerate(ENGLISH_MONTHS, start=1) if month.startswith(key))


def find_english_dates(text: str) -> list[Date]:
    """Month dates and weekdays of English ``text``."""
    found = []
    for match in _ENGLISH_DATE_RE.finditer(text):
        month = match.group("month")
        if month == "May" and not (match.group("day1") or match.group("day2")
                                   or match.group("year")):
            continue  # the verb
        found.append(Date(Span(match.start(), match.end()), _english_month(month),
                          _number(match.group("day1") or match.group("day2")),
                          _number(match.group("year"))))
    for match in _ENGLISH_WEEKDAY_RE.finditer(text):
        found.append(Date(Span(match.start(), match.end()),
                          weekday=ENGLISH_WEEKDAYS.index(match.group("day").lower())))
    return sorted(found, key=lambda d: d.span.start)


def compare(source: Date, target: Date) -> str | None:
    """Why ``target`` is not the same date as ``source`` (None when it is)."""
    if source.weekday is not None or target.weekday is not None:
        return None if source.weekday == target.weekday else "another weekday"
    if source.month != target.month:
        return "another month"
    if source.day and target.day and source.day != target.day:
        return "another day"
    if source.year and target.year and source.year != target.year:
        return "another year"
    return None
