"""The stutter guard and the two backends decoding alike."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from mt.translate.backend import DecodeOptions, Hypothesis
from mt.translate.guard import (
    collapse,
    doubles_word,
    guarded,
    kept_pieces,
    repeats_word,
    stutter_start,
    stutters,
    text_stutters,
)

from .conftest import PAIRS


@pytest.mark.parametrize(("pieces", "start"), [
    ("▁as ual ual ual ual ▁and", 3),  # "asualualual": a piece three times inside a word
    ("▁North ton ton ton ▁A ro", 3),
    ("▁meeting ▁meeting ▁meeting", 2),
    ("▁x ▁a ▁b ▁a ▁b ▁a ▁b", 6),  # a run of two pieces three times
    ("▁ha ▁ha ▁the ▁end", None),  # twice is allowed
    ("▁one ▁two ▁three ▁four ▁one ▁two ▁three ▁four", None),
])
def test_stutter_start(pieces: str, start: int | None) -> None:
    assert stutter_start(pieces.split()) == start


def test_kept_pieces_cut_third_and_later_repeats() -> None:
    pieces = "▁as ual ual ual ual ▁and ▁a ▁b ▁a ▁b ▁a ▁b ▁c".split()
    assert [pieces[i] for i in kept_pieces(pieces)] == \
        "▁as ual ual ▁and ▁a ▁b ▁a ▁b ▁a ▁c".split()
    assert stutter_start([pieces[i] for i in kept_pieces(pieces)]) is None


@pytest.mark.parametrize(("pieces", "kept"), [
    ("▁armed ▁armed ▁arms )", "▁armed ▁arms )"),
    ("▁in ▁September ▁September .", "▁in ▁September ."),  # the copy with the full stop stays
    ("▁the ▁mid ▁mid -19 th", "▁the ▁mid -19 th"),
    ("▁New ▁Zea land ▁Zea land", "▁New ▁Zea land"),  # words, not pieces, are compared
    ("▁the ▁The ▁end", "▁The ▁end"),
    ("▁the ▁the ▁the ▁the ▁end", "▁the ▁end"),
    ("▁Washington , ▁Washington", "▁Washington , ▁Washington"),  # apposition, not a double
    ("▁he ▁had ▁had ▁enough", "▁he ▁had ▁had ▁enough"),  # English doubles these
    ("▁10 ▁10 ▁km", "▁10 ▁10 ▁km"),  # numbers are the number check's business
    ("▁arm ▁armed", "▁arm ▁armed"),
])
def test_kept_pieces_cut_doubled_words(pieces: str, kept: str) -> None:
    split = pieces.split()
    assert " ".join(split[i] for i in kept_pieces(split)) == kept
    assert doubles_word(split) == (kept != pieces)


def test_repeats_word_counts_words_not_pieces() -> None:
    assert repeats_word("ssss and South African s s s")
    assert repeats_word("the Meeting meeting MEETING ended")
    assert not repeats_word("very very good, good")


def _hypothesis(pieces: list[str]) -> Hypothesis:
    attention = np.arange(len(pieces) * 2, dtype=np.float32).reshape(len(pieces), 2)
    return Hypothesis(text="".join(pieces).replace("▁", " ").strip(), score=-1.0,
                      source_pieces=["a", "b"], target_pieces=pieces, attention=attention)


def test_collapse_keeps_attention_rows_with_their_pieces() -> None:
    pieces = "▁as ual ual ual ▁and".split()
    fixed = collapse(_hypothesis(pieces), lambda p: "".join(p).replace("▁", " ").strip())
    assert fixed.text == "asualual and"
    assert fixed.target_pieces == ["▁as", "ual", "ual", "▁and"]
    assert fixed.attention is not None
    assert fixed.attention[:, 0].tolist() == [0.0, 2.0, 4.0, 8.0]  # row of "ual" #3 dropped


def test_guarded_cuts_only_when_on() -> None:
    stuttering = _hypothesis("▁so ▁so ▁so ▁good".split())
    clean = _hypothesis("▁fine".split())

    def decode(texts: list[str]) -> list[Hypothesis]:
        return [stuttering, clean][:len(texts)]

    def detokenize(pieces: list[str]) -> str:
        return " ".join(p.strip("▁") for p in pieces)

    on = guarded(decode, detokenize, ["a", "b"], DecodeOptions())
    assert [h.text for h in on] == ["so good", "fine"]  # the third cut, then the double
    assert not any(map(stutters, on))
    off = guarded(decode, detokenize, ["a", "b"], replace(DecodeOptions(), guard=False))
    assert off[0] is stuttering


@pytest.mark.parametrize("beam", [1, 2, 4])
def test_backends_decode_alike(tiny_model, beam: int) -> None:
    """Same settings, same pieces: CTranslate2 (float32) against the transformers reference.

    Without the n-gram ban: the two libraries apply ``no_repeat_ngram_size``
    differently inside beam search (eval/RESULTS.md measures the agreement with it).
    """
    pytest.importorskip("ctranslate2")
    from mt.models import resolve_model
    from mt.translate.backend import TransformersBackend
    from mt.translate.ct2 import CTranslate2Backend

    model = resolve_model(str(tiny_model))
    options = DecodeOptions(beam_size=beam, no_repeat_ngram_size=0)
    fast = CTranslate2Backend(model, options, compute_type="float32", threads=1)
    reference = TransformersBackend(model, options, threads=1)
    sources = [ar for ar, _ in PAIRS]
    for source in sources:  # one at a time: padding would make the batch limits differ
        a, b = fast.translate_batch([source])[0], reference.translate_batch([source])[0]
        assert a.target_pieces == b.target_pieces, source
        assert a.text == b.text


def test_text_stutters_as_a_reader_sees_it() -> None:
    assert text_stutters("Northtontonton Arogia")
    assert text_stutters("asualualual and ssss")
    assert text_stutters("the meeting meeting meeting")
    assert not text_stutters("North Korea sent 7,000 containers; the committee met.")
    assert not text_stutters("Pope John XXIII read Part III on www.un.org.")
    assert text_stutters("Hilllerler said") and text_stutters("he dididid")
