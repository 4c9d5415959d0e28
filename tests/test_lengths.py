"""No length crash: pieces and decoding limits fit the checkpoint's positions."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from mt.paths import embedded_model
from mt.translate import load_translator

from .conftest import OPUS_TOKENIZER

WORDS = ["كوريا", "الشمالية", "زودت", "روسيا", "بسبعة", "آلاف", "حاوية", "أسلحة", "وزير",
         "الدفاع", "أعلن", "الإثنين", "المدينة", "الرئيس", "الأصوات", "معدات"]


def long_line(words: int, seed: int = 0) -> str:
    """One sentence of ``words`` words and no punctuation: nothing to split at but spaces."""
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words))


def opus_shape(directory: Path, positions: int) -> Path:
    """opus-mt-ar-en's config and real tokenizer, shrunk, random weights that never stop.

    With no bias towards ``</s>`` every hypothesis runs to the decoding limit,
    so a limit beyond the model's positions is met, not hoped away.
    """
    import torch
    from transformers import MarianConfig, MarianMTModel

    config = MarianConfig.from_pretrained(OPUS_TOKENIZER)
    config.update({"d_model": 16, "encoder_layers": 1, "decoder_layers": 1,
                   "encoder_attention_heads": 2, "decoder_attention_heads": 2,
                   "encoder_ffn_dim": 32, "decoder_ffn_dim": 32,
                   "max_position_embeddings": positions})
    torch.manual_seed(0)
    model = MarianMTModel(config)
    with torch.no_grad():
        model.final_logits_bias[0, config.eos_token_id] -= 100.0
    model.save_pretrained(directory)
    for name in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json",
                 "special_tokens_map.json"):
        shutil.copy(OPUS_TOKENIZER / name, directory / name)
    return directory


def assert_whole(line: str, translator) -> None:  # noqa: ANN001
    """Translated without a crash, every piece of the line in: nothing cut off."""
    from mt.translate import split_long

    pieces = split_long(line, translator._count, translator.max_input_tokens)
    assert len(pieces) > 1 and pieces[-1].end == len(line)
    (translation,) = translator.translate_iter([line])
    assert translation.source == line and translation.text.strip()


@pytest.fixture(scope="module")
def opus_models(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    if not OPUS_TOKENIZER.is_dir():
        pytest.skip("../shared/models/opus-mt-ar-en-tokenizer is absent")
    root = tmp_path_factory.mktemp("opus")
    return {positions: opus_shape(root / str(positions), positions) for positions in (512, 96)}


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize(("backend", "positions", "words"),
                         [("ctranslate2", 512, 5000), ("transformers", 96, 150),
                          ("ctranslate2", 96, 300)])
def test_a_long_line_fits_the_real_opus_mt_shape(opus_models: dict[int, Path], backend: str,
                                                 positions: int, words: int) -> None:
    translator = load_translator(str(opus_models[positions]), beam_size=1, backend=backend,
                                 word_links="attention")
    assert 1 < translator.max_input_tokens < positions // 2
    assert_whole(long_line(words), translator)


@pytest.mark.embedded
@pytest.mark.slow
@pytest.mark.skipif(not (embedded_model() / "config.json").is_file(),
                    reason="the embedded model is absent")
def test_a_5000_word_line_on_the_embedded_model() -> None:
    translator = load_translator(None, beam_size=1, word_links="attention")
    assert_whole(long_line(5000), translator)
