"""Fidelity findings: what a reader of the English should not trust without a look.

Findings come from a trace document: every traced span that is not ``ok``
(numbers, quotes, names, dates), plus two kinds that belong to no span of the
Arabic:

- ``untranslated``: Arabic letters left in the English, or an Arabic sentence
  with no English at all (``missing``);
- ``unsupported``: English with no support in the Arabic (hallucination): an
  English sentence with no Arabic counterpart or far from its Arabic in the
  sentence encoder's space, or a number written in digits that the Arabic
  does not have (``unverified``: worth a look, not proof).

A finding with status ``mismatch`` or ``missing`` fails the check.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from mt.arabic import ARABIC_LETTER_RE, ARABIC_WORD
from mt.numbers import find_english_numbers
from mt.segment import split_sentences
from mt.types import FindingKind, Segment, Span, SpanStatus, TraceDocument, TracedSpan

FAILING: frozenset[SpanStatus] = frozenset({"mismatch", "missing"})
UNSUPPORTED_COSINE = 0.2  # below this an English sentence is far from its Arabic
_ARABIC_RUN_RE = re.compile(rf"{ARABIC_WORD}(?:\s+{ARABIC_WORD})*")  # words and the spaces between
_DIGIT_RE = re.compile(r"\d")


@dataclass(frozen=True)
class Finding(TracedSpan):
    """A traced span to look at, or text no span covers (``untranslated``, ``unsupported``)."""

    kind: FindingKind  # type: ignore[assignment]  # a traced span's kinds and two more
    segment: int | None = None  # the segment it belongs to, where known

    @property
    def fails(self) -> bool:
        return self.status in FAILING

    def to_json(self) -> dict[str, Any]:
        """As ``mt check`` writes it: status right after kind."""
        return {"kind": self.kind, "status": self.status, "source": self.source.to_json(),
                "target": None if self.target is None else self.target.to_json(),
                "detail": self.detail}


def _untranslated(document: TraceDocument) -> list[Finding]:
    findings = []
    source, target = document.source_text, document.target_text
    for segment in document.segments:
        if segment.source is None:
            continue
        if segment.target is None:
            if ARABIC_LETTER_RE.search(segment.source.slice(source)):
                findings.append(Finding("untranslated", segment.source, None, "missing",
                                        "this Arabic has no counterpart in the English"))
            continue
        for run in _ARABIC_RUN_RE.finditer(target, segment.target.start, segment.target.end):
            at = source.find(run.group(), segment.source.start, segment.source.end)
            where = Span(at, at + len(run.group())) if at >= 0 else segment.source
            findings.append(Finding("untranslated", where, Span(run.start(), run.end()),
                                    "missing",
                                    f"Arabic left untranslated in the English: {run.group()}"))
    return findings


def _source_anchor(segments: Sequence[Segment], index: int) -> Span:
    """Where an English-only segment sits in the Arabic: an empty span after the previous."""
    for previous in reversed(segments[:index]):
        if previous.source is not None:
            return Span(previous.source.end, previous.source.end)
    return Span(0, 0)


def _unsupported(document: TraceDocument, encoder: Any | None) -> list[Finding]:
    findings = []
    source, target = document.source_text, document.target_text
    traced_targets = [s.target for s in document.spans if s.target is not None]
    pairs: list[tuple[Span, Span]] = []  # (Arabic segment, English sentence)
    for index, segment in enumerate(document.segments):
        if segment.target is None:
            continue
        if segment.source is None:
            findings.append(Finding("unsupported", _source_anchor(document.segments, index),
                                    segment.target, "unverified",
                                    "this English has no counterpart in the Arabic"))
            continue
        for sentence in split_sentences(segment.target.slice(target), "en"):
            pairs.append((segment.source, sentence.span.shift(segment.target.start)))
        for number in find_english_numbers(segment.target.slice(target)):
            span = number.span.shift(segment.target.start)
            if (not number.spelled and _DIGIT_RE.search(span.slice(target))
                    and not any(t.start < span.end and span.start < t.end
                                for t in traced_targets)):
                findings.append(Finding("unsupported", segment.source, span, "unverified",
                                        f"the number {span.slice(target)} has no counterpart "
                                        "in the Arabic"))
    if encoder is not None and pairs:
        vectors = encoder.encode([a.slice(source) for a, _ in pairs]
                                 + [e.slice(target) for _, e in pairs])
        for k, (arabic, english) in enumerate(pairs):
            cosine = float(vectors[k] @ vectors[len(pairs) + k])
            if cosine < UNSUPPORTED_COSINE:
                findings.append(Finding(
                    "unsupported", arabic, english, "unverified",
                    f"this English sentence is far from its Arabic (similarity {cosine:.2f})"))
    return findings


def check_document(document: TraceDocument, encoder: Any | None = None,
                   include_ok: bool = False) -> list[Finding]:
    """Findings of a trace document, in source order; ``encoder`` enables sentence checks."""
    findings = [Finding(s.kind, s.source, s.target, s.status, s.detail)
                for s in document.spans if include_ok or s.status != "ok"]
    findings += _untranslated(document) + _unsupported(document, encoder)
    findings = [replace(f, segment=_segment_of(f, document.segments)) for f in findings]
    return sorted(findings, key=lambda f: (f.source.start, f.source.end, f.kind))


def _segment_of(finding: Finding, segments: Sequence[Segment]) -> int | None:
    """The segment whose target holds the finding's target, else whose source holds it."""
    for segment in segments:
        if finding.target is not None and segment.target is not None and (
                segment.target.contains(finding.target)):
            return segment.id
    for segment in segments:
        if segment.source is not None and segment.source.contains(finding.source):
            return segment.id
    return None


def check(document: TraceDocument, similarity: bool = True,
          include_ok: bool = False) -> list[Finding]:
    """What ``mt check``, ``POST /v1/check``, ``mt.check_trace`` and reports give: the
    findings of ``document``, with the packaged sentence encoder unless ``similarity`` is
    False; ``include_ok`` lists the ok spans too."""
    if not similarity:
        return check_document(document, include_ok=include_ok)
    from mt.encoder import load_encoder

    return check_document(document, load_encoder(), include_ok=include_ok)
