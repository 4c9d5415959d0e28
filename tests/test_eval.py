from __future__ import annotations

import json
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


def test_paired_test_against_baseline(files, capsys) -> None:
    assert main(["eval", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]),
                 "--paired-with", str(files["other"]), "--bootstrap", "100",
                 "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert "p_value" not in result["baseline"][0]
    assert 0 < result["system"][0]["p_value"] <= 1


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
