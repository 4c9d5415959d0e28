from __future__ import annotations

import json
from pathlib import Path

import pytest

from mt.cli import main
from mt.corpus.formats import read_corpus
from mt.corpus.record import Pair
from mt.corpus.split import find_leaks

from .conftest import PAIRS, SHARED

PUD = SHARED / "data" / "dev" / "pud.ar-en.tsv.gz"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The fixture pairs, one duplicated, one with markup, one with a tab, as JSONL."""
    pairs = [Pair(ar, en) for ar, en in PAIRS]
    pairs += [pairs[0], Pair("<b>مرحبا</b>", "<b>Hello</b>"), Pair("عمود\tآخر", "a\tb")]
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(p.to_row(compact=True), ensure_ascii=False) + "\n"
                            for p in pairs), encoding="utf-8")
    return path


def test_convert_round_trip_through_every_format(corpus: Path, tmp_path: Path, capsys) -> None:
    original = list(read_corpus(str(corpus)))
    chain = [str(tmp_path / "c.tmx"), str(tmp_path / "c.parquet"), str(tmp_path / "hf"),
             str(tmp_path / "back.jsonl")]
    source = str(corpus)
    for target in chain:
        extra = ["--to", "hf"] if target.endswith("hf") else []
        code, _, err = run_cli(["corpus", "convert", source, target, *extra], capsys)
        assert code == 0 and f"{len(original)} pairs" in err
        source = target
    assert list(read_corpus(source)) == original


def test_convert_to_tsv_refuses_a_tab_unless_rejects_are_given(corpus: Path, tmp_path: Path,
                                                               capsys) -> None:
    code, _, err = run_cli(["corpus", "convert", str(corpus), str(tmp_path / "c.tsv")], capsys)
    assert code == 2 and "tab" in err and "--rejects" in err and err.count("\n") == 1
    rejects = tmp_path / "r.jsonl"
    code, _, err = run_cli(["corpus", "convert", str(corpus), str(tmp_path / "c.tsv"),
                            "--rejects", str(rejects)], capsys)
    assert code == 0 and "warning: 1 pairs could not be written" in err
    assert "unwritable-tsv" in err
    assert json.loads(rejects.read_text(encoding="utf-8"))["reason"] == "unwritable-tsv"
    assert len((tmp_path / "c.tsv").read_text(encoding="utf-8").splitlines()) == len(PAIRS) + 2


def test_convert_moses_and_stdout(corpus: Path, tmp_path: Path, capsys) -> None:
    code, _, _ = run_cli(["corpus", "convert", str(corpus), str(tmp_path / "m"), "--to", "moses",
                          "--rejects", str(tmp_path / "r.jsonl")], capsys)
    assert code == 0
    assert (tmp_path / "m.ar").read_text(encoding="utf-8").splitlines()[0] == PAIRS[0][0]
    code, out, _ = run_cli(["corpus", "convert", str(tmp_path / "m"), "-", "--to", "jsonl"],
                           capsys)
    assert code == 0 and json.loads(out.splitlines()[1])["translation"]["en"] == PAIRS[1][1]


def test_filter_writes_kept_rejects_and_a_summary(corpus: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "kept.tsv"
    code, _, err = run_cli(["corpus", "filter", str(corpus), "-o", str(out)], capsys)
    assert code == 0
    kept = list(read_corpus(str(out)))
    rejects = [json.loads(line) for line in
               (tmp_path / "kept.tsv.rejects.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(kept) + len(rejects) == len(PAIRS) + 3
    assert {r["reason"] for r in rejects} >= {"duplicate", "markup"}
    assert "duplicate" in err and "kept" in err and "pairs/s" in err


def test_filter_to_stdout_needs_a_rejects_file(corpus: Path, capsys) -> None:
    code, _, err = run_cli(["corpus", "filter", str(corpus)], capsys)
    assert code == 2 and "--rejects" in err


def test_filter_unknown_skip_is_a_usage_error(corpus: Path, tmp_path: Path, capsys) -> None:
    code, _, err = run_cli(["corpus", "filter", str(corpus), "-o", str(tmp_path / "k.tsv"),
                            "--skip", "markup,nonsense"], capsys)
    assert code == 2 and "nonsense" in err


def test_split_writes_three_sets_without_leaks(corpus: Path, tmp_path: Path, capsys) -> None:
    code, _, err = run_cli(["corpus", "split", str(corpus), "-o", str(tmp_path / "s"),
                            "--dev", "2", "--test", "3"], capsys)
    assert code == 0 and "train" in err
    parts = {name: list(read_corpus(str(tmp_path / "s" / f"{name}.jsonl")))
             for name in ("train", "dev", "test")}
    assert len(parts["test"]) >= 3 and len(parts["dev"]) >= 2
    assert list(find_leaks(parts["train"], parts["dev"] + parts["test"])) == []


def test_build_from_documents_with_the_cli(tmp_path: Path, tiny_model: Path, capsys) -> None:
    (tmp_path / "doc.txt").write_text(" ".join(ar for ar, _ in PAIRS[:3]), encoding="utf-8")
    code, _, err = run_cli(["corpus", "build", str(tmp_path / "doc.txt"), "-o",
                            str(tmp_path / "built.jsonl"), "--model", str(tiny_model),
                            "--beam", "2"], capsys)
    assert code == 0 and "3 pairs" in err
    pairs = list(read_corpus(str(tmp_path / "built.jsonl")))
    assert [p.ar for p in pairs] == [ar for ar, _ in PAIRS[:3]]
    assert all(p.doc == str(tmp_path / "doc.txt") and p.signature for p in pairs)


def test_build_and_filter_by_quality_set_pairs_aside_with_the_reason(
        tmp_path: Path, tiny_model: Path, capsys) -> None:
    import json

    (tmp_path / "doc.txt").write_text(" ".join(ar for ar, _ in PAIRS[:6]), encoding="utf-8")
    built = tmp_path / "all.jsonl"
    common = ["--model", str(tiny_model), "--beam", "2"]
    assert run_cli(["corpus", "build", str(tmp_path / "doc.txt"), "-o", str(built), *common],
                   capsys)[0] == 0
    rated = list(read_corpus(str(built)))
    assert len(rated) == 6 and all(p.quality is not None and 0 <= p.quality <= 1 for p in rated)
    cut = sorted(p.quality for p in rated)[3]  # the three best (or more, on ties) stay

    kept_file, rejects_file = tmp_path / "kept.jsonl", tmp_path / "kept.jsonl.rejects.jsonl"
    code, _, err = run_cli(["corpus", "build", str(tmp_path / "doc.txt"), "-o", str(kept_file),
                            "--min-quality", str(cut), *common], capsys)
    kept = list(read_corpus(str(kept_file)))
    rejects = [json.loads(line) for line in rejects_file.read_text("utf-8").splitlines()]
    assert code == 0 and kept and rejects and len(kept) + len(rejects) == 6, "none vanishes"
    assert all(p.quality >= cut for p in kept)
    assert all(r["reason"] == "low-quality" and r["quality"] < cut for r in rejects)
    assert "low-quality" in err

    # filter: the same threshold on the built corpus; a pair with no estimate is set aside too
    from mt.corpus.filters import REASONS

    others = ",".join(r for r in REASONS if r not in ("low-quality", "unrated"))
    unrated = tmp_path / "mixed.jsonl"
    unrated.write_text(built.read_text("utf-8") + json.dumps(
        {"translation": {"ar": "وصل الوزير.", "en": "The minister arrived."}}) + "\n", "utf-8")
    code, _, _ = run_cli(["corpus", "filter", str(unrated), "-o", str(tmp_path / "f.jsonl"),
                          "--min-quality", str(cut), "--skip", others],
                         capsys)
    reasons = [json.loads(line)["reason"] for line in
               (tmp_path / "f.jsonl.rejects.jsonl").read_text("utf-8").splitlines()]
    assert code == 0 and reasons.count("unrated") == 1
    assert reasons.count("low-quality") == len(rejects)


@pytest.mark.parametrize("extra", [["--min-quality", "1.5"], ["--min-quality", "nan"]])
def test_min_quality_out_of_range_is_a_usage_error(tmp_path: Path, extra: list[str],
                                                   capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_cli(["corpus", "filter", str(tmp_path / "x.jsonl"), *extra], capsys)
    assert exit_info.value.code == 2


@pytest.mark.shared
@pytest.mark.skipif(not PUD.is_file(), reason="needs ../shared/data/dev/pud.ar-en.tsv.gz")
def test_end_to_end_corpus_from_dev_data_split_and_scored(tmp_path: Path, tiny_model: Path,
                                                          capsys) -> None:
    """Shared dev data -> corpus -> filter -> split -> translate test -> mt eval."""
    import sacrebleu

    corpus = str(tmp_path / "pud.jsonl")
    steps = [
        ["corpus", "convert", str(PUD), corpus],
        ["corpus", "filter", corpus, "-o", str(tmp_path / "clean.jsonl")],
        ["corpus", "split", str(tmp_path / "clean.jsonl"), "-o", str(tmp_path / "split"),
         "--dev", "20", "--test", "30", "--to", "moses"],
        ["translate", "--lines", "--model", str(tiny_model), "--beam", "2",
         str(tmp_path / "split" / "test.ar"), "-o", str(tmp_path / "hyp.en")],
    ]
    for step in steps:
        code, _, err = run_cli(step, capsys)
        assert code == 0, err
    test_ar = (tmp_path / "split" / "test.ar").read_text(encoding="utf-8").splitlines()
    refs = (tmp_path / "split" / "test.en").read_text(encoding="utf-8").splitlines()
    hyps = (tmp_path / "hyp.en").read_text(encoding="utf-8").splitlines()
    assert len(test_ar) == len(refs) == len(hyps) >= 30
    train = list(read_corpus(str(tmp_path / "split" / "train")))
    held_out = list(read_corpus(str(tmp_path / "split" / "test")))
    assert len(train) > 800 and list(find_leaks(train, held_out)) == []
    code, out, err = run_cli(["eval", "--hyp", str(tmp_path / "hyp.en"), "--ref",
                              str(tmp_path / "split" / "test.en"), "--format", "json",
                              "--width", "12"], capsys)
    assert code == 0, err
    bleu = next(s for s in json.loads(out) if s["name"] == "BLEU")
    assert bleu["score"] == pytest.approx(sacrebleu.corpus_bleu(hyps, [refs]).score)
