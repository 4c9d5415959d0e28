"""TMX 1.4b: one ``<tu>`` a pair, ``xml:lang`` on each ``<tuv>``, provenance as x- props."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import IO, Any

from mt._version import __version__
from mt.corpus.formats.writer import PairWriter
from mt.corpus.record import Pair
from mt.errors import InputError
from mt.types import Span, WordLink

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot carry at all, not even as character references.
_XML_FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TMX_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                              "\r": "&#13;"})  # a raw CR would be read back as LF
_TMX_CODES = frozenset({"bpt", "ept", "it", "ph", "ut"})  # inline native codes, not text


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _seg_text(element: Any) -> str:
    """The text of a ``<seg>``: inline native codes (``<ph>`` ...) left out, ``<hi>`` kept.

    A stack, not recursion: ``<hi>`` may nest as deep as the file likes.
    """
    parts: list[str] = []
    stack: list[tuple[bool, Any]] = [(False, element)]  # (only its tail, element)
    while stack:
        tail_only, node = stack.pop()
        if tail_only:
            parts.append(node.tail or "")
            continue
        parts.append(node.text or "")
        for child in reversed(node):
            stack.append((True, child))
            if _local(child.tag) not in _TMX_CODES:
                stack.append((False, child))
    return "".join(parts)


def _tmx_lang(tuv: Any) -> str:
    lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower().replace("_", "-")
    primary = lang.split("-", 1)[0]
    return {"ara": "ar", "eng": "en"}.get(primary, primary)


def _tu_pair(tu: Any, number: int, name: str) -> Pair:
    props: dict[str, str] = {}
    texts: dict[str, str] = {}
    for child in tu:
        tag = _local(child.tag)
        if tag == "prop":
            props[child.get("type", "")] = child.text or ""
        elif tag == "tuv":
            seg = next((c for c in child if _local(c.tag) == "seg"), None)
            lang = _tmx_lang(child)
            if lang in texts and lang in ("ar", "en"):
                raise InputError(f"{name}: <tu> {number} has two {lang} <tuv>; keep one a "
                                 "language, or put the other in a <tu> of its own")
            texts[lang] = "" if seg is None else _seg_text(seg)
    if "ar" not in texts and "en" not in texts:
        raise InputError(f"{name}: <tu> {number} has neither an ar nor an en <tuv>; "
                         "give an Arabic-English TMX")

    def span(key: str) -> Span | None:
        return Span(*map(int, props[key].split())) if key in props else None

    try:
        return Pair(
            texts.get("ar", ""), texts.get("en", ""), props.get("x-doc"),
            int(props["x-segment"]) if "x-segment" in props else None,
            span("x-source"), span("x-target"),
            float(props["x-score"]) if "x-score" in props else None,
            props.get("x-signature"),
            tuple(WordLink.from_json(link, f"x-links[{n}]")
                  for n, link in enumerate(json.loads(props.get("x-links", "[]")))),
            float(props["x-quality"]) if "x-quality" in props else None,
        )
    except (ValueError, TypeError, KeyError, RecursionError, InputError) as exc:
        raise InputError(f"{name}: <tu> {number} has a malformed x- prop ({exc}); "
                         "fix or remove it") from None


def read_tmx(stream: IO[bytes], name: str = "<tmx>") -> Iterator[Pair]:
    """TMX 1.4b ``<tu>`` elements in order, parsed incrementally (each freed once read)."""
    import xml.etree.ElementTree as ET

    body = None
    number = 0
    try:
        for event, element in ET.iterparse(stream, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "body":
                    body = element
                continue
            if tag == "tu":
                number += 1
                yield _tu_pair(element, number, name)
                if body is not None:
                    body.clear()  # drop finished <tu> elements: constant memory
    except ET.ParseError as exc:
        raise InputError(f"{name}: not well-formed XML ({exc}); fix the TMX file") from None


def _xml(text: str) -> str:
    return text.translate(_TMX_ESCAPES)


class TmxWriter(PairWriter):
    """TMX 1.4b into a text stream: the header now, a ``<tu>`` a pair, the footer on commit."""

    fmt = "tmx"

    def __init__(self, stream: IO[str], name: str = "<tmx>") -> None:
        super().__init__(name)
        self.stream = stream
        stream.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
            f'  <header creationtool="mt" creationtoolversion="{__version__}" '
            'segtype="sentence" o-tmf="mt-jsonl" adminlang="en" srclang="ar" '
            'datatype="plaintext"/>\n  <body>\n')

    def unwritable(self, pair: Pair) -> str | None:
        for text in (pair.ar, pair.en, pair.doc or "", pair.signature or ""):
            found = _XML_FORBIDDEN_RE.search(text)
            if found:
                return f"the character U+{ord(found.group()):04X}, which XML 1.0 forbids"
        return None

    def _write(self, pair: Pair) -> None:
        props = []
        if pair.doc is not None:
            props.append(("x-doc", pair.doc))
        if pair.segment is not None:
            props.append(("x-segment", str(pair.segment)))
        for key, span in (("x-source", pair.source), ("x-target", pair.target)):
            if span is not None:
                props.append((key, f"{span.start} {span.end}"))
        if pair.score is not None:
            props.append(("x-score", repr(pair.score)))
        if pair.quality is not None:
            props.append(("x-quality", repr(pair.quality)))
        if pair.signature is not None:
            props.append(("x-signature", pair.signature))
        if pair.links:
            props.append(("x-links", json.dumps([link.to_json() for link in pair.links])))
        lines = [f'    <tu tuid="{self.count + 1}">']
        lines += [f'      <prop type="{key}">{_xml(value)}</prop>' for key, value in props]
        lines += [f'      <tuv xml:lang="{lang}"><seg>{_xml(text)}</seg></tuv>'
                  for lang, text in (("ar", pair.ar), ("en", pair.en))]
        lines.append("    </tu>\n")
        self.stream.write("\n".join(lines))

    def commit(self) -> None:
        self.stream.write("  </body>\n</tmx>\n")
