"""Markdown and MDX: headings, paragraphs, list items, quotes and table cells are units.

markdown-it-py finds the blocks (so fenced and indented code and link
definitions are never touched); the YAML front matter's chosen fields
(``title`` and ``description`` by default) are units of their own, written
back in the quoting they had, and MDX ``import``/``export`` lines are code. A
block of HTML with Arabic is read and written by the HTML reader (in MDX, JSX
an HTML parser would rewrite: listed as untranslated). Links' titles and
images' alt texts are units of their own.
Each block's inline source is then read here: ``**strong**``, ``*em*``,
``~~struck~~``, ``[links](url)`` and inline HTML/JSX pairs are marks carried
onto the English by the word links (one whose text has no Arabic is copied
whole); code spans, entities and MDX expressions stay in the text, where the
translator's facts (``mt.protect``) put them back byte for byte, and are
written as they were; images, autolinks, single tags, backslash escapes and
footnote references (``[^1]``) are anchors, copied verbatim. A footnote's
definition (``[^1]: نص``) is a paragraph whose label stays as it is. A block
written over several lines comes back as one line but for its hard breaks (two
spaces or a backslash ending a line), anchors kept after the English of the
sentence they end or between two words of theirs; its line prefixes (``#``,
``- ``, ``> ``, ``|``) stay.

The trace's map names each piece by ``line`` (0-based) and ``offset`` in it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from mt.arabic import has_arabic
from mt.documents.base import Origin, Unit, UnitResult, Untranslated, at_character
from mt.documents.markup import Anchor, Mark, Node, item_cuts, text_of
from mt.errors import InputError
from mt.types import Span

_TOKEN_RE = re.compile(r"""
    (?P<verbatim>(?P<ticks>`+).+?(?P=ticks)                 # a code span
      |&(?:\#[0-9]+|\#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);  # an entity: &rlm;
      |\{[^{}\n]*\})                                       # an MDX expression: {/*id*/}
    |(?P<anchor>\\[!-/:-@\[-`{-~]                          # a backslash escape
      |!\[[^\]]*\]\([^)]*\)                                # an image
      |\[\^[^\]\s]+\](?![(\[])                              # a footnote reference: [^1]
      |<[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*>)                  # an autolink
    |(?P<tag></?[A-Za-z][^<>]*>)                            # inline HTML, JSX
    |(?P<delim>\*+|_+|~~)
    |(?P<open>\[)
    |(?P<close>\](?:\([^()]*\)|\[[^\]]*\]))
    """, re.X)
_TAG_NAME_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9.-]*)")
VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())
_ESM_RE = re.compile(r"(?:import|export)\s")  # an MDX module line, not prose
FRONT_MATTER_KEYS = ("title", "description")  # front matter fields translated by default
_FIELD_RE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]+(.*?)[ \t]*$")
_IMAGE_ALT_RE = re.compile(r"!\[([^\]]*)\]")
_LINK_TITLE_RE = re.compile(r'"((?:[^"\\]|\\.)*)"(?=\s*\)$)')
_PLAIN_UNSAFE = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`]|: | #")


# Block nesting markdown-it follows (its default, 20, left deeper text untranslated);
# its block parser recurses a few frames a level.
MAX_NESTING = 100
_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_ESCAPED = re.compile(r"([\\`*_\[\]<|])")
_FOOTNOTE_RE = re.compile(r"\[\^[^\]\s]+\]:[ \t]*")  # a footnote definition's label: [^1]:
_BLOCK_START = re.compile(r"^(?:([#>+=-])|(\d+)([.)]))")


@dataclass(frozen=True)
class _Token:
    kind: str  # text, verbatim, anchor, tag, delim, open, close, break
    raw: str
    start: int  # in the joined inline content


def _tokens(content: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    for match in _TOKEN_RE.finditer(content):
        if match.start() > position:
            tokens.append(_Token("text", content[position:match.start()], position))
        kind = next(k for k in ("verbatim", "anchor", "tag", "delim", "open", "close")
                    if match.group(k))
        tokens.append(_Token(kind, match.group(), match.start()))
        position = match.end()
    if position < len(content):
        tokens.append(_Token("text", content[position:], position))
    return tokens


def _with_breaks(tokens: list[_Token], breaks: list[tuple[int, int, str]]) -> list[_Token]:
    """``tokens`` with each hard break (start, end, its text in the file) cut out of the
    text token holding it as a token of its own (one inside a code span is none)."""
    out: list[_Token] = []
    for token in tokens:
        end = token.start + len(token.raw)
        inside = [b for b in breaks if token.kind == "text"
                  and token.start <= b[0] < end and b[1] <= end]
        if not inside:
            out.append(token)
            continue
        position = token.start
        for start, stop, raw in inside:
            if start > position:
                out.append(_Token("text", token.raw[position - token.start:start - token.start],
                                  position))
            out.append(_Token("break", raw, start))
            position = stop
        if position < end:
            out.append(_Token("text", token.raw[position - token.start:], position))
    return out


def _pairs(tokens: list[_Token], content: str) -> dict[int, int]:
    """Opening token index → closing token index, for links, emphasis and inline HTML
    (``<kbd>…</kbd>``) that close."""
    pairs: dict[int, int] = {}
    brackets: list[int] = []
    delims: list[int] = []
    tags: list[tuple[str, int]] = []
    for index, token in enumerate(tokens):
        if token.kind == "open":
            brackets.append(index)
        elif token.kind == "close" and brackets:
            pairs[brackets.pop()] = index
        elif token.kind == "tag":
            _pair_tag(token.raw, index, tags, pairs)
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


def _pair_tag(raw: str, index: int, open_tags: list[tuple[str, int]],
              pairs: dict[int, int]) -> None:
    """An opening tag waits for its closing one; a closing tag closes the nearest opening
    one of its name (and those left open inside it stay single tags)."""
    name = _TAG_NAME_RE.match(raw).group(1).lower()  # type: ignore[union-attr]
    if raw.startswith("</"):
        found = next((k for k in range(len(open_tags) - 1, -1, -1)
                      if open_tags[k][0] == name), None)
        if found is not None:
            pairs[open_tags[found][1]] = index
            del open_tags[found:]
    elif not raw.endswith("/>") and name not in VOID_TAGS:
        open_tags.append((name, index))


def _unquoted(value: str) -> tuple[str, str]:
    """A YAML scalar's text and its quote (``"``, ``'`` or none)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        if value[0] == "'":
            return inner.replace("''", "'"), "'"
        return inner.replace('\\"', '"').replace("\\\\", "\\"), '"'
    return value, ""


def _quoted(text: str, quote: str) -> str:
    """``text`` as a YAML scalar, in the quote it had (or plain, quoted only if it must be)."""
    if not quote and not _PLAIN_UNSAFE.search(text):
        return text
    if quote == "'":
        return "'" + text.replace("'", "''") + "'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class _Edit:
    """Where a unit lies in the file, and how its translation is written there."""

    start: int
    end: int
    payloads: list[tuple[str, str, str]]  # each mark's opening, closing, whole raw text
    quote: str | None = None  # a front matter field: its YAML quote ("" plain)


class MarkdownDocument:
    """A Markdown file read into units; :meth:`render` writes it back translated."""

    format = "markdown"

    @staticmethod
    def place(where: dict[str, Any], offset: int) -> str:
        return f"line {where['line']}, {at_character(offset)}"

    def __init__(self, data: bytes, name: str,
                 front_matter: tuple[str, ...] = FRONT_MATTER_KEYS) -> None:
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
        parser.block.ruler.before("reference", "footnote", _footnote, {"alt": ["paragraph"]})
        tokens = parser.parse(self.text)
        if any(token.level >= MAX_NESTING - 1 for token in tokens):
            # markdown-it leaves what lies deeper unparsed: it would stay untranslated.
            raise InputError(f"{name}: blocks (quotes, lists) nested {MAX_NESTING} deep or "
                             "more; nest them less deeply")
        self.units: list[Unit] = [unit for line in range(1, max(1, first_line - 1))
                                  if (unit := self._field(line, front_matter)) is not None]
        self.blocks: list[_HtmlBlock] = []
        self.untranslated: list[Untranslated] = []
        cursor: dict[int, int] = {}
        for previous, token in zip([None, *tokens], tokens, strict=False):
            if not token.map or token.map[0] < first_line:
                continue
            if token.type == "html_block" and has_arabic(token.content):
                self._html_block(token.map, name)
            if token.type != "inline":
                continue
            if token.level <= 1 and _ESM_RE.match(token.content):
                continue  # MDX's import/export lines are code
            content = token.content
            label = _FOOTNOTE_RE.match(content)
            if label and previous is not None and previous.type == "paragraph_open":
                # A footnote's definition: its label stays as it is, its text is a unit.
                content = content[label.end():]
                at = self.lines[token.map[0]].find(label.group())
                cursor[token.map[0]] = max(cursor.get(token.map[0], 0), at + label.end())
            self.units += self._unit(content, token.map, cursor)

    def _html_block(self, where: list[int], name: str) -> None:
        """A block of HTML with Arabic, read by the HTML reader and translated as a page is;
        in MDX (JSX, which an HTML parser would rewrite) it is listed as untranslated."""
        from mt.documents.html import HtmlDocument

        start = self.line_starts[where[0]]
        end = self.line_starts[where[1]] - 1 if where[1] < len(self.lines) else len(self.text)
        raw = self.text[start:end]
        if name.lower().endswith(".mdx"):
            self.untranslated.append(Untranslated(raw, {"line": where[0]}, "a JSX block"))
            return
        document = HtmlDocument(raw.encode("utf-8"), f"{name}:{where[0]}")
        block = _HtmlBlock(start, end, document)
        for unit in document.units:
            unit.origins = _in_block(unit, raw, where[0], self.lines)
            unit.handle = (block, unit.handle)
        self.blocks.append(block)
        self.units += document.units

    def _field(self, line: int, keys: tuple[str, ...]) -> Unit | None:
        """A front matter line ``title: ...`` whose key is one of ``keys``, as a unit."""
        match = _FIELD_RE.match(self.lines[line])
        if match is None or match.group(1) not in keys or match.group(2)[:1] in ("|", ">", ""):
            return None
        text, quote = _unquoted(match.group(2))
        start = match.start(2) + len(quote)
        origins = [Origin(Span(0, len(text)), {"line": line, "offset": start})] \
            if self.lines[line][start:start + len(text)] == text else []
        edit = _Edit(self.line_starts[line] + match.start(2),
                     self.line_starts[line] + match.end(2), [], quote)
        return Unit(text, origins=origins, handle=edit) if text.strip() else None

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

    def _unit(self, content: str, where: list[int], cursor: dict[int, int]) -> list[Unit]:
        """An inline block as a unit, and the Arabic titles of its links as units after it."""
        located = self._locate(content, where, cursor)
        if not located:
            return []
        joined = " ".join(piece for _, _, piece in located)
        offsets: list[tuple[int, int, int, int]] = []  # (start in joined, line, column, size)
        position = 0
        for line, column, piece in located:
            offsets.append((position, line, column, len(piece)))
            position += len(piece) + 1
        tokens = _with_breaks(_tokens(joined), self._breaks(located, offsets))
        pairs = _pairs(tokens, joined)
        closers = {close: open_ for open_, close in pairs.items()}
        parts: list[str] = []
        origins: list[Origin] = []
        anchors: list[Anchor] = []
        open_marks: list[tuple[int, int]] = []  # (mark id, start)
        marks: list[Mark] = []
        payloads: list[tuple[str, str, str]] = []
        mark_of: dict[int, int] = {}  # an opening token's index: its mark
        alts: list[Unit] = []  # images' Arabic alt texts
        length = 0
        for index, token in enumerate(tokens):
            end = token.start + len(token.raw)
            if index in pairs:
                mark_of[index] = len(payloads)
                open_marks.append((len(payloads), length))
                closer = tokens[pairs[index]]
                payloads.append((token.raw, closer.raw,
                                 joined[token.start:closer.start + len(closer.raw)]))
            elif index in closers:
                mark_id, start = open_marks.pop()
                marks.append(Mark(mark_id, Span(start, length),
                                  _verbatim(Span(start, length).slice("".join(parts)))))
            elif token.kind == "break":
                anchors.append(Anchor(length, _Raw(token.raw), tuple(m for m, _ in open_marks),
                                      inside=True))
            elif token.kind in ("anchor", "tag"):
                spaced = (joined[token.start - 1:token.start].isspace(),
                          joined[end:end + 1].isspace())
                raw, alt = _anchor(token, offsets)
                alts += alt
                anchors.append(Anchor(length, raw, tuple(m for m, _ in open_marks), spaced))
            else:
                if token.kind == "verbatim":  # in the text, where the model sees it masked
                    marks.append(Mark(len(payloads), Span(length, length + len(token.raw)),
                                      True))
                    payloads.append(("", "", token.raw))
                origins += _origins(token, offsets, length)
                parts.append(token.raw)
                length += len(token.raw)
        text = "".join(parts)
        if not text.strip():
            return []
        top, bottom = located[0], located[-1]
        edit = _Edit(self.line_starts[top[0]] + top[1],
                     self.line_starts[bottom[0]] + bottom[1] + len(bottom[2]), payloads)
        return [Unit(text, marks, anchors, origins, handle=edit,
                     cuts=item_cuts(text, [m for m in marks if payloads[m.id][0] == "["])),
                *_titles(tokens, pairs, mark_of, payloads, offsets), *alts]

    def _breaks(self, located: list[tuple[int, int, str]],
                offsets: list[tuple[int, int, int, int]]) -> list[tuple[int, int, str]]:
        """The hard breaks between a block's lines: (start, end) in the joined lines (the
        line's final backslash, or nothing: its two spaces were stripped) and the file's
        text from the break to the next line's words (its ``> `` prefix, its indent)."""
        breaks = []
        for (line, column, piece), (after, at, _), (start, *_) in zip(
                located, located[1:], offsets, strict=False):
            trailing = self.lines[line][column + len(piece):]
            backslashes = len(piece) - len(piece.rstrip("\\"))
            if len(trailing) - len(trailing.rstrip(" ")) >= 2:
                size = 0
            elif not trailing and backslashes % 2:
                size = 1
            else:
                continue
            end = self.line_starts[line] + column + len(piece)
            raw = self.text[end - size:self.line_starts[after] + at]
            breaks.append((start + len(piece) - size, start + len(piece), raw))
        return breaks

    def render(self, results: Sequence[UnitResult]) -> bytes:
        text = self.text
        edits: list[tuple[int, int, str]] = []
        for block in self.blocks:  # each HTML block written by its own reader
            ours = [r for r in results if isinstance(r.unit.handle, tuple)
                    and r.unit.handle[0] is block]
            edits.append((block.start, block.end, block.render(ours)))
        for result in results:  # a link's title, an image's alt go in before their block
            if isinstance(result.unit.handle, (_Title, _Raw)):
                result.unit.handle.put(result.text)
        for result in results:
            edit = result.unit.handle
            if not isinstance(edit, _Edit):
                continue
            if edit.quote is not None:
                rendered = _quoted(result.text, edit.quote)
            else:
                verbatim = {m.id: m.span.slice(result.unit.text) for m in result.unit.marks
                            if m.verbatim}
                rendered = "".join(_render(result.tree(), edit.payloads, verbatim))
                rendered = _BLOCK_START.sub(_escape_block_start, rendered, count=1)
            edits.append((edit.start, edit.end, rendered))
        for start, end, rendered in sorted(edits, reverse=True):
            text = text[:start] + rendered + text[end:]
        return text.encode("utf-8")


def _footnote(state: Any, start: int, end: int, silent: bool) -> bool:
    """A footnote's definition (``[^1]: نص``) is a paragraph, not the link definition
    CommonMark would read in ``[^1]: مصدر`` (which leaves its text untranslated)."""
    from markdown_it.rules_block.paragraph import paragraph

    if state.sCount[start] - state.blkIndent >= 4:
        return False  # indented code
    line = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]]
    if not _FOOTNOTE_RE.match(line):
        return False
    return silent or paragraph(state, start, end, silent)  # silent: it ends a paragraph


@dataclass(frozen=True)
class _HtmlBlock:
    """A block of HTML in the file (``start``, ``end``) and the HTML reader that read it."""

    start: int
    end: int
    document: Any

    def render(self, results: Sequence[UnitResult]) -> str:
        """The block translated: its units' results, their own handles given back."""
        own = [UnitResult(replace(r.unit, handle=r.unit.handle[1]), r.text, r.links,
                          r.sentences) for r in results]
        return str(self.document.render(own).decode("utf-8"))


def _in_block(unit: Unit, raw: str, first_line: int, lines: list[str]) -> list[Origin]:
    """A unit of an HTML block mapped as the Markdown map says places (line, offset): each
    verbatim piece found in the block's lines, in order (one an entity spelled
    otherwise is left out)."""
    origins: list[Origin] = []
    line, column = first_line, 0
    for origin in unit.origins:
        piece = origin.span.slice(unit.text)
        for at in range(line, first_line + raw.count("\n") + 1):
            found = lines[at].find(piece, column if at == line else 0)
            if found >= 0:
                origins.append(Origin(origin.span, {"line": at, "offset": found}))
                line, column = at, found + len(piece)
                break
    return origins


@dataclass(frozen=True)
class _Title:
    """A link's title (``[x](url "title")``), a unit of its own, written into its link."""

    payloads: list[tuple[str, str, str]]
    mark: int
    raw: str  # the title as the file has it, quotes included

    def put(self, english: str) -> None:
        opening, closing, whole = self.payloads[self.mark]
        self.payloads[self.mark] = (opening, closing.replace(self.raw, _quoted(english, '"'), 1),
                                    whole)


def _titles(tokens: list[_Token], pairs: dict[int, int], mark_of: dict[int, int],
            payloads: list[tuple[str, str, str]], offsets: list[tuple[int, int, int, int]]
            ) -> list[Unit]:
    """The links' double-quoted titles that hold Arabic, each a unit mapped into the file."""
    units = []
    for index in sorted(pairs):
        closer = tokens[pairs[index]]
        match = _LINK_TITLE_RE.search(closer.raw) if tokens[index].kind == "open" else None
        if match is not None and has_arabic(match.group(1)):
            title, _ = _unquoted(match.group())
            at = closer.start + match.start(1)
            units.append(Unit(title, origins=_placed(at, title, offsets),
                              handle=_Title(payloads, mark_of[index], match.group())))
    return units


def _placed(at: int, text: str, offsets: list[tuple[int, int, int, int]]) -> list[Origin]:
    """``text`` at ``at`` of a block's joined lines as an origin in the file (if on one line)."""
    return [Origin(Span(0, len(text)), {"line": line, "offset": column + at - start})
            for start, line, column, size in offsets
            if start <= at and at + len(text) <= start + size]


class _Raw:
    """An anchor's text; an image's, with the alt text its unit rewrites once translated."""

    def __init__(self, text: str, alt: str = "") -> None:
        self.text = text
        self.alt = alt

    def __str__(self) -> str:
        return self.text

    def put(self, english: str) -> None:
        escaped = _ESCAPED.sub(r"\\\1", english)
        self.text = self.text.replace("[" + self.alt + "]", "[" + escaped + "]", 1)


def _anchor(token: _Token, offsets: list[tuple[int, int, int, int]]
            ) -> tuple[_Raw, list[Unit]]:
    """An anchor's text, and an image's alt text with Arabic (``![صورة](a.png)``) as a unit
    of its own."""
    match = _IMAGE_ALT_RE.match(token.raw)
    if match is None or not has_arabic(match.group(1)):
        return _Raw(token.raw), []
    raw = _Raw(token.raw, match.group(1))
    return raw, [Unit(raw.alt, origins=_placed(token.start + 2, raw.alt, offsets), handle=raw)]


def _verbatim(text: str) -> bool:
    """Link or emphasis text with no Arabic letters (``[`useState`](…)``): copied."""
    return bool(text.strip()) and not has_arabic(text)


def _origins(token: _Token, offsets: list[tuple[int, int, int, int]], length: int
             ) -> list[Origin]:
    """Where each line's piece of a text token lies in the file (a token may span lines)."""
    end = token.start + len(token.raw)
    found = []
    for start, line, column, size in offsets:
        first, last = max(start, token.start), min(start + size, end)
        if first < last:
            found.append(Origin(Span(length + first - token.start, length + last - token.start),
                                {"line": line, "offset": column + first - start}))
    return found


def _escape_block_start(match: re.Match[str]) -> str:
    """A translation must not start a heading, quote or list it was not."""
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def _render(children: Sequence[str | Anchor | Node], payloads: list[tuple[str, str, str]],
            verbatim: dict[int, str]) -> list[str]:
    out: list[str] = []
    for index, child in enumerate(children):
        if isinstance(child, str):
            escaped = _ESCAPED.sub(r"\\\1", child)
            previous = children[index - 1] if index else None
            if isinstance(previous, Anchor) and previous.inside:
                # The start of a line after a hard break: no indent, no block begun there.
                escaped = _BLOCK_START.sub(_escape_block_start, escaped.lstrip(" "), count=1)
            out.append(escaped)
        elif isinstance(child, Anchor):
            out.append(str(child.payload))
        else:
            opening, closing, raw = payloads[child.mark]
            if child.mark in verbatim and (not opening or verbatim[child.mark] == text_of(child)):
                # Where the English has its text, or a code span, entity or expression
                # wherever it went: the file's own text again.
                out.append(raw)
                continue
            if not text_of(child) and opening[:1] in "*_~":
                continue  # emphasis that lost its words: empty delimiters would show
            if "_" in opening:  # underscores do not work inside words; stars do
                opening, closing = opening.replace("_", "*"), closing.replace("_", "*")
            inner = _render(child.children, payloads, verbatim)
            out.extend([opening, *inner, closing])
    return out
