"""Scoring translations: a thin layer over sacrebleu's public API, so numbers,
signatures and JSON records are its own.

``score`` gives each metric's corpus score against one or several references
(with a bootstrap confidence interval on request); ``paired`` compares several
systems with the first, the baseline, by paired bootstrap resampling, as
``sacrebleu -i BASELINE SYSTEM... --paired-bs`` does. ``testset_pairs`` and
``translate_and_score`` are the one way the project's scripts translate a test
set and score it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mt.translate.translator import Translator

METRIC_NAMES = ("bleu", "chrf", "chrf++", "ter")
DEFAULT_BOOTSTRAP = 1000
DEFAULT_WIDTH = 1  # decimals of formatted scores and JSON records, sacrebleu's default
_EXACT = 12  # decimals at which a formatted bootstrap mean or interval is read back


@dataclass(frozen=True)
class MetricScore:
    """One metric's result as sacrebleu computes and formats it."""

    metric: str  # our name: bleu, chrf, chrf++, ter
    score: float
    signature: str
    formatted: str  # sacrebleu's text line at the chosen width
    record: dict[str, Any]  # sacrebleu's JSON record (``sacrebleu -f json``) at that width
    mean: float | None = None  # bootstrap mean, with confidence or a paired test
    ci: float | None = None  # half-width of the 95% interval
    p_value: float | None = None  # against the baseline, in a paired test


@dataclass(frozen=True)
class PairedSystem:
    """One system of a paired test: its name and its scores, metric by metric."""

    name: str  # sacrebleu's: "Baseline: NAME" for the first
    scores: list[MetricScore]

    def to_json(self) -> dict[str, Any]:
        """The system's entry in ``sacrebleu --paired-bs -f json``."""
        return {"system": self.name, **{s.record["name"]: {key: s.record[key] for key in
                                                             ("score", "p_value", "mean", "ci")}
                                        for s in self.scores}}


def _metric(name: str):  # noqa: ANN202
    """A sacrebleu metric with sacrebleu's default settings (chrF++: word order 2)."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    if name not in METRIC_NAMES:
        raise ValueError(f"unknown metric {name!r}; choose from {', '.join(METRIC_NAMES)}")
    if name == "chrf++":
        return CHRF(word_order=2)
    return {"bleu": BLEU, "chrf": CHRF, "ter": TER}[name]()


def _streams(references: Sequence[str] | Sequence[Sequence[str]]) -> list[list[str]]:
    """One reference stream (lines) or several, as sacrebleu's list of streams."""
    if references and isinstance(references[0], str):
        return [list(references)]  # type: ignore[arg-type]
    return [list(stream) for stream in references]


def _check_lengths(lines: int, streams: list[list[str]]) -> None:
    counts = [len(stream) for stream in streams]
    if not streams or any(count != lines for count in counts):
        raise ValueError(f"{lines} hypotheses but references of {counts} lines")


def score(hypotheses: Sequence[str], references: Sequence[str] | Sequence[Sequence[str]],
          metrics: Sequence[str] = ("bleu", "chrf"), confidence: bool = False,
          n_bootstrap: int = DEFAULT_BOOTSTRAP, width: int = DEFAULT_WIDTH) -> list[MetricScore]:
    """Corpus scores of ``hypotheses`` against one reference stream or several."""
    streams = _streams(references)
    _check_lengths(len(hypotheses), streams)
    results = []
    for name in metrics:
        metric = _metric(name)
        result = metric.corpus_score(list(hypotheses), streams,
                                     n_bootstrap=n_bootstrap if confidence else 1)
        signature = str(metric.get_signature())
        record = json.loads(result.format(width, signature=signature, is_json=True))
        exact = json.loads(result.format(_EXACT, signature=signature, is_json=True))
        results.append(MetricScore(
            metric=name, score=float(result.score), signature=signature,
            formatted=result.format(width, signature=signature), record=record,
            mean=exact.get("confidence_mean"), ci=exact.get("confidence_var"),
        ))
    return results


def paired(systems: Sequence[tuple[str, Sequence[str]]],
           references: Sequence[str] | Sequence[Sequence[str]],
           metrics: Sequence[str] = ("bleu", "chrf"), n_bootstrap: int = DEFAULT_BOOTSTRAP,
           width: int = DEFAULT_WIDTH) -> list[PairedSystem]:
    """Paired bootstrap test of every named system against the first (the baseline)."""
    from sacrebleu.significance import PairedTest

    if len(systems) < 2:
        raise ValueError("a paired test needs a baseline and at least one system")
    streams = _streams(references)
    for _, lines in systems:
        _check_lengths(len(lines), streams)
    chosen = {name: _metric(name) for name in metrics}
    named: list[tuple[str, Sequence[str]]] = [  # the first named as sacrebleu names it
        (f"Baseline: {name}" if not index else name, list(lines))
        for index, (name, lines) in enumerate(systems)]
    test = PairedTest(named, chosen, streams, test_type="bs", n_samples=n_bootstrap)
    signatures, table = test()
    names = [str(name) for name in table["System"]]
    scores: list[list[MetricScore]] = [[] for _ in names]
    # sacrebleu keys its table by its own metric names (BLEU, chrF2, TER), in our order.
    for name, key in zip(chosen, [k for k in table if k != "System"], strict=True):
        signature = str(signatures[key])
        results: list[Any] = list(table[key])  # sacrebleu's Result objects
        for column, result in zip(scores, results, strict=True):
            record = {"name": key, "score": float(result.score), "p_value": result.p_value,
                      "mean": float(result.mean), "ci": float(result.ci)}
            formatted = f"{result.score:.{width}f} (μ = {result.mean:.{width}f} ± " \
                        f"{result.ci:.{width}f})"
            column.append(MetricScore(
                metric=name, score=float(result.score), signature=signature,
                formatted=formatted, record=record, mean=float(result.mean),
                ci=float(result.ci), p_value=result.p_value))
    return [PairedSystem(name, column) for name, column in zip(names, scores, strict=True)]


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
