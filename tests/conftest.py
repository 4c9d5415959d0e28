"""Shared fixtures: tiny MarianMT models (one of the real opus-mt shape), built once per run,
and a Hugging Face hub cache laid out as the hub does it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = REPO / "seeds" / "000_e65b64538d617a2f.txt"
OPUS_TOKENIZER = SHARED / "models" / "opus-mt-ar-en-tokenizer"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

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


@pytest.fixture(scope="session", autouse=True)
def private_caches(tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads or fills the user's caches: conversions and the hub cache are the
    session's own (subprocesses inherit them)."""
    os.environ["MT_CACHE"] = str(tmp_path_factory.mktemp("mt-cache"))
    os.environ["HF_HUB_CACHE"] = str(tmp_path_factory.mktemp("hub-cache-empty"))


OPUS_FILES = ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json",
              "special_tokens_map.json", "generation_config.json")


def build_opus_shaped_model(directory: Path, swap_sides: bool = False) -> Path:
    """opus-mt-ar-en's config and real tokenizer, shrunk, random weights (seeded).

    ``swap_sides`` exchanges the source and target sentencepiece models: an
    English->Arabic model of the same shape.
    """
    import torch
    from transformers import MarianConfig, MarianMTModel

    config = MarianConfig.from_pretrained(OPUS_TOKENIZER)
    config.update({"d_model": 16, "encoder_layers": 1, "decoder_layers": 1,
                   "encoder_attention_heads": 2, "decoder_attention_heads": 2,
                   "encoder_ffn_dim": 32, "decoder_ffn_dim": 32})
    torch.manual_seed(0)
    model = MarianMTModel(config)
    with torch.no_grad():
        model.final_logits_bias[0, config.eos_token_id] += 0.5  # stop after a few tokens
    model.save_pretrained(directory)
    for name in OPUS_FILES:
        shutil.copy(OPUS_TOKENIZER / name, directory / name)
    if swap_sides:
        shutil.copy(OPUS_TOKENIZER / "target.spm", directory / "source.spm")
        shutil.copy(OPUS_TOKENIZER / "source.spm", directory / "target.spm")
    return directory


@pytest.fixture(scope="session")
def opus_shaped_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not OPUS_TOKENIZER.is_dir():
        pytest.skip("../shared/models/opus-mt-ar-en-tokenizer is absent")
    return build_opus_shaped_model(tmp_path_factory.mktemp("opus-shaped"))


def add_to_hub_cache(cache: Path, repo_id: str, files: Path, commit: str,
                     ref: str | None = "main") -> Path:
    """``files`` as the hub cache holds a download of ``repo_id`` at ``commit``."""
    folder = cache / ("models--" + repo_id.replace("/", "--"))
    snapshot = folder / "snapshots" / commit
    shutil.copytree(files, snapshot)
    if ref is not None:
        (folder / "refs").mkdir(parents=True, exist_ok=True)
        (folder / "refs" / ref).write_text(commit, encoding="utf-8")
    return snapshot


@pytest.fixture
def hub_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty hub cache of this test's own (``HF_HUB_CACHE``), no ``MT_MODEL``."""
    cache = tmp_path / "hub"
    cache.mkdir()
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.delenv("MT_MODEL", raising=False)
    return cache


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright, for the tests that look at a page as a reader would."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        yield launched
        launched.close()
