"""A .docx as what it is, a zip of XML parts: read with the limits hostile files need, and
written back member by member, only the parts that changed made new.

Reading refuses a zip bomb (before anything is inflated), a part with a DOCTYPE (Word
never writes one: its entities would be left out of the text) and XML that does not
parse, each as a one-line :class:`InputError`. The story parts (the body, headers,
footers, footnotes, endnotes, comments) are named by ``[Content_Types].xml``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from mt.errors import InputError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = "[Content_Types].xml"
# A .docx inflated: a long report with pictures stays far below these.
MAX_INFLATED = 256 * 2**20
MAX_MEMBERS = 10_000
# Content types of the parts whose paragraphs are shown as the document's text, in the
# order their units come; ".main+xml" also covers macro-enabled documents and templates.
STORY_KINDS = (("document", ".main+xml"), ("header", "wordprocessingml.header+xml"),
               ("footer", "wordprocessingml.footer+xml"),
               ("footnotes", "wordprocessingml.footnotes+xml"),
               ("endnotes", "wordprocessingml.endnotes+xml"),
               ("comments", "wordprocessingml.comments+xml"))
STYLES_TYPE = "wordprocessingml.styles+xml"
NUMBERING_TYPE = "wordprocessingml.numbering+xml"
_NUMBER_RE = re.compile(r"(\d+)")


def w(name: str) -> str:
    """The Clark name of a WordprocessingML element or attribute: ``w("p")``."""
    return f"{{{W}}}{name}"


def local(element: Any) -> str:
    """An element's name without its namespace ("" for comments and processing instructions)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _natural(name: str) -> list[Any]:
    """header10.xml after header2.xml."""
    return [int(piece) if piece.isdigit() else piece for piece in _NUMBER_RE.split(name)]


class Package:
    """The members of a .docx, its XML parts parsed on demand, and a writer for them."""

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            self._check_size()
            self._members = {info.filename: self._zip.read(info)
                             for info in self._zip.infolist()}
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as exc:
            raise self._not_docx(str(exc)) from None
        if CONTENT_TYPES not in self._members:
            raise self._not_docx(f"no {CONTENT_TYPES}")
        self._parsed: dict[str, Any] = {}
        self.types = self._content_types()
        if not self.parts_of("document"):
            raise self._not_docx("no main document part")

    def _not_docx(self, why: str) -> InputError:
        return InputError(f"{self.name}: not a Word .docx document ({why}); give a .docx file "
                          "(save .doc as .docx first)")

    def _check_size(self) -> None:
        """Refuse a zip bomb before inflating it: zipfile stops each member at its declared
        size, so the declared sizes bound what reading can inflate."""
        members = self._zip.infolist()
        inflated = sum(member.file_size for member in members)
        if len(members) > MAX_MEMBERS or inflated > MAX_INFLATED:
            raise InputError(f"{self.name}: {len(members):,} parts inflating to {inflated:,} "
                             f"bytes, over the limit of {MAX_MEMBERS:,} parts and "
                             f"{MAX_INFLATED:,} bytes for a .docx (a zip bomb?); give a smaller "
                             "document or split it")

    def _content_types(self) -> dict[str, str]:
        """Each XML member's content type: its ``Override``, else its extension's ``Default``."""
        root = self.xml(CONTENT_TYPES)
        defaults = {e.get("Extension", "").lower(): e.get("ContentType", "")
                    for e in root if local(e) == "Default"}
        overrides = {e.get("PartName", "").lstrip("/"): e.get("ContentType", "")
                     for e in root if local(e) == "Override"}
        return {member: overrides.get(member, defaults.get(member.rsplit(".", 1)[-1].lower(), ""))
                for member in self._members if member != CONTENT_TYPES}

    def xml(self, member: str) -> Any:
        """The parsed root of ``member`` (parsed once; edits to it are saved by :meth:`save`)."""
        from lxml import etree

        if member not in self._parsed:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            try:
                tree = etree.parse(io.BytesIO(self._members[member]), parser)
            except etree.XMLSyntaxError as exc:
                raise self._not_docx(f"{member}: {exc}") from None
            if tree.docinfo.doctype:
                raise InputError(f"{self.name}: not a Word .docx document ({member} has a "
                                 "DOCTYPE); give a .docx file saved by a word processor")
            self._parsed[member] = tree.getroot()
        return self._parsed[member]

    def parts_of(self, kind: str) -> list[str]:
        """The members holding story ``kind`` (see ``STORY_KINDS``), in natural name order."""
        suffix = dict(STORY_KINDS)[kind]
        return sorted((m for m, t in self.types.items() if t.endswith(suffix)), key=_natural)

    def stories(self) -> Iterator[tuple[str, str]]:
        """(kind, member) of every story part: the body first, then headers, footers..."""
        for kind, _ in STORY_KINDS:
            for member in self.parts_of(kind):
                yield kind, member

    def xml_members(self) -> list[str]:
        """Every member that is XML, by its content type or its name."""
        return [m for m, t in self.types.items()
                if t.endswith("xml") or m.endswith((".xml", ".rels"))]

    def styles(self) -> Any | None:
        return self._one(STYLES_TYPE)

    def numbering(self) -> Any | None:
        return self._one(NUMBERING_TYPE)

    def _one(self, suffix: str) -> Any | None:
        """The root of the part of the given content type (None: the package has none)."""
        member = next((m for m, t in self.types.items() if t.endswith(suffix)), None)
        return None if member is None else self.xml(member)

    def relationships(self, member: str) -> dict[str, str]:
        """``member``'s relationship ids and their targets, as member names."""
        folder, _, base = member.rpartition("/")
        rels = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        if rels not in self._members:
            return {}
        targets = {}
        for relation in self.xml(rels):
            target = relation.get("Target", "")
            if relation.get("TargetMode") != "External":
                target = target.lstrip("/") if target.startswith("/") else (
                    f"{folder}/{target}" if folder else target)
            targets[relation.get("Id", "")] = target
        return targets

    def save(self) -> bytes:
        """The package again: every member in its order and compression, parsed parts
        serialised anew (with the declaration Word writes)."""
        from lxml import etree

        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for info in self._zip.infolist():
                data = self._members[info.filename]
                if info.filename in self._parsed:
                    data = etree.tostring(self._parsed[info.filename], xml_declaration=True,
                                          encoding="UTF-8", standalone=True)
                archive.writestr(info, data)
        return out.getvalue()
