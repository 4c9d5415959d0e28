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


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("زودت روسيا بسبعة آلاف حاوية", [("سبعة آلاف", 7000, False)]),
        ("بنحو 7 آلاف حاوية", [("7 آلاف", 7000, False)]),
        ("ازداد بمقدار 300 ليبلغ", [("300", 300, False)]),
        ("بنسبة 87,29% من الأصوات", [("87,29%", 87.29, True)]),
        ("أكثر من مليون قذيفة", [("مليون", 1_000_000, False)]),
        ("خمسة وعشرون طالبا", [("خمسة وعشرون", 25, False)]),
        ("٣ ملايين نسمة", [("٣ ملايين", 3_000_000, False)]),
        ("ارتفع ٢٫٥٪", [("٢٫٥٪", 2.5, True)]),
        ("لا أرقام هنا", []),
    ],
)
def test_arabic_numbers(text: str, found: list[tuple[str, float, bool]]) -> None:
    numbers = find_arabic_numbers(text)
    assert [(n.span.slice(text), n.value, n.percent) for n in numbers] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("about 7,000 containers", [("7,000", 7000, False)]),
        ("87.29% of votes", [("87.29%", 87.29, True)]),
        ("a million shells", [("a million", 1_000_000, False)]),
        ("seven thousand", [("seven thousand", 7000, False)]),
        ("2.5 million people", [("2.5 million", 2_500_000, False)]),
    ],
)
def test_english_numbers(text: str, found: list[tuple[str, float, bool]]) -> None:
    numbers = find_english_numbers(text)
    assert [(n.span.slice(text), n.value, n.percent) for n in numbers] == found


@given(st.text())
def test_number_spans_slice_their_text(text: str) -> None:
    for number in find_arabic_numbers(text) + find_english_numbers(text):
        assert 0 <= number.span.start < number.span.end <= len(text)
