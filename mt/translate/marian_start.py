"""Convert MarianMT to CTranslate2 so that decoding starts where transformers starts it.

CTranslate2's Marian converter drops the ``<pad>`` row and starts the decoder
from a zero vector, as Marian proper does. A checkpoint converted from Marian
(opus-mt) has a zero ``<pad>`` embedding, so that is exact; one trained with
transformers (``mt train``, with embeddings tied to the output layer) has a
learned one, and its conversion decoded a different first step: it dropped
the first word of nearly every sentence ("said he will visit Russia"). This
loader keeps ``<pad>`` and starts from its embedding, which is the same thing
for opus-mt and the right thing for everything else; the backend then bans
``<pad>`` as an output, as transformers' generation config does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

START_TOKEN = "<pad>"


def _loader_class() -> type:
    from ctranslate2.converters.transformers import BartLoader, MarianMTLoader

    class PadStartMarianLoader(MarianMTLoader):
        def get_model_spec(self, model):  # noqa: ANN001, ANN202
            model.config.normalize_before = False
            model.config.normalize_embedding = False
            return BartLoader.get_model_spec(self, model)  # <pad>'s weights kept

        def set_config(self, config, model, tokenizer) -> None:  # noqa: ANN001
            super().set_config(config, model, tokenizer)
            config.decoder_start_token = tokenizer.pad_token

        def set_decoder(self, spec, decoder) -> None:  # noqa: ANN001
            super().set_decoder(spec, decoder)
            spec.start_from_zero_embedding = False

        def get_vocabulary(self, model, tokenizer) -> list[str]:  # noqa: ANN001
            return BartLoader.get_vocabulary(self, model, tokenizer)  # <pad> kept

    return PadStartMarianLoader


@contextlib.contextmanager
def pad_start_marian() -> Iterator[None]:
    """Within this block, CTranslate2 converts MarianMT with ``PadStartMarianLoader``."""
    from ctranslate2.converters import transformers as converters

    original = converters._MODEL_LOADERS["MarianConfig"]
    converters._MODEL_LOADERS["MarianConfig"] = _loader_class()()
    try:
        yield
    finally:
        converters._MODEL_LOADERS["MarianConfig"] = original


def starts_from_pad(converted_config: dict) -> bool:
    """Whether a conversion (its ``config.json``) was made by this loader."""
    return converted_config.get("decoder_start_token") == START_TOKEN
