from __future__ import annotations

import json
from pathlib import Path

import pytest

from mt.align.document import trace_pair
from mt.check import check_document
from mt.cli import main
from mt.types import Segment, Span, TraceDocument

CLEAN = ("وصل 300 شخص إلى المدينة في تموز/يوليو.", "300 people arrived in the city in July.")
WRONG = ("فاز بنسبة 87,29% من الأصوات.", "He won 78.29% of the votes.")
ADDED = ("قال الوزير إن الاجتماع كان مثمرا.",
         "The minister said the meeting was fruitful. Aliens landed on the moon yesterday.")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_pairs_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("\t".join(CLEAN) + "\n\n" + "\t".join(WRONG) + "\n", encoding="utf-8")
    code, out, _ = _run(["check", "--pairs", str(tsv), "--no-similarity"], capsys)
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [r["line"] for r in records] == [1, 3]
    assert records[0]["findings"] == []
    (finding,) = records[1]["findings"]
    assert finding == {"kind": "number", "status": "mismatch", "source": [10, 16],
                       "target": [7, 13],
                       "detail": "87,29% = 87.29%, but the translation has 78.29%"}
    assert WRONG[0][10:16] == "87,29%" and WRONG[1][7:13] == "78.29%"


def test_clean_pairs_pass_and_all_lists_ok_spans(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("\t".join(CLEAN) + "\n", encoding="utf-8")
    code, out, _ = _run(["check", "--pairs", str(tsv), "--format", "text", "--all"], capsys)
    assert code == 0
    assert "line 1: number ok [4,7] -> [0,3]: 300 = 300" in out
    assert "line 1: date ok" in out


def test_unsupported_and_untranslated(capsys: pytest.CaptureFixture[str],
                                      tmp_path: Path) -> None:
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("\t".join(ADDED) + "\nوصل الوفد إلى المدينة.\tThe delegation وصل to the city.\n",
                   encoding="utf-8")
    code, out, _ = _run(["check", "--pairs", str(tsv)], capsys)
    first, second = (json.loads(line)["findings"] for line in out.splitlines())
    (unsupported,) = [f for f in first if f["kind"] == "unsupported"]
    assert ADDED[1][slice(*unsupported["target"])] == "Aliens landed on the moon yesterday."
    assert unsupported["status"] == "unverified"
    (untranslated,) = second
    assert untranslated["kind"] == "untranslated" and untranslated["status"] == "missing"
    assert untranslated["source"] == [0, 3] and untranslated["target"] == [15, 18]
    assert code == 1


def test_trace_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ar = WRONG[0] + "\nجملة بلا ترجمة."
    en = WRONG[1] + "\nAn extra sentence."
    segments = (Segment(0, Span(0, len(WRONG[0])), Span(0, len(WRONG[1]))),
                Segment(1, Span(len(WRONG[0]) + 1, len(ar)), None),
                Segment(2, None, Span(len(WRONG[1]) + 1, len(en))))
    document = trace_pair(WRONG[0], WRONG[1])
    document = TraceDocument("sig", ar, en, segments, spans=document.spans)
    path = tmp_path / "trace.json"
    path.write_text(document.dumps(), encoding="utf-8")
    code, out, _ = _run(["check", str(path), "--no-similarity"], capsys)
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and [r["segment"] for r in records] == [0, 1, 2]
    assert [f["kind"] for f in records[0]["findings"]] == ["number"]
    assert records[1]["findings"][0]["kind"] == "untranslated"
    assert records[2]["findings"][0] == {
        "kind": "unsupported", "status": "unverified", "source": [len(ar), len(ar)],
        "target": [len(WRONG[1]) + 1, len(en)],
        "detail": "this English has no counterpart in the Arabic"}


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [("no tab here\n", ["--pairs"], "found no tab"),
     ("{not json", [], "not a trace document"),
     (None, ["--pairs"], "no such file")],
)
def test_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None,
                   args: list[str], message: str) -> None:
    path = tmp_path / "input"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, _, err = _run(["check", *args, str(path), "--no-similarity"], capsys)
    assert code == 2 and message in err and "Traceback" not in err


def test_findings_keep_their_segment() -> None:
    document = trace_pair(*WRONG)
    (finding,) = check_document(document)
    assert finding.segment == 0 and finding.fails


@pytest.mark.parametrize(("english", "findings"), [
    ("Part III of the report.", []),
    ("Part IV of the report.", ["number"]),  # the wrong part is still caught
])
def test_a_roman_numeral_is_the_arabic_ordinal(english: str, findings: list[str]) -> None:
    document = trace_pair("الجزء الثالث من التقرير.", english)
    assert [f.kind for f in check_document(document) if f.status != "ok"] == findings


def test_presentation_forms_left_in_the_english_are_untranslated() -> None:
    # ﻣﺮﺣﺒﺎ is مرحبا in presentation forms: Arabic letters all the same.
    document = trace_pair("قال مرحبا.", "He said ﻣﺮﺣﺒﺎ.")
    (finding,) = [f for f in check_document(document) if f.kind == "untranslated"]
    assert document.target_text[finding.target.start:finding.target.end] == "ﻣﺮﺣﺒﺎ"
    assert finding.status == "missing"
