"""The shared vocabulary of `mt`: spans, segments, links and the trace document.

Every offset is a half-open ``[start, end)`` pair of Python code-point indices
into an untouched text (``source.text`` or ``target.text``), so that
``text[start:end]`` is always the span's text. All types are frozen and
convert to and from the JSON of ``docs/INTERFACES.md``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, get_args

from mt._version import __version__
from mt.arabic import ARABIC_LETTER_RE
from mt.errors import TraceError

SpanKind = Literal["quote", "number", "entity", "date", "not-arabic", "protected", "term"]
NOT_ARABIC: SpanKind = "not-arabic"  # a segment with no Arabic letters, copied through untranslated
FindingKind = Literal[SpanKind, "untranslated", "unsupported"]
SpanStatus = Literal["ok", "mismatch", "missing", "unverified"]
SPAN_KINDS: tuple[str, ...] = get_args(SpanKind)
SPAN_STATUSES: tuple[str, ...] = get_args(SpanStatus)
TRACE_VERSION = 1
_JSON_KINDS = {dict: "an object", list: "a list", str: "a string", int: "a whole number",
               float: "a number", bool: "true or false", type(None): "null"}


def _kind_of(value: object) -> str:
    return _JSON_KINDS.get(type(value), type(value).__name__)


def _get(data: dict[str, Any], key: str, path: str, default: Any = TraceError) -> Any:
    """``data[key]``; missing, the ``default`` (none given: a ``TraceError`` naming it)."""
    if key in data:
        return data[key]
    if default is TraceError:
        raise TraceError(path, "missing")
    return default


def _typed(value: Any, kinds: tuple[type, ...], wanted: str, path: str) -> Any:
    """``value`` when it is exactly one of ``kinds`` (true is no number, 3.0 no index)."""
    if type(value) not in kinds:
        raise TraceError(path, f"{_kind_of(value)}, not {wanted}")
    return value


def _read_span(value: Any, path: str, nullable: bool = False) -> Span | None:
    if value is None and nullable:
        return None
    if type(value) is not list or len(value) != 2:
        raise TraceError(path, f"{_kind_of(value)}, not [start, end]")
    start = _typed(value[0], (int,), "a whole number", f"{path}[0]")
    end = _typed(value[1], (int,), "a whole number", f"{path}[1]")
    if not 0 <= start <= end:
        raise TraceError(path, f"[{start}, {end}] is not a range (0 <= start <= end)")
    return Span(start, end)


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
    def from_json(cls, value: list[int] | None, path: str = "span") -> Span | None:
        """``[start, end]`` of whole numbers, or null; anything else is a ``TraceError``."""
        return _read_span(value, path, nullable=True)


def _opt(span: Span | None) -> list[int] | None:
    return None if span is None else span.to_json()


@dataclass(frozen=True)
class Segment:
    """Aligned units of the two texts; one side is None for an unmatched sentence."""

    id: int
    source: Span | None
    target: Span | None
    score: float | None = None
    quality: float | None = None  # estimated quality in [0, 1] (see mt.quality)
    doubt: bool | None = None  # the estimate is under its threshold: a reader should check it

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "source": _opt(self.source),
                             "target": _opt(self.target),
                             "score": self.score}
        if self.quality is not None:
            d["quality"] = self.quality
        if self.doubt is not None:
            d["doubt"] = self.doubt
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any], path: str = "segment") -> Segment:
        d = _typed(d, (dict,), "an object", path)
        quality = _typed(d.get("quality"), (int, float, type(None)), "a number or null",
                         f"{path}.quality")
        if quality is not None and not 0 <= quality <= 1:
            raise TraceError(f"{path}.quality", f"{quality} is not in [0, 1]")
        return cls(_typed(_get(d, "id", f"{path}.id"), (int,), "a whole number", f"{path}.id"),
                   _read_span(_get(d, "source", f"{path}.source"), f"{path}.source", True),
                   _read_span(_get(d, "target", f"{path}.target"), f"{path}.target", True),
                   _typed(d.get("score"), (int, float, type(None)), "a number or null",
                          f"{path}.score"), quality,
                   _typed(d.get("doubt"), (bool, type(None)), "true, false or null",
                          f"{path}.doubt"))


@dataclass(frozen=True)
class Repair:
    """A name or number the translator wrote into the English itself, because the model
    lost or changed it (``mt.translate.repair``). Spans are in the unit's own two texts
    (``segment`` -1), or in the whole texts with the segment's id."""

    kind: Literal["name", "number"]
    source: Span
    target: Span
    segment: int = -1


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
    def from_json(cls, d: dict[str, Any], path: str = "link") -> WordLink:
        d = _typed(d, (dict,), "an object", path)
        source = _read_span(_get(d, "source", f"{path}.source"), f"{path}.source")
        target = _read_span(_get(d, "target", f"{path}.target"), f"{path}.target")
        assert source is not None and target is not None
        return cls(source, target, float(_typed(_get(d, "score", f"{path}.score"),
                                                (int, float), "a number", f"{path}.score")))


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
    def from_json(cls, d: dict[str, Any], path: str = "link") -> Link:
        d = _typed(d, (dict,), "an object", path)
        source = _read_span(_get(d, "source", f"{path}.source"), f"{path}.source")
        target = _read_span(_get(d, "target", f"{path}.target"), f"{path}.target")
        assert source is not None and target is not None
        return cls(_typed(_get(d, "segment", f"{path}.segment"), (int,), "a whole number",
                          f"{path}.segment"), source, target,
                   float(_typed(_get(d, "score", f"{path}.score"), (int, float), "a number",
                                f"{path}.score")))


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
    def from_json(cls, d: dict[str, Any], path: str = "span") -> TracedSpan:
        d = _typed(d, (dict,), "an object", path)
        kind = _typed(_get(d, "kind", f"{path}.kind"), (str,), "a string", f"{path}.kind")
        source = _read_span(_get(d, "source", f"{path}.source"), f"{path}.source")
        assert source is not None
        return cls(kind, source,
                   _read_span(d.get("target"), f"{path}.target", True),
                   _typed(_get(d, "status", f"{path}.status"), (str,), "a string",
                          f"{path}.status"),
                   _typed(d.get("detail", ""), (str,), "a string", f"{path}.detail"))


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
    facts: bool = True  # facts put in through placeholders (mt.facts), not left to the model
    glossary: str | None = None  # the user's glossary the terms came from
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
        if not self.facts:
            parts.append("facts:off")
        if self.glossary is not None:
            parts.append(f"glossary:{self.glossary}")
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
    repairs: tuple[Repair, ...] = ()  # names and numbers written in after decoding


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

    def __post_init__(self) -> None:
        _check_document(self)

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
    def from_json(cls, d: Any) -> TraceDocument:
        """The document of the JSON of docs/INTERFACES.md, every field checked: a
        ``TraceError`` names the first one wrong (``segments[3].source``)."""
        d = _typed(d, (dict,), "an object", "trace")
        version = _typed(d.get("version", TRACE_VERSION), (int,), "a whole number", "version")
        if version != TRACE_VERSION:
            raise TraceError("version", f"{version} is not known; this mt reads version "
                                        f"{TRACE_VERSION}")
        sides = {}
        for side in ("source", "target"):
            found = _typed(_get(d, side, side), (dict,), "an object", side)
            sides[side] = (
                _typed(_get(found, "text", f"{side}.text"), (str,), "a string", f"{side}.text"),
                _typed(found.get("lang", "ar" if side == "source" else "en"), (str,), "a string",
                       f"{side}.lang"))
        return cls(
            signature=_typed(_get(d, "signature", "signature"), (str,), "a string", "signature"),
            source_text=sides["source"][0],
            target_text=sides["target"][0],
            segments=tuple(Segment.from_json(s, f"segments[{n}]")
                           for n, s in enumerate(_items(d, "segments", True))),
            links=tuple(Link.from_json(link, f"links[{n}]")
                        for n, link in enumerate(_items(d, "links"))),
            spans=tuple(TracedSpan.from_json(s, f"spans[{n}]")
                        for n, s in enumerate(_items(d, "spans"))),
            source_lang=sides["source"][1],
            target_lang=sides["target"][1],
            version=version,
        )

    @classmethod
    def loads(cls, text: str) -> TraceDocument:
        """The document of a JSON text (see :meth:`from_json`)."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise TraceError("trace", f"malformed JSON ({exc.msg} at line {exc.lineno} column "
                                      f"{exc.colno})") from None
        except RecursionError:
            raise TraceError("trace", "JSON nested too deeply") from None
        except ValueError:  # an integer over Python's 4,300 digits
            raise TraceError("trace", "a number of over 4,300 digits") from None
        return cls.from_json(data)


def _items(d: dict[str, Any], key: str, required: bool = False) -> list[Any]:
    return _typed(_get(d, key, key) if required else d.get(key, []), (list,), "a list", key)


def _outside(span: Span | None, length: int) -> bool:
    return span is not None and span.end > length


def _check_document(document: TraceDocument) -> None:
    """What docs/INTERFACES.md promises of every trace document: each span inside the text it
    points into, each link inside its segment, kinds and statuses known."""
    texts = {"source": document.source_text, "target": document.target_text}
    for side, text in texts.items():
        if not isinstance(text, str):
            raise TraceError(f"{side}.text", f"{_kind_of(text)}, not a string")
    segments: dict[int, Segment] = {}
    items: Sequence[tuple[str, Sequence[Segment | Link | TracedSpan]]] = (
        ("segments", document.segments), ("links", document.links), ("spans", document.spans))
    for name, entries in items:
        for number, entry in enumerate(entries):
            for side, text in texts.items():
                span = getattr(entry, side)
                if _outside(span, len(text)):
                    raise TraceError(f"{name}[{number}].{side}",
                                     f"[{span.start}, {span.end}] lies outside the {side} text "
                                     f"({len(text)} characters)")
            if isinstance(entry, Segment):
                if entry.id in segments:
                    raise TraceError(f"segments[{number}].id", f"{entry.id} is used twice")
                segments[entry.id] = entry
            elif isinstance(entry, Link):
                _check_link(entry, number, segments)
            else:
                _check_known(entry, number)
    _check_covered(document.source_text, document.segments)


def _check_covered(source: str, segments: Sequence[Segment]) -> None:
    """Every Arabic letter of the source lies in some segment's source span (a trace of
    Arabic with no segment, or with a sentence left out, traces nothing there)."""
    spans = sorted(segment.source for segment in segments if segment.source is not None)
    covered = 0
    for span in [*spans, Span(len(source), len(source))]:
        letter = ARABIC_LETTER_RE.search(source, covered, span.start) \
            if span.start > covered else None
        if letter is not None:
            raise TraceError("segments", f"the Arabic at {letter.start()} "
                             f"({source[letter.start():letter.start() + 20]!r}) lies in no "
                             "segment's source; every Arabic letter of source.text belongs to "
                             "one")
        covered = max(covered, span.end)


def _check_link(link: Link, number: int, segments: dict[int, Segment]) -> None:
    segment = segments.get(link.segment)
    if segment is None:
        raise TraceError(f"links[{number}].segment", f"{link.segment}: no such segment")
    for side in ("source", "target"):
        inside, span = getattr(segment, side), getattr(link, side)
        if inside is None or not inside.contains(span):
            where = "none" if inside is None else f"[{inside.start}, {inside.end}]"
            raise TraceError(f"links[{number}].{side}",
                             f"[{span.start}, {span.end}] lies outside segment {segment.id}'s "
                             f"{side} ({where})")


def _check_known(span: TracedSpan, number: int) -> None:
    if span.kind not in SPAN_KINDS:
        raise TraceError(f"spans[{number}].kind",
                         f"{span.kind!r} is not a kind; one of {', '.join(SPAN_KINDS)}")
    if span.status not in SPAN_STATUSES:
        raise TraceError(f"spans[{number}].status",
                         f"{span.status!r} is not a status; one of {', '.join(SPAN_STATUSES)}")
