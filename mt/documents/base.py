"""What every document format shares: units of text, their origins in the file, results.

A reader turns a file into *units* (a paragraph, a heading, a table cell, a
group of subtitle cues, an ``alt`` attribute): plain text plus the inline
marks and anchors found in it, and *origins* saying where each verbatim
piece of that text lies in the file. The units, joined by blank lines, are
the extracted text that the trace document's offsets point into. After
translation the same reader object writes the file back from one
:class:`UnitResult` per unit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from mt.documents.markup import Anchor, Mark, Node, Piece, nest, transfer
from mt.segment import split_sentences
from mt.types import Span, WordLink

UNIT_SEPARATOR = "\n\n"  # a blank line: no sentence crosses two units
_CHUNK_RE = re.compile(r"\S+|\s+")


@dataclass(frozen=True)
class Origin:
    """``span`` of a unit's text is a verbatim copy of the file at ``where`` (a JSON object)."""

    span: Span
    where: dict[str, Any]


@dataclass
class Unit:
    """One translatable piece of a document, with what its writer needs to put it back."""

    text: str
    marks: list[Mark] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)
    handle: Any = None  # the reader's own reference (an element, a paragraph, cues)
    # Positions where a segment must end even mid-sentence (either side of the " • "
    # between two links): each side is translated alone, the separator copied.
    cuts: list[int] = field(default_factory=list)

    def segments(self) -> list[Span]:
        """What is translated as one piece: the text's sentences, cut at ``cuts``, each
        without its leading and trailing space."""
        pieces: list[Span] = []
        for sentence in split_sentences(self.text, "ar"):
            inside = [c for c in sorted(set(self.cuts))
                      if sentence.span.start < c < sentence.span.end]
            for start, end in zip([sentence.span.start, *inside],
                                  [*inside, sentence.span.end], strict=True):
                piece = self.text[start:end]
                left = start + len(piece) - len(piece.lstrip())
                right = start + len(piece.rstrip())
                if right > left:
                    pieces.append(Span(left, right))
        return pieces


@dataclass(frozen=True)
class UnitResult:
    """A unit's translation: its text, word links and sentences, relative to the unit."""

    unit: Unit
    text: str
    links: tuple[WordLink, ...]
    sentences: tuple[tuple[Span, Span], ...]  # (source, target) of each segment

    def pieces(self) -> list[Piece]:
        return transfer(self.unit.text, self.text, self.unit.marks, self.links,
                        self.unit.anchors, self.sentences)

    def tree(self) -> list[str | Anchor | Node]:
        """The translation as a tree of the unit's marks (see :mod:`mt.documents.markup`)."""
        return nest(self.pieces())


@dataclass(frozen=True)
class Untranslated:
    """Text of the file a reader leaves as it is (a chart's labels, a tracked deletion):
    never skipped silently, it is listed in the trace and counted in one warning."""

    text: str
    where: dict[str, Any]
    why: str

    def to_json(self) -> dict[str, Any]:
        return {"status": "untranslated", "text": self.text, "why": self.why, **self.where}


def written_report(parsed: ParsedDocument) -> dict[str, Any]:
    """What ``parsed``'s writer says of the file it last wrote (subtitles: each cue's reading
    speed), if it says anything."""
    return dict(getattr(parsed, "written", {}))


def left_untranslated(parsed: ParsedDocument) -> tuple[Untranslated, ...]:
    """What ``parsed`` read but leaves untranslated: its reader's ``untranslated`` list, if it
    keeps one (a reader that translates every text of its format need not)."""
    return tuple(getattr(parsed, "untranslated", ()))


class ParsedDocument(Protocol):
    """A file read by a format's reader: its units, and a writer for their translations."""

    format: str
    units: list[Unit]

    def render(self, results: Sequence[UnitResult]) -> bytes:
        """The file again, each unit replaced by its translation (same order as ``units``)."""
        ...


class Reader(Protocol):
    """A format's reader: the class that reads a file's bytes into a ParsedDocument."""

    def __call__(self, data: bytes, name: str) -> ParsedDocument: ...

    def place(self, where: dict[str, Any], offset: int) -> str:
        """A map entry as a reader says it ("table 1, row 2, cell 1, paragraph 5, run 2"),
        ``offset`` characters into it."""
        ...


def at_character(offset: int) -> str:
    """The end of a place in words: offsets count from 0, as in the trace's map."""
    return f"character {offset} (counted from 0)"


def extracted_text(units: Sequence[Unit]) -> tuple[str, list[int]]:
    """The units joined by blank lines, and where each unit starts in that text."""
    starts: list[int] = []
    position = 0
    for unit in units:
        starts.append(position)
        position += len(unit.text) + len(UNIT_SEPARATOR)
    return UNIT_SEPARATOR.join(unit.text for unit in units), starts


class TextBuilder:
    """Texts from a file joined as a browser shows them: runs of white space as one space.

    Every run of non-space characters added becomes an origin at ``where``
    plus its offset in the added text; leading and trailing space is dropped.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._pending_space = False
        self._seen_space = False
        self.origins: list[Origin] = []

    @property
    def position(self) -> int:
        """Where the next non-space character will be (a mark opening here starts there)."""
        return self._length + (1 if self._pending_space else 0)

    @property
    def spaced(self) -> bool:
        """Whether white space came since the last character (an anchor here had space before)."""
        return self._pending_space or (self._length == 0 and self._seen_space)

    @property
    def end(self) -> int:
        """The end of the text so far, pending space excluded (a mark closing here ends here)."""
        return self._length

    @property
    def last(self) -> str:
        """The last character so far ("" at the start)."""
        return self._parts[-1][-1] if self._parts else ""

    def add(self, text: str | None, where: dict[str, Any]) -> None:
        for match in _CHUNK_RE.finditer(text or ""):
            chunk = match.group()
            if chunk.isspace():
                self._pending_space = self._length > 0
                self._seen_space = True
                continue
            if self._pending_space:
                self._parts.append(" ")
                self._length += 1
                self._pending_space = False
            self.origins.append(Origin(Span(self._length, self._length + len(chunk)),
                                       {**where, "offset": match.start()}))
            self._parts.append(chunk)
            self._length += len(chunk)

    def text(self) -> str:
        return "".join(self._parts)
