"""Word alignment: symmetrisation, clitics, transliteration, anchors, the aligner and `mt align`."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from mt.align import WordAligner, WordLink
from mt.align.anchors import find_anchors
from mt.align.priors import Priors
from mt.align.symmetrize import format_pharaoh, grow_diag_final_and, parse_pharaoh
from mt.align.tokens import (
    Segmenter,
    english_tokens,
    normalise_arabic,
    tokenize_arabic,
    tokenize_english,
)
from mt.align.words import AlignerSettings, _combine
from mt.cli import main
from mt.segment import split_words
from mt.translit import similarity
from mt.types import Span

from .conftest import PAIRS, REPO

SHIPPED = REPO / "models" / "align"

# Names in the tiny lexicon are only there as priors; Zainab is in no table at all.
LEXICON = [("كوريا", "Korea"), ("روسيا", "Russia"), ("حاوية", "container"), ("أسلحة", "weapons"),
           ("وزير", "minister"), ("مدينة", "city"), ("سوق", "market"), ("بيت", "home")]


# --- symmetrisation -----------------------------------------------------------------------

def test_grow_diag_final_and_grows_from_the_intersection() -> None:
    forward = {(0, 0), (1, 1), (2, 1)}
    reverse = {(0, 0), (1, 1), (3, 3)}
    # (2, 1) neighbours (1, 1) and covers an unaligned source word; (3, 3) is added by
    # final-and because both its words are unaligned.
    assert grow_diag_final_and(forward, reverse) == {(0, 0), (1, 1), (2, 1), (3, 3)}


def test_grow_diag_final_and_rejects_points_between_aligned_words() -> None:
    forward = {(0, 0), (1, 1), (0, 1)}
    reverse = {(0, 0), (1, 1)}
    assert grow_diag_final_and(forward, reverse) == {(0, 0), (1, 1)}


def test_pharaoh_round_trip() -> None:
    assert parse_pharaoh("0-1 2-2 10-3") == {(0, 1), (2, 2), (10, 3)}
    assert format_pharaoh({(2, 2), (0, 1), (10, 3)}) == "0-1 2-2 10-3"
    assert parse_pharaoh("") == set()


# --- eflomal, seeded ---------------------------------------------------------------------

def _random_corpus(seed: int, pairs: int = 40) -> tuple[list[list[str]], list[list[str]]]:
    """Unrelated random tokens: every link is a draw of the sampler, so runs differ if unseeded."""
    import random

    rng = random.Random(seed)
    def sentence(prefix: str) -> list[str]:
        return [f"{prefix}{rng.randrange(30)}" for _ in range(rng.randrange(3, 9))]
    return [sentence("s") for _ in range(pairs)], [sentence("t") for _ in range(pairs)]


def test_eflomal_runs_agree_link_for_link_and_the_seed_decides() -> None:
    from mt.align.statistical import run_eflomal

    source, target = _random_corpus(0)
    first, second = (run_eflomal(source, target, samplers=4, iterations=(2, 2, 2))
                     for _ in range(2))
    assert first == second
    other = run_eflomal(source, target, samplers=4, iterations=(2, 2, 2), seed=2)
    assert other != first  # the seed reaches the sampler: it is not merely ignored


# --- aligner tokens -----------------------------------------------------------------------

FREQUENCIES = {"سيارات": 20, "السيارات": 30, "كتاب": 50, "تاب": 6, "انت": 90, "كانت": 40,
               "صندوق": 12, "ابنة": 8, "شارع": 9}


@pytest.mark.parametrize(("word", "tokens"), [
    ("بالسيارات", ("ب+", "ال+", "سيارات")),
    ("وبالسيارات", ("و+", "ب+", "ال+", "سيارات")),
    ("للشارع", ("ل+", "ال+", "شارع")),
    ("الشارع", ("ال+", "شارع")),
    ("كتاب", ("كتاب",)),  # تاب is rarer than كتاب: no ك+
    ("كانت", ("كانت",)),  # ك before a three-letter word is not split
    ("صندوقك", ("صندوق", "+ك")),
    ("ابنتك", ("ابنة", "+ك")),  # ة is written ت before a suffix
    ("الذي", ("الذي",)),  # no article in it
])
def test_segmenter_splits_clitics(word: str, tokens: tuple[str, ...]) -> None:
    assert Segmenter(FREQUENCIES).segment(word) == tokens


def test_arabic_tokens_keep_their_words() -> None:
    text = "ذهبتُ بالسيارةِ إلى ٣ أسواق."
    tokens = tokenize_arabic(text, segmenter=Segmenter({"سيارة": 10}))
    assert [w.slice(text) for w in tokens.words] == ["ذهبتُ", "بالسيارةِ", "إلى", "٣", "أسواق", "."]
    assert tokens.tokens == ("ذهبت", "ب+", "ال+", "سيارة", "الي", "3", "اسواق", ".")
    assert tokens.owners == (0, 1, 1, 1, 2, 3, 4, 5)


def test_normalise_and_english_tokens() -> None:
    assert normalise_arabic("أَحْمَد إلى") == "احمد الي"
    assert english_tokens("I'm") == ["i", "'m"]
    assert english_tokens("don’t") == ["do", "n't"]
    assert english_tokens("Khalid's") == ["khalid", "'s"]
    assert english_tokens("o'clock") == ["o'clock"]
    tokens = tokenize_english("I'm here.")
    assert tokens.tokens == ("i", "'m", "here", ".") and tokens.owners == (0, 0, 1, 2)


# --- transliteration ----------------------------------------------------------------------

@pytest.mark.parametrize(("arabic", "latin"), [
    ("سارة", "Sara"), ("زينب", "Zainab"), ("خالد", "Khalid"), ("موسكو", "Moscow"),
    ("بيونغيانغ", "Pyongyang"), ("تاكسي", "taxi"), ("جيزيل", "Gisèle"),
])
def test_transliterations_are_similar(arabic: str, latin: str) -> None:
    assert similarity(arabic, latin) >= 0.8


@pytest.mark.parametrize(("arabic", "latin"), [
    ("سارة", "Moscow"), ("كريم", "car"), ("روسيا", "the"), ("خالد", "said"),
])
def test_unrelated_words_are_not(arabic: str, latin: str) -> None:
    assert similarity(arabic, latin) < 0.6



def test_a_floor_changes_only_scores_below_it() -> None:
    arabic = ["سارة", "زينب", "خالد", "موسكو", "كريم", "روسيا", "بيونغيانغ", "الرئيس"]
    latin = ["Sara", "Zainab", "Khalid", "Moscow", "car", "the", "Pyongyang", "Putin"]
    for a in arabic:
        for e in latin:
            exact = similarity(a, e)
            for floor in (0.5, 0.7, 0.75, 0.8):
                cut = similarity(a, e, floor)
                assert cut == exact if exact >= floor else cut < floor, (a, e, floor)

# --- anchors ------------------------------------------------------------------------------

def _anchor_texts(source: str, target: str) -> set[tuple[str, str]]:
    sw, tw = split_words(source), split_words(target)
    return {(sw[i].slice(source), tw[j].slice(target))
            for i, j in find_anchors(source, target, sw, tw)}


def test_number_anchors_across_scripts_and_notations() -> None:
    assert ("٣٠٠", "300") in _anchor_texts("وصل ٣٠٠ شخص.", "300 people arrived.")
    assert ("87,29%", "87.29%") in _anchor_texts("فاز بنسبة 87,29% من الأصوات.",
                                                 "He won 87.29% of the votes.")
    anchored = _anchor_texts("أرسلت 7 آلاف حاوية.", "It sent 7,000 containers.")
    assert {("7", "7,000"), ("آلاف", "7,000")} <= anchored
    assert ("سبعة", "seven") in _anchor_texts("سبعة أيام", "seven days")


def test_repeated_numbers_pair_in_order() -> None:
    assert _anchor_texts("من 5 إلى 10 ثم 5", "from 5 to 10 then 5") >= {("10", "10")}
    source, target = "من 5 إلى 10 ثم 5", "from 5 to 10 then 5"
    sw, tw = split_words(source), split_words(target)
    pairs = find_anchors(source, target, sw, tw)
    fives = sorted((i, j) for i, j in pairs if sw[i].slice(source) == "5")
    assert fives == [(1, 1), (5, 5)]


def test_latin_and_punctuation_anchors() -> None:
    anchored = _anchor_texts("هل لديك قرص DVD؟", "Do you have a DVD?")
    assert {("DVD", "DVD"), ("؟", "?")} <= anchored
    assert ("،", ",") in _anchor_texts("نعم، شكرا", "Yes, thanks")


# --- combining links (deterministic: no sampling) -----------------------------------------

def _combine_texts(source: str, target: str, forward: set, reverse: set,
                   hints: tuple[WordLink, ...] = (),
                   settings: AlignerSettings | None = None) -> dict[tuple[str, str], float]:
    src, trg = tokenize_arabic(source), tokenize_english(target)
    links = _combine(source, target, src, trg, forward, reverse, None, None, hints,
                     (settings or AlignerSettings()).translit_link)
    for link in links:
        assert link.source.slice(source) and link.target.slice(target)
    return {(link.source.slice(source), link.target.slice(target)): link.score for link in links}


def test_combine_pins_anchors_and_links_names() -> None:
    source, target = "قابلت زينب 3 مرات.", "I met Zainab 3 times."
    # eflomal's (wrong) links: 3 with "times", زينب with "met"; "." with "times".
    forward = {(2, 4), (1, 1), (4, 4)}
    links = _combine_texts(source, target, forward, set(forward))
    assert links[("3", "3")] == 1.0
    assert ("3", "times") not in links  # an anchored word keeps only its anchor
    assert (".", "times") not in links  # never a word with a punctuation mark
    assert links[(".", ".")] == 1.0
    assert links[("زينب", "met")] == 0.9  # the sampler agreed with itself: kept


def test_combine_links_unlinked_names_and_hints() -> None:
    source, target = "قابلت زينب أمس", "I met Zainab yesterday"
    hint = WordLink(Span(11, 14), Span(13, 22), 0.4)  # أمس / yesterday
    links = _combine_texts(source, target, {(0, 1)}, {(0, 1)}, (hint,))
    assert links[("زينب", "Zainab")] >= 0.8
    assert links[("أمس", "yesterday")] == 0.4
    assert links[("قابلت", "met")] == 0.9
    strict = _combine_texts(source, target, {(0, 1)}, {(0, 1)}, (),
                            AlignerSettings(translit_link=0.99))  # the setting is the one used
    assert ("زينب", "Zainab") not in strict and strict[("قابلت", "met")] == 0.9


def test_aligner_settings_reach_eflomal_and_the_priors(tiny_aligner: Path) -> None:
    pairs = [("قابلت زينب أمس", "I met Zainab yesterday"), ("وصل 300 شخص", "300 people came")]
    shipped = WordAligner(tiny_aligner).align_batch(pairs)
    assert WordAligner(tiny_aligner, AlignerSettings()).align_batch(pairs) == shipped
    aligner = WordAligner(tiny_aligner, AlignerSettings(identical_prior_weight=1.0,
                                                        translit_prior_weight=1.0))
    src, trg = tokenize_arabic(pairs[0][0], None, aligner.segmenter), \
        tokenize_english(pairs[0][1], None)
    lines = aligner._priors_lines(pairs[:1], [src], [trg])
    assert any(line.startswith("LEX\t") and line.endswith("\t1\n") for line in lines)


# --- English function words -------------------------------------------------------------

def _attach(source: str, target: str, links: set[tuple[str, str]]) -> set[tuple[str, str]]:
    from mt.align.attach import attach_function_words

    sw, tw = split_words(source), split_words(target)
    ar = {w.slice(source): i for i, w in enumerate(sw)}
    en = {w.slice(target): j for j, w in enumerate(tw)}
    result = attach_function_words(source, target, sw, tw,
                                   {(ar[a], en[e]): 0.9 for a, e in links})
    return {(sw[i].slice(source), tw[j].slice(target)) for i, j in result}


def test_dropped_subject_pronoun_joins_its_verb_and_a_links_nowhere() -> None:
    links = _attach("احتاج دباسة", "I need a stapler",
                    {("احتاج", "need"), ("دباسة", "stapler"), ("دباسة", "a")})
    assert links == {("احتاج", "need"), ("احتاج", "I"), ("دباسة", "stapler")}


def test_pronoun_after_an_auxiliary_and_an_explicit_pronoun() -> None:
    assert ("يمكنني", "I") in _attach("هل يمكنني الدفع", "Can I pay",
                                      {("يمكنني", "Can"), ("الدفع", "pay")})
    # Arabic writes the pronoun: "I" links to it, not to the verb.
    assert _attach("انا احتاج", "I need", {("احتاج", "need")}) == {("احتاج", "need"),
                                                                   ("انا", "I")}


def test_the_joins_the_noun_after_it() -> None:
    links = _attach("على طاولة المطبخ", "on the kitchen counter",
                    {("على", "on"), ("المطبخ", "kitchen"), ("طاولة", "counter")})
    assert ("المطبخ", "the") in links


# --- the aligner on a tiny model built here -----------------------------------------------

@pytest.fixture(scope="module")
def tiny_aligner(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from mt.align.build import build

    directory = tmp_path_factory.mktemp("align")
    corpus, lexicon = directory / "pairs.ar-en.tsv.gz", directory / "lexicon.ar-en.tsv.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as out:
        out.writelines(f"{ar}\t{en}\n" for ar, en in PAIRS * 3)
    with gzip.open(lexicon, "wt", encoding="utf-8") as out:
        out.writelines(f"{ar}\t{en}\n" for ar, en in LEXICON)
    build([corpus], [lexicon], directory / "model")
    return directory / "model"


def test_build_writes_small_readable_tables(tiny_aligner: Path) -> None:
    meta = json.loads((tiny_aligner / "model.json").read_text(encoding="utf-8"))
    assert meta["pairs"] == len(PAIRS) * 3 + len(LEXICON)
    priors = Priors.load(tiny_aligner / "priors.tsv.gz")
    assert priors.lexical["روسيا"]["russia"] >= 2.0  # the lexicon entry is a prior
    assert priors.jumps_forward and priors.jumps_reverse


def test_aligner_links_words_with_exact_spans(tiny_aligner: Path) -> None:
    aligner = WordAligner(tiny_aligner)
    source = "وصل ٣٠٠ شخص إلى موسكو مع زينب."
    target = "300 people arrived in Moscow with Zainab."
    links = aligner.align(source, target)
    words = {w for w in split_words(source)}, {w for w in split_words(target)}
    assert all(link.source in words[0] and link.target in words[1] for link in links)
    found = {(link.source.slice(source), link.target.slice(target)) for link in links}
    assert {("٣٠٠", "300"), (".", ".")} <= found
    assert ("موسكو", "Moscow") in found and ("زينب", "Zainab") in found
    assert all(0.0 < link.score <= 1.0 for link in links)


def test_aligner_keeps_links_inside_the_given_spans(tiny_aligner: Path) -> None:
    source = "مرحبا. وصل 300 شخص إلى المدينة. شكرا."
    target = "Hello. 300 people arrived in the city. Thanks."
    source_span, target_span = Span(7, 31), Span(7, 38)
    links = WordAligner(tiny_aligner).align(source, target, source_span, target_span)
    assert links and all(source_span.contains(link.source) and target_span.contains(link.target)
                         for link in links)
    assert ("300", "300") in {(link.source.slice(source), link.target.slice(target))
                              for link in links}


def test_batch_aligns_each_pair_and_empty_ones(tiny_aligner: Path) -> None:
    pairs = [("وصل 300 شخص.", "300 people arrived."), ("", ""), ("نعم", "")]
    results = WordAligner(tiny_aligner).align_batch(pairs)
    assert len(results) == 3 and results[1] == [] and results[2] == []
    assert any(link.source.slice(pairs[0][0]) == "300" for link in results[0])


def test_align_iter_keeps_order_across_chunks(tiny_aligner: Path) -> None:
    aligner = WordAligner(tiny_aligner)
    pairs = [(f"وصل {n} شخص.", f"{n} people arrived.") for n in range(1, 6)]
    results = list(aligner.align_iter(pairs, chunk=2))
    assert len(results) == 5
    for (source, target), links in zip(pairs, results, strict=True):
        number = source.split()[1]
        assert any(link.source.slice(source) == number == link.target.slice(target)
                   for link in links)
    assert aligner.signature.startswith("eflomal-priors@")


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    from mt.errors import ModelError

    with pytest.raises(ModelError, match="python -m mt.align.build"):
        WordAligner(tmp_path)


# --- `mt align --pairs` -------------------------------------------------------------------

def test_cli_jsonl_and_pharaoh(tiny_aligner: Path, tmp_path: Path, capsys) -> None:
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("وصل 300 شخص.\t300 people arrived.\n\nهل تتكلم الإنجليزية؟\tDo you speak "
                   "English?\textra column\n", encoding="utf-8")
    assert main(["align", "--pairs", str(tsv), "--aligner", str(tiny_aligner)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 3 and rows[1] == {"source": "", "target": "", "links": []}
    for row in rows:
        for link in row["links"]:
            assert set(link) == {"source", "target", "score"}
            s, t = Span(*link["source"]), Span(*link["target"])
            assert s.slice(row["source"]).strip() and t.slice(row["target"]).strip()
    assert {"source": [4, 7], "target": [0, 3], "score": 1.0} in rows[0]["links"]

    assert main(["align", "--pairs", str(tsv), "--aligner", str(tiny_aligner),
                 "--format", "pharaoh"]) == 0
    lines = capsys.readouterr().out.split("\n")
    assert len(lines) == 4 and lines[1] == "" and lines[3] == ""
    assert "1-0" in lines[0].split() and "3-3" in lines[0].split()  # 300-300 and "."-"."
    assert all(item.count("-") == 1 for line in lines for item in line.split())
    assert main(["align", "--pairs", str(tsv), "--aligner", str(tiny_aligner),
                 "--format", "pharaoh"]) == 0
    assert capsys.readouterr().out.split("\n") == lines  # byte-identical run after run


@pytest.mark.parametrize(("args", "message"), [
    (["--pairs", "PAIRS", "--format", "html"], "jsonl or pharaoh"),
    (["one.txt"], "AR_FILE EN_FILE"),
    (["--pairs", "PAIRS", "a.txt"], "not both"),
    (["--pairs", "NOTAB"], "found no tab"),
    (["--pairs", "missing.tsv"], "no such file"),
])
def test_cli_usage_errors_exit_2(tiny_aligner: Path, tmp_path: Path, capsys, args: list[str],
                                 message: str) -> None:
    (tmp_path / "ok.tsv").write_text("نعم\tyes\n", encoding="utf-8")
    (tmp_path / "bad.tsv").write_text("نعم\tyes\nلا بدون تبويب\n", encoding="utf-8")
    paths = {"PAIRS": str(tmp_path / "ok.tsv"), "NOTAB": str(tmp_path / "bad.tsv"),
             "missing.tsv": str(tmp_path / "missing.tsv")}
    argv = ["align", *[paths.get(a, a) for a in args], "--aligner", str(tiny_aligner)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


# --- the shipped tables -------------------------------------------------------------------

@pytest.mark.embedded
@pytest.mark.skipif(not (SHIPPED / "model.json").exists(),
                    reason="models/align not built (python -m mt.align.build)")
def test_shipped_aligner_aligns_a_news_sentence() -> None:
    source = "قال الرئيس إن 7 آلاف جندي وصلوا إلى موسكو."
    target = "The president said that 7,000 soldiers arrived in Moscow."
    links = {(link.source.slice(source), link.target.slice(target))
             for link in WordAligner(SHIPPED).align(source, target)}
    assert {("7", "7,000"), ("موسكو", "Moscow"), ("الرئيس", "president"),
            ("جندي", "soldiers")} <= links
