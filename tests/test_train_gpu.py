"""models/train_gpu.py, the GPU training run, smoke-tested on CPU with a tiny shape."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PAIRS, REPO

pytestmark = pytest.mark.embedded
SCRIPT = REPO / "models" / "train_gpu.py"


@pytest.mark.skipif(not (REPO / "models" / "ar-en-small" / "source.spm").is_file(),
                    reason="needs the embedded model's tokenizer")
def test_train_gpu_runs_on_cpu_and_returns_small_shards(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with gzip.open(data / "pairs.tsv.gz", "wt", encoding="utf-8") as out:
        out.writelines(f"{ar}\t{en}\n" for ar, en in PAIRS * 3)
    with gzip.open(data / "flores200_devtest.ar-en.tsv.gz", "wt", encoding="utf-8") as out:
        out.writelines(f"{ar}\t{en}\n" for ar, en in PAIRS[:4])
    with gzip.open(data / "pud.ar-en.tsv.gz", "wt", encoding="utf-8") as out:
        out.writelines(f"{ar}\t{en}\n" for ar, en in PAIRS[4:7])
    (data / "mix.txt").write_text("pairs.tsv.gz:1\n", "utf-8")
    out_dir = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "train", "--data", str(data), "--out", str(out_dir),
         "--tiny", "--steps", "4", "--save-every", "2", "--snapshots", "2",
         "--max-tokens", "512"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    scores = json.loads((out_dir / "scores.json").read_text("utf-8"))
    dev = scores["dev"]
    assert dev["set"] == "pud.ar-en.tsv.gz" and scores["device"] == "cpu"
    assert set(dev["candidates"]) == {"step-000002", "step-000004",
                                      "mean of step-000002..step-000004"}
    assert all(c["sentences"] == 3 for c in dev["candidates"].values())
    assert dev["chosen"] == max(dev["candidates"], key=lambda n: dev["candidates"][n]["bleu"])
    test = scores["test"]
    assert test["sentences"] == 4 and 0 <= test["bleu"] <= 100 and scores["parameters"] > 0
    files = sorted(p.name for p in (out_dir / "model").iterdir())
    assert "config.json" in files and any(f.endswith(".safetensors") for f in files)
    assert all(p.stat().st_size <= 15_000_000 for p in (out_dir / "model").iterdir())
    assert not (out_dir / "work").exists(), "the checkpoint does not travel back"
    assert len(list(out_dir.rglob("*"))) <= 8 + 1  # the run tool returns at most 8 files


def test_prepare_subsamples_light_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(SCRIPT.parent))
    import train_gpu

    shared = tmp_path / "shared"
    (shared / "train").mkdir(parents=True)
    (shared / "test").mkdir()
    for name in ("a", "b"):
        with gzip.open(shared / "train" / f"{name}.tsv.gz", "wt", encoding="utf-8") as out:
            out.writelines(f"{ar}\t{en}\n" for ar, en in PAIRS)
    with gzip.open(shared / "test" / train_gpu.TESTSET, "wt", encoding="utf-8") as out:
        out.write(f"{PAIRS[0][0]}\t{PAIRS[0][1]}\n")
    mix = tmp_path / "mix.txt"
    mix.write_text("# comment\ntrain/a.tsv.gz:2\ntrain/b.tsv.gz:0.5\n", "utf-8")
    monkeypatch.setattr(train_gpu, "MIX", mix)
    (shared / "dev").mkdir()
    with gzip.open(shared / "dev" / train_gpu.DEV, "wt", encoding="utf-8") as out:
        out.write(f"{PAIRS[1][0]}\t{PAIRS[1][1]}\n")
    train_gpu.prepare(shared, tmp_path / "out")
    assert (tmp_path / "out" / train_gpu.DEV).is_file()
    assert not (tmp_path / "out" / train_gpu.TESTSET).exists()  # copied by main, reporting
    train_gpu.copy_test_set(shared, tmp_path / "out")
    assert (tmp_path / "out" / "mix.txt").read_text("utf-8") == "a.tsv.gz:2\nb.tsv.gz:1\n"
    with gzip.open(tmp_path / "out" / "b.tsv.gz", "rt", encoding="utf-8") as rows:
        assert len(rows.readlines()) == len(PAIRS) // 2
    assert (tmp_path / "out" / train_gpu.TESTSET).is_file()
