"""HTML, DOCX, SRT and Markdown: structure kept, markup carried by word links, trace mapped."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from mt.cli import main
from mt.documents import (
    DocumentTranslation,
    document_format,
    parse,
    translate_parsed,
    with_documents,
)
from mt.documents.markup import Anchor, Mark, Node, nest, transfer
from mt.trace import trace_translation
from mt.types import Span

from .documents_fixtures import (
    ARABIC_RE,
    HTML_ARTICLE,
    MARKDOWN,
    SRT_CUES,
    GlossaryTranslator,
    build_docx,
    english,
)
from .test_translate import assert_valid_trace

BLOCKS = ("html", "head", "title", "body", "h1", "p", "table", "tr", "td", "pre", "script",
          "style")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _json(result: DocumentTranslation) -> dict:
    """The trace JSON ``mt translate FILE --format json`` writes."""
    return with_documents(trace_translation(result.translated), result.source)


def _translate(path: Path, translator, fmt: str | None = None):
    fmt = fmt or document_format(path)
    return translate_parsed(translator, parse(path, fmt), str(path))


# -- the markup transfer --------------------------------------------------------------------

SOURCE = "أعلن وزير الدفاع الإثنين"
TARGET = "The defence minister announced on Monday"


def _span(text: str, word: str) -> Span:
    return Span(text.index(word), text.index(word) + len(word))


def _links(*pairs: tuple[str, str]) -> list[tuple[Span, Span, float]]:
    return [(_span(SOURCE, ar), _span(TARGET, en), 0.9) for ar, en in pairs]


def test_bold_wraps_the_english_counterpart_through_the_links() -> None:
    bold = Mark(0, _span(SOURCE, "وزير الدفاع"))
    links = _links(("أعلن", "announced"), ("وزير", "minister"), ("الدفاع", "defence"),
                   ("الإثنين", "Monday"))
    tree = nest(transfer(SOURCE, TARGET, [bold], links))
    assert tree == ["The ", Node(0, ["defence minister"]), " announced on Monday"]


def test_nested_marks_and_unlinked_words_between() -> None:
    link = Mark(0, _span(SOURCE, "الدفاع الإثنين"))
    bold = Mark(1, _span(SOURCE, "الإثنين"))
    links = _links(("الدفاع", "announced"), ("الإثنين", "Monday"), ("أعلن", "The"))
    pieces = transfer(SOURCE, TARGET, [link, bold], links)
    assert "".join(p.text for p in pieces) == TARGET
    stacks = {p.text: p.stack for p in pieces}
    assert stacks["announced"] == (0,) and stacks["Monday"] == (0, 1)
    assert stacks["minister"] == () and stacks["on"] == (0,), "unlinked: the neighbours' share"


def test_a_scattered_mark_keeps_its_longest_run() -> None:
    bold = Mark(0, _span(SOURCE, "وزير الدفاع"))
    links = _links(("وزير", "The"), ("الدفاع", "defence"), ("أعلن", "minister"),
                   ("الإثنين", "Monday"))
    tree = nest(transfer(SOURCE, TARGET, [bold], links))
    assert tree == [Node(0, ["The defence"]), " minister announced on Monday"]
    links = _links(("وزير", "The"), ("أعلن", "defence"), ("الدفاع", "minister"))
    tree = nest(transfer(SOURCE, TARGET, [bold], links))
    assert tree == [Node(0, ["The"]), " defence minister announced on Monday"], \
        "apart by a word of another mark: one copy only, the first on a tie"


def test_a_mark_without_links_is_kept_at_its_relative_place() -> None:
    link = Mark(0, _span(SOURCE, "الإثنين"))
    tree = nest(transfer(SOURCE, TARGET, [link], []))
    assert tree[-1] == Node(0, ["Monday"])


def test_anchor_follows_the_counterpart_of_the_word_before_it() -> None:
    position = SOURCE.index(" الدفاع")
    anchor = Anchor(position, "<img>")
    pieces = transfer(SOURCE, TARGET, [], _links(("وزير", "minister")), [anchor])
    text = "".join("[A]" if p.anchor else p.text for p in pieces)
    assert text == "The defence minister[A] announced on Monday"
    spaced = Anchor(len("أعلن وزير"), "<code>", spaced=(True, True))
    link = (_span(SOURCE, "وزير"), Span(4, 12), 0.9)  # "minister" in "The minister."
    pieces = transfer(SOURCE, "The minister.", [], [link], [spaced])
    assert "".join("[A]" if p.anchor else p.text for p in pieces) == "The minister [A].", \
        "the space the file had before the anchor, none before a full stop"


# -- HTML -----------------------------------------------------------------------------------


def _skeleton(root) -> list[str]:
    return [e.tag for e in root.iter() if isinstance(e.tag, str) and e.tag in BLOCKS]


def _visible_texts(root) -> list[str]:
    skip = {"script", "style", "pre", "code"}
    texts = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag not in skip and not any(a.tag in skip for a in element.iterancestors()):
            texts.append(element.text or "")
        if not any(a.tag in skip for a in element.iterancestors()):
            texts.append(element.tail or "")
    return texts


def test_html_with_exact_links(tmp_path: Path) -> None:
    import lxml.html

    path = _write(tmp_path, "article.html", HTML_ARTICLE)
    result = _translate(path, GlossaryTranslator())
    out = lxml.html.document_fromstring(result.output.decode("utf-8"))
    original = lxml.html.document_fromstring(HTML_ARTICLE)
    assert _skeleton(out) == _skeleton(original)
    assert out.get("lang") == "en" and out.get("dir") == "ltr"
    lead = out.get_element_by_id("lead")
    assert [b.text for b in lead.iter("b")] == ["Kim"]
    (link,) = lead.iter("a")
    assert link.get("href") == "https://example.com/russia" and link.text == "Russia"
    assert link.get("title") == "source"
    assert lead.text_content() == english("قال كيم إن كوريا الشمالية زودت روسيا بالأسلحة.")
    minister = out.xpath("//p[2]/b")[0]
    assert minister.text == "defence minister", "the bold follows the words, not the position"
    assert out.xpath("//p[2]/br"), "the line break stays"
    assert out.xpath("//script")[0].text == 'window.kept = "نص لا يترجم";'
    assert out.xpath("//pre")[0].text == "كود لا يترجم"
    assert out.xpath("//code")[0].text == "ls -l"
    assert out.xpath("//img")[0].get("alt") == "photo president"
    assert out.xpath("//title")[0].text == "news urgent"
    assert out.xpath("//meta[@name='description']")[0].get("content") == "news urgent"
    assert out.xpath("//meta[@name='viewport']")[0].get("content") == "width=device-width"
    assert not any(ARABIC_RE.search(t) for t in _visible_texts(out))


def test_raw_text_elements_come_out_as_they_came_in(tmp_path: Path) -> None:
    """``<xmp><b>x</b></xmp>`` came back as ``<xmp>&lt;b&gt;x...`` (issue 30): libxml2 reads
    the text of ``<xmp>``, ``<iframe>`` and ``<plaintext>`` raw but writes it escaped."""
    from .structure import html_differences

    text = ("<p>قال كيم</p><xmp><b>x</b> &amp; y & z</xmp><p>وصل 300 شخص</p>"
            "<iframe src=\"a.html\"><i>no frames</i> &</iframe><plaintext><i>z</i> &amp; <p>\n")
    output = _translate(_write(tmp_path, "raw.html", text), GlossaryTranslator()).output
    assert output.decode("utf-8") == text.replace("قال كيم", "said Kim").replace(
        "وصل 300 شخص", "arrived 300 people"), "nothing after <plaintext>'s text: it never ends"
    assert html_differences(text, output.decode("utf-8")) == []


def test_listing_is_left_as_pre_is(tmp_path: Path) -> None:
    """``<listing>`` (the old name of ``<pre>``) was read as an inline element: its code
    translated, or copied whole after its own text where the English spaced it otherwise."""
    from .structure import html_arabic_left

    text = "<p>قال كيم</p><listing><b>x</b> &amp; y\nكود لا يترجم</listing>\n"
    output = _translate(_write(tmp_path, "listing.html", text), GlossaryTranslator()).output
    assert output.decode("utf-8") == text.replace("قال كيم", "said Kim")
    assert html_arabic_left(output.decode("utf-8")) == 0, "what a reader sees, translated"


def test_html_trace_maps_back_into_the_file(tmp_path: Path) -> None:
    import lxml.html

    path = _write(tmp_path, "article.html", HTML_ARTICLE)
    result = _translate(path, GlossaryTranslator())
    data = _json(result)
    text = data["source"]["text"]
    root = lxml.html.document_fromstring(HTML_ARTICLE)
    entries = data["document"]["source"]["map"]
    assert data["document"]["source"]["format"] == "html" and entries
    for entry in entries:
        element = root.getroottree().xpath(entry["path"])[0]
        part = entry["part"]
        held = element.get(part[1:]) if part.startswith("@") else getattr(element, part)
        start, end = entry["span"]
        assert held[entry["offset"]:entry["offset"] + end - start] == text[start:end]
    bold = next(e for e in entries if e["path"].endswith("/p[1]/b"))
    assert text[slice(*bold["span"])] == "كيم"
    covered = {i for e in entries for i in range(*e["span"])}
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


def test_a_meta_charset_that_lies_about_utf8_is_said_and_not_followed(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """UTF-8 bytes under a windows-1256 <meta> were translated as mojibake, silently."""
    page = '<html><head><meta charset="windows-1256"></head><body><p>قال كيم.</p></body></html>'
    path = tmp_path / "lying.html"
    path.write_bytes(page.encode("utf-8"))
    with caplog.at_level("WARNING", logger="mt"):
        result = _translate(path, GlossaryTranslator())
    assert trace_translation(result.translated).source_text == "قال كيم."
    assert [r.getMessage() for r in caplog.records if "bytes are UTF-8" in r.getMessage()]


def test_html_legacy_encoding_is_honoured(tmp_path: Path) -> None:
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; '
            'charset=windows-1256"></head><body><p>قال كيم.</p></body></html>')
    path = tmp_path / "legacy.html"
    path.write_bytes(page.encode("cp1256"))
    result = _translate(path, GlossaryTranslator())
    assert trace_translation(result.translated).source_text == "قال كيم."
    written = result.output.decode("utf-8")
    assert "said Kim." in written and "charset=utf-8" in written


def test_malformed_html_is_recovered(tmp_path: Path) -> None:
    path = _write(tmp_path, "broken.html", "<p>قال <b>كيم<p>وصل 300 شخص.</div>")
    result = _translate(path, GlossaryTranslator())
    written = result.output.decode("utf-8")
    assert "Kim" in written and "arrived 300 people." in written
    assert not ARABIC_RE.search(written)


def test_html_with_the_tiny_model(tmp_path: Path, tiny_translator) -> None:
    import lxml.html

    path = _write(tmp_path, "article.html", HTML_ARTICLE)
    result = _translate(path, tiny_translator)
    assert_valid_trace(trace_translation(result.translated))
    out = lxml.html.document_fromstring(result.output.decode("utf-8"))
    original = lxml.html.document_fromstring(HTML_ARTICLE)
    assert [e.tag for e in out.iter()] == [e.tag for e in original.iter()], \
        "every element once, inline ones included"
    assert out.xpath("//script")[0].text == original.xpath("//script")[0].text
    assert out.xpath("//style")[0].text == original.xpath("//style")[0].text
    assert [a.get("href") for a in out.iter("a")][:1] == ["https://example.com/russia"]
    assert out.xpath("//b"), "the bold survives the translation"
    assert not any(ARABIC_RE.search(t) for t in _visible_texts(out))


# -- DOCX -----------------------------------------------------------------------------------


def _runs(document) -> list[list[tuple[str, bool | None]]]:
    return [[(r.text, r.bold) for r in p.iter_inner_content() if hasattr(r, "bold")]
            for p in document.paragraphs]


def test_docx_with_exact_links(tmp_path: Path) -> None:
    import docx

    path = build_docx(tmp_path / "report.docx")
    result = _translate(path, GlossaryTranslator())
    out_path = tmp_path / "report.en.docx"
    out_path.write_bytes(result.output)
    original, out = docx.Document(str(path)), docx.Document(str(out_path))
    assert len(out.paragraphs) == len(original.paragraphs)
    assert [p.style.name for p in out.paragraphs] == [p.style.name for p in original.paragraphs]
    items = [len(list(p.iter_inner_content())) for p in out.paragraphs]
    assert items == [len(list(p.iter_inner_content())) for p in original.paragraphs]
    assert _runs(out)[1] == [("announced ", None), ("defence minister", True), (" Monday.", None)]
    hyperlink = next(i for i in out.paragraphs[2].iter_inner_content() if hasattr(i, "url"))
    assert hyperlink.url == "https://example.com/city" and hyperlink.text == "city"
    (insertion,) = out.paragraphs[3]._p.xpath("./w:ins")
    assert out.paragraphs[3].text == "said " and insertion.xpath("string(.)") == "Kim", \
        "the tracked insertion is translated and stays tracked"
    table = out.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["weather nice today!", "do speak English?"]
    assert "w:bidi" not in out.element.xml
    assert not any(ARABIC_RE.search(p.text) for p in out.paragraphs)
    assert out.sections[0].header.paragraphs[0].text == "news urgent"
    entries = _json(result)["document"]["source"]["map"]
    assert {"part": "word/document.xml", "paragraph": 1, "python-docx": "doc.paragraphs[1]",
            "run": 1, "offset": 0, "span": entries[2]["span"]} == entries[2]
    assert trace_translation(result.translated).source_text[slice(*entries[2]["span"])] == "وزير الدفاع"
    cell = next(e for e in entries if "tables[0].rows[0].cells[1]" in e.get("python-docx", ""))
    assert eval(cell["python-docx"], {"doc": original}).text == "هل تتكلم الإنجليزية؟", \
        "python-docx reaches the paragraph the map names"


def test_docx_with_the_tiny_model(tmp_path: Path, tiny_translator) -> None:
    import docx

    path = build_docx(tmp_path / "report.docx")
    result = _translate(path, tiny_translator)
    assert_valid_trace(trace_translation(result.translated))
    out_path = tmp_path / "out.docx"
    out_path.write_bytes(result.output)
    original, out = docx.Document(str(path)), docx.Document(str(out_path))
    assert [p.style.name for p in out.paragraphs] == [p.style.name for p in original.paragraphs]
    for before, after in zip(original.paragraphs, out.paragraphs, strict=True):
        runs = before._p.xpath(".//w:r")
        words = [r for r in runs if any(c.isalnum() for c in r.xpath("string(.)"))]
        # Every run once; a run holding only a "." goes where the English has one.
        assert len(words) <= len(after._p.xpath(".//w:r")) <= len(runs)
    assert len(out.tables) == 1 and len(out.tables[0].rows) == 2
    cells = [c.text for row in out.tables[0].rows for c in row.cells]
    assert all(cells) and not any(ARABIC_RE.search(c) for c in cells)
    assert not any(ARABIC_RE.search(p.text) for p in out.paragraphs)
    assert any(r.bold for p in out.paragraphs for r in p.runs), "the bold survives"


# -- SRT ------------------------------------------------------------------------------------


def test_srt_keeps_cues_and_timings(tmp_path: Path, tiny_translator) -> None:
    import srt

    path = _write(tmp_path, "clip.srt", SRT_CUES)
    result = _translate(path, tiny_translator)
    assert_valid_trace(trace_translation(result.translated))
    before = list(srt.parse(SRT_CUES))
    after = list(srt.parse(result.output.decode("utf-8")))
    assert [(c.index, c.start, c.end) for c in after] == [(c.index, c.start, c.end)
                                                         for c in before]
    assert all(c.content.strip() for c in after)
    assert not any(ARABIC_RE.search(c.content) for c in after)
    assert after[3].content.startswith("<i>") and after[3].content.endswith("</i>")


def test_srt_tags_inside_a_cue_are_markup_not_text(tmp_path: Path) -> None:
    """``وصل <i>300</i> شخص``: the model saw "<i>300</i>" as words (issue 30 D3)."""
    import srt

    path = _write(tmp_path, "tags.srt", "1\n00:00:01,000 --> 00:00:03,000\n"
                  "وصل <i>300</i> <font color=\"red\">شخص</font>.\n\n"
                  "2\n00:00:04,000 --> 00:00:06,000\nقال <b>الوزير\n\n"
                  "3\n00:00:09,000 --> 00:00:10,000\n{\\an8}<i>هنا</i> اليوم.\n")
    parsed = parse(path, "srt")
    assert [unit.text for unit in parsed.units] == ["وصل 300 شخص.", "قال الوزير", "هنا اليوم."]
    result = _translate(path, GlossaryTranslator())
    after = [cue.content for cue in srt.parse(result.output.decode("utf-8"))]
    assert after[0] == 'arrived <i>300</i> <font color="red">people</font>.'
    assert after[1] == "said <b>word</b>"  # a tag left open ends with its cue
    assert after[2] == "{\\an8}<i>here</i> today."  # its closing tag was dropped
    trace = _json(result)
    assert "<" not in trace["source"]["text"] and "<" not in trace["target"]["text"]


def test_srt_sentence_across_cues_is_shared_by_time(tmp_path: Path) -> None:
    import srt

    path = _write(tmp_path, "clip.srt", SRT_CUES)
    result = _translate(path, GlossaryTranslator())
    after = list(srt.parse(result.output.decode("utf-8")))
    assert trace_translation(result.translated).source_text.split("\n\n")[1] == "وصل 300 شخص إلى المدينة."
    assert [after[1].content, after[2].content] == ["arrived 300 people", "to city."]
    assert after[0].content == "announced defence\nminister Monday.", "two lines as before"
    assert after[1].start == timedelta(seconds=3, milliseconds=500)
    entries = _json(result)["document"]["source"]["map"]
    assert {"cue": 2, "number": 3, "line": 0, "offset": 0} == {
        k: v for k, v in entries[3].items() if k != "span"}


# -- Markdown -------------------------------------------------------------------------------


def test_markdown_structure_kept(tmp_path: Path) -> None:
    path = _write(tmp_path, "note.md", MARKDOWN)
    result = _translate(path, GlossaryTranslator())
    lines = result.output.decode("utf-8").split("\n")
    assert lines[:3] == ["---", "title: title", "---"], "front matter's title translated"
    assert lines[3] == "# title **important**"
    assert lines[5] == 'paragraph with [link](https://example.com/x "source") word`كود` said Kim.'
    assert lines[7:9] == ["- item *first*", "- item second"]
    assert lines[10] == "> quote"
    assert lines[12:15] == ["| cell | other |", "|------|------|", "| cell | other |"]
    assert lines[16:19] == ["```", "كود لا يترجم", "```"]
    entries = _json(result)["document"]["source"]["map"]
    text = trace_translation(result.translated).source_text
    for entry in entries:
        start, end = entry["span"]
        line = MARKDOWN.split("\n")[entry["line"]]
        assert line[entry["offset"]:entry["offset"] + end - start] == text[start:end]


def test_markdown_with_the_tiny_model(tmp_path: Path, tiny_translator) -> None:
    path = _write(tmp_path, "note.md", MARKDOWN)
    result = _translate(path, tiny_translator)
    assert_valid_trace(trace_translation(result.translated))
    lines = result.output.decode("utf-8").split("\n")
    assert lines[3].startswith("# ") and lines[7].startswith("- ") and lines[10].startswith("> ")
    assert "](https://example.com/x \"" in result.output.decode("utf-8"), "target and title"
    assert lines[16:19] == ["```", "كود لا يترجم", "```"]


def test_markdown_hard_breaks_stay_hard_breaks(tmp_path: Path) -> None:
    """A line ending in two spaces or a backslash inside a paragraph came back as one line
    (issue 30): the break is kept, of its kind, at the end of the English of the sentence
    it ends, or between two words of the sentence it is in (its quote prefix too)."""
    from .structure import markdown_differences

    text = ("قال كيم.  \nوصل 300 شخص.\n\n> أعلن وزير\\\n> الدفاع الإثنين.\n\n"
            "استخدم `ls\\\n-l` هنا\\\\\nقال كيم\n")
    path = _write(tmp_path, "breaks.md", text)
    output = _translate(path, GlossaryTranslator()).output.decode("utf-8")
    assert output.split("\n\n") == [
        "said Kim.  \narrived 300 people.",
        "> announced defence minister\\\n> Monday.",
        "use `ls\\ -l` here\\\\ said Kim\n"], "no break in a code span or after an escaped \\"
    prose = text.rsplit("\n\n", 1)[0]
    assert markdown_differences(prose, output.rsplit("\n\n", 1)[0]) == []


def test_markdown_footnotes_keep_their_references_and_translate_their_text(
        tmp_path: Path) -> None:
    """``[^1]`` came back as ``\\[^ 1\\]`` and ``[^1]: المصدر`` (a link definition to
    CommonMark) untranslated (issue 30): references copied in place, definitions' text
    translated under their labels, and mapped into the file."""
    from .structure import markdown_differences

    text = ("قال كيم[^1] إن كوريا[^note-2].\n\n[^1]: المصدر\n[^note-2]: وصل 300 شخص.\n\n"
            "> [^3]: 300 شخص\n")
    path = _write(tmp_path, "notes.md", text)
    result = _translate(path, GlossaryTranslator())
    output = result.output.decode("utf-8")
    assert output == ("said Kim[^1] that Korea[^note-2].\n\n[^1]: source\n"
                      "[^note-2]: arrived 300 people.\n\n> [^3]: 300 people\n")
    assert markdown_differences(text, output) == []
    source_text = trace_translation(result.translated).source_text
    entries = _json(result)["document"]["source"]["map"]
    for entry in entries:
        start, end = entry["span"]
        line = text.split("\n")[entry["line"]]
        assert line[entry["offset"]:entry["offset"] + end - start] == source_text[start:end]
    assert {entry["line"] for entry in entries} == {0, 2, 3, 5}


# -- the command line -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["article.html", "report.docx", "clip.srt", "note.md"])
def test_cli_writes_the_same_format_and_the_trace(tmp_path: Path, tiny_model: Path, name: str,
                                                   capsys) -> None:
    source = tmp_path / name
    if name.endswith(".docx"):
        build_docx(source)
    else:
        source.write_text({"article.html": HTML_ARTICLE, "clip.srt": SRT_CUES,
                           "note.md": MARKDOWN}[name], encoding="utf-8")
    out = tmp_path / f"out{source.suffix}"
    assert main(["translate", "--model", str(tiny_model), str(source), "-o", str(out)]) == 0
    assert parse(out, document_format(out)).units, "the output reads back as its format"
    trace = tmp_path / "trace.json"
    assert main(["translate", "--model", str(tiny_model), str(source), "--format", "json",
                 "-o", str(trace)]) == 0
    data = json.loads(trace.read_text(encoding="utf-8"))
    assert data["document"]["source"]["map"] and data["segments"]
    assert main(["check", "--no-similarity", str(trace)]) in (0, 1)
    report = tmp_path / "report.html"
    assert main(["translate", "--model", str(tiny_model), str(source), "--format", "html",
                 "-o", str(report)]) == 0
    assert "default-src 'none'" in report.read_text(encoding="utf-8"), "html is the report"
    capsys.readouterr()


@pytest.mark.parametrize(("name", "data", "needle"), [
    ("bad.docx", b"not a zip at all", "not a Word .docx"),
    ("bad.srt", "1\n00:00:01,000 --> broken\nنص\n".encode(), "not a valid SRT"),
    ("late.srt", "1\n00:00:05,000 --> 00:00:01,000\nنص\n".encode(), "ends before it starts"),
    ("bad.html", "<p>نص</p>".encode("cp1256"), "not valid utf-8"),
    ("bad-charset.html", b'<meta charset="nope"><p>x</p>', "not an encoding browsers know"),
])
def test_bad_documents_are_one_line_exit_2(tmp_path: Path, capsys, name: str, data: bytes,
                                          needle: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / f"out{path.suffix}"
    code = main(["translate", "--model", str(tmp_path / "no-model"), str(path), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and needle in err and str(path) in err
    assert len(err.strip().splitlines()) == 1 and not out.exists()


def test_output_suffix_must_match(tmp_path: Path, capsys) -> None:
    path = _write(tmp_path, "article.html", HTML_ARTICLE)
    assert main(["translate", str(path), "-o", str(tmp_path / "out.docx")]) == 2
    assert "needs the suffix .html" in capsys.readouterr().err


def test_input_format_overrides_the_suffix(tmp_path: Path) -> None:
    path = _write(tmp_path, "article.page", HTML_ARTICLE)
    assert document_format(path) == "text" and document_format(path, "html") == "html"
    assert _translate(path, GlossaryTranslator(), "html").output.startswith(b"<!DOCTYPE html>")


def test_align_an_arabic_page_with_its_english_page(tmp_path: Path, capsys) -> None:
    ar = _write(tmp_path, "ar.html", HTML_ARTICLE)
    en = tmp_path / "en.html"
    en.write_bytes(_translate(ar, GlossaryTranslator()).output)
    assert main(["align", str(ar), str(en), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["document"]["source"]["format"] == data["document"]["target"]["format"] == "html"
    assert "<" not in data["source"]["text"] and "<" not in data["target"]["text"]
    pairs = {data["source"]["text"][slice(*s["source"])]: data["target"]["text"][slice(*s["target"])]
             for s in data["segments"] if s["source"] and s["target"]}
    assert pairs["أعلن وزير الدفاع الإثنين."] == "announced defence minister Monday."


def test_corpus_build_reads_documents(tmp_path: Path, tiny_model: Path, capsys) -> None:
    source = build_docx(tmp_path / "report.docx")
    out = tmp_path / "corpus.jsonl"
    assert main(["corpus", "build", str(source), "--model", str(tiny_model), "-o", str(out)]) == 0
    rows = [json.loads(line)["translation"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["ar"] == "كوريا الشمالية زودت روسيا بالأسلحة"
    assert len(rows) == 10 and all(row["en"] for row in rows)  # heading, 4 paragraphs, 4 cells, header
    capsys.readouterr()


def test_translated_page_in_a_real_browser(tmp_path: Path, tiny_translator, browser) -> None:
    source = _write(tmp_path, "article.html", HTML_ARTICLE)
    page_path = tmp_path / "article.en.html"
    page_path.write_bytes(_translate(source, tiny_translator).output)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_path.as_uri())
    assert page.evaluate("window.kept") == "نص لا يترجم", "the script ran, untouched"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    assert page.evaluate("document.characterSet") == "UTF-8"
    assert page.locator("#lead a").first.get_attribute("href") == "https://example.com/russia"
    assert page.locator("b").count() >= 1 and page.locator("table td").count() == 2
    body = page.evaluate("document.body.innerText")
    visible = body.replace("كود لا يترجم", "")
    assert visible.strip() and not ARABIC_RE.search(visible), "only the <pre> stays Arabic"
    assert not errors
    page.close()


def test_places_in_words_and_in_the_report(tmp_path: Path) -> None:
    from mt.check import Finding
    from mt.documents import extract
    from mt.report import render_html

    extraction = extract(build_docx(tmp_path / "report.docx"))
    start = extraction.text.index("الدفاع")
    assert extraction.where(Span(start, start + 6)) == ("word/document.xml, paragraph 1 "
                                                       "(doc.paragraphs[1]), run 1, character 5 "
                                                       "(counted from 0)")
    cell = extraction.text.index("تتكلم")
    assert extraction.where(Span(cell, cell + 1)) == (
        "word/document.xml, paragraph 6 (doc.tables[0].rows[0].cells[1].paragraphs[0]), run 0, "
        "character 3 (counted from 0)")
    page = _write(tmp_path, "article.html", HTML_ARTICLE)
    html_places = extract(page)
    bold = html_places.text.index("كيم")
    assert html_places.where(Span(bold, bold + 3)) == \
        "/html/body/p[1]/b, character 0 (counted from 0)"
    result = _translate(page, GlossaryTranslator())
    finding = Finding("entity", Span(bold, bold + 3), None, "missing", "كيم (Kim)")
    report = render_html(trace_translation(result.translated), [finding], where=result.source.where)
    assert "<th>in the file</th>" in report and \
        "/html/body/p[1]/b, character 0 (counted from 0)" in report


def test_right_to_left_styles_switched(tmp_path: Path) -> None:
    path = _write(tmp_path, "rtl.html", '<div style="direction: rtl; color: red"><p>قال كيم.</p></div>')
    written = _translate(path, GlossaryTranslator()).output.decode("utf-8")
    assert 'style="direction: ltr; color: red"' in written and "said Kim." in written


@pytest.mark.parametrize(("label", "codec"), [
    ("UTF-8", "utf-8"), (" utf-16 ", "utf-8"), ("latin1", "cp1252"), ("x-user-defined", "cp1252"),
    ("ISO-8859-6", "iso8859_6"), ("windows-1256", "cp1256"), ("gbk", "gb18030"),
    ("utf-7", None), ("unicode_escape", None), ("utf_32", None), ("hz-gb-2312", None)])
def test_meta_charset_labels_are_the_whatwg_list(label: str, codec: str | None) -> None:
    from mt.documents.encodings import meta_encoding

    assert meta_encoding(label) == codec


@pytest.mark.parametrize("depth", [260, 500])
def test_html_nested_past_libxml2s_default_cap_keeps_every_paragraph(tmp_path: Path,
                                                                     depth: int) -> None:
    """libxml2 stops at 256 levels by default: the body came back empty, exit 0 (issue 30 D1)."""
    path = _write(tmp_path, "deep.html", "<html><body>" + "<div>" * depth +
                  "<p>وصل 300 شخص</p>" + "</div>" * depth + "<p>قال الوزير</p></body></html>")
    output = _translate(path, GlossaryTranslator()).output.decode("utf-8")
    assert "arrived 300 people" in output and "said" in output


def test_markdown_nested_past_markdown_its_default_is_translated(tmp_path: Path) -> None:
    """Quotes 50 deep: markdown-it's default (20 levels) left the text untranslated."""
    path = _write(tmp_path, "deep.md", ">" * 50 + " وصل 300 شخص\n\nقال الوزير.\n")
    output = _translate(path, GlossaryTranslator()).output.decode("utf-8")
    assert "arrived 300 people" in output and "وصل" not in output


def test_inline_markup_nested_to_the_depth_cap_is_translated(tmp_path: Path) -> None:
    """<span> 500 deep (under the 512 cap): a RecursionError traceback (own hostile run)."""
    depth = 500
    path = _write(tmp_path, "spans.html", "<p>" + "<span>" * depth + "وصل 300 شخص" +
                  "</span>" * depth + "</p>")
    output = _translate(path, GlossaryTranslator()).output.decode("utf-8")
    assert "arrived 300 people" in output and output.count("<span>") == depth


def test_text_a_reader_leaves_untranslated_is_listed_in_the_trace(tmp_path: Path) -> None:
    from mt.documents.base import Unit, Untranslated

    class Partial:
        format = "docx"

        def __init__(self) -> None:
            self.units = [Unit("قال كيم.")]
            self.untranslated = [Untranslated("كوريا", {"part": "word/charts/chart1.xml"},
                                              "a chart")]

        def render(self, results) -> bytes:
            return b""

    result = translate_parsed(GlossaryTranslator(), Partial(), "partial.docx")
    listed = _json(result)["document"]["source"]["untranslated"]
    assert listed == [{"status": "untranslated", "text": "كوريا", "why": "a chart",
                       "part": "word/charts/chart1.xml"}]
