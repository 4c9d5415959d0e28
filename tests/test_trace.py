from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mt.dates import find_arabic_dates, find_english_dates
from mt.entities import find_arabic_entities, sound_pairs
from mt.quotes import find_quotes
from mt.trace import detect_spans
from mt.types import Link, Segment, Span


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        ('قال «هذا "مهم جدا" للغاية». ثم ذهب.', [('«هذا "مهم جدا" للغاية»', 0), ('"مهم جدا"', 1)]),
        ("He said: “It is over. We won.” Then left.", [("“It is over. We won.”", 0)]),
        ("‘fine’ and don’t worry", [("‘fine’", 0)]),
        ('"We now have 4-month-old mice," he added.', [('"We now have 4-month-old mice,"', 0)]),
        ("“First paragraph.\n“Second paragraph.”", [("“First paragraph.\n“Second paragraph.”", 0)]),
        ("„Guten Tag“ sagte er", [("„Guten Tag“", 0)]),
        ("‹ouvert› et «fermé»", [("‹ouvert›", 0), ("«fermé»", 0)]),
        ("it's 5' tall", []),
    ],
)
def test_find_quotes(text: str, quotes: list[tuple[str, int]]) -> None:
    found = find_quotes(text)
    assert [(q.span.slice(text), q.depth) for q in found] == quotes
    assert all(q.closed for q in found)


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = 'أضاف قائلاً، "لدينا الآن فئران.\nوقال آخر'
    (quote,) = find_quotes(text)
    assert quote.span.slice(text) == '"لدينا الآن فئران.' and not quote.closed


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("منذ تموز/يوليو، لعملياتها", [("تموز/يوليو", 7, None, None)]),
        ("في 15 تشرين الأول (أكتوبر) 2023 قال", [("15 تشرين الأول (أكتوبر) 2023", 10, 15, 2023)]),
        ("في 3 مارس الماضي", [("3 مارس", 3, 3, None)]),
        ("مارس الضغط على الحكومة", []),  # the verb "practised"
        ("وصل في أيار", [("أيار", 5, None, None)]),
    ],
)
def test_arabic_dates(text: str, found: list) -> None:
    assert [(d.span.slice(text), d.month, d.day, d.year)
            for d in find_arabic_dates(text) if d.weekday is None] == found


def test_weekdays_and_english_dates() -> None:
    assert [d.weekday for d in find_arabic_dates("أعلن الإثنين والجمعة")] == [0, 4]
    text = "On 15 October 2023, and on July 4th, on Monday; you may go."
    assert [(d.span.slice(text), d.month, d.day, d.year) for d in find_english_dates(text)] == [
        ("15 October 2023", 10, 15, 2023), ("July 4th", 7, 4, None), ("Monday", 0, None, None)]


def test_entities_from_the_names_table() -> None:
    text = "زودت كوريا الشمالية وروسيا الرئيس الروسي"
    found = {e.span.slice(text): e.kind for e in find_arabic_entities(text)}
    assert found == {"كوريا الشمالية": "territory", "روسيا": "territory", "الروسي": "language"}


def test_names_paired_by_sound() -> None:
    ar, en = "التقى شين وون-سيك في بيونغ يانغ", "Shin Won-sik met him in Pyongyang"
    pairs = [(a.slice(ar), e.slice(en))
             for a, e in sound_pairs(ar, en, Span(0, len(ar)), Span(0, len(en)), [])]
    assert ("بيونغ يانغ", "Pyongyang") in pairs or ("يانغ", "Pyongyang") in pairs
    assert any(a.startswith("شين") and e.startswith("Shin") for a, e in pairs)


def _trace(ar: str, en: str):
    return detect_spans(ar, en, [Segment(0, Span(0, len(ar)), Span(0, len(en)))])


@pytest.mark.parametrize(
    ("ar", "en", "kind", "source", "status", "target"),
    [
        ("زودت روسيا بنحو 7 آلاف حاوية.", "supplied about 7,000 containers.", "number", "7 آلاف", "ok", "7,000"),
        ("بسبعة آلاف حاوية.", "seven thousand containers.", "number", "سبعة آلاف", "ok", "seven thousand"),
        ("بنسبة 87,29% من الأصوات", "87.29% of the vote", "number", "87,29%", "ok", "87.29%"),
        ("بنسبة 87,29% من الأصوات", "87.3% of the vote", "number", "87,29%", "ok", "87.3%"),
        ("بنسبة 87,29% من الأصوات", "78.29% of the vote", "number", "87,29%", "mismatch", "78.29%"),
        ("بنحو 7 آلاف حاوية", "about 700 containers", "number", "7 آلاف", "mismatch", "700"),
        ("أكثر من مليون قذيفة", "over a million shells", "number", "مليون", "ok", "a million"),
        ("وصل ٣٠٠ شخص", "people arrived", "number", "٣٠٠", "missing", None),
        ("جاء رجل واحد", "a man came", "number", "واحد", "unverified", None),
        ("بلغت 221 مليار دولار", "reached $221bn", "number", "221 مليار", "ok", "221bn"),
        ("من 6:30 إلى 10:00", "from 6.30 to 10am", "number", "6:30", "ok", "6.30"),
        ("عند 11:35 مساء", "by 11 pm", "number", "11:35", "mismatch", "11"),
        ("عند 06:30", "at 06:20", "number", "06:30", "mismatch", "06:20"),
        ("عند 12:00", "at 1200 GMT", "number", "12:00", "ok", "1200"),
        ("في القرن السادس عشر", "in the 16th century", "number", "سادس عشر", "ok", "16"),
        ("كيم ألف ست أوبرات", "Kim composed six operas", "number", "ألف", "unverified", None),
        ("ألف كتابين", "he wrote two books", "number", "ألف", "unverified", None),
        ("ثلاثة عشر في المائة من السكان", "thirteen percent of the people", "number", "ثلاثة عشر في المائة", "ok", "thirteen percent"),
        ("بين مليوني وثلاثة ملايين سنة", "two million to three million years", "number", "ثلاثة ملايين", "ok", "three million"),
        ("بلغت 412،305 دولارات", "reached $412,305", "number", "412،305", "ok", "412,305"),
        ("المقرر عقدها الساعة 15:00", "to be held at 3 p.m.", "number", "15:00", "ok", "3"),
        ("6 - يقرر أن يزود المجلس بتوصيات", "Decides to provide the Council with recommendations", "number", "6", "unverified", None),
        ("6 - يقرر أن يزود المجلس بتوصيات", "6. Decides to provide the Council with recommendations", "number", "6", "ok", "6"),
        ("يبلغ عددهم نحو 000 100 نسمة", "counts almost 100,000 inhabitants", "number", "000 100", "ok", "100,000"),
        ("في الأول من أكتوبر", "on October 1", "number", "أول", "ok", "1"),
        ("للمرة الأولى", "for the first time", "number", "أولى", "ok", "first"),
        ("الفصل الثاني", "the other chapter", "number", "ثاني", "unverified", None),
        ("في ثلاثينيات القرن العشرين", "in the 1930s", "number", "ثلاثينيات القرن العشرين", "ok", "1930"),
        ("في ثلاثينيات القرن العشرين", "in the 1940s", "number", "ثلاثينيات القرن العشرين", "unverified", None),
        ("في القرن الحادي والعشرين", "in the 21st century", "number", "حادي والعشرين", "ok", "21"),
        ("في القرن الحادي والعشرين", "in the early 2000s", "number", "حادي والعشرين", "ok", "2000"),
        ("فاز 1 مقابل 2", "won 2&1", "number", "1", "ok", "1"),
        ("فاز 1 مقابل 2", "won 2&1", "number", "2", "ok", "2"),
        ("نصف السكان", "half the population", "number", "نصف", "ok", "half"),
        ("ربع السكان", "a quarter of the population", "number", "ربع", "ok", "a quarter"),
        ("ثلثي الأعضاء", "two-thirds of the members", "number", "ثلثي", "ok", "two-thirds"),
        ("قتل بضعة أشخاص", "five people were killed", "number", "بضعة", "unverified", None),
        ("عشرات الآلاف من الناس", "tens of thousands of people", "number", "عشرات الآلاف", "unverified", None),
        ("في 5 رمضان 1445 هـ الموافق 15 آذار 2024", "on 15 March 2024", "number", "1445", "unverified", None),
        ("منذ تموز/يوليو", "since July", "date", "تموز/يوليو", "ok", "July"),
        ("منذ تموز/يوليو", "since June", "date", "تموز/يوليو", "mismatch", "June"),
        ("منذ تموز/يوليو", "since then", "date", "تموز/يوليو", "missing", None),
        ("في 15 تموز 2023", "on 16 July 2023", "date", "15 تموز 2023", "mismatch", "16 July 2023"),
        ("أعلنت الإثنين", "announced", "date", "الإثنين", "unverified", None),
        ("زودت روسيا الذخيرة", "supplied Russia ammunition", "entity", "روسيا", "ok", "Russia"),
        ("زودت روسيا الذخيرة", "supplied them ammunition", "entity", "روسيا", "missing", None),
        ("الرئيس الروسي", "the Russian president", "entity", "الروسي", "ok", "Russian"),
        ('قال "سنتعاون بقوة".', 'He said "we will cooperate strongly".', "quote", '"سنتعاون بقوة"', "ok", '"we will cooperate strongly"'),
        ('قال "سنتعاون بقوة".', "He said they would cooperate.", "quote", '"سنتعاون بقوة"', "missing", None),
        ('قال "أرسلنا 300 حاوية".', 'He said "we sent containers".', "quote", '"أرسلنا 300 حاوية"', "mismatch", '"we sent containers"'),
    ],
)
def test_traced_status(ar: str, en: str, kind: str, source: str, status: str,
                       target: str | None) -> None:
    spans = [s for s in _trace(ar, en) if s.kind == kind and s.source.slice(ar) == source]
    assert len(spans) == 1, _trace(ar, en)
    span = spans[0]
    assert span.status == status, span.detail
    assert (span.target.slice(en) if span.target else None) == target
    assert span.detail


def test_a_spelled_one_is_a_mismatch_only_where_linked() -> None:
    ar, en = "جاء رجل واحد", "two men came"
    one, two = Span(ar.index("واحد"), len(ar)), Span(0, 3)
    unlinked = [s for s in _trace(ar, en) if s.kind == "number"]
    assert [(s.status, s.target) for s in unlinked] == [("unverified", None)]
    segments = [Segment(0, Span(0, len(ar)), Span(0, len(en)))]
    linked = [s for s in detect_spans(ar, en, segments, [Link(0, one, two, 0.9)])
              if s.kind == "number"]
    assert [(s.status, s.target) for s in linked] == [("mismatch", two)]


def test_one_wrong_number_is_a_mismatch_not_missing_and_extra() -> None:
    ar, en = "وصل 300 شخص و40 سيارة.", "300 people and 14 cars arrived."
    statuses = {s.source.slice(ar): (s.status, s.target and s.target.slice(en))
                for s in _trace(ar, en)}
    assert statuses == {"300": ("ok", "300"), "40": ("mismatch", "14")}


def test_segment_without_translation_marks_everything_missing() -> None:
    ar = "وصل 300 شخص في تموز."
    spans = detect_spans(ar, "", [Segment(0, Span(0, len(ar)), None)])
    assert {(s.kind, s.status) for s in spans} == {("number", "missing"), ("date", "missing")}


@given(st.text(alphabet='«»“”"‘’ \nاب.ab1', max_size=60))
def test_quote_spans_slice_their_text(text: str) -> None:
    for quote in find_quotes(text):
        assert 0 <= quote.span.start < quote.span.end <= len(text)
        assert text[quote.span.start] in "«“„‹‘「\""


@settings(deadline=None)  # a shared, loaded machine: correctness, not speed, is tested here
@given(st.text(alphabet="تموز/يوليو 15 2023 July June Monday الإثنين", max_size=80))
def test_traced_spans_slice_their_texts(text: str) -> None:
    for span in _trace(text, text):
        assert span.source.slice(text)
        if span.target is not None:
            assert span.target.end <= len(text)
