"""Filtering pairs: every rejection names its reason, nothing vanishes.

Checks are ``(reason, fails)`` pairs run in order; the first that fails
names the reason. Stateless checks come first and de-duplication last, so a
duplicate is counted only among pairs that are otherwise clean. More checks
(``mt check`` findings, an alignment model) plug in as ``extra_checks``.

De-duplication keeps a 16-byte digest per distinct pair in an on-disk SQLite
table, so memory stays flat however large the corpus is. Rejected pairs are
written with their reason by :class:`RejectsWriter`.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mt.arabic import (
    ARABIC_LETTER_RE,
    LATIN_LETTER_RE,
    arabic_ratio,
    has_markup,
    has_placeholder,
    matching_key,
)
from mt.corpus.formats.text import jsonl_line
from mt.corpus.record import Pair
from mt.numbers import Number, find_arabic_numbers, find_english_numbers
from mt.outputs import Staged, output_file

Check = tuple[str, Callable[[Pair], bool]]

REASONS = {
    "empty": "a side is empty or blank",
    "too-long": "a side has more words than --max-words",
    "identical": "the English side is the Arabic side, untranslated",
    "script-ar": "the Arabic side is not mostly Arabic letters",
    "script-en": "the English side has no Latin letters or too many Arabic ones",
    "lang-ar": "the Arabic side reads as Persian or Urdu",
    "lang-en": "10+ words and not one English function word",
    "length-ratio": "one side is more than --max-ratio times longer",
    "low-score": "alignment or model score below --min-score",
    "low-quality": "quality estimate below --min-quality",
    "unrated": "no quality estimate to hold to --min-quality (a pair not built by mt)",
    "placeholder": "leftover placeholders (%s, {name}, $1, \\n)",
    "markup": "leftover markup (tags, entities)",
    "number-mismatch": "a number in digits on one side is missing on the other",
    "duplicate": "exact duplicate of an earlier pair",
    "near-duplicate": "duplicate of an earlier pair once normalised",
}
DEDUP_REASONS = ("duplicate", "near-duplicate")

# Letters Persian and Urdu use and Arabic does not (not ی and ک, which Arabic
# typed on a Persian keyboard has too).
PERSIAN_LETTERS_RE = re.compile("[پچژگٹڈڑںےۓ]")
_DIGIT_RE = re.compile(r"\d")
ENGLISH_FUNCTION_WORDS = frozenset(
    "the a an of to in on at by for from with and or but not no is are was were be been "
    "has have had do does did will would can could shall should may might must this that "
    "these those it its he she they we you i his her their our your who which what there "
    "as if than then so all some any one".split())
_LATIN_WORD_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


@dataclass(frozen=True)
class FilterConfig:
    """Thresholds of the checks; ``skip`` turns checks off by reason."""

    max_words: int = 200
    max_ratio: float = 3.0
    ratio_slack: int = 10  # characters: short pairs vary a lot in relative length
    min_arabic: float = 0.5
    max_arabic_in_english: float = 0.1
    min_score: float | None = None
    min_quality: float | None = None
    skip: frozenset[str] = field(default_factory=frozenset)


def _values(text: str, finder: Callable[[str], list[Number]]) -> tuple[set[float], set[float]]:
    """Values written with digits, and all values (digits and number words)."""
    try:
        numbers = finder(text)
    except ValueError:  # a numeral the parser cannot read: nothing to compare
        return set(), set()
    digits = {n.value for n in numbers if _DIGIT_RE.search(n.span.slice(text))}
    return digits, {n.value for n in numbers}


def numbers_differ(ar: str, en: str) -> bool:
    """Whether a number written in digits on one side has no equal on the other.

    Number words only answer, never ask: "one" and "two-year-old" are too
    often not quantities to demand a counterpart.
    """
    if not (_DIGIT_RE.search(ar) or _DIGIT_RE.search(en)):
        return False  # nothing written in digits: nothing to demand (and no costly scan)
    ar_digits, ar_all = _values(ar, find_arabic_numbers)
    en_digits, en_all = _values(en, find_english_numbers)
    return not (ar_digits <= en_all and en_digits <= ar_all)


def _persian(text: str) -> bool:
    odd = len(PERSIAN_LETTERS_RE.findall(text))
    return odd >= 2 and odd >= 0.05 * len(ARABIC_LETTER_RE.findall(text))


def _not_english(text: str) -> bool:
    words = [w.lower() for w in _LATIN_WORD_RE.findall(text)]
    return len(words) >= 10 and not any(w in ENGLISH_FUNCTION_WORDS for w in words)


def _length_ratio(pair: Pair, config: FilterConfig) -> bool:
    short, long = sorted((len(pair.ar.strip()), len(pair.en.strip())))
    return long > config.max_ratio * short + config.ratio_slack


def default_checks(config: FilterConfig) -> list[Check]:
    """The stateless checks in order, without those ``config.skip`` names."""
    table: list[Check] = [
        ("empty", lambda p: not p.ar.strip() or not p.en.strip()),
        ("too-long", lambda p: max(len(p.ar.split()), len(p.en.split())) > config.max_words),
        ("identical", lambda p: p.ar.strip() == p.en.strip()),
        ("script-ar", lambda p: arabic_ratio(p.ar) < config.min_arabic),
        ("script-en", lambda p: LATIN_LETTER_RE.search(p.en) is None
         or arabic_ratio(p.en) > config.max_arabic_in_english),
        ("lang-ar", lambda p: _persian(p.ar)),
        ("lang-en", lambda p: _not_english(p.en)),
        ("length-ratio", lambda p: _length_ratio(p, config)),
        ("low-score", lambda p: config.min_score is not None and p.score is not None
         and p.score < config.min_score),
        ("unrated", lambda p: config.min_quality is not None and p.quality is None),
        ("low-quality", lambda p: config.min_quality is not None and p.quality is not None
         and p.quality < config.min_quality),
        ("placeholder", lambda p: has_placeholder(p.ar, p.en)),
        ("markup", lambda p: has_markup(p.ar, p.en)),
        ("number-mismatch", lambda p: numbers_differ(p.ar, p.en)),
    ]
    return [check for check in table if check[0] not in config.skip]


class SeenKeys:
    """A set of byte keys on disk (SQLite), so memory does not grow with the corpus."""

    def __init__(self, directory: str | None = None) -> None:
        self._tmp = tempfile.TemporaryDirectory(dir=directory, prefix="mt-seen-")
        self._db = sqlite3.connect(str(Path(self._tmp.name) / "seen.db"), isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-32000"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute("CREATE TABLE seen (key BLOB PRIMARY KEY) WITHOUT ROWID")
        self._db.execute("BEGIN")

    def add(self, key: bytes) -> bool:
        """Add ``key``; False when it was already there."""
        cursor = self._db.execute("INSERT OR IGNORE INTO seen VALUES (?)", (key,))
        return cursor.rowcount == 1

    def close(self) -> None:
        self._db.close()
        self._tmp.cleanup()


def _digest(*texts: str) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for text in texts:  # length-prefixed, so no two different tuples share a byte string
        data = text.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.digest()


class Deduplicator:
    """Exact duplicates (same text) and near-duplicates (same ``matching_key`` on both sides)."""

    def __init__(self, exact: bool = True, near: bool = True,
                 directory: str | None = None) -> None:
        self.exact, self.near = exact, near
        self._seen = SeenKeys(directory)

    def reason(self, pair: Pair) -> str | None:
        """``duplicate``/``near-duplicate`` for a pair seen before; records it otherwise."""
        new_exact = self._seen.add(b"x" + _digest(pair.ar, pair.en))
        if self.exact and not new_exact:
            return "duplicate"
        if self.near and not self._seen.add(
                b"n" + _digest(matching_key(pair.ar), matching_key(pair.en))):
            return "near-duplicate"
        return None

    def close(self) -> None:
        self._seen.close()


def filter_pairs(pairs: Iterable[Pair], config: FilterConfig,
                 on_reject: Callable[[Pair, str], None],
                 extra_checks: Sequence[Check] = (),
                 workdir: str | None = None) -> Iterator[Pair]:
    """The pairs that pass every check; each other pair goes to ``on_reject`` with its reason."""
    checks = [*default_checks(config), *extra_checks]
    dedup = None
    if not set(DEDUP_REASONS) <= config.skip:
        dedup = Deduplicator("duplicate" not in config.skip, "near-duplicate" not in config.skip,
                             workdir)
    try:
        for pair in pairs:
            reason = next((name for name, fails in checks if fails(pair)), None)
            if reason is None and dedup is not None:
                reason = dedup.reason(pair)
            if reason is None:
                yield pair
            else:
                on_reject(pair, reason)
    finally:
        if dedup is not None:
            dedup.close()


class RejectsWriter(Staged):
    """Rejected pairs as JSONL rows with a ``reason``, counted per reason; staged like any
    output (``-``: stdout)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._output = output_file(path)
        self.counts: Counter[str] = Counter()

    def reject(self, pair: Pair, reason: str) -> None:
        self._output.stream.write(jsonl_line({"reason": reason, **pair.to_row(compact=True)}))
        self.counts[reason] += 1

    def commit(self) -> None:
        self._output.commit()

    def discard(self) -> None:
        self._output.discard()
