"""Word documents (.docx): every paragraph of every story part is a unit.

The story parts are the body (tables included), headers, footers, footnotes, endnotes
and comments; paragraphs inside text boxes are units of their own, and the fallback
copy of a text box that Word keeps for older readers (``mc:Fallback``) is written
again from the translated one. How a paragraph's runs, hyperlinks, fields and anchors
are read is :mod:`mt.documents.docx_paragraph`'s, how they are written back
:mod:`mt.documents.docx_write`'s. A paragraph with no Arabic letter is left exactly as
it is. Right-to-left settings (``w:bidi``, ``w:rtl``, ``w:bidiVisual``) are removed
from the stories, the styles and the list levels, and a translated run gets the size,
bold and italic its Arabic was shown in (``w:szCs``, ``w:bCs``, ``w:iCs``), so the
English looks as the Arabic did. Arabic the reader keeps as it is (a chart's labels, a
tracked deletion, a computed field's result) is listed as untranslated.

Places (the trace's ``document`` map), all counted from 0: ``part`` (the zip member,
``word/document.xml``, ``word/footnotes.xml``...), ``paragraph`` (the n-th ``w:p`` of
that part in document order, ``root.iter(w:p)``: table cells and text boxes included),
``run`` (the n-th ``w:r`` of that paragraph, those inside hyperlinks, fields and
insertions included, those of its text boxes not) and ``offset`` (in that run's text as
python-docx's ``Run.text`` gives it). Where python-docx can reach the paragraph,
``python-docx`` says how: ``doc.tables[0].rows[1].cells[2].paragraphs[0]`` (cells as
``row.cells`` counts them, a merged cell once per grid column it spans),
``doc.sections[0].footer.paragraphs[0]``, ``doc.comments.get(3).paragraphs[0]``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from copy import deepcopy
from typing import Any

from mt.arabic import ARABIC_LETTER_RE
from mt.documents.base import Unit, UnitResult, Untranslated
from mt.documents.docx_package import Package, R, W, local, w
from mt.documents.docx_paragraph import Fields, Paragraph, read_paragraph
from mt.documents.docx_styles import ComplexScript
from mt.documents.docx_write import write_paragraph

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
RIGHT_TO_LEFT = frozenset({"bidi", "rtl", "bidiVisual"})
_HEADER_KINDS = {("header", "default"): "header", ("header", "first"): "first_page_header",
                 ("header", "even"): "even_page_header", ("footer", "default"): "footer",
                 ("footer", "first"): "first_page_footer", ("footer", "even"): "even_page_footer"}


def _fallbacks(root: Any) -> Iterator[tuple[list[Any], list[Any]]]:
    """(text boxes of the choice, of the fallback) of each ``mc:AlternateContent`` whose
    fallback holds as many text boxes as its first choice with any."""
    for content in root.iter(f"{{{MC}}}AlternateContent"):
        fallback = content.find(f"{{{MC}}}Fallback")
        choices = [list(c.iter(w("txbxContent"))) for c in content.findall(f"{{{MC}}}Choice")]
        boxes = next((c for c in choices if c), [])
        if fallback is not None and boxes:
            copies = list(fallback.iter(w("txbxContent")))
            if len(copies) == len(boxes):
                yield boxes, copies


class DocxDocument:
    """A .docx read into units; :meth:`render` writes it back translated."""

    format = "docx"

    @staticmethod
    def place(where: dict[str, Any], offset: int) -> str:
        api = f" ({where['python-docx']})" if "python-docx" in where else ""
        run = f", run {where['run']}" if "run" in where else ""
        return (f"{where['part']}, paragraph {where['paragraph']}{api}{run}, character "
                f"{offset} (counted from 0)")

    def __init__(self, data: bytes, name: str) -> None:
        self.package = Package(data, name)
        self.units: list[Unit] = []
        self.untranslated: list[Untranslated] = []
        self.complex_script = ComplexScript(self.package.styles())
        self._boxes: list[tuple[list[Any], list[Any]]] = []
        read: set[Any] = set()  # the w:t elements units hold (kept alive, so their proxies)
        addresses = self._python_docx_bases()
        for _, member in self.package.stories():
            root = self.package.xml(member)
            pairs = list(_fallbacks(root))
            self._boxes.extend(pairs)
            copies = {p for _, boxes in pairs for box in boxes for p in box.iter(w("p"))}
            fields = Fields()
            numbers = _sibling_numbers(root) if member in addresses else {}
            cap: tuple[Any, dict[str, Any]] | None = None
            for number, paragraph in enumerate(root.iter(w("p"))):
                if paragraph in copies:
                    read.update(paragraph.iter(w("t")))
                    continue
                where: dict[str, Any] = {"part": member, "paragraph": number}
                address = _address(paragraph, addresses.get(member), numbers)
                if address is not None:
                    where["python-docx"] = address
                if _is_drop_cap(paragraph) and _next_paragraph(paragraph) is not None:
                    cap = (paragraph, where)  # read with the paragraph it begins
                    continue
                joined = cap if cap is not None and _next_paragraph(cap[0]) is paragraph \
                    else None
                cap = None
                found = read_paragraph(paragraph, where, fields, joined)
                if found is not None:
                    self.units.append(found[0])
                    read.update(found[1])
        self._list_untranslated(read)

    def _python_docx_bases(self) -> dict[str, str]:
        """How python-docx reaches each story part's paragraphs (the body: ``doc``; a header:
        ``doc.sections[0].header``, by the first section that uses it)."""
        document = self.package.parts_of("document")[0]
        bases = {document: "doc"}
        targets = self.package.relationships(document)
        sections = self.package.xml(document).xpath(
            "./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr", namespaces={"w": W})
        for number, section in enumerate(sections):
            for reference in section:
                kind = _HEADER_KINDS.get((local(reference).removesuffix("Reference"),
                                          reference.get(w("type"), "default")))
                target = targets.get(reference.get(f"{{{R}}}id", ""))
                if kind and target:
                    bases.setdefault(target, f"doc.sections[{number}].{kind}")
        for member in self.package.parts_of("comments"):
            bases[member] = "doc.comments"
        return bases

    def _list_untranslated(self, read: set[Any]) -> None:
        stories = {member for _, member in self.package.stories()}
        for member in self.package.xml_members():
            if member.endswith(".rels") or member == "[Content_Types].xml":
                continue
            root = self.package.xml(member)
            for element in root.iter():
                why = _why_kept(element, member in stories, self.package.types.get(member, ""))
                if why and element not in read and ARABIC_LETTER_RE.search(element.text or ""):
                    self._untranslated(element, element.text, member, why)
                for attribute in ("descr", "title"):
                    value = element.get(attribute) or ""
                    if local(element) == "docPr" and ARABIC_LETTER_RE.search(value):
                        self._untranslated(element, value, member,
                                           f"a picture's {attribute} (alternative text)")

    def _untranslated(self, element: Any, text: str, member: str, why: str) -> None:
        where: dict[str, Any] = {"part": member, "element": local(element)}
        self.untranslated.append(Untranslated(text, where, why))

    def _emptied(self, unit: Unit, marks: list[int]) -> None:
        """Links and fields whose words the translation dropped: listed, never silent."""
        spans = {mark.id: mark.span for mark in unit.marks}
        where = {k: v for k, v in unit.origins[0].where.items() if k in ("part", "paragraph")}
        for mark in marks:
            self.untranslated.append(Untranslated(
                spans[mark].slice(unit.text), where,
                "a link or field whose words the translation dropped: kept, with no text"))

    def render(self, results: Sequence[UnitResult]) -> bytes:
        for result in results:
            handle = result.unit.handle
            assert isinstance(handle, Paragraph)
            if ARABIC_LETTER_RE.search(result.unit.text):
                emptied = write_paragraph(handle, result.tree(), self.complex_script.apply)
                self._emptied(result.unit, emptied)
        for boxes, copies in self._boxes:
            for box, copy in zip(boxes, copies, strict=True):
                for child in list(copy):
                    copy.remove(child)
                copy.extend(deepcopy(child) for child in box)
        self._left_to_right()
        return self.package.save()

    def _left_to_right(self) -> None:
        roots = [self.package.xml(member) for _, member in self.package.stories()]
        roots += [r for r in (self.package.styles(), self.package.numbering()) if r is not None]
        for root in roots:
            doomed = [e for e in root.iter() if local(e) in RIGHT_TO_LEFT]
            for element in doomed:
                element.getparent().remove(element)


def _is_drop_cap(paragraph: Any) -> bool:
    frame = paragraph.find(f"{w('pPr')}/{w('framePr')}")
    return frame is not None and frame.get(w("dropCap"), "none") in ("drop", "margin")


def _next_paragraph(paragraph: Any) -> Any | None:
    following = paragraph.getnext()
    return following if following is not None and following.tag == w("p") else None


def _why_kept(element: Any, story: bool, content_type: str) -> str | None:
    """Why text in ``element`` is not translated (None: it is not text a reader sees)."""
    name = local(element)
    if story:
        if name == "t":
            tag = element.tag
            if tag == w("t"):
                return "kept as it is: a computed field's result or text the reader keeps"
            return "an equation" if "math" in tag else "text in a drawing"
        return "a tracked deletion, kept deleted" if name == "delText" else None
    if not isinstance(element.tag, str) or len(element):
        return None
    for word, why in (("chart", "a chart"), ("diagram", "a diagram (SmartArt)"),
                      ("properties", "the document's properties"),
                      ("glossary", "building blocks (not shown in the document)")):
        if word in content_type:
            return why
    return "a part the reader does not translate"


def _sibling_numbers(root: Any) -> dict[Any, int]:
    """Each paragraph's, table's and row's number among its parent's children of its kind
    (what python-docx's ``paragraphs``, ``tables`` and ``rows`` count), in one pass."""
    numbers: dict[Any, int] = {}
    kinds = (w("p"), w("tbl"), w("tr"))
    for parent in root.iter():
        seen = dict.fromkeys(kinds, 0)
        for child in parent:
            if child.tag in seen:
                numbers[child] = seen[child.tag]
                seen[child.tag] += 1
    return numbers


def _address(paragraph: Any, base: str | None, numbers: dict[Any, int]) -> str | None:
    """The python-docx expression that reaches ``paragraph`` from ``base``, if there is one
    (``numbers``: :func:`_sibling_numbers` of its part)."""
    if base is None:
        return None
    steps: list[str] = []
    element = paragraph
    while True:
        parent = element.getparent()
        if parent is None:
            return None
        name = local(element)
        if name == "tc":
            if element.find(f"{w('tcPr')}/{w('vMerge')}") is not None and element.find(
                    f"{w('tcPr')}/{w('vMerge')}").get(w("val"), "continue") == "continue":
                return None  # python-docx gives the cell above
            steps.append(f".cells[{_grid_column(element)}]")
        else:
            plural = {"p": "paragraphs", "tbl": "tables", "tr": "rows"}.get(name)
            if plural is None:
                return None
            steps.append(f".{plural}[{numbers[element]}]")
        if local(parent) in ("body", "hdr", "ftr"):
            return base + "".join(reversed(steps))
        if local(parent) == "comment" and base == "doc.comments":
            return f"doc.comments.get({parent.get(w('id'))})" + "".join(reversed(steps))
        if local(parent) not in ("tc", "tr", "tbl"):
            return None
        element = parent


def _grid_column(cell: Any) -> int:
    """``row.cells`` index of a ``w:tc``: the grid columns the cells before it span."""
    column = 0
    for before in cell.itersiblings(w("tc"), preceding=True):
        span = before.find(f"{w('tcPr')}/{w('gridSpan')}")
        column += int(span.get(w("val"), "1")) if span is not None else 1
    return column
