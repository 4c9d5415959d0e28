from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mt.cli import main

HYP = ["The cat sat on the mat.", "North Korea sent 7,000 containers.", "", "He said hello!"] * 3
REF = ["The cat is on the mat.", "North Korea supplied 7,000 containers.", "Nothing.",
       "He said: hello!"] * 3
OTHER = ["A cat sat on a mat.", "North Korea sent containers.", "Nothing.", "Hello."] * 3


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, lines in (("hyp", HYP), ("ref", REF), ("other", OTHER)):
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return paths


def sacrebleu_cli(*args: str) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "sacrebleu", *args, "-f", "json"],
                            capture_output=True, text=True, check=True)
    data = json.loads(result.stdout)
    return data if isinstance(data, list) else [data]


def test_json_is_sacrebleus_own(files, capsys) -> None:
    assert main(["eval", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]),
                 "--metrics", "bleu,chrf,ter", "--format", "json", "--width", "10"]) == 0
    ours = json.loads(capsys.readouterr().out)
    theirs = sacrebleu_cli(str(files["ref"]), "-i", str(files["hyp"]), "-m", "bleu", "chrf",
                           "ter", "-w", "10")
    assert ours == theirs
    assert main(["eval", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]),
                 "--metrics", "chrf", "--format", "json"]) == 0
    alone = json.loads(capsys.readouterr().out)  # one metric: one record, as sacrebleu prints
    assert alone == sacrebleu_cli(str(files["ref"]), "-i", str(files["hyp"]), "-m", "chrf")[0]


def test_text_is_sacrebleus_score_line(files, capsys) -> None:
    assert main(["eval", "--hyp", str(files["hyp"]), "--ref", str(files["ref"])]) == 0
    lines = capsys.readouterr().out.splitlines()
    from sacrebleu.metrics import BLEU

    bleu = BLEU()
    result = bleu.corpus_score(HYP, [REF])
    assert lines[0] == result.format(1, signature=str(bleu.get_signature()))
    assert lines[1].startswith("chrF2|nrefs:1|") and len(lines) == 2


@pytest.mark.parametrize("metric, word_order", [("chrf++", 2), ("chrf", 0)])
def test_chrf_plus_plus_matches_sacrebleus_api(files, capsys, metric: str,
                                               word_order: int) -> None:
    from sacrebleu.metrics import CHRF

    expected = CHRF(word_order=word_order)
    value = expected.corpus_score(HYP, [REF])
    assert main(["eval", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]), "--metrics",
                 metric, "--format", "json", "--width", "12"]) == 0
    ours = json.loads(capsys.readouterr().out)
    assert ours["name"] == value.name == ("chrF2++" if word_order else "chrF2")
    assert ours["score"] == round(value.score, 12)
    assert ours["signature"] == str(expected.get_signature())
    assert ours["nw"] == str(word_order)


def test_several_references_match_sacrebleus_api(files, tmp_path: Path, capsys) -> None:
    from sacrebleu.metrics import BLEU, CHRF

    second = tmp_path / "ref2.txt"
    second.write_text("".join(line + "\n" for line in OTHER), encoding="utf-8")
    assert main(["eval", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]), "--ref",
                 str(second), "--metrics", "bleu,chrf++", "--format", "json",
                 "--width", "12"]) == 0
    bleu, chrf = json.loads(capsys.readouterr().out)
    for ours, metric in ((bleu, BLEU()), (chrf, CHRF(word_order=2))):
        both = metric.corpus_score(HYP, [REF, OTHER]).score
        assert ours["score"] == round(both, 12) and ours["nrefs"] == "2"
        assert ours["signature"] == str(metric.get_signature())
        assert both != metric.corpus_score(HYP, [REF]).score  # the second reference counts
    assert "verbose_score" in bleu


def test_confidence_interval(files, capsys) -> None:
    assert main(["eval", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]),
                 "--confidence", "--bootstrap", "200", "--format", "json", "--width", "4"]) == 0
    ours = json.loads(capsys.readouterr().out)
    theirs = sacrebleu_cli(str(files["ref"]), "-i", str(files["hyp"]), "-m", "bleu", "chrf",
                           "--confidence", "--confidence-n", "200", "-w", "4")
    assert ours == theirs
    assert "bs:200" in ours[0]["signature"] and ours[0]["confidence_var"] > 0


# Close systems, so that the p-values lie mid-range and a wrong resampling shows.
CLOSE_REF = ["The cat is on the mat.", "North Korea supplied 7,000 containers.",
             "Nothing happened today.", "He said: hello!",
             "The minister arrived in Moscow on Monday.", "Prices rose by 5% last year."] * 3
CLOSE_HYP = ["The cat sat on the mat.", "North Korea sent 7,000 containers.", "Nothing happened.",
             "He said hello!", "The minister came to Moscow on Monday.",
             "Prices rose 5% last year."] * 3
CLOSE_BASE = ["The cat is on a mat.", "North Korea sent 7,000 boxes.", "Nothing happened today.",
              "He said hello!", "A minister arrived in Moscow Monday.",
              "Prices went up by 5% last year."] * 3
CLOSE_OTHER = ["The cat is on the mat.", "North Korea supplied 7,000 boxes.", "Nothing today.",
               "He said: hello!", "The minister came to Moscow Monday.",
               "Prices rose by five percent last year."] * 3
CELL_RE = re.compile(r"(-?\d+\.\d+) \((-?\d+\.\d+) ± (\d+\.\d+)\)")
PAIRED_METRICS = ("BLEU", "chrF2", "TER")


def sacrebleu_paired_table(ref: Path, systems: list[Path], samples: int
                           ) -> tuple[list[list[tuple[float, ...]]], list[float]]:
    """``sacrebleu --paired-bs``'s table: (score, mean, ci) per metric for each system, and
    the p-values (its JSON writer fails on chrF's float32, so the text table)."""
    result = subprocess.run(
        [sys.executable, "-m", "sacrebleu", str(ref), "-i", *map(str, systems),
         "--paired-bs", "--paired-bs-n", str(samples), "-m", "bleu", "chrf", "ter", "-w", "4",
         "-f", "text"], capture_output=True, text=True, check=True)
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    cells = [[tuple(map(float, m)) for m in CELL_RE.findall(row)] for row in rows]
    return [c for c in cells if c], [float(p) for p in re.findall(r"p = (\d\.\d+)",
                                                                  result.stdout)]


def test_paired_test_of_several_systems_agrees_with_sacrebleu(tmp_path: Path, capsys) -> None:
    paths = {}
    for name, lines in (("hyp", CLOSE_HYP), ("ref", CLOSE_REF), ("base", CLOSE_BASE),
                        ("other", CLOSE_OTHER)):
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    systems = [paths["base"], paths["hyp"], paths["other"]]
    assert main(["eval", "--ref", str(paths["ref"]), "--paired-with", *map(str, systems),
                 "--bootstrap", "200", "--metrics", "bleu,chrf,ter", "--format", "json"]) == 0
    ours = json.loads(capsys.readouterr().out)
    table, p_values = sacrebleu_paired_table(paths["ref"], systems, 200)
    assert [[(round(s[m]["score"], 4), round(s[m]["mean"], 4), round(s[m]["ci"], 4))
             for m in PAIRED_METRICS] for s in ours] == table
    assert [round(s[m]["p_value"], 4) for s in ours[1:] for m in PAIRED_METRICS] == p_values
    assert len(p_values) == 6 and all(0.05 < p < 0.95 for p in p_values)  # mid-range: the
    # data tests the resampling, not a floor
    assert [s["system"] for s in ours] == [f"Baseline: {systems[0]}", *map(str, systems[1:])]
    assert all(ours[0][m]["p_value"] is None for m in PAIRED_METRICS)

    # Where sacrebleu's JSON writer works (BLEU: chrF's and TER's float32 means break it),
    # its records and ours are the same.
    assert main(["eval", "--ref", str(paths["ref"]), "--paired-with", *map(str, systems),
                 "--bootstrap", "200", "--metrics", "bleu", "--format", "json"]) == 0
    theirs = sacrebleu_cli(str(paths["ref"]), "-i", *map(str, systems), "--paired-bs",
                           "--paired-bs-n", "200", "-m", "bleu")
    assert json.loads(capsys.readouterr().out) == theirs
    # --hyp is one more system after the --paired-with files (the baseline stays first).
    assert main(["eval", "--ref", str(paths["ref"]), "--hyp", str(paths["hyp"]),
                 "--paired-with", str(paths["base"]), "--bootstrap", "200", "--metrics", "bleu",
                 "--format", "json"]) == 0
    pair = json.loads(capsys.readouterr().out)
    assert [s["system"] for s in pair] == [f"Baseline: {paths['base']}", str(paths["hyp"])]
    assert pair[1]["BLEU"]["score"] == ours[1]["BLEU"]["score"]


@pytest.mark.parametrize("argv, message", [
    (["--hyp", "{short}", "--ref", "{ref}"], "{short}: 1 lines but {ref} has 12"),
    (["--hyp", "{hyp}", "--ref", "{ref}", "--ref", "{short}"], "{short}: 1 lines but {ref} "
                                                               "has 12"),
    (["--hyp", "{hyp}", "--ref", "{ref}", "--paired-with", "{short}"],
     "{short}: 1 lines but {ref} has 12"),
    (["--ref", "{ref}", "--paired-with", "{other}"], "a paired test needs a baseline"),
    (["--hyp", "{hyp}", "--ref", "{ref}", "--metrics", "bleu,meteor"], "--metrics bleu,meteor"),
    (["--testset", "{ref}", "--ref", "{ref}"], "give --testset or --hyp/--ref, not both"),
    (["--hyp", "{hyp}"], "nothing to score"),
])
def test_bad_input_is_one_line_and_exit_2(files, tmp_path: Path, capsys, argv: list[str],
                                          message: str) -> None:
    short = tmp_path / "short.txt"
    short.write_text("one line\n", encoding="utf-8")
    names = {"short": short, **{k: v for k, v in files.items()}}
    assert main(["eval", *[a.format(**names) for a in argv]]) == 2
    err = capsys.readouterr().err
    assert message.format(**names) in err and len(err.strip().splitlines()) == 1


def test_testset_mode_translates_and_scores(tiny_model: Path, tmp_path: Path, capsys) -> None:
    testset = tmp_path / "test.tsv"
    testset.write_text("مرحبا بك.\tWelcome.\tara\nهل تتكلم الإنجليزية؟\tDo you speak English?\tarz\n",
                       encoding="utf-8")
    hyp = tmp_path / "hyp.txt"
    assert main(["eval", "--model", str(tiny_model), "--testset", str(testset), "--label", "ara",
                 "--save-hyp", str(hyp), "--format", "json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in scores] == ["BLEU", "chrF2"]
    assert len(hyp.read_text(encoding="utf-8").splitlines()) == 1


def test_translate_and_score_is_what_mt_eval_reports(tiny_model: Path, tmp_path: Path,
                                                     capsys) -> None:
    from mt.evaluate import testset_pairs, translate_and_score
    from mt.translate import load_translator

    testset = tmp_path / "test.tsv"
    testset.write_text("مرحبا بك.\tWelcome.\tara\nهل تتكلم الإنجليزية؟\tDo you speak?\tarz\n"
                       "شكرا جزيلا.\tThank you very much.\tara\n", encoding="utf-8")
    assert testset_pairs(testset, "ara") == [("مرحبا بك.", "Welcome."),
                                             ("شكرا جزيلا.", "Thank you very much.")]
    assert testset_pairs(testset, limit=2)[1] == ("هل تتكلم الإنجليزية؟", "Do you speak?")
    translator = load_translator(str(tiny_model), word_links="none")  # mt eval's defaults
    result = translate_and_score(translator, testset_pairs(testset, "ara"))
    assert len(result.hypotheses) == 2 and result.seconds > 0
    assert main(["eval", "--model", str(tiny_model), "--testset", str(testset), "--label", "ara",
                 "--format", "json", "--width", "12"]) == 0
    cli = {s["name"]: s["score"] for s in json.loads(capsys.readouterr().out)}
    assert cli == {s.record["name"]: round(s.score, 12) for s in result.scores.values()}
