"""Subtitles (.srt, .vtt): cue count, numbers and timings unchanged, sentences across cues
kept whole, each cue within two lines of 42 characters where its English fits.

SRT is read with the ``srt`` library; WebVTT here (:class:`VttDocument`), its
header, notes, styles, identifiers and settings written back byte for byte.
Consecutive cues form one unit while a cue does not end a sentence (no final
``. ! ? ؟ …``) and the next follows within :data:`MAX_GAP`, up to
:data:`MAX_CUES` cues; a cue's lines are joined by a space. A sentence's
translation is cut back into the cues it spans at word boundaries: by the word
links where they keep the cues' order, else by the cues' share of its time
(each cue's duration times the share of its characters that belong to the
sentence), each cue keeping at least a word when there are enough (else
``…``); a cue that does not fit :data:`MAX_LINES` lines of :data:`LINE_WIDTH`
gives words to a neighbour that has room, and each is wrapped as evenly as it
can be. Each cue's reading speed (:func:`reading`) is what the writer reports.
Wrapping tags around a whole cue (``<i>…</i>``, ``{\\an8}``, ``<v Kim>…</v>``) are
kept; tags inside a cue (``وصل <i>300</i> شخص``) are marks, never text for the
model: each English word takes the tags of the Arabic word it is linked to (as
in HTML).

The trace's map names each piece by ``cue`` (0-based position), ``number``
(the SRT cue's own number, the WebVTT cue's identifier or null), ``line`` and
``offset`` in that line (0-based).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta
from itertools import groupby
from typing import Any

from mt.documents.base import Origin, Unit, UnitResult, at_character
from mt.documents.markup import Mark
from mt.errors import InputError
from mt.types import Span, WordLink

MAX_GAP = timedelta(seconds=2)
MAX_CUES = 4
CONTINUED = "…"
LINE_WIDTH = 42  # characters a subtitle line holds by common practice
MAX_LINES = 2
MAX_CPS = 20.0  # characters a second a viewer can read (common norms: 17 to 20)
_SHOWN_TAGS = re.compile(r"<[^<>]*>|\{\\[^}]*\}")
_ENDS_SENTENCE = re.compile(r"[.!?؟…؛][\"'»”)\]]*\s*$")
_OPENING_TAGS = re.compile(r"^(?:\s*(?:<[a-zA-Z][^>]*>|\{\\[^}]*\}))+")
_CLOSING_TAGS = re.compile(r"(?:</[a-zA-Z]+>\s*)+$")
_LEADING_CODES = re.compile(r"^(?:\s*\{\\[^}]*\})*")
_INLINE_TAG = re.compile(r"<(/?)([a-zA-Z]+)(?:[\s.][^<>]*)?>")  # <c.yellow> too
Tags = dict[int, tuple[str, str]]  # a mark's id: its opening and closing tag


def _wrappers(content: str) -> tuple[str, str, str]:
    """(opening tags, inner text, closing tags) of a cue's content."""
    opening = _OPENING_TAGS.match(content)
    head = opening.group() if opening else ""
    closing = _CLOSING_TAGS.search(content[len(head):])
    tail = closing.group() if closing else ""
    inner = content[len(head):len(content) - len(tail)]
    if _INLINE_TAG.search(inner):  # tags inside too: every tag is a mark, codes stay ahead
        codes = _LEADING_CODES.match(content).group()  # type: ignore[union-attr]
        return codes, content[len(codes):], ""
    return head, inner, tail


class SrtDocument:
    """An SRT file read into units of cues; :meth:`render` writes it back translated."""

    format = "srt"

    @staticmethod
    def place(where: dict[str, Any], offset: int) -> str:
        number = "" if where.get("number") is None else f" ({where['number']})"
        return f"cue {where['cue']}{number}, line {where['line']}, {at_character(offset)}"

    def __init__(self, data: bytes, name: str) -> None:
        import srt

        from mt.inputs import decode_text

        text = decode_text(data, name)
        self.newline = _newline(text)
        try:
            self.cues = list(srt.parse(text))
        except srt.SRTParseError as exc:
            line = text[:exc.expected_start].count("\n") + 1
            raise InputError(f"{name}:{line}: not a valid SRT cue; fix its number and its "
                             "00:00:01,000 --> 00:00:02,000 timing") from None
        except ValueError as exc:
            raise InputError(f"{name}: not a valid SRT file ({exc}); fix the cue "
                             "timings") from None
        except OverflowError:
            raise InputError(f"{name}: not a valid SRT file (a timing past any clock); fix "
                             "the cue timings") from None
        for cue in self.cues:
            if cue.start > cue.end or cue.start < timedelta(0):
                raise InputError(f"{name}: cue {cue.index} ends before it starts "
                                 f"({srt.timedelta_to_srt_timestamp(cue.start)} --> "
                                 f"{srt.timedelta_to_srt_timestamp(cue.end)}); fix its "
                                 "timing")
        self._read_cues()

    def _read_cues(self) -> None:
        """Units of the cues read into ``self.cues``."""
        self.written: dict[str, Any] = {}  # each cue's reading speed, once rendered
        self.wrappers = [_wrappers(cue.content) for cue in self.cues]
        self.units = [self._unit(group) for group in self._groups()]

    def _groups(self) -> list[list[int]]:
        groups: list[list[int]] = []
        for position, cue in enumerate(self.cues):
            if not self.wrappers[position][1].strip():
                continue
            if groups:
                last = groups[-1][-1]
                inner = self.wrappers[last][1]
                if (last == position - 1 and len(groups[-1]) < MAX_CUES
                        and not _ENDS_SENTENCE.search(inner)
                        and cue.start - self.cues[last].end <= MAX_GAP):
                    groups[-1].append(position)
                    continue
            groups.append([position])
        return groups

    def _unit(self, group: list[int]) -> Unit:
        parts: list[str] = []
        origins: list[Origin] = []
        cue_spans: list[Span] = []
        marks: list[Mark] = []
        tags: Tags = {}
        length = 0
        for position in group:
            if parts:
                parts.append(" ")
                length += 1
            start = length
            head, inner, _ = self.wrappers[position]
            line_start = len(head)
            opened: list[tuple[str, str, int]] = []  # (name, tag, start) of open inline tags
            for line_number, line in enumerate(inner.split("\n")):
                words = line.strip()
                if line_number and words and length > start:
                    parts.append(" ")
                    length += 1
                if not words:
                    continue
                offset = line.index(words) + (line_start if line_number == 0 else 0)
                cursor = 0
                for tag in [*_INLINE_TAG.finditer(words), None]:
                    end = len(words) if tag is None else tag.start()
                    if end > cursor:
                        origins.append(Origin(Span(length, length + end - cursor), {
                            "cue": position, "number": self.cues[position].index,
                            "line": line_number, "offset": offset + cursor}))
                        parts.append(words[cursor:end])
                        length += end - cursor
                    if tag is None:
                        break
                    cursor = tag.end()
                    name = tag.group(2).lower()
                    if not tag.group(1):
                        opened.append((name, tag.group(), length))
                    elif any(o[0] == name for o in opened):
                        while opened:  # closes it, and any left open inside it
                            inner_name, text, begin = opened.pop()
                            _mark(marks, tags, text, begin, length)
                            if inner_name == name:
                                break
            for _, text, begin in reversed(opened):  # a tag a cue leaves open ends there
                _mark(marks, tags, text, begin, length)
            cue_spans.append(Span(start, length))
        return Unit("".join(parts), marks=marks, origins=origins,
                    handle=(group, cue_spans, tags))

    def render(self, results: Sequence[UnitResult]) -> bytes:
        contents = {position: cue.content for position, cue in enumerate(self.cues)}
        for result in results:
            group, cue_spans, tags = result.unit.handle
            pieces: list[list[Span]] = [[] for _ in group]
            for source, target in result.sentences:
                for index, words in enumerate(self._share(source, target, result, group,
                                                          cue_spans)):
                    pieces[index].extend(words)
            _rebalance(pieces, result.text, [(self.cues[position].end - self.cues[position]
                                              .start).total_seconds() for position in group])
            stacks = _target_stacks(result) if tags else []
            for index, position in enumerate(group):
                head, inner, tail = self.wrappers[position]
                # A cue left without words (a short sentence over many cues) says it goes on.
                plain = [word.slice(result.text) for word in pieces[index]] or [CONTINUED]
                shown = [_tagged(word, result.text, stacks, tags)
                         for word in pieces[index]] if tags else plain
                had = len([line for line in inner.split("\n") if line.strip()])
                contents[position] = head + _wrap(plain, shown or plain, had) + tail
        self.written = {"format": self.format,
                        "cues": [reading(position, cue, contents[position])
                                 for position, cue in enumerate(self.cues)]}
        return self._compose(contents)

    def _compose(self, contents: dict[int, str]) -> bytes:
        """The file again with each cue's text replaced by ``contents``."""
        import srt

        cues = [srt.Subtitle(cue.index, cue.start, cue.end, contents[position], cue.proprietary)
                for position, cue in enumerate(self.cues)]
        return srt.compose(cues, reindex=False, strict=False, eol=self.newline).encode("utf-8")

    def _share(self, source: Span, target: Span, result: UnitResult, group: list[int],
               cue_spans: list[Span]) -> list[list[Span]]:
        """The sentence's English cut into the cues it spans.

        Where the word links keep the cues' order (each English word linked into
        the same or a later cue than the word before it), the cut follows them;
        otherwise each cue gets its share of the sentence's time.
        """
        words = [Span(m.start(), m.end()).shift(target.start)
                 for m in re.finditer(r"\S+", target.slice(result.text))]
        spanned = [i for i, cue in enumerate(cue_spans)
                   if min(source.end, cue.end) > max(source.start, cue.start)]
        owners = self._linked_cues(words, result.links, cue_spans)
        if owners is None or set(owners) != set(spanned):
            owners = self._timed_cues(source, len(words), group, cue_spans, spanned)
        shares: list[list[Span]] = [[] for _ in group]
        for word, owner in zip(words, owners, strict=True):
            shares[owner].append(word)
        return shares

    @staticmethod
    def _linked_cues(words: list[Span], links: Sequence[WordLink],
                     cue_spans: list[Span]) -> list[int] | None:
        owners: list[int | None] = []
        for word in words:
            linked = [(score, s) for s, t, score in links
                      if t.start < word.end and word.start < t.end]
            if not linked:
                owners.append(None)
                continue
            start = max(linked, key=lambda item: item[0])[1].start
            owners.append(next(i for i, cue in enumerate(cue_spans) if start < cue.end))
        known = [o for o in owners if o is not None]
        if not known or known != sorted(known):
            return None
        filled: list[int] = []
        for owner in owners:  # an unlinked word stays with the word before it
            filled.append(owner if owner is not None else filled[-1] if filled else known[0])
        return filled

    def _timed_cues(self, source: Span, count: int, group: list[int], cue_spans: list[Span],
                    spanned: list[int]) -> list[int]:
        weights = []
        for index in spanned:
            cue_span, cue = cue_spans[index], self.cues[group[index]]
            overlap = min(source.end, cue_span.end) - max(source.start, cue_span.start)
            seconds = (cue.end - cue.start).total_seconds()
            weights.append(overlap / len(cue_span) * (seconds or 1.0))
        total = sum(weights) or 1.0
        owners: list[int] = []
        taken = 0
        cumulative = 0.0
        for rank, index in enumerate(spanned):
            cumulative += weights[rank]
            later = len(spanned) - rank - 1  # cues still to come
            end = count if not later else round(cumulative / total * count)
            if count >= len(spanned):  # enough words: every cue keeps at least one
                end = max(taken + 1, min(end, count - later))
            owners.extend([index] * max(0, end - taken))
            taken = max(taken, end)
        return owners


def _newline(text: str) -> str:
    """The line ending the file is written back with: the one it had."""
    return "\r\n" if "\r\n" in text else "\n"


def _mark(marks: list[Mark], tags: Tags, tag: str, start: int, end: int) -> None:
    """An inline tag over ``[start, end)`` of the unit's text (an empty one marks nothing)."""
    if end > start:
        name = _INLINE_TAG.match(tag).group(2)  # type: ignore[union-attr]
        tags[len(marks)] = (tag, f"</{name}>")
        marks.append(Mark(len(marks), Span(start, end)))


def _target_stacks(result: UnitResult) -> list[tuple[int, ...]]:
    """The inline marks over each character of the translation (word links carry them)."""
    stacks: list[tuple[int, ...]] = []
    for piece in result.pieces():
        stacks.extend([piece.stack] * len(piece.text))
    return stacks


def _tagged(word: Span, text: str, stacks: list[tuple[int, ...]], tags: Tags) -> str:
    """The word's characters, each run under the same marks inside their tags."""
    out: list[str] = []
    for stack, run in groupby(range(word.start, word.end), key=stacks.__getitem__):
        out.append("".join(tags[mark][0] for mark in stack) + "".join(text[i] for i in run)
                   + "".join(tags[mark][1] for mark in reversed(stack)))
    return "".join(out)


def _rebalance(pieces: list[list[Span]], text: str, seconds: list[float]) -> None:
    """Words moved across the edge between two cues of a sentence (order kept, each cue
    keeping a word): out of a cue that does not fit :data:`MAX_LINES` lines of
    :data:`LINE_WIDTH` into one with room, then, from a cue over :data:`MAX_CPS`, towards
    the slower of the two while that lowers the faster one's characters a second
    (``seconds``: each cue's duration)."""
    def fits(words: list[Span]) -> bool:
        return _fits([word.slice(text) for word in words])

    def speed(words: list[Span], index: int) -> float:
        return len(" ".join(word.slice(text) for word in words)) / max(seconds[index], 0.001)

    def better(left: list[Span], right: list[Span], index: int) -> bool:
        now = max(speed(pieces[index], index), speed(pieces[index + 1], index + 1))
        return now > MAX_CPS and fits(left) and fits(right) and \
            max(speed(left, index), speed(right, index + 1)) < now

    for _ in range(2):  # a second pass settles what the first moved along
        for index in range(len(pieces) - 1):
            left, right = pieces[index], pieces[index + 1]
            while not fits(left) and len(left) > 1 and fits([left[-1], *right]):
                right.insert(0, left.pop())
            while not fits(right) and len(right) > 1 and fits([*left, right[0]]):
                left.append(right.pop(0))
            while len(left) > 1 and better(left[:-1], [left[-1], *right], index):
                right.insert(0, left.pop())
            while len(right) > 1 and better([*left, right[0]], right[1:], index):
                left.append(right.pop(0))


def _lengths(words: list[str], cut: int) -> tuple[int, int]:
    return len(" ".join(words[:cut])), len(" ".join(words[cut:]))


def _best_cut(words: list[str]) -> int:
    """Where two lines of ``words`` are most even (the shorter first, on a tie)."""
    return min(range(1, len(words)), key=lambda k: (
        max(_lengths(words, k)), abs(_lengths(words, k)[0] - _lengths(words, k)[1]),
        _lengths(words, k)[0]))


def _fits(words: list[str]) -> bool:
    """Whether ``words`` fit :data:`MAX_LINES` lines of :data:`LINE_WIDTH` characters."""
    if len(" ".join(words)) <= LINE_WIDTH:
        return True
    return len(words) > 1 and max(_lengths(words, _best_cut(words))) <= LINE_WIDTH


def _wrap(words: list[str], shown: list[str], had: int) -> str:
    """``shown`` (``words`` with their tags) in one line where it fits :data:`LINE_WIDTH` and
    the cue had one, else two lines as even as can be, never more."""
    if len(" ".join(words)) <= LINE_WIDTH and had <= 1 or len(words) < 2:
        return " ".join(shown)
    cut = _best_cut(words)
    return " ".join(shown[:cut]) + "\n" + " ".join(shown[cut:])


def reading(position: int, cue: Any, content: str) -> dict[str, Any]:
    """How fast a cue reads: characters shown (tags out, a line break as a space) a second,
    and what breaks the limits (over :data:`MAX_CPS`, :data:`MAX_LINES`, :data:`LINE_WIDTH`)."""
    lines = [_SHOWN_TAGS.sub("", line) for line in content.split("\n")]
    characters = len(" ".join(line.strip() for line in lines if line.strip()))
    seconds = (cue.end - cue.start).total_seconds()
    cps = round(characters / seconds, 1) if seconds > 0 else None
    flags = [flag for flag, over in (
        (f"over {MAX_CPS:g} cps", characters and (cps is None or cps > MAX_CPS)),
        (f"over {MAX_LINES} lines", len(lines) > MAX_LINES),
        (f"over {LINE_WIDTH} characters a line", max(map(len, lines)) > LINE_WIDTH)) if over]
    return {"cue": position, "number": cue.index, "seconds": seconds,
            "characters": characters, "cps": cps, "lines": len(lines), "flags": flags}


_VTT_TIME = r"(?:\d+:)?[0-5]\d:[0-5]\d\.\d{3}"
_VTT_TIMING = re.compile(rf"^[ \t]*({_VTT_TIME})[ \t]+-->[ \t]+({_VTT_TIME})(?:[ \t].*)?$")
_VTT_HEADER = re.compile(r"\AWEBVTT(?:[ \t][^\n]*)?(?:\n|\Z)")


def _vtt_time(stamp: str) -> timedelta:
    *hours, minutes, seconds = stamp.split(":")
    return timedelta(hours=int(hours[0]) if hours else 0, minutes=int(minutes),
                     seconds=float(seconds))


class VttDocument(SrtDocument):
    """A WebVTT file: cues as in SRT; the header, notes, styles, regions, cue identifiers
    and settings written back byte for byte, only the cues' text replaced."""

    format = "vtt"

    def __init__(self, data: bytes, name: str) -> None:
        import srt

        from mt.inputs import decode_text

        text = decode_text(data, name)
        self.newline = _newline(text)
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        if _VTT_HEADER.match(self.text) is None:
            raise InputError(f"{name}: not a WebVTT file (its first line must be WEBVTT); "
                             "fix the header, or give an .srt")
        self.cues: list[Any] = []
        self.payloads: list[Span] = []  # where each cue's text lies in ``self.text``
        for block in re.finditer(r"(?:[^\n]+\n?)+", self.text):
            lines = block.group().rstrip("\n").split("\n")
            timing = next((i for i, line in enumerate(lines[:2]) if "-->" in line), None)
            if block.start() == 0 or timing is None:
                continue  # the header, a NOTE, STYLE or REGION block
            match = _VTT_TIMING.match(lines[timing])
            line = self.text[:block.start()].count("\n") + timing + 1
            if match is None:
                raise InputError(f"{name}:{line}: not a valid WebVTT cue timing; write it "
                                 "as 00:00:01.000 --> 00:00:02.000")
            start, end = _vtt_time(match.group(1)), _vtt_time(match.group(2))
            if start > end:
                raise InputError(f"{name}:{line}: cue ends before it starts ({match.group(1)} "
                                 f"--> {match.group(2)}); fix its timing")
            first = block.start() + sum(len(text) + 1 for text in lines[:timing + 1])
            last = block.start() + len(block.group().rstrip("\n"))
            self.payloads.append(Span(min(first, last), last))
            identifier = lines[0] if timing == 1 else None
            self.cues.append(srt.Subtitle(identifier, start, end,
                                          "\n".join(lines[timing + 1:])))
        self._read_cues()

    def _compose(self, contents: dict[int, str]) -> bytes:
        text = self.text
        for position in sorted(contents, reverse=True):
            if contents[position] != self.cues[position].content:
                span = self.payloads[position]
                text = text[:span.start] + contents[position] + text[span.end:]
        return text.replace("\n", self.newline).encode("utf-8")
