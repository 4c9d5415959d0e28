"""The fast CPU backend: CTranslate2, with a cached conversion of any MarianMT checkpoint.

The conversion (float32) is done once and cached keyed by the weights' hash:
inside the model directory when it is writable (``.ct2-HASH``), else under
``~/.cache/mt/ctranslate2/``. Quantisation (int8 by default) happens when the
converted model is loaded, so one conversion serves every ``--compute-type``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from mt.errors import MissingExtraError, ModelError
from mt.models import ModelRef, cache_root, max_positions, model_hash
from mt.translate.backend import DecodeOptions, Hypothesis, MarianBackend, quiet_transformers
from mt.translate.links import ALIGNMENT_HEADS, AlignmentHeads
from mt.translate.marian_start import START_TOKEN, pad_start_marian, starts_from_pad

log = logging.getLogger("mt")


def _cache_root() -> Path:
    return cache_root() / "ctranslate2"


def conversion_dir(model: ModelRef) -> Path:
    """Where the converted model for ``model`` lives (whether or not it exists yet)."""
    heads = ALIGNMENT_HEADS
    digest = f"{model_hash(model.path)}-a{heads.layer}h{heads.heads}"  # attention is baked in
    if model.path is not None and os.access(model.path, os.W_OK):
        return model.path / f".ct2-{digest}"
    return _cache_root() / f"{model.name.replace('/', '--')}-{digest}"


def convert(model: ModelRef, output: Path | None = None, force: bool = False) -> Path:
    """Convert ``model`` to CTranslate2 (float32) unless a conversion is cached."""
    target = output or conversion_dir(model)
    if (target / "model.bin").is_file() and not force and starts_from_pad(
            json.loads((target / "config.json").read_text("utf-8"))):
        return target
    try:  # the converter imports torch and transformers: only when converting
        converter = _converter(model.load_id)
    except ImportError:
        raise MissingExtraError("ctranslate2", "ctranslate2>=4.3") from None
    quiet_transformers()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Convert into a temporary sibling and rename, so a killed run leaves no half model.
        staging = Path(tempfile.mkdtemp(prefix=".ct2-tmp-", dir=target.parent))
    except OSError as exc:
        raise ModelError(f"{target.parent}: cannot write the CTranslate2 conversion there "
                         f"({exc.strerror}); set MT_CACHE to a writable folder or use "
                         "--backend transformers") from None
    try:
        log.info("converting %s to CTranslate2 in %s", model.name, target)
        with pad_start_marian():
            converter.convert(str(staging), force=True)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
        if output is None and model.path is not None and target.parent == model.path:
            for stale in model.path.glob(".ct2-*"):  # conversions of earlier weights
                if stale != target:
                    shutil.rmtree(stale, ignore_errors=True)
    except (OSError, ValueError) as exc:
        raise ModelError(f"{model.name}: CTranslate2 conversion failed ({exc}); "
                         "use --backend transformers") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _converter(load_id: str, heads: AlignmentHeads = ALIGNMENT_HEADS) -> Any:
    """The transformers converter, for a model that returns ``heads``' attention."""
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

    name = "ctranslate2"

    def __init__(self, model: ModelRef, options: DecodeOptions | None = None,
                 compute_type: str = "int8", threads: int | None = None) -> None:
        import ctranslate2

        self.tokenizer = _tokenizer(model)
        path = convert(model)
        self.translator = ctranslate2.Translator(
            str(path), device="cpu", compute_type=compute_type,
            intra_threads=threads or min(4, os.cpu_count() or 1), inter_threads=1,
        )
        self.options = options or DecodeOptions()
        self.compute_type = compute_type
        self.name = f"ctranslate2-{compute_type}"
        self.max_positions = min(max_positions(model), self.tokenizer.model_max_length)
        self.max_input_tokens = self.max_positions - 1

    def _decode(self, texts: list[str]) -> list[Hypothesis]:
        import numpy as np

        options = self.options
        sources = [self.tokenize(text) for text in texts]
        # The limit is the batch's, as the reference backend's padded batch has it.
        limit = min(options.max_new_tokens(max(map(len, sources), default=0) + 1),
                    self.max_positions - 1)  # the decoder's start token takes a position
        results = self.translator.translate_batch(
            [pieces + [self.tokenizer.eos_token] for pieces in sources],
            beam_size=options.beam_size, length_penalty=options.length_penalty,
            no_repeat_ngram_size=options.no_repeat_ngram_size,
            disable_unk=True, suppress_sequences=[[START_TOKEN]],
            max_decoding_length=limit, max_input_length=0, return_scores=True,
            return_attention=True,
        )
        hypotheses = []
        for pieces, result in zip(sources, results, strict=True):
            target = result.hypotheses[0]
            attention = np.asarray(result.attention[0], dtype=np.float32)
            hypotheses.append(Hypothesis(
                text=self.tokenizer.convert_tokens_to_string(target).strip(),
                score=float(result.scores[0]),
                source_pieces=pieces,
                target_pieces=target,
                attention=attention[:len(target), :len(pieces)] if attention.size else None,
            ))
        return hypotheses
