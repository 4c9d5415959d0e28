"""The same tuning budget for every system (eval/PROTOCOL.md): settings drawn from a grid.

Each tunable system tries its defaults and ``budget - 1`` other settings drawn
from its grid with one seed, and keeps the best on dev; ``on_edge`` names the
settings whose best value is an end of its grid, where the grid may have cut
the search short.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence
from typing import Any

Setting = dict[str, Any]


def draw(default: Setting, grid: Mapping[str, Sequence[Any]], budget: int,
         seed: int) -> list[Setting]:
    """``default`` first, then up to ``budget - 1`` distinct other settings of ``grid``."""
    names = list(grid)
    every = [dict(zip(names, values, strict=True))
             for values in itertools.product(*(grid[n] for n in names))]
    random.Random(seed).shuffle(every)
    chosen = [default]
    for setting in every:
        if len(chosen) >= budget:
            break
        if setting != default:
            chosen.append(setting)
    return chosen


def on_edge(setting: Setting, grid: Mapping[str, Sequence[Any]]) -> list[str]:
    """The names whose value in ``setting`` is the first or last of an ordered grid row."""
    return [name for name, values in grid.items() if len(values) > 1
            and all(isinstance(v, int | float) for v in values)
            and setting.get(name) in (min(values), max(values))]
