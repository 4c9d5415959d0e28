"""Symmetrising two directional word alignments (Koehn et al.'s grow-diag-final-and).

Alignments are sets of ``(i, j)`` index pairs, ``i`` a source word and ``j`` a
target word, in both directions (as eflomal writes them). The result keeps the
intersection, grows it into neighbouring union points that cover a word not
yet aligned, then adds union points whose two words are both still unaligned.
"""

from __future__ import annotations

from collections.abc import Iterable

Pair = tuple[int, int]
NEIGHBOURS = ((-1, 0), (0, -1), (1, 0), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1))


def grow_diag_final_and(forward: Iterable[Pair], reverse: Iterable[Pair]) -> set[Pair]:
    """The grow-diag-final-and symmetrisation of ``forward`` and ``reverse``."""
    forward, reverse = set(forward), set(reverse)
    union = forward | reverse
    result = forward & reverse
    sources = {i for i, _ in result}
    targets = {j for _, j in result}

    def add(point: Pair) -> None:
        result.add(point)
        sources.add(point[0])
        targets.add(point[1])

    grown = True
    while grown:  # grow-diag: until no neighbour can be added
        grown = False
        for i, j in sorted(result):
            for di, dj in NEIGHBOURS:
                point = (i + di, j + dj)
                if point in union and point not in result and (
                    point[0] not in sources or point[1] not in targets
                ):
                    add(point)
                    grown = True
    for direction in (forward, reverse):  # final-and: both words must still be unaligned
        for point in sorted(direction):
            if point[0] not in sources and point[1] not in targets:
                add(point)
    return result


def parse_pharaoh(line: str) -> set[Pair]:
    """``"0-1 2-2"`` as ``{(0, 1), (2, 2)}``."""
    pairs = set()
    for item in line.split():
        i, _, j = item.partition("-")
        pairs.add((int(i), int(j)))
    return pairs


def format_pharaoh(pairs: Iterable[Pair]) -> str:
    """Index pairs as a Pharaoh line, sorted: ``"0-1 2-2"``."""
    return " ".join(f"{i}-{j}" for i, j in sorted(pairs))
