"""One Word paragraph (``w:p``) as a unit: its text, the marks over it, what is kept as it is.

Every text run is a mark, so its formatting follows the English words linked to its
Arabic ones; the hyperlinks, insertions, smart tags, content controls, bidi embeddings
(``w:dir``, ``w:bdo``) and fields around runs are marks too, so they stay around their
words. A field (``fldChar`` begin, instructions, separate, result, end) keeps its
instructions untouched; its result is translated where it is text (a hyperlink's, a
cross-reference's, a table of contents' entries) and kept as it is where Word computes
it (a page number). Everything else (pictures, text boxes, tabs, breaks, bookmarks,
footnote references, computed fields) is an *anchor*: the very element, moved, never
copied, put back after the English counterpart of the Arabic word before it. A field
whose parts lie in different paragraphs (a table of contents) is followed across them
by :class:`Fields`. :mod:`mt.documents.docx_write` writes the translation back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mt.documents.base import Origin, Unit
from mt.documents.docx_package import local, w
from mt.documents.markup import Anchor, Mark
from mt.types import Span

# Elements wrapping runs that stay around their words (sdt: the runs are in its sdtContent).
WRAPPERS = frozenset({"hyperlink", "ins", "moveTo", "smartTag", "customXml", "dir", "bdo",
                      "sdt", "fldSimple"})
# Run children that end a word: an anchor with a space in the unit's text.
SEPARATORS = frozenset({"tab", "ptab", "br", "cr"})
# Run children dropped when a run is rebuilt: hints Word writes again.
HINTS = frozenset({"lastRenderedPageBreak", "softHyphen"})
# Fields whose result Word computes (page numbers, dates, sequence numbers): kept as they
# are, never translated, never moved apart from their field.
COMPUTED_FIELDS = frozenset({
    "PAGE", "NUMPAGES", "SECTIONPAGES", "PAGEREF", "NOTEREF", "SEQ", "DATE", "TIME",
    "CREATEDATE", "SAVEDATE", "PRINTDATE", "EDITTIME", "REVNUM", "SECTION", "NUMWORDS",
    "NUMCHARS", "FILESIZE", "=", "AUTONUM", "AUTONUMLGL", "AUTONUMOUT", "LISTNUM", "BARCODE",
    "SYMBOL", "EQ", "EMBED", "INCLUDEPICTURE", "FORMCHECKBOX", "FORMDROPDOWN"})


def field_type(instruction: str) -> str:
    """A field's type: the first word of its instructions (``PAGE``, ``HYPERLINK``...)."""
    words = instruction.replace("=", " = ").split()
    return words[0].upper() if words else ""


def _computed(instruction: str) -> bool:
    return field_type(instruction) in COMPUTED_FIELDS


def _fld_char(run: Any) -> str | None:
    """``begin``, ``separate`` or ``end`` for a run holding a field character."""
    char = run.find(w("fldChar"))
    return None if char is None else char.get(w("fldCharType"))


def _instruction(elements: Sequence[Any]) -> str:
    return "".join(e.text or "" for element in elements for e in element.iter(w("instrText")))


@dataclass
class Fields:
    """Fields open across paragraphs, outermost first: [instructions so far, in result]."""

    open: list[list[Any]] = field(default_factory=list)

    def kept(self) -> bool:
        """Whether a run here is kept as it is: in instructions or in a computed result."""
        return any(not in_result or _computed(instruction)
                   for instruction, in_result in self.open)

    def step(self, run: Any) -> None:
        kind = _fld_char(run)
        if kind == "begin":
            self.open.append(["", False])
        elif self.open and kind == "separate":
            self.open[-1][1] = True
        elif self.open and kind == "end":
            self.open.pop()
        elif self.open and not self.open[-1][1]:
            self.open[-1][0] += _instruction([run])


@dataclass(frozen=True)
class RunMark:
    """A text run: rebuilt as a copy of its properties around its share of the English."""

    element: Any
    text: str  # its text in the unit (where a gap between runs goes, by its leading space)


@dataclass(frozen=True)
class WrapperMark:
    """A hyperlink, insertion, content control...: rebuilt around what lands inside it."""

    element: Any
    inner: Any  # where its runs are: the element itself, or an sdt's sdtContent


@dataclass(frozen=True)
class FieldMark:
    """A field with a text result: begin...separate, the result, end, all in one place."""

    before: list[Any]
    after: list[Any]


@dataclass(frozen=True)
class Kept:
    """Elements moved as they are; ``run``: the mark of the run they came out of (a tab
    or a picture inside a run), whose properties wrap them where they land outside it."""

    elements: list[Any]
    run: int | None = None
    spaced: tuple[bool, bool] = (False, False)  # white space before it, after it, in the file
    after_punctuation: bool = False  # it followed a full stop, a comma... in the file


Payload = RunMark | WrapperMark | FieldMark | Kept


@dataclass
class Paragraph:
    """What a unit's writer needs: the paragraph, its marks' payloads, the white space
    around its text (the translation has none) and where a drop cap's letter goes."""

    element: Any
    payloads: list[Payload]
    lead: str
    trail: str
    cap: list[Any]  # the w:t elements of a drop cap: the first gets the English's first letter


class _Walk:
    """One pass over a paragraph's children, building the unit's text, marks and anchors."""

    def __init__(self, paragraph: Any, where: dict[str, Any], fields: Fields,
                 run_numbers: dict[Any, int]) -> None:
        self.paragraph = paragraph
        self.where = where
        self.fields = fields
        self.run_numbers = run_numbers
        self.parts: list[str] = []
        self.length = 0
        self.marks: list[Mark] = []
        self.anchors: list[Anchor] = []
        self.origins: list[Origin] = []
        self.payloads: list[Payload] = []
        self.texts: list[Any] = []  # the w:t elements read into the unit
        self.synthetic: set[int] = set()  # spaces standing for a tab or a break
        self.cap: list[Any] = []
        self.skip: Any = None  # a run read as a drop cap

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def keep(self, elements: list[Any], stack: tuple[int, ...], run: int | None = None,
             space: bool = False) -> None:
        if space and self.length and not self.parts[-1][-1:].isspace():
            self.synthetic.add(self.length)
            self.add(" ")
        self.payloads.append(Kept(elements, run))
        self.anchors.append(Anchor(self.length, len(self.payloads) - 1, stack))

    def drop_cap(self, runs: list[Any], where: dict[str, Any]) -> None:
        """A drop cap's letter (its own framed paragraph's runs, or a run of one letter
        before the rest of its word): text of the unit, but no mark, so that its size goes
        to the English's first letter only."""
        for number, run in enumerate(runs):
            for t in run.iter(w("t")):
                if t.text:
                    self.origins.append(Origin(Span(self.length, self.length + len(t.text)),
                                               {**where, "run": number, "offset": 0}))
                    self.add(t.text)
                    self.cap.append(t)
        self.texts.extend(self.cap)

    def children(self, parent: Any, stack: tuple[int, ...]) -> None:
        """Walk ``parent``'s children (an element's, or a field's result runs)."""
        items = [c for c in parent if not (local(c).endswith("Pr") or local(c) == "fldData")]
        index = 0
        while index < len(items):
            child = items[index]
            name = local(child)
            end = self._field_end(items, index) if name == "r" and not self.fields.kept() \
                and _fld_char(child) == "begin" else None
            if end is not None:
                self.field(items[index:end + 1], stack)
                index = end + 1
                continue
            if child is self.skip:
                pass
            elif name == "r":
                self.run(child, stack)
            elif name in WRAPPERS and not self.fields.kept() and self._wrapped_text(child):
                self.wrapper(child, stack)
            else:
                self.keep([child], stack)
            index += 1

    @staticmethod
    def _field_end(items: list[Any], begin: int) -> int | None:
        """The index of the run ending the field begun at ``begin``, among its siblings."""
        depth = 0
        for index in range(begin, len(items)):
            kind = _fld_char(items[index]) if local(items[index]) == "r" else None
            depth += (kind == "begin") - (kind == "end")
            if depth == 0:
                return index
        return None

    def field(self, items: list[Any], stack: tuple[int, ...]) -> None:
        """A whole field among siblings: one anchor if its result is computed or empty,
        else a mark around its result."""
        separate = next((i for i, item in enumerate(items) if local(item) == "r"
                         and _fld_char(item) == "separate" and self._depth(items, i) == 1),
                        None)
        result = items[separate + 1:-1] if separate is not None else []
        if separate is None or _computed(_instruction(items[:separate])) or not any(
                self._wrapped_text(item) for item in result):
            self.keep(items, stack)
            return
        mark_id = len(self.payloads)
        self.payloads.append(FieldMark(items[:separate + 1], items[-1:]))
        start = self.length
        self.children(result, (*stack, mark_id))
        self.marks.append(Mark(mark_id, Span(start, self.length)))

    @staticmethod
    def _depth(items: list[Any], at: int) -> int:
        depth = 0
        for item in items[:at]:
            kind = _fld_char(item) if local(item) == "r" else None
            depth += (kind == "begin") - (kind == "end")
        return depth

    def _wrapped_text(self, element: Any) -> bool:
        """Whether ``element`` holds text of this paragraph (not of a text box inside it)."""
        if local(element) == "r":
            return any(t.text for t in element.findall(w("t")))
        if local(element) == "fldSimple" and _computed(element.get(w("instr"), "")):
            return False
        return any(t.text and _owner(t) is self.paragraph for t in element.iter(w("t")))

    def wrapper(self, element: Any, stack: tuple[int, ...]) -> None:
        inner = element.find(w("sdtContent")) if local(element) == "sdt" else element
        if inner is None:
            self.keep([element], stack)
            return
        mark_id = len(self.payloads)
        self.payloads.append(WrapperMark(element, inner))
        start = self.length
        self.children(inner, (*stack, mark_id))
        self.marks.append(Mark(mark_id, Span(start, self.length)))

    def run(self, run: Any, stack: tuple[int, ...]) -> None:
        kept = self.fields.kept() or _fld_char(run) is not None or run.find(w("instrText")) \
            is not None or not self._wrapped_text(run)
        self.fields.step(run)
        if kept:
            self.keep([run], stack, space=any(local(c) in SEPARATORS for c in run))
            return
        mark_id = len(self.payloads)
        start, first_part = self.length, len(self.parts)
        self.payloads.append(RunMark(run, ""))
        offset = 0  # in python-docx's Run.text of this run
        number = self.run_numbers.get(run, -1)
        for child in run:
            name = local(child)
            if name == "t" and child.text:
                self.origins.append(Origin(Span(self.length, self.length + len(child.text)),
                                           {**self.where, "run": number, "offset": offset}))
                self.add(child.text)
                self.texts.append(child)
                offset += len(child.text)
            elif name == "noBreakHyphen":
                self.add("\u2011")
                offset += 1
            elif name in SEPARATORS:
                self.keep([child], (*stack, mark_id), run=mark_id, space=True)
                offset += 0 if name == "br" and child.get(w("type"), "textWrapping") \
                    != "textWrapping" else 1
            elif name not in HINTS and name != "rPr" and name != "t":
                self.keep([child], (*stack, mark_id), run=mark_id)
        self.payloads[mark_id] = RunMark(run, "".join(self.parts[first_part:]))
        self.marks.append(Mark(mark_id, Span(start, self.length)))


def _owner(element: Any) -> Any:
    """The paragraph an element belongs to (the nearest ``w:p`` above it)."""
    return next(element.iterancestors(w("p")), None)


def own_runs(paragraph: Any) -> list[Any]:
    """The paragraph's runs in document order, those of text boxes inside it excluded."""
    return [r for r in paragraph.iter(w("r")) if _owner(r) is paragraph]


def _cap_run(paragraph: Any) -> Any | None:
    """A first run of a single letter followed by a run going on with the same word (a
    drop cap written as a big first letter)."""
    runs = [c for c in paragraph if local(c) == "r"]
    texts = ["".join(t.text or "" for t in r.findall(w("t"))) for r in runs[:2]]
    simple = all(local(c) in ("rPr", "t") for r in runs[:2] for c in r)
    if len(texts) == 2 and simple and len(texts[0]) == 1 and texts[0].isalpha() and \
            texts[1][:1].isalpha() and runs[0] is next(iter(paragraph.iter(w("r")))):
        return runs[0]
    return None


def read_paragraph(paragraph: Any, where: dict[str, Any], fields: Fields,
                   cap: tuple[Any, dict[str, Any]] | None = None
                   ) -> tuple[Unit, list[Any]] | None:
    """The paragraph as a unit (None without text), and the ``w:t`` elements it read;
    ``cap``: the framed paragraph holding its drop cap, and that paragraph's place."""
    numbers = {run: number for number, run in enumerate(own_runs(paragraph))}
    walk = _Walk(paragraph, where, fields, numbers)
    if cap is not None:
        walk.drop_cap(own_runs(cap[0]), cap[1])
    first = _cap_run(paragraph) if cap is None else None
    if first is not None:
        walk.keep([first], ())
        walk.drop_cap([first], where)
        walk.skip = first
    walk.children(paragraph, ())
    text = "".join(walk.parts)
    if not text.strip():
        return None
    anchors = [replace(a, spaced=(text[a.position - 1:a.position].isspace(),
                                  text[a.position:a.position + 1].isspace()))
               for a in walk.anchors]
    for anchor in anchors:
        kept = walk.payloads[anchor.payload]
        assert isinstance(kept, Kept)
        before = text[:anchor.position].rstrip()
        walk.payloads[anchor.payload] = replace(
            kept, spaced=anchor.spaced,
            after_punctuation=bool(before) and not before[-1].isalnum())
    # White space at an edge goes back where the translation has none, unless an anchor
    # stands there (the space beside an anchor is the anchor's to keep).
    lead = len(text) - len(text.lstrip())
    trail = len(text.rstrip())
    lead_text = "" if any(a.position <= lead for a in anchors) else "".join(
        c for i, c in enumerate(text[:lead]) if i not in walk.synthetic)
    trail_text = "" if any(a.position >= trail for a in anchors) else "".join(
        c for i, c in enumerate(text[trail:], trail) if i not in walk.synthetic)
    handle = Paragraph(paragraph, walk.payloads, lead_text, trail_text, walk.cap)
    return Unit(text, walk.marks, anchors, walk.origins, handle), walk.texts
