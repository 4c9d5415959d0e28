"""Scoring translations: a thin layer over sacrebleu, so numbers and signatures are its own.

``score`` gives each metric's corpus score (with a bootstrap confidence
interval on request); ``paired`` compares a system with a baseline by paired
bootstrap resampling, as ``sacrebleu --paired-bs`` does. ``testset_pairs`` and
``translate_and_score`` are the one way the project's scripts translate a test
set and score it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mt.translate.translator import Translator

METRIC_NAMES = ("bleu", "chrf", "ter")
DEFAULT_BOOTSTRAP = 1000


@dataclass(frozen=True)
class MetricScore:
    """One metric's result as sacrebleu computes and formats it."""

    metric: str
    score: float
    signature: str
    formatted: str
    mean: float | None = None  # bootstrap mean, with --confidence or --paired-with
    ci: float | None = None  # half-width of the 95% interval
    p_value: float | None = None  # against the baseline, with --paired-with

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"metric": self.metric, "score": self.score,
                                "signature": self.signature, "formatted": self.formatted}
        for key in ("mean", "ci", "p_value"):
            if getattr(self, key) is not None:
                data[key] = float(getattr(self, key))  # sacrebleu gives numpy floats
        return data


def _metric(name: str):  # noqa: ANN202
    """A sacrebleu metric with sacrebleu's default settings."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    if name not in METRIC_NAMES:
        raise ValueError(f"unknown metric {name!r}; choose from {', '.join(METRIC_NAMES)}")
    return {"bleu": BLEU, "chrf": CHRF, "ter": TER}[name]()


def score(hypotheses: Sequence[str], references: Sequence[str],
          metrics: Sequence[str] = ("bleu", "chrf"), confidence: bool = False,
          n_bootstrap: int = DEFAULT_BOOTSTRAP) -> list[MetricScore]:
    """Corpus scores of ``hypotheses`` against one reference each."""
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses but {len(references)} references")
    results = []
    for name in metrics:
        metric = _metric(name)
        result = metric.corpus_score(list(hypotheses), [list(references)],
                                     n_bootstrap=n_bootstrap if confidence else 1)
        results.append(MetricScore(
            metric=name, score=float(result.score), signature=str(metric.get_signature()),
            formatted=result.format(), mean=getattr(result, "_mean", None) if confidence else None,
            ci=getattr(result, "_ci", None) if confidence else None,
        ))
    return results


def paired(hypotheses: Sequence[str], baseline: Sequence[str], references: Sequence[str],
           metrics: Sequence[str] = ("bleu", "chrf"),
           n_bootstrap: int = DEFAULT_BOOTSTRAP) -> dict[str, list[MetricScore]]:
    """Paired bootstrap test of ``hypotheses`` against ``baseline``: scores and p-values."""
    from sacrebleu.significance import PairedTest

    if not len(hypotheses) == len(baseline) == len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses, {len(baseline)} baseline lines and "
                         f"{len(references)} references: they must match")
    chosen = {name: _metric(name) for name in metrics}
    test = PairedTest([("baseline", list(baseline)), ("system", list(hypotheses))],
                      chosen, [list(references)], test_type="bs", n_samples=n_bootstrap)
    signatures, table = test()
    results: dict[str, list[MetricScore]] = {"baseline": [], "system": []}
    # sacrebleu keys its table by its own metric names (BLEU, chrF2, TER), in our order.
    for name, key in zip(chosen, [k for k in table if k != "System"], strict=True):
        column: list[Any] = list(table[key])
        signature = str(signatures[key])
        for system, result in zip(("baseline", "system"), column, strict=True):
            results[system].append(MetricScore(
                metric=name, score=float(result.score), signature=signature,
                formatted=f"{result.score:.4f} (μ = {result.mean:.4f} ± {result.ci:.4f})",
                mean=result.mean, ci=result.ci, p_value=result.p_value,
            ))
    return results


def testset_pairs(path: str | Path, label: str | None = None,
                  limit: int | None = None) -> list[tuple[str, str]]:
    """The (Arabic, English) pairs of a test-set TSV, in file order.

    With ``label``, only rows whose third column is it (Tatoeba's ``ara``);
    with ``limit``, the first that many.
    """
    from mt.inputs import read_rows

    pairs = [(r[0], r[1]) for r in read_rows(path)
             if label is None or (len(r) > 2 and r[2] == label)]
    return pairs[:limit] if limit else pairs


@dataclass(frozen=True)
class SetScores:
    """A translator's output on a test set and its scores by metric name."""

    hypotheses: list[str]
    scores: dict[str, MetricScore]
    seconds: float  # translation time alone


def translate_and_score(translator: Translator, pairs: Sequence[tuple[str, str]],
                        metrics: Sequence[str] = ("bleu", "chrf")) -> SetScores:
    """Translate the Arabic side of ``pairs`` and score it against the English side."""
    started = time.perf_counter()
    hypotheses = [t.text for t in translator.translate_iter(p[0] for p in pairs)]
    seconds = time.perf_counter() - started
    results = score(hypotheses, [p[1] for p in pairs], metrics)
    return SetScores(hypotheses, {r.metric: r for r in results}, seconds)
