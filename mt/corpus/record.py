"""The pair record that every corpus stage streams, and its row form.

A pair is an Arabic sentence and its English counterpart, plus what is known
of where they came from: the document, the segment number in it, the spans of
both sentences in the document's source and target texts, a score (model
log-probability or alignment score), a quality estimate in [0, 1] for a
translation (``mt.quality``), the signature of the tool that made it,
and word links. Link spans are relative to the pair's own ``ar`` and ``en``
so that a pair means something on its own.

The row form (``to_row``/``from_row``) is the one layout shared by JSONL,
Parquet, Hugging Face ``datasets`` and Ray: ``{"translation": {"ar", "en"},
"doc", "segment", "source", "target", "score", "quality", "signature", "links"}``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from mt.arabic import LONE_SURROGATE_RE
from mt.errors import TraceError
from mt.types import Span, WordLink


def _check_text(name: str, value: object) -> None:
    """A text field: a string (or null) of real characters, which every format can write."""
    if value is None:
        return
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    found = LONE_SURROGATE_RE.search(value)
    if found:
        raise ValueError(f"{name} holds a lone surrogate U+{ord(found.group()):04X}, which is "
                         "not a character")




@dataclass(frozen=True, slots=True)
class Pair:
    """One Arabic-English pair with optional provenance."""

    ar: str
    en: str
    doc: str | None = None
    segment: int | None = None
    source: Span | None = None
    target: Span | None = None
    score: float | None = None
    signature: str | None = None
    links: tuple[WordLink, ...] = ()
    quality: float | None = None

    def to_row(self, compact: bool = False) -> dict[str, Any]:
        """The row form; ``compact`` leaves out what is unknown (for JSONL)."""
        row: dict[str, Any] = {
            "translation": {"ar": self.ar, "en": self.en},
            "doc": self.doc,
            "segment": self.segment,
            "source": None if self.source is None else self.source.to_json(),
            "target": None if self.target is None else self.target.to_json(),
            "score": self.score,
            "quality": self.quality,
            "signature": self.signature,
            "links": [link.to_json() for link in self.links],
        }
        if compact:
            return {key: value for key, value in row.items() if value not in (None, [])}
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Pair:
        """A pair from a row; raises KeyError/TypeError/ValueError on a malformed one."""
        translation = row["translation"]
        ar, en = translation["ar"], translation["en"]
        if not isinstance(ar, str) or not isinstance(en, str):
            raise TypeError("translation.ar and translation.en must be strings")
        for name, value in (("translation.ar", ar), ("translation.en", en),
                            ("doc", row.get("doc")), ("signature", row.get("signature"))):
            _check_text(name, value)
        segment, score, quality = row.get("segment"), row.get("score"), row.get("quality")
        # Lossless: a value is taken as it is or refused, never coerced (1.9 is no segment).
        if segment is not None and type(segment) is not int:
            raise TypeError(f"segment must be a whole number, not {segment!r}")
        for name, value in (("score", score), ("quality", quality)):
            if value is not None and (type(value) not in (int, float)
                                      or not math.isfinite(value)):
                raise TypeError(f"{name} must be a finite number, not {value!r}")
        try:
            return cls(
                ar=ar, en=en, doc=row.get("doc"), segment=segment,
                source=Span.from_json(row.get("source"), "source"),
                target=Span.from_json(row.get("target"), "target"),
                score=None if score is None else float(score),
                signature=row.get("signature"),
                links=tuple(WordLink.from_json(link, f"links[{n}]")
                            for n, link in enumerate(row.get("links") or ())),
                quality=None if quality is None else float(quality),
            )
        except TraceError as exc:  # the readers name the file and line of a ValueError
            raise ValueError(str(exc)) from None
