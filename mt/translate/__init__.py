"""Translation: backends, the streaming translator, and a loader that wires them.

Importing this package loads no model and no numerical library: the names
below are imported when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from mt.translate.options import BEAM_SIZE

if TYPE_CHECKING:
    from mt.glossary import Glossary
    from mt.models import ModelRef
    from mt.translate.translator import Translator

__all__ = [
    "BACKENDS",
    "BEAM_SIZE",
    "COMPUTE_TYPES",
    "Backend",
    "DecodeOptions",
    "Hypothesis",
    "Scored",
    "Translation",
    "Translator",
    "TranslatorOptions",
    "TransformersBackend",
    "WORD_LINKS",
    "load_translator",
    "split_long",
]
BACKENDS = ("auto", "ctranslate2", "transformers")  # auto: CTranslate2 where installed
COMPUTE_TYPES = ("int8", "int8_float32", "int16", "float32", "auto")  # CTranslate2 quantisation
WORD_LINKS = ("aligner", "attention", "none")  # none: text only, no attention asked for
_LAZY = {"Backend": "backend", "DecodeOptions": "options", "Hypothesis": "backend",
         "Scored": "backend",
         "TransformersBackend": "backend", "Translation": "translator",
         "Translator": "translator", "TranslatorOptions": "options",
         "split_long": "translator"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"mt.translate.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'mt.translate' has no attribute {name!r}")


def _ctranslate2_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("ctranslate2") is not None


def load_translator(model: str | ModelRef | None = None, beam_size: int = BEAM_SIZE,
                    max_batch_tokens: int = 2048, threads: int | None = None,
                    backend: str = "auto", compute_type: str = "int8",
                    word_links: str = "aligner", device: str = "auto",
                    window: int = 256, facts: bool = True,
                    glossary: Glossary | None = None) -> Translator:
    """A translator for ``model`` (a directory, a hub id, a resolved ``ModelRef``, or None
    for the default chain, see ``mt.models``).

    ``backend="auto"`` takes CTranslate2 when it is installed (``compute_type``
    int8 by default) and transformers otherwise. ``word_links="aligner"`` (the
    default) takes word links from the statistical aligner (seeded eflomal) with
    the model's attention as hints, falling back to attention alone, with a
    warning, where the aligner is not installed; ``"attention"`` takes the
    attention alone (see eval/RESULTS.md for how the two compare); ``"none"`` asks
    the backend for no attention (for text and scores alone) unless ``facts`` are on,
    which put names and numbers right where the attention links them. ``device`` is
    ``auto`` (CUDA when the backend sees one), ``cpu`` or ``cuda``. ``window`` is how
    many source units are read ahead between progress reports. ``facts`` (default)
    puts Latin words, URLs, code, entities and emoji in byte for byte, and the terms of
    a ``glossary`` in their English (``mt.facts``, ``mt.glossary``; signed
    ``glossary:NAME``), and writes in the names of the names table and the numbers
    the model lost or changed (``mt.translate.repair``); False leaves them all to the
    model (signed ``facts:off``).
    """
    from mt.errors import ArgumentError, one_of
    from mt.models import ModelRef, resolve_model
    from mt.translate.backend import Backend, TransformersBackend
    from mt.translate.options import DecodeOptions, TranslatorOptions
    from mt.translate.translator import Translator

    if word_links not in WORD_LINKS:
        raise ArgumentError(f"word_links {word_links!r}: unknown; choose from "
                            f"{one_of(WORD_LINKS)}")
    if backend not in BACKENDS:
        raise ArgumentError(f"backend {backend!r}: unknown; choose from {one_of(BACKENDS)}")
    ref = model if isinstance(model, ModelRef) else resolve_model(model)
    options = DecodeOptions(beam_size=beam_size)
    attention = word_links != "none" or facts  # facts are put right where attention links them
    engine: Backend
    if backend == "ctranslate2" or (backend == "auto" and _ctranslate2_available()):
        from mt.translate.ct2 import CTranslate2Backend

        engine = CTranslate2Backend(ref, options, compute_type=compute_type, threads=threads,
                                    device=device, attention=attention)
    else:
        engine = TransformersBackend(ref, options, threads=threads, device=device,
                                     attention=attention)
    aligner = None
    if word_links == "aligner":  # imported only then: text alone needs no aligner
        from mt.align.words import optional_aligner

        aligner = optional_aligner(None, "word links from the model's attention")
    return Translator(engine, TranslatorOptions(max_batch_tokens=max_batch_tokens,
                                                window=window), aligner, facts, glossary)
