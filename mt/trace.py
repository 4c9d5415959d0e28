"""Traced spans: the quotes and numbers of a source text and their counterparts.

A number is ``ok`` when a number of the same value (and percent-ness) sits in
the same segment's translation, otherwise ``unverified``; a quote is paired
with the quote of the same rank in its segment's translation, ``unverified``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mt.numbers import Number, find_arabic_numbers, find_english_numbers
from mt.types import Segment, Span, TracedSpan

_QUOTE_PAIRS = {"«": "»", "“": "”", '"': '"', "„": "“"}
_QUOTE_RE = re.compile("|".join(
    f"{re.escape(open_)}[^{re.escape(close)}\\n]+{re.escape(close)}"
    for open_, close in _QUOTE_PAIRS.items()
))


def find_quotes(text: str) -> list[Span]:
    """Quotations in any common style, one line at most, marks included."""
    return [Span(m.start(), m.end()) for m in _QUOTE_RE.finditer(text)]


def _segment_of(span: Span, segments: Sequence[Segment]) -> Segment | None:
    for segment in segments:
        if segment.source is not None and segment.source.start <= span.start < segment.source.end:
            return segment
    return None


def _format_value(number: Number) -> str:
    value = f"{number.value:,.2f}".rstrip("0").rstrip(".")
    return value + ("%" if number.percent else "")


def _trace_numbers(source: str, target: str, segments: Sequence[Segment]) -> list[TracedSpan]:
    traced = []
    used: set[Span] = set()
    for number in find_arabic_numbers(source):
        segment = _segment_of(number.span, segments)
        match: Number | None = None
        if segment is not None and segment.target is not None:
            window = segment.target
            for candidate in find_english_numbers(window.slice(target)):
                candidate_span = candidate.span.shift(window.start)
                if (candidate.value == number.value and candidate.percent == number.percent
                        and candidate_span not in used):
                    match = Number(candidate_span, candidate.value, candidate.percent)
                    break
        source_text = number.span.slice(source)
        if match is not None:
            used.add(match.span)
            traced.append(TracedSpan("number", number.span, match.span, "ok",
                                     f"{source_text} = {match.span.slice(target)}"))
        else:
            traced.append(TracedSpan("number", number.span, None, "unverified",
                                     f"{source_text} = {_format_value(number)}; "
                                     "not found in the translation"))
    return traced


def _trace_quotes(source: str, target: str, segments: Sequence[Segment]) -> list[TracedSpan]:
    traced = []
    rank: dict[int, int] = {}
    for quote in find_quotes(source):
        segment = _segment_of(quote, segments)
        counterpart = None
        if segment is not None and segment.target is not None:
            index = rank.get(segment.id, 0)
            rank[segment.id] = index + 1
            candidates = find_quotes(segment.target.slice(target))
            if index < len(candidates):
                counterpart = candidates[index].shift(segment.target.start)
        detail = "quotation" if counterpart else "quotation; no quotation in the translation"
        traced.append(TracedSpan("quote", quote, counterpart, "unverified", detail))
    return traced


def detect_spans(source: str, target: str, segments: Sequence[Segment]) -> list[TracedSpan]:
    """Numbers and quotations of ``source`` with their counterparts in ``target``."""
    spans = _trace_numbers(source, target, segments) + _trace_quotes(source, target, segments)
    return sorted(spans, key=lambda s: (s.source.start, s.kind))
