"""Small documents of every format, built at test time, and a translator with exact links.

The glossary translator renders each Arabic word by a fixed English word and
links the two exactly, swapping the words of a few pairs (وزير الدفاع:
"defence minister"), so that tests can say where the English counterpart of
an Arabic bold word must be, whatever its position.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from mt.types import Link, Segment, Span, TranslatedText

GLOSSARY = {
    "قال": "said", "كيم": "Kim", "إن": "that", "كوريا": "Korea", "الشمالية": "North",
    "زودت": "supplied", "روسيا": "Russia", "بالأسلحة": "weapons", "أعلن": "announced",
    "وزير": "minister", "الدفاع": "defence", "الإثنين": "Monday", "وصل": "arrived",
    "300": "300", "شخص": "people", "إلى": "to", "المدينة": "city", "الطقس": "weather",
    "جميل": "nice", "اليوم": "today", "هل": "do", "تتكلم": "speak", "الإنجليزية": "English",
    "صورة": "photo", "الرئيس": "president", "المصدر": "source", "عنوان": "title",
    "مهم": "important", "فقرة": "paragraph", "مع": "with", "رابط": "link", "عنصر": "item",
    "أول": "first", "ثان": "second", "اقتباس": "quote", "خلية": "cell", "أخرى": "other",
    "الأخبار": "news", "عاجل": "urgent", "هنا": "here", "استخدم": "use", "أنا": "I",
    "أحب": "like", "القراءة": "reading", "كثيرا": "much", "وقال": "said",
}
SWAPPED = {("وزير", "الدفاع"), ("كوريا", "الشمالية")}  # adjective before noun in English
_TOKEN_RE = re.compile(r"\w+|[^\s\w]")
ARABIC_RE = re.compile(r"[\u0600-\u06ff]")


def english(arabic: str) -> str:
    """The glossary translation of a sentence (unknown words: 'word')."""
    return GlossaryTranslator().translate_one(arabic)[0]


def _tokens(text: str) -> list[tuple[str, Span]]:
    """Words and punctuation; a protected span (``mt.protect``: code, an entity, an MDX
    expression, a Latin name) is one token, copied as the translator's facts copy it."""
    from mt.protect import protected_spans

    tokens: list[tuple[str, Span]] = []
    done = 0
    for span in [*protected_spans(text), Span(len(text), len(text))]:
        tokens += [(m.group(), Span(done + m.start(), done + m.end()))
                   for m in _TOKEN_RE.finditer(text[done:span.start])]
        if len(span):
            tokens.append((span.slice(text), span))
        done = span.end
    return tokens


class GlossaryTranslator:
    """Word-for-word translation with exact word links (a stand-in for the model)."""

    signature = "mt:test|model:glossary|align:exact"

    def translate_one(self, text: str) -> tuple[str, list[tuple[Span, Span]]]:
        tokens = _tokens(text)
        order = list(range(len(tokens)))
        for i in range(len(tokens) - 1):
            if (tokens[i][0], tokens[i + 1][0]) in SWAPPED:
                order[i], order[i + 1] = order[i + 1], order[i]
        out = ""
        links = []
        for index in order:
            word, span = tokens[index]
            protected = len(word) > 1 and not word.isalnum()
            rendered = word if protected else {"،": ",", "؟": "?", "؛": ";"}.get(word) or \
                GLOSSARY.get(word, word if not ARABIC_RE.search(word) else "word")
            if out and (rendered.isalnum() or protected and text[span.start - 1:span.start] == " "):
                out += " "
            start = len(out)
            out += rendered
            if rendered.isalnum() or protected:
                links.append((span, Span(start, len(out))))
        return out, links

    def translate_spans(self, text: str, spans: list[Span], progress=None) -> TranslatedText:
        parts: list[str] = []
        segments: list[Segment] = []
        links: list[Link] = []
        offset = 0
        for number, span in enumerate(spans):
            if number:
                gap = text[spans[number - 1].end:span.start]
                separator = "\n" * gap.count("\n") or " "
                parts.append(separator)
                offset += len(separator)
            translation, pairs = self.translate_one(span.slice(text))
            segments.append(Segment(number, span, Span(offset, offset + len(translation)), -0.5))
            links.extend(Link(number, s.shift(span.start), t.shift(offset), 0.9)
                         for s, t in pairs)
            parts.append(translation)
            offset += len(translation)
        return TranslatedText(self.signature, text, "".join(parts), tuple(segments),
                              tuple(links))


class DroppingWord(GlossaryTranslator):
    """Leaves one word of the source out of the English (as a model sometimes does)."""

    def __init__(self, word: str) -> None:
        self.word = word

    def translate_one(self, text: str) -> tuple[str, list[tuple[Span, Span]]]:
        return super().translate_one(text.replace(self.word, " " * len(self.word)))


HTML_ARTICLE = """<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>الأخبار عاجل</title>
<meta name="description" content="الأخبار عاجل"><meta name="viewport" content="width=device-width">
<script>window.kept = "نص لا يترجم";</script>
<style>b { color: red }</style></head>
<body>
  <h1>كوريا الشمالية زودت روسيا بالأسلحة</h1>
  <p id="lead">قال <b>كيم</b> إن كوريا الشمالية زودت <a href="https://example.com/russia" title="المصدر">روسيا</a> بالأسلحة.</p>
  <p>أعلن <b>وزير الدفاع</b> الإثنين.<br>وصل 300 شخص إلى المدينة.</p>
  <table><tr><td>الطقس جميل اليوم!</td><td><img src="photo.png" alt="صورة الرئيس"></td></tr></table>
  <pre>كود لا يترجم</pre>
  <p>استخدم <code>ls -l</code> هنا.</p>
</body>
</html>
"""

SRT_CUES = """1
00:00:01,000 --> 00:00:03,000
أعلن وزير الدفاع
الإثنين.

2
00:00:03,500 --> 00:00:05,000
وصل 300 شخص

3
00:00:05,200 --> 00:00:07,000
إلى المدينة.

4
00:00:08,000 --> 00:00:09,000
<i>الطقس جميل اليوم!</i>

5
00:00:10,000 --> 00:00:12,500
هل تتكلم الإنجليزية؟
"""

MARKDOWN = """---
title: عنوان
---
# عنوان **مهم**

فقرة مع [رابط](https://example.com/x "المصدر") و`كود`
قال كيم.

- عنصر *أول*
- عنصر ثان

> اقتباس

| خلية | أخرى |
|------|------|
| خلية | أخرى |

```
كود لا يترجم
```
"""


def build_docx(path: Path) -> Path:
    """A heading, a bold run mid-sentence, a hyperlink, a list item, a table, bidi on, a header."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_heading("كوريا الشمالية زودت روسيا بالأسلحة", level=1)
    paragraph = document.add_paragraph("أعلن ")
    paragraph.add_run("وزير الدفاع").bold = True
    paragraph.add_run(" الإثنين.")
    paragraph.paragraph_format.element.get_or_add_pPr().append(OxmlElement("w:bidi"))
    linked = document.add_paragraph("وصل 300 شخص إلى ")
    relation = linked.part.relate_to("https://example.com/city", RELATIONSHIP_TYPE.HYPERLINK,
                                     is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "المدينة"
    run.append(text)
    hyperlink.append(run)
    linked._p.append(hyperlink)
    linked.add_run(".")
    tracked = document.add_paragraph("قال ")  # a tracked insertion: w:ins around a run
    insertion = OxmlElement("w:ins")
    insertion.set(qn("w:id"), "1")
    insertion.set(qn("w:author"), "mt")
    inserted = OxmlElement("w:r")
    inserted_text = OxmlElement("w:t")
    inserted_text.text = "كيم"
    inserted.append(inserted_text)
    insertion.append(inserted)
    tracked._p.append(insertion)
    document.add_paragraph("أنا أحب القراءة كثيرا.", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for (r, c), value in {(0, 0): "الطقس جميل اليوم!", (0, 1): "هل تتكلم الإنجليزية؟",
                          (1, 0): "قال كيم.", (1, 1): "وصل 300 شخص."}.items():
        table.cell(r, c).text = value
    document.sections[0].header.paragraphs[0].text = "الأخبار عاجل"
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path
