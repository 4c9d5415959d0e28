from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "eval"))

import gold_split  # noqa: E402


def test_halves_are_disjoint_complete_and_order_free() -> None:
    rows = [{"id": f"p{i}"} for i in range(41)]
    halves = gold_split.split(rows, lambda r: r["id"])
    assert len(halves.reporting) == 21 and len(halves.tuning) == 20
    assert {r["id"] for r in halves.tuning} | {r["id"] for r in halves.reporting} == \
        {r["id"] for r in rows}
    shuffled = rows[:]
    random.Random(0).shuffle(shuffled)
    again = gold_split.split(shuffled, lambda r: r["id"])
    assert {r["id"] for r in again.reporting} == {r["id"] for r in halves.reporting}


def test_duplicate_ids_refused() -> None:
    with pytest.raises(ValueError, match="unique ids"):
        gold_split.split([{"id": "a"}, {"id": "a"}], lambda r: r["id"])


@pytest.mark.shared
def test_gold_dev_split_is_fixed() -> None:
    if not gold_split.GOLD.exists():
        pytest.skip(f"{gold_split.GOLD} absent")
    halves = gold_split.read_halves()
    assert (len(halves.tuning), len(halves.reporting)) == (99, 100)
    assert [r["id"] for r in halves.reporting][:3] == ["m10881", "m7393", "m10248"]
