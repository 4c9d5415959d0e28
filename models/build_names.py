"""Build models/names.ar-en.tsv.gz, the names table of mt.entities, from ../shared lexicons.

Kept: CLDR territory and language names, and Wikidata person-name words whose
Arabic is not also a word of any FreeDict entry (``كريم`` is generous before
it is Karim; ``وزير`` is a minister) and whose English sounds like the Arabic
(transliteration similarity at least 0.6, which drops mismatched entries).
Deterministic.

Usage: python models/build_names.py [SHARED_DATA_DIR]
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

from mt.arabic import strip_diacritics, unify_alef
from mt.translit import similarity

HERE = Path(__file__).resolve().parent
MIN_SIMILARITY = 0.6


def rows(path: Path) -> list[list[str]]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return [line.rstrip("\n").split("\t") for line in stream]


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared" / "data"
    lexicon = data / "lexicon"
    common: set[str] = set()  # every word of every FreeDict entry, with and without ال
    for row in rows(lexicon / "freedict.ar-en.tsv.gz"):
        for word in strip_diacritics(row[0]).split():
            common.update((word, word.removeprefix("ال"), unify_alef(word.removeprefix("ال"))))
    table: dict[tuple[str, str], str] = {}
    for ar, en, kind, *_ in rows(lexicon / "cldr_names.ar-en.tsv.gz"):
        if kind in ("territory", "language") and "(" not in en:
            table[(strip_diacritics(ar), en)] = kind
    for ar, en, *_ in rows(lexicon / "wikidata_names.ar-en.tsv.gz"):
        ar = strip_diacritics(ar)
        if (" " not in ar and len(ar) >= 3 and ar not in common
                and unify_alef(ar) not in common and len(en) >= 3
                and similarity(ar, en) >= MIN_SIMILARITY):
            table.setdefault((ar, en.capitalize()), "person")
    out = HERE / "names.ar-en.tsv.gz"
    lines = "".join(f"{ar}\t{en}\t{kind}\n" for (ar, en), kind in sorted(table.items()))
    out.write_bytes(gzip.compress(lines.encode("utf-8"), mtime=0))
    print(f"{out}: {len(table)} names")


if __name__ == "__main__":
    main()
