"""Facts the English must get right whatever the model does: what the translator puts
in through a placeholder (``mt.protect.mask``) instead of leaving it to the model.

Each fact is a span of the Arabic and the English it must become:
- the terms of a user's glossary (``mt.glossary``): their English;
- protected spans (``mt.protect``): themselves, byte for byte;
- numbers: as an English reader writes them (``7 آلاف`` 7,000, ``سبعة آلاف``
  7,000, ``1.5 مليون`` 1.5 million, ``٣٠٠`` 300, ``87,29%`` 87.29%); small
  spelled numbers (``ثلاثة``), ordinals, fractions, times and ambiguous
  numerals (``1.000``) are left to the model.

Names are not among them: put in the same way (country names of the names
table), they cost dev BLEU more than they gained (eval/RESULTS.md, "Facts").
"""

from __future__ import annotations

from mt.arabic import has_arabic, to_western_digits
from mt.glossary import Glossary
from mt.numbers import Number, find_arabic_numbers
from mt.protect import protected_spans
from mt.types import Span

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def render_number(number: Number, text: str) -> str | None:
    """How an English reader writes ``number`` (found in ``text``), or None where the
    model should choose (a spelled small number, an ordinal, an ambiguous numeral)."""
    if number.kind != "cardinal" or number.alternative is not None:
        return None
    written = number.span.slice(text)
    if has_arabic(written):  # scale or number words: 7 آلاف, سبعة آلاف, 1.5 مليون
        if number.spelled and number.value < 1000:
            return None
        for size, word in _SCALES:
            if number.value >= size:
                return f"{number.value / size:g} {word}" + ("%" if number.percent else "")
        return f"{number.value:,.4f}".rstrip("0").rstrip(".") + ("%" if number.percent else "")
    western = to_western_digits(written).replace("٫", ".").replace("٬", ",").replace("٪", "%")
    if number.value != int(number.value) and "," in western and "." not in western:
        western = western.replace(",", ".")  # a decimal comma: 87,29% is 87.29%
    return western


def find_facts(text: str, glossary: Glossary | None = None) -> list[tuple[Span, str, bool]]:
    """Every fact of ``text`` as (span, English, whether it is required: a glossary term or
    a protected span, which the English must hold whatever it costs), in order, none
    overlapping: a term wins over a protected span, which wins over a number inside it."""
    facts = [] if glossary is None else [(span, english, True)
                                         for span, english in glossary.find(text)]
    facts += [(span, span.slice(text), True) for span in protected_spans(text)]
    for number in find_arabic_numbers(text):
        english = render_number(number, text)
        if english is not None:
            facts.append((number.span, english, False))
    kept: list[tuple[Span, str, bool]] = []
    for fact in facts:  # the earlier kind wins an overlap
        if not any(fact[0].start < k.end and k.start < fact[0].end for k, _, _ in kept):
            kept.append(fact)
    return sorted(kept, key=lambda fact: fact[0].start)
