"""Names and numbers written in after decoding (mt.translate.repair), any model."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mt.numbers import find_arabic_numbers
from mt.translate.repair import render_number, repair
from mt.types import Span, WordLink


def _link(source: str, arabic: str, text: str, english: str) -> WordLink:
    a, e = source.index(arabic), text.index(english)
    return WordLink(Span(a, a + len(arabic)), Span(e, e + len(english)), 1.0)


@pytest.mark.parametrize(("arabic", "english"), [
    ("7 آلاف", "7,000"), ("1,4 مليار", "1.4 billion"), ("87,29%", "87.29%"),
    ("1913", "1913"), ("25000", "25,000"), ("٣٠٠", "300"), ("2,5 مليون", "2.5 million"),
    ("12,000", "12,000"), ("6:30", "6:30"),
])
def test_numbers_are_written_as_an_english_reader_writes_them(arabic: str, english: str) -> None:
    number = find_arabic_numbers(f"قال إن {arabic} شخص")[0]
    assert render_number(number, number.span.slice(f"قال إن {arabic} شخص")) == english


def test_a_wrong_number_is_replaced_by_the_right_one() -> None:
    source, text = "وقعت المعاهدة عام 1913 في لندن.", "The treaty was signed in 3013 in London."
    links = [_link(source, "1913", text, "3013"), _link(source, "لندن", text, "London")]
    fixed, moved, repairs = repair(source, text, links)
    assert fixed == "The treaty was signed in 1913 in London."
    assert [(r.kind, r.source.slice(source), r.target.slice(fixed)) for r in repairs] == [
        ("number", "1913", "1913")]
    assert WordLink(Span(source.index("لندن"), source.index("لندن") + 4),
                    Span(fixed.index("London"), fixed.index("London") + 6), 1.0) in moved


def test_a_lost_number_goes_in_after_the_english_of_the_arabic_before_it() -> None:
    source, text = "قتل 7 آلاف شخص", "Killed people"
    links = [_link(source, "قتل", text, "Killed"), _link(source, "شخص", text, "people")]
    fixed, _, repairs = repair(source, text, links)
    assert fixed == "Killed 7,000 people"
    assert repairs[0].target.slice(fixed) == "7,000"


def test_a_count_written_with_a_plural_scale_is_rendered_away() -> None:
    source, text = "زودت روسيا بنحو 7 آلاف حاوية", "Russia got about 7 thousands of containers"
    links = [_link(source, "7 آلاف", text, "7"), _link(source, "حاوية", text, "containers")]
    assert repair(source, text, links)[0] == "Russia got about 7,000 containers"


def test_a_number_in_words_is_written_in_too() -> None:
    source, text = "زودت روسيا بسبعة آلاف حاوية", "Russia supplied containers"
    links = [_link(source, "زودت", text, "supplied"), _link(source, "حاوية", text, "containers")]
    assert repair(source, text, links)[0] == "Russia supplied 7,000 containers"


def test_a_number_already_right_however_written_is_left_alone() -> None:
    source, text = "قتل 7 آلاف شخص", "7 thousand people were killed"
    links = [_link(source, "7 آلاف", text, "7 thousand")]
    assert repair(source, text, links) == (text, tuple(links), ())


def test_a_name_of_the_table_replaces_the_english_linked_to_it() -> None:
    source = "وصل الوفد إلى بيونغ يانغ أمس."
    text = "The delegation arrived in nine generations yesterday."
    links = [_link(source, "بيونغ يانغ", text, "nine generations"),
             _link(source, "الوفد", text, "delegation")]
    fixed, _, repairs = repair(source, text, links)
    assert fixed == "The delegation arrived in Pyongyang yesterday."
    assert [(r.kind, r.source.slice(source)) for r in repairs] == [("name", "بيونغ يانغ")]


def test_the_english_of_another_word_between_stays() -> None:
    source, text = "زودت كوريا الشمالية روسيا", "North Korean Russia but the Southern"
    korea = Span(source.index("كوريا"), source.index("روسيا") - 1)
    links = [WordLink(korea, Span(0, 12), 1.0), WordLink(korea, Span(29, 37), 1.0),
             _link(source, "روسيا", text, "Russia")]
    assert repair(source, text, links)[0] == "North Korea Russia but the Southern"


def test_a_name_already_in_the_english_and_spans_taken_by_other_facts_are_left_alone() -> None:
    source, text = "زار بوتين موسكو.", "Putin visited the capital."
    links = [_link(source, "موسكو", text, "the capital"), _link(source, "بوتين", text, "Putin")]
    moscow = Span(source.index("موسكو"), source.index("موسكو") + 5)
    assert repair(source, text, links, taken=[moscow])[0] == text
    assert repair(source, text, links)[0] == "Putin visited Moscow."


def test_the_english_of_a_protected_span_is_never_cut_or_replaced() -> None:
    source, text = "قال @UN_News إن 7 آلاف شخص وصلوا", "@UN_News said people arrived"
    handle = Span(source.index("@"), source.index("@") + 8)
    links = [WordLink(handle, Span(0, 3), 1.0),  # a link ending inside the copy
             _link(source, "وصلوا", text, "arrived")]
    fixed, _, repairs = repair(source, text, links, taken=[handle])
    assert "@UN_News" in fixed and fixed.startswith("@UN_News ")
    assert [r.target.slice(fixed) for r in repairs] == ["7,000"]
    linked_to_copy = [WordLink(_link(source, "آلاف", text, "said").source, Span(0, 8), 1.0),
                      WordLink(handle, Span(0, 8), 1.0)]
    assert "@UN_News" in repair(source, text, linked_to_copy, taken=[handle])[0]


def test_without_word_links_nothing_is_touched() -> None:
    source, text = "وقعت المعاهدة عام 1913 في لندن.", "The treaty was signed in 3013."
    assert repair(source, text, []) == (text, (), ())


def test_a_common_word_that_is_also_a_name_is_not_made_a_name() -> None:
    source, text = "نشعر بالأمل والسلام.", "We feel hope and peace."
    links = [_link(source, "بالأمل", text, "hope"), _link(source, "والسلام", text, "peace")]
    assert repair(source, text, links)[0] == text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["وصل", "1913", "بيونغ يانغ", "7 آلاف", "قال", "موسكو"]),
                min_size=1, max_size=6),
       st.lists(st.sampled_from(["arrived", "3013", "nine", "said", "the", "city"]),
                min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_repairs_and_links_always_point_at_what_they_say(words: list[str], english: list[str],
                                                         rng) -> None:  # noqa: ANN001
    source, text = " ".join(words), " ".join(english)
    cuts = [i for i, c in enumerate(text) if c == " "] + [len(text)]
    links = []
    start = 0
    for index, end in enumerate(cuts):  # each English word linked to some Arabic word
        word = words[rng.randrange(len(words))]
        at = source.index(word)
        links.append(WordLink(Span(at, at + len(word)), Span(start, end), 0.5 + index % 2 / 4))
        start = end + 1
    fixed, moved, repairs = repair(source, text, links)
    for r in repairs:
        assert r.target.end <= len(fixed) and r.target.slice(fixed).strip() == r.target.slice(
            fixed) != ""
    for link in moved:
        assert 0 <= link.target.start < link.target.end <= len(fixed)
        assert link.source.end <= len(source)


def test_the_trace_says_what_mt_wrote_in() -> None:
    from mt.trace import trace_translation
    from mt.types import Repair, Segment, TranslatedText

    source = "وصل الوفد إلى بيونغ يانغ عام 1913."
    target = "The delegation arrived in Pyongyang in 1913."

    def spans(arabic: str, english: str) -> tuple[Span, Span]:
        a, e = source.index(arabic), target.index(english)
        return Span(a, a + len(arabic)), Span(e, e + len(english))

    translated = TranslatedText(
        "mt:test", source, target, (Segment(0, Span(0, len(source)), Span(0, len(target)), -0.5),),
        repairs=(Repair("name", *spans("بيونغ يانغ", "Pyongyang"), 0),
                 Repair("number", *spans("1913", "1913"), 0)))
    traced = {(s.kind, s.source.slice(source)): (s.status, s.detail)
              for s in trace_translation(translated).spans}
    assert traced[("entity", "بيونغ يانغ")] == (
        "ok", "بيونغ يانغ = Pyongyang: written in by mt from the names table")
    assert traced[("number", "1913")] == (
        "ok", "1913 = 1913: written in by mt (the model lost or changed it)")
