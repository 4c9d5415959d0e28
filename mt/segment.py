"""Sentence and word splitting with exact offsets, for Arabic and English.

Lines are hard boundaries (a headline without a full stop is a sentence of its
own); inside a line a sentence ends at ``. ! ? ؟ ؛ …`` followed by space or
the end of the line. A full stop inside a number (``1.5``, ``87,29%``) is not
followed by space and so never ends a sentence; nor does punctuation inside a
balanced quotation (``"…"``, ``«…»``, ``“…”``), so a quote stays in one
sentence; nor a full stop after a one-letter word (``د.``, an abbreviation).
A quote left open is ignored for that line rather than swallowing
it. English sentences inside a line are found by pySBD (the Pragmatic
Segmenter's rules: abbreviations, initials, lists, ellipses, e-mail and web
addresses), then held to the same quotation rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mt.arabic import HARAKAT
from mt.types import Span

TERMINATORS = frozenset(".!?؟؛…")
OPENING_QUOTES = {"«": "»", "“": "”", "„": "“", "‹": "›"}
CLOSING_QUOTES = frozenset("»”›")
STRAIGHT_QUOTE = '"'
TRAILING_CLOSERS = frozenset(")]}»”›'\"’")
_LINE_RE = re.compile(r"[^\r\n]+")  # a lone CR (old Mac text) ends a line too
_LINE_BREAK_RE = re.compile(r"\r\n?|\n")
_WORD_RE = re.compile(
    r"\d+(?:[.,٫٬]\d+)*%?"  # numbers with separators, Western or Arabic-Indic
    r"|[^\W\d_]+(?:[-'’][^\W\d_]+)*[" + HARAKAT + "]*"  # words with harakat, hyphens
    r"|[^\s\w]",  # any single punctuation or symbol
    re.UNICODE,
)


def line_breaks(text: str) -> int:
    """How many line breaks ``text`` holds: LF, CRLF or a lone CR each count once."""
    return len(_LINE_BREAK_RE.findall(text))


@dataclass(frozen=True)
class Sentence:
    """A sentence span and the number of the line it lies in."""

    span: Span
    line: int


def _initial(line: str, dot: int) -> bool:
    """Whether the full stop at ``dot`` follows a one-letter word (``د.`` for doctor)."""
    return dot > 0 and line[dot - 1].isalpha() and (dot == 1 or not line[dot - 2].isalnum())


def _skip_closers(line: str, j: int, straight_quotes_close: bool) -> int:
    while j < len(line) and line[j] in TRAILING_CLOSERS and (
        straight_quotes_close or line[j] != STRAIGHT_QUOTE
    ):
        j += 1
    return j


def _boundaries(line: str, quote_aware: bool) -> tuple[list[int], bool]:
    """End offsets of the sentences in one Arabic line, and whether its quotes were balanced."""
    ends: list[int] = []
    closers: list[str] = []  # the closing marks of the quotations open at this point
    i, n = 0, len(line)
    while i < n:
        char = line[i]
        if quote_aware and char in (STRAIGHT_QUOTE, *OPENING_QUOTES, *CLOSING_QUOTES):
            if closers and char == closers[-1]:
                closers.pop()
                # A quotation ending with its own sentence end closes the sentence too.
                j = _skip_closers(line, i + 1, straight_quotes_close=True)
                if not closers and line[i - 1] in TERMINATORS and j < n and line[j].isspace():
                    ends.append(j)
            elif char == STRAIGHT_QUOTE:
                closers.append(STRAIGHT_QUOTE)
            elif char in OPENING_QUOTES:
                closers.append(OPENING_QUOTES[char])
            i += 1  # a closing mark with no opener is typography noise
            continue
        if char in TERMINATORS and not closers:
            j = i + 1
            while j < n and line[j] in TERMINATORS:
                j += 1
            j = _skip_closers(line, j, straight_quotes_close=not quote_aware)
            if j < n and line[j].isspace() and not (char == "." and _initial(line, i)):
                ends.append(j)
            i = j
            continue
        i += 1
    return ends, not closers


def _quoted(line: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` of each outermost balanced quotation in a line (none if the
    line's quotes are not balanced: then they are typography, not quotations)."""
    spans: list[tuple[int, int]] = []
    closers: list[str] = []
    start = 0
    for i, char in enumerate(line):
        if closers and char == closers[-1]:
            closers.pop()
            if not closers:
                spans.append((start, i + 1))
        elif char == STRAIGHT_QUOTE or char in OPENING_QUOTES:
            if not closers:
                start = i
            closers.append(STRAIGHT_QUOTE if char == STRAIGHT_QUOTE else OPENING_QUOTES[char])
    return [] if closers else spans


PYSBD_CHUNK = 4000
_PLAIN_END_RE = re.compile(r"(?<=[a-z]{3}[.!?]) (?=[A-Z0-9])")


@lru_cache(maxsize=1)
def _pysbd() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def _english_boundaries(line: str) -> list[int]:
    """End offsets of the sentences in one English line: pySBD's, none inside a quotation.

    pySBD's time grows with the square of a line's length (a 240,000-character
    line took 85 s), so a long line goes to it in pieces cut at plain sentence
    ends (a word of three letters or more, a stop, a space, a capital or a digit),
    each at most ``PYSBD_CHUNK`` characters where the text allows.
    """
    ends: list[int] = []
    for start, end in _chunks_for_pysbd(line):
        chunk = line[start:end]
        cursor = 0
        for piece in _pysbd().segment(chunk):
            text = piece.strip()
            if not text:
                continue
            found = chunk.find(text, cursor)
            if found < 0:  # pySBD changed the text (it should not with clean=False): no split
                return []
            cursor = found + len(text)
            ends.append(start + cursor)
    quoted = _quoted(line)
    return [end for end in ends[:-1] if not any(a < end < b for a, b in quoted)]


def _chunks_for_pysbd(line: str) -> list[tuple[int, int]]:
    """``line`` as (start, end) pieces of about ``PYSBD_CHUNK`` characters, cut after a
    plain sentence end; one piece where there is none."""
    pieces: list[tuple[int, int]] = []
    start = 0
    while len(line) - start > PYSBD_CHUNK:
        cut = None
        for match in _PLAIN_END_RE.finditer(line, start + 1, start + PYSBD_CHUNK):
            cut = match.end()
        if cut is None:
            break
        pieces.append((start, cut))
        start = cut
    pieces.append((start, len(line)))
    return pieces


def split_sentences(text: str, lang: str = "ar") -> list[Sentence]:
    """Sentences of ``text`` as spans into it, leading and trailing space excluded.

    Every non-space character of ``text`` lies in exactly one sentence.
    """
    sentences: list[Sentence] = []
    for line_number, match in enumerate(_LINE_RE.finditer(text)):
        line = match.group()
        if lang == "en":
            ends = _english_boundaries(line) if line.strip() else []
        else:
            ends, balanced = _boundaries(line, quote_aware=True)
            if not balanced:
                ends, _ = _boundaries(line, quote_aware=False)
        start = 0
        for end in [*ends, len(line)]:
            piece = line[start:end]
            stripped_start = start + (len(piece) - len(piece.lstrip()))
            stripped_end = start + len(piece.rstrip())
            if stripped_end > stripped_start:
                span = Span(match.start() + stripped_start, match.start() + stripped_end)
                sentences.append(Sentence(span, line_number))
            start = end
    return sentences


def split_words(text: str, span: Span | None = None) -> list[Span]:
    """Words, numbers and punctuation marks of ``text`` (or of ``span`` in it), as spans."""
    base = span or Span(0, len(text))
    return [Span(m.start(), m.end()) for m in _WORD_RE.finditer(text, base.start, base.end)]


def split_lines(text: str) -> list[Span]:
    """One span per input line, empty lines included, without ``\r\n`` (``--lines`` mode).

    A final newline does not start another line.
    """
    spans: list[Span] = []
    start = 0
    for match in re.finditer("\n", text):
        end = match.start() - 1 if match.start() > start and text[match.start() - 1] == "\r" \
            else match.start()
        spans.append(Span(start, end))
        start = match.end()
    if start < len(text):
        spans.append(Span(start, len(text)))
    return spans
