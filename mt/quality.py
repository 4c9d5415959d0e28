"""Sentence quality estimates: how far to trust each translated segment.

An estimator maps cheap features of a segment (the model's mean token
log-probability, lengths, how much of the Arabic the English covers by the
word aligner's lexicon, digits and Latin words lost, repeated words, the
names and numbers of the Arabic and how many of them the translator had to
write in because the model lost them) to a
prediction of the segment's chrF against a reference, scaled to [0, 1]. It is
a standardised linear model fitted on dev data by ``eval/quality_estimate.py``
and shipped as ``quality.json`` beside a model. A model without one gets the
fallback: its mean log-probability alone, calibrated the same way on the
embedded model's dev data (``mt/quality_logprob.json``), and the signature
says so. Segments whose estimate is under the estimator's threshold (chosen
on dev) are flagged for checking.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from mt.arabic import to_western_digits
from mt.entities import find_arabic_entities
from mt.errors import ModelError
from mt.numbers import find_arabic_numbers
from mt.types import Repair, TraceDocument, TranslatedText

if TYPE_CHECKING:
    from mt.translate.translator import Translator

Translated = TypeVar("Translated", TranslatedText, TraceDocument)

ESTIMATOR_FILE = "quality.json"  # beside a model's weights
FALLBACK_FILE = Path(__file__).with_name("quality_logprob.json")
FEATURES = ("score", "ratio", "source_length", "source_coverage", "source_translation",
            "target_coverage", "known_share", "repeats", "digits_lost", "latin_lost",
            "names", "numbers", "names_written", "numbers_written")
_DIGITS_RE = re.compile(r"\d+")
_LATIN_RE = re.compile(r"[A-Za-z]{2,}")
_WORD_RE = re.compile(r"\w+")
MIN_SHARE = 0.02  # a lexicon entry counts as a translation from this share of its counts


class Lexicon:
    """The word aligner's lexical counts as a bilingual dictionary for coverage.

    Of a segment's Arabic tokens the lexicon knows, ``source_coverage`` is the
    share with a translation in the English and ``source_translation`` the mean
    probability of the likeliest one there; ``target_coverage`` is the share of
    known English tokens with a source among the Arabic tokens; ``known_share``
    the share of Arabic tokens the lexicon knows.
    """

    def __init__(self, counts: Mapping[str, Mapping[str, float]], segmenter: Any) -> None:
        self.translations: dict[str, dict[str, float]] = {}
        sources: dict[str, set[str]] = {}
        for arabic, row in counts.items():
            total = sum(row.values())
            kept: dict[str, float] = {}
            for english, count in row.items():
                if total and count / total >= MIN_SHARE:
                    key = english.lower()
                    kept[key] = kept.get(key, 0.0) + count / total
                    sources.setdefault(key, set()).add(arabic)
            self.translations[arabic] = kept
        self.sources = sources  # read only (frozensets of them were a third of the load)
        self.segmenter = segmenter

    def coverage(self, source: str, target: str) -> dict[str, float]:
        from mt.align.tokens import tokenize_arabic, tokenize_english

        arabic = tokenize_arabic(source, segmenter=self.segmenter).tokens
        english = [t.lower() for t in tokenize_english(target).tokens]
        english_set = set(english) | {_singular(e) for e in english}
        arabic_set = set(arabic)
        known = [a for a in arabic if a in self.translations]
        best = [max((p for e, p in self.translations[a].items()
                     if e in english_set or _singular(e) in english_set), default=0.0)
                for a in known]
        supported = [bool(self.sources[e] & arabic_set) for e in english if e in self.sources]
        return {"source_coverage": sum(p > 0 for p in best) / len(best) if best else 1.0,
                "source_translation": sum(best) / len(best) if best else 1.0,
                "target_coverage": sum(supported) / len(supported) if supported else 1.0,
                "known_share": len(known) / len(arabic) if arabic else 1.0}


def _singular(word: str) -> str:
    """"containers" as "container": a lexicon lists one number of a noun, the English the other."""
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The embedded word aligner's lexicon, loaded once (the aligner is shared with tracing)."""
    from mt.align.words import load_aligner
    from mt.paths import aligner_dir

    aligner = load_aligner(str(aligner_dir()))  # the key tracing loads it by
    return Lexicon(aligner.priors.lexical, aligner.segmenter)


def features(source: str, target: str, score: float, lexicon: Lexicon,
             repairs: Sequence[Repair] = ()) -> dict[str, float]:
    """The estimator's features of one segment: its Arabic, its English, its score and
    the names and numbers the translator wrote in because the model lost them."""
    source_digits = _DIGITS_RE.findall(to_western_digits(source))
    target_digits = set(_DIGITS_RE.findall(target))
    words = Counter(w.lower() for w in _WORD_RE.findall(target) if len(w) > 3)
    return {
        "score": score,
        "ratio": math.log((len(target) + 1) / (len(source) + 1)),
        "source_length": math.log1p(len(source)),
        **lexicon.coverage(source, target),
        "repeats": float(max(words.values(), default=0)),
        "digits_lost": float(sum(d not in target_digits for d in source_digits)),
        "latin_lost": float(sum(w not in target for w in _LATIN_RE.findall(source))),
        "names": float(len(find_arabic_entities(source))),
        "numbers": float(len(find_arabic_numbers(source))),
        "names_written": float(sum(r.kind == "name" for r in repairs)),
        "numbers_written": float(sum(r.kind == "number" for r in repairs)),
    }


@dataclass(frozen=True)
class QualityEstimator:
    """A standardised linear model of sentence chrF (0-100); ``estimate`` is in [0, 1].

    ``threshold``: segments estimated below it are flagged for checking.
    """

    name: str  # what the signature says: "linear@HASH" or "logprob"
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    fitted_on: str = ""

    def __post_init__(self) -> None:
        unknown = set(self.features) - set(FEATURES)
        lengths = {len(self.features), len(self.mean), len(self.scale), len(self.coef)}
        if unknown or len(lengths) != 1 or not 0 <= self.threshold <= 1:
            raise ValueError(f"quality estimator {self.name!r}: unknown features "
                             f"{sorted(unknown)} or mismatched lengths or threshold")

    @property
    def needs_lexicon(self) -> bool:
        return self.features != ("score",)

    def estimate(self, values: Mapping[str, float]) -> float:
        predicted = self.intercept + sum(
            c * (values[f] - m) / s
            for f, m, s, c in zip(self.features, self.mean, self.scale, self.coef, strict=True))
        return min(1.0, max(0.0, predicted / 100))

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "features": list(self.features), "mean": list(self.mean),
                "scale": list(self.scale), "coef": list(self.coef),
                "intercept": self.intercept, "threshold": self.threshold,
                "fitted_on": self.fitted_on}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> QualityEstimator:
        return cls(str(d["name"]), tuple(d["features"]), tuple(map(float, d["mean"])),
                   tuple(map(float, d["scale"])), tuple(map(float, d["coef"])),
                   float(d["intercept"]), float(d["threshold"]), str(d.get("fitted_on", "")))

    @classmethod
    def load(cls, path: Path) -> QualityEstimator:
        try:
            return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"{path}: not a quality estimator ({exc}); refit it with "
                             "python eval/quality_estimate.py --fit") from None


@lru_cache(maxsize=8)
def load_estimator(model_dir: Path | None) -> QualityEstimator:
    """The estimator shipped beside the model in ``model_dir``, else the log-prob fallback."""
    if model_dir is not None and (model_dir / ESTIMATOR_FILE).is_file():
        return QualityEstimator.load(model_dir / ESTIMATOR_FILE)
    return QualityEstimator.load(FALLBACK_FILE)


def estimator_for(translator: Translator) -> QualityEstimator:
    """The estimator of the translator's model (the fallback where it ships none)."""
    return load_estimator(translator.backend.model.path)


def segment_features(document: TranslatedText | TraceDocument, lexicon: Lexicon | None
                     ) -> list[dict[str, float] | None]:
    """The features of each translated segment (None for untranslated ones); the score
    alone without a ``lexicon``. A trace document does not say what the translator wrote
    in: its segments count none."""
    written: dict[int, list[Repair]] = {}
    for repair in document.repairs if isinstance(document, TranslatedText) else ():
        written.setdefault(repair.segment, []).append(repair)
    found: list[dict[str, float] | None] = []
    for segment in document.segments:
        if segment.source is None or segment.target is None or segment.score is None \
                or not segment.target.slice(document.target_text).strip():
            found.append(None)
        elif lexicon is None:
            found.append({"score": segment.score})
        else:
            found.append(features(segment.source.slice(document.source_text),
                                  segment.target.slice(document.target_text), segment.score,
                                  lexicon, written.get(segment.id, ())))
    return found


def estimate_segments(document: TranslatedText | TraceDocument, estimator: QualityEstimator,
                      lexicon: Lexicon | None = None) -> list[float | None]:
    """An estimate per segment of a translated document (None for untranslated segments)."""
    if estimator.needs_lexicon and lexicon is None:
        lexicon = load_lexicon()
    return [None if values is None else round(estimator.estimate(values), 4)
            for values in segment_features(document, lexicon)]


def with_quality(document: Translated, estimator: QualityEstimator,
                 lexicon: Lexicon | None = None) -> Translated:
    """``document`` with ``quality`` and ``doubt`` (under the estimator's threshold) on every
    translated segment, and the estimator named in the signature."""
    estimates = estimate_segments(document, estimator, lexicon)
    segments = tuple(replace(s, quality=q, doubt=None if q is None else q < estimator.threshold)
                     for s, q in zip(document.segments, estimates, strict=True))
    return replace(document, segments=segments,
                   signature=f"{document.signature}|quality:{estimator.name}")

