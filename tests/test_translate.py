from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mt.arabic import ARABIC_LETTER_RE, strip_diacritics_mapped
from mt.trace import trace_translation
from mt.translate import split_long
from mt.translate.links import ALIGNMENT_HEADS, AlignmentHeads, piece_spans
from mt.types import TraceDocument


def assert_valid_trace(document: TraceDocument) -> None:
    """The invariants of docs/INTERFACES.md for a translated document."""
    source, target = document.source_text, document.target_text
    segments = {s.id: s for s in document.segments}
    covered = set()
    for segment in document.segments:
        assert segment.source is not None and segment.target is not None
        assert segment.source.end <= len(source) and segment.target.end <= len(target)
        covered.update(range(segment.source.start, segment.source.end))
    for match in ARABIC_LETTER_RE.finditer(source):
        assert match.start() in covered, f"letter {match.start()} outside every segment"
    for link in document.links:
        segment = segments[link.segment]
        assert segment.source.contains(link.source) and segment.target.contains(link.target)
        assert link.source.slice(source).strip() and link.target.slice(target).strip()
    for span in document.spans:
        assert span.source.slice(source)
        if span.target is not None:
            assert span.target.end <= len(target)
    assert TraceDocument.loads(document.dumps()) == document


@pytest.fixture(scope="module", params=["ctranslate2", "transformers"])
def any_backend(request, tiny_model):
    from mt.translate import load_translator

    return load_translator(str(tiny_model), beam_size=2, backend=request.param)


def test_seed_document_trace(any_backend, seed_text: str) -> None:
    document = trace_translation(any_backend.translate_document(seed_text))
    assert_valid_trace(document)
    assert len(document.segments) == 14
    assert document.links, "the model's attention gives word links"
    numbers = {s.source.slice(seed_text) for s in document.spans if s.kind == "number"}
    assert {"سبعة آلاف", "7 آلاف", "300", "87,29%"} <= numbers
    quotes = [s.source.slice(seed_text) for s in document.spans if s.kind == "quote"]
    assert all(q.startswith('"') and q.endswith('"') for q in quotes)
    # The three statements, and two short quoted phrases ("أكثر من ألف حاوية", "مقدمة أولوياته").
    statements = ['"عدد الحاويات', '"مع إغلاق', '"سأتعاون']
    assert len(quotes) == 5 and all(any(q.startswith(s) for q in quotes) for s in statements)
    assert document.signature.startswith("mt:") and "|decode:beam2," in document.signature
    assert "no_repeat_ngram_size=4" in document.signature
    assert f"|backend:{any_backend.backend.name}|" in document.signature


def test_translate_is_deterministic(tiny_translator, seed_text: str) -> None:
    first = tiny_translator.translate_document(seed_text)
    assert tiny_translator.translate_document(seed_text) == first


def test_lines_mode_keeps_every_line(tiny_translator) -> None:
    text = "مرحبا بك.\n\nهل تتكلم الإنجليزية؟\n   \nالطقس جميل اليوم!\n"
    document = trace_translation(tiny_translator.translate_lines(text))
    assert document.target_text.count("\n") == 4
    assert len(document.segments) == 5
    assert [s.source.slice(text) for s in document.segments][1] == ""
    assert_valid_trace(document)


def test_a_line_of_several_sentences_is_translated_sentence_by_sentence(tiny_translator) -> None:
    """``--lines`` sent a line of four sentences as one unit and lost two (issue 30 D4)."""
    from mt.segment import split_sentences

    line = "وصل 300 شخص إلى المدينة. قال الوزير إن الطقس جميل. هل تتكلم الإنجليزية؟ شكرا لك!"
    sentences = [s.span.slice(line) for s in split_sentences(line, "ar")]
    assert len(sentences) == 4
    alone = [t.text for t in tiny_translator.translate_iter(sentences)]
    text = f"{line}\nمرحبا بك."
    document = trace_translation(tiny_translator.translate_lines(text))
    assert document.target_text.split("\n") == [" ".join(alone),
                                                 next(tiny_translator.translate_iter(
                                                     ["مرحبا بك."])).text]
    assert len(document.segments) == 2, "still one segment a line"
    assert_valid_trace(document)


def test_a_document_keeps_its_line_breaks_whatever_their_kind(tiny_translator) -> None:
    """CR-only text lost every line break in document mode (the English came on one line)."""
    shapes = [tiny_translator.translate_document(text).target_text.count("\n")
              for text in ("مرحبا بكم.\rالطقس جميل!\r\rشكرا لك.",
                           "مرحبا بكم.\r\nالطقس جميل!\r\n\r\nشكرا لك.",
                           "مرحبا بكم.\nالطقس جميل!\n\nشكرا لك.")]
    assert shapes == [3, 3, 3]


def test_long_sentence_is_split_not_truncated(tiny_translator) -> None:
    from mt.translate import Translator, TranslatorOptions

    sentence = "، ".join(["ذهبنا إلى السوق ثم عدنا إلى البيت"] * 30) + "."
    translator = Translator(tiny_translator.backend, TranslatorOptions(max_input_tokens=40),
                            tiny_translator.aligner)
    assert translator.max_input_tokens == 40
    pieces = split_long(sentence, translator._count, 40)
    assert len(pieces) > 1
    assert "".join(p.slice(sentence) for p in pieces).replace(" ", "") == \
        sentence.replace("، ", "،").replace(" ", "")
    document = trace_translation(translator.translate_document(sentence))
    assert len(document.segments) == 1
    assert_valid_trace(document)
    assert max(link.source.end for link in document.links) > len(sentence) // 2


def test_piece_spans_follow_words() -> None:
    text = "كوريا الشمالية 7,000"
    pieces = ["▁كوريا", "▁الشمال", "ية", "▁7", ",", "000"]
    spans = piece_spans(text, pieces)
    assert [s.slice(text) for s in spans] == ["كوريا", "الشمال", "ية", "7", ",", "000"]


@given(st.text())
def test_diacritics_map_points_back(text: str) -> None:
    stripped, index = strip_diacritics_mapped(text)
    assert len(index) == len(stripped) + 1
    assert all(text[index[i]] == char for i, char in enumerate(stripped))


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="ابت ثج،.", min_size=1, max_size=300), st.integers(3, 30))
def test_split_long_covers_text(text: str, limit: int) -> None:
    pieces = split_long(text, lambda piece: len(piece.split()) + len(piece) // 8, limit)
    joined = "".join(p.slice(text) for p in pieces)
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", text)


@pytest.mark.skipif(not (Path(__file__).resolve().parent.parent / "models" / "align"
                         / "model.json").is_file(), reason="models/align is not shipped here")
def test_word_aligner_links_stay_in_their_segments(tiny_model, seed_text: str) -> None:
    from mt.translate import load_translator

    translator = load_translator(str(tiny_model), beam_size=2)  # the aligner is the default
    document = trace_translation(translator.translate_document(seed_text))
    assert "+eflomal" in document.signature
    assert_valid_trace(document)
    linked = {(link.source.slice(seed_text), link.target.slice(document.target_text))
               for link in document.links}
    assert linked and all(s.strip() and t.strip() for s, t in linked)
    again = trace_translation(translator.translate_document(seed_text))
    assert again.dumps() == document.dumps()  # seeded


def test_word_links_fall_back_to_attention_with_one_note(tiny_model, seed_text: str,
                                                        monkeypatch, tmp_path: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    from mt.translate import load_translator

    monkeypatch.setenv("MT_MODELS_DIR", str(tmp_path))  # no models/align there
    with caplog.at_level(logging.WARNING, logger="mt"):
        translator = load_translator(str(tiny_model), beam_size=2)
    assert str(translator.signature).endswith(f"|align:attention|heads:{ALIGNMENT_HEADS.label}")
    notes = [r.getMessage() for r in caplog.records]
    assert len(notes) == 1 and "attention" in notes[0] and "mt.align.build" in notes[0]
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mt"):
        load_translator(str(tiny_model), beam_size=2, word_links="attention")
    assert not caplog.records  # asked for attention: nothing to warn about
    assert translator.translate_document(seed_text).links


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers"])
def test_no_word_links_asks_for_no_attention_and_keeps_the_text(tiny_model, seed_text: str,
                                                                backend: str) -> None:
    from mt.translate import load_translator

    plain = load_translator(str(tiny_model), beam_size=2, backend=backend, word_links="none",
                            facts=False)
    assert not plain.backend.attention
    # Facts on (the default) need the attention: names and numbers are put right by it.
    assert load_translator(str(tiny_model), beam_size=2, backend=backend,
                           word_links="none").backend.attention
    assert all(h.attention is None for h in plain.backend.translate_batch([seed_text[:80]]))
    document = plain.translate_document(seed_text)
    assert not document.links and document.signature.endswith("|align:none|facts:off")
    linked = load_translator(str(tiny_model), beam_size=2, backend=backend,
                             word_links="attention", facts=False).translate_document(seed_text)
    assert linked.links and document.target_text == linked.target_text


def test_ctranslate2_tokenisation_matches_marian_tokenizer(tiny_model, seed_text: str) -> None:
    from transformers import MarianTokenizer

    from mt.models import resolve_model
    from mt.translate.ct2 import _tokenizer

    ours, marian = _tokenizer(resolve_model(str(tiny_model))), MarianTokenizer.from_pretrained(
        tiny_model)
    for line in seed_text.splitlines() + ["The 7,000 containers « arrived »."]:
        assert ours.tokenize(line) == marian.tokenize(line)
        pieces = marian.tokenize(line)
        assert ours.convert_tokens_to_string(pieces) == marian.convert_tokens_to_string(pieces)


def test_alignment_heads_pick_one_layer_and_its_first_heads() -> None:
    import torch

    # Two layers, three heads; every entry names its layer and head.
    layers = [torch.full((1, 3, 2, 2), 0.0) for _ in range(2)]
    for layer in range(2):
        for head in range(3):
            layers[layer][:, head] = 10 * layer + head
    assert float(AlignmentHeads(-1, 0).select(layers)[0, 0, 0]) == 11.0  # top layer, all heads
    assert float(AlignmentHeads(0, 2).select(layers)[0, 0, 0]) == 0.5  # first layer, heads 1-2
    assert AlignmentHeads(-1, 0).label == "layer-1/heads-all"


def test_both_backends_give_the_chosen_heads_attention(tiny_model, seed_text: str) -> None:
    import numpy as np

    from mt.models import resolve_model
    from mt.translate.backend import TransformersBackend
    from mt.translate.ct2 import CTranslate2Backend

    ref = resolve_model(str(tiny_model))
    lines = [line for line in seed_text.splitlines() if line.strip()][:4]
    ours = CTranslate2Backend(ref, compute_type="float32").translate_batch(lines)
    reference = TransformersBackend(ref).translate_batch(lines)
    compared = 0
    for a, b in zip(ours, reference, strict=True):
        if a.target_pieces == b.target_pieces:  # same output: same attention rows
            # From the second step: the backends' first decoding steps still differ here.
            assert np.allclose(a.attention[1:], b.attention[1:], atol=1e-3)
            compared += 1
    assert compared


def test_nbest_of_both_backends(tiny_model, seed_text: str) -> None:
    """n best from CTranslate2's num_hypotheses and transformers' num_return_sequences: n of
    them, best first; the best of a beam no wider than the default is its unguarded output."""
    from mt.models import resolve_model
    from mt.translate.backend import TransformersBackend
    from mt.translate.ct2 import CTranslate2Backend

    ref = resolve_model(str(tiny_model))
    lines = [line for line in seed_text.splitlines() if line.strip()][:3]
    for backend in (CTranslate2Backend(ref, compute_type="float32"), TransformersBackend(ref)):
        ranked = backend.nbest(lines, 5)
        assert [len(r) for r in ranked] == [5, 5, 5], backend.name
        for hypotheses in ranked:
            scores = [h.score for h in hypotheses]
            assert scores == sorted(scores, reverse=True) and all(s < 0 for s in scores)
            assert len({h.text for h in hypotheses}) > 1  # the beam's, not one text 5 times
        best = backend.nbest(lines, 1)
        assert [r[0].text for r in best] == [h.text for h in backend._decode(lines)]
        with pytest.raises(ValueError, match="n must be at least 1"):
            backend.nbest(lines, 0)


def test_translator_nbest_joins_each_sentences_kth_output(tiny_translator) -> None:
    one, two = "وصل 300 شخص إلى المدينة.", "قال الوزير إن الحرب انتهت."
    first, second = tiny_translator.nbest([one, two], 3)
    both = tiny_translator.nbest([f"{one} {two}", "Hello."], 3)
    assert both[1] == [tiny_translator.nbest(["Hello."], 1)[0][0]]  # no Arabic: copied once
    assert both[1][0].text == "Hello." and both[1][0].score == 0.0
    texts = [h.text for h in both[0]]
    assert len(texts) == len(set(texts)) and 1 <= len(texts) <= 3
    assert texts[0] == f"{first[0].text} {second[0].text}"
    assert both[0][0].score == pytest.approx((first[0].score + second[0].score) / 2, abs=1e-3)
