"""Named entities: people, places, organisations and their counterparts in the English.

Two sources of evidence. The names table ``models/names.ar-en.tsv.gz`` (a
gazetteer of CLDR, lexicon and Wikidata names kept where the parallel training
data shows them as names; built by ``models/build_names.py``) finds Arabic
names of up to four words, also behind clitics (``وروسيا``) and as adjectives
(``الروسي`` through ``الروسية``, Russian), each with the English form to put in.
Transliteration similarity (``mt.translit``) pairs the capitalised
words of the English with the Arabic words that sound like them, which finds
the names no table holds (``بيونغ يانغ`` / ``Pyongyang``).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Container, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from mt.arabic import ARABIC_WORD_RE, ARTICLE_PREFIXES, PROCLITICS, strip_diacritics, unify_alef
from mt.paths import names_file
from mt.translit import similarity
from mt.types import Span

SOUND_MATCH = 0.75  # transliteration similarity that counts as the same name
MAX_NAME_WORDS = 4  # the longest name of the table, in Arabic words
WEAK = "weak"  # the kind of a name that is more often a word: a name only after another
_LATIN_NAME_RE = re.compile(r"[A-Z][A-Za-z'’\-]*[A-Za-z]|[A-Z]")
_PREFIXES = (*ARTICLE_PREFIXES, *PROCLITICS)
# Capitalised at a sentence start without being names.
_ENGLISH_FUNCTION = frozenset(
    "the a an he she it they we i you in on at by for from to of and but or as with this that "
    "these those his her its their our there here when while after before since if yet so "
    "mr mrs ms dr".split()
)


@dataclass(frozen=True)
class Entity:
    """A name in the Arabic; ``english`` holds the forms the names table gives it, ``form``
    the one to write (the training data's most frequent)."""

    span: Span
    english: frozenset[str]
    kind: str  # territory, language, place, organisation, person or name
    form: str


@lru_cache(maxsize=1)
def names_table() -> dict[str, tuple[list[str], str, str]]:
    """Arabic name (``name_key``) → (English forms, kind, the form to write: the first row's).

    The forms stay a list, made a set by the lookup that finds them: a frozenset for each of
    the 125,000 names cost a third of the table's load, on every run."""
    table: dict[str, tuple[list[str], str, str]] = {}
    path = names_file()
    if not path.exists():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            ar, en, kind = line.rstrip("\n").split("\t")
            forms, _, _ = table.setdefault(name_key(ar), ([], kind, en))
            if en not in forms:
                forms.append(en)
    return table


_FOLD = str.maketrans("ىة", "يه")  # final ya and ta marbuta, often written without dots


def name_key(arabic: str) -> str:
    """An Arabic name as the table looks it up: no harakat, bare alef, final letters folded."""
    return unify_alef(strip_diacritics(arabic)).translate(_FOLD)


def name_keys(text: str, table: Container[str]) -> set[str]:
    """Every key of ``table`` that ``text`` holds as whole words, the first word with or
    without a clitic (what models/build_names.py counts in the training data)."""
    words = [name_key(m.group()) for m in ARABIC_WORD_RE.finditer(text)]
    found = set()
    for i in range(len(words)):
        for core, _ in _cores(words[i]):
            for size in range(1, MAX_NAME_WORDS + 1):
                if i + size > len(words):
                    break
                phrase = " ".join([core, *words[i + 1:i + size]])
                if phrase in table:
                    found.add(phrase)
    return found


def _cores(word: str) -> list[tuple[str, int]]:
    """Forms of an Arabic word with a clitic prefix removed, with the prefix length."""
    forms = [(word, 0)]
    forms.extend((word[len(p):], len(p)) for p in _PREFIXES
                 if word.startswith(p) and len(word) - len(p) >= 3)
    return forms


def _lookup(words: list[str], weak: bool = False
            ) -> tuple[tuple[frozenset[str], str, str], int] | None:
    """The table entry for a word sequence (first word may carry a clitic), prefix length;
    a ``weak`` one (a name only next to another, see models/build_names.py) if ``weak``."""
    table = names_table()
    rest = " ".join(name_key(w) for w in words[1:])
    for core, cut in _cores(name_key(words[0])):
        phrase = f"{core} {rest}".strip()
        for candidate in (phrase, phrase + "ه" if phrase.endswith("ي") else None):
            if candidate and candidate in table:
                forms, kind, form = table[candidate]
                if kind == WEAK and not (weak and not cut):
                    continue
                if kind in ("person", "name") and cut and name_key(words[0])[:cut] != "و":
                    continue  # بينما is "while", not ب + a name Yenma
                return (frozenset(forms), "person" if kind == WEAK else kind, form), cut
    return None


def find_arabic_entities(text: str, span: Span | None = None) -> list[Entity]:
    """Names of the table in ``text`` (or in ``span`` of it), longest first, not overlapping."""
    base = span or Span(0, len(text))
    words = list(ARABIC_WORD_RE.finditer(text, base.start, base.end))
    found: list[Entity] = []
    i = 0
    while i < len(words):
        for size in range(MAX_NAME_WORDS, 0, -1):
            group = words[i:i + size]
            if len(group) < size or any(text[a.end():b.start()].strip()
                                        for a, b in pairwise(group)):
                continue
            hit = _lookup([w.group() for w in group], weak=_after_person(text, found, group[0]))
            if hit is not None:
                (forms, kind, form), cut = hit
                found.append(Entity(Span(group[0].start() + cut, group[-1].end()), forms, kind,
                                    form))
                i += size
                break
        else:
            i += 1
    return _join_people(text, found)


_PERSON_KINDS = ("person", "name")


def _after_person(text: str, found: list[Entity], word: re.Match[str]) -> bool:
    """Whether ``word`` directly follows a person's name (أون after كيم جونغ)."""
    return bool(found) and found[-1].kind in _PERSON_KINDS and _adjacent(
        text, found[-1].span, Span(word.start(), word.end()))


def _join_people(text: str, found: list[Entity]) -> list[Entity]:
    """Adjacent person names as one name: بيونغ يانغ is one place, كيم جونغ one person."""
    joined: list[Entity] = []
    for entity in found:
        last = joined[-1] if joined else None
        if (last is not None and last.kind in _PERSON_KINDS and entity.kind in _PERSON_KINDS
                and _adjacent(text, last.span, entity.span)):
            forms = frozenset(f"{a}{sep}{b}" for a in sorted(last.english)[:4]
                              for b in sorted(entity.english)[:4] for sep in (" ", ""))
            joined[-1] = Entity(Span(last.span.start, entity.span.end), forms, "person",
                                f"{last.form} {entity.form}")
        else:
            joined.append(entity)
    return joined


def english_names(text: str, span: Span) -> list[Span]:
    """Capitalised words of ``span`` that may be names (function words at a start are not)."""
    return [Span(m.start(), m.end()) for m in _LATIN_NAME_RE.finditer(text, span.start, span.end)
            if m.group().lower() not in _ENGLISH_FUNCTION]


@lru_cache(maxsize=65536)
def _sounds_alike(arabic: str, english: str) -> float:
    """The best similarity of ``english`` to a clitic-stripped core of ``arabic``, or 0.0
    when none reaches ``SOUND_MATCH`` (the only scores callers keep)."""
    return max((similarity(core, english, SOUND_MATCH) for core, _ in _cores(name_key(arabic))),
               default=0.0)


def find_in_english(entity: Entity, source: str, target: str, names: Sequence[Span],
                    window: Span) -> Span | None:
    """Where ``entity`` is named in ``window`` of the English: a table form, its adjective,
    or a word that sounds like it; a full table form first (South Korea before Korea)."""
    for english in sorted(entity.english, key=len, reverse=True):
        found = re.compile(rf"\b{re.escape(english)}[a-z]{{0,2}}\b", re.IGNORECASE).search(
            target, window.start, window.end)
        if found and target[found.start()].isupper():
            return Span(found.start(), found.end())
    lowered = {f.lower() for f in entity.english}
    for name in names:
        word = name.slice(target).lower()
        if any(word.startswith(f) and len(word) - len(f) <= 2 for f in lowered if len(f) >= 4):
            return name
    words = entity.span.slice(source).split()
    words.append("".join(words))  # بيونغ يانغ sounds like Pyongyang
    for name in names:
        if any(_sounds_alike(w, name.slice(target)) >= SOUND_MATCH for w in words):
            return name
    return None


def sound_pairs(source: str, target: str, source_span: Span, target_span: Span,
                taken: Sequence[Span]) -> list[tuple[Span, Span]]:
    """Arabic words paired by sound with capitalised English words, adjacent ones joined."""
    words = [Span(m.start(), m.end())
             for m in ARABIC_WORD_RE.finditer(source, source_span.start, source_span.end)
             if not any(t.start <= m.start() < t.end for t in taken)]
    # Single words, and two adjacent words as one (بيونغ يانغ is Pyongyang).
    arabic = [(w, w.slice(source)) for w in words] + [
        (Span(a.start, b.end), a.slice(source) + b.slice(source))
        for a, b in pairwise(words) if _adjacent(source, a, b)]
    pairs: list[tuple[Span, Span]] = []
    for name in english_names(target, target_span):
        english = name.slice(target)
        if len(english) < 3:
            continue
        scored = [(_sounds_alike(text, english), w) for w, text in arabic]
        best = max(scored, default=(0.0, None), key=lambda x: x[0])
        if best[1] is not None and best[0] >= SOUND_MATCH:
            word = best[1]
            # Drop the clitic that the name sounds best without (وبوتين: Putin).
            _, cut = max((similarity(name_key(core), english), -c)
                         for core, c in _cores(word.slice(source).replace(" ", "")))
            cut = -cut
            pairs.append((Span(word.start + cut, word.end), name))
    joined: list[tuple[Span, Span]] = []
    for a, e in sorted(pairs):
        if joined and _adjacent(source, joined[-1][0], a) and _adjacent(target, joined[-1][1], e):
            joined[-1] = (Span(joined[-1][0].start, a.end), Span(joined[-1][1].start, e.end))
        elif not joined or joined[-1][0] != a:
            joined.append((a, e))
    return joined


def _adjacent(text: str, left: Span, right: Span) -> bool:
    return left.end <= right.start and not text[left.end:right.start].strip(" -")
