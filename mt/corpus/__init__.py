"""Parallel corpora: build, filter, split and convert, streamed pair by pair.

    record.py     Pair, the one record type every stage streams
    formats/      a reader and a writer per format (tsv, moses, tmx, jsonl, parquet, hf),
                  found by name or suffix in one registry
    filters.py    checks that name why a pair is rejected; on-disk de-duplication; the
                  rejects file
    split.py      deterministic train/dev/test with a leakage check
    build.py      pairs from Arabic documents (translated) or bilingual ones (aligned)
    ray_build.py  the translated build on Ray

Importing this package loads no model and no heavy library.
"""

from mt.corpus.filters import FilterConfig, filter_pairs
from mt.corpus.formats import FORMATS, UnwritableError, open_writer, read_corpus, write_corpus
from mt.corpus.record import Pair
from mt.corpus.split import find_leaks, split_corpus
from mt.types import WordLink

__all__ = [
    "FORMATS",
    "FilterConfig",
    "Pair",
    "WordLink",
    "UnwritableError",
    "filter_pairs",
    "find_leaks",
    "open_writer",
    "read_corpus",
    "split_corpus",
    "write_corpus",
]
