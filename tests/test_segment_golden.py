"""Sentence splitting measured on the Pragmatic Segmenter's golden rules, offsets exact.

The 48 English cases are the inputs and expected sentences of the "Golden Rules"
list published with the Pragmatic Segmenter (github.com/diasks2/pragmatic_segmenter,
README, "The Golden Rules"), the set pySBD runs as tests/lang/test_english.py;
the Arabic cases are pySBD's tests/lang/test_arabic.py. They are test
specifications, written out here case by case.
"""

from __future__ import annotations

import pytest

from mt.segment import split_sentences

GOLDEN_EN = [
    ("Hello World. My name is Jonas.", ["Hello World.", "My name is Jonas."]),
    ("What is your name? My name is Jonas.", ["What is your name?", "My name is Jonas."]),
    ("There it is! I found it.", ["There it is!", "I found it."]),
    ("My name is Jonas E. Smith.", ["My name is Jonas E. Smith."]),
    ("Please turn to p. 55.", ["Please turn to p. 55."]),
    ("Were Jane and co. at the party?", ["Were Jane and co. at the party?"]),
    ("They closed the deal with Pitt, Briggs & Co. at noon.",
     ["They closed the deal with Pitt, Briggs & Co. at noon."]),
    ("Let's ask Jane and co. They should know.", ["Let's ask Jane and co.", "They should know."]),
    ("They closed the deal with Pitt, Briggs & Co. It closed yesterday.",
     ["They closed the deal with Pitt, Briggs & Co.", "It closed yesterday."]),
    ("I can see Mt. Fuji from here.", ["I can see Mt. Fuji from here."]),
    ("St. Michael's Church is on 5th st. near the light.",
     ["St. Michael's Church is on 5th st. near the light."]),
    ("That is JFK Jr.'s book.", ["That is JFK Jr.'s book."]),
    ("I visited the U.S.A. last year.", ["I visited the U.S.A. last year."]),
    ("I live in the E.U. How about you?", ["I live in the E.U.", "How about you?"]),
    ("I live in the U.S. How about you?", ["I live in the U.S.", "How about you?"]),
    ("I work for the U.S. Government in Virginia.",
     ["I work for the U.S. Government in Virginia."]),
    ("I have lived in the U.S. for 20 years.", ["I have lived in the U.S. for 20 years."]),
    ("At 5 a.m. Mr. Smith went to the bank. He left the bank at 6 P.M. Mr. Smith then went "
     "to the store.", ["At 5 a.m. Mr. Smith went to the bank.", "He left the bank at 6 P.M.",
                       "Mr. Smith then went to the store."]),
    ("She has $100.00 in her bag.", ["She has $100.00 in her bag."]),
    ("She has $100.00. It is in her bag.", ["She has $100.00.", "It is in her bag."]),
    ("He teaches science (He previously worked for 5 years as an engineer.) at the local "
     "University.", ["He teaches science (He previously worked for 5 years as an engineer.) "
                     "at the local University."]),
    ("Her email is Jane.Doe@example.com. I sent her an email.",
     ["Her email is Jane.Doe@example.com.", "I sent her an email."]),
    ("The site is: https://www.example.50.com/new-site/awesome_content.html. Please check it "
     "out.", ["The site is: https://www.example.50.com/new-site/awesome_content.html.",
              "Please check it out."]),
    ("She turned to him, 'This is great.' she said.",
     ["She turned to him, 'This is great.' she said."]),
    ('She turned to him, "This is great." she said.',
     ['She turned to him, "This is great." she said.']),
    ('She turned to him, "This is great." She held the book out to show him.',
     ['She turned to him, "This is great."', "She held the book out to show him."]),
    ("Hello!! Long time no see.", ["Hello!!", "Long time no see."]),
    ("Hello?? Who is there?", ["Hello??", "Who is there?"]),
    ("Hello!? Is that you?", ["Hello!?", "Is that you?"]),
    ("Hello?! Is that you?", ["Hello?!", "Is that you?"]),
    ("1.) The first item 2.) The second item", ["1.) The first item", "2.) The second item"]),
    ("1.) The first item. 2.) The second item.",
     ["1.) The first item.", "2.) The second item."]),
    ("1) The first item 2) The second item", ["1) The first item", "2) The second item"]),
    ("1) The first item. 2) The second item.", ["1) The first item.", "2) The second item."]),
    ("1. The first item 2. The second item", ["1. The first item", "2. The second item"]),
    ("1. The first item. 2. The second item.", ["1. The first item.", "2. The second item."]),
    ("• 9. The first item • 10. The second item",
     ["• 9. The first item", "• 10. The second item"]),
    ("⁃9. The first item ⁃10. The second item", ["⁃9. The first item", "⁃10. The second item"]),
    ("a. The first item b. The second item c. The third list item",
     ["a. The first item", "b. The second item", "c. The third list item"]),
    ("You can find it at N°. 1026.253.553. That is where the treasure is.",
     ["You can find it at N°. 1026.253.553.", "That is where the treasure is."]),
    ("She works at Yahoo! in the accounting department.",
     ["She works at Yahoo! in the accounting department."]),
    ("We make a good team, you and I. Did you see Albert I. Jones yesterday?",
     ["We make a good team, you and I.", "Did you see Albert I. Jones yesterday?"]),
    ("Thoreau argues that by simplifying one’s life, “the laws of the universe will appear "
     "less complex. . . .”", ["Thoreau argues that by simplifying one’s life, “the laws of the "
                             "universe will appear less complex. . . .”"]),
    ('"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).',
     ['"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).']),
    ("If words are left off at the end of a sentence, and that is all that is omitted, "
     "indicate the omission with ellipsis marks (preceded and followed by a space) and then "
     "indicate the end of the sentence with a period . . . . Next sentence.",
     ["If words are left off at the end of a sentence, and that is all that is omitted, "
      "indicate the omission with ellipsis marks (preceded and followed by a space) and then "
      "indicate the end of the sentence with a period . . . .", "Next sentence."]),
    ("I never meant that.... She left the store.", ["I never meant that....",
                                                    "She left the store."]),
    ("I wasn’t really ... well, what I mean...see . . . what I'm saying, the thing is . . . I "
     "didn’t mean it.", ["I wasn’t really ... well, what I mean...see . . . what I'm saying, "
                         "the thing is . . . I didn’t mean it."]),
    ("One further habit which was somewhat weakened . . . was that of combining words into "
     "self-interpreting compounds. . . . The practice was not abandoned. . . .",
     ["One further habit which was somewhat weakened . . . was that of combining words into "
      "self-interpreting compounds.", ". . . The practice was not abandoned. . . ."]),
]

GOLDEN_AR = [
    ("سؤال وجواب: ماذا حدث بعد الانتخابات الايرانية؟ طرح الكثير من التساؤلات غداة ظهور نتائج "
     "الانتخابات الرئاسية الايرانية التي أججت مظاهرات واسعة واعمال عنف بين المحتجين على النتائج "
     "ورجال الامن. يقول معارضو الرئيس الإيراني إن الطريقة التي اعلنت بها النتائج كانت مثيرة "
     "للاستغراب.",
     ["سؤال وجواب:", "ماذا حدث بعد الانتخابات الايرانية؟",
      "طرح الكثير من التساؤلات غداة ظهور نتائج الانتخابات الرئاسية الايرانية التي أججت مظاهرات "
      "واسعة واعمال عنف بين المحتجين على النتائج ورجال الامن.",
      "يقول معارضو الرئيس الإيراني إن الطريقة التي اعلنت بها النتائج كانت مثيرة للاستغراب."]),
    ("وقال د. ديفيد ريدي و الأطباء الذين كانوا يعالجونها في مستشفى برمنجهام إنها كانت تعاني من "
     "أمراض أخرى. وليس معروفا ما اذا كانت قد توفيت بسبب اصابتها بأنفلونزا الخنازير.",
     ["وقال د. ديفيد ريدي و الأطباء الذين كانوا يعالجونها في مستشفى برمنجهام إنها كانت تعاني من "
      "أمراض أخرى.", "وليس معروفا ما اذا كانت قد توفيت بسبب اصابتها بأنفلونزا الخنازير."]),
    ("ومن المنتظر أن يكتمل مشروع خط أنابيب نابوكو البالغ طوله 3300 كليومترا في 12/08/2014 "
     "بتكلفة تُقدر بـ 7.9 مليارات يورو أي نحو 10.9 مليارات دولار. ومن المقرر أن تصل طاقة ضخ "
     "الغاز في المشروع 31 مليار متر مكعب انطلاقا من بحر قزوين مرورا بالنمسا وتركيا ودول "
     "البلقان دون المرور على الأراضي الروسية.",
     ["ومن المنتظر أن يكتمل مشروع خط أنابيب نابوكو البالغ طوله 3300 كليومترا في 12/08/2014 "
      "بتكلفة تُقدر بـ 7.9 مليارات يورو أي نحو 10.9 مليارات دولار.",
      "ومن المقرر أن تصل طاقة ضخ الغاز في المشروع 31 مليار متر مكعب انطلاقا من بحر قزوين مرورا "
      "بالنمسا وتركيا ودول البلقان دون المرور على الأراضي الروسية."]),
    ("الاحد, 21 فبراير/ شباط, 2010, 05:01 GMT الصنداي تايمز: رئيس الموساد قد يصبح ضحية الحرب "
     "السرية التي شتنها بنفسه. العقل المنظم هو مئير داجان رئيس الموساد الإسرائيلي الذي يشتبه "
     "بقيامه باغتيال القائد الفلسطيني في حركة حماس محمود المبحوح في دبي.",
     ["الاحد, 21 فبراير/ شباط, 2010, 05:01 GMT الصنداي تايمز:",
      "رئيس الموساد قد يصبح ضحية الحرب السرية التي شتنها بنفسه.",
      "العقل المنظم هو مئير داجان رئيس الموساد الإسرائيلي الذي يشتبه بقيامه باغتيال القائد "
      "الفلسطيني في حركة حماس محمود المبحوح في دبي."]),
    ("عثر في الغرفة على بعض أدوية علاج ارتفاع ضغط الدم، والقلب، زرعها عملاء الموساد كما تقول "
     "مصادر إسرائيلية، وقرر الطبيب أن الفلسطيني قد توفي وفاة طبيعية ربما إثر نوبة قلبية، وبدأت "
     "مراسم الحداد عليه",
     ["عثر في الغرفة على بعض أدوية علاج ارتفاع ضغط الدم، والقلب،",
      "زرعها عملاء الموساد كما تقول مصادر إسرائيلية،",
      "وقرر الطبيب أن الفلسطيني قد توفي وفاة طبيعية ربما إثر نوبة قلبية،", "وبدأت مراسم الحداد عليه"]),
]


def expected_spans(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    """The expected sentences as offsets into the input, found in order."""
    spans, cursor = [], 0
    for sentence in sentences:
        start = text.index(sentence, cursor)
        spans.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    return spans


def passed(cases: list[tuple[str, list[str]]], lang: str) -> list[bool]:
    return [[(s.span.start, s.span.end) for s in split_sentences(text, lang)]
            == expected_spans(text, sentences) for text, sentences in cases]


def pysbd_passed(cases: list[tuple[str, list[str]]], lang: str) -> list[bool]:
    import pysbd

    segmenter = pysbd.Segmenter(language=lang, clean=False)
    return [[s.strip() for s in segmenter.segment(text)] == sentences for text, sentences in cases]


def test_golden_rules_english_offsets_exact() -> None:
    assert len(GOLDEN_EN) == 48
    ours = passed(GOLDEN_EN, "en")
    failing = [text[:40] for (text, _), ok in zip(GOLDEN_EN, ours, strict=True) if not ok]
    assert sum(ours) >= 45, failing
    # pySBD alone, for the record: mt's quotation rule on top must not cost a case.
    assert sum(ours) >= sum(pysbd_passed(GOLDEN_EN, "en"))


def test_golden_rules_arabic_measured() -> None:
    """pySBD's Arabic cases end sentences at ``:`` and ``،`` too; mt ends them only at
    sentence punctuation (a clause is not a sentence to align). Measured, not hidden."""
    ours = passed(GOLDEN_AR, "ar")
    assert ours == [False, True, True, False, False]


@pytest.mark.parametrize(("text", "expected"), [
    ("He said \"I came. I saw.\" And left.", ['He said "I came. I saw."', "And left."]),
    ("Headline without a stop\nSecond line. Third.", ["Headline without a stop", "Second line.",
                                                      "Third."]),
    ("It rose 1.5% to 7,000. Prices fell.", ["It rose 1.5% to 7,000.", "Prices fell."]),
])
def test_english_keeps_mts_rules(text: str, expected: list[str]) -> None:
    assert [s.span.slice(text) for s in split_sentences(text, "en")] == expected
