"""Structure checkers, one per format, written apart from ``mt.documents``' readers.

Each compares an input file with its translation and returns the differences
found (an empty list: the structure is equal), and counts the Arabic letters
left where a reader would see them. They parse with other tools than the
readers do (stdlib ``html.parser``, regular expressions for Markdown, a
hand-written SRT/WebVTT parser), so a reader's mistake is not repeated here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")
# Attributes the translation rewrites on purpose: language, direction, the translated ones.
REWRITTEN = frozenset({"lang", "dir", "style", "alt", "title", "placeholder", "aria-label",
                       "content", "charset"})
HIDDEN = frozenset({"script", "style", "pre", "listing", "code", "template", "textarea"})
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
OTHER_ARABIC_SCRIPT = frozenset({"fa", "ur", "ps", "ku", "ckb", "sd", "ug"})
# Elements that hold lines of text: their order is the page's; inline ones may move inside.
BLOCK = frozenset("html head title body div p h1 h2 h3 h4 h5 h6 ul ol li table thead tbody "
                  "tr td th nav header footer section article aside main blockquote pre listing "
                  "figure figcaption dl dt dd form fieldset legend details summary".split())


def arabic_letters(text: str) -> int:
    return len(ARABIC_LETTER.findall(text))


# -- HTML ---------------------------------------------------------------------------------


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    index: int
    block: int
    text: list[str] = field(default_factory=list)


@dataclass
class HtmlShape:
    """What a page is made of, in document order."""

    elements: list[tuple[str, tuple[tuple[str, str], ...]]] = field(default_factory=list)
    hrefs: list[str] = field(default_factory=list)
    separators: list[str] = field(default_factory=list)  # text between two links, no letters
    langs: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # each element's text, by start order
    blocks: list[int] = field(default_factory=list)  # each element's block (its ordinal)
    visible: list[str] = field(default_factory=list)  # text a reader sees, other languages out


class _ShapeParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shape = HtmlShape()
        self.stack: list[_Element] = []
        self.between: list[str] | None = None  # text since the last </a>, while no tag opened

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.shape.texts.append("")
        ordinals = sum(1 for t, _ in self.shape.elements if t in BLOCK)
        inside = next((e.block for e in reversed(self.stack) if e.tag in BLOCK), -1)
        self.shape.blocks.append(ordinals if tag in BLOCK else inside)
        self.shape.langs.append((dict(attrs).get("lang") or "").lower())
        self.shape.elements.append((tag, tuple(sorted((k, v) for k, v in values.items()
                                                      if k not in REWRITTEN))))
        if tag == "a":
            if self.between is not None:
                gap = "".join(self.between)
                marks = "".join(c for c in gap if not c.isspace() and c not in ".,;:!?،؛")
                if marks and not any(c.isalnum() for c in gap):
                    # The separator itself: a full stop the English puts before it is prose.
                    self.shape.separators.append(marks)
            self.shape.hrefs.append(values.get("href", ""))
        self.between = None
        if tag in VOID:
            return
        self.stack.append(_Element(tag, values, len(self.shape.elements) - 1,
                                   self.shape.blocks[-1]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].tag == tag:
                for element in reversed(self.stack[depth:]):
                    self._closed(element)
                del self.stack[depth:]
                break
        self.between = [] if tag == "a" else None

    def _closed(self, element: _Element) -> None:
        self.shape.texts[element.index] = "".join(element.text)

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.text.append(data)
        if self.between is not None:
            self.between.append(data)
        hidden = any(e.tag in HIDDEN for e in self.stack)
        other = any(e.attrs.get("lang", "").lower().split("-")[0] in OTHER_ARABIC_SCRIPT
                    for e in self.stack)
        if not hidden and not other:
            self.shape.visible.append(data)


def html_shape(page: str) -> HtmlShape:
    parser = _ShapeParser()
    parser.feed(page)
    parser.close()
    return parser.shape


def html_differences(before: str, after: str) -> list[str]:
    """How ``after`` differs in structure from ``before``: block elements in order; in each
    block, its inline elements (tag and attributes other than the translated ones, link
    targets) as a multiset, as English word order may move them; separators between
    links in order; verbatim elements' texts."""
    old, new = html_shape(before), html_shape(after)
    found: list[str] = []
    if _blocks(old) != _blocks(new):
        found.append(f"block elements: {len(_blocks(old))} -> {len(_blocks(new))}, differ")
    lost, added = _inline(old) - _inline(new), _inline(new) - _inline(old)
    if lost or added:
        found.append(f"inline elements lost {sorted(lost)}, added {sorted(added)}")
    if Counter(old.hrefs) != Counter(new.hrefs):
        found.append(f"link targets: {old.hrefs} -> {new.hrefs}")
    if not _in_order(old.separators, new.separators):
        found.append(f"separators between links: {old.separators} -> {new.separators}")
    emptied = _empty(new) - _empty(old)
    if emptied:
        found.append(f"elements left without text: {sorted(emptied)}")
    kept = Counter((old.elements[i], old.texts[i]) for i in _verbatim(old))
    if kept - Counter(zip(new.elements, new.texts, strict=True)):
        found.append(f"verbatim elements changed: {sorted(t for _, t in kept)}")
    return found


def _empty(shape: HtmlShape) -> Counter[tuple[str, tuple[tuple[str, str], ...]]]:
    """Elements (other than void ones) with no text: a link nobody can click."""
    return Counter(element for element, text in zip(shape.elements, shape.texts, strict=True)
                   if element[0] not in VOID and not text.strip())


def _blocks(shape: HtmlShape) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    return [element for element in shape.elements if element[0] in BLOCK]


def _inline(shape: HtmlShape) -> Counter[tuple[int, str, tuple[tuple[str, str], ...]]]:
    return Counter((block, tag, attrs) for (tag, attrs), block in zip(
        shape.elements, shape.blocks, strict=True) if tag not in BLOCK)


def _in_order(wanted: list[str], found: list[str]) -> bool:
    """Whether ``found`` holds every item of ``wanted`` in the same order (English may put a
    comma between two links where the Arabic had "، و")."""
    rest = iter(found)
    return all(any(item == other for other in rest) for item in wanted)


def _verbatim(shape: HtmlShape) -> list[int]:
    """The elements to copy as they are: marked with another language, or text with no
    Arabic letters (a Latin name), outside hidden and document-level elements."""
    found = []
    for index, ((tag, _), text, lang) in enumerate(zip(shape.elements, shape.texts,
                                                        shape.langs, strict=True)):
        latin = not ARABIC_LETTER.search(text) and any(c.isalnum() for c in text)
        if tag not in HIDDEN | {"html", "head", "body"} and (
                (lang and not lang.startswith("ar")) or latin):
            found.append(index)
    return found


def html_arabic_left(page: str) -> int:
    return arabic_letters("".join(html_shape(page).visible))


# -- Markdown / MDX -----------------------------------------------------------------------

_FENCE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[ \t]*$", re.M | re.S)
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")  # runs of equal length
_LINK_TARGET = re.compile(r"\]\(([^)\s]*)")
_EXPRESSION = re.compile(r"\{[^{}\n]*\}")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_SHOWN_ATTRIBUTE = re.compile(r"""\b(?:alt|title|aria-label|placeholder)=["']([^"']*)""")
_LINK_URL = re.compile(r"\]\(<?[^)\s>]*>?")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)")
_EMPHASIS = re.compile(r"(?<![*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?!\*)"
                       r"|(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?!\w)")
_BLOCK = re.compile(r"^(#{1,6} |[-*+] |\d+[.)] |> |\|)", re.M)
# A line ending in two spaces or an odd number of backslashes, a line of words after it.
_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]:?")  # a reference [^1], a definition's label [^1]:
_HARD_BREAK = re.compile(r"(?:(?<=\S)  +|(?<!\\)(?:\\\\)*(\\))\n(?=[ \t>]*[^\s>])")


@dataclass
class MarkdownShape:
    fences: list[str]
    front_keys: list[str]
    code: list[str]
    targets: list[str]
    expressions: list[str]
    entities: list[str]
    tags: list[str]
    strong: int
    emphasis: int
    blocks: list[str]
    breaks: list[str]  # each hard break's kind: "\\" or "  "
    footnotes: list[str]
    prose: str  # the text outside code blocks and code spans


def markdown_shape(text: str) -> MarkdownShape:
    front = _FRONT.match(text)
    body = text[front.end():] if front else text
    fences = [m.group() for m in _FENCE.finditer(body)]
    outside = _FENCE.sub("", body)
    code = [m.group() for m in _CODE_SPAN.finditer(outside)]
    prose = _CODE_SPAN.sub(" ", outside)
    plain = _EXPRESSION.sub(" ", prose)  # {/*id*/} holds stars that are no emphasis
    unstarred = _STRONG.sub(lambda m: m.group(1) or m.group(2), plain)
    keys = [line.split(":")[0] for line in front.group(1).split("\n")] if front else []
    return MarkdownShape(
        fences, keys, code, _LINK_TARGET.findall(prose), _EXPRESSION.findall(prose),
        _ENTITY.findall(prose), _TAG.findall(prose), len(_STRONG.findall(plain)),
        len(_EMPHASIS.findall(unstarred)), [m.group(1) for m in _BLOCK.finditer(outside)],
        [m.group(1) or "  " for m in _HARD_BREAK.finditer(prose)], _FOOTNOTE.findall(prose),
        prose)


def markdown_differences(before: str, after: str) -> list[str]:
    """What ``after`` lost or gained of ``before``: code blocks and spans, link targets,
    MDX expressions (heading ids), entities, inline HTML, emphasis, block prefixes, hard
    breaks, footnote references and labels."""
    old, new = markdown_shape(before), markdown_shape(after)
    found = [f"{what}: {a} -> {b}" for what, a, b in (
        ("code blocks", old.fences, new.fences), ("front matter keys", old.front_keys,
                                                  new.front_keys),
        ("block prefixes", old.blocks, new.blocks), ("hard breaks", old.breaks, new.breaks),
        ("strong", old.strong, new.strong), ("emphasis", old.emphasis, new.emphasis),
        ("links without text", before.count("[]("), after.count("[](")))
        if a != b]
    for what, a, b in (("code spans", old.code, new.code), ("link targets", old.targets,
                                                             new.targets),
                       ("MDX expressions", old.expressions, new.expressions),
                       ("entities", old.entities, new.entities),
                       ("footnotes", old.footnotes, new.footnotes),
                       ("inline HTML", _bare(old.tags), _bare(new.tags))):
        if sorted(a) != sorted(b):  # English may order two of them otherwise
            found.append(f"{what}: {a} -> {b}")
    return found


def _bare(tags: list[str]) -> list[str]:
    """Tags without the attributes a translation rewrites (alt, title, lang, dir...)."""
    return [re.sub(r"""\s(?:alt|title|aria-label|placeholder|lang|dir)=("[^"]*"|'[^']*')""", "",
                   tag) for tag in tags]


def markdown_arabic_left(text: str) -> int:
    """Arabic letters a reader sees outside code (front matter, link titles, alt texts
    included; link targets and tag names out)."""
    front = _FRONT.match(text)
    prose = _LINK_URL.sub("](", markdown_shape(text).prose)
    prose = _TAG.sub(lambda tag: " ".join(_SHOWN_ATTRIBUTE.findall(tag.group())), prose)
    return arabic_letters((front.group(1) if front else "") + prose)


# -- SRT and WebVTT -----------------------------------------------------------------------

_SUB_TIME = r"\d{1,2}:\d{2}:\d{2}[,.]\d{3}|\d{2}:\d{2}\.\d{3}"
_SUB_TIMING = re.compile(rf"^\s*({_SUB_TIME})\s+-->\s+({_SUB_TIME})(.*)$")
_SUB_TAG = re.compile(r"<[^<>]*>|\{\\[^}]*\}")
MAX_LINES, MAX_WIDTH = 2, 42


@dataclass
class SubtitleShape:
    cues: list[tuple[str, str, str, str]]  # (identifier, start, end, settings)
    texts: list[list[str]]  # each cue's lines, tags out
    other: list[str]  # the header and NOTE/STYLE/REGION blocks, as written


def subtitle_shape(text: str) -> SubtitleShape:
    """Cues of an SRT or WebVTT file: blocks split at blank lines, a cue being a block with
    a timing line first or second."""
    shape = SubtitleShape([], [], [])
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip("\n")):
        lines = block.split("\n")
        timing = next((i for i, line in enumerate(lines[:2]) if _SUB_TIMING.match(line)), None)
        if timing is None:
            shape.other.append(block)
            continue
        match = _SUB_TIMING.match(lines[timing])
        assert match is not None
        shape.cues.append((lines[0] if timing else "", match.group(1), match.group(2),
                           match.group(3).strip()))
        shape.texts.append([_SUB_TAG.sub("", line).strip() for line in lines[timing + 1:]])
    return shape


def subtitle_differences(before: str, after: str) -> list[str]:
    """Cue count, identifiers, timings and settings, and the blocks that are not cues."""
    old, new = subtitle_shape(before), subtitle_shape(after)
    found = []
    if len(old.cues) != len(new.cues):
        found.append(f"cues: {len(old.cues)} -> {len(new.cues)}")
    elif old.cues != new.cues:
        found.append("cue identifiers, timings or settings changed")
    if old.other != new.other:
        found.append("header or NOTE/STYLE blocks changed")
    if any(not any(text) for text in new.texts):
        found.append("a cue left empty")
    return found


def subtitle_over_limits(text: str) -> list[str]:
    """Cues over two lines, or with a line over 42 characters (tags out)."""
    shape = subtitle_shape(text)
    return [f"cue {index}: {len(lines)} lines, longest {max(map(len, lines), default=0)}"
            for index, lines in enumerate(shape.texts)
            if len(lines) > MAX_LINES or any(len(line) > MAX_WIDTH for line in lines)]


def subtitle_arabic_left(text: str) -> int:
    return arabic_letters(" ".join(" ".join(lines) for lines in subtitle_shape(text).texts))
