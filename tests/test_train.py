from __future__ import annotations

from pathlib import Path

import pytest

from mt.cli import main
from mt.train import DataSource, clean_pair, token_batches

from .conftest import PAIRS


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


def test_train_cli_saves_and_resumes(tmp_path: Path, capsys) -> None:
    from transformers import MarianMTModel, MarianTokenizer

    corpus = tmp_path / "pairs.tsv"
    corpus.write_text("".join(f"{ar}\t{en}\n" for ar, en in PAIRS), encoding="utf-8")
    output, workdir = tmp_path / "model", tmp_path / "work"
    common = ["train", str(corpus), "-o", str(output), "--workdir", str(workdir),
              "--vocab-size", "300", "--d-model", "16", "--encoder-layers", "1",
              "--decoder-layers", "1", "--heads", "2", "--ffn-dim", "32", "--warmup", "5",
              "--save-every", "3", "--log-every", "2", "--threads", "1"]
    assert main([*common, "--max-steps", "3"]) == 0
    assert "step 2" in capsys.readouterr().err
    assert main([*common, "--max-steps", "6"]) == 0
    import torch

    state = torch.load(workdir / "state.pt", weights_only=False)
    assert state["step"] == 6
    tokenizer = MarianTokenizer.from_pretrained(output)
    model = MarianMTModel.from_pretrained(output)
    assert model.config.vocab_size == len(tokenizer)
    assert (output / "model.safetensors").is_file()


def test_hugging_face_dataset_source(tmp_path: Path) -> None:
    from datasets import Dataset

    from mt.train import source_pairs

    Dataset.from_dict({"translation": [{"ar": ar, "en": en} for ar, en in PAIRS[:3]]}) \
        .save_to_disk(str(tmp_path / "nested"))
    Dataset.from_dict({"ar": [PAIRS[0][0]], "en": [PAIRS[0][1]]}).save_to_disk(
        str(tmp_path / "flat"))
    assert list(source_pairs(str(tmp_path / "nested"))) == PAIRS[:3]
    assert list(source_pairs(str(tmp_path / "flat"))) == PAIRS[:1]
