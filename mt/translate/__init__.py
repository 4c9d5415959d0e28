"""Translation: backends, the streaming translator, and a loader that wires them.

Importing this package loads no model and no numerical library: the names
below are imported when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mt.translate.translator import Translator

__all__ = [
    "BACKENDS",
    "COMPUTE_TYPES",
    "Backend",
    "DecodeOptions",
    "Hypothesis",
    "Translation",
    "Translator",
    "TransformersBackend",
    "WORD_LINKS",
    "load_translator",
    "split_long",
]
BACKENDS = ("auto", "ctranslate2", "transformers")  # auto: CTranslate2 where installed
COMPUTE_TYPES = ("int8", "int8_float32", "int16", "float32", "auto")  # CTranslate2 quantisation
WORD_LINKS = ("aligner", "attention")
_LAZY = {"Backend": "backend", "DecodeOptions": "backend", "Hypothesis": "backend",
         "TransformersBackend": "backend", "Translation": "translator",
         "Translator": "translator", "split_long": "translator"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"mt.translate.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'mt.translate' has no attribute {name!r}")


def _ctranslate2_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("ctranslate2") is not None


def _word_aligner():  # noqa: ANN202
    """The shipped word aligner (``models/align``), or None, with a note, where it is absent."""
    import logging

    from mt.align.words import load_aligner
    from mt.errors import ModelError
    from mt.models import models_dir

    try:
        return load_aligner(str(models_dir() / "align"))
    except ModelError as exc:
        logging.getLogger("mt").warning("word links from the model's attention: %s", exc)
        return None


def load_translator(model: str | None = None, beam_size: int = 4,
                    max_batch_tokens: int = 2048, threads: int | None = None,
                    backend: str = "auto", compute_type: str = "int8",
                    word_links: str = "aligner") -> Translator:
    """A translator for ``model`` (a directory, a hub id, or None for the default).

    ``backend="auto"`` takes CTranslate2 when it is installed (``compute_type``
    int8 by default) and transformers otherwise. ``word_links="aligner"`` (the
    default) takes word links from the statistical aligner (seeded eflomal) with
    the model's attention as hints, falling back to attention alone, with a
    warning, where the aligner is not installed; ``"attention"`` takes the
    attention alone (see eval/RESULTS.md for how the two compare).
    """
    from mt.models import model_hash, resolve_model
    from mt.translate.backend import Backend, DecodeOptions, TransformersBackend
    from mt.translate.translator import Translator

    if word_links not in WORD_LINKS:
        raise ValueError(f"unknown word_links {word_links!r}; choose from {', '.join(WORD_LINKS)}")
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")
    ref = resolve_model(model)
    options = DecodeOptions(beam_size=beam_size)
    engine: Backend
    if backend == "ctranslate2" or (backend == "auto" and _ctranslate2_available()):
        from mt.translate.ct2 import CTranslate2Backend

        engine = CTranslate2Backend(ref, options, compute_type=compute_type, threads=threads)
    else:
        engine = TransformersBackend(ref, options, threads=threads)
    aligner = _word_aligner() if word_links == "aligner" else None
    return Translator(engine, ref.name, model_hash(ref.path), options.label,
                      max_batch_tokens=max_batch_tokens, word_aligner=aligner)
