"""HTML pages: block elements are units, inline markup carried onto the English.

Parsed with lxml's HTML parser (malformed markup is recovered as lxml does).
A unit is the inline content of a block element between its block children
(and ``<br>``): text, inline elements as marks (``<b>``, ``<i>``, ``<a href>``,
``<span>``...), opaque inline things as anchors (``<code>``, ``<img>``, inline
``<script>``, comments, an element in another language written in Arabic
script such as ``lang="fa"``). The items of a list of inline elements
(``<a>HTML</a> • <a>CSS</a>``, links side by side) are translated one by one,
the separators copied; an element with no Arabic letters is copied whole.
``<script>``, ``<style>``, ``<pre>`` (and ``<listing>``, the same), ``<template>``
and ``<textarea>`` content is never touched, and ``<xmp>``, ``<plaintext>`` and ``<iframe>`` text is
written as it came in; link targets are written as they were (libxml2 would
%-escape them, and escape raw text). ``alt``, ``title``,
``placeholder`` and ``aria-label`` attributes, and the ``content`` of description
and link-preview ``<meta>`` tags, are units of their own. On the
output ``lang``/``dir`` (and ``direction`` in ``style`` attributes) say English,
left to right, and the page is UTF-8.

The file's encoding: a byte-order mark, else ``<meta charset>`` (or its
``http-equiv`` form) in the first 4 KiB, else UTF-8; bytes that do not decode
are an error, never replaced, and a label browsers do not know (``utf-7``) too.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mt.arabic import has_arabic
from mt.documents.base import TextBuilder, Unit, UnitResult, at_character
from mt.documents.encodings import meta_encoding
from mt.documents.markup import Anchor, Mark, Node, item_cuts, text_of
from mt.errors import InputError
from mt.types import Span

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html li "
    "main menu nav ol option optgroup p section summary table tbody td tfoot th thead title tr "
    "ul legend".split())
UNTOUCHED_TAGS = frozenset(
    "script style pre listing template textarea noscript xmp plaintext".split())
OPAQUE_TAGS = frozenset(
    "code kbd samp var img svg math iframe video audio canvas object embed input select "
    "picture source track wbr map area meter progress".split())
BREAK_TAGS = frozenset({"br"})
# Read by libxml2 as raw text (markup and entities as written) but written escaped: their
# text is put back as it came in. Nothing follows <plaintext>'s text: it never closes.
RAW_TEXT_TAGS = frozenset({"xmp", "plaintext", "iframe"})
_WRAPPER_END = "</body></html>"  # what lxml adds around a fragment, read into <plaintext>
# Other languages written in Arabic script: an element marked as one is copied, not
# translated as Arabic.
ARABIC_SCRIPT_LANGS = frozenset("fa prs ur ps ku ckb sd ug pnb skr bal ks bqi glk lrc mzn "
                                "azb ota jv-arab ms-arab".split())
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
URI_ATTRIBUTES = ("href", "src", "action")  # libxml2 %-escapes these when it writes them
# <meta> whose content is prose shown to readers (search results, link previews).
META_TEXT = frozenset({"description", "og:title", "og:description", "twitter:title",
                       "twitter:description"})
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_RTL_STYLE_RE = re.compile(r"(direction\s*:\s*)rtl", re.I)
log = logging.getLogger("mt")
# Deeper than any real page; the reader and writer recurse once a level.
MAX_DEPTH = 512
_DOCUMENT_RE = re.compile(r"<\s*(html|head|body)[\s>]|<!doctype", re.I)


def decode_html(data: bytes, name: str) -> str:
    """The text of an HTML file by its BOM, its ``<meta charset>``, else strict UTF-8."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _decode(data[len(bom):], encoding, name, "its byte-order mark")
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file, not HTML; give an HTML page")
    match = _META_CHARSET_RE.search(data[:4096])
    if match is None:
        return _decode(data, "utf-8", name, "no <meta charset>, so UTF-8")
    label = match.group(1).decode("ascii").lower()
    declared = meta_encoding(label)
    if declared is None:
        raise InputError(f"{name}: {label!r} in <meta charset> is not an encoding browsers "
                         "know (the WHATWG list); fix the tag or convert the page to UTF-8")
    if declared != "utf-8" and not data.isascii() and _is_utf8(data):
        # Valid UTF-8 beyond ASCII is almost never text of another encoding: the tag lies.
        log.warning("%s: <meta charset=\"%s\"> but the bytes are UTF-8; read as UTF-8 (fix "
                    "the tag, or convert the page to %s if it really is)", name, label, label)
        return data.decode("utf-8")
    return _decode(data, declared, name, f'<meta charset="{label}">')


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode(data: bytes, encoding: str, name: str, why: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid {encoding} (byte {exc.start}; {why}); declare "
                         "the right <meta charset> or convert the page to UTF-8") from None


def _depth(root: Any) -> int:
    """How deep elements nest under ``root`` (without recursion: the tree may be deep)."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


def _tag(element: Any) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


@dataclass
class _Region:
    """Inline content of ``block``: text after ``lead`` (the block or a break) and children."""

    block: Any
    lead: Any
    children: list[Any] = field(default_factory=list)


class HtmlDocument:
    """An HTML page read into units; :meth:`render` writes it back translated."""

    format = "html"

    @staticmethod
    def place(where: dict[str, Any], offset: int) -> str:
        part = where["part"]
        return f"{where['path']}" + (f" {part}" if part.startswith("@") else "") + \
            f", {at_character(offset)}"

    def __init__(self, data: bytes, name: str) -> None:
        import lxml.html
        from lxml import etree

        text = decode_html(data, name)
        self.fragment = _DOCUMENT_RE.search(text) is None
        # huge_tree: libxml2's default depth cap (256) silently empties the body; past
        # the larger cap the parser reports a fatal error, refused below.
        parser = lxml.html.HTMLParser(huge_tree=True)
        try:
            if self.fragment:
                self.root = lxml.html.fragment_fromstring(text, create_parent="div",
                                                          parser=parser)
            else:
                self.root = lxml.html.document_fromstring(text, parser=parser)
        except (etree.ParserError, ValueError) as exc:
            raise InputError(f"{name}: cannot parse as HTML ({exc}); give an HTML page") from None
        fatal = [error for error in parser.error_log if error.level == etree.ErrorLevels.FATAL]
        if fatal or _depth(self.root) > MAX_DEPTH:
            found = f"line {fatal[0].line}: {fatal[0].message.split(',')[0]}" if fatal else \
                f"elements nested over {MAX_DEPTH} deep"
            raise InputError(f"{name}: cannot translate this HTML ({found}); nest elements "
                             f"at most {MAX_DEPTH} deep")
        self.tree = self.root.getroottree()
        for element in self.root.iter("plaintext"):
            if self.fragment and (element.text or "").endswith(_WRAPPER_END):
                element.text = element.text[:-len(_WRAPPER_END)]
        self.units: list[Unit] = []
        self._walk(self.root)
        self._attribute_units()

    # -- reading ---------------------------------------------------------------------------

    def _path(self, element: Any) -> str:
        return str(self.tree.getpath(element))

    def _is_block(self, element: Any) -> bool:
        tag = _tag(element)
        if tag in BLOCK_TAGS:
            return True
        if tag in OPAQUE_TAGS or tag in UNTOUCHED_TAGS or not tag or self._opaque(element):
            return False
        return any(_tag(d) in BLOCK_TAGS or _tag(d) in UNTOUCHED_TAGS
                   for d in element.iterdescendants())

    @staticmethod
    def _opaque(element: Any) -> bool:
        return (not isinstance(element.tag, str) or _tag(element) in OPAQUE_TAGS
                or element.get("translate") == "no" or "notranslate" in
                (element.get("class") or "").split() or _other_arabic_script(element))

    def _walk(self, block: Any) -> None:
        region = _Region(block, block)
        for child in block:
            tag = _tag(child)
            if isinstance(child.tag, str) and (self._is_block(child) or tag in BREAK_TAGS
                                               or tag in UNTOUCHED_TAGS):
                self._close(region)
                if self._is_block(child) and not self._opaque(child):
                    self._walk(child)
                region = _Region(block, child)
            else:
                region.children.append(child)
        self._close(region)

    def _close(self, region: _Region) -> None:
        builder = TextBuilder()
        marks: list[Mark] = []
        anchors: list[Anchor] = []
        payloads: list[Any] = []
        lead_part = "text" if region.lead is region.block else "tail"
        builder.add(getattr(region.lead, lead_part), {"path": self._path(region.lead),
                                                       "part": lead_part})

        def visit(element: Any, stack: tuple[int, ...]) -> None:
            if self._opaque(element) or not self._has_text(element):
                # After an attached proclitic (و<span>) the English needs a space.
                spaced = (builder.spaced or has_arabic(builder.last),
                          (element.tail or "")[:1].isspace())
                anchors.append(Anchor(builder.position, element, stack, spaced))
            else:
                mark_id = len(payloads)
                payloads.append(element)
                start = builder.position
                builder.add(element.text, {"path": self._path(element), "part": "text"})
                for child in element:
                    visit(child, (*stack, mark_id))
                marks.append(Mark(mark_id, Span(min(start, builder.end), builder.end)))
            builder.add(element.tail, {"path": self._path(element), "part": "tail"})

        for child in region.children:
            visit(child, ())
        text = builder.text()
        if not text.strip():
            return
        # Anchors after the last character sit at the end, not past it.
        anchors = [Anchor(min(a.position, len(text)), a.payload, a.stack, a.spaced)
                   for a in anchors]
        inside_anchors = {mark_id for anchor in anchors for mark_id in anchor.stack}
        marks = [Mark(m.id, m.span, _verbatim(m.span.slice(text)) and m.id not in
                      inside_anchors) for m in marks]
        links = [m for m in marks if _tag(payloads[m.id]) == "a"]
        self.units.append(Unit(text, marks, anchors, builder.origins,
                               handle=("content", region, payloads),
                               cuts=item_cuts(text, marks, links)))

    def _has_text(self, element: Any) -> bool:
        """Text in ``element`` outside opaque parts (a stack: inline markup nests deep)."""
        stack = [element]
        while stack:
            node = stack.pop()
            if self._opaque(node):
                continue
            if (node.text or "").strip() or any((c.tail or "").strip() for c in node):
                return True
            stack.extend(node)
        return False

    def _attribute_units(self) -> None:
        for element in self.root.iter():
            if not isinstance(element.tag, str) or any(
                    _tag(a) in UNTOUCHED_TAGS for a in element.iterancestors()):
                continue
            named = (element.get("name") or element.get("property") or "").lower()
            described = _tag(element) == "meta" and named in META_TEXT
            for attribute in ATTRIBUTES + (("content",) if described else ()):
                value = element.get(attribute)
                if value and value.strip():
                    builder = TextBuilder()
                    builder.add(value, {"path": self._path(element), "part": f"@{attribute}"})
                    self.units.append(Unit(builder.text(), origins=builder.origins,
                                           handle=("attribute", element, attribute)))

    # -- writing ---------------------------------------------------------------------------

    def render(self, results: Sequence[UnitResult]) -> bytes:
        from lxml import etree

        for result in results:
            if result.unit.handle[0] == "attribute":
                _, element, attribute = result.unit.handle
                element.set(attribute, result.text)
        # Later regions first: putting one back never moves the elements of an earlier one.
        for result in reversed(results):
            if result.unit.handle[0] == "content":
                self._put_back(result)
        self._english()
        kept = self._hold_uris()
        raw = self._hold_raw_text()
        if self.fragment:
            page = (self.root.text or "") + "".join(
                etree.tostring(child, method="html", encoding="unicode") for child in self.root)
        else:
            page = etree.tostring(self.tree, method="html", encoding="unicode",
                                  doctype=self.tree.docinfo.doctype or None)
        for token, value in kept.items():
            page = page.replace(token, value.replace("&", "&amp;").replace('"', "&quot;"), 1)
        for token, (tag, text) in raw.items():
            at = page.index(token)
            page = page[:at] + text + ("" if tag == "plaintext" else page[at + len(token):])
        return page.encode("utf-8")

    def _hold_raw_text(self) -> dict[str, tuple[str, str]]:
        """The text of each raw text element (``<xmp>``) replaced by a token until the
        page is written, then put back unescaped; one holding its own end tag (which
        would close it early in a browser) is left escaped."""
        held: dict[str, tuple[str, str]] = {}
        for element in self.root.iter(*RAW_TEXT_TAGS):
            tag, text = _tag(element), element.text or ""
            if re.search(rf"</{tag}", text, re.I) is None and text:
                token = f"mt-raw-{len(held)}-{id(self):x}"
                held[token] = (tag, text)
                element.text = token
        return held

    def _hold_uris(self) -> dict[str, str]:
        """Link targets replaced by tokens until the page is written: libxml2 writes
        ``href``, ``src``, ``action`` and ``<a name>`` %-escaped (``/wiki/مصر`` became
        ``/wiki/%D9%85...``); the token is swapped back for the value as it was."""
        kept: dict[str, str] = {}
        for element in self.root.iter():
            if not isinstance(element.tag, str):
                continue
            for attribute in URI_ATTRIBUTES + (("name",) if _tag(element) == "a" else ()):
                value = element.get(attribute)
                if value is not None and not (value.isascii() and value.isprintable()
                                              and " " not in value):
                    token = f"mt-uri-{len(kept)}-{id(self):x}"
                    kept[token] = value
                    element.set(attribute, token)
        return kept

    def _put_back(self, result: UnitResult) -> None:
        _, region, payloads = result.unit.handle
        lead_part = "text" if region.lead is region.block else "tail"
        old_first = getattr(region.lead, lead_part) or ""
        old_last = (region.children[-1].tail if region.children else old_first) or ""
        leading = old_first[:len(old_first) - len(old_first.lstrip())]
        trailing = old_last[len(old_last.rstrip()):] if old_last.strip() or region.children \
            else ""
        index = (region.block.index(region.children[0]) if region.children
                 else 0 if region.lead is region.block else region.block.index(region.lead) + 1)
        for child in region.children:
            region.block.remove(child)
        holder = region.block.makeelement("div", {})
        verbatim = {m.id: m.span.slice(result.unit.text) for m in result.unit.marks
                    if m.verbatim}
        _build(holder, result.tree(), payloads, verbatim)
        setattr(region.lead, lead_part, leading + (holder.text or ""))
        new = list(holder)
        for offset, child in enumerate(new):
            region.block.insert(index + offset, child)
        if new:
            new[-1].tail = (new[-1].tail or "") + trailing
        else:
            setattr(region.lead, lead_part, (getattr(region.lead, lead_part) or "") + trailing)

    def _english(self) -> None:
        self.root.set("lang", "en")
        self.root.set("dir", "ltr")
        for element in self.root.iter():
            if not isinstance(element.tag, str):
                continue
            if any(map(_other_arabic_script, (element, *element.iterancestors()))):
                continue
            if (element.get("dir") or "").lower() == "rtl":
                element.set("dir", "ltr")
            style = element.get("style")
            if style and _RTL_STYLE_RE.search(style):
                element.set("style", _RTL_STYLE_RE.sub(r"\1ltr", style))
            if (element.get("lang") or "").lower().startswith("ar"):
                element.set("lang", "en")
            if _tag(element) == "meta":
                if element.get("charset") is not None:
                    element.set("charset", "utf-8")
                content = element.get("content")
                if content and (element.get("http-equiv") or "").lower() == "content-type":
                    element.set("content", re.sub(r"charset\s*=\s*[^;\s]+", "charset=utf-8",
                                                  content, flags=re.I))


def _append_text(parent: Any, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _build(parent: Any, children: Sequence[str | Anchor | Node], payloads: list[Any],
           verbatim: dict[int, str]) -> None:
    """Append the rebuilt tree under ``parent``: marks as shallow copies, anchors as they
    were, and a verbatim element that wraps its own text again as a copy of itself."""
    from copy import deepcopy

    for child in children:
        if isinstance(child, str):
            _append_text(parent, child)
        elif isinstance(child, Anchor):
            element = child.payload
            element.tail = None
            parent.append(element)
        elif child.mark in verbatim:
            # Its own text where the English has it; else the English kept, then the
            # element as it was (a "[1]" the model dropped).
            if verbatim[child.mark] != text_of(child):
                _append_text(parent, text_of(child))
            element = deepcopy(payloads[child.mark])
            element.tail = None
            parent.append(element)
        else:
            original = payloads[child.mark]
            element = parent.makeelement(original.tag, dict(original.attrib))
            parent.append(element)
            _build(element, child.children, payloads, verbatim)


def _verbatim(text: str) -> bool:
    """An element whose text has no Arabic (a Latin name, a code word): copied, not translated."""
    return not has_arabic(text) and any(c.isalnum() for c in text)


def _other_arabic_script(element: Any) -> bool:
    """Marked as a language other than Arabic that is written in Arabic script (Persian)."""
    lang = (element.get("lang") or element.get(_XML_LANG) or "").strip().lower()
    return lang.split("-")[0] in ARABIC_SCRIPT_LANGS or lang in ARABIC_SCRIPT_LANGS
