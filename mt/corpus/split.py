"""Deterministic train/dev/test splits that cannot leak.

Every pair gets a rank: a seeded hash of its normalised Arabic
(``mt.arabic.matching_key``). The test set takes the ``test`` smallest
distinct ranks and dev the ``dev`` next ones, so the split depends on the
seed and the content, not on the order of the input, and copies of one Arabic
sentence always land together. Two streaming passes, memory bounded by the
held-out size: the first finds the held-out ranks and their normalised
English sides; the second routes each pair.

Leakage check: a pair whose normalised Arabic or English also appears in a
held-out set is not put in train (or in dev, for test sentences); it is
rejected with the reason ``overlaps-test`` or ``overlaps-dev``.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from mt.arabic import matching_key
from mt.corpus.record import Pair
from mt.errors import InputError

SPLITS = ("train", "dev", "test")
LEAK_REASONS = {"overlaps-test": "shares a normalised side with a test pair",
                "overlaps-dev": "shares a normalised side with a dev pair"}


def rank(key: str, seed: int) -> int:
    """The pair's place in the seeded order (64 bits of a keyed hash)."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8,
                             key=seed.to_bytes(8, "little", signed=True))
    return int.from_bytes(digest.digest(), "big")


@dataclass
class SplitPlan:
    """The held-out ranks and the normalised sides they hold."""

    test_ranks: frozenset[int]
    dev_ranks: frozenset[int]
    keys: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # split -> side -> keys


def plan_split(pairs: Iterable[Pair], dev: int, test: int, seed: int = 1,
               name: str = "the corpus") -> SplitPlan:
    """First pass: choose the ``test`` + ``dev`` smallest distinct ranks.

    A corpus with no more distinct pairs than that would leave train empty: an error.
    """
    want = dev + test
    left_for_train = False
    heap: list[int] = []  # negated ranks: a max-heap of the smallest ranks kept
    sides: dict[int, tuple[set[str], set[str]]] = {}
    for pair in pairs:
        ar_key = matching_key(pair.ar)
        value = rank(ar_key, seed)
        if value in sides:
            sides[value][1].add(matching_key(pair.en))
            continue
        if len(heap) < want:
            heapq.heappush(heap, -value)
        elif want and value < -heap[0]:
            del sides[-heapq.heappushpop(heap, -value)]
            left_for_train = True
        else:
            left_for_train = True
            continue
        sides[value] = ({ar_key}, {matching_key(pair.en)})
    if not left_for_train:
        raise InputError(f"{name}: {len(sides)} distinct pairs, not more than --dev {dev} + "
                         f"--test {test}; lower them so that train keeps some pairs")
    ordered = sorted(sides)
    plan = SplitPlan(frozenset(ordered[:test]), frozenset(ordered[test:]))
    for name, ranks in (("test", plan.test_ranks), ("dev", plan.dev_ranks)):
        plan.keys[name] = {"ar": set(), "en": set()}
        for value in ranks:
            plan.keys[name]["ar"] |= sides[value][0]
            plan.keys[name]["en"] |= sides[value][1]
    return plan


def _overlaps(plan: SplitPlan, name: str, ar_key: str, en_key: str) -> bool:
    keys = plan.keys[name]
    return ar_key in keys["ar"] or en_key in keys["en"]


def route(pairs: Iterable[Pair], plan: SplitPlan, seed: int = 1) -> Iterator[tuple[str, Pair]]:
    """Second pass: ``(split, pair)`` for each pair; split is also a leak reason."""
    for pair in pairs:
        ar_key, en_key = matching_key(pair.ar), matching_key(pair.en)
        value = rank(ar_key, seed)
        if value in plan.test_ranks:
            yield "test", pair
        elif _overlaps(plan, "test", ar_key, en_key):
            yield "overlaps-test", pair
        elif value in plan.dev_ranks:
            yield "dev", pair
        elif _overlaps(plan, "dev", ar_key, en_key):
            yield "overlaps-dev", pair
        else:
            yield "train", pair


def split_corpus(source: Callable[[], Iterable[Pair]], dev: int, test: int,
                 seed: int = 1, name: str = "the corpus") -> Iterator[tuple[str, Pair]]:
    """Both passes over ``source()`` (called twice: a corpus is streamed, never held)."""
    plan = plan_split(source(), dev, test, seed, name)
    yield from route(source(), plan, seed)


def find_leaks(train: Iterable[Pair], held_out: Iterable[Pair]) -> Iterator[tuple[int, str]]:
    """``(index in train, side)`` for each train pair sharing a normalised side with held-out."""
    ar_keys: set[str] = set()
    en_keys: set[str] = set()
    for pair in held_out:
        ar_keys.add(matching_key(pair.ar))
        en_keys.add(matching_key(pair.en))
    for index, pair in enumerate(train):
        if matching_key(pair.ar) in ar_keys:
            yield index, "ar"
        elif matching_key(pair.en) in en_keys:
            yield index, "en"
