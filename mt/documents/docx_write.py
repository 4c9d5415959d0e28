"""A translated paragraph written back: the English cut into runs, wrappers and fields
as :mod:`mt.documents.docx_paragraph` read them, anchors put back.

The translation comes as a tree of the unit's marks (:mod:`mt.documents.markup`); its
leaves (text or anchors, each under its marks) become new elements: a run is a copy of
the source run's properties around its share of the English, a wrapper (hyperlink,
``w:dir``...) a copy of its properties around what lands inside it, a field its own
begin...separate and end around its result. Anchors are the source's elements, moved.
Before that, the leaves are put in order: no anchor cuts a wrapper in two, the space
between runs joins a run, no space doubles beside an anchor, and a drop cap gets the
English's first letter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from copy import deepcopy
from typing import Any

from mt.documents.docx_package import local, w
from mt.documents.docx_paragraph import (
    SEPARATORS,
    FieldMark,
    Kept,
    Paragraph,
    Payload,
    RunMark,
    WrapperMark,
)
from mt.documents.markup import Anchor, Node, common_prefix

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PUNCTUATION_RE = re.compile(r"[^\w\s]+")  # what a sentence's English ends with: . , ? ! ...


Leaf = tuple[tuple[int, ...], "str | Kept"]


def _leaves(tree: Sequence[str | Anchor | Node], payloads: list[Payload],
            path: tuple[int, ...] = ()) -> list[Leaf]:
    out: list[Leaf] = []
    for child in tree:
        if isinstance(child, str):
            if child:
                out.append((path, child))
        elif isinstance(child, Anchor):
            kept = payloads[child.payload]
            assert isinstance(kept, Kept)
            inside = path if kept.run is None or (path and path[-1] == kept.run) \
                else (*path, kept.run)
            out.append((inside, kept))
        else:
            out.extend(_leaves(child.children, payloads, (*path, child.mark)))
    return out


def _blank(leaf: Leaf) -> bool:
    return isinstance(leaf[1], str) and not leaf[1].strip()


def _outside_blocks(leaves: list[Leaf]) -> list[Leaf]:
    """Anchors the links put between two pieces of one mark they are not inside of (a
    footnote reference before the full stop of a run in ``w:dir``) go after that mark's
    last piece, with the blank text just before them, so that no element is cut in two."""
    out = list(leaves)
    index = 0
    while index < len(out):
        path, item = out[index]
        if not isinstance(item, Kept):
            index += 1
            continue
        start, end = index, index + 1
        while start > 0 and _blank(out[start - 1]) and len(out[start - 1][0]) <= len(path):
            start -= 1
        while end < len(out) and isinstance(out[end][1], Kept) and out[end][0] == path:
            end += 1
        shared = () if start == 0 or end == len(out) else \
            common_prefix(out[start - 1][0], out[end][0])
        if len(shared) > len(path) and shared[:len(path)] == path:
            block = shared[:len(path) + 1]
            stop = end
            while stop < len(out) and out[stop][0][:len(block)] == block:
                stop += 1
            out[start:stop] = out[end:stop] + out[start:end]
            index = stop
            continue
        index = end
    return out


def _in_run(path: tuple[int, ...], payloads: list[Payload]) -> bool:
    return bool(path) and isinstance(payloads[path[-1]], RunMark)


def _give_gaps_a_run(leaves: list[Leaf], payloads: list[Payload]) -> list[Leaf]:
    """Text outside every run (the space between two runs) joins a neighbouring run: the
    next one where that run's Arabic began with a space (moved right before it, past any
    anchor between that followed a word directly), else the one before. Where an anchor
    stands between, it takes that run's formatting inside its own wrappers instead, so
    that no wrapper is cut in two."""
    out: list[Leaf] = []
    pending: list[Leaf] = []  # gap text waiting for the next run
    for index, (path, item) in enumerate(leaves):
        if isinstance(item, str) and not _in_run(path, payloads):
            before = next((p for p, _ in reversed(out) if _in_run(p, payloads)), None)
            at = next((i for i in range(index + 1, len(leaves))
                       if _in_run(leaves[i][0], payloads)), None)
            after = None if at is None else leaves[at][0]
            following = None if after is None else payloads[after[-1]]
            if at is not None and after is not None and (before is None or (
                    isinstance(following, RunMark) and following.text[:1].isspace())):
                if at == index + 1:
                    out.append((after, item))  # right before the run: into it
                elif any(isinstance(kept, Kept) and kept.spaced[0]
                         for _, kept in leaves[index:at]):
                    out.append(((*path, after[-1]), item))  # an anchor after a space stays
                else:
                    pending.append((after, item))
                continue
            if before is None:  # no English word kept a run: the paragraph's first run
                first = next((i for i, p in enumerate(payloads) if isinstance(p, RunMark)), None)
                if first is None:  # none at all (a drop cap's text alone): a plain run
                    out.append((path, item))
                    continue
                before = (first,)
            adjacent = bool(out) and out[-1][0] == before
            out.append((before if adjacent else (*path, before[-1]), item))
            continue
        if isinstance(item, str) and pending:
            out.extend(pending)
            pending = []
        out.append((path, item))
    return out + pending


def _punctuation_first(leaves: list[Leaf]) -> list[Leaf]:
    """An anchor that followed punctuation in the file (a break after a full stop) goes
    after the punctuation the English has right after it: the links place anchors after
    words, and punctuation is seldom linked."""
    out = list(leaves)
    for index, (_, item) in enumerate(out):
        if not isinstance(item, Kept) or not item.after_punctuation or (
                index and isinstance(out[index - 1][1], Kept)):
            continue
        following = index
        while following < len(out) and isinstance(out[following][1], Kept):
            following += 1
        if following == len(out):
            continue
        path, text = out[following]
        match = _PUNCTUATION_RE.match(str(text))
        if match is None:
            continue
        out[following] = (path, str(text)[match.end():])
        if index and isinstance(out[index - 1][1], str):
            out[index - 1] = (out[index - 1][0],
                              str(out[index - 1][1]).rstrip(" ") + match.group())
        else:
            out.insert(index, (path, match.group()))
    return out


def _separates(kept: Kept) -> bool:
    """Whether ``kept`` is a tab or a break (alone, or in a run of its own)."""
    element = kept.elements[0]
    return local(element) in SEPARATORS or (
        len(kept.elements) == 1 and local(element) == "r"
        and any(local(child) in SEPARATORS for child in element))


def _trim_beside_anchors(leaves: list[Leaf]) -> list[Leaf]:
    """A tab or a break stands for the space the translation put there: no space beside
    it; beside another anchor, one space where the file had one, on the side it had it."""
    out = list(leaves)
    for index, (_, item) in enumerate(out):
        if not isinstance(item, Kept) or not item.elements:
            continue
        before = index and isinstance(out[index - 1][1], str)
        after = index + 1 < len(out) and isinstance(out[index + 1][1], str)
        separator = _separates(item)
        both = before and after and str(out[index - 1][1]).endswith(" ") and \
            str(out[index + 1][1]).startswith(" ")
        if before and (separator or (both and not item.spaced[0])):
            out[index - 1] = (out[index - 1][0], str(out[index - 1][1]).rstrip(" "))
        if after and (separator or (both and item.spaced[0] and not item.spaced[1])):
            out[index + 1] = (out[index + 1][0], str(out[index + 1][1]).lstrip(" "))
    return out


def _first_letter_to_cap(leaves: list[Leaf], cap: list[Any]) -> list[Leaf]:
    """The English's first character goes to the drop cap, the rest stays in the text."""
    for index, (path, item) in enumerate(leaves):
        if isinstance(item, str) and item.strip():
            start = len(item) - len(item.lstrip())
            cap[0].text = item[start]
            for other in cap[1:]:
                other.text = ""
            return [*leaves[:index], (path, item[:start] + item[start + 1:]),
                    *leaves[index + 1:]]
    return leaves


def _text_element(paragraph: Any, text: str) -> Any:
    t = paragraph.makeelement(w("t"), {})
    t.text = text
    if text != text.strip():
        t.set(XML_SPACE, "preserve")
    return t


def _shell(element: Any, inner: Any) -> tuple[Any, Any]:
    """A copy of ``element`` with its properties and none of its content, and where its
    content goes (the copy, or the copy of its sdtContent)."""
    copy = element.makeelement(element.tag, dict(element.attrib))
    target = copy
    for child in element:
        if child is inner:
            target = child.makeelement(child.tag, dict(child.attrib))
            copy.append(target)
        elif local(child).endswith("Pr") or local(child) == "fldData":
            copy.append(deepcopy(child))
    return copy, target


class _Builder:
    """New paragraph content from leaves: one element per run of leaves under one mark."""

    def __init__(self, paragraph: Any, payloads: list[Payload],
                 restyle: Callable[[Any, Any], None]) -> None:
        self.paragraph = paragraph
        self.payloads = payloads
        self.restyle = restyle
        self.used: set[int] = set()

    def elements(self, leaves: list[Leaf], depth: int) -> list[Any]:
        out: list[Any] = []
        index = 0
        while index < len(leaves):
            path, item = leaves[index]
            if len(path) <= depth:
                if isinstance(item, Kept):
                    out.extend(item.elements)
                elif item:
                    run = self.paragraph.makeelement(w("r"), {})
                    run.append(_text_element(self.paragraph, item))
                    out.append(run)
                index += 1
                continue
            end = index
            while end < len(leaves) and len(leaves[end][0]) > depth and \
                    leaves[end][0][depth] == path[depth]:
                end += 1
            out.extend(self.mark(path[depth], leaves[index:end], depth + 1))
            index = end
        return out

    def mark(self, mark_id: int, leaves: list[Leaf], depth: int) -> list[Any]:
        payload = self.payloads[mark_id]
        if isinstance(payload, RunMark):
            return [self.run(payload, leaves)]
        if mark_id in self.used:  # a second piece of a wrapper: its content, unwrapped
            return self.elements(leaves, depth)
        self.used.add(mark_id)
        if isinstance(payload, FieldMark):
            return [*payload.before, *self.elements(leaves, depth), *payload.after]
        assert isinstance(payload, WrapperMark)
        copy, target = _shell(payload.element, payload.inner)
        for element in self.elements(leaves, depth):
            target.append(element)
        return [copy]

    def run(self, payload: RunMark, leaves: list[Leaf]) -> Any:
        source = payload.element
        run = source.makeelement(source.tag, dict(source.attrib))
        properties = source.find(w("rPr"))
        if properties is not None:
            run.append(deepcopy(properties))
        text = ""
        for _, item in [*leaves, ((), Kept([]))]:
            if isinstance(item, str):
                text += item
                continue
            if text:
                run.append(_text_element(self.paragraph, text))
                text = ""
            run.extend(item.elements)
        self.restyle(run, self.paragraph)
        return run

    def unused(self) -> tuple[list[Any], list[int]]:
        """Fields and wrappers no English word landed in: kept, empty, so that no field
        loses its instructions and no link its target; and the marks of those that show
        text of their own (a link, a field's display text), now shown empty."""
        out: list[Any] = []
        emptied: list[int] = []
        for mark_id, payload in enumerate(self.payloads):
            if mark_id in self.used:
                continue
            if isinstance(payload, FieldMark):
                out.extend([*payload.before, *payload.after])
                emptied.append(mark_id)
            elif isinstance(payload, WrapperMark):
                out.append(_shell(payload.element, payload.inner)[0])
                if local(payload.element) in ("hyperlink", "fldSimple"):
                    emptied.append(mark_id)
        return out, emptied


def write_paragraph(handle: Paragraph, tree: list[str | Anchor | Node],
                    restyle: Callable[[Any, Any], None]) -> list[int]:
    """Replace the paragraph's content (not its properties) by the translated ``tree``;
    the marks of the links and fields left with no English words (kept, empty)."""
    tree = [handle.lead, *tree, handle.trail] if (handle.lead or handle.trail) else tree
    leaves = _outside_blocks(_leaves(tree, handle.payloads))
    leaves = _give_gaps_a_run(leaves, handle.payloads)
    leaves = _trim_beside_anchors(_punctuation_first(leaves))
    if handle.cap:
        leaves = _first_letter_to_cap(leaves, handle.cap)
    builder = _Builder(handle.element, handle.payloads, restyle)
    new = builder.elements(leaves, 0)
    empty, emptied = builder.unused()
    p = handle.element
    for child in list(p):
        if local(child) != "pPr":
            p.remove(child)
    p.extend(new + empty)
    return emptied
