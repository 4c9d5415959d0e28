"""The fixed split of ../shared/data/wordalign/gold_dev.json into a tuning and a reporting half.

Every script that tunes on the gold word alignments tunes on ``tuning`` only and
reports on ``reporting`` only, so a reported figure never saw its own pairs.
A pair's half depends on its ``id`` alone (pairs ordered by a salted SHA-256 of
the id, the first half reporting), so the split does not move when the file is
reordered and is the same for every script that imports it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "wordalign" / \
    "gold_dev.json"
SALT = "mt gold_dev split v1:"
Row = TypeVar("Row")


@dataclass(frozen=True)
class Halves(Generic[Row]):
    tuning: list[Row]
    reporting: list[Row]


def _rank(pair_id: str) -> str:
    return hashlib.sha256((SALT + pair_id).encode("utf-8")).hexdigest()


def split(rows: Sequence[Row], pair_id: Callable[[Row], str]) -> Halves[Row]:
    """``rows`` in two halves (reporting gets the odd one), each in its original order."""
    ids = [pair_id(row) for row in rows]
    if len(set(ids)) != len(ids):
        raise ValueError("gold pairs need unique ids to be split")
    ranked = sorted(ids, key=_rank)
    reporting = set(ranked[:len(ranked) - len(ranked) // 2])
    return Halves([r for r, i in zip(rows, ids, strict=True) if i not in reporting],
                  [r for r, i in zip(rows, ids, strict=True) if i in reporting])


def read_halves(path: Path = GOLD) -> Halves[dict[str, Any]]:
    """The gold rows (``id``, ``ar``, ``en``, ``alignment_string``) in their two halves."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    return split(rows, lambda row: str(row["id"]))
