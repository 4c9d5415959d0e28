"""User glossaries: Arabic terms and the English each must become.

Read from a two-column TSV or CSV (Arabic, English; a header row naming the
languages is skipped) or from TBX, the terminology exchange standard (each
``termEntry`` with an ``ar`` and an ``en`` language set). Terms are found in
Arabic text as whole words, with or without diacritics, hamza forms of alef,
the article and a one-letter proclitic (``والمفوضية``; the span keeps the
article, not the proclitic), longest term first;
the translator then puts their English in as it does other facts (``mt.facts``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

from mt.arabic import strip_diacritics, strip_diacritics_mapped, unify_alef
from mt.errors import InputError
from mt.types import Span

MAX_TERMS = 100_000
MAX_BYTES = 32 * 1024 * 1024
_PROCLITIC = "[وفبلك]?"  # one letter before the term, outside its span (لل: ل + ال)
_HEADER = {"ar", "arabic", "source", "en", "english", "target"}


def _key(arabic: str) -> str:
    """A term as terms are compared: no diacritics or tatweel, one alef, no article (the
    text may have it or not)."""
    key = unify_alef(strip_diacritics(arabic))
    return key[2:] if key.startswith("ال") and len(key) > 3 else key


class Glossary:
    """Terms as (Arabic, English) pairs, and what finds them; ``name`` says where from.
    Fixed at construction."""

    def __init__(self, name: str, terms: Sequence[tuple[str, str]]) -> None:
        self.name = name
        self.terms = tuple(terms)
        self._english = {_key(ar): en for ar, en in self.terms}
        words = sorted((w for w in self._english if w), key=len, reverse=True)  # longest first
        self._pattern = re.compile(
            rf"(?<!\w){_PROCLITIC}((?:ال|ل)?({'|'.join(map(re.escape, words))}))(?!\w)"
        ) if words else None

    def find(self, text: str) -> list[tuple[Span, str]]:
        """Each term in ``text`` as (the term's span, its English), in order (diacritics are
        matched away in a copy mapped back to ``text``)."""
        if self._pattern is None:
            return []
        plain, index = strip_diacritics_mapped(text)
        return [(Span(index[m.start(1)], index[m.end(1) - 1] + 1), self._english[m.group(2)])
                for m in self._pattern.finditer(unify_alef(plain))]


def _rows(text: str, delimiter: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(row)]


def read_glossary(path: str) -> Glossary:
    """The glossary in ``path`` (.tsv, .csv, .tbx); bad files raise ``InputError``."""
    file = Path(path)
    try:
        if file.stat().st_size > MAX_BYTES:
            raise InputError(f"{path}: a glossary of over {MAX_BYTES >> 20} MiB; split it")
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the glossary ({exc.strerror}); give a TSV, "
                         "CSV or TBX file") from None
    if file.suffix.lower() == ".tbx":
        terms = _tbx_terms(path, data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{path}: a glossary must be UTF-8 text") from None
        rows = _rows(text, "," if file.suffix.lower() == ".csv" else "\t")
        if rows and {cell.strip().lower() for cell in rows[0][:2]} <= _HEADER:
            rows = rows[1:]
        for number, row in enumerate(rows, start=1):
            if len(row) < 2 or not row[0].strip() or not row[1].strip():
                raise InputError(f"{path}: row {number} is not two columns, Arabic then "
                                 "English; fix or remove it")
        terms = [(row[0].strip(), row[1].strip()) for row in rows]
    if not terms:
        raise InputError(f"{path}: no terms in this glossary; give Arabic and English pairs")
    if len(terms) > MAX_TERMS:
        raise InputError(f"{path}: {len(terms):,} terms, over {MAX_TERMS:,}; split it")
    return Glossary(path, terms)


def _tbx_terms(path: str, data: bytes) -> list[tuple[str, str]]:
    """The (Arabic, English) pairs of a TBX file's term entries (first term of each)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}: not well-formed TBX ({exc.msg}); fix the XML") from None
    language = "{http://www.w3.org/XML/1998/namespace}lang"
    terms = []
    for entry in root.iter("{*}termEntry", "{*}conceptEntry"):
        found: dict[str, str] = {}
        for langset in entry.iter("{*}langSet", "{*}langSec"):
            lang = (langset.get(language) or langset.get("lang") or "").lower().split("-")[0]
            term = next(langset.iter("{*}term"), None)
            if lang in ("ar", "en") and term is not None and (term.text or "").strip():
                found.setdefault(lang, term.text.strip())
        if len(found) == 2:
            terms.append((found["ar"], found["en"]))
    return terms
