"""From subword attention to word links with character offsets on both sides.

The Marian tokenizer has no offset mapping, so pieces are placed on the text
by walking it: a piece's surface (without ``▁``) is matched after any
whitespace. Where sentencepiece normalised a character (NFKC), the walk still
advances by the piece's length, so offsets stay inside the right word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mt.segment import split_words
from mt.types import Span, WordLink

WORD_BOUNDARY = "▁"
MIN_LINK_SCORE = 0.05


@dataclass(frozen=True)
class AlignmentHeads:
    """Which cross-attention heads give the word links: the first ``heads`` of one layer.

    This is the family CTranslate2 can return (its ``alignment_layer`` and
    ``alignment_heads``), so both backends give the same links.
    """

    layer: int = -1  # decoder layer; negative counts from the top
    heads: int = 0  # the first N heads, averaged; 0: all of them

    @property
    def label(self) -> str:
        return f"layer{self.layer}/heads-{self.heads or 'all'}"

    def select(self, cross_attentions: Sequence[Any]) -> Any:
        """``[batch, target, source]`` from transformers' per-layer ``[batch, head, t, s]``."""
        layer = cross_attentions[self.layer]
        return layer[:, :self.heads or None].mean(dim=1)


# Chosen on the tuning half of gold_dev for the embedded model (eval/word_links.py): the
# top decoder layer's heads together align better than any one head and than all layers.
ALIGNMENT_HEADS = AlignmentHeads(layer=-1, heads=0)


def piece_spans(text: str, pieces: Sequence[str]) -> list[Span | None]:
    """Where each sentencepiece piece lies in ``text`` (None for a bare ``▁``)."""
    spans: list[Span | None] = []
    position = 0
    for piece in pieces:
        surface = piece.replace(WORD_BOUNDARY, "")
        while position < len(text) and text[position].isspace():
            position += 1
        if not surface or position >= len(text):
            spans.append(None)
            continue
        end = min(position + len(surface), len(text))
        spans.append(Span(position, end))
        position = end
    return spans


def _word_of_piece(words: list[Span], spans: list[Span | None]) -> list[int]:
    """The index of the word each piece starts in, or -1."""
    owner = {}
    for index, word in enumerate(words):
        for char in range(word.start, word.end):
            owner[char] = index
    return [owner.get(span.start, -1) if span is not None else -1 for span in spans]


def _is_content(text: str, span: Span) -> bool:
    return any(char.isalnum() for char in span.slice(text))


def word_links(source: str, source_pieces: Sequence[str], target: str,
               target_pieces: Sequence[str], attention: np.ndarray
               ) -> list[WordLink]:
    """Each content word of ``target`` linked to the source word it attended to most.

    Word-to-word weight is the mean over the target word's pieces of the
    attention summed over the source word's pieces.
    """
    source_words = [w for w in split_words(source) if _is_content(source, w)]
    target_words = [w for w in split_words(target) if _is_content(target, w)]
    if not source_words or not target_words or attention.size == 0:
        return []
    source_owner = _word_of_piece(source_words, piece_spans(source, source_pieces))
    target_owner = _word_of_piece(target_words, piece_spans(target, target_pieces))
    weights = np.zeros((len(target_words), len(source_words)))
    counts = np.zeros(len(target_words))
    rows, columns = attention.shape
    for t in range(min(rows, len(target_owner))):
        tw = target_owner[t]
        if tw < 0:
            continue
        counts[tw] += 1
        for s in range(min(columns, len(source_owner))):
            if source_owner[s] >= 0:
                weights[tw, source_owner[s]] += attention[t, s]
    links = []
    for tw, total in enumerate(counts):
        if not total:
            continue
        row = weights[tw] / total
        best = int(row.argmax())
        if row[best] >= MIN_LINK_SCORE:
            links.append(WordLink(source_words[best], target_words[tw], float(row[best])))
    return links
