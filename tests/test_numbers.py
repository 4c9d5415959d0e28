from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mt.numbers import find_arabic_numbers, find_english_numbers, parse_numeral


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("7,000", 7000), ("87,29", 87.29), ("1.5", 1.5), ("١٢٣", 123), ("١٢٣٫٥", 123.5),
     ("12٬000", 12000), ("1,234,567", 1234567), ("1.234.567", 1234567), ("1,234.5", 1234.5),
     ("۱۲", 12)],
)
def test_parse_numeral(numeral: str, value: float) -> None:
    assert parse_numeral(numeral) == value


FINDERS = {"ar": find_arabic_numbers, "en": find_english_numbers}


@pytest.mark.parametrize(
    ("language", "text", "found"),
    [
        ("ar", "زودت روسيا بسبعة آلاف حاوية", [("سبعة آلاف", 7000, False)]),
        ("ar", "بنحو 7 آلاف حاوية", [("7 آلاف", 7000, False)]),
        ("ar", "ازداد بمقدار 300 ليبلغ", [("300", 300, False)]),
        ("ar", "بنسبة 87,29% من الأصوات", [("87,29%", 87.29, True)]),
        ("ar", "أكثر من مليون قذيفة", [("مليون", 1_000_000, False)]),
        ("ar", "خمسة وعشرون طالبا", [("خمسة وعشرون", 25, False)]),
        ("ar", "٣ ملايين نسمة", [("٣ ملايين", 3_000_000, False)]),
        ("ar", "ارتفع ٢٫٥٪", [("٢٫٥٪", 2.5, True)]),
        ("ar", "لا أرقام هنا", []),
        ("ar", "أحد عشر لاعبا", [("أحد عشر", 11, False)]),
        ("ar", "سبعة عشر يوما", [("سبعة عشر", 17, False)]),
        ("ar", "القرن السادس عشر", [("سادس عشر", 16, False)]),
        ("ar", "ثلاثة آلاف وخمسمائة", [("ثلاثة آلاف وخمسمائة", 3500, False)]),
        ("ar", "مليون ونصف", [("مليون ونصف", 1_500_000, False)]),
        ("ar", "حوالي خمسة الاف دولار", [("خمسة الاف", 5000, False)]),
        ("ar", "ملياري جنيه", [("ملياري", 2_000_000_000, False)]),
        ("ar", "مئة وإحدى عشرة نقطة", [("مئة وإحدى عشرة", 111, False)]),
        ("ar", "سَتُنشر النتائج", []),  # harakat inside a word: not ست (six)
        ("ar", "سِتَّة أشخاص", [("سِتَّة", 6, False)]),
        ("ar", "بضعة آلاف", [("بضعة آلاف", 0, False)]),  # approximate
        ("ar", "ثلاثينيات القرن العشرين", [("ثلاثينيات القرن العشرين", 1930, False)]),
        ("ar", "ربيع الأول", []),  # a Hijri month, not "the first"
        ("ar", "في تشرين الأول/أكتوبر", []),  # October
        ("ar", "صفر خمسة خمسة", [("صفر", 0, False), ("خمسة", 5, False), ("خمسة", 5, False)]),
        ("ar", "من 6:30 صباحا", [("6:30", 6.3, False)]),
        ("ar", "آلاف الأشخاص", []),  # thousands of people: no count
        ("ar", "يوم الاثنين", []),  # Monday
        ("ar", "لست متأكدا", []),  # "I am not", not ل + ست
        ("ar", "كيم ألف ست أوبرات", [("ألف", 1000, False), ("ست", 6, False)]),  # not 1006
        ("ar", "أفراد الطاقم الاثني عشر", [("اثني عشر", 12, False)]),
        ("ar", "تبلغ 412،305 كم", [("412،305", 412305, False)]),
        ("ar", "الأرقام 10، 20", [("10", 10, False), ("20", 20, False)]),  # a list, not 10,020
        ("ar", "بين ثلاثة وستة أشهر", [("ثلاثة", 3, False), ("ستة", 6, False)]),
        ("ar", "بين مليوني وثلاثة ملايين سنة", [("مليوني", 2e6, False), ("ثلاثة ملايين", 3e6, False)]),
        ("ar", "ألف وخمسمائة وخمسة وعشرون", [("ألف وخمسمائة وخمسة وعشرون", 1525, False)]),
        ("ar", "مليونين وثلاثمائة ألف", [("مليونين وثلاثمائة ألف", 2_300_000, False)]),
        ("ar", "عام ألفين وتسعة عشر", [("ألفين وتسعة عشر", 2019, False)]),
        ("ar", "عشرين وأربعة", [("عشرين", 20, False), ("أربعة", 4, False)]),
        ("ar", "سبعة عشر في المائة", [("سبعة عشر في المائة", 17, True)]),
        ("ar", "خمسة بالمئة فقط", [("خمسة بالمئة", 5, True)]),
        ("ar", "عمره ثلاثة و عشرون سنة", [("ثلاثة و عشرون", 23, False)]),
        ("ar", "بمئة و ستّين دولارا", [("مئة و ستّين", 160, False)]),
        ("ar", "الخمسة والعشرون", [("خمسة والعشرون", 25, False)]),
        ("ar", "خلال أربعاً و عشرين ساعة", [("أربعاً و عشرين", 24, False)]),
        ("ar", "المرافق الاثنى عشر", [("اثنى عشر", 12, False)]),
        ("ar", "نحو 000 100 نسمة", [("000 100", 100_000, False)]),
        ("ar", "مبلغ 250 444 3 دولار", [("250 444 3", 3_444_250, False)]),
        ("ar", "عام 2015 و 150 شخصا", [("2015", 2015, False), ("150", 150, False)]),
        ("en", "about 7,000 containers", [("7,000", 7000, False)]),
        ("en", "87.29% of votes", [("87.29%", 87.29, True)]),
        ("en", "a million shells", [("a million", 1_000_000, False)]),
        ("en", "seven thousand", [("seven thousand", 7000, False)]),
        ("en", "2.5 million people", [("2.5 million", 2_500_000, False)]),
        ("en", "up to $221bn and £5m", [("221bn", 221e9, False), ("5m", 5e6, False)]),
        ("en", "it is 5m tall", [("5", 5, False)]),
        ("en", "twenty-five people", [("twenty-five", 25, False)]),
        ("en", "one hundred and eleven", [("one hundred and eleven", 111, False)]),
        ("en", "ninety - one", [("ninety - one", 91, False)]),
        ("en", "zero five five", [("zero", 0, False), ("five", 5, False), ("five", 5, False)]),
        ("en", "between two and three years", [("two", 2, False), ("three", 3, False)]),
        ("en", "the sixteenth century", [("sixteenth", 16, False)]),
        ("en", "a dozen eggs", [("a dozen", 12, False)]),
        ("en", "the first time", [("first", 1, False)]),  # an ordinal (weak)
        ("en", "at 10:30", [("10:30", 10.3, False)]),
        ("en", "eighteen percent of them", [("eighteen percent", 18, True)]),
        ("en", "three million and five million copies",
         [("three million", 3e6, False), ("five million", 5e6, False)]),
        ("en", "two million and five thousand", [("two million and five thousand", 2_005_000, False)]),
    ],
)
def test_numbers_found(language: str, text: str, found: list[tuple[str, float, bool]]) -> None:
    numbers = FINDERS[language](text)
    assert [(n.span.slice(text), n.value, n.percent) for n in numbers] == found



@given(st.text())
def test_number_spans_slice_their_text(text: str) -> None:
    for number in find_arabic_numbers(text) + find_english_numbers(text):
        assert 0 <= number.span.start < number.span.end <= len(text)


def test_ambiguous_numeral_has_both_readings() -> None:
    (number,) = find_arabic_numbers("1.000 شخص")
    (english,) = find_english_numbers("1,000 people")
    assert (number.value, number.alternative) == (1.0, 1000.0) and number.matches(english)
    assert find_english_numbers("1,000")[0].alternative is None


def test_numbered_paragraph_labels_are_their_own_kind() -> None:
    text = "6 - يقرر أن يزود المجلس 3 تقارير.\n١٤- يسلم بأن\n(7) يستند إلى 2.5 في المائة"
    assert [(n.span.slice(text), n.kind) for n in find_arabic_numbers(text)] == [
        ("6", "label"), ("3", "cardinal"), ("١٤", "label"), ("7", "label"),
        ("2.5 في المائة", "cardinal")]


def test_a_spaced_number_also_reads_forward() -> None:
    (number,) = find_arabic_numbers("لـ 918 483 شخصا")
    assert number.value == 483_918 and number.alternative == 918_483


def test_a_time_after_noon_also_reads_on_a_twelve_hour_clock() -> None:
    (time,) = find_arabic_numbers("الساعة 15:30")
    assert time.readings() == {15.3, 3.3, 1530}


@pytest.mark.parametrize(("text", "found"), [
    ("Part III of the report", [("III", 3)]),
    ("Chapter VII of the Charter", [("VII", 7)]),
    ("after World War I", [("I", 1)]),
    ("the XXI century", [("XXI", 21)]),
    ("Article XLIV applies", [("XLIV", 44)]),
    ("Elizabeth II and Henry V", [("II", 2)]),  # a lone V is a letter unless a heading names it
    ("I think Washington DC is CIVIL, a VIP said", []),
    ("Counterpart V", []),
])
def test_roman_numerals_are_ordinals(text: str, found: list[tuple[str, int]]) -> None:
    numbers = find_english_numbers(text)
    assert [(n.span.slice(text), n.value) for n in numbers] == found
    assert all(n.kind == "ordinal" for n in numbers)


@pytest.mark.parametrize(("text", "year"), [("the 2010-11 season", 2011), ("from 1943–6", 1946),
                                            ("in 1999-2000", None), ("page 12-13", None)])
def test_a_short_year_range_end_reads_as_the_whole_year(text: str, year: int | None) -> None:
    end = find_english_numbers(text)[-1]
    assert end.alternative == year
