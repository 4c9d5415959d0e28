from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mt.arabic import has_arabic
from mt.protect import mask, protected_spans
from mt.types import Span

KINDS = [  # (kind, the protected text as it stands in Arabic)
    ("latin word", "GitHub"),
    ("latin run", "VS Code"),
    ("acronym with digits", "COVID-19"),
    ("URL", "https://example.org/a?b=1"),
    ("www", "www.un.org"),
    ("e-mail", "info@example.org"),
    ("handle", "@UN_News"),
    ("hashtag", "#السلام"),
    ("code", "`npm install`"),
    ("entity", "&rlm;"),
    ("numeric entity", "&#x200F;"),
    ("MDX expression", "{/*your-editor*/}"),
    ("emoji", "🙂"),
    ("flag", "🇸🇦"),
]


@pytest.mark.parametrize(("kind", "token"), KINDS)
def test_each_kind_is_found_whole_between_arabic_words(kind: str, token: str) -> None:
    text = f"نشر الفريق {token} أمس."
    start = text.index(token)
    assert protected_spans(text) == [Span(start, start + len(token))], kind


def test_sentence_punctuation_after_a_url_or_word_is_not_taken() -> None:
    text = "زوروا https://example.org/docs. ثم GitHub، وكذلك (YouTube)."
    assert [s.slice(text) for s in protected_spans(text)] == [
        "https://example.org/docs", "GitHub", "YouTube"]


def test_plain_arabic_and_digits_have_no_protected_span() -> None:
    assert protected_spans("وصل 300 شخص في ٢٠٢٤ إلى المدينة.") == []


def test_mask_avoids_numbers_the_text_holds_and_unmask_maps_offsets() -> None:
    text = "وصل 347 شخص إلى GitHub و VS Code"
    masked = mask(text, [(s, s.slice(text)) for s in protected_spans(text)])
    assert masked.placeholders == ("582", "716")
    output = "347 people came to 582 and 716"
    english, copies, moved = masked.unmask(output)
    assert english == "347 people came to GitHub and VS Code"
    assert [(old.slice(text), new.slice(english)) for old, new in copies] == [
        ("GitHub", "GitHub"), ("VS Code", "VS Code")]
    assert english[moved[output.index("and")]:][:3] == "and"
    placeholder = masked.text.index("582")
    assert masked.source_span(Span(placeholder, placeholder + 3)).slice(text) == "GitHub"
    assert masked.unmask("582 582 716") is None and masked.unmask("only 716") is None


TOKENS = st.sampled_from([token for _, token in KINDS])
ARABIC = st.lists(st.sampled_from(["قال", "الوزير", "إن", "حاوية", "وصلت", "،", "300"]),
                  min_size=1, max_size=8).map(" ".join)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=ARABIC, token=TOKENS, after=ARABIC)
def test_protected_spans_survive_any_surrounding_text(tiny_translator, before: str, token: str,
                                                      after: str) -> None:
    text = f"{before} {token} {after}"
    assume(has_arabic(text.replace(token, "")))  # else the unit is copied whole: not-arabic
    translation = next(tiny_translator.translate_iter([text]))
    assert token in translation.text  # "GitHub 300" is one run ("Windows 11"): copied whole
    for span in protected_spans(text):
        copied = [t for s, t, _ in translation.links if s == span]
        assert len(copied) == 1 and copied[0].slice(translation.text) == span.slice(text), \
            translation


def test_facts_off_is_signed(tiny_model) -> None:
    from mt.translate import load_translator

    assert load_translator(str(tiny_model), beam_size=2, facts=False).signature.endswith(
        "|facts:off")
    assert "facts" not in load_translator(str(tiny_model), beam_size=2).signature


def test_a_protected_span_is_one_fact_and_a_term_wins_over_it() -> None:
    from mt.facts import find_facts
    from mt.glossary import Glossary

    text = "ضرب COVID-19 الأمم المتحدة و7 آلاف"
    assert [(f[0].slice(text), f[1]) for f in find_facts(text)] == [("COVID-19", "COVID-19")]
    terms = Glossary("g", [("الأمم المتحدة", "United Nations")])
    assert [f[1] for f in find_facts(text, terms)] == ["COVID-19", "United Nations"]


def test_a_garbled_placeholder_fails_the_unmask() -> None:
    text = "وصل GitHub و VS Code"
    masked = mask(text, [(s, s.slice(text)) for s in protected_spans(text)])
    assert masked.unmask("came 3457 and 582") is None  # 347 garbled: never left in


def test_placeholders_past_the_pool_are_still_distinct_and_unheld() -> None:
    from mt.protect import PLACEHOLDERS

    text = " ".join(["كلمة GitHub"] * 12) + " 1001"
    masked = mask(text, [(s, s.slice(text)) for s in protected_spans(text)])
    assert masked.placeholders == (*PLACEHOLDERS, "1002", "1003")
