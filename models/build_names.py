"""Build models/names.ar-en.tsv.gz, the names table (gazetteer) of mt.entities, from the
lexicons and the parallel training data of ../shared.

Candidates: CLDR territory, language and city names; Egypt's places; the
person, place and organisation names of Hkiri et al. (honorifics dropped);
ANETAC's names; the person-name transliterations of Wikidata and Google
(lower case there: capitalised here). Only English forms that start with a
capital are names.

Precision comes from the parallel training data: a name whose Arabic occurs
in the Arabic of training pairs is kept only where the English of at least
half of those pairs holds one of its English forms (``أمل`` is hope far more
often than Amal; ``سلام`` is peace). A name the training data never shows is
kept on the lexicons' word, and CLDR's names are kept whatever the training
data calls them (كوريا الشمالية is "the Democratic People's Republic of
Korea" in UN text, and North Korea). A person's name that the training data
shows mostly as a word is kept as ``weak``: a name only right after another
person's name (أون is Un in كيم جونغ أون). The threshold, 0.5, was chosen on UD PUD dev (0.3
and 0.7 gave lower name recall there, eval/facts.py). Where a name has several
English forms, the first written is the one the translator puts in: the form
the training data uses most, then the most trusted lexicon's.

Rows: Arabic, English, kind (territory, language, place, organisation, person,
name, weak). Deterministic. A few minutes on two cores.

Usage: python models/build_names.py [SHARED_DATA_DIR]
"""

from __future__ import annotations

import gzip
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from mt.arabic import ARABIC_WORD_RE
from mt.entities import MAX_NAME_WORDS, WEAK, name_key, name_keys

HERE = Path(__file__).resolve().parent
NAMENESS = 0.5  # share of training pairs whose English has the name (chosen on dev)
CURATED = 8  # CLDR's trust: its names stand whatever form the training data uses them in
# (file, trust): a more trusted lexicon's form wins a tie.
TRAIN = ("unpc_devtest", "flores200_dev", "nllb_seed_msa", "nllb_seed_egyptian",
         "xquad_context_sentences", "xquad_questions", "mtgeneval_wiki", "tatoeba",
         "madar_aralects", "rasaif_classical", "bible_vandyke_kjv", "hadith_matn",
         "debian_l10n", "mozilla_l10n", "mediawiki_l10n", "godot_l10n")
HKIRI_KINDS = {"PER": "person", "LOC": "place", "ORG": "organisation"}
HONORIFICS = ("السيد", "السيدة", "Mr", "Mrs", "Ms")


def rows(path: Path) -> Iterator[list[str]]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            yield line.rstrip("\n").split("\t")


class Candidates:
    """Arabic key → English forms with their trust, each Arabic spelling kept for output."""

    def __init__(self) -> None:
        self.forms: dict[str, Counter[str]] = defaultdict(Counter)
        self.kinds: dict[tuple[str, str], str] = {}
        self.spelling: dict[str, str] = {}
        self.curated: set[str] = set()

    def add(self, arabic: str, english: str, kind: str, trust: int) -> None:
        arabic, english = " ".join(arabic.split()), " ".join(english.split())
        words = arabic.split(" ")
        if (not english or not english[0].isupper() or len(words) > MAX_NAME_WORDS
                or len(english.split()) > len(words) + 1  # a phrase, not this name
                or any(len(w) == 1 for w in english.split())  # initials: B Adams for آدامز
                or not all(ARABIC_WORD_RE.fullmatch(w) for w in words)
                or arabic.startswith(HONORIFICS) or english.startswith(HONORIFICS)):
            return
        key = name_key(arabic)
        self.forms[key][english] += trust
        self.kinds.setdefault((key, english), kind)
        self.spelling.setdefault(key, arabic)
        if trust >= CURATED:
            self.curated.add(key)


def candidates(lexicon: Path) -> Candidates:
    found = Candidates()
    for ar, en, kind, *_ in rows(lexicon / "cldr_names.ar-en.tsv.gz"):
        if kind in ("territory", "language") and "(" not in en:
            found.add(ar, en, kind, CURATED)
    for ar, en, *_ in rows(lexicon / "cldr_cities.ar-en.tsv.gz"):
        found.add(ar, en, "place", CURATED)
    for ar, en, *_ in rows(lexicon / "egypt_places.ar-en.tsv.gz"):
        found.add(ar, en, "place", 4)
    for ar, en, kind, *_ in rows(lexicon / "hkiri_names.ar-en.tsv.gz"):
        found.add(ar, en, HKIRI_KINDS.get(kind, "name"), 3)
    for ar, en, *_ in rows(lexicon / "anetac_names.ar-en.tsv.gz"):
        found.add(ar, en, "name", 2)
    for file in ("wikidata_names", "google_translit_names"):
        for ar, en, *_ in rows(lexicon / f"{file}.ar-en.tsv.gz"):
            if len(en) >= 2 and "'" not in en:
                found.add(ar, en.capitalize(), "person", 1)
    return found


def evidence(found: Candidates, train: Path) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """Per Arabic key: how many training pairs hold it, and per (key, form) how many of
    those have the form in their English."""
    seen: Counter[str] = Counter()
    hits: Counter[tuple[str, str]] = Counter()
    patterns: dict[str, re.Pattern[str]] = {}
    for name in TRAIN:
        for row in rows(train / f"{name}.ar-en.tsv.gz"):
            if len(row) < 2:
                continue
            for key in name_keys(row[0], found.forms):
                seen[key] += 1
                for form in found.forms[key]:
                    pattern = patterns.setdefault(form, re.compile(rf"\b{re.escape(form)}\b"))
                    if pattern.search(row[1]):
                        hits[key, form] += 1
    return seen, hits


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared" / "data"
    found = candidates(data / "lexicon")
    seen, hits = evidence(found, data / "train")
    lines = []
    for key in sorted(found.forms):
        forms = found.forms[key]
        weak = (seen[key] and key not in found.curated
                and max(hits[key, f] for f in forms) < NAMENESS * seen[key])
        for form in sorted(forms, key=lambda f: (-hits[key, f], -forms[f], f)):
            kind = found.kinds[key, form]
            if weak and kind not in ("person", "name"):
                break  # mostly a common word in the training data, and not a person's
            lines.append(f"{found.spelling[key]}\t{form}\t{WEAK if weak else kind}\n")
    out = HERE / "names.ar-en.tsv.gz"
    out.write_bytes(gzip.compress("".join(lines).encode("utf-8"), mtime=0))
    print(f"{out}: {len(lines)} names of {len(found.forms)} candidates")


if __name__ == "__main__":
    main()
