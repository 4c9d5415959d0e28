"""Shared fixtures: a tiny sentencepiece and a tiny random MarianMT, built once per run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = REPO / "seeds" / "000_e65b64538d617a2f.txt"
OPUS_TOKENIZER = SHARED / "models" / "opus-mt-ar-en-tokenizer"

PAIRS = [
    ("كوريا الشمالية زودت روسيا بسبعة آلاف حاوية أسلحة.", "North Korea supplied Russia with seven thousand containers of weapons."),
    ("أعلن وزير الدفاع الكوري الجنوبي الإثنين.", "The South Korean defence minister announced on Monday."),
    ("وصل 300 شخص إلى المدينة.", "300 people arrived in the city."),
    ("قال الرئيس \"سنتعاون بقوة\".", "The president said \"we will cooperate strongly\"."),
    ("فاز بنسبة 87,29% من الأصوات.", "He won 87.29% of the votes."),
    ("أرسلت أكثر من مليون قذيفة مدفعية.", "More than a million artillery shells were sent."),
    ("تحتوي الحاويات على معدات عسكرية وذخيرة.", "The containers hold military equipment and ammunition."),
    ("التقى الزعيم الرئيس في أيلول/سبتمبر.", "The leader met the president in September."),
    ("أنا أحب القراءة كثيرا.", "I like reading a lot."),
    ("هل تتكلم الإنجليزية؟", "Do you speak English?"),
    ("الطقس جميل اليوم!", "The weather is nice today!"),
    ("ذهبنا إلى السوق ثم عدنا إلى البيت.", "We went to the market and then came back home."),
]


def build_tiny_model(directory: Path, steps: int = 200) -> Path:
    """A 1-layer d32 MarianMT trained for a few steps on PAIRS with ``mt.train``.

    A few steps are enough to learn to stop and to emit English pieces, which
    keeps decoding short and gives the word links something to link.
    """
    from mt.train import DataSource, TrainConfig, Trainer

    directory.mkdir(parents=True, exist_ok=True)
    corpus = directory / "pairs.tsv"
    corpus.write_text("".join(f"{ar}\t{en}\n" for ar, en in PAIRS) * 4, encoding="utf-8")
    config = TrainConfig(
        sources=[DataSource(str(corpus))], output=str(directory / "model"),
        workdir=str(directory / "work"), vocab_size=400, d_model=32, encoder_layers=1,
        decoder_layers=1, attention_heads=2, ffn_dim=64, dropout=0.0, max_tokens=1024,
        learning_rate=3e-3, warmup_steps=20, max_steps=steps, save_every=steps, threads=1,
    )
    return Trainer(config).run()


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def tiny_translator(tiny_model: Path):
    from mt.translate import load_translator

    return load_translator(str(tiny_model), beam_size=2)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
