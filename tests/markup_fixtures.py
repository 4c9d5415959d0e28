"""Documents as people write them, for the HTML, Markdown/MDX and subtitle readers.

Every fixture uses words of ``documents_fixtures.GLOSSARY`` where it can, so
that the glossary translator says exactly what each element must wrap, and
holds the cases issue 28 found broken in real files: link lists with
separators, nested inline elements, spans in other languages, MDX heading
ids, links whose text is code, adjacent code spans, emphasis, entities, long
subtitle lines and WebVTT.
"""

from __future__ import annotations

HTML_LINK_LIST = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>الأخبار عاجل</title></head>
<body>
<nav><a href="/news">الأخبار</a> • <a href="/city">المدينة</a> • <a href="/weather">الطقس</a> • <a href="/links">رابط مهم</a></nav>
<p class="crumbs"><a href="/">عنوان</a> | <a href="/a">عنصر أول</a> | <a href="/b">عنصر ثان</a></p>
<p id="menu"><a href="/1">الأخبار</a> <a href="/2">المدينة</a></p>
<p id="lead">قال <b>وزير <i>الدفاع</i></b> إن <a href="https://example.com/report">كوريا الشمالية</a> زودت روسيا بالأسلحة.</p>
<p id="langs">قال كيم إن <span lang="en">open source</span> مهم <span lang="pt">obrigado</span> و<span lang="fa" dir="rtl">سلام دوست</span> هنا.</p>
<p id="latin">استخدم <a href="https://github.com"><b>GitHub</b> Pages</a> اليوم.</p>
</body></html>
"""

MDX_PAGE = """---
title: الأخبار عاجل
description: وصل 300 شخص إلى المدينة
sidebar_position: 2
---
import Note from './note.js';

## عنوان مهم {/*important-title*/}

استخدم `<section>` و `<h1>` هنا&rlm;.

قال **كيم** إن *كوريا الشمالية* زودت **روسيا** بالأسلحة.

انظر [`useState`](/reference/usestate) و[الأخبار](https://example.com/news "المصدر") اليوم.

<Note>فقرة مع رابط</Note>

وصل {count} شخص إلى <kbd>Ctrl</kbd> المدينة.

- عنصر *أول* مع `code`
- عنصر **ثان**
"""

SRT_LONG = """1
00:00:01,000 --> 00:00:04,000
قال وزير الدفاع إن كوريا الشمالية زودت روسيا بالأسلحة وصل 300 شخص إلى المدينة اليوم.

2
00:00:04,500 --> 00:00:05,500
قال كيم إن كوريا الشمالية زودت روسيا بالأسلحة هنا اليوم.

3
00:00:06,000 --> 00:00:09,000
الطقس جميل اليوم.

4
00:00:10,000 --> 00:00:14,000
قال كيم إن كوريا الشمالية زودت روسيا بالأسلحة وقال وزير الدفاع إن كوريا الشمالية
زودت روسيا بالأسلحة وصل 300 شخص إلى المدينة

5
00:00:14,200 --> 00:00:18,000
هنا.
"""

VTT_CUES = """WEBVTT
Kind: captions
Language: ar

NOTE made for the tests

STYLE
::cue { color: yellow }

intro
00:00:01.000 --> 00:00:03.000 align:start position:10%
قال وزير الدفاع
إن كوريا الشمالية زودت روسيا بالأسلحة.

00:00:03.500 --> 00:00:05.000
<v Kim>وصل 300 شخص إلى المدينة.</v>

00:00:06.000 --> 00:00:09.000
الطقس <c.yellow>جميل</c> اليوم!
"""
