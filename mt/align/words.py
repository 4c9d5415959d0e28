"""Word alignment of any Arabic–English sentence pair, with character offsets on both sides.

``align_words(source, target)`` links the words of ``mt.segment.split_words``
(never subwords) and returns ``WordLink(source_span, target_span, score)``
items whose spans index the texts exactly as given. It combines:

1. eflomal, started from the priors learnt on the shared parallel corpora and
   lexicons (``models/align``, built by ``python -m mt.align.build``), on
   Arabic words with clitics split off (``mt.align.tokens``), both directions
   symmetrised with grow-diag-final-and;
2. exact anchors (``mt.align.anchors``): equal numbers in any script or
   notation, equal Latin strings, matching punctuation. An anchored word keeps
   only its anchor links, and a word is never linked to a punctuation mark;
3. transliteration similarity (``mt.translit``) for names and loanwords
   that no table knows, both as a prior for eflomal and as a link between two
   words left unlinked;
4. optional ``hints``: ``(source span, target span, score)`` links from
   elsewhere, e.g. a translation's attention links (``Translation.links``,
   shifted to the texts given here), which link words still unlinked;
5. English function words that Arabic writes inside another word
   (``mt.align.attach``): ``the`` joins its noun, an unlinked subject pronoun
   its verb, and ``a``/``an`` link nowhere.

Scores: 1.0 for an anchor, 0.9 for a link both eflomal directions agree on,
0.6 for one grown from a single direction, the similarity for a
transliteration, a hint's own score for a hint, 0.5 for an attached function
word.

eflomal samples, seeded (``mt.align.statistical``): the same input gives the
same links run after run.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

from mt.align.anchors import ANCHOR_SCORE, find_anchors
from mt.align.attach import attach_function_words
from mt.align.priors import Priors
from mt.align.statistical import MAX_TOKENS, run_eflomal
from mt.align.symmetrize import Pair, grow_diag_final_and
from mt.align.tokens import Segmenter, Tokens, tokenize_arabic, tokenize_english
from mt.arabic import has_arabic
from mt.errors import ModelError
from mt.paths import aligner_dir
from mt.translit import similarity
from mt.types import Span, WordLink

log = logging.getLogger("mt")

Hint = tuple[Span, Span, float]  # (source span, target span, score); a WordLink is one
AGREED_SCORE = 0.9
GROWN_SCORE = 0.6
MIN_TRANSLIT_LETTERS = 3
CHUNK = 2000  # sentence pairs per eflomal run in align_iter


@dataclass(frozen=True)
class AlignerSettings:
    """The aligner's settings besides its tables; eval/word_alignment.py tunes them on
    gold_dev's tuning half (eval/PROTOCOL.md)."""

    translit_link: float = 0.8  # similarity at which two unlinked words are linked
    translit_prior: float = 0.7  # similarity at which eflomal is told they may be one name
    translit_prior_weight: float = 5.0
    identical_prior_weight: float = 5.0
    null_prior: float = 0.2  # eflomal's prior on a word aligned to nothing
    # The priors carry the model, so a few iterations are enough (measured on gold_dev: 200
    # iterations are no better than 20). Now that runs are seeded, more samplers buy nothing
    # either: on gold_dev's tuning half, over 4 seeds, 8 samplers gave AER 0.142, 2 gave
    # 0.140, at 2.5 times the cost inside `mt translate`.
    samplers: int = 2
    iterations: tuple[int, int, int] = (5, 5, 20)  # IBM1, HMM, HMM + fertility


class WordAligner:
    """The aligner over one model directory (default ``models/align``), loaded once."""

    def __init__(self, model_dir: str | Path | None = None,
                 settings: AlignerSettings = AlignerSettings()) -> None:
        self.settings = settings
        self.model_dir = Path(model_dir) if model_dir else aligner_dir()
        meta_file = self.model_dir / "model.json"
        if not meta_file.is_file():
            raise ModelError(f"{self.model_dir}: no word aligner here (model.json missing); "
                             "build it with python -m mt.align.build")
        self.meta = json.loads(meta_file.read_text(encoding="utf-8"))
        self.priors = Priors.load(self.model_dir / "priors.tsv.gz")
        self.segmenter = Segmenter(_read_counts(self.model_dir / "arabic_words.tsv.gz"))
        self.known_targets = {t for row in self.priors.lexical.values() for t in row}

    @property
    def signature(self) -> str:
        return f"eflomal-priors@{self.meta.get('sha256', 'unknown')}+anchors+translit+attach"

    def align(self, source: str, target: str, source_span: Span | None = None,
              target_span: Span | None = None,
              hints: Iterable[Hint] = ()) -> list[WordLink]:
        """Links between the words of ``source`` (Arabic) and ``target`` (English).

        With spans, only the words inside them are aligned (a segment of a
        document); the returned spans still index the whole texts.
        """
        return self.align_batch([(source, target)], [(source_span, target_span)], [hints])[0]

    def align_batch(self, pairs: Sequence[tuple[str, str]],
                    spans: Sequence[tuple[Span | None, Span | None]] | None = None,
                    hints: Sequence[Iterable[Hint]] | None = None) -> list[list[WordLink]]:
        """``align`` for many pairs in one eflomal run (faster, and as accurate)."""
        spans = spans or [(None, None)] * len(pairs)
        hints = hints or [()] * len(pairs)
        if not len(pairs) == len(spans) == len(hints):
            raise ValueError("pairs, spans and hints must have the same length")
        sources = [tokenize_arabic(s, a, self.segmenter) for (s, _), (a, _) in zip(pairs, spans,
                                                                                   strict=True)]
        targets = [tokenize_english(t, b) for (_, t), (_, b) in zip(pairs, spans, strict=True)]
        for number, (src, trg) in enumerate(zip(sources, targets, strict=True)):
            if max(len(src.tokens), len(trg.tokens)) > MAX_TOKENS:
                log.warning("pair %d: over %d tokens; eflomal aligns the first %d only",
                            number, MAX_TOKENS, MAX_TOKENS)
        forward, reverse = run_eflomal(
            [s.tokens for s in sources], [t.tokens for t in targets],
            self._priors_lines(pairs, sources, targets), samplers=self.settings.samplers,
            iterations=self.settings.iterations, null_prior=self.settings.null_prior)
        return [
            _combine(text, translation, src, trg, fwd, rev, source_span, target_span, hint,
                     self.settings.translit_link)
            for (text, translation), (source_span, target_span), src, trg, fwd, rev, hint
            in zip(pairs, spans, sources, targets, forward, reverse, hints, strict=True)
        ]

    def align_iter(self, pairs: Iterable[tuple[str, str]], chunk: int = CHUNK
                   ) -> Iterator[list[WordLink]]:
        """Links of each pair of a stream, in order, aligned ``chunk`` pairs at a time."""
        iterator = iter(pairs)
        while batch := list(islice(iterator, chunk)):
            yield from self.align_batch(batch)

    def _priors_lines(self, pairs: Sequence[tuple[str, str]], sources: Sequence[Tokens],
                      targets: Sequence[Tokens]) -> list[str]:
        """The shipped priors for this batch's words, plus names and identical strings."""
        source_vocabulary = {t for s in sources for t in s.tokens}
        target_vocabulary = {t for s in targets for t in s.tokens}
        lines = list(self.priors.lines(source_vocabulary, target_vocabulary))
        extra: dict[tuple[str, str], float] = {}
        for (text, translation), src, trg in zip(pairs, sources, targets, strict=True):
            for i, j, weight in self._string_evidence(text, translation, src, trg):
                pair = (src.tokens[i], trg.tokens[j])
                extra[pair] = max(extra.get(pair, 0.0), weight)
        lines.extend(f"LEX\t{s}\t{t}\t{w:g}\n" for (s, t), w in sorted(extra.items()))
        return lines

    def _string_evidence(self, source: str, target: str, src: Tokens, trg: Tokens
                         ) -> Iterator[tuple[int, int, float]]:
        """Token pairs that look alike: identical strings, or names that sound alike.

        Only a capitalised or unknown English word is compared by sound, so
        that common words never pass for names.
        """
        names = [j for j, token in enumerate(trg.tokens)
                 if token not in self.known_targets
                 or trg.words[trg.owners[j]].slice(target)[:1].isupper()]
        for i, token in enumerate(src.tokens):
            if not has_arabic(token):
                for j, other in enumerate(trg.tokens):
                    if token == other and any(c.isalnum() for c in token):
                        yield i, j, self.settings.identical_prior_weight
                continue
            floor = self.settings.translit_prior
            for j in names:
                other = trg.tokens[j]
                if _translit_candidate(token, other) and similarity(token, other, floor) \
                        >= floor:
                    yield i, j, self.settings.translit_prior_weight


def _read_counts(path: Path) -> dict[str, int]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            return {word: int(count) for word, count in
                    (line.rstrip("\n").split("\t") for line in stream)}
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read the aligner's word counts ({exc}); "
                         "rebuild them with python -m mt.align.build") from None


def _is_content(text: str, span: Span) -> bool:
    return any(char.isalnum() for char in span.slice(text))


def _translit_candidate(arabic: str, latin: str) -> bool:
    return (len(arabic) >= MIN_TRANSLIT_LETTERS and len(latin) >= MIN_TRANSLIT_LETTERS
            and not arabic.endswith("+") and not arabic.startswith("+") and latin.isalpha())


def _combine(source: str, target: str, src: Tokens, trg: Tokens, forward: set[Pair],
             reverse: set[Pair], source_span: Span | None, target_span: Span | None,
             hints: Iterable[Hint], translit_link: float) -> list[WordLink]:
    """eflomal's token links as word links, with anchors, names and hints added."""
    def words(links: set[Pair]) -> set[Pair]:
        return {(src.owners[i], trg.owners[j]) for i, j in links}

    fwd, rev = words(forward), words(reverse)
    scores = {p: AGREED_SCORE if p in fwd and p in rev else GROWN_SCORE
              for p in grow_diag_final_and(fwd, rev)}
    content_source = [_is_content(source, w) for w in src.words]
    content_target = [_is_content(target, w) for w in trg.words]
    scores = {(i, j): s for (i, j), s in scores.items()
              if content_source[i] and content_target[j]}
    anchors = find_anchors(source, target, src.words, trg.words, source_span, target_span)
    pinned_source = {i for i, j in anchors if content_source[i]}
    pinned_target = {j for i, j in anchors if content_target[j]}
    scores = {(i, j): s for (i, j), s in scores.items()
              if i not in pinned_source and j not in pinned_target}
    scores.update(dict.fromkeys(anchors, ANCHOR_SCORE))

    linked_source = {i for i, _ in scores}
    linked_target = {j for _, j in scores}
    candidates = []
    for i, a in enumerate(src.words):
        for j, b in enumerate(trg.words):
            if i in linked_source or j in linked_target:
                continue
            arabic, latin = a.slice(source), b.slice(target)
            if has_arabic(arabic) and _translit_candidate(arabic, latin):
                score = max(similarity(arabic, latin, translit_link),
                            similarity(arabic.removeprefix("ال"), latin, translit_link))
                if score >= translit_link:
                    candidates.append((score, i, j))
    index_of_source = {w: i for i, w in enumerate(src.words)}
    index_of_target = {w: j for j, w in enumerate(trg.words)}
    for hinted_source, hinted_target, hinted_score in hints:
        hinted_i = index_of_source.get(hinted_source)
        hinted_j = index_of_target.get(hinted_target)
        if hinted_i is not None and hinted_j is not None:
            candidates.append((hinted_score, hinted_i, hinted_j))
    for score, i, j in sorted(candidates, reverse=True):
        if i not in linked_source and j not in linked_target:
            scores[i, j] = round(score, 4)
            linked_source.add(i)
            linked_target.add(j)
    scores = attach_function_words(source, target, src.words, trg.words, scores)
    return [WordLink(src.words[i], trg.words[j], s) for (i, j), s in sorted(scores.items())]


@lru_cache(maxsize=4)
def load_aligner(model_dir: str | None = None) -> WordAligner:
    """The aligner of ``model_dir`` (default ``models/align``), loaded once per process."""
    return WordAligner(model_dir)


def optional_aligner(model_dir: str | None, instead: str) -> WordAligner | None:
    """The aligner of ``model_dir`` (default ``models/align``), or None, with one warning
    saying what is used ``instead``; loaded once per directory."""
    return _cached_aligner(str(model_dir or aligner_dir()), instead)


@lru_cache(maxsize=4)
def _cached_aligner(model_dir: str, instead: str) -> WordAligner | None:
    try:
        return load_aligner(model_dir)
    except ModelError as exc:
        log.warning("word aligner unavailable (%s); %s", exc, instead)
        return None


def align_words(source: str, target: str, source_span: Span | None = None,
                target_span: Span | None = None, hints: Iterable[Hint] = (),
                model_dir: str | None = None) -> list[WordLink]:
    """Word links of one Arabic–English pair with the default aligner (see the module doc)."""
    return load_aligner(model_dir).align(source, target, source_span, target_span, hints)


def align_words_batch(pairs: Sequence[tuple[str, str]],
                      spans: Sequence[tuple[Span | None, Span | None]] | None = None,
                      model_dir: str | None = None) -> list[list[WordLink]]:
    """Word links of many pairs at once (one eflomal run); see ``WordAligner.align_batch``."""
    return load_aligner(model_dir).align_batch(pairs, spans)
