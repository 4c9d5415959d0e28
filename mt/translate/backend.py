"""Backend results, what both backends share, and the transformers reference backend.

``quiet_transformers`` stays importable from here: a running ``mt train`` started
before it moved to ``mt.quiet`` imports it from here at its first checkpoint.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from mt.errors import ModelError
from mt.models import ModelRef
from mt.quiet import quiet_transformers
from mt.translate.links import ALIGNMENT_HEADS
from mt.translate.options import DecodeOptions

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Hypothesis:
    """One translated unit with what word links need.

    ``attention[t, s]`` is the weight target piece ``t`` gave source piece ``s``
    (special tokens excluded).
    """

    text: str
    score: float  # mean log-probability per target token
    source_pieces: list[str]
    target_pieces: list[str]
    attention: np.ndarray | None


@dataclass(frozen=True)
class Scored:
    """One of a beam's n best outputs: its text and mean log-probability per target token."""

    text: str
    score: float


_B = TypeVar("_B", bound="MarianBackend")


class Backend(Protocol):
    """A MarianMT decoder: pieces in, hypotheses out; its settings fixed at construction."""

    @property
    def name(self) -> str: ...  # the label in signatures: family and compute type

    @property
    def family(self) -> str: ...  # "ctranslate2" or "transformers"

    @property
    def compute_type(self) -> str | None: ...

    @property
    def model(self) -> ModelRef: ...

    @property
    def max_input_tokens(self) -> int: ...

    @property
    def max_positions(self) -> int: ...  # the checkpoint's positions: no sequence longer

    @property
    def options(self) -> DecodeOptions: ...

    @property
    def attention(self) -> bool: ...  # whether hypotheses carry attention (word links need it)

    def tokenize(self, text: str) -> list[str]: ...

    def translate_batch(self, texts: list[str]) -> list[Hypothesis]: ...

    def nbest(self, texts: list[str], n: int) -> list[list[Scored]]: ...

    def configured(self, options: DecodeOptions | None = None,
                   attention: bool | None = None) -> Backend: ...


class MarianBackend:
    """What both backends share: Marian's sentencepiece pieces and the guarded decode."""

    family: str
    compute_type: str | None = None
    model: ModelRef
    tokenizer: Any
    options: DecodeOptions
    attention: bool
    max_positions: int
    max_input_tokens: int

    @property
    def name(self) -> str:
        return "-".join(p for p in (self.family, self.compute_type) if p)

    def configured(self: _B, options: DecodeOptions | None = None,
                   attention: bool | None = None) -> _B:
        """A new backend over the same loaded model with other decoding settings (this one
        is left as it is): a decoding grid or a plain-text route needs no second model."""
        other = copy.copy(self)
        other.options = self.options if options is None else options
        other.attention = self.attention if attention is None else attention
        return other

    def tokenize(self, text: str) -> list[str]:
        return self.tokenizer.tokenize(text)

    def decode_limit(self, source_tokens: int) -> int:
        """Target pieces at most, for a batch whose longest source has ``source_tokens``
        (``</s>`` included): the options' limit, within the positions the decoder has
        after its start token."""
        return min(self.options.max_new_tokens(source_tokens), self.max_positions - 1)

    def translate_batch(self, texts: list[str]) -> list[Hypothesis]:
        from mt.translate.guard import guarded

        return guarded(self._decode, self.tokenizer.convert_tokens_to_string, texts,
                       self.options)

    def nbest(self, texts: list[str], n: int) -> list[list[Scored]]:
        """The ``n`` best outputs of the beam for each text, best first (the beam is widened
        to ``n`` when narrower). Raw beam outputs: ``translate_batch``'s stutter guard
        is not applied, so rank 1 is what the model scores best, not always its text."""
        if n < 1:
            raise ValueError(f"n-best: n must be at least 1, not {n}")
        return self._nbest(texts, n) if texts else []

    def _decode(self, texts: list[str]) -> list[Hypothesis]:
        raise NotImplementedError

    def _nbest(self, texts: list[str], n: int) -> list[list[Scored]]:
        raise NotImplementedError


class TransformersBackend(MarianBackend):
    """The reference backend: ``MarianMTModel.generate`` and a forced pass for attention."""

    family = "transformers"

    def __init__(self, model: ModelRef, options: DecodeOptions | None = None,
                 threads: int | None = None, device: str = "auto",
                 attention: bool = True) -> None:
        import torch
        from transformers import MarianMTModel, MarianTokenizer

        from mt.device import resolve_device

        self.device = resolve_device(device, "torch")
        quiet_transformers()
        if threads:
            torch.set_num_threads(threads)
        try:
            self.tokenizer = MarianTokenizer.from_pretrained(model.load_id)
            self.network = MarianMTModel.from_pretrained(model.load_id,
                                                         attn_implementation="eager")
        except (OSError, ValueError) as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc)
            raise ModelError(f"{model.name}: cannot load a MarianMT model ({first_line}); "
                             "give a save_pretrained directory or a cached hub id") from None
        # torch's own .to(): transformers' wrapper of it is typed for no device argument
        torch.nn.Module.to(self.network.eval(), self.device)
        self.model = model
        self.options = options or DecodeOptions()
        self.attention = attention
        limit = getattr(self.network.config, "max_position_embeddings", 512)
        self.max_positions = min(limit, self.tokenizer.model_max_length)
        self.max_input_tokens = self.max_positions - 1

    def _generate_settings(self, source_len: int) -> dict[str, Any]:
        """``generate``'s settings as CTranslate2 applies them: stop when beam_size
        hypotheses ended, penalties on log-probabilities without renormalising, and no
        </s> forced at the length limit."""
        options, config = self.options, self.network.config
        return dict(num_beams=options.beam_size, do_sample=False,
                    length_penalty=options.length_penalty, early_stopping=True,
                    no_repeat_ngram_size=options.no_repeat_ngram_size,
                    bad_words_ids=[[config.pad_token_id], [self.tokenizer.unk_token_id]],
                    renormalize_logits=False, forced_eos_token_id=None,
                    max_new_tokens=self.decode_limit(source_len), max_length=None,
                    min_length=0)

    def _nbest(self, texts: list[str], n: int) -> list[list[Scored]]:
        import torch

        batch = self.tokenizer(texts, return_tensors="pt", padding=True).to(self.device)
        settings = self._generate_settings(batch["input_ids"].shape[1])
        settings["num_beams"] = max(settings["num_beams"], n)
        with torch.inference_mode():
            out = self.network.generate(**batch, **settings, num_return_sequences=n,
                                        output_scores=True, return_dict_in_generate=True)
        texts_out = self.tokenizer.batch_decode(out.sequences, skip_special_tokens=True)
        scores = out.sequences_scores.tolist()
        return [[Scored(texts_out[row * n + k].strip(), float(scores[row * n + k]))
                 for k in range(n)] for row in range(len(texts))]

    def _decode(self, texts: list[str]) -> list[Hypothesis]:
        import torch

        tokenizer, model = self.tokenizer, self.network
        batch = tokenizer(texts, return_tensors="pt", padding=True).to(self.device)
        source_len = batch["input_ids"].shape[1]
        with torch.inference_mode():
            generated = model.generate(**batch, **self._generate_settings(source_len))
            forced = model(**batch, decoder_input_ids=generated[:, :-1],
                           output_attentions=self.attention)
        targets = generated[:, 1:]
        log_probs = torch.log_softmax(forced.logits.float(), dim=-1)
        token_scores = log_probs.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
        # [batch, target, source]
        attention = ALIGNMENT_HEADS.select(forced.cross_attentions) if self.attention else None
        eos, pad = model.config.eos_token_id, model.config.pad_token_id
        hypotheses = []
        for row, text in enumerate(texts):
            ids = targets[row].tolist()
            length = ids.index(eos) if eos in ids else len(ids)  # tokens before </s>
            while length and ids[length - 1] == pad:
                length -= 1
            scored = min(length + 1, len(ids))
            n_source = int(batch["attention_mask"][row].sum()) - 1  # without </s>
            pieces = tokenizer.convert_ids_to_tokens(ids[:length])
            hypotheses.append(Hypothesis(
                text=tokenizer.convert_tokens_to_string(pieces).strip(),
                score=float(token_scores[row, :scored].mean()) if scored else 0.0,
                source_pieces=self.tokenize(text)[:n_source],
                target_pieces=pieces,
                attention=None if attention is None
                else attention[row, :length, :n_source].cpu().numpy(),
            ))
        return hypotheses
