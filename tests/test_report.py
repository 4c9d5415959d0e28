from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from mt.check import Finding, check_document
from mt.report import render_html
from mt.trace import detect_spans
from mt.types import Link, Segment, Span, TraceDocument

AR = 'قال الوزير "وصل 300 شخص <b>هنا</b>" في تموز/يوليو.\nوزودت روسيا بسبعة آلاف حاوية.'
EN = 'The minister said "700 people arrived <b>here</b>" in July.\n\nRussia got 7,000 containers.'


def _document() -> TraceDocument:
    segments = (Segment(0, Span(0, AR.index("\n")), Span(0, EN.index("\n"))),
                Segment(1, Span(AR.index("\n") + 1, len(AR)), Span(EN.rindex("\n") + 1, len(EN))))
    minister = Link(0, Span(AR.index("الوزير"), AR.index("الوزير") + 6),
                    Span(EN.index("minister"), EN.index("minister") + 8), 0.9)
    return TraceDocument("mt:test|align:test", AR, EN, segments, (minister,),
                         tuple(detect_spans(AR, EN, segments, (minister,))))


def test_html_escapes_and_keeps_texts() -> None:
    page = render_html(_document(), findings=check_document(_document()))
    assert "<b>" not in page and "&lt;b&gt;هنا&lt;/b&gt;" in page
    assert 'dir="rtl"' in page and 'dir="ltr"' in page
    # The icon is inline: the one href, a data: URI
    assert not re.search(r"(src|href)=(?!\"data:image/svg\+xml;base64,)|https?://", page), \
        "the page must not fetch anything"
    assert page.count("href=") == 1
    assert "default-src 'none'" in page
    text = re.sub(r"<[^>]+>", "", page.split('id="source"')[1].split("</div>")[0].split(">", 1)[1])
    assert html.unescape(text) == AR, "the Arabic is shown exactly, pieces joined"


def test_findings_are_marked() -> None:
    document = _document()
    findings = check_document(document)
    page = render_html(document, findings)
    statuses = {(f.kind, f.status) for f in findings}
    assert ("number", "mismatch") in statuses
    assert page.count('class="bad"') == sum(f.fails for f in findings)
    assert "st-mismatch" in page and "st-ok" in page


def test_empty_spans_and_loose_findings_render() -> None:
    document = TraceDocument("sig", "نص", "text", (Segment(0, Span(0, 2), Span(0, 4)),))
    finding = Finding("unsupported", Span(2, 2), Span(0, 4), "unverified", "extra <text>")
    page = render_html(document, [finding])
    assert "extra &lt;text&gt;" in page and 'data-k="f0"' in page


HOSTILE = 'ok" onmouseover="alert(document.domain)" x="'


def _hostile_document() -> TraceDocument:
    """Every value a trace document carries into the page, each an attempt to leave its place."""
    from mt.types import TracedSpan

    text = "وصل 300 شخص"
    document = TraceDocument('sig"><script>alert(1)</script>', text, "300 people",
                             (Segment(0, Span(0, len(text)), Span(0, 10)),), (),
                             (TracedSpan("number", Span(4, 7), Span(0, 3), "ok",
                                         '"><img src=x onerror=alert(2)>'),),
                             source_lang='ar" onclick="alert(3)', target_lang="en")
    # A status the trace's validation refuses, set past it: the page escapes it all the same.
    object.__setattr__(document.spans[0], "status", HOSTILE)
    return document


def test_every_value_is_escaped_and_no_inline_handler_can_run() -> None:
    page = render_html(_hostile_document(), [], title="</title><script>alert(4)</script>")
    assert "onmouseover=" not in page.replace("onmouseover=&quot;", "")
    assert "<script>alert" not in page and "<img" not in page and 'onclick="' not in page
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None and "'unsafe-inline'" not in policy.group(1).split("script-src")[1]
    assert "script-src 'sha256-" in policy.group(1)


def test_hostile_values_stay_inert_in_a_real_browser(browser, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(render_html(_hostile_document(), [], title="<b>t</b>"), encoding="utf-8")
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    page.locator('#source [data-k~="s0"]').first.hover()
    page.locator('#source [data-k~="s0"]').first.click()
    assert not dialogs
    # The page's own script still runs under the hash: hovering lit the span's English.
    assert [e.inner_text() for e in page.locator("#target .pin").all()] == ["300"]
    page.close()


def test_report_in_a_real_browser(browser, tmp_path: Path) -> None:
    document = _document()
    path = tmp_path / "report.html"
    path.write_text(render_html(document, check_document(document)), encoding="utf-8")
    page = browser.new_page()
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    assert page.evaluate("getComputedStyle(document.getElementById('source')).direction") == "rtl"
    assert page.evaluate("getComputedStyle(document.getElementById('target')).direction") == "ltr"

    number = next(i for i, s in enumerate(document.spans) if s.kind == "number"
                  and s.source.slice(AR) == "300")
    page.locator(f'#source [data-k~="s{number}"]').first.hover()
    assert [e.inner_text() for e in page.locator("#target .hl").all()] == ["700"]

    page.locator('#target [data-k~="l0"]').first.hover()  # a word link, from the English side
    assert [e.inner_text() for e in page.locator("#source .hl").all()] == ["الوزير"]

    page.locator('#source [data-k~="g1"]').first.click()  # a click pins the segment
    page.mouse.move(0, 0)
    pinned = "".join(e.inner_text() for e in page.locator("#target .pin").all())
    assert pinned == "Russia got 7,000 containers."

    kind = page.locator("td:first-child", has_text="number")
    row = page.locator("#findings tr[data-k]", has=kind).filter(has_text="700")
    row.hover()
    assert [e.inner_text() for e in page.locator("#source .hl").all()] == ["300"]
    assert page.locator("#source b").count() == 0 and not dialogs
    assert requests == [path.as_uri()], "a self-contained page fetches nothing"
    page.close()


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from mt.cli import main

    code = main(argv)
    return code, capsys.readouterr().out


def test_translate_html(tiny_model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import SEED

    code, out = _cli(["translate", str(SEED), "--model", str(tiny_model), "--format", "html"],
                     capsys)
    assert code == 0 and out.startswith("<!DOCTYPE html>") and 'dir="rtl"' in out
    assert "أكثر من ألف حاوية" in out and "<script>" in out


def test_align_documents_html_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    ar, en = tmp_path / "ar.txt", tmp_path / "en.txt"
    ar.write_text(AR, encoding="utf-8")
    en.write_text(EN, encoding="utf-8")
    code, out = _cli(["align", str(ar), str(en), "--format", "html"], capsys)
    assert code == 0 and "st-mismatch" in out and "&lt;b&gt;" in out
    code, out = _cli(["align", str(ar), str(en)], capsys)
    document = TraceDocument.loads(out)
    assert code == 0 and [s.target.slice(EN) for s in document.segments] == [
        EN.split("\n")[0], EN.split("\n")[-1]]


def test_a_report_of_many_spans_is_drawn_in_linear_time() -> None:
    """20,000 traced spans with a finding each: about 60 s when each finding scanned every span."""
    import time

    from mt.types import TracedSpan

    count = 20_000
    source, target = "وصل 300 شخص. " * count, "700 people arrived. " * count
    spans = tuple(TracedSpan("number", Span(13 * i + 4, 13 * i + 7), Span(20 * i, 20 * i + 3),
                             "mismatch", "300 = 700") for i in range(count))
    document = TraceDocument("sig", source, target,
                             (Segment(0, Span(0, len(source)), Span(0, len(target))),), (), spans)
    findings = [Finding("number", s.source, s.target, "mismatch", s.detail) for s in spans]
    started = time.monotonic()
    page = render_html(document, findings)
    assert time.monotonic() - started < 10
    assert page.count('<tr data-k="s') == count


# The report as a journalist reads it (issue 29 item 4): geometry and DOM in Chromium.


def _long_document() -> tuple[TraceDocument, int]:
    """Sixty sentences, a missing quote in the last; returns it and that span's index."""
    from mt.types import TracedSpan

    arabic, english, segments = "", "", []
    for number in range(60):
        ar = f"قال المتحدث في اليوم {number + 1} إن الوضع هادئ."
        en = f"On day {number + 1} the spokesman said the situation was calm."
        if number == 59:
            ar = 'وقال الوزير "لن نتراجع أبدا" أمام الصحفيين.'
            en = "The minister told reporters they would stay."
        segments.append(Segment(number, Span(len(arabic), len(arabic) + len(ar)),
                                Span(len(english), len(english) + len(en))))
        arabic += ar + "\n"
        english += en + "\n"
    quote = arabic.index('"لن نتراجع أبدا"')
    spans = (TracedSpan("quote", Span(quote, quote + len('"لن نتراجع أبدا"')), None,
                        "missing", "quotation: not found in the translation"),)
    return TraceDocument("mt:test", arabic, english, tuple(segments), (), spans), 0


def _open(browser, tmp_path: Path, content: str, width: int = 1000, height: int = 700):
    path = tmp_path / "report.html"
    path.write_text(content, encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(path.as_uri())
    return page


def _in_view(page, selector: str, pane: str) -> bool:
    return page.evaluate("""([selector, pane]) => {
        const r = document.querySelector(selector).getBoundingClientRect();
        const p = document.getElementById(pane).getBoundingClientRect();
        return r.top >= p.top && r.bottom <= p.bottom && r.top >= 0
            && r.bottom <= window.innerHeight; }""", [selector, pane])


def test_a_finding_clicked_scrolls_both_texts_to_it_and_pulses(browser, tmp_path: Path) -> None:
    document, k = _long_document()
    page = _open(browser, tmp_path, render_html(document, check_document(document)))
    source, home = f'#source [data-k~="s{k}"]', f'#target [data-k~="m{k}"]'
    assert not _in_view(page, source, "source") and not _in_view(page, home, "target")
    page.locator(f'#findings tr[data-k="s{k}"]').click()
    page.wait_for_timeout(100)
    assert _in_view(page, source, "source") and _in_view(page, home, "target")
    assert page.locator(f"{source}.pulse").count() == 1
    assert page.locator(f"{home}.pulse").count() == 1
    # A missing quote lights the English sentence that should hold it
    assert page.inner_text(f"{home}.pin") == "The minister told reporters they would stay."
    page.close()


def test_a_missing_quote_lights_the_english_sentence_that_should_hold_it(
        browser, tmp_path: Path) -> None:
    document, k = _long_document()
    page = _open(browser, tmp_path, render_html(document, []))
    page.locator(f'#source [data-k~="s{k}"]').hover()
    lit = page.locator("#target .hl")
    assert lit.count() == 1 and lit.inner_text() == document.target_text.splitlines()[-1]
    assert "home" in (lit.get_attribute("class") or "")
    page.close()


def test_the_detail_column_keeps_arabic_and_numbers_in_reading_order(browser,
                                                                     tmp_path: Path) -> None:
    ar, en = "وزودت روسيا بسبعة آلاف حاوية.", "Russia got 7,000 containers."
    words = ar.index("بسبعة آلاف")
    document = TraceDocument("mt:test", ar, en, (Segment(0, Span(0, len(ar)), Span(0, len(en))),))
    finding = Finding("number", Span(words, words + len("بسبعة آلاف")),
                      Span(en.index("7,000"), en.index("7,000") + 5), "ok",
                      "بسبعة آلاف = 7,000 (مع 3 آلاف أخرى)")
    page = _open(browser, tmp_path, render_html(document, [finding]))
    cell = page.locator("#findings td").nth(4)
    assert cell.locator("bdi").all_inner_texts() == ["بسبعة آلاف", "مع 3 آلاف أخرى"]
    # The quote first, then "= 7,000", left to right, as the detail reads
    order = cell.evaluate("""cell => {
        const quote = cell.querySelector('bdi').getBoundingClientRect();
        const range = document.createRange();
        const text = cell.querySelector('bdi').nextSibling;
        range.setStart(text, text.textContent.indexOf('7,000'));
        range.setEnd(text, text.textContent.indexOf('7,000') + 5);
        return [quote.right, range.getBoundingClientRect().left]; }""")
    assert order[0] <= order[1], order
    page.close()


def test_keyboard_reaches_spans_pins_with_enter_and_shows_focus(browser, tmp_path: Path) -> None:
    document = _document()
    page = _open(browser, tmp_path, render_html(document, check_document(document)))
    number = next(i for i, s in enumerate(document.spans) if s.kind == "number"
                  and s.source.slice(AR) == "300")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches('#source [data-k~=\"s{number}\"]')"):
            break
    else:
        pytest.fail("Tab never reached the traced number")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "the focused span shows its focus"
    assert [e.inner_text() for e in page.locator("#target .hl").all()] == ["700"]  # focus lights
    page.keyboard.press("Enter")
    page.mouse.move(0, 0)
    assert [e.inner_text() for e in page.locator("#target .pin").all()] == ["700"]
    page.keyboard.press("Enter")  # again: unpinned
    assert page.locator("#target .pin").count() == 0
    page.close()


def test_narrow_screens_get_one_column_and_no_horizontal_scroll(browser,
                                                                 tmp_path: Path) -> None:
    document = _document()
    long_title = "تقرير-" + "x" * 80
    page = _open(browser, tmp_path, render_html(document, check_document(document),
                                                title=long_title), width=390, height=800)
    columns = page.evaluate("getComputedStyle(document.querySelector('main'))"
                            ".gridTemplateColumns.split(' ').length")
    assert columns == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    source, target = (page.locator(f"#{side}").bounding_box() for side in ("source", "target"))
    assert source is not None and target is not None
    assert target["y"] >= source["y"] + source["height"]  # stacked, the English under
    header = page.locator("header p")
    assert header.evaluate("e => e.scrollWidth <= e.clientWidth")  # the signature is not cut
    wide = _open(browser, tmp_path, render_html(document, []), width=1000)
    assert wide.evaluate("getComputedStyle(document.querySelector('main'))"
                         ".gridTemplateColumns.split(' ').length") == 2
    wide.close()
    page.close()


def test_the_icon_is_inline_and_allowed_by_the_policy(browser, tmp_path: Path) -> None:
    page = _open(browser, tmp_path, render_html(_document(), []))
    assert icon_width(page) > 0
    page.close()


def icon_width(page) -> int:
    """The width of the page's icon as it loads under the page's own policy (0: refused)."""
    return page.evaluate("""() => new Promise(done => {
        const image = new Image();
        image.onload = () => done(image.naturalWidth);
        image.onerror = () => done(0);
        image.src = document.querySelector('link[rel=icon]').href; })""")
