from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mt.segment import line_breaks, split_lines, split_sentences, split_words
from mt.types import Span

# (first words, last characters) of each sentence of the seed article.
SEED_SENTENCES = [
    ("كوريا الشمالية زودت", "(كوريا الجنوبية)"),
    ("وفق ما أعلنت", "العسكرية في أوكرانيا."),
    ("ولفت خبراء ومسؤولون", "الحقبة السوفياتية."),
    ("أعلن وزير الدفاع", "العسكرية في أوكرانيا."),
    ("ويذكر أن\xa0بيونغ", "للأسلحة النووية."),
    ("وكان الزعيم الكوري", "موسكو بالأسلحة."),
    ("وصرح وزير الدفاع", "الأنباء الفرنسية."),
    ("ويتضمن هذا العدد", "إلى روسيا\"."),
    ("وفي منتصف تشرين", "وذخيرة إلى روسيا."),
    ("وفي الشهر التالي", "للاستطلاع العسكري."),
    ("وخلال زيارته لروسيا", "موسكو لأوكرانيا."),
    ("ولفت خبراء ومسؤولون", "الحقبة السوفياتية."),
    ("وبعث كيم برسالة", "كوريا الشمالية الإثنين."),
    ("وجاء في الرسالة", "عهد جديد\"."),
]


def test_seed_sentence_boundaries(seed_text: str) -> None:
    sentences = split_sentences(seed_text)
    assert len(sentences) == len(SEED_SENTENCES)
    for sentence, (head, tail) in zip(sentences, SEED_SENTENCES, strict=True):
        text = sentence.span.slice(seed_text)
        assert text.startswith(head), text
        assert text.endswith(tail), text


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("ذهب. ثم عاد؟ نعم! حسنا؛ انتهى…", "ar",
         ["ذهب.", "ثم عاد؟", "نعم!", "حسنا؛", "انتهى…"]),
        ("ارتفع بنسبة 87,29% و1.5 نقطة. ثم توقف.", "ar",
         ["ارتفع بنسبة 87,29% و1.5 نقطة.", "ثم توقف."]),
        ("بلغ ٧٫٥ مليون و7,000 حاوية. انتهى", "ar", ["بلغ ٧٫٥ مليون و7,000 حاوية.", "انتهى"]),
        ("منذ تموز/يوليو. ثم", "ar", ["منذ تموز/يوليو.", "ثم"]),
        ('قال "ذهبت. ثم عدت" ثم مضى. النهاية', "ar", ['قال "ذهبت. ثم عدت" ثم مضى.', "النهاية"]),
        ("قال «ذهبت. ثم عدت» ثم مضى. النهاية", "ar", ["قال «ذهبت. ثم عدت» ثم مضى.", "النهاية"]),
        ("قال “ذهبت. ثم عدت.” ثم مضى", "ar", ["قال “ذهبت. ثم عدت.”", "ثم مضى"]),
        ('قال "ذهبت. ثم عدت', "ar", ['قال "ذهبت.', "ثم عدت"]),
        ("عنوان بلا نقطة\nسطر ثان.", "ar", ["عنوان بلا نقطة", "سطر ثان."]),
        ("Mr. Smith met U.S. officials on Jan. 5. They agreed.", "en",
         ["Mr. Smith met U.S. officials on Jan. 5.", "They agreed."]),
        ('He said "I came. I saw." Then he left.', "en", ['He said "I came. I saw."', "Then he left."]),
        ("It rose 1.5% to 7,000. Prices fell.", "en", ["It rose 1.5% to 7,000.", "Prices fell."]),
    ],
)
def test_sentence_splitting(text: str, lang: str, expected: list[str]) -> None:
    assert [s.span.slice(text) for s in split_sentences(text, lang)] == expected


def test_words_keep_numbers_whole() -> None:
    text = "بنسبة 87,29% من ٧٫٥ مليون، (كوريا)"
    words = [w.slice(text) for w in split_words(text)]
    assert words == ["بنسبة", "87,29%", "من", "٧٫٥", "مليون", "،", "(", "كوريا", ")"]


def test_a_lone_carriage_return_ends_a_line_as_lf_and_crlf_do() -> None:
    """Old Mac text (CR only): sentences without a full stop ran across the line break."""
    text = "مرحبا بكم\rالطقس جميل\r\rشكرا لك\r"
    assert [s.span.slice(text) for s in split_sentences(text, "ar")] == \
        ["مرحبا بكم", "الطقس جميل", "شكرا لك"]
    assert [line_breaks(gap) for gap in ("\r", "\r\n", "\n", "\r\r", "\n\r\n", " ")] == \
        [1, 1, 1, 2, 2, 0]


def test_split_lines_keeps_empty_lines() -> None:
    text = "أ\n\nب\r\nج\n"
    assert [s.slice(text) for s in split_lines(text)] == ["أ", "", "ب", "ج"]


@settings(max_examples=200, deadline=None)
@given(st.text(), st.sampled_from(["ar", "en"]))
def test_sentences_cover_every_visible_character(text: str, lang: str) -> None:
    sentences = split_sentences(text, lang)
    covered = set()
    previous_end = 0
    for sentence in sentences:
        piece = sentence.span.slice(text)
        assert piece and piece == piece.strip()
        assert sentence.span.start >= previous_end
        previous_end = sentence.span.end
        covered.update(range(sentence.span.start, sentence.span.end))
    assert all(i in covered for i, char in enumerate(text) if not char.isspace())


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_word_spans_slice_their_text(text: str) -> None:
    for word in split_words(text):
        assert isinstance(word, Span) and 0 <= word.start < word.end <= len(text)
        assert word.slice(text).strip()


def test_a_long_english_line_is_split_in_linear_time(monkeypatch) -> None:
    """pySBD took 85 s on a 240,000-character line (a /v1/check held the worker): pieces."""
    import time

    import mt.segment

    line = " ".join(["The minister said 7,000 containers arrived on Monday.",
                     "Dr. Smith disagreed, e.g. about the U.S. figures!", "Why 300?",
                     '"We left," she said. "Then we came back."'] * 60)
    whole = split_sentences(line, "en")
    monkeypatch.setattr(mt.segment, "PYSBD_CHUNK", 500)
    assert split_sentences(line, "en") == whole, "the pieces cut where pySBD cuts"
    long_line = "700 people arrived. " * 12_000
    started = time.monotonic()
    assert len(split_sentences(long_line, "en")) == 12_000
    assert time.monotonic() - started < 30
