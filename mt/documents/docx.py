"""Word documents (.docx): paragraphs, headings, list items and table cells are units.

Read with python-docx. A paragraph's text runs (and the hyperlinks, tracked
insertions, smart tags and simple fields around them) are marks, so bold,
italic and link targets follow the English words linked to the Arabic ones;
runs that hold anything besides text (pictures, fields) stay where they are,
untouched. Paragraph properties and styles are
kept; right-to-left settings (``w:bidi``, ``w:rtl``, ``w:bidiVisual``) are
removed from the body and the styles, so the English reads left to right.

The trace's map names each piece by ``paragraph`` (document order, table
cells included, then headers and footers), ``run`` (the paragraph's runs in
order, those in hyperlinks included, which also get ``inside``: ``hyperlink``,
``ins``... and ``container``: its number), ``offset`` in that run's text,
``table``/``row``/``cell`` inside tables and ``section``/``part`` in headers
and footers.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from copy import deepcopy
from typing import Any

from mt.documents.base import Origin, Unit, UnitResult
from mt.documents.markup import Anchor, Mark, Node
from mt.errors import InputError
from mt.types import Span

TEXT_CHILDREN = frozenset({"rPr", "t", "tab", "br", "cr", "noBreakHyphen", "softHyphen",
                           "lastRenderedPageBreak"})
# A .docx inflated: a long report with pictures stays far below these.
MAX_INFLATED = 256 * 2**20
MAX_MEMBERS = 10_000
RIGHT_TO_LEFT = ("bidi", "rtl", "bidiVisual")
# Paragraph children that wrap runs: their runs are translated inside a copy of them.
CONTAINERS = frozenset({"hyperlink", "ins", "smartTag", "customXml", "fldSimple"})


def _check_size(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a zip bomb before inflating it: python-docx holds every part in memory.

    zipfile stops each member at its declared size, so the declared sizes bound
    what reading can inflate.
    """
    members = archive.infolist()
    inflated = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or inflated > MAX_INFLATED:
        raise InputError(f"{name}: {len(members):,} parts inflating to {inflated:,} bytes, "
                         f"over the limit of {MAX_MEMBERS:,} parts and {MAX_INFLATED:,} bytes "
                         "for a .docx (a zip bomb?); give a smaller document or split it")


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class DocxDocument:
    """A .docx read into units; :meth:`render` writes it back translated."""

    format = "docx"

    @staticmethod
    def place(where: dict[str, Any], offset: int) -> str:
        cell = ("" if "table" not in where else
                f"table {where['table'] + 1}, row {where['row'] + 1}, cell {where['cell'] + 1}, ")
        return (f"{cell}paragraph {where['paragraph'] + 1}, run {where['run'] + 1}, "
                f"character {offset + 1}")

    def __init__(self, data: bytes, name: str) -> None:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from docx.opc.part import XmlPart
        from lxml import etree

        try:
            _check_size(zipfile.ZipFile(io.BytesIO(data)), name)
            self.document = docx.Document(io.BytesIO(data))
        except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError,
                etree.XMLSyntaxError) as exc:
            raise InputError(f"{name}: not a Word .docx document ({exc}); give a .docx "
                             "file (save .doc as .docx first)") from None
        for part in self.document.part.package.iter_parts():
            if isinstance(part, XmlPart) and part.element.getroottree().docinfo.doctype:
                # Word never writes one; its entities would be left out of the text.
                raise InputError(f"{name}: not a Word .docx document ({part.partname} has a "
                                 "DOCTYPE); give a .docx file saved by a word processor")
        self.units: list[Unit] = []
        for number, (paragraph, place) in enumerate(self._paragraphs()):
            unit = self._unit(paragraph, {"paragraph": number, **place})
            if unit is not None:
                self.units.append(unit)

    def _paragraphs(self) -> Iterator[tuple[Any, dict[str, Any]]]:
        """Every paragraph of the body in document order, table cells included, then those
        of each section's own headers and footers."""
        from docx.table import Table, _Cell
        from docx.text.paragraph import Paragraph

        tables = 0

        def walk(container: Any, parent: Any, place: dict[str, Any]) -> Iterator[
                tuple[Any, dict[str, Any]]]:
            nonlocal tables
            for child in container.iterchildren():
                kind = _local(child)
                if kind == "p":
                    yield Paragraph(child, parent), place
                elif kind == "tbl":
                    table = Table(child, parent)
                    number = tables
                    tables += 1
                    for r, row in enumerate(child.tr_lst):
                        for c, cell in enumerate(row.tc_lst):
                            yield from walk(cell, _Cell(cell, table),
                                            {**place, "table": number, "row": r, "cell": c})
                elif kind == "sdt":
                    content = child.find(child.tag.replace("sdt", "sdtContent"))
                    if content is not None:
                        yield from walk(content, parent, place)

        yield from walk(self.document.element.body, self.document._body, {})
        for number, section in enumerate(self.document.sections):
            for kind in ("header", "footer", "first_page_header", "first_page_footer",
                         "even_page_header", "even_page_footer"):
                part = getattr(section, kind)
                if not part.is_linked_to_previous:
                    yield from walk(part._element, part, {"section": number, "part": kind})

    @staticmethod
    def _text_container(element: Any) -> bool:
        """A hyperlink, insertion, smart tag... holding only text runs (and its properties)."""
        return _local(element) in CONTAINERS and any(_local(c) == "r" for c in element) and all(
            (_local(child) == "r" and DocxDocument._text_run_element(child))
            or _local(child).endswith("Pr") for child in element)

    @staticmethod
    def _text_run_element(run: Any) -> bool:
        return all(_local(child) in TEXT_CHILDREN for child in run)

    def _unit(self, paragraph: Any, place: dict[str, Any]) -> Unit | None:
        from docx.text.run import Run

        parts: list[str] = []
        marks: list[Mark] = []
        origins: list[Origin] = []
        payloads: list[Any] = []
        removable: list[Any] = []
        length = 0
        run_number = 0
        containers = 0

        def add_run(run: Any, inside: dict[str, Any]) -> None:
            nonlocal length, run_number
            text = Run(run, paragraph).text
            if text:
                mark_id = len(payloads)
                payloads.append(run)
                marks.append(Mark(mark_id, Span(length, length + len(text))))
                origins.append(Origin(Span(length, length + len(text)),
                                      {**place, "run": run_number, **inside, "offset": 0}))
                parts.append(text)
                length += len(text)
            run_number += 1

        for child in paragraph._p:
            kind = _local(child)
            if kind == "r" and self._text_run_element(child):
                add_run(child, {})
                removable.append(child)
            elif self._text_container(child):
                container_id = len(payloads)
                payloads.append(child)
                start = length
                for run in child:
                    if _local(run) == "r":
                        add_run(run, {"inside": kind, "container": containers})
                marks.append(Mark(container_id, Span(start, length)))
                removable.append(child)
                containers += 1
            else:  # pictures, fields, bookmarks...: left where they are
                run_number += sum(1 for e in child.iter() if _local(e) == "r")
        text = "".join(parts)
        if not text.strip():
            return None
        return Unit(text, marks, [], origins, handle=(paragraph, payloads, removable))

    def render(self, results: Sequence[UnitResult]) -> bytes:
        for result in results:
            self._put_back(result)
        self._left_to_right()
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

    def _put_back(self, result: UnitResult) -> None:
        paragraph, payloads, removable = result.unit.handle
        p = paragraph._p
        index = list(p).index(removable[0])
        for element in removable:
            p.remove(element)
        new = _build(result.tree(), payloads, paragraph)
        for offset, element in enumerate(new):
            p.insert(index + offset, element)

    def _left_to_right(self) -> None:
        parts = [self.document.element, self.document.styles.element]
        for section in self.document.sections:
            for part in (section.header, section.footer):
                if not part.is_linked_to_previous:
                    parts.append(part._element)
        for root in parts:
            doomed = [e for e in root.iter() if _local(e) in RIGHT_TO_LEFT]
            for element in doomed:
                element.getparent().remove(element)


def _new_run(source: Any, text: str, paragraph: Any) -> Any:
    from docx.text.run import Run

    run = deepcopy(source)
    for child in list(run):
        if _local(child) != "rPr":
            run.remove(child)
    Run(run, paragraph).text = text
    return run


def _flatten(tree: Sequence[str | Anchor | Node], payloads: list[Any], link: int | None = None,
             run: int | None = None) -> list[tuple[int | None, int | None, str]]:
    """(hyperlink mark, run mark, text) of the rebuilt tree, in order."""
    out: list[tuple[int | None, int | None, str]] = []
    for child in tree:
        if isinstance(child, str):
            out.append((link, run, child))
        elif isinstance(child, Node):
            if _local(payloads[child.mark]) == "r":
                out.extend(_flatten(child.children, payloads, link, child.mark))
            else:
                out.extend(_flatten(child.children, payloads, child.mark, run))
    return out


def _runs_for_gaps(pieces: list[tuple[int | None, int | None, str]], payloads: list[Any],
                   paragraph: Any) -> list[tuple[int | None, int, str]]:
    """Text outside every run (the space between two runs) joins a neighbouring run.

    It joins the next run when that run's source text started with a space,
    else the run before (else the next, at the start), as the source had it,
    and that run's hyperlink or insertion with it, so no run is added.
    """
    from docx.text.run import Run

    def source_text(mark: int) -> str:
        return Run(payloads[mark], paragraph).text

    assigned: list[tuple[int | None, int, str]] = []
    for index, (link, run, text) in enumerate(pieces):
        if run is None:
            before = next(((p[0], p[1]) for p in reversed(pieces[:index]) if p[1] is not None),
                          None)
            after = next(((p[0], p[1]) for p in pieces[index + 1:] if p[1] is not None), None)
            if after is not None and after[1] is not None and (
                    before is None or source_text(after[1])[:1].isspace()):
                link, run = after
            elif before is not None:
                link, run = before
            else:
                run = next(i for i, e in enumerate(payloads) if _local(e) == "r")
        assert run is not None
        if assigned and assigned[-1][:2] == (link, run):
            assigned[-1] = (link, run, assigned[-1][2] + text)
        else:
            assigned.append((link, run, text))
    return assigned


def _build(tree: Sequence[str | Anchor | Node], payloads: list[Any], paragraph: Any
           ) -> list[Any]:
    """New ``w:r``/``w:hyperlink`` elements for the rebuilt tree, runs copied with their
    formatting, hyperlinks with their target."""
    elements: list[Any] = []
    open_link: tuple[int, Any] | None = None
    for link, run, text in _runs_for_gaps(_flatten(tree, payloads), payloads, paragraph):
        new_run = _new_run(payloads[run], text, paragraph)
        if link is None:
            elements.append(new_run)
            open_link = None
            continue
        if open_link is None or open_link[0] != link:
            element = deepcopy(payloads[link])
            for child in list(element):
                if not _local(child).endswith("Pr"):
                    element.remove(child)
            elements.append(element)
            open_link = (link, element)
        open_link[1].append(new_run)
    return elements
