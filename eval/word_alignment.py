"""Word alignment AER on the reporting half of gold_dev: plain eflomal vs `mt`.

gold_dev (../shared/data/wordalign/gold_dev.json) is split once by
``eval/gold_split.py`` into a tuning half and a reporting half; every figure
here is on the reporting half, and anything tuned on gold links may use the
tuning half only.

The gold set's convention (its README): links are a multiset of (Arabic word,
English word) pairs over the whitespace tokens of the gold texts, punctuation
ignored, all links sure, so AER = 1 - F1.

No system sees the gold links:

- baseline: plain eflomal (default settings: model 3, 3 samplers, automatic
  iterations) trained jointly on every ``train/`` corpus plus freedict with
  the 199 gold sentence pairs appended unlabelled (the standard unsupervised
  set-up), words from ``mt.segment.split_words``, grow-diag-final-and;
- mt: ``mt.align.align_words_batch`` from the shipped ``models/align`` files
  alone, which were built without the gold sentences (no training data at
  run time).

The baseline's eflomal run takes a long time on 2 cores, so its links for the
gold pairs are cached in ``--cache`` (keyed by the inputs and settings).

    .venv/bin/python eval/word_alignment.py [--write] [--runs 5] [--baseline-runs 2]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "eval"))

from protocol import reporting  # noqa: E402

from mt.segment import split_words  # noqa: E402
from mt.types import Span  # noqa: E402

SpanLink = tuple[Span, Span]
_GROUP_RE = re.compile(r"\(\s*([^,()\[\]]+|,)\s*,\s*(\[[^\]]*\]|[^,()\[\]]+|,)\s*\)?")
HEADING = "## Word alignment (AER on gold_dev)"


@dataclass(frozen=True)
class GoldPair:
    ar: str
    en: str
    links: Counter[tuple[str, str]]


def _items(side: str) -> list[str]:
    side = side.strip()
    if side.startswith("["):
        return [w.strip() for w in side[1:-1].split(",") if w.strip()] or [","]
    return [side]


def parse_alignment_string(text: str) -> list[tuple[str, str]]:
    """``"(توصي, [you, recommend]), (., .)"`` as word pairs, tolerant of the set's typos."""
    pairs: list[tuple[str, str]] = []
    for match in _GROUP_RE.finditer(text):
        for ar in _items(match.group(1)):
            pairs.extend((ar, en) for en in _items(match.group(2)))
    return pairs


def is_punctuation(word: str) -> bool:
    return not any(char.isalnum() for char in word)


def content_pairs(pairs: Iterable[tuple[str, str]]) -> Counter[tuple[str, str]]:
    return Counter(p for p in pairs if not is_punctuation(p[0]) and not is_punctuation(p[1]))


def read_gold(path: Path) -> list[GoldPair]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [_gold_pair(r) for r in rows]


def _gold_pair(row: dict) -> GoldPair:
    return GoldPair(row["ar"], row["en"],
                    content_pairs(parse_alignment_string(row["alignment_string"])))


@reporting
def reporting_indices(path: Path) -> list[int]:
    """Positions in the gold file of the pairs of the reporting half."""
    from gold_split import read_halves

    rows = json.loads(path.read_text(encoding="utf-8"))
    reporting = {r["id"] for r in read_halves(path).reporting}
    return [i for i, r in enumerate(rows) if r["id"] in reporting]


def whitespace_tokens(text: str) -> list[Span]:
    return [Span(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def project(pair: GoldPair, links: Iterable[SpanLink]) -> Counter[tuple[str, str]]:
    """Span links as the gold's multiset of word pairs (a token linked once per pair)."""
    ar_tokens, en_tokens = whitespace_tokens(pair.ar), whitespace_tokens(pair.en)

    def owner(tokens: list[Span], span: Span) -> int:
        return next(i for i, t in enumerate(tokens) if t.start <= span.start < t.end)

    indices = {(owner(ar_tokens, s), owner(en_tokens, t)) for s, t in links}
    return content_pairs((ar_tokens[i].slice(pair.ar), en_tokens[j].slice(pair.en))
                         for i, j in indices)


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    aer: float
    predicted: int
    gold: int


def score(gold: Sequence[GoldPair], predictions: Sequence[Iterable[SpanLink]]) -> Score:
    hit = predicted = expected = 0
    for pair, links in zip(gold, predictions, strict=True):
        found = project(pair, links)
        hit += sum((found & pair.links).values())
        predicted += sum(found.values())
        expected += sum(pair.links.values())
    precision = hit / predicted if predicted else 0.0
    recall = hit / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, 1 - f1, predicted, expected)


# --- baseline: plain eflomal, trained jointly with the gold sentences ----------------------

BASELINE_SECONDS: dict[int, str] = {}  # how each baseline run was obtained, for the record
BASELINE_FILES = ("train/*.ar-en.tsv.gz", "lexicon/freedict.ar-en.tsv.gz")


def _corpus_files(shared: Path) -> list[Path]:
    return sorted(p for pattern in BASELINE_FILES for p in shared.glob(pattern))


def _words(text: str) -> list[str]:
    return [span.slice(text) for span in split_words(text)]


def _cache_key(files: Sequence[Path], gold: Sequence[GoldPair]) -> str:
    """What the baseline's links depend on: eflomal's version and settings, the bytes of
    every corpus file and the gold sentences appended to them."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"eflomal {version('eflomal')} defaults gdfa".encode())
    for path in files:
        with path.open("rb") as stream:
            while block := stream.read(1 << 20):
                digest.update(block)
    for pair in gold:
        digest.update(f"{pair.ar}\t{pair.en}\n".encode())
    return digest.hexdigest()[:12]


def baseline_links(gold: Sequence[GoldPair], shared: Path, cache: Path, run: int = 0
                   ) -> list[list[SpanLink]]:
    """Plain eflomal + grow-diag-final-and links for the gold pairs (sampled run ``run``,
    cached)."""
    from mt.align.statistical import run_eflomal
    from mt.align.symmetrize import format_pharaoh, grow_diag_final_and, parse_pharaoh

    files = _corpus_files(shared)
    cached = cache / f"baseline-{_cache_key(files, gold)}-run{run}.jsonl"
    if not cached.exists():
        source, target = [], []
        for path in files:
            with gzip.open(path, "rt", encoding="utf-8") as stream:
                for line in stream:
                    fields = line.rstrip("\n").split("\t")
                    source.append(_words(fields[0]))
                    target.append(_words(fields[1]))
        source.extend(_words(p.ar) for p in gold)
        target.extend(_words(p.en) for p in gold)
        print(f"baseline: eflomal on {len(source)} pairs ...", file=sys.stderr, flush=True)
        started = time.time()
        forward, reverse = run_eflomal(source, target)
        took = time.time() - started
        BASELINE_SECONDS[run] = f"trained in {took:.0f} s this run"
        print(f"baseline: eflomal took {took:.0f} s", file=sys.stderr)
        cache.mkdir(parents=True, exist_ok=True)
        with cached.open("w", encoding="utf-8") as out:
            for f, r in zip(forward[-len(gold):], reverse[-len(gold):], strict=True):
                out.write(json.dumps([format_pharaoh(f), format_pharaoh(r)]) + "\n")
    rows = [json.loads(line) for line in cached.read_text(encoding="utf-8").splitlines()]
    result = []
    for pair, (f, r) in zip(gold, rows, strict=True):
        ar_words, en_words = split_words(pair.ar), split_words(pair.en)
        points = grow_diag_final_and(parse_pharaoh(f), parse_pharaoh(r))
        result.append([(ar_words[i], en_words[j]) for i, j in sorted(points)])
    return result


def ours_links(gold: Sequence[GoldPair], model: Path) -> tuple[list[list[SpanLink]], float]:
    """`mt`'s links for the gold pairs from the shipped tables alone, and the seconds taken."""
    from mt.align.words import WordAligner

    aligner = WordAligner(model)
    started = time.perf_counter()
    links = aligner.align_batch([(p.ar, p.en) for p in gold])
    return [[(link.source, link.target) for link in row] for row in links], \
        time.perf_counter() - started


def single_pair_seconds(gold: Sequence[GoldPair], model: Path, count: int = 20) -> float:
    """Mean wall time of ``align`` on one pair (a separate eflomal run each)."""
    from mt.align.words import WordAligner

    aligner = WordAligner(model)
    started = time.perf_counter()
    for pair in gold[:count]:
        aligner.align(pair.ar, pair.en)
    return (time.perf_counter() - started) / count


def _memory_gib() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 2**20)
    return 0


def _mean_row(name: str, scores: list[Score]) -> str:
    def mean(values: Iterable[float]) -> float:
        values = list(values)
        return sum(values) / len(values)

    spread = f"; min {min(s.aer for s in scores):.3f}, max {max(s.aer for s in scores):.3f}" \
        if len(scores) > 1 else ""
    runs = f"{len(scores)} sampled run" + ("s" if len(scores) > 1 else "")
    return (f"| {name} (mean of {runs}{spread}) | "
            f"{mean(s.aer for s in scores):.3f} | {mean(s.precision for s in scores):.3f} | "
            f"{mean(s.recall for s in scores):.3f} |")


def report(baselines: list[Score], runs: list[Score], batch_seconds: float,
           single_seconds: float, pairs: int, model: Path, baseline_note: str) -> str:
    from results import machine, today

    from mt.align.words import WordAligner

    meta = WordAligner(model).meta
    rows = [
        "| system | AER | precision | recall |",
        "|---|---|---|---|",
        _mean_row("plain eflomal (defaults, train/* + freedict + the gold sentences, gdfa)",
                  baselines),
        _mean_row("**`mt.align.align_words_batch`**, shipped `models/align`", runs),
    ]
    return "\n".join([
        HEADING, "",
        f"The reporting half of `../shared/data/wordalign/gold_dev.json` (`eval/gold_split.py`: "
        f"{pairs} of its MSA-English pairs, {runs[0].gold} "
        "gold links; the set's convention: a multiset of (Arabic word, English word) pairs of "
        "its whitespace tokens, punctuation ignored, all sure, AER = 1 - F1).", "",
        *rows, "",
        "- Baseline: eflomal on every `train/` corpus plus freedict with the gold "
        "sentence pairs appended unlabelled (the standard unsupervised set-up), words from "
        "`mt.segment.split_words`, grow-diag-final-and written in `mt.align.symmetrize`; its "
        f"links are cached in `~/.cache/mt-align`, one file per sampled run ({baseline_note}).",
        f"- `mt`: eflomal started from the priors in `models/align` (built by "
        f"`python -m mt.align.build` in {meta.get('seconds', '?')} s from "
        f"{meta.get('pairs', '?')} pairs of `train/*` and the "
        "three lexicons, which contain none of the gold sentences: no gold sentence, "
        "labelled or not, was in its training), Arabic clitics, verb person prefixes and "
        "pronoun suffixes split, lexicon and transliteration priors, grow-diag-final-and, "
        "exact anchors, transliteration links, and English function words attached "
        "(`mt.align.attach`). No ../shared at run time. Its settings were chosen before "
        "gold_dev was split, on all of it, so the reporting half is not unseen by them.",
        f"- Speed: the {pairs} pairs in one batch take {batch_seconds:.1f} s; one pair alone "
        f"{single_seconds * 1000:.0f} ms (an eflomal process each time).",
        f"- Command: `python eval/word_alignment.py {' '.join(sys.argv[1:])}`; machine: "
        f"{machine()}, "
        f"{_memory_gib()} GiB, no GPU; date: {today()}.",
    ])


def main() -> int:
    from results import add_write_option, publish

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "mt-align")
    parser.add_argument("--model", type=Path, default=REPO / "models" / "align")
    parser.add_argument("--runs", type=int, default=5, help="runs of `mt`'s aligner to average")
    parser.add_argument("--baseline-runs", type=int, default=2,
                        help="sampled baseline runs to average (each is cached)")
    add_write_option(parser)
    args = parser.parse_args()
    path = args.shared / "wordalign" / "gold_dev.json"
    every = read_gold(path)
    keep = reporting_indices(path)
    gold = [every[i] for i in keep]
    baselines, notes = [], []
    for run in range(args.baseline_runs):
        # eflomal is trained with all 199 gold sentences appended unlabelled (cached so).
        links = baseline_links(every, args.shared, args.cache, run)
        baselines.append(score(gold, [links[i] for i in keep]))
        notes.append(BASELINE_SECONDS.get(run, "read from the cache"))
        print(f"plain eflomal  AER {baselines[-1].aer:.4f}  P {baselines[-1].precision:.4f}  "
              f"R {baselines[-1].recall:.4f}")
    runs, seconds = [], []
    for _ in range(args.runs):
        links, took = ours_links(gold, args.model)
        runs.append(score(gold, links))
        seconds.append(took)
        print(f"mt             AER {runs[-1].aer:.4f}  P {runs[-1].precision:.4f}  "
              f"R {runs[-1].recall:.4f}  ({took:.1f} s)")
    single = single_pair_seconds(gold, args.model)
    section = report(baselines, runs, min(seconds), single, len(gold), args.model,
                     "; ".join(f"run {i}: {note}" for i, note in enumerate(notes)))
    publish("word-alignment", section, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
