from __future__ import annotations

import pytest

from mt.types import Link, Segment, Signature, Span, TraceDocument, TracedSpan


def test_span_rejects_reversed_offsets() -> None:
    with pytest.raises(ValueError):
        Span(5, 2)


def test_trace_document_round_trip() -> None:
    document = TraceDocument(
        signature="mt:0|model:x@0|decode:beam4,length_penalty=1.0|align:attention",
        source_text="بنحو 7 آلاف", target_text="about 7,000",
        segments=(Segment(0, Span(0, 11), Span(0, 11), -0.4), Segment(1, Span(11, 11), None)),
        links=(Link(0, Span(5, 11), Span(6, 11), 0.9),),
        spans=(TracedSpan("number", Span(5, 11), Span(6, 11), "ok", "7 آلاف = 7,000"),),
    )
    data = document.to_json()
    assert data["segments"][1]["target"] is None
    assert data["spans"][0] == {"kind": "number", "source": [5, 11], "target": [6, 11],
                                "status": "ok", "detail": "7 آلاف = 7,000"}
    assert TraceDocument.loads(document.dumps()) == document


def test_signature_names_every_setting_that_decided_the_output() -> None:
    signature = Signature(aligner="attention", model="opus-mt-ar-en", weights="abc123",
                          revision="f00d", backend="ctranslate2", compute_type="int8",
                          decode=(("beam_size", 4), ("no_repeat_ngram_size", 4)),
                          version="9.9")
    assert str(signature) == ("mt:9.9|model:opus-mt-ar-en@abc123|revision:f00d|"
                              "decode:beam4,no_repeat_ngram_size=4|backend:ctranslate2-int8|"
                              "align:attention")
    assert str(Signature(aligner="pair+words-anchors", version="9.9")) == \
        "mt:9.9|align:pair+words-anchors"


def test_eval_does_not_accept_word_links(capsys: pytest.CaptureFixture[str]) -> None:
    from mt.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["eval", "--hyp", "h", "--ref", "r", "--word-links", "aligner"])
    assert stop.value.code == 2
