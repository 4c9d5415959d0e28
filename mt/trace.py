"""Traced spans: quotes, numbers, names and dates of a source text, checked in the translation.

Each thing a reader must be able to trace is looked for in its own segment's
translation and gets a status:

- ``ok``: found, and the same (7 آلاف = 7,000; تموز/يوليو = July);
- ``mismatch``: found but different (7,000 rendered 700; July rendered June);
- ``missing``: not in the translation at all;
- ``unverified``: no decision possible (a number word such as واحد, often
  rendered "a"; a weekday dropped; a quotation with no words to compare).

Counterparts are paired by value first, then leftover items by word link or
order, so one wrong number is a mismatch, not a missing and an extra.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol, TypeVar

from mt.arabic import has_arabic, strip_diacritics, unify_alef
from mt.dates import Date, compare, find_arabic_dates, find_english_dates
from mt.entities import english_names, find_arabic_entities, find_in_english, sound_pairs
from mt.glossary import Glossary
from mt.numbers import WEAK_KINDS, Number, find_arabic_numbers, find_english_numbers
from mt.protect import protected_spans
from mt.quotes import Quote, find_quotes
from mt.types import (
    NOT_ARABIC,
    Link,
    Segment,
    Signature,
    Span,
    SpanKind,
    SpanStatus,
    TraceDocument,
    TracedSpan,
    TranslatedText,
)

__all__ = ["build_trace", "detect_spans", "find_quotes", "trace_translation"]

QUOTE_RATIO = (0.3, 4.0)  # plausible English/Arabic length ratios of a quotation
_DIGIT_RE = re.compile(r"[0-9٠-٩۰-۹]")


class _HasSpan(Protocol):
    @property
    def span(self) -> Span: ...


_Found = TypeVar("_Found", bound=_HasSpan)


def _segment_of(span: Span, segments: Sequence[Segment]) -> Segment | None:
    for segment in segments:
        if segment.source is not None and segment.source.start <= span.start < segment.source.end:
            return segment
    return None


def _by_segment(spans: Sequence[Span], segments: Sequence[Segment]
                ) -> list[tuple[list[int], Span | None]]:
    """The indices of ``spans`` grouped by the segment each starts in (first seen first), each
    group with that segment's translation span: None outside every segment or untranslated."""
    grouped: dict[int, tuple[list[int], Span | None]] = {}
    for index, span in enumerate(spans):
        segment = _segment_of(span, segments)
        key, window = (-1, None) if segment is None else (segment.id, segment.target)
        grouped.setdefault(key, ([], window))[0].append(index)
    return list(grouped.values())


def _inside(window: Span | None, found: Sequence[_Found]) -> list[_Found]:
    """What was found in the translation within ``window`` (nothing where there is none)."""
    return [item for item in found if window is not None and window.contains(item.span)]


def _linked(source: Span, target: Span, links: Sequence[Link]) -> bool:
    return any(link.source.start < source.end and source.start < link.source.end
               and link.target.start < target.end and target.start < link.target.end
               for link in links)


def _format_value(number: Number) -> str:
    value = f"{number.value:,.4f}".rstrip("0").rstrip(".")
    return value + ("%" if number.percent else "")


def _decimals(text: str) -> int:
    match = re.search(r"[.,٫](\d+)\D*$", text)
    return len(match.group(1)) if match and len(match.group(1)) != 3 else 0


def _rounded(source: Number, target: Number, target_text: str) -> bool:
    """Whether ``target`` is ``source`` rounded (87.29% written 87.3%)."""
    if source.spelled or target.spelled or not _DIGIT_RE.search(target_text) or (
            "time" in (source.kind, target.kind)):  # 11:35 is not "about 11"
        return False
    places = _decimals(target_text)
    step = 10.0 ** -places
    return (source.value != target.value and source.value > 0
            and abs(source.value - target.value) <= step / 2 + 1e-9
            and not math.isclose(source.value, round(source.value, places)))


# Spelled numbers that are as often other words: ألف (a thousand; he wrote).
_HOMOGRAPHS = frozenset({"الف", "الفا"})  # bare alef, no harakat: ألّف, ألفا (also alpha)


def _homograph(number: Number, text: str) -> bool:
    return number.spelled and unify_alef(strip_diacritics(number.span.slice(text))) in _HOMOGRAPHS


def _weak(number: Number, text: str) -> bool:
    """A spelled one or two (واحد, اثنين: often "a", "single", a dual noun), a homograph, or
    a number of a weak kind (an ordinal, decade, fraction, Hijri date: often said otherwise
    or left out).

    Not found, it stays unverified; a spelled one or two is a mismatch only
    against a different English number linked to it ("one" rendered "two"),
    since English says "two" for Arabic duals; a weak kind or a homograph is
    never paired with a different number.
    """
    return number.kind in WEAK_KINDS or _homograph(number, text) or (
        number.spelled and number.value <= 2)


def _trace_numbers(source: str, target: str, segments: Sequence[Segment],
                   links: Sequence[Link]) -> list[TracedSpan]:
    arabic = find_arabic_numbers(source)
    english = find_english_numbers(target)
    traced: list[TracedSpan] = []
    for indices, window in _by_segment([n.span for n in arabic], segments):
        candidates = _inside(window, english)
        numbers = [arabic[i] for i in indices]
        pairs = _pair_numbers(numbers, candidates, source, target, links)
        for number in numbers:
            said = f"{number.span.slice(source)} = {_format_value(number)}"
            match = pairs.get(number.span)
            if number.kind == "approximate":
                traced.append(TracedSpan("number", number.span, None, "unverified",
                                         f"{number.span.slice(source)}: an approximate "
                                         "quantity, nothing to compare"))
            elif window is None:
                traced.append(TracedSpan("number", number.span, None, "missing",
                                         f"{said}: the sentence has no translation"))
            elif match is None:
                status: SpanStatus = "unverified" if _weak(number, source) else "missing"
                traced.append(TracedSpan("number", number.span, None, status,
                                         f"{said}: not found in the translation"))
            else:
                found, how = match
                rendered = found.span.slice(target)
                if how == "same":
                    traced.append(TracedSpan("number", number.span, found.span, "ok",
                                             f"{number.span.slice(source)} = {rendered}"))
                elif how == "rounded":
                    traced.append(TracedSpan("number", number.span, found.span, "ok",
                                             f"{said}, rounded to {rendered}"))
                else:
                    traced.append(TracedSpan("number", number.span, found.span, "mismatch",
                                             f"{said}, but the translation has {rendered}"))
    return traced


def _pair_numbers(numbers: list[Number], candidates: list[Number], source: str, target: str,
                  links: Sequence[Link]) -> dict[Span, tuple[Number, str]]:
    """Source number → (target number, "same" | "rounded" | "different")."""
    pairs: dict[Span, tuple[Number, str]] = {}
    used: set[Span] = set()

    def take(number: Number, candidate: Number, how: str) -> None:
        pairs[number.span] = (candidate, how)
        used.add(candidate.span)

    numbers = [n for n in numbers if n.kind != "approximate"]
    for prefer_percent in (True, False):  # equal values, same percent-ness first
        for number in numbers:
            for candidate in candidates:
                if (number.span not in pairs and candidate.span not in used
                        and number.matches(candidate)
                        and (not prefer_percent or number.percent == candidate.percent)):
                    take(number, candidate, "same")
    for number in numbers:
        for candidate in candidates:
            if (number.span not in pairs and candidate.span not in used
                    and _rounded(number, candidate, candidate.span.slice(target))):
                take(number, candidate, "rounded")
    # Leftovers: a linked pair, else the next leftover in order, is one number rendered wrong;
    # a homograph left over is more likely the other word (ألف "he wrote", not 1000).
    left = [n for n in numbers if n.span not in pairs and n.kind not in WEAK_KINDS
            and not _homograph(n, source)]
    spare = [c for c in candidates if c.span not in used and not _weak(c, target)]
    for number in left:
        # A spelled one or two may be linked to a small spelled number ("two") too.
        pool = [c for c in candidates if c.span not in used] if _weak(number, source) else spare
        linked = [c for c in pool if _linked(number.span, c.span, links)]
        if linked:
            take(number, linked[0], "different")
            if linked[0] in spare:
                spare.remove(linked[0])
    for number in (n for n in left if n.span not in pairs and not _weak(n, source)):
        fitting = [c for c in spare if c.span not in used]
        if fitting:
            take(number, fitting[0], "different")
    return pairs


def _quote_status(source: str, target: str, quote: Quote, counterpart: Quote,
                  links: Sequence[Link]) -> tuple[SpanStatus, str]:
    ar = quote.inner.slice(source)
    en = counterpart.inner.slice(target)
    ratio = (len(en) + 5) / (len(ar) + 5)
    ar_numbers = {n.value for n in find_arabic_numbers(ar)}
    en_numbers = {n.value for n in find_english_numbers(en)}
    if not QUOTE_RATIO[0] <= ratio <= QUOTE_RATIO[1]:
        size = "shorter" if ratio < 1 else "longer"
        return "mismatch", f"quotation; the English one is much {size} ({len(en)} vs {len(ar)} " \
                           "characters)"
    if ar_numbers - en_numbers:
        missing = ", ".join(f"{v:g}" for v in sorted(ar_numbers - en_numbers))
        return "mismatch", f"quotation; its number {missing} is not in the English quotation"
    inside = [link for link in links if quote.inner.contains(link.source)]
    if inside and not any(counterpart.inner.contains(link.target) for link in inside):
        return "unverified", "quotation; its words are linked outside the English quotation"
    return "ok", "quotation rendered as a quotation"


def _trace_quotes(source: str, target: str, segments: Sequence[Segment],
                  links: Sequence[Link]) -> list[TracedSpan]:
    quotes = find_quotes(source)
    english = find_quotes(target)
    traced = []
    for indices, window in _by_segment([q.span for q in quotes], segments):
        candidates = [q for q in english if window is not None  # begun there: may run on
                      and window.start <= q.span.start < window.end]
        for depth in sorted({quotes[i].depth for i in indices}):
            mine = [quotes[i] for i in indices if quotes[i].depth == depth]
            theirs = [q for q in candidates if q.depth == depth]
            for rank, quote in enumerate(mine):
                if rank < len(theirs):
                    status, detail = _quote_status(source, target, quote, theirs[rank], links)
                    traced.append(TracedSpan("quote", quote.span, theirs[rank].span, status,
                                             detail))
                else:
                    why = ("the sentence has no translation" if window is None
                           else "no quotation in the translation")
                    traced.append(TracedSpan("quote", quote.span, None, "missing",
                                             f"quotation; {why}"))
    return traced


def _trace_dates(source: str, target: str, segments: Sequence[Segment]) -> list[TracedSpan]:
    dates = find_arabic_dates(source)
    english = find_english_dates(target)
    traced = []
    for indices, window in _by_segment([d.span for d in dates], segments):
        spare = _inside(window, english)
        mine = [dates[i] for i in indices]
        paired: dict[Span, tuple[Date, str | None]] = {}
        for date in mine:
            same = next((d for d in spare if compare(date, d) is None), None)
            if same is not None:
                paired[date.span] = (same, None)
                spare.remove(same)
        for date in mine:
            kind = [d for d in spare if (d.weekday is None) == (date.weekday is None)]
            if date.span not in paired and kind:
                paired[date.span] = (kind[0], compare(date, kind[0]))
                spare.remove(kind[0])
        for date in mine:
            said = f"{date.span.slice(source)} = {date.describe()}"
            if date.span in paired:
                found, why = paired[date.span]
                status: SpanStatus = "ok" if why is None else "mismatch"
                rendered = found.span.slice(target)
                detail = (f"{date.span.slice(source)} = {rendered}" if why is None
                          else f"{said}, but the translation has {rendered} ({why})")
                traced.append(TracedSpan("date", date.span, found.span, status, detail))
            else:
                status = "unverified" if date.weekday is not None else "missing"
                traced.append(TracedSpan("date", date.span, None, status,
                                         f"{said}: not found in the translation"))
    return traced


def _trace_entities(source: str, target: str, segments: Sequence[Segment],
                    taken: Sequence[Span]) -> list[TracedSpan]:
    traced: list[TracedSpan] = []
    for segment in segments:
        if segment.source is None:
            continue
        entities = find_arabic_entities(source, segment.source)
        if segment.target is None:
            traced.extend(TracedSpan("entity", e.span, None, "missing",
                                     f"{e.span.slice(source)}: the sentence has no translation")
                          for e in entities)
            continue
        names = english_names(target, segment.target)
        for entity in entities:
            found = find_in_english(entity, source, target, names, segment.target)
            label = f"{entity.span.slice(source)} ({', '.join(sorted(entity.english)[:3])})"
            if found is not None:
                traced.append(TracedSpan("entity", entity.span, found, "ok",
                                         f"{entity.span.slice(source)} = {found.slice(target)}"))
            else:
                # Person names of the table may be ordinary words, and language names are
                # adjectives (وكالة الأنباء الفرنسية is AFP): only a place is decisive.
                status: SpanStatus = "missing" if entity.kind == "territory" else "unverified"
                traced.append(TracedSpan("entity", entity.span, None, status,
                                         f"{label}: not found in the translation"))
        for arabic, english in sound_pairs(source, target, segment.source, segment.target,
                                           [*taken, *(e.span for e in entities)]):
            traced.append(TracedSpan("entity", arabic, english, "ok",
                                     f"{arabic.slice(source)} = {english.slice(target)} "
                                     "(sounds alike)"))
    return traced


def _occurrence(text: str, wanted: str, window: Span, skip: int) -> int:
    """Where the (``skip`` + 1)-th ``wanted`` starts inside ``window`` of ``text``, or -1."""
    found, position = -1, window.start
    for _ in range(skip + 1):
        found = text.find(wanted, position, window.end)
        if found < 0:
            return -1
        position = found + len(wanted)
    return found


def _expected_in(kind: SpanKind, wanted: Sequence[tuple[Span, str, str, str]], target: str,
                 window: Span | None) -> list[TracedSpan]:
    """What the translator put in (a protected span, a glossary term): each (source span,
    its English, the detail if found, the detail if not) is ``ok`` where that English
    stands in ``window`` of ``target`` (the k-th of an English, the k-th there), else
    ``missing``."""
    seen: Counter[str] = Counter()
    traced = []
    for span, english, found_detail, missing_detail in wanted:
        found = -1 if window is None else _occurrence(target, english, window, seen[english])
        seen[english] += 1
        traced.append(TracedSpan(kind, span, Span(found, found + len(english)), "ok",
                                 found_detail) if found >= 0
                      else TracedSpan(kind, span, None, "missing", missing_detail))
    return traced


def _trace_protected(source: str, target: str, segments: Sequence[Segment]
                     ) -> list[TracedSpan]:
    """Latin words, URLs, code, entities and emoji (``mt.protect``) of Arabic segments: each
    must stand unchanged in its segment's English (the k-th of a text, the k-th there)."""
    spans = protected_spans(source)
    traced = []
    for indices, window in _by_segment(spans, segments):
        segment = _segment_of(spans[indices[0]], segments)
        if segment is None or segment.source is None \
                or not has_arabic(segment.source.slice(source)):
            continue  # a segment with no Arabic is copied whole (not-arabic)
        texts = [spans[index].slice(source) for index in indices]
        traced += _expected_in("protected", [
            (spans[index], text, f"{text}: copied unchanged",
             f"{text}: not in the translation unchanged")
            for index, text in zip(indices, texts, strict=True)], target, window)
    return traced


def detect_spans(source: str, target: str, segments: Sequence[Segment],
                 links: Sequence[Link] = ()) -> list[TracedSpan]:
    """Quotes, numbers, names, dates and protected spans of ``source`` with their status in
    ``target``."""
    dates = _trace_dates(source, target, segments)
    spans = (_trace_numbers(source, target, segments, links)
             + _trace_quotes(source, target, segments, links) + dates
             + _trace_entities(source, target, segments, [d.source for d in dates])
             + _trace_protected(source, target, segments))
    return sorted(spans, key=lambda s: (s.source.start, s.kind, s.source.end))


def build_trace(source: str, target: str, segments: Sequence[Segment], links: Sequence[Link],
                signature: Signature | str) -> TraceDocument:
    """The one way a trace document is made (translate, align and check all end here).

    Segments and links are taken as found; the traced spans are detected
    between them, each in its own segment.
    """
    return TraceDocument(
        signature=str(signature), source_text=source, target_text=target,
        segments=tuple(segments), links=tuple(links),
        spans=tuple(detect_spans(source, target, segments, links)))


def trace_translation(translated: TranslatedText, glossary: Glossary | None = None
                      ) -> TraceDocument:
    """The trace document of a translation: its spans detected, its copied segments marked,
    and the terms of ``glossary`` (the one it was translated with) found or missing."""
    document = build_trace(translated.source_text, translated.target_text, translated.segments,
                           translated.links, translated.signature)
    copied = [TracedSpan(NOT_ARABIC, segment.source, segment.target, "unverified",
                         "no Arabic letters: copied unchanged")
              for segment in translated.segments
              if segment.id in translated.copied and segment.source is not None]
    terms = [] if glossary is None else _trace_terms(translated, glossary)
    if not (copied or terms or translated.repairs):
        return document
    spans = _with_repairs(list(document.spans), translated)
    return replace(document, spans=tuple(sorted(
        [*spans, *copied, *terms], key=lambda s: (s.source.start, s.kind, s.source.end))))


_REPAIR_KINDS: dict[str, SpanKind] = {"name": "entity", "number": "number"}
_REPAIR_NOTES = {"name": "written in by mt from the names table",
                 "number": "written in by mt (the model lost or changed it)"}


def _with_repairs(spans: list[TracedSpan], translated: TranslatedText) -> list[TracedSpan]:
    """``spans`` with what the translator wrote in itself said so: the detail of the traced
    span of that Arabic (its status stays the checker's), or a span of its own."""
    source, target = translated.source_text, translated.target_text
    for repair in translated.repairs:
        kind = _REPAIR_KINDS[repair.kind]
        note = (f"{repair.source.slice(source)} = {repair.target.slice(target)}: "
                f"{_REPAIR_NOTES[repair.kind]}")
        index = next((i for i, span in enumerate(spans) if span.kind == kind
                      and span.source.start < repair.source.end
                      and repair.source.start < span.source.end), None)
        if index is None:
            spans.append(TracedSpan(kind, repair.source, repair.target, "ok", note))
        else:
            old = spans[index]
            spans[index] = replace(old, detail=note if old.status == "ok"
                                   else f"{old.detail}; {note}")
    return spans


def _trace_terms(translated: TranslatedText, glossary: Glossary) -> list[TracedSpan]:
    """Each glossary term of a translated segment: ``ok`` where its English stands in the
    segment's English (the k-th of a term, the k-th there), ``missing`` where not."""
    source, target = translated.source_text, translated.target_text
    traced = []
    for segment in translated.segments:
        if segment.source is None or segment.id in translated.copied:
            continue
        start = segment.source.start
        terms = [(span.shift(start), english, f"{span.shift(start).slice(source)} = {english} "
                                              f"({glossary.name})")
                 for span, english in glossary.find(segment.source.slice(source))]
        traced += _expected_in("term", [(span, english, said, f"{said}: not in the translation")
                                        for span, english, said in terms],
                               target, segment.target)
    return traced
