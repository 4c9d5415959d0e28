from __future__ import annotations

import logging
from pathlib import Path

import pytest

from mt.cli import main
from mt.train import DataSource, clean_pair, token_batches

from .conftest import PAIRS, REPO


@pytest.mark.parametrize(
    ("pair", "kept"),
    [
        (("مَرْحَبًا بِكَ", "Welcome"), ("مرحبا بك", "Welcome")),
        (("حفظ %s", "Save %s"), None),
        (("افتح <b>الملف</b>", "Open <b>the file</b>"), None),
        (("Hello", "Hello"), None),
        (("مرحبا", "مرحبا"), None),
        (("نعم", "Yes, this is a very long English answer to a one word question"), None),
        (("", "Empty"), None),
    ],
)
def test_clean_pair(pair: tuple[str, str], kept: tuple[str, str] | None) -> None:
    assert clean_pair(*pair) == kept


def test_data_source_weights() -> None:
    assert DataSource.parse("a/b.tsv.gz:0.5") == DataSource("a/b.tsv.gz", 0.5)
    assert DataSource.parse("C:/data/b.tsv") == DataSource("C:/data/b.tsv", 1.0)


def test_token_batches_respect_budget() -> None:
    import random

    lengths = [(n % 37 + 1, n % 23 + 1) for n in range(500)]
    batches = token_batches(lengths, 200, random.Random(0))
    assert sorted(i for batch in batches for i in batch) == list(range(500))
    for batch in batches:
        assert len(batch) == 1 or max(max(lengths[i]) for i in batch) * len(batch) <= 200


def _weights(directory: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(directory / "model.safetensors"))


def _train_command(tmp_path: Path, name: str, steps: int, *options: str) -> list[str]:
    """``mt train`` of a tiny model on PAIRS for ``steps`` steps, into tmp_path/name."""
    corpus = tmp_path / "pairs.tsv"
    corpus.write_text("".join(f"{ar}\t{en}\n" for ar, en in PAIRS), encoding="utf-8")
    # Small batches: several per epoch, so step 3 stops in the middle of one.
    return ["train", str(corpus), "-o", str(tmp_path / name / "model"), "--workdir",
            str(tmp_path / name / "work"), "--vocab-size", "300", "--d-model", "16",
            "--encoder-layers", "1", "--decoder-layers", "1", "--heads", "2",
            "--ffn-dim", "32", "--warmup", "5", "--max-tokens", "120",
            "--save-every", "3", "--log-every", "2", "--threads", "1",
            "--max-steps", str(steps), *options]


def _train(tmp_path: Path, name: str, steps: int, *options: str) -> Path:
    """A tiny model trained on PAIRS for ``steps`` steps; returns its directory."""
    assert main(_train_command(tmp_path, name, steps, *options)) == 0
    return tmp_path / name / "model"


def test_train_cli_resumes_to_the_weights_of_an_uninterrupted_run(
        tmp_path: Path, capsys, caplog: pytest.LogCaptureFixture) -> None:
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    def train(name: str, steps: int) -> Path:
        return _train(tmp_path, name, steps)

    train("interrupted", 3)
    assert "step 2" in capsys.readouterr().err
    stopped = _weights(tmp_path / "interrupted" / "model")
    with caplog.at_level(logging.INFO, logger="mt"):
        resumed = train("interrupted", 6)
    assert "resumed at step 3 (epoch 0, batch 3)" in caplog.text
    straight = train("straight", 6)
    assert torch.load(tmp_path / "interrupted" / "work" / "state.pt",
                      weights_only=False)["step"] == 6
    ours, theirs = _weights(resumed), _weights(straight)
    assert ours.keys() == theirs.keys()
    for name, tensor in theirs.items():
        assert torch.allclose(ours[name], tensor, atol=1e-6), name
    # The three steps after the checkpoint moved the weights: equality is not trivial.
    assert any(not torch.allclose(stopped[n], theirs[n], atol=1e-4) for n in theirs)
    tokenizer = MarianTokenizer.from_pretrained(resumed)
    assert MarianMTModel.from_pretrained(resumed).config.vocab_size == len(tokenizer)


def test_resuming_with_other_settings_is_refused_and_a_new_mix_is_encoded_afresh(
        tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    _train(tmp_path, "run", 3)
    work = tmp_path / "run" / "work"
    state = (work / "state.pt").read_bytes()
    assert main(_train_command(tmp_path, "run", 6, "--seed", "2")) == 2
    err = capsys.readouterr().err
    assert "other settings (seed 1 -> 2)" in err and "--workdir" in err
    assert (work / "state.pt").read_bytes() == state  # the run it refused is untouched
    # Without a checkpoint to resume, a new seed draws a new mix: its own encoded cache.
    (work / "state.pt").unlink()
    _train(tmp_path, "run", 3, "--seed", "2")
    assert len(list(work.glob("encoded-*.pt"))) == 2
    # Same settings, other cleaning rules (one pair fewer): the old cache is not reused.
    (work / "state.pt").unlink()
    first = PAIRS[0]
    monkeypatch.setattr("mt.train.clean_pair",
                        lambda ar, en: None if (ar, en) == first else clean_pair(ar, en))
    _train(tmp_path, "run", 3, "--seed", "2")
    assert len(list(work.glob("encoded-*.pt"))) == 3
    assert not list(work.glob("*.tmp"))


def test_bf16_on_cpu_autocasts_and_keeps_fp32_weights(tmp_path: Path) -> None:
    import torch

    full = _weights(_train(tmp_path, "fp32", 4, "--device", "cpu"))
    mixed = _weights(_train(tmp_path, "bf16", 4, "--device", "cpu", "--precision", "bf16"))
    assert all(tensor.dtype == torch.float32 for tensor in mixed.values())
    # bf16 matmuls round differently: identical weights would mean autocast never ran.
    assert any(not torch.equal(full[n], mixed[n]) for n in full)
    assert all(torch.allclose(full[n], mixed[n], atol=0.05) for n in full)


def test_hugging_face_dataset_source(tmp_path: Path) -> None:
    from datasets import Dataset

    from mt.train import source_pairs

    Dataset.from_dict({"translation": [{"ar": ar, "en": en} for ar, en in PAIRS[:3]]}) \
        .save_to_disk(str(tmp_path / "nested"))
    Dataset.from_dict({"ar": [PAIRS[0][0]], "en": [PAIRS[0][1]]}).save_to_disk(
        str(tmp_path / "flat"))
    assert list(source_pairs(str(tmp_path / "nested"))) == PAIRS[:3]
    assert list(source_pairs(str(tmp_path / "flat"))) == PAIRS[:1]


@pytest.mark.parametrize("pair", [
    ("حذف الامر \"%s\"?", "Delete command \"%s\"?"),
    ("(مُعلّمة) { $url }", "(Bookmarked) { $url }"),
    ("انقر <b>هنا</b>", "Click <b>here</b>"),
    ("مرحبا يا __NAME__", "Hello __NAME__"),
])
def test_training_drops_what_corpus_filter_rejects_as_noise(pair: tuple[str, str]) -> None:
    from mt.corpus.filters import FilterConfig, default_checks
    from mt.corpus.record import Pair

    reasons = [reason for reason, fails in default_checks(FilterConfig()) if fails(Pair(*pair))]
    assert reasons[:1] in (["placeholder"], ["markup"])
    assert clean_pair(*pair) is None


def _numeric_options() -> list[tuple[str, str]]:
    """(flag, a value just outside its range) for every numeric ``mt train`` option."""
    from mt.train import TrainConfig, config_options

    found = []
    for name, option in config_options():
        default, bounds = TrainConfig.__dataclass_fields__[name].default, option.bounds
        if isinstance(default, (int, float)) and bounds.low is not None:
            below = bounds.low if bounds.above else bounds.low - (1 if type(default) is int
                                                                  else 0.5)
            found.append((option.flag, f"{below:g}"))
        if isinstance(default, (int, float)) and bounds.high is not None:
            found.append((option.flag, f"{bounds.high * 2:g}"))
    return found


@pytest.mark.parametrize(("options", "named"), [
    *[([flag, value], flag) for flag, value in _numeric_options()],
    (["--warmup", "0"], "--warmup"),
    (["--lr", "-1"], "--lr"),
    (["--d-model", "0"], "--d-model"),
    (["--d-model", "30", "--heads", "4"], "--d-model 30 is not a multiple of --heads 4"),
    (["--lr", "fast"], "--lr"),
    (["--warmup", "2.5"], "--warmup"),
])
def test_every_train_option_out_of_range_gets_one_line(tmp_path: Path, capsys, options: list[str],
                                                       named: str) -> None:
    command = _train_command(tmp_path, "bad", 1, *options)
    try:
        code = main(command)
    except SystemExit as exit_:  # argparse's usage error
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and named in err and "Traceback" not in err, err
    assert not (tmp_path / "bad").exists(), "refused before anything is written"


def test_a_weight_of_zero_and_the_library_are_refused_alike(tmp_path: Path, capsys) -> None:
    from mt.errors import InputError
    from mt.train import TrainConfig

    command = _train_command(tmp_path, "bad", 1)
    command[1] += ":0"
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ":0: weight 0 draws nothing" in err
    with pytest.raises(InputError, match="--warmup: 0 is out of range; give a number at least 1"):
        TrainConfig(sources=[], output="o", workdir="w", warmup_steps=0)
    with pytest.raises(InputError, match="--precision fp8: unknown"):
        TrainConfig(sources=[], output="o", workdir="w", precision="fp8")


def test_a_resumed_run_logs_over_the_steps_it_has(tmp_path: Path) -> None:
    from mt.train import DataSource, TrainConfig, Trainer

    _train(tmp_path, "run", 3)  # --log-every 2: stopped one step into a window
    seen: list[dict[str, float]] = []
    corpus = tmp_path / "pairs.tsv"
    config = TrainConfig(
        sources=[DataSource(str(corpus))], output=str(tmp_path / "run" / "model"),
        workdir=str(tmp_path / "run" / "work"), vocab_size=300, d_model=16, encoder_layers=1,
        decoder_layers=1, attention_heads=2, ffn_dim=32, warmup_steps=5, max_tokens=120,
        save_every=3, log_every=2, threads=1, max_steps=6)
    Trainer(config, progress=seen.append).run()
    assert [(s["step"], s["window"]) for s in seen] == [(4, 1), (6, 2)]
    assert not [p for p in (tmp_path / "run").iterdir() if p.name.startswith(".")], \
        "the exported model was staged beside its folder and renamed, nothing left behind"


def test_a_failed_export_keeps_the_model_that_was_there(tmp_path: Path, tiny_model: Path,
                                                        monkeypatch) -> None:
    from transformers import MarianMTModel

    from mt.train import export_model

    model = MarianMTModel.from_pretrained(tiny_model)
    output = tmp_path / "model"
    export_model(model, tiny_model, output, 64)
    before = {p.name: p.read_bytes() for p in output.iterdir()}

    def half_written(directory: Path, **options: object) -> None:
        (Path(directory) / "model.safetensors").write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(model, "save_pretrained", half_written)
    with pytest.raises(OSError):
        export_model(model, tiny_model, output, 64)
    assert {p.name: p.read_bytes() for p in output.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


def test_a_train_run_prints_no_third_party_hints(tmp_path: Path) -> None:
    """transformers' tokenizer said 'Recommended: pip install sacremoses' every run."""
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "mt", *_train_command(tmp_path, "run", 1)],
                          capture_output=True, text=True, cwd=REPO, timeout=300,
                          env={**os.environ, "PYTHONWARNINGS": "default"})
    assert done.returncode == 0, done.stderr
    assert "sacremoses" not in done.stderr and "Warning" not in done.stderr, done.stderr
