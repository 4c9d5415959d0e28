"""Names and numbers put right after decoding, whatever the model.

A model-agnostic step (it works for any MarianMT): each name of the names
table (``mt.entities``) and each cardinal number, in digits or words (``mt.numbers``), of
a translated unit's Arabic must be in its English. Where the model left one
out or got it wrong, it is written in at the English the word links tie to
its Arabic:

- already there (one of the name's table forms; a number of the same value,
  however written): left alone;
- a number the English has wrong (3013 for 1913: no number of the Arabic has
  its value) linked to the missing one, or in the same place in order: replaced;
- else the English words linked to the fact's Arabic (no digits among them, at
  most ``MAX_EXTRA_WORDS`` more words than the fact has) are replaced by it;
- nothing linked: it goes in after the English of the nearest linked Arabic before it.

Numbers are written as an English reader writes them (``render_number``). A
unit without word links is left as the model wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mt.arabic import to_western_digits
from mt.entities import find_arabic_entities
from mt.numbers import Number, find_arabic_numbers, find_english_numbers
from mt.types import Repair, Span, WordLink

MAX_EXTRA_WORDS = 5  # linked English words a fact may replace beyond its own (dev: UD PUD)
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))
_DIGIT_RE = re.compile(r"\d")
_WORD_RE = re.compile(r"\w+(?:[-'’.]\w+)*")
# What the model writes after a wrong count and goes with it: "7 thousands of" for 7 آلاف.
_TRAILING_SCALE_RE = re.compile(r"\s+(?:thousand|million|billion|trillion)s?(?:\s+of\b)?",
                                re.IGNORECASE)


@dataclass(frozen=True)
class _Edit:
    target: Span  # the English replaced (empty: an insertion point)
    english: str
    repair: Repair


def _plain(value: float, group: bool) -> str:
    """``value`` with at most four decimals, thousands grouped with commas if ``group``."""
    text = f"{value:,.4f}" if group else f"{value:.4f}"
    return text.rstrip("0").rstrip(".")


def render_number(number: Number, numeral: str) -> str:
    """``number`` (found in the Arabic as ``numeral``) as an English reader writes it:
    ``7 آلاف`` 7,000, ``1,4 مليار`` 1.4 billion, ``87,29%`` 87.29%, ``1913`` 1913."""
    digits = to_western_digits(numeral)
    if number.kind == "time":
        return digits
    value = number.value
    for scale, word in _SCALES:
        if value >= scale and round(value / scale, 4) * scale == value:
            return f"{_plain(value / scale, True)} {word}"
    # Four digits without separators are most often a year, and stay so.
    group = not (value.is_integer() and value < 10**4 and digits.isdigit())
    return _plain(value, group) + ("%" if number.percent else "")


def _word_bounds(text: str, start: int, end: int) -> Span:
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return Span(start, end)


def _linked(span: Span, links: Sequence[WordLink]) -> list[Span]:
    return [t for s, t, _ in links if s.start < span.end and span.start < s.end]


def _own_words(source: Span, text: str, links: Sequence[WordLink], linked: list[Span]
               ) -> Span | None:
    """The English words linked to ``source``, from the first to the last, cut where a word
    is linked only to other Arabic (the model's English for another word stays): the run
    with most words linked to ``source``."""
    bounds = _word_bounds(text, min(t.start for t in linked), max(t.end for t in linked))
    runs: list[list[tuple[Span, bool]]] = [[]]
    for match in _WORD_RE.finditer(text, bounds.start, bounds.end):
        word = Span(match.start(), match.end())
        mine = any(t.start < word.end and word.start < t.end for t in linked)
        other = any(t.start < word.end and word.start < t.end and not (
            s.start < source.end and source.start < s.end) for s, t, _ in links)
        if mine or not other:
            runs[-1].append((word, mine))
        else:
            runs.append([])
    own = [[word for word, mine in run if mine] for run in runs]
    best = max(own, key=len)  # the run with most words linked to it, the first of equals
    return Span(best[0].start, best[-1].end) if best else None


def _placed(source: Span, english: str, text: str, links: Sequence[WordLink]) -> Span | None:
    """Where the fact at ``source`` goes in ``text``: the English linked to it, or an empty
    span after the English of the nearest linked Arabic before it; None where neither fits."""
    linked = _linked(source, links)
    if linked:
        words = _own_words(source, text, links, linked)
        if words is None:
            return None
        replaced = words.slice(text)
        if (len(replaced.split()) > len(english.split()) + MAX_EXTRA_WORDS
                or _DIGIT_RE.search(replaced)):
            return None
        return words
    before = [s.end for s, _, _ in links if s.end <= source.start]
    if not before:
        return None
    nearest = max(before)
    end = max(t.end for s, t, _ in links if s.end == nearest)
    while end < len(text) and not text[end].isspace():  # never inside a word (@UN_News)
        end += 1
    return Span(end, end)


def _with_scale(text: str, span: Span) -> Span:
    """``span`` of a wrong number with the scale word the model wrote after it."""
    trailing = _TRAILING_SCALE_RE.match(text, span.end)
    return Span(span.start, trailing.end()) if trailing else span


def _number_edits(source: str, text: str, links: Sequence[WordLink],
                  taken: Sequence[Span]) -> list[_Edit]:
    everything = find_arabic_numbers(source)
    numbers = [n for n in everything if n.kind in ("cardinal", "time")
               and not any(n.span.start < t.end and t.start < n.span.end for t in taken)]
    english = find_english_numbers(text)
    wrong = [e for e in english if not e.spelled and _DIGIT_RE.search(e.span.slice(text))
             and not any(e.matches(n) for n in everything)]
    used: set[int] = set()
    missing: list[Number] = []
    for number in numbers:
        match = next((i for i, e in enumerate(english) if i not in used and e.matches(number)),
                     None)
        if match is None:
            missing.append(number)
        else:
            used.add(match)
    edits = []
    in_order = len(missing) == len(wrong)
    for rank, number in enumerate(missing):
        written = render_number(number, number.span.slice(source))
        linked = _linked(number.span, links)
        partner = next((e for e in wrong if any(
            t.start < e.span.end and e.span.start < t.end for t in linked)), None)
        if partner is None and in_order:
            partner = wrong[rank]
        target = _placed(number.span, written, text, links) if partner is None \
            else _with_scale(text, partner.span)
        if target is not None:
            edits.append(_Edit(target, written, Repair("number", number.span, target)))
    return edits


def _name_edits(source: str, text: str, links: Sequence[WordLink],
                taken: Sequence[Span]) -> list[_Edit]:
    edits = []
    for entity in find_arabic_entities(source):
        if any(entity.span.start < t.end and t.start < entity.span.end for t in taken) or any(
                re.search(rf"\b{re.escape(form)}\b", text) for form in entity.english):
            continue
        target = _placed(entity.span, entity.form, text, links)
        if target is not None:
            edits.append(_Edit(target, entity.form, Repair("name", entity.span, target)))
    return edits


def repair(source: str, text: str, links: Sequence[WordLink], taken: Sequence[Span] = ()
           ) -> tuple[str, tuple[WordLink, ...], tuple[Repair, ...]]:
    """``text``, the English of ``source``, with its missing or wrong names and numbers
    written in; its links moved with it; what was written, with its spans in the new text.

    ``taken`` are spans of ``source`` already put in by other means (protected spans,
    glossary terms): left alone.
    """
    if not links:
        return text, tuple(links), ()
    numbers = _number_edits(source, text, links, taken)
    names = _name_edits(source, text, links, [*taken, *(e.repair.source for e in numbers)])
    put_in = [link.target for link in links if any(
        link.source.start < t.end and t.start < link.source.end for t in taken)]
    edits: list[_Edit] = []
    for edit in sorted([*numbers, *names], key=lambda e: (e.target.start, e.target.end)):
        if any(p.start < edit.target.end and edit.target.start < p.end
               or p.start < edit.target.start < p.end for p in put_in):
            continue  # the English of a protected span or glossary term stays whole
        if not edits or edit.target.start >= edits[-1].target.end and (
                edit.target.start > edits[-1].target.start or len(edits[-1].target)):
            edits.append(edit)
    return _applied(text, links, edits)


def _applied(text: str, links: Sequence[WordLink], edits: list[_Edit]
             ) -> tuple[str, tuple[WordLink, ...], tuple[Repair, ...]]:
    """``edits`` (in order, not overlapping) made to ``text``, links shifted, each edit linked."""
    parts: list[str] = []
    starts: list[tuple[int, int]] = []  # (old position, shift from there on)
    repairs: list[Repair] = []
    position = shift = 0
    for edit in edits:
        parts.append(text[position:edit.target.start])
        english = edit.english
        if not len(edit.target):  # an insertion: a space on the side that has none
            english = (" " if edit.target.start and not text[edit.target.start - 1].isspace()
                       else "") + english
        start = edit.target.start + shift + len(english) - len(edit.english)
        repairs.append(Repair(edit.repair.kind, edit.repair.source,
                              Span(start, start + len(edit.english))))
        parts.append(english)
        shift += len(english) - len(edit.target)
        starts.append((edit.target.end, shift))
        position = edit.target.end
    parts.append(text[position:])

    def moved(span: Span) -> Span:
        offset = 0
        for old, total in starts:
            if span.start >= old:
                offset = total
        return span.shift(offset)

    replaced = [e.target for e in edits if len(e.target)]
    kept = [WordLink(s, moved(t), w) for s, t, w in links
            if not any(t.start < r.end and r.start < t.end for r in replaced)]
    kept += [WordLink(r.source, r.target, 1.0) for r in repairs]
    return "".join(parts), tuple(sorted(kept)), tuple(repairs)
