"""Corpus formats: one streaming reader and one writer per format, found in one registry.

| format    | holds                                   | name                         |
|-----------|-----------------------------------------|------------------------------|
| `tsv`     | ar, en, doc (3rd column)                | `.tsv`, `.tsv.gz`            |
| `moses`   | ar, en (two line-aligned files)         | `PREFIX.ar` + `PREFIX.en`    |
| `tmx`     | everything (TMX 1.4b, `x-` props)       | `.tmx`                       |
| `jsonl`   | everything (the row form, one a line)   | `.jsonl`, `.jsonl.gz`        |
| `parquet` | everything, with the declared Features  | `.parquet`, or a folder      |
| `hf`      | everything (`datasets` ``save_to_disk``)| a folder (``--to hf``)       |

    registry.py  REGISTRY {name: Format(suffixes, read, open_writer, ...)}; detection
    writer.py    PairWriter, the writers' base, and UnwritableError
    streams.py   the stream formats' files opened by path (stdin/stdout, .gz, staged)
    text.py      TSV, Moses and JSONL       tmx.py     TMX
    arrow.py     Parquet and hf             schema.py  the declared Features

Readers yield :class:`Pair` one at a time and writers take them one at a
time, so memory stays flat whatever the corpus size. Text is never altered:
a pair a format cannot hold (a tab or line break inside a TSV field, a
character XML forbids) makes the writer raise :class:`UnwritableError`
before anything of it is written, so the caller can set it aside or stop.
"""

from mt.corpus.formats.registry import (
    FORMATS,
    REGISTRY,
    Format,
    corpus_files,
    detect_format,
    open_writer,
    read_corpus,
    write_corpus,
)
from mt.corpus.formats.schema import features
from mt.corpus.formats.writer import PairWriter, UnwritableError

__all__ = [
    "FORMATS",
    "REGISTRY",
    "Format",
    "PairWriter",
    "UnwritableError",
    "corpus_files",
    "detect_format",
    "features",
    "open_writer",
    "read_corpus",
    "write_corpus",
]
