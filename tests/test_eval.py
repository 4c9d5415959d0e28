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


def test_scores_and_signatures_match_sacrebleu(files, capsys) -> None:
    assert main(["eval", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]),
                 "--metrics", "bleu,chrf,ter", "--format", "json"]) == 0
    ours = json.loads(capsys.readouterr().out)
    theirs = sacrebleu_cli(str(files["ref"]), "-i", str(files["hyp"]), "-m", "bleu", "chrf",
                           "ter", "-w", "10")
    assert [round(s["score"], 10) for s in ours] == [t["score"] for t in theirs]
    assert [s["signature"] for s in ours] == [t["signature"] for t in theirs]


def test_confidence_interval(files, capsys) -> None:
    assert main(["eval", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]),
                 "--confidence", "--bootstrap", "200", "--format", "json"]) == 0
    bleu = json.loads(capsys.readouterr().out)[0]
    assert "bs:200" in bleu["signature"] and bleu["ci"] > 0
    theirs = sacrebleu_cli(str(files["ref"]), "-i", str(files["hyp"]), "-m", "bleu",
                           "--confidence", "--confidence-n", "200", "-w", "4")[0]
    assert round(bleu["score"], 4) == theirs["score"] and bleu["formatted"].startswith("BLEU = ")
    assert round(bleu["mean"], 4) == theirs["confidence_mean"]
    assert round(bleu["ci"], 4) == theirs["confidence_var"]


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
CELL_RE = re.compile(r"(-?\d+\.\d+) \((-?\d+\.\d+) ± (\d+\.\d+)\)")


def sacrebleu_paired(ref: Path, baseline: Path, hyp: Path, samples: int
                     ) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]],
                                list[float]]:
    """``sacrebleu --paired-bs``'s table: (score, mean, ci) per metric for baseline and system,
    and the system's p-values (its JSON writer fails on chrF's float32, so the text table)."""
    result = subprocess.run(
        [sys.executable, "-m", "sacrebleu", str(ref), "-i", str(baseline), str(hyp),
         "--paired-bs", "--paired-bs-n", str(samples), "-m", "bleu", "chrf", "ter", "-w", "4",
         "-f", "text"], capture_output=True, text=True, check=True)
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    cells = [[tuple(map(float, m)) for m in CELL_RE.findall(row)] for row in rows]
    baseline_cells, system_cells = [c for c in cells if c]
    p_values = [float(p) for p in re.findall(r"p = (\d\.\d+)", result.stdout)]
    return baseline_cells, system_cells, p_values


def test_paired_test_agrees_with_sacrebleu_paired_bs(tmp_path: Path, capsys) -> None:
    paths = {}
    for name, lines in (("hyp", CLOSE_HYP), ("ref", CLOSE_REF), ("base", CLOSE_BASE)):
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    assert main(["eval", "--hyp", str(paths["hyp"]), "--ref", str(paths["ref"]),
                 "--paired-with", str(paths["base"]), "--bootstrap", "200",
                 "--metrics", "bleu,chrf,ter", "--format", "json"]) == 0
    ours = json.loads(capsys.readouterr().out)
    baseline, system, p_values = sacrebleu_paired(paths["ref"], paths["base"], paths["hyp"], 200)

    def cells(results: list[dict]) -> list[tuple[float, float, float]]:
        return [(round(r["score"], 4), round(r["mean"], 4), round(r["ci"], 4)) for r in results]

    assert cells(ours["baseline"]) == baseline
    assert cells(ours["system"]) == system
    assert [round(r["p_value"], 4) for r in ours["system"]] == p_values
    assert all(0.05 < p < 0.95 for p in p_values)  # the data tests the resampling, not a floor
    assert "p_value" not in ours["baseline"][0]
    assert all("bs:200|seed:12345" in r["signature"] for r in ours["system"])


def test_line_count_mismatch_is_an_input_error(files, tmp_path: Path, capsys) -> None:
    short = tmp_path / "short.txt"
    short.write_text("one line\n", encoding="utf-8")
    assert main(["eval", "--hyp", str(short), "--ref", str(files["ref"])]) == 2
    assert "lines" in capsys.readouterr().err


def test_testset_mode_translates_and_scores(tiny_model: Path, tmp_path: Path, capsys) -> None:
    testset = tmp_path / "test.tsv"
    testset.write_text("مرحبا بك.\tWelcome.\tara\nهل تتكلم الإنجليزية؟\tDo you speak English?\tarz\n",
                       encoding="utf-8")
    hyp = tmp_path / "hyp.txt"
    assert main(["eval", "--model", str(tiny_model), "--testset", str(testset), "--label", "ara",
                 "--save-hyp", str(hyp), "--format", "json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert [s["metric"] for s in scores] == ["bleu", "chrf"]
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
                 "--format", "json"]) == 0
    cli = {s["metric"]: s["score"] for s in json.loads(capsys.readouterr().out)}
    assert cli == {name: s.score for name, s in result.scores.items()}
