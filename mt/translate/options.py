"""Decoding and batching settings: plain values, fixed at construction, no model loaded.

``BEAM_SIZE`` and these dataclasses are what the CLI, training (the exported
model's generation defaults) and the backends share.
"""

from __future__ import annotations

from dataclasses import dataclass

BEAM_SIZE = 6  # the default beam: beat 4 on dev BLEU and chrF (eval/RESULTS.md, Decoding)


@dataclass(frozen=True)
class DecodeOptions:
    """Decoding settings, applied alike by every backend; part of every signature.

    Beam search stops once ``beam_size`` hypotheses have ended and ranks them by
    log-probability divided by ``length ** length_penalty``; ``<unk>`` is never
    produced. With ``guard``, repeats in a hypothesis that stutters are cut (see
    ``mt.translate.guard``).
    """

    beam_size: int = BEAM_SIZE
    length_penalty: float = 1.0
    no_repeat_ngram_size: int = 4  # guards against Marian's repetition loops
    max_length_ratio: float = 2.0  # target tokens at most ratio * source tokens + 10
    guard: bool = True

    def max_new_tokens(self, source_tokens: int) -> int:
        """The decoding limit for a source of ``source_tokens`` pieces (``</s>`` included)."""
        return int(source_tokens * self.max_length_ratio) + 10



@dataclass(frozen=True)
class TranslatorOptions:
    """How a translator batches its work; none of it changes a translation."""

    max_batch_tokens: int = 2048  # padded source tokens per batch
    max_batch_size: int = 32
    max_input_tokens: int = 256  # longer units are split (and the model's limit applies)
    window: int = 256  # source units read ahead, sorted by length, between progress reports
