"""The shared vocabulary of `mt`: spans, segments, links and the trace document.

Every offset is a half-open ``[start, end)`` pair of Python code-point indices
into an untouched text (``source.text`` or ``target.text``), so that
``text[start:end]`` is always the span's text. All types are frozen and
convert to and from the JSON of ``docs/INTERFACES.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, get_args

from mt import __version__

SpanKind = Literal["quote", "number", "entity", "date", "not-arabic"]
NOT_ARABIC: SpanKind = "not-arabic"  # a segment with no Arabic letters, copied through untranslated
FindingKind = Literal[SpanKind, "untranslated", "unsupported"]
SpanStatus = Literal["ok", "mismatch", "missing", "unverified"]
SPAN_KINDS: tuple[str, ...] = get_args(SpanKind)
SPAN_STATUSES: tuple[str, ...] = get_args(SpanStatus)
TRACE_VERSION = 1


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range of code points."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def slice(self, text: str) -> str:
        return text[self.start:self.end]

    def shift(self, offset: int) -> Span:
        return Span(self.start + offset, self.end + offset)

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def to_json(self) -> list[int]:
        return [self.start, self.end]

    @classmethod
    def from_json(cls, value: list[int] | None) -> Span | None:
        return None if value is None else cls(int(value[0]), int(value[1]))


def _opt(span: Span | None) -> list[int] | None:
    return None if span is None else span.to_json()


@dataclass(frozen=True)
class Segment:
    """Aligned units of the two texts; one side is None for an unmatched sentence."""

    id: int
    source: Span | None
    target: Span | None
    score: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "source": _opt(self.source), "target": _opt(self.target),
                "score": self.score}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Segment:
        return cls(int(d["id"]), Span.from_json(d["source"]), Span.from_json(d["target"]),
                   d.get("score"))


class WordLink(NamedTuple):
    """A word link inside one pair or unit, spans into that pair's own two texts.

    The aligner, the translator and corpus records use this form; a trace
    document carries :class:`Link`, the same link in absolute offsets with
    its segment.
    """

    source: Span
    target: Span
    score: float

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source.to_json(), "target": self.target.to_json(),
                "score": self.score}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> WordLink:
        return cls(Span(*d["source"]), Span(*d["target"]), float(d["score"]))


@dataclass(frozen=True)
class Link:
    """A word or phrase link between the two texts, inside one segment."""

    segment: int
    source: Span
    target: Span
    score: float

    def to_json(self) -> dict[str, Any]:
        return {"segment": self.segment, "source": self.source.to_json(),
                "target": self.target.to_json(), "score": self.score}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Link:
        return cls(int(d["segment"]), Span(*d["source"]), Span(*d["target"]), float(d["score"]))


@dataclass(frozen=True)
class TracedSpan:
    """Something a reader must be able to trace: a quote, number, entity or date."""

    kind: SpanKind
    source: Span
    target: Span | None
    status: SpanStatus
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "source": self.source.to_json(), "target": _opt(self.target),
                "status": self.status, "detail": self.detail}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> TracedSpan:
        source = Span.from_json(d["source"])
        assert source is not None
        return cls(d["kind"], source, Span.from_json(d.get("target")), d["status"],
                   d.get("detail", ""))


@dataclass(frozen=True)
class Signature:
    """Everything that decided a trace document's content, as sacrebleu signs its scores.

    ``str(signature)`` is the document's ``signature`` field, parts present
    where they apply:
    ``mt:0.2.0|model:NAME@HASH|revision:REV|decode:beam6,OPTION=VALUE...|backend:NAME-TYPE|align:METHOD|heads:HEADS``.
    """

    aligner: str  # how segments and word links were found
    model: str | None = None  # the model's directory name or hub id
    weights: str | None = None  # sha256[:12] of the weights
    revision: str | None = None  # the hub snapshot, where the model came from the hub cache
    backend: str | None = None
    compute_type: str | None = None
    decode: tuple[tuple[str, Any], ...] = ()  # every decoding option, as (name, value)
    attention_heads: str | None = None  # the cross-attention heads behind attention links
    version: str = __version__

    def __str__(self) -> str:
        parts = [f"mt:{self.version}"]
        if self.model is not None:
            parts.append(f"model:{self.model}" + (f"@{self.weights}" if self.weights else ""))
        if self.revision is not None:
            parts.append(f"revision:{self.revision}")
        if self.decode:
            parts.append("decode:" + ",".join(f"beam{value}" if name == "beam_size"
                                              else f"{name}={value}"
                                              for name, value in self.decode))
        if self.backend is not None:
            parts.append("backend:" + "-".join(p for p in (self.backend, self.compute_type) if p))
        parts.append(f"align:{self.aligner}")
        if self.attention_heads is not None:
            parts.append(f"heads:{self.attention_heads}")
        return "|".join(parts)


@dataclass(frozen=True)
class TranslatedText:
    """A text's translation, segment by segment, with word links: what a translator
    gives. ``mt.trace.trace_translation`` makes it a trace document."""

    signature: str
    source_text: str
    target_text: str
    segments: tuple[Segment, ...]
    links: tuple[Link, ...] = ()
    copied: tuple[int, ...] = ()  # the segments with no Arabic letters, copied unchanged


@dataclass(frozen=True)
class TraceDocument:
    """A source text, its translation, and everything that links the two."""

    signature: str
    source_text: str
    target_text: str
    segments: tuple[Segment, ...]
    links: tuple[Link, ...] = ()
    spans: tuple[TracedSpan, ...] = ()
    source_lang: str = "ar"
    target_lang: str = "en"
    version: int = field(default=TRACE_VERSION)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "signature": self.signature,
            "source": {"lang": self.source_lang, "text": self.source_text},
            "target": {"lang": self.target_lang, "text": self.target_text},
            "segments": [s.to_json() for s in self.segments],
            "links": [link.to_json() for link in self.links],
            "spans": [s.to_json() for s in self.spans],
        }

    def dumps(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> TraceDocument:
        return cls(
            signature=d["signature"],
            source_text=d["source"]["text"],
            target_text=d["target"]["text"],
            segments=tuple(Segment.from_json(s) for s in d["segments"]),
            links=tuple(Link.from_json(link) for link in d.get("links", [])),
            spans=tuple(TracedSpan.from_json(s) for s in d.get("spans", [])),
            source_lang=d["source"].get("lang", "ar"),
            target_lang=d["target"].get("lang", "en"),
            version=int(d.get("version", TRACE_VERSION)),
        )

    @classmethod
    def loads(cls, text: str) -> TraceDocument:
        return cls.from_json(json.loads(text))
