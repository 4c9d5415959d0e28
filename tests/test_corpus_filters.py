from __future__ import annotations

import pytest

from mt.arabic import matching_key, unify_alef
from mt.corpus.filters import (
    REASONS,
    Deduplicator,
    FilterConfig,
    SeenKeys,
    filter_pairs,
    numbers_differ,
)
from mt.corpus.record import Pair

from .conftest import PAIRS

# (arabic, english, reason or None): one row per check, with a near miss that passes.
CASES = [
    ("وصل 300 شخص إلى المدينة.", "300 people arrived in the city.", None),
    ("  ", "Hello.", "empty"),
    ("مرحبا", "", "empty"),
    (" ".join(["كلمة"] * 201), " ".join(["word"] * 201), "too-long"),
    ("Firefox", "Firefox", "identical"),
    ("Open the file", "Open the file now", "script-ar"),
    ("افتح الملف", "افتح الملف الآن", "script-en"),
    ("افتح الملف", "٣٠٠", "script-en"),
    ("من پدر و مادر گفتم", "I told father and mother.", "lang-ar"),
    ("احب الوان هذا اللوحة، ولکن بالنسبة لي هي صغیرة جدا",
     "I like the colors on this painting, but it's far too small for me.", None),
    ("قال الرجل إنه سيأتي غدا صباحا إلى المدينة الكبيرة مع عائلته",
     "Le président viendra demain matin dans la grande ville avec sa famille", "lang-en"),
    ("نعم", "Yes, absolutely, without any doubt whatsoever, I completely agree!", "length-ratio"),
    ("حذف الامر \"%s\"?", "Delete command \"%s\"?", "placeholder"),
    ("(مُعلّمة) { $url }", "(Bookmarked) { $url }", "placeholder"),
    ("\"$1\" ليس تصنيفا.", "\"$1\" is not a category.", "placeholder"),
    ("كلف 5 دولارات", "It cost $5", None),
    ("<b>الخواص</b>", "<b>Attributes</b>", "markup"),
    ("&nbsp;عهدا قطعت لعيني", "I made a covenant with mine eyes", "markup"),
    ("فاز بنسبة 87,29% من الأصوات.", "He won 87.29% of the votes.", None),
    ("زودت روسيا بسبعة آلاف حاوية.", "supplied Russia with 7,000 containers.", None),
    ("زودت روسيا بـ 7 آلاف حاوية.", "supplied Russia with 700 containers.", "number-mismatch"),
    ("وصل ٣٠٠ شخص.", "300 people arrived.", None),
    ("لا أحد يعرف.", "No one knows.", None),
]


@pytest.mark.parametrize(("ar", "en", "reason"), CASES)
def test_each_check_names_its_reason(ar: str, en: str, reason: str | None) -> None:
    rejected: list[str] = []
    kept = list(filter_pairs([Pair(ar, en)], FilterConfig(), lambda p, r: rejected.append(r)))
    assert (rejected[0] if rejected else None) == reason
    assert len(kept) + len(rejected) == 1


def test_every_reason_is_explained() -> None:
    produced = {reason for _, _, reason in CASES if reason}
    assert produced <= set(REASONS)


def test_low_score_applies_only_with_a_threshold_and_a_score() -> None:
    pairs = [Pair("مرحبا بكم", "Welcome", score=0.2), Pair("مرحبا بكم جميعا", "Welcome all")]
    rejected: list[str] = []
    kept = list(filter_pairs(pairs, FilterConfig(min_score=0.5), lambda p, r: rejected.append(r)))
    assert rejected == ["low-score"] and kept == pairs[1:]
    assert len(list(filter_pairs(pairs, FilterConfig(), lambda p, r: None))) == 2


def test_skip_turns_checks_off() -> None:
    pair = Pair("حذف الامر \"%s\"?", "Delete command \"%s\"?")
    kept = list(filter_pairs([pair], FilterConfig(skip=frozenset({"placeholder"})),
                             lambda p, r: None))
    assert kept == [pair]


def test_duplicates_and_near_duplicates_are_rejected_in_order() -> None:
    original = Pair("أعلن الوزير وصول ٣٠٠ شخص.", "The minister announced 300 arrivals.")
    exact = Pair(original.ar, original.en, doc="elsewhere")
    near = Pair("اعلَن الوزيــر وصول 300 شخص!", "the minister announced 300 arrivals")
    other = Pair("أعلن الوزير وصول ٣٠٠ شخص.", "The minister announced 300 people arrived.")
    rejected: list[tuple[Pair, str]] = []
    kept = list(filter_pairs([original, exact, near, other], FilterConfig(),
                             lambda p, r: rejected.append((p, r))))
    assert kept == [original, other]
    assert rejected == [(exact, "duplicate"), (near, "near-duplicate")]


def test_dedup_only_counts_pairs_that_passed_the_other_checks() -> None:
    bad = Pair("<b>مرحبا بكم</b>", "<b>Welcome</b>")
    rejected: list[str] = []
    list(filter_pairs([bad, bad], FilterConfig(), lambda p, r: rejected.append(r)))
    assert rejected == ["markup", "markup"]


def test_deduplicator_modes() -> None:
    pair, variant = Pair("قال", "said"), Pair("قالَ", "Said")
    exact_only = Deduplicator(exact=True, near=False)
    assert [exact_only.reason(p) for p in (pair, variant, pair)] == [None, None, "duplicate"]
    exact_only.close()
    near_only = Deduplicator(exact=False, near=True)
    assert [near_only.reason(p) for p in (pair, variant, pair)] == [
        None, "near-duplicate", "near-duplicate"]
    near_only.close()


def test_seen_keys_is_a_set_on_disk() -> None:
    seen = SeenKeys()
    assert [seen.add(k) for k in (b"a", b"b", b"a", b"\x00", b"")] == [
        True, True, False, True, True]
    seen.close()


def test_matching_key_normalises_what_dedup_and_leakage_ignore() -> None:
    assert matching_key("أَعلنَ الوزيــر ٣٠٠ شخصٍ!") == matching_key("اعلن  الوزير 300 شخص")
    assert matching_key("ﻻ") == matching_key("لا")  # presentation form
    assert matching_key("Hello, World") == "hello world"
    assert matching_key("→") != matching_key("←")
    assert matching_key("قال") != matching_key("قالت")
    assert unify_alef("أإآٱ") == "اااا"


@pytest.mark.parametrize(("ar", "en", "differ"), [
    ("بلغ 1,500 دولار", "reached $1,500", False),
    ("بلغ 1٬500 دولار", "reached 1,500 dollars", False),
    ("بلغ 1500 دولار", "reached 15,000 dollars", True),
    ("بعد عامين", "two years later", False),
    ("في 2015", "in 2016", True),
    ("الصفحة", "page 4", True),
])
def test_numbers_differ(ar: str, en: str, differ: bool) -> None:
    assert numbers_differ(ar, en) is differ


def test_filter_streams() -> None:
    """Pairs come out while the input is still being read."""
    consumed = []

    def source():
        for ar, en in PAIRS:
            consumed.append(ar)
            yield Pair(ar, en)

    stream = filter_pairs(source(), FilterConfig(), lambda p, r: None)
    next(stream)
    assert len(consumed) < len(PAIRS)
    stream.close()
