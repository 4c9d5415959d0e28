"""A Word file as people write them, built at test time, and a structure checker for it.

:func:`build_rich_docx` writes every place Arabic hides in a .docx: footnotes,
endnotes, a comment, a text box with its ``mc:Fallback`` copy, runs in ``w:dir`` and
``w:bdo``, a smart tag, a content control, simple and complex fields (PAGE, NUMPAGES,
TOC with PAGEREF, HYPERLINK), tabs and breaks, a drop cap, complex-script sizes, a
French paragraph with leading spaces, a tracked deletion and a chart's title.

:func:`structure` reads a .docx with ``zipfile`` and ``lxml`` alone (not with the
reader under test): the members, and per XML part the elements that make its
structure, field instructions and link targets, so that two files can be compared.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"')
ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]")


def runs(*texts: str) -> str:
    return "".join(f'<w:r><w:t xml:space="preserve">{t}</w:t></w:r>' for t in texts)


def field(instruction: str, result: str, style: str = "") -> str:
    properties = f'<w:rPr><w:rStyle w:val="{style}"/></w:rPr>' if style else ""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r>{properties}<w:t>{result}</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def text_box(arabic: str) -> str:
    box = f"<w:txbxContent><w:p>{runs(arabic)}</w:p></w:txbxContent>"
    return ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline>'
            '<wp:extent cx="914400" cy="457200"/><wp:docPr id="7" name="Text Box 1"/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
            f'wordprocessingShape"><wps:wsp><wps:txbx>{box}</wps:txbx><wps:bodyPr/></wps:wsp>'
            '</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice><mc:Fallback>'
            f'<w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>'
            "</mc:AlternateContent></w:r>")


BODY = [
    # 0: a heading, right to left
    '<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:bidi/></w:pPr>'
    + runs("كوريا الشمالية زودت روسيا بالأسلحة") + "</w:p>",
    # 1-2: a table of contents: the field spans two paragraphs, an entry is a hyperlink
    # holding its text, a tab and a PAGEREF field
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
    ' TOC \\o "1-3" \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:hyperlink w:anchor="_Toc1">' + runs("الأخبار عاجل") + "<w:r><w:tab/></w:r>"
    + field("PAGEREF _Toc1 \\h", "2") + "</w:hyperlink></w:p>",
    '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
    # 3: bidi embeddings, a footnote and an endnote reference
    "<w:p>" + runs("قال ") + '<w:dir w:val="rtl">' + runs("كيم") + "</w:dir>" + runs(" إن ")
    + '<w:bdo w:val="rtl">' + runs("كوريا الشمالية") + "</w:bdo>"
    + '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
    '<w:footnoteReference w:id="1"/></w:r>' + runs(" زودت روسيا بالأسلحة.")
    + '<w:r><w:endnoteReference w:id="1"/></w:r></w:p>',
    # 4: a text box (its fallback copy too) between two runs
    "<w:p>" + runs("وصل 300 شخص ") + text_box("هل تتكلم الإنجليزية؟") + runs("إلى المدينة.")
    + "</w:p>",
    # 5: a tab and a line break inside one run
    '<w:p><w:r><w:t>أعلن</w:t><w:tab/><w:t>وزير الدفاع</w:t><w:br/><w:t>الإثنين.</w:t></w:r></w:p>',
    # 6: a smart tag, a content control and a simple HYPERLINK field
    '<w:p><w:smartTag w:uri="urn:mt" w:element="place">' + runs("المدينة") + "</w:smartTag>"
    + runs(" ") + '<w:sdt><w:sdtPr><w:alias w:val="weather"/></w:sdtPr><w:sdtContent>'
    + runs("جميل") + "</w:sdtContent></w:sdt>" + runs(" ")
    + '<w:fldSimple w:instr=" HYPERLINK &quot;https://example.com/news&quot; ">'
    + runs("الأخبار") + "</w:fldSimple></w:p>",
    # 7: a complex HYPERLINK field mid-sentence
    "<w:p>" + runs("استخدم ") + field('HYPERLINK "https://example.com/link"', "رابط",
                                        "Hyperlink") + runs(" هنا.") + "</w:p>",
    # 8-9: a drop cap: the first letter in a framed paragraph of its own
    '<w:p><w:pPr><w:framePr w:dropCap="drop" w:lines="3" w:wrap="around" w:vAnchor="text" '
    'w:hAnchor="text"/></w:pPr><w:r><w:rPr><w:sz w:val="96"/></w:rPr><w:t>أ</w:t></w:r></w:p>',
    "<w:p>" + runs("نا أحب القراءة كثيرا.") + "</w:p>",
    # 10: Arabic sized by its complex-script size, smaller than the Latin one
    '<w:p><w:r><w:rPr><w:b/><w:bCs/><w:i/><w:iCs w:val="0"/><w:sz w:val="28"/>'
    '<w:szCs w:val="20"/><w:rtl/></w:rPr><w:t>عنوان مهم</w:t></w:r></w:p>',
    # 11: French only, leading spaces, a big first letter in a run of its own
    "<w:p>" + runs("   ") + '<w:r><w:rPr><w:sz w:val="72"/></w:rPr><w:t>L</w:t></w:r>'
    + runs("e temps est beau.") + "</w:p>",
    # 12: a tracked deletion (kept deleted, reported)
    "<w:p>" + runs("قال كيم") + '<w:del w:id="5" w:author="mt"><w:r><w:delText>الوزير'
    "</w:delText></w:r></w:del></w:p>",
]

FOOTER = ("<w:p>" + runs("صفحة ") + field("PAGE", "2") + runs(" من ")
          + '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>5</w:t></w:r></w:fldSimple></w:p>')


def notes(kind: str, texts: list[str]) -> bytes:
    """footnotes.xml or endnotes.xml: the two separators Word writes, and notes 1, 2..."""
    tag = kind[:-1]
    reference = "footnoteRef" if kind == "footnotes" else "endnoteRef"
    written = "".join(f'<w:{tag} w:id="{n}"><w:p><w:r><w:{reference}/></w:r>{runs(text)}</w:p>'
                      f"</w:{tag}>" for n, text in enumerate(texts, 1))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind} {NAMESPACES}>'
            f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
            f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
            f"</w:r></w:p></w:{tag}>{written}</w:{kind}>").encode()


CHART = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><c:chartSpace '
         'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
         'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><c:chart><c:title>'
         "<c:tx><c:rich><a:p><a:r><a:t>الأخبار</a:t></a:r></a:p></c:rich></c:tx></c:title>"
         "</c:chart></c:chartSpace>").encode()
_TYPE = "application/vnd.openxmlformats-officedocument."
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
Parts = dict[str, tuple[str, str, bytes]]  # member: (content type, relationship type, bytes)


def note_parts(footnotes: list[str], endnotes: list[str]) -> Parts:
    return {"word/footnotes.xml": (_TYPE + "wordprocessingml.footnotes+xml", _REL + "footnotes",
                                   notes("footnotes", footnotes)),
            "word/endnotes.xml": (_TYPE + "wordprocessingml.endnotes+xml", _REL + "endnotes",
                                  notes("endnotes", endnotes))}


EXTRA_PARTS: Parts = {
    **note_parts([" المصدر مهم."], ["الطقس جميل اليوم!"]),
    "word/charts/chart1.xml": (_TYPE + "drawingml.chart+xml", _REL + "chart", CHART),
}


def _fragment(xml: str) -> list:
    from docx.oxml import parse_xml

    return list(parse_xml(f"<w:body {NAMESPACES}>{xml}</w:body>"))


def assemble(path: Path, body: list[str], footer: str, parts: Parts, header: str = "",
             comment: tuple[int, str] | None = None) -> Path:
    """A .docx at ``path``: python-docx's default one with ``body`` (paragraphs and tables
    as XML), ``footer`` and ``header`` (a paragraph each), ``parts`` added, and a comment
    ``(paragraph, text)`` on the first run of that body paragraph."""
    import docx

    document = docx.Document()
    body_element = document.element.body
    section = body_element[-1]
    for element in list(body_element)[:-1]:
        body_element.remove(element)
    for element in _fragment("".join(body)):
        section.addprevious(element)
    for story, xml in ((document.sections[0].footer, footer),
                       (document.sections[0].header, header)):
        if xml:
            story.paragraphs[0].text = ""
            for element in list(story._element):
                story._element.remove(element)
            story._element.extend(_fragment(xml))
    if comment is not None:
        document.add_comment(document.paragraphs[comment[0]].runs[0], text=comment[1],
                             author="mt")
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_with_parts(buffer.getvalue(), parts))
    return path


def build_rich_docx(path: Path) -> Path:
    """The document described in this module's docstring, written to ``path``."""
    return assemble(path, BODY, FOOTER, EXTRA_PARTS, comment=(12, "اقتباس مهم"))


def _with_parts(data: bytes, parts: Parts) -> bytes:
    """``data`` with ``parts`` added: members, content types, relationships."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "[Content_Types].xml":
                overrides = "".join(f'<Override PartName="/{m}" ContentType="{t}"/>'
                                    for m, (t, _, _) in parts.items())
                content = content.replace(b"</Types>", overrides.encode() + b"</Types>")
            elif info.filename == "word/_rels/document.xml.rels":
                relations = "".join(f'<Relationship Id="rIdMt{n}" Type="{r}" '
                                    f'Target="{m.removeprefix("word/")}"/>'
                                    for n, (m, (_, r, _)) in enumerate(parts.items()))
                content = content.replace(b"</Relationships>",
                                          relations.encode() + b"</Relationships>")
            archive.writestr(info, content)
        for member, (_, _, content) in parts.items():
            archive.writestr(member, content)
    return out.getvalue()


# -- a long report ------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _paragraph(number: int, trio: list[str], footnote: int | None) -> str:
    """A paragraph of three sentences, its middle one inside w:dir or w:bdo now and then."""
    first, middle, last = (_escape(s) for s in trio)
    wrapper = "dir" if number % 10 == 0 else "bdo" if number % 15 == 0 else None
    middle_xml = (f'<w:{wrapper} w:val="rtl">{runs(middle + " ")}</w:{wrapper}>' if wrapper
                  else runs(middle + " "))
    reference = ("" if footnote is None else
                 f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                 f'<w:footnoteReference w:id="{footnote}"/></w:r>')
    box = text_box(_escape(trio[0])) if number % 40 == 0 else ""
    return (f'<w:p><w:pPr><w:bidi/></w:pPr>{runs(first + " ")}{middle_xml}{reference}{box}'
            f"{runs(last)}</w:p>")


def _table(cells: list[str]) -> str:
    rows = "".join("<w:tr>" + "".join(f"<w:tc><w:p>{runs(_escape(c))}</w:p></w:tc>"
                                      for c in cells[r * 2:r * 2 + 2]) + "</w:tr>"
                   for r in range(2))
    return f"<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>{rows}</w:tbl>"


def build_un_style(path: Path, sentences: list[str]) -> Path:
    """A report laid out as the UN writes them, from ``sentences``, three to a paragraph:
    a table of contents field (hyperlinked entries, tabs, PAGEREF), a heading with a
    bookmark every 20 paragraphs, the middle sentence in ``w:dir`` every 10th paragraph
    and in ``w:bdo`` every 15th, a footnote every 12th, a text box every 40th, a 2x2
    table every 50th, a header, and a footer with PAGE and NUMPAGES."""
    trios = [sentences[i:i + 3] for i in range(0, len(sentences) - 2, 3)]
    body: list[str] = []
    footnotes: list[str] = []
    headings = 0
    entries = []
    for number, trio in enumerate(trios):
        if number % 20 == 0:
            headings += 1
            anchor = f"_Toc{headings}"
            title = _escape(" ".join(trio[0].split()[:6]))
            body.append(f'<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:bookmarkStart '
                        f'w:id="{headings}" w:name="{anchor}"/>{runs(title)}<w:bookmarkEnd '
                        f'w:id="{headings}"/></w:p>')
            page = field(f"PAGEREF {anchor} " + "\\h", str(headings))
            entries.append(f'<w:p><w:hyperlink w:anchor="{anchor}">{runs(title)}'
                           f"<w:r><w:tab/></w:r>{page}</w:hyperlink></w:p>")
        footnote = None
        if number % 12 == 0:
            footnotes.append(_escape(trio[-1]))
            footnote = len(footnotes)
        body.append(_paragraph(number, trio, footnote))
        if number % 50 == 25:
            body.append(_table([*trio, trio[0]]))
    toc_begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
                 'xml:space="preserve"> TOC \\o "1-3" \\h </w:instrText></w:r><w:r><w:fldChar '
                 'w:fldCharType="separate"/></w:r>')
    entries[0] = entries[0].replace("<w:p>", "<w:p>" + toc_begin, 1)
    entries.append('<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    footer = (f"<w:p>{runs('صفحة ')}{field('PAGE', '1')}{runs(' من ')}"
              f"{field('NUMPAGES', '9')}</w:p>")
    header = f"<w:p>{runs('تقرير الأمين العام')}</w:p>"
    return assemble(path, entries + body, footer, note_parts(footnotes, ["ملاحظة ختامية."]),
                    header=header)


# -- the structure checker --------------------------------------------------------------------

# Elements whose number must not change (runs may split or merge, and rtl settings go).
COUNTED = ("p", "tbl", "tr", "tc", "hyperlink", "fldSimple", "fldChar", "instrText", "drawing",
           "pict", "txbxContent", "AlternateContent", "Choice", "Fallback", "footnote",
           "endnote", "comment", "footnoteReference", "endnoteReference", "commentReference",
           "commentRangeStart", "commentRangeEnd", "tab", "br", "sectPr", "sdt", "smartTag",
           "dir", "bdo", "del", "delText", "ins", "bookmarkStart", "bookmarkEnd", "framePr",
           "footnoteRef", "endnoteRef", "separator", "continuationSeparator", "pStyle")


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def structure(path: Path) -> dict:
    """What must not change when a .docx is translated, read with zipfile and lxml alone:
    the members; per XML part the counts of ``COUNTED``, the field instructions in order
    (complex and simple), the field characters in order, the hyperlinks' targets and
    anchors, the text box count; the relationships' targets."""
    archive = zipfile.ZipFile(path)
    parts: dict[str, dict] = {}
    for member in archive.namelist():
        if not member.endswith((".xml", ".rels")):
            continue
        root = etree.fromstring(archive.read(member))
        elements = [e for e in root.iter() if isinstance(e.tag, str)]
        parts[member] = {
            "counts": Counter(_local(e.tag) for e in elements if _local(e.tag) in COUNTED),
            "instructions": ["".join(e.itertext()) for e in elements if _local(e.tag) == "instrText"]
            + [e.get(f"{{{W}}}instr") for e in elements if _local(e.tag) == "fldSimple"],
            "field characters": [e.get(f"{{{W}}}fldCharType") for e in elements
                                 if _local(e.tag) == "fldChar"],
            "hyperlinks": [(e.get(f"{{{W}}}anchor"), e.get(
                "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"))
                for e in elements if _local(e.tag) == "hyperlink"],
            "targets": sorted((e.get("Id"), e.get("Target")) for e in elements
                              if _local(e.tag) == "Relationship"),
        }
    return {"members": archive.namelist(), "parts": parts}


def fields_nested(path: Path) -> bool:
    """Whether, in every XML part, each complex field opens, has its instructions, then its
    result and closes, in document order (fields nested inside others included)."""
    archive = zipfile.ZipFile(path)
    for member in archive.namelist():
        if not member.endswith(".xml"):
            continue
        open_fields: list[str] = []  # "instructions" or "result", innermost last
        for element in etree.fromstring(archive.read(member)).iter(f"{{{W}}}fldChar",
                                                                   f"{{{W}}}instrText"):
            kind = element.get(f"{{{W}}}fldCharType") if _local(element.tag) == "fldChar" \
                else "instructions"
            if kind == "begin":
                open_fields.append("instructions")
            elif not open_fields or (kind in ("separate", "instructions")
                                     and open_fields[-1] != "instructions"):
                return False
            elif kind == "separate":
                open_fields[-1] = "result"
            elif kind == "end":
                open_fields.pop()
        if open_fields:
            return False
    return True


def arabic_left(path: Path, tags: tuple[str, ...] = ("t",)) -> list[str]:
    """Texts of ``w:t`` (or other) elements in any part that still hold Arabic letters."""
    archive = zipfile.ZipFile(path)
    left = []
    for member in archive.namelist():
        if member.endswith(".xml"):
            root = etree.fromstring(archive.read(member))
            left += [e.text for e in root.iter() if _local(e.tag) in tags
                     and ARABIC_LETTER.search(e.text or "")]
    return left


def paragraph_texts(path: Path, member: str = "word/document.xml") -> list[str]:
    """The text of each ``w:p`` of ``member`` in document order (w:t, tab as \\t, br as \\n)."""
    root = etree.fromstring(zipfile.ZipFile(path).read(member))
    texts = []
    for paragraph in root.iter(f"{{{W}}}p"):
        owned = [e for e in paragraph.iter() if next(e.iterancestors(f"{{{W}}}p"), None)
                 is paragraph]
        texts.append("".join(e.text or "" if _local(e.tag) == "t" else
                             {"tab": "\t", "br": "\n"}.get(_local(e.tag), "") for e in owned))
    return texts
