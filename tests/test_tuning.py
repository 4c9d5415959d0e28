"""eval/tuning.py: every system draws the same number of settings, and edges are named."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "eval"))

import tuning  # noqa: E402

GRID = {"a": (1, 2, 3), "b": (0.1, 0.2)}


def test_draw_starts_with_the_defaults_and_gives_distinct_settings() -> None:
    default = {"a": 2, "b": 0.1}
    tries = tuning.draw(default, GRID, 4, seed=13)
    assert tries[0] == default and len(tries) == 4
    assert len({tuple(sorted(t.items())) for t in tries}) == 4
    assert tries == tuning.draw(default, GRID, 4, seed=13)  # the seed decides
    assert len(tuning.draw(default, GRID, 50, seed=13)) == 6  # no more than the grid holds
    assert len(tuning.draw({"a": 9, "b": 9}, GRID, 50, seed=13)) == 7  # off-grid defaults


def test_on_edge_names_ends_of_ordered_rows_only() -> None:
    assert tuning.on_edge({"a": 2, "b": 0.2}, GRID) == ["b"]
    assert tuning.on_edge({"a": 1, "b": 0.1}, GRID) == ["a", "b"]
    assert tuning.on_edge({"kind": "union"}, {"kind": ("union", "intersection")}) == []
