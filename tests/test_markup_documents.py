"""HTML, Markdown/MDX and subtitles as people write them (issue 28): links on their own
words, separators kept, nothing split or duplicated, verbatim parts copied; checked by
the independent structure checkers of ``tests/structure.py``."""

from __future__ import annotations

import random
from pathlib import Path

from mt.documents import document_format, parse, translate_parsed
from mt.documents.base import Unit
from mt.documents.markup import Mark, Node, item_cuts, nest, transfer
from mt.types import Span, WordLink

from .documents_fixtures import GlossaryTranslator
from .markup_fixtures import HTML_LINK_LIST
from .structure import html_arabic_left, html_differences, html_shape


def _translated(tmp_path: Path, name: str, text: str, translator=None) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    parsed = parse(path, document_format(path))
    result = translate_parsed(translator or GlossaryTranslator(), parsed, str(path))
    return result.output.decode("utf-8")


def _anchors(page: str) -> list[tuple[str, str]]:
    import lxml.html

    root = lxml.html.document_fromstring(page)
    return [(a.get("href"), a.text_content()) for a in root.iter("a")]


# -- the markup transfer ----------------------------------------------------------------


def _marks_in(tree: list) -> list[int]:
    found: list[int] = []
    for child in tree:
        if isinstance(child, Node):
            found.append(child.mark)
            found += _marks_in(child.children)
    return found


def _nested_marks(rng: random.Random, starts: list[int]) -> list[Mark]:
    """Up to five marks over whole words, each inside or apart from the others (a tree)."""
    marks: list[Mark] = []
    for _ in range(rng.randint(1, 5)):
        first = rng.randrange(len(starts))
        last = rng.randrange(first, min(len(starts), first + 4))
        span = Span(starts[first], starts[last] + 2)
        if all(span.end <= m.span.start or m.span.end <= span.start or span.contains(m.span)
               or m.span.contains(span) for m in marks):
            marks.append(Mark(len(marks), span))
    return marks


def test_no_mark_is_ever_split_or_duplicated_whatever_the_links() -> None:
    """Random nested marks and scattered links: each element comes out once or not at all
    (before, 58 of 2,000 such draws split an element in two)."""
    rng = random.Random(28)
    source = " ".join(f"ك{i}" for i in range(12))
    target = " ".join(f"w{i:02d}" for i in range(14))
    starts = [i * 3 for i in range(12)]
    for _ in range(2000):
        marks = _nested_marks(rng, starts)
        links = [WordLink(Span(starts[s], starts[s] + 2), Span(t * 4, t * 4 + 3), 0.5)
                 for s, t in ((rng.randrange(12), rng.randrange(14)) for _ in range(10))]
        pieces = transfer(source, target, marks, links)
        assert "".join(p.text for p in pieces) == target
        found = _marks_in(nest(pieces))
        assert len(found) == len(set(found)), (marks, links, found)


def test_a_mark_over_a_whole_segment_covers_all_its_english() -> None:
    source = "الأخبار • المدينة"
    target = "the news • the city"
    marks = [Mark(0, Span(0, 7)), Mark(1, Span(10, 17))]
    links = [WordLink(Span(0, 7), Span(4, 8), 0.9), WordLink(Span(10, 17), Span(15, 19), 0.9)]
    sentences = [(Span(0, 7), Span(0, 8)), (Span(8, 9), Span(9, 10)),
                 (Span(10, 17), Span(11, 19))]
    tree = nest(transfer(source, target, marks, links, sentences=sentences))
    assert tree == [Node(0, ["the news"]), " • ", Node(1, ["the city"])], \
        "the unlinked 'the' stays with its own segment's link"


def test_a_verbatim_mark_wraps_its_own_text() -> None:
    source = "قال إن GitHub مهم"
    target = "He said Kim.GitHub is important"
    mark = Mark(0, Span(7, 13), verbatim=True)
    links = [WordLink(Span(7, 13), Span(8, 12), 0.9)]  # a link onto the wrong word
    tree = nest(transfer(source, target, [mark], links))
    assert tree == ["He said Kim.", Node(0, ["GitHub"]), " is important"]


def test_separators_between_elements_cut_the_unit() -> None:
    text = "تعلم الأخبار • المدينة | الطقس"
    marks = [Mark(0, Span(5, 12)), Mark(1, Span(15, 22)), Mark(2, Span(25, 30))]
    cuts = item_cuts(text, marks)
    assert cuts == [12, 15, 22, 25]
    unit = Unit(text, marks, cuts=cuts)
    assert [s.slice(text) for s in unit.segments()] == [
        "تعلم الأخبار", "•", "المدينة", "|", "الطقس"]
    prose = "قال - وهو غاضب - إن"  # a dash in a sentence, no element beside it: no cut
    assert item_cuts(prose, [Mark(0, Span(0, 3))]) == []


# -- HTML -------------------------------------------------------------------------------


def test_html_link_list_keeps_separators_and_each_link_on_its_words(tmp_path: Path) -> None:
    out = _translated(tmp_path, "links.html", HTML_LINK_LIST)
    assert html_differences(HTML_LINK_LIST, out) == []
    assert _anchors(out)[:9] == [
        ("/news", "news"), ("/city", "city"), ("/weather", "weather"),
        ("/links", "link important"), ("/", "title"), ("/a", "item first"),
        ("/b", "item second"), ("/1", "news"), ("/2", "city")]
    assert "<nav><a href=\"/news\">news</a> • <a href=\"/city\">city</a> • " in out
    assert '<a href="/">title</a> | <a href="/a">item first</a> | ' in out
    assert html_arabic_left(out) == 0


def test_html_nested_inline_elements_follow_their_words(tmp_path: Path) -> None:
    out = _translated(tmp_path, "links.html", HTML_LINK_LIST)
    assert ('<p id="lead">said <b><i>defence</i> minister</b> that '
            '<a href="https://example.com/report">North Korea</a> supplied') in out


def test_html_other_languages_and_latin_elements_are_copied(tmp_path: Path) -> None:
    out = _translated(tmp_path, "links.html", HTML_LINK_LIST)
    assert '<span lang="en">open source</span>' in out
    assert '<span lang="pt">obrigado</span>' in out
    assert 'word <span lang="fa" dir="rtl">سلام دوست</span> here.' in out, \
        "Persian is not Arabic: copied, right to left, spaced from the word before"
    assert '<a href="https://github.com"><b>GitHub</b> Pages</a>' in out


def test_html_structure_holds_with_the_tiny_model(tmp_path: Path, tiny_translator) -> None:
    """A random model translates badly and links scatter: the page keeps every element,
    link target, separator and verbatim text all the same."""
    out = _translated(tmp_path, "links.html", HTML_LINK_LIST, tiny_translator)
    assert html_differences(HTML_LINK_LIST, out) == []
    assert "سلام دوست" in out


def test_the_html_checker_sees_what_breaks() -> None:
    """The checker must fail where a page lost a separator, moved a link, split one or
    changed a verbatim element."""
    page = ('<p><a href="/a">x</a> • <a href="/b">y</a> <span lang="en">open</span></p>')
    assert html_differences(page, page) == []
    broken = {
        "separator": page.replace(" • ", " "),
        "target": page.replace("/b", "/c"),
        "split": page.replace('<a href="/a">x</a>', '<a href="/a">x</a><a href="/a">z</a>'),
        "verbatim": page.replace(">open<", ">opened<"),
    }
    for what, page_after in broken.items():
        assert html_differences(page, page_after), what
    assert html_shape(page).separators == ["•"]
