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

# A page as encyclopedias write them: breadcrumbs, citations, links mid-sentence, lists.
HTML_WIKI = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>القاهرة - ويكيبيديا</title></head>
<body>
<div id="breadcrumbs"><a href="/">الرئيسية</a> › <a href="/geo">جغرافيا</a> › <a href="/geo/cities">مدن</a></div>
<h1>القاهرة</h1>
<p><b>القاهرة</b> هي عاصمة <a href="/wiki/مصر" title="مصر">جمهورية مصر العربية</a> وأكبر مدنها، ويبلغ عدد سكانها نحو <span class="num">22</span> مليون نسمة<sup id="cite-1"><a href="#note-1">[1]</a></sup>. تقع على ضفاف <a href="/wiki/النيل">نهر النيل</a> في شمال البلاد، وقد أسسها <a href="/wiki/جوهر">جوهر الصقلي</a> عام <time datetime="969">969</time>.</p>
<p>من أهم معالمها <a href="/a">الأهرامات</a>، و<a href="/b">المتحف المصري</a>، و<a href="/c">خان الخليلي</a>، و<a href="/d">قلعة صلاح الدين</a>.</p>
<p>انظر أيضا: <a href="/x">الإسكندرية</a> | <a href="/y">الجيزة</a> | <a href="/z">أسوان</a></p>
<ul><li><a href="/u1">جامعة القاهرة</a> – تأسست عام 1908</li><li><a href="/u2">الجامعة الأمريكية</a> (<abbr title="الجامعة الأمريكية بالقاهرة">AUC</abbr>)</li></ul>
<p>يمكن استخدام الأمر <code>curl https://example.org</code> لتحميل البيانات من موقع <a href="https://data.example.org">Open Data Portal</a> مباشرة.</p>
<p>قال <em>الرئيس</em> في خطاب <strong>مهم <em>جدا</em></strong> إن <a href="/plan"><strong>الخطة</strong> الجديدة</a> ستبدأ قريبا.</p>
<footer><a href="/privacy">الخصوصية</a> · <a href="/terms">الشروط</a> · <a href="/contact">اتصل بنا</a></footer>
</body></html>
"""

# A documentation page as React's Arabic docs write it.
MDX_DOCS = """---
title: "استخدام الحالة: دليل"
description: تعلم كيف تضيف الحالة إلى مكونك
---

import {Sandpack} from '@site/components';

# إضافة الحالة إلى مكون {/*adding-state*/}

<Intro>

تحتاج المكونات غالبًا إلى تغيير ما يظهر على الشاشة نتيجة تفاعل المستخدم.

</Intro>

## الخطوة الأولى: استيراد `useState` {/*step-1*/}

استخدم [`useState`](/reference/react/useState) لإضافة متغير حالة. يمكنك أيضًا قراءة [دليل **الحالة** الكامل](/learn/state "دليل") أو [صفحة المرجع](/reference)&rlm;.

اكتب `const [index, setIndex] = useState(0);` في أعلى المكون، ثم استدع `setIndex` عند النقر على زر <kbd>Enter</kbd>.

> **ملاحظة:** لا تستدعِ _الخطافات_ داخل الحلقات أو الشروط، فهذا ~~مسموح~~ ممنوع.

| الخاصية | الوصف |
|---|---|
| `index` | رقم *الصفحة* الحالية |
| `setIndex` | دالة لتغيير [الحالة](/learn/state) |

1. أضف `import` في أعلى الملف.
2. استبدل المتغير العادي بـ `useState`.
   - انظر [المثال](#example) و[الشرح](#explain).

<Sandpack>

```js
export default function Gallery() {
  const [index, setIndex] = useState(0);
}
```

</Sandpack>

للمزيد: [المرجع](/ref) • [الأمثلة](/examples) • [الأسئلة الشائعة](/faq)
"""

# A lecture: sentences over several cues, two-line cues, a quick thank-you.
SRT_LECTURE = """1
00:00:01,000 --> 00:00:04,200
مرحبا بكم في هذه المحاضرة عن تاريخ
المدن العربية الكبرى

2
00:00:04,400 --> 00:00:07,000
سنتحدث اليوم عن القاهرة ودمشق وبغداد،

3
00:00:07,100 --> 00:00:10,500
وعن الدور الذي لعبته هذه المدن في التجارة
والعلوم والفنون عبر القرون.

4
00:00:11,000 --> 00:00:13,000
أسس جوهر الصقلي القاهرة عام 969.

5
00:00:13,200 --> 00:00:17,800
وقد أصبحت بسرعة مركزا مهما للعلم، إذ بني فيها
الجامع الأزهر الذي ما زال يستقبل الطلاب

6
00:00:17,900 --> 00:00:20,000
من جميع أنحاء العالم حتى اليوم.

7
00:00:20,500 --> 00:00:22,000
أما دمشق فهي من أقدم المدن المأهولة.

8
00:00:22,100 --> 00:00:26,900
كانت عاصمة الدولة الأموية، ومنها امتدت الدولة
شرقا حتى الصين وغربا حتى الأندلس

9
00:00:27,000 --> 00:00:29,000
وفي بغداد أسس العباسيون بيت الحكمة.

10
00:00:29,200 --> 00:00:33,500
ترجم العلماء هناك كتب الفلسفة والطب والرياضيات
من اليونانية والفارسية إلى العربية.

11
00:00:34,000 --> 00:00:35,000
شكرا لكم.
"""
