"""Building the word aligner's shipped tables (``models/align``) from the shared data.

    python -m mt.align.build [--data ../shared/data] [--output models/align]

1. Read every ``train/`` corpus and the three lexicons (pairs longer than
   ``MAX_WORDS`` words are skipped: they cost the sampler most and teach it
   least), and count the Arabic words, which decides clitic splitting.
2. Align the whole corpus with eflomal (tokens of ``mt.align.tokens``), the
   single-word lexicon entries given as Dirichlet priors.
3. Count links, jumps and fertilities into eflomal priors, keep the pairs seen
   at least ``MIN_LINK_COUNT`` times plus every lexicon entry, and write
   ``priors.tsv.gz``, ``arabic_words.tsv.gz`` and ``model.json``.

The shipped tables took 260 s on 2 idle cores; the files written are all that
the aligner needs at run time (``models/align/README.md``).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from mt.align.priors import Priors
from mt.align.statistical import run_eflomal
from mt.align.symmetrize import Pair
from mt.align.tokens import Segmenter, Tokens, normalise_arabic, tokenize_arabic, tokenize_english
from mt.inputs import read_pairs
from mt.segment import split_words

log = logging.getLogger("mt")
LEXICONS = ("freedict", "wikidata_names", "cldr_names")
MAX_WORDS = 80
MIN_WORD_COUNT = 2  # rarer Arabic words are left out (of training's segmenter too)
MIN_LINK_COUNT = 2
LEXICON_PRIOR = 2.0  # pseudo-links per single-word lexicon entry


def corpus_files(data: Path) -> list[Path]:
    return sorted((data / "train").glob("*.tsv.gz"))


def lexicon_files(data: Path) -> list[Path]:
    return [data / "lexicon" / f"{name}.ar-en.tsv.gz" for name in LEXICONS]


def read_corpus(paths: Iterable[Path], max_words: int = MAX_WORDS) -> list[tuple[str, str]]:
    """Every pair of ``paths`` with both sides non-empty and at most ``max_words`` words."""
    pairs = []
    for path in paths:
        for ar, en in read_pairs(path):
            lengths = (len(split_words(ar)), len(split_words(en)))
            if 0 < min(lengths) and max(lengths) <= max_words:
                pairs.append((ar, en))
    return pairs


def arabic_frequencies(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(normalise_arabic(w.slice(text)) for w in split_words(text))
    return counts


def lexicon_priors(entries: Iterable[tuple[str, str]], segmenter: Segmenter) -> Priors:
    """One-word entries (after clitics are split off) as lexical pseudo-links."""
    priors = Priors()
    for ar, en in entries:
        source = [t for t in tokenize_arabic(ar, segmenter=segmenter).tokens
                  if not t.endswith("+") and not t.startswith("+")]
        target = tokenize_english(en).tokens
        if len(source) == 1 and len(target) == 1:
            priors.add_lexical(source[0], target[0], LEXICON_PRIOR)
    return priors


def count_priors(source: Sequence[Tokens], target: Sequence[Tokens],
                 forward: Sequence[set[Pair]], reverse: Sequence[set[Pair]]) -> Priors:
    """eflomal priors from a corpus alignment: links averaged over the two directions."""
    priors = Priors()
    lexical: Counter[tuple[str, str]] = Counter()
    fertility_source: Counter[tuple[str, int]] = Counter()
    fertility_target: Counter[tuple[str, int]] = Counter()
    for src, trg, fwd, rev in zip(source, target, forward, reverse, strict=True):
        for i, j in fwd:
            lexical[src.tokens[i], trg.tokens[j]] += 1
        for i, j in rev:
            lexical[src.tokens[i], trg.tokens[j]] += 1
        _count_jumps(priors.jumps_forward, fwd, len(src.tokens), by_target=True)
        _count_jumps(priors.jumps_reverse, rev, len(trg.tokens), by_target=False)
        fertility_source.update((src.tokens[i], n) for i, n in Counter(i for i, _ in fwd).items())
        fertility_target.update((trg.tokens[j], n) for j, n in Counter(j for _, j in rev).items())
    for (s, t), count in lexical.items():
        if count >= 2 * MIN_LINK_COUNT:  # counted once per direction
            priors.add_lexical(s, t, count / 2)
    kept_sources = priors.lexical.keys()
    kept_targets = {t for row in priors.lexical.values() for t in row}
    for (token, n), count in fertility_source.items():
        if token in kept_sources and count >= MIN_LINK_COUNT:
            priors.fertility_source.setdefault(token, {})[n] = float(count)
    for (token, n), count in fertility_target.items():
        if token in kept_targets and count >= MIN_LINK_COUNT:
            priors.fertility_target.setdefault(token, {})[n] = float(count)
    return priors


def _count_jumps(jumps: Counter[int], links: set[Pair], length: int, by_target: bool) -> None:
    """Jumps between the positions linked to consecutive words, as eflomal's HMM counts them."""
    ordered = sorted(links, key=lambda p: (p[1], p[0]) if by_target else p)
    last_word, last_position = -1, -1
    for i, j in ordered:
        word, position = (j, i) if by_target else (i, j)
        if word != last_word:
            jumps[position - last_position] += 1
        last_word, last_position = word, position
    jumps[length - last_position] += 1


def merge(into: Priors, extra: Priors) -> None:
    for source, row in extra.lexical.items():
        for target, count in row.items():
            into.add_lexical(source, target, count)


def build(corpora: Sequence[Path], lexicons: Sequence[Path], output: Path,
          unlabelled: Sequence[tuple[str, str]] = (), workdir: Path | None = None
          ) -> dict[str, object]:
    """Train on ``corpora`` and ``lexicons`` (plus ``unlabelled`` pairs); write ``output``."""
    started = time.time()
    pairs = read_corpus([*corpora, *lexicons])
    pairs.extend(unlabelled)
    lexicon = [(ar, en) for path in lexicons for ar, en in read_pairs(path)]
    # Pruned as shipped, so that words split at run time exactly as in training.
    frequencies = {w: n for w, n in arabic_frequencies(ar for ar, _ in pairs).items()
                   if n >= MIN_WORD_COUNT}
    segmenter = Segmenter(frequencies)
    source = [tokenize_arabic(ar, segmenter=segmenter) for ar, _ in pairs]
    target = [tokenize_english(en) for _, en in pairs]
    from_lexicon = lexicon_priors(lexicon, segmenter)
    log.info("build: %d pairs tokenised in %.0f s; eflomal ...", len(pairs), time.time() - started)
    forward, reverse = run_eflomal([s.tokens for s in source], [t.tokens for t in target],
                                   from_lexicon.lines(), workdir=workdir)
    priors = count_priors(source, target, forward, reverse)
    merge(priors, from_lexicon)
    output.mkdir(parents=True, exist_ok=True)
    priors.save(output / "priors.tsv.gz")
    with gzip.open(output / "arabic_words.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as out:
        out.writelines(f"{w}\t{n}\n" for w, n in sorted(frequencies.items()))
    meta = {
        "name": "eflomal-priors",
        "trained_on": [p.name for p in [*corpora, *lexicons]],
        "pairs": len(pairs), "unlabelled_pairs": len(unlabelled),
        "lexical_pairs": sum(len(row) for row in priors.lexical.values()),
        "seconds": round(time.time() - started),
    }
    meta["sha256"] = hashlib.sha256((output / "priors.tsv.gz").read_bytes()).hexdigest()[:12]
    (output / "model.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def main(argv: Sequence[str] | None = None) -> int:
    repo = Path(__file__).resolve().parent.parent.parent
    parser = argparse.ArgumentParser(description="build the word aligner's tables")
    parser.add_argument("--data", type=Path, default=repo.parent / "shared" / "data")
    parser.add_argument("--output", type=Path, default=repo / "models" / "align")
    parser.add_argument("--unlabelled", type=Path,
                        help="extra arabic<TAB>english pairs to align with the corpus "
                             "(e.g. the unlabelled gold sentences)")
    parser.add_argument("--workdir", type=Path, help="keep eflomal's link files here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="mt: %(message)s")
    unlabelled = list(read_pairs(args.unlabelled)) if args.unlabelled else []
    meta = build(corpus_files(args.data), lexicon_files(args.data), args.output, unlabelled,
                 args.workdir)
    print(json.dumps(meta, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
