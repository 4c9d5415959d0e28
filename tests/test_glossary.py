from __future__ import annotations

from pathlib import Path

import pytest

from mt.errors import InputError
from mt.glossary import Glossary, read_glossary
from mt.types import TraceDocument

TERMS = [("المفوضية السامية", "High Commissioner"), ("مفوضية", "Commission"),
         ("الأمم المتحدة", "United Nations"), ("حاوية", "container")]
TBX = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
 <text><body>
  <conceptEntry id="c1">
   <langSec xml:lang="ar"><termSec><term>الأمم المتحدة</term></termSec></langSec>
   <langSec xml:lang="en"><termSec><term>United Nations</term></termSec></langSec>
  </conceptEntry>
  <conceptEntry id="c2">
   <langSec xml:lang="ar"><termSec><term>حاوية</term></termSec></langSec>
   <langSec xml:lang="en-GB"><termSec><term>container</term></termSec></langSec>
  </conceptEntry>
 </body></text>
</tbx>
"""


def test_terms_are_found_whole_with_article_proclitic_and_diacritics() -> None:
    text = "قالت والمفوضيّة السامية لمفوضية للأمم المتحدة إن الحاويات وصلت"
    found = [(span.slice(text), english) for span, english in Glossary("g", TERMS).find(text)]
    assert found == [("المفوضيّة السامية", "High Commissioner"), ("مفوضية", "Commission"),
                     ("لأمم المتحدة", "United Nations")]  # الحاويات is another word


def test_tsv_csv_and_tbx_are_read(tmp_path: Path) -> None:
    tsv = tmp_path / "g.tsv"
    tsv.write_text("ar\ten\n" + "".join(f"{a}\t{e}\n" for a, e in TERMS), encoding="utf-8")
    csv = tmp_path / "g.csv"
    csv.write_text("".join(f'"{a}","{e}"\n' for a, e in TERMS), encoding="utf-8")
    tbx = tmp_path / "g.tbx"
    tbx.write_text(TBX, encoding="utf-8")
    assert read_glossary(str(tsv)).terms == tuple(TERMS) == read_glossary(str(csv)).terms
    assert read_glossary(str(tbx)).terms == (("الأمم المتحدة", "United Nations"),
                                             ("حاوية", "container"))


@pytest.mark.parametrize(("name", "content", "says"), [
    ("one.tsv", "مفوضية\n", "row 1 is not two columns"),
    ("empty.tsv", "", "no terms"),
    ("latin1.tsv", b"\xe9t\xe9\tsummer\n", "UTF-8"),
    ("bad.tbx", "<tbx><text>", "not well-formed TBX"),
    ("bomb.tbx", '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]><tbx>&a;</tbx>',
     "no terms"),
])
def test_a_bad_glossary_is_one_input_error(tmp_path: Path, name: str, content: str | bytes,
                                           says: str) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(InputError, match=says):
        read_glossary(str(path))
    with pytest.raises(InputError, match="cannot read"):
        read_glossary(str(tmp_path / "missing.tsv"))


@pytest.mark.parametrize("kind", ["tsv", "tbx"])
def test_translate_with_a_glossary_puts_every_term_in(
        tiny_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    from mt.cli import main

    glossary = tmp_path / f"terms.{kind}"
    glossary.write_text(TBX if kind == "tbx" else "".join(f"{a}\t{e}\n" for a, e in TERMS),
                        encoding="utf-8")
    source = tmp_path / "in.txt"
    source.write_text("وصلت حاوية إلى الأمم المتحدة أمس.\nقالت الأمم المتحدة إن حاوية وصلت.\n",
                      encoding="utf-8")
    assert main(["translate", str(source), "--model", str(tiny_model), "--glossary",
                 str(glossary), "--format", "json", "--word-links", "none", "-q"]) == 0
    trace = TraceDocument.loads(capsys.readouterr().out)
    terms = [s for s in trace.spans if s.kind == "term"]
    assert len(terms) == 4 and all(s.status == "ok" for s in terms)
    assert all(s.target is not None and s.target.slice(trace.target_text) in
               ("United Nations", "container") for s in terms)
    assert f"|glossary:{glossary}" in trace.signature
    assert main(["translate", str(source), "--model", str(tiny_model), "--glossary",
                 str(glossary), "-q"]) == 0
    assert capsys.readouterr().out.count("United Nations") == 2


def test_a_bad_glossary_on_the_command_line_is_one_line_and_exit_2(
        tiny_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mt.cli import main

    source = tmp_path / "in.txt"
    source.write_text("وصلت حاوية.\n", encoding="utf-8")
    (tmp_path / "bad.tsv").write_text("only one column\n", encoding="utf-8")
    assert main(["translate", str(source), "--model", str(tiny_model), "--glossary",
                 str(tmp_path / "bad.tsv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.tsv: row 1" in err and "Traceback" not in err


def test_api_terms_per_request(tiny_model: Path) -> None:
    from fastapi.testclient import TestClient

    from mt.serve.app import create_app
    from mt.serve.service import load_service

    with TestClient(create_app(load_service(str(tiny_model), beam=2))) as client:
        asked = {"text": "وصلت حاوية إلى الأمم المتحدة.", "glossary": [list(t) for t in TERMS]}
        trace = client.post("/v1/translate", json=asked).json()
        assert "United Nations" in trace["target"]["text"]
        assert [s["status"] for s in trace["spans"] if s["kind"] == "term"] == ["ok", "ok"]
        assert "|glossary:request" in trace["signature"]
        plain = client.post("/v1/translate", json={"text": asked["text"]}).json()
        assert not any(s["kind"] == "term" for s in plain["spans"]), "for that request alone"
        bad = client.post("/v1/translate", json={"text": asked["text"], "glossary": [["x"]]})
        assert bad.status_code == 400 and "glossary" in bad.text


def test_corpus_build_and_serve_take_a_glossary_file(tiny_model: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from fastapi.testclient import TestClient

    from mt.cli import main
    from mt.corpus.formats import read_corpus
    from mt.serve.app import create_app
    from mt.serve.service import load_service

    glossary = tmp_path / "terms.tsv"
    glossary.write_text("".join(f"{a}\t{e}\n" for a, e in TERMS), encoding="utf-8")
    (tmp_path / "doc.txt").write_text("وصلت حاوية إلى الأمم المتحدة.", encoding="utf-8")
    assert main(["corpus", "build", str(tmp_path / "doc.txt"), "-o", str(tmp_path / "c.jsonl"),
                 "--model", str(tiny_model), "--beam", "2", "--glossary", str(glossary)]) == 0
    [pair] = read_corpus(str(tmp_path / "c.jsonl"))
    assert "United Nations" in pair.en and "container" in pair.en
    service = load_service(str(tiny_model), beam=2, glossary=str(glossary))
    with TestClient(create_app(service)) as client:
        trace = client.post("/v1/translate", json={"text": "وصلت حاوية."}).json()
        assert "container" in trace["target"]["text"]
        assert f"|glossary:{glossary}" in trace["signature"]
