"""Translation: backends, the streaming translator, and a loader that wires them."""

from __future__ import annotations

from mt.models import model_hash, resolve_model
from mt.translate.backend import Backend, DecodeOptions, Hypothesis, TransformersBackend
from mt.translate.translator import Translation, Translator, split_long

__all__ = [
    "Backend",
    "DecodeOptions",
    "Hypothesis",
    "Translation",
    "Translator",
    "TransformersBackend",
    "load_translator",
    "split_long",
]


def load_translator(model: str | None = None, beam_size: int = 4,
                    max_batch_tokens: int = 2048, threads: int | None = None) -> Translator:
    """A translator for ``model`` (a directory, a hub id, or None for the default)."""
    ref = resolve_model(model)
    options = DecodeOptions(beam_size=beam_size)
    backend = TransformersBackend(ref, options, threads=threads)
    return Translator(backend, ref.name, model_hash(ref.path), options.label,
                      max_batch_tokens=max_batch_tokens)
