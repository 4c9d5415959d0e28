"""Markdown: headings, paragraphs, list items, quotes and table cells are units.

markdown-it-py finds the blocks (so fenced and indented code, HTML blocks and
link definitions are never touched, and a YAML front matter block is skipped);
each block's inline source is then read here: ``**strong**``, ``*em*``,
``~~struck~~`` and ``[links](url)`` are marks carried onto the English by the
word links, while code spans, images, autolinks, inline HTML and backslash
escapes are anchors, copied verbatim. A block written over several lines
comes back as one line; its line prefixes (``#``, ``- ``, ``> ``, ``|``) stay.

The trace's map names each piece by ``line`` (0-based) and ``offset`` in it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mt.documents.base import Origin, Unit, UnitResult
from mt.documents.markup import Anchor, Mark, Node
from mt.errors import InputError
from mt.types import Span

_TOKEN_RE = re.compile(r"""
    (?P<anchor>\\[!-/:-@\[-`{-~]            # a backslash escape
      |(?P<ticks>`+).+?(?P=ticks)           # a code span
      |!\[[^\]]*\]\([^)]*\)                 # an image
      |<[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*>   # an autolink
      |</?[A-Za-z][^<>]*>)                  # inline HTML
    |(?P<delim>\*+|_+|~~)
    |(?P<open>\[)
    |(?P<close>\](?:\([^()]*\)|\[[^\]]*\]))
    """, re.X)
# Block nesting markdown-it follows (its default, 20, left deeper text untranslated);
# its block parser recurses a few frames a level.
MAX_NESTING = 100
_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_ESCAPED = re.compile(r"([\\`*_\[\]<|])")
_BLOCK_START = re.compile(r"^(?:([#>+=-])|(\d+)([.)]))")


@dataclass(frozen=True)
class _Token:
    kind: str  # text, anchor, delim, open, close
    raw: str
    start: int  # in the joined inline content


def _tokens(content: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    for match in _TOKEN_RE.finditer(content):
        if match.start() > position:
            tokens.append(_Token("text", content[position:match.start()], position))
        kind = next(k for k in ("anchor", "delim", "open", "close") if match.group(k))
        tokens.append(_Token(kind, match.group(), match.start()))
        position = match.end()
    if position < len(content):
        tokens.append(_Token("text", content[position:], position))
    return tokens


def _pairs(tokens: list[_Token], content: str) -> dict[int, int]:
    """Opening token index → closing token index, for links and emphasis that close."""
    pairs: dict[int, int] = {}
    brackets: list[int] = []
    delims: list[int] = []
    for index, token in enumerate(tokens):
        if token.kind == "open":
            brackets.append(index)
        elif token.kind == "close" and brackets:
            pairs[brackets.pop()] = index
        elif token.kind == "delim":
            before = content[token.start - 1] if token.start else " "
            end = token.start + len(token.raw)
            after = content[end] if end < len(content) else " "
            opener = next((i for i in range(len(delims) - 1, -1, -1)
                           if tokens[delims[i]].raw == token.raw), None)
            if opener is not None and not before.isspace():
                pairs[delims[opener]] = index
                del delims[opener:]
            elif not after.isspace():
                delims.append(index)
    return pairs


class MarkdownDocument:
    """A Markdown file read into units; :meth:`render` writes it back translated."""

    format = "markdown"

    @staticmethod
    def place(where: dict[str, Any], offset: int) -> str:
        return f"line {where['line'] + 1}, column {offset + 1}"

    def __init__(self, data: bytes, name: str) -> None:
        from markdown_it import MarkdownIt

        from mt.inputs import decode_text

        self.text = decode_text(data, name)
        self.lines = self.text.split("\n")
        self.line_starts = [0]
        for line in self.lines[:-1]:
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)
        front = _FRONT_MATTER_RE.match(self.text)
        first_line = front.group().count("\n") if front else 0
        parser = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable(
            ["table", "strikethrough"])
        tokens = parser.parse(self.text)
        if any(token.level >= MAX_NESTING - 1 for token in tokens):
            # markdown-it leaves what lies deeper unparsed: it would stay untranslated.
            raise InputError(f"{name}: blocks (quotes, lists) nested {MAX_NESTING} deep or "
                             "more; nest them less deeply")
        self.units: list[Unit] = []
        cursor: dict[int, int] = {}
        for token in tokens:
            if token.type == "inline" and token.map and token.map[0] >= first_line:
                unit = self._unit(token.content, token.map, cursor)
                if unit is not None:
                    self.units.append(unit)

    def _locate(self, content: str, where: list[int], cursor: dict[int, int]
                ) -> list[tuple[int, int, str]] | None:
        """(line, column, text) of each line of an inline block's content in the file."""
        found = []
        line = where[0]
        for piece in content.split("\n"):
            piece = piece.strip()
            while line < where[1]:
                column = self.lines[line].find(piece, cursor.get(line, 0)) if piece else -1
                if column >= 0:
                    found.append((line, column, piece))
                    cursor[line] = column + len(piece)
                    line += 1
                    break
                line += 1
            else:
                if piece:
                    return None  # not where the parser says: left untouched
        return found

    def _unit(self, content: str, where: list[int], cursor: dict[int, int]) -> Unit | None:
        located = self._locate(content, where, cursor)
        if not located:
            return None
        joined = " ".join(piece for _, _, piece in located)
        offsets: list[tuple[int, int, int, int]] = []  # (start in joined, line, column, size)
        position = 0
        for line, column, piece in located:
            offsets.append((position, line, column, len(piece)))
            position += len(piece) + 1
        tokens = _tokens(joined)
        pairs = _pairs(tokens, joined)
        closers = {close: open_ for open_, close in pairs.items()}
        parts: list[str] = []
        origins: list[Origin] = []
        anchors: list[Anchor] = []
        open_marks: list[tuple[int, int]] = []  # (mark id, start)
        marks: list[Mark] = []
        payloads: list[tuple[str, str]] = []
        length = 0
        for index, token in enumerate(tokens):
            if index in pairs:
                open_marks.append((len(payloads), length))
                payloads.append((token.raw, tokens[pairs[index]].raw))
            elif index in closers:
                mark_id, start = open_marks.pop()
                marks.append(Mark(mark_id, Span(start, length)))
            elif token.kind == "anchor":
                end = token.start + len(token.raw)
                spaced = (joined[token.start - 1:token.start].isspace(),
                          joined[end:end + 1].isspace())
                anchors.append(Anchor(length, token.raw, tuple(m for m, _ in open_marks),
                                      spaced))
            else:
                end = token.start + len(token.raw)
                for start, line, column, size in offsets:  # the token's piece on each line
                    first, last = max(start, token.start), min(start + size, end)
                    if first < last:
                        origins.append(Origin(
                            Span(length + first - token.start, length + last - token.start),
                            {"line": line, "offset": column + first - start}))
                parts.append(token.raw)
                length += len(token.raw)
        text = "".join(parts)
        if not text.strip():
            return None
        top, bottom = located[0], located[-1]
        edit = (self.line_starts[top[0]] + top[1],
                self.line_starts[bottom[0]] + bottom[1] + len(bottom[2]))
        return Unit(text, marks, anchors, origins, handle=(edit, payloads))

    def render(self, results: Sequence[UnitResult]) -> bytes:
        text = self.text
        for result in sorted(results, key=lambda r: r.unit.handle[0], reverse=True):
            (start, end), payloads = result.unit.handle
            rendered = "".join(_render(result.tree(), payloads))
            rendered = _BLOCK_START.sub(_escape_block_start, rendered, count=1)
            text = text[:start] + rendered + text[end:]
        return text.encode("utf-8")


def _escape_block_start(match: re.Match[str]) -> str:
    """A translation must not start a heading, quote or list it was not."""
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def _render(children: Sequence[str | Anchor | Node], payloads: list[tuple[str, str]]
            ) -> list[str]:
    out: list[str] = []
    for child in children:
        if isinstance(child, str):
            out.append(_ESCAPED.sub(r"\\\1", child))
        elif isinstance(child, Anchor):
            out.append(str(child.payload))
        else:
            opening, closing = payloads[child.mark]
            if "_" in opening:  # underscores do not work inside words; stars do
                opening, closing = opening.replace("_", "*"), closing.replace("_", "*")
            inner = _render(child.children, payloads)
            out.extend([opening, *inner, closing])
    return out
