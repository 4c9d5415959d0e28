from __future__ import annotations

from collections import Counter

from mt.corpus.record import Pair
from mt.corpus.split import find_leaks, plan_split, route, split_corpus

CORPUS = [Pair(f"الجملة رقم {i} هنا", f"Sentence number {i} here") for i in range(200)]


def _split(pairs: list[Pair], dev: int, test: int, seed: int = 1) -> dict[str, list[Pair]]:
    out: dict[str, list[Pair]] = {}
    for name, pair in split_corpus(lambda: iter(pairs), dev, test, seed):
        out.setdefault(name, []).append(pair)
    return out


def test_split_sizes_and_every_pair_accounted_for() -> None:
    parts = _split(CORPUS, dev=20, test=30)
    assert {k: len(v) for k, v in parts.items()} == {"train": 150, "dev": 20, "test": 30}
    assert Counter(p for part in parts.values() for p in part) == Counter(CORPUS)


def test_split_is_deterministic_and_independent_of_input_order() -> None:
    first = _split(CORPUS, 10, 10)
    again = _split(list(reversed(CORPUS)), 10, 10)
    assert set(first["test"]) == set(again["test"]) and set(first["dev"]) == set(again["dev"])
    assert set(_split(CORPUS, 10, 10, seed=2)["test"]) != set(first["test"])


def test_normalised_copies_of_an_arabic_sentence_land_together() -> None:
    copies = [Pair("الجملة رقم 7 هنا", "Sentence number 7 here"),
              Pair("الجُملة رقم ٧ هنا!", "Sentence no. 7 is here")]
    pairs = CORPUS + copies
    parts = _split(pairs, 0, 100)
    where = {name for name, part in parts.items() for p in part if p.ar in {c.ar for c in copies}
             or p is CORPUS[7]}
    assert len(where) == 1


def test_english_side_leak_is_rejected_not_trained_on() -> None:
    plan = plan_split(iter(CORPUS), dev=0, test=5)
    test_pair = next(p for n, p in route(iter(CORPUS), plan) if n == "test")
    twin = Pair("ترجمة أخرى مختلفة تماما", test_pair.en.upper() + "!")
    routed = list(route(iter([*CORPUS, twin]), plan))
    assert ("overlaps-test", twin) in routed
    train = [p for n, p in routed if n == "train"]
    held_out = [p for n, p in routed if n in ("dev", "test")]
    assert list(find_leaks(train, held_out)) == []
    assert list(find_leaks([*train, twin], held_out)) == [(len(train), "en")]


def test_dev_sentence_that_is_also_in_test_is_rejected() -> None:
    plan = plan_split(iter(CORPUS), dev=5, test=5)
    test_en = next(p.en for n, p in route(iter(CORPUS), plan) if n == "test")
    dev_pair = next(p for n, p in route(iter(CORPUS), plan) if n == "dev")
    clash = Pair(dev_pair.ar, test_en)
    assert ("overlaps-test", clash) in list(route(iter([clash]), plan))


def test_zero_held_out_puts_everything_in_train() -> None:
    assert {n for n, _ in split_corpus(lambda: iter(CORPUS), 0, 0)} == {"train"}
