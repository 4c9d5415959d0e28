"""Traceable Arabic-to-English machine translation.

    import mt

    document = mt.translate_text("قال الوزير إن 7 آلاف حاوية وصلت.")
    for span in document.spans:
        print(span.kind, span.source.slice(document.source_text), span.status)
    findings = mt.check_trace(document)

``import mt`` loads no model and imports nothing heavy: every name below is
imported on first use. (The functions are not called ``translate``, ``align``
and ``check``: those are the subpackages ``mt.translate``, ``mt.align`` and
the module ``mt.check``, which importing would bind over them.)
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from mt._version import __version__

if TYPE_CHECKING:
    from mt.check import Finding
    from mt.translate.translator import Translator
    from mt.types import TraceDocument

__all__ = [
    "ArgumentError",
    "Finding",
    "InputError",
    "MissingExtraError",
    "ModelError",
    "MtError",
    "TraceError",
    "Signature",
    "Span",
    "TraceDocument",
    "__version__",
    "align_texts",
    "check_trace",
    "load_translator",
    "translate_text",
]
_LAZY = {"ArgumentError": "mt.errors", "Finding": "mt.check", "InputError": "mt.errors",
         "MissingExtraError": "mt.errors", "ModelError": "mt.errors", "MtError": "mt.errors",
         "TraceError": "mt.errors", "Signature": "mt.types", "Span": "mt.types",
         "TraceDocument": "mt.types", "load_translator": "mt.translate"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mt' has no attribute {name!r}")


@lru_cache(maxsize=2)
def _translator(model: str | None, word_links: str) -> Translator:
    from mt.translate import load_translator

    return load_translator(model, word_links=word_links)


def translate_text(text: str, model: str | None = None, word_links: str = "aligner"
              ) -> TraceDocument:
    """The trace document of an Arabic ``text`` (as ``mt translate --format json`` writes it,
    each segment's quality estimate included).

    ``model`` is a MarianMT directory or hub id (default: as ``mt translate``);
    the model is loaded once and kept for the next call. ``load_translator``
    gives full control (backend, beam, threads).
    """
    from mt.quality import estimator_for, with_quality
    from mt.trace import trace_translation

    translator = _translator(model, word_links)
    return trace_translation(with_quality(translator.translate_document(text),
                                          estimator_for(translator)), translator.glossary)


def align_texts(arabic: str, english: str) -> TraceDocument:
    """The trace document of an Arabic text and its existing English translation."""
    from mt.align.document import align_documents

    return align_documents(arabic, english)


def check_trace(document: TraceDocument | dict[str, Any] | str, similarity: bool = True,
                include_ok: bool = False) -> list[Finding]:
    """Findings of a trace document, as ``mt check`` reports them; ``similarity`` False
    skips the sentence encoder (no English sentence is judged far from its Arabic).

    ``document`` may also be its JSON, parsed or as text: it is validated first, and a
    ``TraceError`` (an ``InputError``) names the field that breaks the format.
    """
    from mt.check import check
    from mt.types import TraceDocument

    if isinstance(document, str):
        document = TraceDocument.loads(document)
    elif isinstance(document, dict):
        document = TraceDocument.from_json(document)
    return check(document, similarity, include_ok)
