"""Quotations in any common style, nested, across sentences and paragraphs.

Marks: ``«…»``, ``“…”``, ``„…“``/``„…”``, ``‹…›``, ``‘…’``, ``「…」`` and the
straight ``"…"``. A straight quote opens where it can (after a space, a
bracket, another quote or at the start of a line) and closes the innermost
open straight quote; ``’`` closes ``‘`` only when no letter follows, so
``don’t`` stays a word. A quotation left open at the end of a paragraph goes
on when the next paragraph opens with the same mark (the English convention
for quotes of several paragraphs); otherwise it ends with its paragraph and is
marked ``closed=False``.
"""

from __future__ import annotations

from dataclasses import dataclass

from mt.types import Span

CLOSERS: dict[str, frozenset[str]] = {
    "«": frozenset("»"), "“": frozenset("”"), "„": frozenset("“”"), "‹": frozenset("›"),
    "‘": frozenset("’"), "「": frozenset("」"), '"': frozenset('"'),
}
_CAN_PRECEDE_OPENER = frozenset(" \t\n([{-—–/:،,;؛") | frozenset(CLOSERS)


@dataclass(frozen=True)
class Quote:
    """A quotation, marks included; ``depth`` 0 is outermost."""

    span: Span
    depth: int
    closed: bool = True

    @property
    def inner(self) -> Span:
        """The quoted words without the marks."""
        end = self.span.end - 1 if self.closed else self.span.end
        return Span(min(self.span.start + 1, end), end)


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in _CAN_PRECEDE_OPENER or before.isspace()) and not after.isspace()


def find_quotes(text: str) -> list[Quote]:
    """Every quotation of ``text``, outer before inner, in order of their opening marks."""
    found: list[Quote] = []
    stack: list[tuple[str, int]] = []  # (opening mark, its offset)
    skip: set[int] = set()
    for i, char in enumerate(text):
        if i in skip:
            continue
        if char == "\n":
            if stack:
                _end_paragraph(text, i, stack, found, skip)
            continue
        if stack and char in CLOSERS[stack[-1][0]] and (
                char != "’" or not text[i + 1:i + 2].isalpha()):
            opener, start = stack.pop()
            found.append(Quote(Span(start, i + 1), len(stack)))
        elif char in CLOSERS and (char not in "‘\"" or _opens(text, i)):
            stack.append((char, i))
        elif stack and any(char in CLOSERS[o] for o, _ in stack[:-1]) and char not in "’\"":
            # A closer of an outer quotation: the inner ones were left open.
            while stack and char not in CLOSERS[stack[-1][0]]:
                opener, start = stack.pop()
                found.append(Quote(Span(start, i), len(stack), closed=False))
            opener, start = stack.pop()
            found.append(Quote(Span(start, i + 1), len(stack)))
    _close_all(text, len(text), stack, found)
    return sorted(found, key=lambda q: (q.span.start, q.depth))


def _end_paragraph(text: str, newline: int, stack: list[tuple[str, int]],
                   found: list[Quote], skip: set[int]) -> None:
    """At a paragraph break: go on if the next paragraph reopens the outer quote, else close."""
    rest = text[newline:]
    stripped = rest.lstrip()
    reopen = newline + len(rest) - len(stripped)
    if stripped[:1] == stack[0][0] and len(stack) == 1:
        skip.add(reopen)
        return
    _close_all(text, newline, stack, found)


def _close_all(text: str, end: int, stack: list[tuple[str, int]], found: list[Quote]) -> None:
    while stack:
        _, start = stack.pop()
        stop = start + len(text[start:end].rstrip())
        found.append(Quote(Span(start, max(stop, start + 1)), len(stack), closed=False))
