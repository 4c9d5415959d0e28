"""Inline markup carried from a source unit onto its translation through the word links.

As Bergamot (Firefox Translations) does it: every inline element of the source
(a bold run, a link, a DOCX run) is a *mark* over a span of the unit's plain
text. Each English word takes the marks of the source word it is linked to
most strongly; an unlinked word takes the marks its two neighbours share, and
the space between two words those of both. Unlike Bergamot, a mark then
covers one run of consecutive words (the longest, where the links scatter
it), so the output has the same elements as the input, none duplicated. A
mark no English word took (its words were not linked) is given to the English
word at the same relative place, or else comes back empty, so no link target
or formatting is lost. The unit's segments bound all this: an unlinked word
takes marks from its own segment only, and a mark over a whole segment (an
item of a link list, translated alone) covers all of that segment's English.
A *verbatim* mark (an element with no Arabic, copied) wraps its own text
where the English has it. Opaque inline things (code, images) are *anchors*:
put back after the English counterpart of the source word before them.

The result is a flat list of pieces, each with its stack of marks (outermost
first), which :func:`nest` turns into the tree a writer renders.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mt.types import Span, WordLink

Stack = tuple[int, ...]
_OPENING = "([{«“‘\"'"  # no space after these, and none added before a closing mark
_WORD_RE = re.compile(r"\w+(?:[-'’.,]\w+)*|[^\w\s]")  # words, numbers, punctuation marks
# What stands between the items of a link list or a breadcrumb ("HTML • CSS", "Home / News").
SEPARATORS = "•·‧∙⋅|¦‖│/\\–—→›‹>►▸▪▫●○■□◆◇♦★☆✦-"
_SEPARATOR_RE = re.compile(rf"\s*[{re.escape(SEPARATORS)}]+(?:\s+[{re.escape(SEPARATORS)}]+)*\s*")


@dataclass(frozen=True)
class Mark:
    """An inline element over ``span`` of a unit's text; ``id`` orders nested marks."""

    id: int
    span: Span
    verbatim: bool = False  # its text is copied, not translated: it wraps that same text


@dataclass(frozen=True)
class Anchor:
    """Something opaque (code, an image) at ``position`` of a unit's text, kept verbatim."""

    position: int
    payload: Any
    stack: Stack = ()
    spaced: tuple[bool, bool] = (False, False)  # white space before it, after it, in the file
    # A line break: at an edge of the English it would be lost, so it stays between two
    # words, and where it ends a sentence it ends that sentence's English.
    inside: bool = False


@dataclass(frozen=True)
class Piece:
    """Text of the translation (or an anchor) under the marks of ``stack``."""

    text: str
    stack: Stack
    anchor: Anchor | None = None


@dataclass
class Node:
    """A mark in the rebuilt tree, with its children: str, Anchor or Node."""

    mark: int
    children: list[str | Anchor | Node] = field(default_factory=list)


def item_cuts(text: str, marks: Sequence[Mark], side_by_side: Sequence[Mark] = ()
              ) -> list[int]:
    """Where a unit is cut so that each element of a list (``<a>HTML</a> • <a>CSS</a>``)
    is translated alone: both ends of a separator run between two elements (or an
    element and the unit's edge), and of the white space between two
    ``side_by_side`` elements (links in a row). The separator itself is then a
    segment with no Arabic, copied as it is."""
    ends = {mark.span.end for mark in marks} | {0}
    starts = {mark.span.start for mark in marks} | {len(text)}
    cuts: list[int] = []
    for match in _SEPARATOR_RE.finditer(text):
        if match.start() in ends and match.end() in starts:
            cuts += [match.start(), match.end()]
    ordered = sorted(side_by_side, key=lambda mark: mark.span.start)
    for left, right in zip(ordered, ordered[1:], strict=False):
        gap = text[left.span.end:right.span.start]
        if gap and gap.isspace():
            cuts += [left.span.end, right.span.start]
    return sorted(set(cuts))


def char_stacks(length: int, marks: Sequence[Mark]) -> list[Stack]:
    """The marks over each character, outermost first."""
    ordered = sorted(marks, key=lambda m: (m.span.start, -m.span.end, m.id))
    stacks: list[list[int]] = [[] for _ in range(length)]
    for mark in ordered:
        for index in range(mark.span.start, min(mark.span.end, length)):
            stacks[index].append(mark.id)
    return [tuple(s) for s in stacks]


def common_prefix(a: Stack, b: Stack) -> Stack:
    size = 0
    while size < min(len(a), len(b)) and a[size] == b[size]:
        size += 1
    return a[:size]


def _label_words(words: list[Span], links: Sequence[WordLink], stacks: list[Stack]
                 ) -> list[Stack | None]:
    labels: list[Stack | None] = []
    for word in words:
        best: tuple[float, int, Stack] | None = None
        for source, target, score in links:
            if target.start < word.end and word.start < target.end and len(source):
                stack = max((stacks[i] for i in range(source.start, min(source.end,
                                                                         len(stacks)))),
                            key=len, default=())
                candidate = (score, len(stack), stack)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
        labels.append(None if best is None else best[2])
    return labels


def _fill_unlinked(labels: list[Stack | None], segments: list[int], bases: list[Stack]
                   ) -> list[Stack]:
    """An unlinked word: the marks its linked neighbours in the same segment share (the
    segment's edge: the marks over the whole of its source, ``bases``)."""
    filled: list[Stack] = []
    for index, label in enumerate(labels):
        if label is not None:
            filled.append(label)
            continue
        filled.append(common_prefix(_neighbour(labels, segments, index, -1, bases[index]),
                                    _neighbour(labels, segments, index, 1, bases[index])))
    return filled


def _neighbour(labels: list[Stack | None], segments: list[int], index: int, step: int,
               edge: Stack) -> Stack:
    """The label of the nearest linked word from ``index`` in direction ``step``, within
    its segment; ``edge`` where there is none."""
    at = index + step
    while 0 <= at < len(labels) and segments[at] == segments[index]:
        label = labels[at]
        if label is not None:
            return label
        at += step
    return edge


def _base(source: str, stacks: list[Stack], span: Span) -> Stack:
    """The marks over the whole of ``span`` (a paragraph all in bold, a link that is a
    whole segment): the edges keep them."""
    shared: Stack | None = None
    for index in range(span.start, min(span.end, len(stacks))):
        if not source[index].isspace():
            shared = stacks[index] if shared is None else common_prefix(shared, stacks[index])
    return shared or ()


def _through(stacks: list[Stack], mark: Mark) -> Stack:
    """The marks from the outermost down to ``mark`` at its first character."""
    stack = stacks[mark.span.start]
    return stack[:stack.index(mark.id) + 1]


def _keep_every_mark(labels: list[Stack], marks: Sequence[Mark], stacks: list[Stack],
                     source: str, texts: list[str], linked: list[bool],
                     origins: list[Span]) -> None:
    """Give each mark that no English word took to a word near its relative place.

    A mark over words goes to a word inside its parent's words where it has a
    parent, one whose own marks other words still carry, in a segment its
    source overlaps (``origins``: each word's segment's source); a mark over
    punctuation alone (a run holding the final ``.``) to the same unlinked
    mark in the English, if there is one.
    """
    for mark in sorted(marks, key=lambda m: (m.span.start, -m.span.end, m.id)):
        taken = [mark_id for label in labels for mark_id in label]
        marked = mark.span.slice(source).strip()
        if mark.id in taken or not labels or not marked:
            continue
        wanted = _through(stacks, mark)
        middle = (mark.span.start + mark.span.end) / 2
        place = min(len(labels) - 1, int(middle / max(1, len(source)) * len(labels)))
        near = [i for i, origin in enumerate(origins)
                if origin.start < mark.span.end and mark.span.start < origin.end] \
            or range(len(labels))
        if any(c.isalnum() for c in marked):
            candidates = [i for i in near if labels[i][:len(wanted) - 1] == wanted[:-1]] \
                or near
        else:
            candidates = [i for i in near if texts[i] == marked and not linked[i]]
        for index in sorted(candidates, key=lambda i: abs(i - place)):
            if all(taken.count(mark_id) > 1 for mark_id in labels[index]
                   if mark_id not in wanted):
                labels[index] = wanted
                break


def _one_block_per_mark(labels: list[Stack], linked: list[bool], marks: Sequence[Mark],
                        pinned: frozenset[int] = frozenset()) -> None:
    """Each mark over one run of consecutive English words, so no element is duplicated.

    Unlinked words between two words of a mark, carrying no other mark, join
    it; of what is still apart, the run holding a ``pinned`` word keeps the
    mark, else the longest (the first, on a tie), and the others lose it along
    with the marks inside it.
    """
    for mark in sorted(marks, key=lambda m: (m.span.start, -m.span.end, m.id)):
        holders = [i for i, label in enumerate(labels) if mark.id in label]
        if not holders:
            continue
        through = labels[holders[0]][:labels[holders[0]].index(mark.id) + 1]
        for left, right in zip(holders, holders[1:], strict=False):
            between = range(left + 1, right)
            if all(not linked[i] and through[:len(labels[i])] == labels[i]
                   and len(labels[i]) < len(through) for i in between):
                for i in between:
                    labels[i] = through
        holders = [i for i, label in enumerate(labels) if mark.id in label]
        blocks: list[list[int]] = []
        for index in holders:
            if blocks and blocks[-1][-1] == index - 1:
                blocks[-1].append(index)
            else:
                blocks.append([index])
        keep = max(blocks, key=lambda block: (bool(pinned.intersection(block)), len(block)))
        for block in blocks:
            if block is not keep:
                for index in block:
                    labels[index] = labels[index][:labels[index].index(mark.id)]


def _pins(source: str, target: str, marks: Sequence[Mark], stacks: list[Stack]
          ) -> dict[int, Span]:
    """Where each verbatim mark's own text is in ``target`` (the k-th of a text for the
    k-th mark holding it), outermost verbatim marks only; a text not found: no pin."""
    verbatim = {mark.id for mark in marks if mark.verbatim}
    pins: dict[int, Span] = {}
    searched: dict[str, int] = {}
    for mark in sorted(marks, key=lambda m: (m.span.start, -m.span.end, m.id)):
        text = mark.span.slice(source).strip()
        outer = _through(stacks, mark)[:-1] if len(mark.span) else ()
        if mark.id not in verbatim or not text or verbatim.intersection(outer):
            continue
        at = target.find(text, searched.get(text, 0))
        if at >= 0:
            pins[mark.id] = Span(at, at + len(text))
            searched[text] = at + len(text)
    return pins


def _split_words(words: list[Span], edges: set[int]) -> list[Span]:
    """``words`` cut where a pinned span starts or ends inside one (``Kim.GitHub``)."""
    out: list[Span] = []
    for word in words:
        inside = sorted(edge for edge in edges if word.start < edge < word.end)
        out.extend(Span(a, b) for a, b in zip([word.start, *inside], [*inside, word.end],
                                              strict=True))
    return out


def _apply_pins(labels: list[Stack], words: list[Span], pins: dict[int, Span],
                stacks: list[Stack], marks: Sequence[Mark]) -> frozenset[int]:
    """Each pinned mark over exactly the words of its pin, and no others; the words pinned."""
    by_id = {mark.id: mark for mark in marks}
    pinned: set[int] = set()
    for mark_id, span in pins.items():
        wanted = _through(stacks, by_id[mark_id])
        for index, word in enumerate(words):
            if span.contains(word):
                labels[index] = wanted
                pinned.add(index)
            elif mark_id in labels[index]:
                labels[index] = labels[index][:labels[index].index(mark_id)]
    return frozenset(pinned)


def _anchor_offset(anchor: Anchor, source: str, target: str, links: Sequence[WordLink],
                   sentences: Sequence[tuple[Span, Span]]) -> int:
    """Where ``anchor`` goes in ``target``: after the counterpart of the word before it; an
    ``inside`` one after the English of the sentence it ends, else between two words."""
    if not anchor.inside:
        return _after_counterpart(anchor, source, target, links)
    ended = [target_span.end for source_span, target_span in sentences
             if source_span.end <= anchor.position
             and not any(s.start < anchor.position < s.end for s, _ in sentences)]
    if ended and max(ended) < len(target.rstrip()):
        return max(ended)
    words = [m.span() for m in _WORD_RE.finditer(target) if m.group()[0].isalnum()]
    if len(words) < 2:
        return len(target)
    offset = _after_counterpart(anchor, source, target, links)
    return min(max(offset, words[0][1]), words[-1][0])


def _after_counterpart(anchor: Anchor, source: str, target: str,
                       links: Sequence[WordLink]) -> int:
    if anchor.position <= 0 or not source.strip():
        return 0
    if anchor.position >= len(source.rstrip()):
        return len(target)
    before = [link for link in links if link[0].end <= anchor.position]
    if before:
        last = max(link[0].end for link in before)
        return max(link[1].end for link in before if link[0].end == last)
    guess = round(anchor.position / len(source) * len(target))
    space = target.find(" ", guess)
    return len(target) if space < 0 else space


def _segments(words: list[Span], sentences: Sequence[tuple[Span, Span]], source: str
              ) -> tuple[list[int], list[Span]]:
    """For each word, the index of the segment whose English holds it and that segment's
    source (the whole unit where no segment does)."""
    indexes: list[int] = []
    origins: list[Span] = []
    for word in words:
        index = next((i for i, (_, target) in enumerate(sentences)
                      if target.start <= word.start < max(target.end, target.start + 1)), -1)
        indexes.append(index)
        origins.append(sentences[index][0] if index >= 0 else Span(0, len(source)))
    return indexes, origins


def transfer(source: str, target: str, marks: Sequence[Mark], links: Sequence[WordLink],
             anchors: Sequence[Anchor] = (),
             sentences: Sequence[tuple[Span, Span]] = ()) -> list[Piece]:
    """``target`` cut into pieces carrying the marks of ``source``, anchors put back.

    ``links`` are word links relative to ``source`` and ``target``, and
    ``sentences`` the (source, target) spans of its segments: an unlinked
    word takes marks from its own segment only, and a mark over a whole
    segment covers all of that segment's English. A verbatim mark wraps its
    own text where the English has it. The pieces' texts concatenate to
    ``target``, plus a space beside an anchor that had one in the file where
    the translation puts it against a word.
    """
    stacks = char_stacks(len(source), marks)
    pins = _pins(source, target, marks, stacks)
    words = _split_words([Span(m.start(), m.end()) for m in _WORD_RE.finditer(target)],
                         {edge for pin in pins.values() for edge in (pin.start, pin.end)})
    base = _base(source, stacks, Span(0, len(source)))
    segments, origins = _segments(words, sentences, source)
    found = _label_words(words, links, stacks)
    labels = _fill_unlinked(found, segments,
                            [_base(source, stacks, origin) for origin in origins])
    linked = [label is not None for label in found]
    _one_block_per_mark(labels, linked, marks)
    _keep_every_mark(labels, marks, stacks, source, [w.slice(target) for w in words], linked,
                     origins)
    _one_block_per_mark(labels, linked, marks, _apply_pins(labels, words, pins, stacks, marks))
    cuts: list[tuple[int, int, Stack]] = []  # (start, end, stack) covering target
    previous_end, previous_label = 0, base
    for word, label in zip(words, labels, strict=True):
        if word.start > previous_end:
            cuts.append((previous_end, word.start, common_prefix(previous_label, label)))
        cuts.append((word.start, word.end, label))
        previous_end, previous_label = word.end, label
    if previous_end < len(target) or not cuts:
        cuts.append((previous_end, len(target), common_prefix(previous_label, base)))
    placed = sorted(((_anchor_offset(a, source, target, links, sentences), n, a)
                     for n, a in enumerate(anchors)), key=lambda item: item[:2])
    pieces: list[Piece] = []
    for start, end, stack in cuts:
        position = start
        while placed and placed[0][0] <= end and (placed[0][0] < end or end == len(target)):
            offset, _, anchor = placed.pop(0)
            offset = max(offset, position)
            if offset > position:
                pieces.append(Piece(target[position:offset], stack))
                position = offset
            pieces.append(Piece("", common_prefix(anchor.stack, stack), anchor))
        if end > position:
            pieces.append(Piece(target[position:end], stack))
    pieces.extend(Piece("", (), anchor) for _, _, anchor in placed)
    return _restore_lost(_space_anchors(pieces), marks, stacks, len(source))


def _restore_lost(pieces: list[Piece], marks: Sequence[Mark], stacks: list[Stack],
                  length: int) -> list[Piece]:
    """A mark no English word could take comes back empty (an element is never lost: a
    link keeps its target): inside its parent's run where it has a parent, else between
    two runs of marks near its relative place."""
    present = {mark_id for piece in pieces for mark_id in piece.stack}
    for mark in sorted(marks, key=lambda m: (m.span.start, -m.span.end, m.id)):
        if mark.id in present:
            continue
        chain = _through(stacks, mark) if mark.span.start < len(stacks) else (mark.id,)
        holders = [i for i, piece in enumerate(pieces)
                   if chain[:-1] and piece.stack[:len(chain) - 1] == chain[:-1]]
        if holders:
            at = holders[-1] + 1
        else:
            chain = (mark.id,)
            ends = [0]
            for piece in pieces:
                ends.append(ends[-1] + len(piece.text))
            wanted = (mark.span.start + mark.span.end) / 2 / max(1, length) * ends[-1]
            edges = [i for i in range(len(pieces) + 1) if i in (0, len(pieces))
                     or not common_prefix(pieces[i - 1].stack, pieces[i].stack)]
            at = min(edges, key=lambda i: abs(ends[i] - wanted))
        pieces.insert(at, Piece("", chain))
        present.update(chain)
    return pieces


def _space_anchors(pieces: list[Piece]) -> list[Piece]:
    """A space beside an anchor where the file had one and the translation has none."""
    spaced: list[Piece] = []
    for index, piece in enumerate(pieces):
        anchor = piece.anchor
        if anchor is None:
            spaced.append(piece)
            continue
        before = "".join(p.text for p in spaced)
        after = "".join(p.text for p in pieces[index + 1:])
        if anchor.spaced[0] and before and not before[-1].isspace() \
                and before[-1] not in _OPENING:
            spaced.append(Piece(" ", piece.stack))
        spaced.append(piece)
        if anchor.spaced[1] and after and (after[0].isalnum() or after[0] in _OPENING):
            spaced.append(Piece(" ", piece.stack))
    return spaced


def nest(pieces: Sequence[Piece]) -> list[str | Anchor | Node]:
    """Flat pieces as a tree: consecutive pieces sharing marks share one node."""
    root: list[str | Anchor | Node] = []
    path: list[Node] = []
    for piece in pieces:
        open_marks = tuple(node.mark for node in path)
        keep = len(common_prefix(open_marks, piece.stack))
        del path[keep:]
        for mark in piece.stack[keep:]:
            node = Node(mark)
            (path[-1].children if path else root).append(node)
            path.append(node)
        children = path[-1].children if path else root
        if piece.anchor is not None:
            children.append(piece.anchor)
        elif piece.text:
            if children and isinstance(children[-1], str):
                children[-1] += piece.text
            else:
                children.append(piece.text)
    return root


def text_of(node: Node) -> str:
    """The text under ``node`` (without recursion: inline markup nests deep)."""
    parts: list[str] = []
    stack: list[str | Anchor | Node] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, Node):
            stack.extend(reversed(item.children))
    return "".join(parts)
