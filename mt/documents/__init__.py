"""Documents with structure: HTML, DOCX, SRT and Markdown, read, translated and written back.

One reader/writer per format behind one registry, ``DOCUMENT_FORMATS``:
:func:`document_format` chooses by file suffix, :func:`parse` reads a file into
units, :func:`translate_parsed` translates them (the translation of the
extracted text, which ``mt.trace`` traces) and writes the same file back
translated, and
:func:`extract` gives the extracted text alone (for ``mt align`` and
``mt corpus build``). The trace JSON gains a ``document`` object mapping
spans of the extracted text back to places in the file (element path,
paragraph and run, cue) and leaves every field of the trace as it was.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mt.documents.base import (
    Origin,
    ParsedDocument,
    Reader,
    UnitResult,
    Untranslated,
    extracted_text,
    left_untranslated,
    written_report,
)
from mt.documents.docx import DocxDocument
from mt.documents.html import HtmlDocument
from mt.documents.markdown import FRONT_MATTER_KEYS, MarkdownDocument
from mt.documents.subtitles import SrtDocument, VttDocument
from mt.errors import InputError
from mt.types import Link, Span, TraceDocument, TranslatedText, WordLink

__all__ = ["DOCUMENT_FORMATS", "FRONT_MATTER_KEYS", "DocumentTranslation", "Extraction",
           "check_output_suffix",
           "document_format", "dumps", "extract", "parse", "translate_parsed", "with_documents"]



@dataclass(frozen=True)
class DocumentFormat:
    """A format's file suffixes and its reader (None: plain text, read as it is)."""

    suffixes: tuple[str, ...]
    reader: Reader | None = None


DOCUMENT_FORMATS: dict[str, DocumentFormat] = {
    "text": DocumentFormat((".txt",)),
    "html": DocumentFormat((".html", ".htm", ".xhtml"), HtmlDocument),
    "docx": DocumentFormat((".docx",), DocxDocument),
    "srt": DocumentFormat((".srt",), SrtDocument),
    "vtt": DocumentFormat((".vtt",), VttDocument),
    "markdown": DocumentFormat((".md", ".markdown", ".mdx"), MarkdownDocument),
}


def document_format(path: str | Path, override: str | None = None) -> str:
    """The format named by ``override``, else by the file's suffix; anything else is text."""
    if override is not None:
        if override not in DOCUMENT_FORMATS:
            raise InputError(f"--input-format {override}: unknown; use "
                             f"{', '.join(DOCUMENT_FORMATS)}")
        return override
    suffix = Path(str(path).removesuffix(".gz")).suffix.lower()
    return next((name for name, known in DOCUMENT_FORMATS.items()
                 if suffix in known.suffixes), "text")


def check_output_suffix(output: str | None, fmt: str) -> None:
    """A translated document goes to a file of its own format (or stdout)."""
    if output and output != "-" and document_format(output) != fmt:
        wanted = " or ".join(DOCUMENT_FORMATS[fmt].suffixes)
        raise InputError(f"{output}: a translated {fmt} document needs the suffix {wanted}; "
                         "rename -o, or give --format json|text|html")


def _reader(fmt: str) -> Reader:
    reader = DOCUMENT_FORMATS[fmt].reader
    if reader is None:
        raise ValueError(f"no structured reader for {fmt!r}")
    return reader


def parse(path: str | Path, fmt: str,
          front_matter: tuple[str, ...] = FRONT_MATTER_KEYS) -> ParsedDocument:
    """The file at ``path`` (``-``: stdin) read as ``fmt`` into units; bad input: InputError.
    ``front_matter``: the fields of a Markdown file's front matter to translate."""
    from mt.inputs import open_input

    name = "<stdin>" if str(path) == "-" else str(path)
    stream = open_input(path, binary=True)
    try:
        data = stream.read()
    finally:
        if name != "<stdin>":
            stream.close()
    if fmt == "markdown":
        return MarkdownDocument(data, name, front_matter)
    return _reader(fmt)(data, name)


def _map_json(origins: list[Origin]) -> list[dict[str, Any]]:
    return [{"span": origin.span.to_json(), **origin.where} for origin in origins]


def _file_map(parsed: ParsedDocument, starts: list[int]) -> list[Origin]:
    return [Origin(origin.span.shift(start), origin.where)
            for unit, start in zip(parsed.units, starts, strict=True) for origin in unit.origins]


@dataclass(frozen=True)
class Extraction:
    """A document's extracted text and, for a structured format, where each piece came from."""

    file: str
    text: str
    format: str = "text"  # plain text has no map
    origins: tuple[Origin, ...] = ()
    untranslated: tuple[Untranslated, ...] = ()  # text of the file left as it is

    def where(self, span: Span) -> str | None:
        """The place in the file where ``span`` starts, in words (None for plain text)."""
        for origin in self.origins:
            if origin.span.start <= span.start < origin.span.end or (
                    len(span) == 0 and origin.span.start == span.start):
                return _reader(self.format).place(
                    origin.where, origin.where.get("offset", 0) + span.start - origin.span.start)
        return None

    def to_json(self) -> dict[str, Any]:
        side: dict[str, Any] = {"format": self.format, "file": self.file}
        if self.format != "text":
            side["map"] = _map_json(list(self.origins))
        if self.untranslated:
            side["untranslated"] = [item.to_json() for item in self.untranslated]
        return side


def extract(path: str | Path, fmt: str | None = None) -> Extraction:
    """The text of a document of any format, as the trace's offsets see it."""
    from mt.inputs import read_document

    fmt = document_format(path, fmt)
    if fmt == "text":
        return Extraction(str(path), read_document(path))
    parsed = parse(path, fmt)
    text, starts = extracted_text(parsed.units)
    return Extraction(str(path), text, fmt, tuple(_file_map(parsed, starts)),
                      left_untranslated(parsed))


def with_documents(trace: TraceDocument, source: Extraction,
                   target: Extraction | None = None,
                   written: dict[str, Any] | None = None) -> dict[str, Any]:
    """The trace's JSON with the ``document`` extension (structured inputs only);
    ``written``: what the writer said of the translated file (``output``)."""
    data = trace.to_json()
    sides = {"source": source.to_json()} if source.format != "text" else {}
    if target is not None and target.format != "text":
        sides["target"] = target.to_json()
    if written:
        sides["output"] = written
    if sides:
        data["document"] = sides
    return data


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


@dataclass(frozen=True)
class DocumentTranslation:
    """A translated document: the translation of its extracted text (``mt.trace`` traces
    it), where that text came from, and the file written back."""

    translated: TranslatedText
    source: Extraction
    output: bytes
    written: dict[str, Any] = field(default_factory=dict)  # the writer's report on ``output``


def _results(parsed: ParsedDocument, starts: list[int], trace: TranslatedText
             ) -> list[UnitResult]:
    """Each unit's translation, links and sentences, relative to the unit."""
    segments_of: list[list[tuple[Span, Span]]] = [[] for _ in parsed.units]
    owner: dict[int, int] = {}
    for segment in trace.segments:
        assert segment.source is not None and segment.target is not None
        index = bisect_right(starts, segment.source.start) - 1
        segments_of[index].append((segment.source, segment.target))
        owner[segment.id] = index
    links_of: list[list[Link]] = [[] for _ in parsed.units]
    for link in trace.links:
        links_of[owner[link.segment]].append(link)
    results = []
    for unit, start, segments, links in zip(parsed.units, starts, segments_of, links_of,
                                            strict=True):
        if not segments:
            results.append(UnitResult(unit, "", (), ()))
            continue
        base = segments[0][1].start
        text = trace.target_text[base:segments[-1][1].end]
        results.append(UnitResult(
            unit, text,
            tuple(WordLink(link.source.shift(-start), link.target.shift(-base), link.score)
                  for link in links),
            tuple((source.shift(-start), target.shift(-base)) for source, target in segments)))
    return results


def translate_parsed(translator: Any, parsed: ParsedDocument, name: str,
                     progress: Callable[[int], None] | None = None) -> DocumentTranslation:
    """Translate every unit of ``parsed`` (sentence by sentence) and write the file back."""
    text, starts = extracted_text(parsed.units)
    spans = [piece.shift(start) for unit, start in zip(parsed.units, starts, strict=True)
             for piece in unit.segments()]
    translated = translator.translate_spans(text, spans, progress=progress)
    output = parsed.render(_results(parsed, starts, translated))
    source = Extraction(name, text, parsed.format, tuple(_file_map(parsed, starts)),
                        left_untranslated(parsed))
    return DocumentTranslation(translated, source, output, written_report(parsed))
