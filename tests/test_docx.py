"""Word files as people write them: every story part translated and traced, fields and
layout kept, what cannot be translated reported (issue 28), checked by a structure
checker that reads the zip with lxml alone."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from mt.cli import main
from mt.documents import parse, translate_parsed, with_documents
from mt.trace import trace_translation

from .documents_fixtures import DroppingWord, GlossaryTranslator
from .docx_fixtures import (
    W,
    arabic_left,
    assemble,
    build_rich_docx,
    build_un_style,
    field,
    fields_nested,
    note_parts,
    paragraph_texts,
    runs,
    structure,
    text_box,
)
from .test_translate import assert_valid_trace

CHART_TITLE = ("word/charts/chart1.xml", "الأخبار")  # a chart: reported, not translated


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _translated(tmp_path: Path, translator) -> tuple[Path, Path, dict]:
    source = build_rich_docx(tmp_path / "rich.docx")
    result = translate_parsed(translator, parse(source, "docx"), str(source))
    out = tmp_path / "rich.en.docx"
    out.write_bytes(result.output)
    return source, out, with_documents(trace_translation(result.translated), result.source)


def _part(path: Path, member: str):
    return etree.fromstring(zipfile.ZipFile(path).read(member))


def _assert_same_structure(source: Path, out: Path) -> None:
    before, after = structure(source), structure(out)
    assert after["members"] == before["members"]
    for member, facts in before["parts"].items():
        for name, value in facts.items():
            assert after["parts"][member][name] == value, f"{member}: {name} changed"


def test_every_story_part_is_translated_and_the_structure_kept(tmp_path: Path) -> None:
    source, out, _ = _translated(tmp_path, GlossaryTranslator())
    _assert_same_structure(source, out)
    assert arabic_left(out) == [CHART_TITLE[1]], "only the chart's title, which is reported"
    body = paragraph_texts(out)
    assert body[0] == "North Korea supplied Russia weapons"
    assert body[1] == "news urgent\t2", "the TOC entry keeps its tab and its page number"
    assert body[3] == "said Kim that North Korea supplied Russia weapons.", "w:dir and w:bdo"
    assert body[4] == "arrived 300 people to city."
    assert body[5] == body[6] == "do speak English?", "the text box and its fallback copy"
    assert body[7] == "announced\tdefence\nminister Monday.", "the tab and the break stay"
    assert body[8] == "city nice news", "smart tag, content control, simple field"
    assert body[9] == "use link here."
    assert body[13] == "   Le temps est beau.", "French: untouched, leading spaces included"
    assert paragraph_texts(out, "word/footnotes.xml")[2] == " source important."
    assert paragraph_texts(out, "word/endnotes.xml")[2] == "weather nice today!"
    assert paragraph_texts(out, "word/comments.xml") == ["quote important"]
    assert paragraph_texts(out, "word/footer1.xml") == ["word 2 word 5"]


def _sequence(element) -> list[tuple[str, str]]:
    """Field characters, instructions and texts of ``element`` in document order."""
    return [("char", e.get(_w("fldCharType"))) if e.tag == _w("fldChar") else
            ("instr", e.text.strip()) if e.tag == _w("instrText") else ("text", e.text)
            for e in element.iter(_w("fldChar"), _w("instrText"), _w("t"), _w("tab"))
            if e.tag != _w("tab")] + [("tabs", str(len(list(element.iter(_w("tab"))))))]


def test_fields_keep_their_instructions_and_their_results_inside(tmp_path: Path) -> None:
    _, out, _ = _translated(tmp_path, GlossaryTranslator())
    footer = _part(out, "word/footer1.xml")
    assert _sequence(footer) == [
        ("text", "word"), ("text", " "), ("char", "begin"), ("instr", "PAGE"),
        ("char", "separate"), ("text", "2"), ("char", "end"), ("text", " word "),
        ("text", "5"), ("tabs", "0")], "the page number stays inside its field, after it"
    (simple,) = footer.iter(_w("fldSimple"))
    assert simple.get(_w("instr")) == " NUMPAGES " and "".join(simple.itertext()) == "5"
    paragraphs = list(_part(out, "word/document.xml").iter(_w("p")))
    assert _sequence(paragraphs[9]) == [
        ("text", "use "), ("char", "begin"), ("instr", 'HYPERLINK "https://example.com/link"'),
        ("char", "separate"), ("text", "link"), ("char", "end"), ("text", " here."),
        ("tabs", "0")], "the link's display text is translated inside its field"
    assert _sequence(paragraphs[1]) == [
        ("char", "begin"), ("instr", 'TOC \\o "1-3" \\h'), ("char", "separate"),
        ("text", "news urgent"), ("char", "begin"), ("instr", "PAGEREF _Toc1 \\h"),
        ("char", "separate"), ("text", "2"), ("char", "end"), ("tabs", "1")]
    (entry,) = paragraphs[1].iter(_w("hyperlink"))
    assert entry.get(_w("anchor")) == "_Toc1" and len(list(entry.iter(_w("fldChar")))) == 3, \
        "the TOC entry's link holds its text, tab and PAGEREF field"


def test_complex_script_look_and_right_to_left_settings(tmp_path: Path) -> None:
    _, out, _ = _translated(tmp_path, GlossaryTranslator())
    body = _part(out, "word/document.xml")
    (run,) = [r for r in body.iter(_w("r")) if "".join(r.itertext()) == "title important"]
    properties = {e.tag.rsplit("}", 1)[1]: e.get(_w("val")) for e in run.find(_w("rPr"))}
    assert properties["sz"] == "20", "printed at the Arabic's size (szCs 20), not sz 28"
    assert properties["i"] == "false", "iCs off: the Arabic was upright"
    assert "b" in properties and "rtl" not in properties
    assert not list(body.iter(_w("bidi"), _w("rtl")))


def test_a_drop_cap_takes_the_first_letter_of_the_english_only(tmp_path: Path) -> None:
    _, out, _ = _translated(tmp_path, GlossaryTranslator())
    body = _part(out, "word/document.xml")
    paragraphs = list(body.iter(_w("p")))
    cap, rest = paragraphs[10], paragraphs[11]
    assert cap.find(f"{_w('pPr')}/{_w('framePr')}") is not None
    assert "".join(cap.itertext()) == "I" and cap.find(f".//{_w('sz')}").get(_w("val")) == "96"
    assert "".join(rest.itertext()) == " like reading much."
    assert rest.find(f".//{_w('sz')}") is None, "the cap's size stays on the cap"


def test_french_paragraph_and_its_big_first_letter_are_untouched(tmp_path: Path) -> None:
    source, out, _ = _translated(tmp_path, GlossaryTranslator())
    before = list(_part(source, "word/document.xml").iter(_w("p")))[13]
    after = list(_part(out, "word/document.xml").iter(_w("p")))[13]
    assert etree.tostring(after) == etree.tostring(before)


def test_what_cannot_be_translated_is_listed_and_counted(tmp_path: Path, tiny_model: Path,
                                                         capsys) -> None:
    source = build_rich_docx(tmp_path / "rich.docx")
    trace = tmp_path / "trace.json"
    assert main(["translate", "--model", str(tiny_model), str(source), "--format", "json",
                 "-o", str(trace)]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "untranslated" in line]
    listed = json.loads(trace.read_text(encoding="utf-8"))["document"]["source"]["untranslated"]
    assert len(warnings) == 1 and f"{len(listed)} pieces of text left untranslated" in warnings[0]
    kept = [(e["status"], e["part"], e["text"]) for e in listed if "dropped" not in e["why"]]
    assert kept == [("untranslated", "word/document.xml", "الوزير"),
                    ("untranslated", *CHART_TITLE)]
    assert "tracked deletion" in listed[0]["why"] and listed[1]["why"] == "a chart"


def _python_docx_run_text(run) -> str:
    """A run's text as python-docx's Run.text gives it (to check the map's offsets)."""
    pieces = {"tab": "\t", "ptab": "\t", "cr": "\n", "noBreakHyphen": "-"}
    text = ""
    for child in run:
        name = child.tag.rsplit("}", 1)[1]
        if name == "t":
            text += child.text or ""
        elif name == "br":
            text += "\n" if child.get(_w("type"), "textWrapping") == "textWrapping" else ""
        else:
            text += pieces.get(name, "")
    return text


def test_every_map_entry_points_at_its_arabic_in_the_file(tmp_path: Path) -> None:
    import docx

    source, _, data = _translated(tmp_path, GlossaryTranslator())
    text = data["source"]["text"]
    entries = data["document"]["source"]["map"]
    document = docx.Document(str(source))
    parts = {}

    def paragraph_of(reached, entry):
        """The element the map's paragraph number names, in python-docx's tree."""
        root = reached._p.getroottree().getroot()
        return list(root.iter(_w("p")))[entry["paragraph"]]

    for entry in entries:
        piece = text[slice(*entry["span"])]
        root = parts.setdefault(entry["part"], _part(source, entry["part"]))
        paragraph = list(root.iter(_w("p")))[entry["paragraph"]]
        runs = [r for r in paragraph.iter(_w("r"))
                if next(r.iterancestors(_w("p"))) is paragraph]
        held = _python_docx_run_text(runs[entry["run"]])
        assert held[entry["offset"]:entry["offset"] + len(piece)] == piece, entry
        if "python-docx" in entry:
            reached = eval(entry["python-docx"], {"doc": document})  # noqa: S307 - our own map
            assert reached._p is paragraph_of(reached, entry), entry
    covered = {i for e in entries for i in range(*e["span"])}
    assert all(i in covered for i, c in enumerate(text) if not c.isspace()), \
        "every character of the extracted text comes from a place in the file"
    addressed = {e.get("python-docx") for e in entries}
    assert {"doc.sections[0].footer.paragraphs[0]", "doc.comments.get(0).paragraphs[0]"} \
        <= addressed


def test_the_rich_file_with_the_tiny_model(tmp_path: Path, tiny_translator) -> None:
    """Done when (issue 28): footnotes, a text box, a w:dir run and a PAGE field round-trip
    with no Arabic left and every field intact."""
    source, out, data = _translated(tmp_path, tiny_translator)
    assert_valid_trace(trace_translation(translate_parsed(
        tiny_translator, parse(source, "docx"), str(source)).translated))
    _assert_same_structure(source, out)
    assert arabic_left(out) == [CHART_TITLE[1]]
    footer = _part(out, "word/footer1.xml")
    chars = [e.get(_w("fldCharType")) for e in footer.iter(_w("fldChar"))]
    assert chars == ["begin", "separate", "end"]
    result = next(footer.iter(_w("fldChar"))).getparent()
    following = [r for r in result.itersiblings()][:4]
    assert "".join(following[2].itertext()) == "2", "PAGE's cached result stays in the field"
    assert paragraph_texts(out, "word/footnotes.xml")[2].strip()
    body = paragraph_texts(out)
    assert body[5] == body[6] and body[5].strip(), "the text box and its fallback agree"
    assert data["document"]["source"]["untranslated"]


@pytest.mark.parametrize("member", ["word/document.xml", "word/footnotes.xml"])
def test_parts_written_back_are_well_formed_and_open_in_python_docx(tmp_path: Path,
                                                                    member: str) -> None:
    import docx

    _, out, _ = _translated(tmp_path, GlossaryTranslator())
    assert _part(out, member) is not None
    reopened = docx.Document(str(out))
    assert reopened.paragraphs[0].text == "North Korea supplied Russia weapons"


def test_cells_are_addressed_as_python_docx_counts_them(tmp_path: Path) -> None:
    """A merged cell counts once per grid column in ``row.cells``; a nested table is
    ``cell.tables[n]``; the map's ``paragraph`` counts every w:p of the part."""
    import docx

    document = docx.Document()
    document.add_paragraph("الطقس جميل اليوم!")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(0, 2).text = "قال كيم."
    table.cell(1, 0).add_table(rows=1, cols=1).cell(0, 0).text = "وصل 300 شخص."
    document.add_paragraph("هل تتكلم الإنجليزية؟")
    path = tmp_path / "cells.docx"
    document.save(str(path))
    entries = translate_parsed(GlossaryTranslator(), parse(path, "docx"), str(path)).source.origins
    places = [origin.where.get("python-docx") for origin in entries]
    assert places == ["doc.paragraphs[0]", "doc.tables[0].rows[0].cells[2].paragraphs[0]",
                      "doc.tables[0].rows[1].cells[0].tables[0].rows[0].cells[0].paragraphs[0]",
                      "doc.paragraphs[1]"]
    reopened = docx.Document(str(path))
    assert [eval(place, {"doc": reopened}).text for place in places] == [  # noqa: S307
        "الطقس جميل اليوم!", "قال كيم.", "وصل 300 شخص.", "هل تتكلم الإنجليزية؟"]
    numbers = [origin.where["paragraph"] for origin in entries]
    assert numbers[0] == 0 and numbers[1] == 2 and numbers[-1] > numbers[2], \
        "the part's w:p count: the merged cell's paragraph and the empty cells' included"


def test_a_link_whose_words_the_translation_drops_is_kept_and_reported(tmp_path: Path) -> None:
    """Paragraph 8: a smart tag, a content control and a HYPERLINK field, one word each;
    with the link's word dropped, no other word can be given to it."""
    source = build_rich_docx(tmp_path / "rich.docx")
    result = translate_parsed(DroppingWord("الأخبار"), parse(source, "docx"), str(source))
    out = tmp_path / "out.docx"
    out.write_bytes(result.output)
    _assert_same_structure(source, out)
    paragraph = list(_part(out, "word/document.xml").iter(_w("p")))[8]
    (simple,) = paragraph.iter(_w("fldSimple"))
    assert "https://example.com/news" in simple.get(_w("instr")) and not "".join(
        simple.itertext()), "kept, with its instructions, and empty"
    dropped = [u for u in result.source.untranslated if "dropped" in u.why]
    assert [(u.text, u.where) for u in dropped] == [
        ("الأخبار", {"part": "word/document.xml", "paragraph": 8})]


def test_a_long_report_laid_out_as_the_un_writes_them_keeps_its_structure(tmp_path: Path
                                                                          ) -> None:
    """build_un_style's layout (TOC, headings with bookmarks, sentences in w:dir
    and w:bdo, footnotes, text boxes, tables, PAGE/NUMPAGES footer): a footnote reference
    and a text box between a w:dir sentence and its full stop once cut the w:dir in two."""
    sentences = ["قال كيم إن كوريا الشمالية زودت روسيا بالأسلحة.", "أعلن وزير الدفاع الإثنين.",
                 "وصل 300 شخص إلى المدينة.", "الطقس جميل اليوم!"] * 40
    source = build_un_style(tmp_path / "un.docx", sentences)
    result = translate_parsed(GlossaryTranslator(), parse(source, "docx"), str(source))
    out = tmp_path / "un.en.docx"
    out.write_bytes(result.output)
    _assert_same_structure(source, out)
    assert arabic_left(out) == [] and not result.source.untranslated
    assert len(result.source.origins) > 150


PIECES = [runs("قال كيم "), runs("إن كوريا الشمالية"), runs(" زودت روسيا بالأسلحة."),
          "<w:r><w:tab/></w:r>", "<w:r><w:br/></w:r>", field("PAGE", "3"),
          field('HYPERLINK "https://example.com/a"', "رابط"), field("REF _Ref1 \\h", "الأخبار"),
          '<w:dir w:val="rtl">' + runs("وزير الدفاع") + "</w:dir>",
          '<w:bdo w:val="rtl">' + runs("الإثنين") + "</w:bdo>",
          '<w:smartTag w:uri="u" w:element="e">' + runs("المدينة") + "</w:smartTag>",
          '<w:r><w:footnoteReference w:id="1"/></w:r>', text_box("هل تتكلم الإنجليزية؟"),
          '<w:bookmarkStart w:id="9" w:name="b"/>', '<w:bookmarkEnd w:id="9"/>',
          '<w:fldSimple w:instr=" NUMPAGES ">' + runs("5") + "</w:fldSimple>",
          "<w:r><w:t>ق</w:t></w:r>", runs("Le temps")]
CAP = ('<w:p><w:pPr><w:framePr w:dropCap="drop" w:lines="3"/></w:pPr>'
       "<w:r><w:t>و</w:t></w:r></w:p>")


@settings(max_examples=40, deadline=None, derandomize=True)
@given(paragraphs=st.lists(st.lists(st.sampled_from(range(len(PIECES))), max_size=8),
                           min_size=1, max_size=6),
       caps=st.lists(st.booleans(), min_size=6, max_size=6))
def test_paragraphs_of_any_mix_round_trip(tmp_path_factory: pytest.TempPathFactory,
                                          paragraphs: list[list[int]], caps: list[bool]) -> None:
    """Any mix of runs, tabs, breaks, fields, wrappers, anchors and drop caps: written back
    with the same structure, no Arabic left where a reader sees text, and it opens."""
    import docx

    folder = tmp_path_factory.mktemp("mix")
    body = [(CAP if cap else "") + "<w:p>" + "".join(PIECES[i] for i in pieces) + "</w:p>"
            for pieces, cap in zip(paragraphs, caps, strict=False)]
    source = assemble(folder / "mix.docx", body, "", note_parts(["المصدر مهم."], []))
    result = translate_parsed(GlossaryTranslator(), parse(source, "docx"), str(source))
    out = folder / "out.docx"
    out.write_bytes(result.output)
    before, after = structure(source), structure(out)
    assert after["members"] == before["members"]
    for member, facts in before["parts"].items():
        written = after["parts"][member]
        assert written["counts"] == facts["counts"] and written["targets"] == facts["targets"]
        for name in ("instructions", "hyperlinks"):  # two fields may swap with their words
            assert sorted(map(str, written[name])) == sorted(map(str, facts[name])), name
    assert fields_nested(source) and fields_nested(out), "every field opens, separates, closes"
    assert arabic_left(out) == []
    assert docx.Document(str(out)) is not None


def test_a_break_after_a_full_stop_stays_after_it(tmp_path: Path) -> None:
    """Anchors go after the English of the word before them; a break that followed a full
    stop in the file once landed before it (``said Kim\\n. arrived``)."""
    body = ['<w:p><w:r><w:t>قال كيم.</w:t><w:br/><w:t>وصل 300 شخص إلى المدينة.</w:t></w:r></w:p>',
            "<w:p>" + runs("وصل 300 شخص") + '<w:r><w:footnoteReference w:id="1"/></w:r>'
            + runs(". قال كيم.") + "</w:p>"]
    source = assemble(tmp_path / "breaks.docx", body, "", note_parts(["المصدر مهم."], []))
    out = tmp_path / "out.docx"
    out.write_bytes(translate_parsed(GlossaryTranslator(), parse(source, "docx"),
                                     str(source)).output)
    assert paragraph_texts(out)[0] == "said Kim.\narrived 300 people to city."
    second = list(_part(out, "word/document.xml").iter(_w("p")))[1]
    shown = "".join(e.text if e.tag == _w("t") else "[1]"
                    for e in second.iter(_w("t"), _w("footnoteReference")))
    assert shown == "arrived 300 people[1]. said Kim.", "a reference after a word stays there"
    _assert_same_structure(source, out)


def test_list_levels_are_switched_to_left_to_right_too(tmp_path: Path) -> None:
    """A numbered list's level set right to left (w:bidi in numbering.xml) kept the
    English list items right to left."""
    import io

    source = build_rich_docx(tmp_path / "rich.docx")
    rewritten = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(rewritten, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "word/numbering.xml":
                data = data.replace(b"<w:pPr>", b"<w:pPr><w:bidi/>")
            copy.writestr(info, data)
    source.write_bytes(rewritten.getvalue())
    assert b"<w:bidi/>" in zipfile.ZipFile(source).read("word/numbering.xml")
    out = tmp_path / "out.docx"
    out.write_bytes(translate_parsed(GlossaryTranslator(), parse(source, "docx"),
                                     str(source)).output)
    assert not list(_part(out, "word/numbering.xml").iter(_w("bidi")))
