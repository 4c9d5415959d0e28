"""The fast backend: CTranslate2 over a cached conversion (``mt.translate.conversion``)
of any MarianMT checkpoint, on CPU or CUDA."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from mt.device import resolve_device
from mt.models import ModelRef, max_positions
from mt.quiet import quiet_transformers
from mt.translate.backend import Hypothesis, MarianBackend, Scored
from mt.translate.conversion import convert
from mt.translate.links import ALIGNMENT_HEADS, AlignmentHeads
from mt.translate.marian_start import START_TOKEN
from mt.translate.options import DecodeOptions


def converter(load_id: str, heads: AlignmentHeads = ALIGNMENT_HEADS) -> Any:
    """The transformers converter, for a model that returns ``heads``' attention (public:
    eval/word_links.py converts with other heads to compare them)."""
    import numpy as np
    from ctranslate2.converters import TransformersConverter

    class Converter(TransformersConverter):
        def _load(self) -> Any:
            spec = super()._load()
            spec.decoder.alignment_layer = np.int16(heads.layer)
            spec.decoder.alignment_heads = np.int16(heads.heads)
            return spec

    return Converter(load_id)


class _SentencePieces:
    """Marian's tokenisation straight from ``source.spm``/``target.spm``.

    What ``MarianTokenizer`` does for a model without language codes, without
    importing transformers (a second or two of every process's start-up).
    """

    eos_token = "</s>"

    def __init__(self, directory: Path) -> None:
        import sentencepiece as spm

        self.source = spm.SentencePieceProcessor(model_file=str(directory / "source.spm"))
        self.target = spm.SentencePieceProcessor(model_file=str(directory / "target.spm"))
        config_file = directory / "tokenizer_config.json"
        config = json.loads(config_file.read_text("utf-8")) if config_file.is_file() else {}
        self.model_max_length = int(config.get("model_max_length", 512))

    def tokenize(self, text: str) -> list[str]:
        return self.source.encode(text, out_type=str)

    def convert_tokens_to_string(self, pieces: list[str]) -> str:
        return self.target.decode_pieces(pieces)


def _tokenizer(model: ModelRef) -> Any:
    """sentencepiece directly when the model directory has its files, else MarianTokenizer."""
    if model.path is not None and (model.path / "source.spm").is_file() \
            and (model.path / "target.spm").is_file():
        return _SentencePieces(model.path)
    from transformers import MarianTokenizer

    quiet_transformers()
    return MarianTokenizer.from_pretrained(model.load_id)


class CTranslate2Backend(MarianBackend):
    """MarianMT decoding with CTranslate2; same pieces and attention as the reference."""

    family = "ctranslate2"

    def __init__(self, model: ModelRef, options: DecodeOptions | None = None,
                 compute_type: str = "int8", threads: int | None = None,
                 device: str = "auto", attention: bool = True) -> None:
        import ctranslate2

        self.device = resolve_device(device, "ctranslate2")
        self.tokenizer = _tokenizer(model)
        path = convert(model)
        self.translator = ctranslate2.Translator(
            str(path), device=self.device, compute_type=compute_type,
            intra_threads=threads or min(4, os.cpu_count() or 1), inter_threads=1,
        )
        self.model = model
        self.options = options or DecodeOptions()
        self.attention = attention
        self.compute_type = compute_type
        self.max_positions = min(max_positions(model), self.tokenizer.model_max_length)
        self.max_input_tokens = self.max_positions - 1

    def _search(self, sources: list[list[str]], n: int = 1, attention: bool = False) -> Any:
        """CTranslate2's beam search over pieces: its ``n`` best (the beam at least ``n``)."""
        options = self.options
        # The limit is the batch's, as the reference backend's padded batch has it.
        limit = self.decode_limit(max(map(len, sources), default=0) + 1)
        return self.translator.translate_batch(
            [pieces + [self.tokenizer.eos_token] for pieces in sources],
            beam_size=max(options.beam_size, n), length_penalty=options.length_penalty,
            no_repeat_ngram_size=options.no_repeat_ngram_size,
            disable_unk=True, suppress_sequences=[[START_TOKEN]],
            max_decoding_length=limit, max_input_length=0, return_scores=True,
            return_attention=attention, num_hypotheses=n,
        )

    def _nbest(self, texts: list[str], n: int) -> list[list[Scored]]:
        results = self._search([self.tokenize(text) for text in texts], n)
        return [[Scored(self.tokenizer.convert_tokens_to_string(pieces).strip(), float(score))
                 for pieces, score in zip(result.hypotheses, result.scores, strict=True)]
                for result in results]

    def _decode(self, texts: list[str]) -> list[Hypothesis]:
        import numpy as np

        sources = [self.tokenize(text) for text in texts]
        results = self._search(sources, attention=self.attention)
        hypotheses = []
        for pieces, result in zip(sources, results, strict=True):
            target = result.hypotheses[0]
            attention = np.asarray(result.attention[0] if self.attention else [],
                                   dtype=np.float32)
            hypotheses.append(Hypothesis(
                text=self.tokenizer.convert_tokens_to_string(target).strip(),
                score=float(result.scores[0]),
                source_pieces=pieces,
                target_pieces=target,
                attention=attention[:len(target), :len(pieces)] if attention.size else None,
            ))
        return hypotheses
