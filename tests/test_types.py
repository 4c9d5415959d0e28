from __future__ import annotations

import re
from typing import Any

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


VALID_TRACE = {
    "version": 1, "signature": "mt:test|align:test",
    "source": {"lang": "ar", "text": "قال إن 7 وصلوا."}, "target": {"lang": "en", "text": "He said 7 came."},
    "segments": [{"id": 0, "source": [0, 15], "target": [0, 15], "score": -0.5}],
    "links": [{"segment": 0, "source": [7, 8], "target": [8, 9], "score": 0.9}],
    "spans": [{"kind": "number", "source": [7, 8], "target": [8, 9], "status": "ok",
               "detail": "7 = 7"}],
}
# (where, what is put there, the field the error names); None at the end of a path deletes it
BAD_TRACES = [
    (("segments", 0, "source"), [0, 60], "segments[0].source"),
    (("segments", 0, "source"), [0.0, 15], "segments[0].source[0]"),
    (("segments", 0, "target"), ["0", 15], "segments[0].target[0]"),
    (("segments", 0, "source"), [9, 3], "segments[0].source"),
    (("segments", 0, "source"), [0, 5], "links[0].source"),  # the link leaves its segment
    (("segments", 0, "id"), "0", "segments[0].id"),
    (("segments", 0, "score"), True, "segments[0].score"),
    (("segments",), {"id": 0}, "segments"),
    (("links", 0, "segment"), 3, "links[0].segment"),
    (("links", 0, "source"), None, "links[0].source"),
    (("links", 0, "target"), [8, 99], "links[0].target"),
    (("links", 0, "score"), "0.9", "links[0].score"),
    (("spans", 0, "kind"), "person", "spans[0].kind"),
    (("spans", 0, "status"), "fine", "spans[0].status"),
    (("spans", 0, "source"), None, "spans[0].source"),
    (("spans", 0, "target"), [8, 99], "spans[0].target"),
    (("spans", 0, "detail"), 7, "spans[0].detail"),
    (("source", "text"), None, "source.text"),
    (("source", "text"), "قال إن 7 وصلوا. شكرا", "segments"),  # Arabic in no segment
    (("target",), "He said 7 came.", "target"),
    (("signature",), None, "signature"),
    (("version",), 2, "version"),
]


def bad_trace(where: tuple, value: object) -> dict:
    """``VALID_TRACE`` with one value replaced."""
    import copy

    data = copy.deepcopy(VALID_TRACE)
    *path, last = where
    place: Any = data
    for key in path:
        place = place[key]
    place[last] = value
    return data


@pytest.mark.parametrize(("where", "value", "field"), BAD_TRACES,
                         ids=[f"{f}={v!r}" for _, v, f in BAD_TRACES])
def test_a_trace_is_validated_once_and_the_error_names_the_field(
        where: tuple, value: object, field: str, tmp_path, capsys) -> None:
    import json

    import mt
    from mt.cli import main
    from mt.errors import InputError, TraceError

    assert TraceDocument.from_json(VALID_TRACE).to_json() == VALID_TRACE
    data = bad_trace(where, value)
    with pytest.raises(TraceError) as raised:
        TraceDocument.from_json(data)
    assert raised.value.field == field and str(raised.value).startswith(f"{field}: ")
    assert isinstance(raised.value, InputError)
    with pytest.raises(TraceError, match=re.escape(field)):  # the library's face
        mt.check_trace(data, similarity=False)
    path = tmp_path / "trace.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["check", "--no-similarity", str(path)]) == 2  # the CLI's
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"({field}: " in err and "Traceback" not in err


def test_a_trace_built_in_python_is_validated_too() -> None:
    from mt.errors import TraceError

    with pytest.raises(TraceError, match=r"^links\[0\]\.target: \[0, 4\] lies outside"):
        TraceDocument("s", "نص", "text", (Segment(0, Span(0, 2), Span(0, 2)),),
                      (Link(0, Span(0, 2), Span(0, 4), 0.5),))
