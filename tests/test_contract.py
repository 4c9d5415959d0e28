"""The error contract over every verb: bad input is exit 2, one stderr line naming it,
no traceback, and no output file left behind.

Each row is a hostile input found by trying `mt` as a user would; a row that
raised, printed a traceback, exited 0 or 1, or left a partial output fails.
"""

from __future__ import annotations

import gzip
import json
import shutil
import string
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mt.cli import main

CORPUS = "مرحبا بكم\tHello\nالطقس جميل\tNice weather\nشكرا لك\tThank you\n"
TRACE = {"version": 1, "signature": "mt:test", "source": {"lang": "ar", "text": "مرحبا"},
         "target": {"lang": "en", "text": "Hello"},
         "segments": [{"id": 0, "source": [0, 5], "target": [0, 5], "score": 0.0}],
         "links": [], "spans": []}


def _gz_truncated(path: Path) -> None:
    path.write_bytes(gzip.compress(CORPUS.encode() * 50)[:60])


def _gz_corrupt(path: Path) -> None:
    path.write_bytes(b"this is not gzip at all\n")


def _text(content: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(content, encoding="utf-8")


def _bytes(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def _trace(**changes: object) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        document = json.loads(json.dumps(TRACE))
        for key, value in changes.items():
            section, _, field = key.partition("__")
            if field:
                document[section][field] = value
            else:
                document[section] = value
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return write


def _docx(document_xml: bytes | None = None, bomb: int = 0) -> Callable[[Path], None]:
    """A real .docx whose word/document.xml is replaced, or with a member inflating to ``bomb``."""
    def write(path: Path) -> None:
        import io
        import zipfile

        import docx

        buffer = io.BytesIO()
        made = docx.Document()
        made.add_paragraph("مرحبا بكم")
        made.save(buffer)
        with zipfile.ZipFile(buffer) as original, zipfile.ZipFile(path, "w",
                                                                  zipfile.ZIP_DEFLATED) as out:
            for item in original.infolist():
                data = original.read(item)
                if item.filename == "word/document.xml" and document_xml is not None:
                    data = document_xml
                out.writestr(item, data)
            if bomb:
                with out.open("word/media/zeros.bin", "w", force_zip64=True) as member:
                    for _ in range(bomb // 2**20):
                        member.write(bytes(2**20))
    return write


def _tmx(tu: str) -> Callable[[Path], None]:
    return _text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header '
                 'srclang="ar"/><body><tu>' + tu + "</tu></body></tmx>\n")


def _folder_beside_a_secret(path: Path) -> None:
    path.mkdir()
    (path / "sub").mkdir()
    (path / "sub" / "in.txt").write_text("مرحبا بكم", encoding="utf-8")
    (path.parent / "secret.txt").write_text("كلمة السر", encoding="utf-8")


def _folder_of_other_things(path: Path) -> None:
    path.mkdir()
    (path / "thesis.txt").write_text("years of work", encoding="utf-8")


W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _model(damage: str) -> Callable[[Path, Path], None]:
    """A copy of the tiny model with one part missing or cut short."""
    def make(path: Path, model: Path) -> None:
        shutil.copytree(model, path, ignore=shutil.ignore_patterns(".ct2-*"))
        if damage == "empty-config":
            (path / "config.json").write_text("")
        elif damage == "no-spm":
            (path / "source.spm").unlink()
        elif damage == "truncated-weights":
            weights = path / "model.safetensors"
            weights.write_bytes(weights.read_bytes()[:4000])
    return make


# name, argv ({in}: the bad input, {out}: an output path, {model}: the tiny model,
# {good}: a valid corpus), how to make {in}, and what the one line must say.
ROWS: list[tuple[str, list[str], Callable[..., None] | None, str]] = [
    # corrupt or truncated .gz: every verb that reads one
    ("translate truncated gz", ["translate", "--model", "{model}", "{in}.gz", "-o", "{out}"],
     _gz_truncated, "gzip"),
    ("translate --lines corrupt gz", ["translate", "--lines", "--model", "{model}", "{in}.gz",
                                      "-o", "{out}"], _gz_corrupt, "gzip"),
    ("align --pairs truncated gz", ["align", "--pairs", "{in}.tsv.gz", "-o", "{out}"],
     _gz_truncated, "gzip"),
    ("check --pairs corrupt gz", ["check", "--no-similarity", "--pairs", "{in}.tsv.gz"],
     _gz_corrupt, "gzip"),
    ("corpus convert truncated gz", ["corpus", "convert", "{in}.tsv.gz", "{out}.jsonl"],
     _gz_truncated, "gzip"),
    ("corpus filter corrupt gz", ["corpus", "filter", "{in}.tsv.gz", "-o", "{out}.tsv"],
     _gz_corrupt, "gzip"),
    ("corpus split truncated gz", ["corpus", "split", "{in}.tsv.gz", "-o", "{out}",
                                   "--dev", "1", "--test", "1"], _gz_truncated, "gzip"),
    ("corpus build corrupt gz", ["corpus", "build", "{in}.txt.gz", "--en", "{good}", "-o",
                                 "{out}.jsonl"], _gz_corrupt, "gzip"),
    ("eval truncated gz", ["eval", "--hyp", "{in}.gz", "--ref", "{good}", "-o", "{out}"],
     _gz_truncated, "gzip"),
    ("eval --testset corrupt gz", ["eval", "--testset", "{in}.tsv.gz", "--model", "{model}",
                                   "--save-hyp", "{out}"], _gz_corrupt, "gzip"),
    ("train truncated gz", ["train", "{in}.tsv.gz", "-o", "{out}"], _gz_truncated, "gzip"),
    # corpus formats
    ("corrupt parquet", ["corpus", "convert", "{in}.parquet", "{out}.tsv"],
     _bytes(b"PAR1 not really parquet"), "Parquet"),
    ("parquet onto a directory", ["corpus", "convert", "{good}", "{in}", "--to", "parquet"],
     lambda path: path.mkdir(), "is a directory"),
    ("lone surrogate in JSONL", ["corpus", "convert", "{in}.jsonl", "{out}.tsv"],
     _text('{"translation": {"ar": "\\ud800", "en": "x"}}\n'), "surrogate"),
    ("non-string doc in JSONL", ["corpus", "convert", "{in}.jsonl", "{out}.tmx"],
     _text('{"translation": {"ar": "نص", "en": "text"}, "doc": 5}\n'), "doc"),
    ("NaN in JSONL", ["corpus", "convert", "{in}.jsonl", "{out}.tsv"],
     _text('{"translation": {"ar": "نص", "en": "text"}, "score": NaN}\n'), "NaN"),
    # Lossless convert: a value taken as it is or refused, never coerced (issue 30)
    *[(f"JSONL {field}: {value}", ["corpus", "convert", "{in}.jsonl", "{out}.tsv"],
       _text('{"translation": {"ar": "نص", "en": "text"}, "' + field + '": ' + value + "}\n"),
       field)
      for field, value in [("segment", "1e999"), ("segment", "1.9"), ("segment", '"12"'),
                           ("segment", "true"), ("source", "[1]"), ("source", '"12"'),
                           ("source", "[0.5, 2]"), ("score", '"0.5"'),
                           ("links", '[{"source": [0, 1.5], "target": [0, 1], "score": 1}]'),
                           ("links", '[{"source": [0, 1], "target": [0, 1]}]')]],
    ("SRT hours past any clock", ["translate", "--model", "{model}", "{in}.srt", "-o",
                                  "{out}.srt"],
     _text("1\n99999999999:00:01,000 --> 99999999999:00:02,000\nنص\n"), "timing"),
    ("JSONL read as TSV suggests the format", ["corpus", "convert", "{in}.tsv", "{out}.jsonl"],
     _text('{"translation": {"ar": "نص", "en": "text"}}\n'), "jsonl"),
    # models
    ("empty config.json", ["translate", "--model", "{in}", "{good}", "-o", "{out}"],
     _model("empty-config"), "config.json"),
    ("model without .spm", ["translate", "--model", "{in}", "{good}", "-o", "{out}"],
     _model("no-spm"), "source.spm"),
    ("truncated safetensors", ["translate", "--backend", "transformers", "--model", "{in}",
                               "{good}", "-o", "{out}"], _model("truncated-weights"),
     "model.safetensors"),
    ("models convert incomplete", ["models", "convert", "{in}", "-o", "{out}"],
     _model("no-spm"), "source.spm"),
    ("no writable cache folder", ["models", "convert", "{model}", "-o", "{in}/cache"],
     _bytes(b"a file, not a folder"), "{in}"),
    # resource limits and bad values: argparse's usage on one line
    ("--threads -3", ["translate", "--threads", "-3", "{in}"], _text("مرحبا"), "--threads"),
    ("--beam 100000", ["translate", "--beam", "100000", "{in}"], _text("مرحبا"), "--beam"),
    ("serve --beam 0", ["serve", "--beam", "0", "--model", "{in}"], None, "--beam"),
    ("corpus to a folder", ["corpus", "convert", "{good}", "{in}", "--to", "tsv"],
     lambda path: path.mkdir(), "is a directory"),
    ("--batch-tokens 0", ["translate", "--batch-tokens", "0", "{in}"], _text("مرحبا"),
     "--batch-tokens"),
    ("--workers 0", ["corpus", "build", "{in}", "--workers", "0", "-o", "{out}.jsonl"],
     _text("مرحبا"), "--workers"),
    ("train --init a folder that is no model", ["train", "{good}", "-o", "{out}", "--init",
                                                "{in}"], lambda path: path.mkdir(),
     "config.json"),
    ("train --init a file", ["train", "{good}", "-o", "{out}", "--init", "{in}"],
     _text("root:x:0:0\n"), "config.json"),
    ("a file name with a newline", ["translate", "--model", "{model}", "{in}\nx.txt"], None,
     "\\nx.txt"),
    ("-o ''", ["translate", "--model", "{model}", "{in}", "-o", ""], _text("مرحبا"),
     "--output/-o '': an empty name"),
    ("-o the folder of the input", ["translate", "--model", "{model}", "{in}/sub/in.txt", "-o",
                                    "{in}"], _folder_beside_a_secret, "a folder holding"),
    ("-o under a file", ["translate", "--model", "{model}", "{good}", "-o", "{in}/x.txt"],
     _text("a file"), "is a file, not a folder"),
    ("train FILE:-1", ["train", "{good}:-1", "-o", "{out}"], None, "weight -1 draws nothing"),
    ("train -o under a file", ["train", "{good}", "-o", "{in}/model"], _text("a file"),
     "is a file, not a folder"),
    ("--max-steps 0", ["train", "{in}", "-o", "{out}", "--max-steps", "0"], _text(CORPUS),
     "--max-steps"),
    ("eval --limit -1", ["eval", "--testset", "{in}", "--limit", "-1"], _text(CORPUS),
     "--limit"),
    ("eval --bootstrap 100000000", ["eval", "--hyp", "{in}", "--ref", "{in}", "--confidence",
                                    "--bootstrap", "100000000"], _text("a\n"), "--bootstrap"),
    ("eval --testset with --hyp", ["eval", "--testset", "{good}", "--hyp", "{in}"],
     _text("a\n"), "--testset"),
    ("eval reading stdin twice", ["eval", "--hyp", "-", "--ref", "-"], None,
     "--hyp - and --ref -: stdin"),
    ("--model ''", ["translate", "--model", "", "{in}"], _text("مرحبا"), "--model"),
    ("--confidence with --bootstrap 1", ["eval", "--hyp", "{in}", "--ref", "{in}",
                                         "--confidence", "--bootstrap", "1"], _text("a\n"),
     "--bootstrap"),
    # inputs that are empty, or not what they claim
    ("-o /dev/full", ["corpus", "convert", "{in}.tsv", "/dev/full", "--to", "jsonl"],
     _text(CORPUS), "/dev/full"),
    ("eval on two empty files", ["eval", "--hyp", "{in}", "--ref", "{in}", "-o", "{out}"],
     _text(""), "{in}"),
    ("train with no valid pairs", ["train", "{in}.tsv", "-o", "{out}"],
     _text("hello\tworld\nbonjour\tle monde\n"), "{in}"),
    ("check with null source.text", ["check", "--no-similarity", "{in}.json"],
     _trace(source__text=None), "source.text"),
    ("check offsets outside the text", ["check", "--no-similarity", "{in}.json"],
     _trace(segments=[{"id": 0, "source": [0, 500], "target": [0, 5], "score": 0.0}]),
     "outside"),
    # One validation of a trace (TraceDocument.from_json) behind mt check (issue 30 contract)
    ("check a bogus span kind", ["check", "--no-similarity", "{in}.json"],
     _trace(spans=[{"kind": "bogus", "source": [0, 5], "target": None, "status": "ok"}]),
     "spans[0].kind: 'bogus' is not a kind"),
    ("check a hostile span status", ["check", "--no-similarity", "{in}.json"],
     _trace(spans=[{"kind": "number", "source": [0, 5], "target": None,
                    "status": 'ok" onmouseover="alert(1)" x="'}]), "spans[0].status:"),
    ("check a float span", ["check", "--no-similarity", "{in}.json"],
     _trace(segments=[{"id": 0, "source": [0.5, 5], "target": [0, 5], "score": 0.0}]),
     "segments[0].source[0]: a number, not a whole number"),
    ("check a null span source", ["check", "--no-similarity", "{in}.json"],
     _trace(spans=[{"kind": "number", "source": None, "target": None, "status": "ok"}]),
     "spans[0].source: null"),
    ("check a link to a missing segment", ["check", "--no-similarity", "{in}.json"],
     _trace(links=[{"segment": 7, "source": [0, 5], "target": [0, 5], "score": 1.0}]),
     "links[0].segment: 7: no such segment"),
    ("check a non-string signature", ["check", "--no-similarity", "{in}.json"],
     _trace(signature=5), "signature:"),
    ("check Arabic with no segment", ["check", "--no-similarity", "{in}.json"],
     _trace(segments=[]), "segments: the Arabic at 0 ('مرحبا') lies in no segment"),
    ("check Arabic left out between segments", ["check", "--no-similarity", "{in}.json"],
     _trace(source__text="مرحبا. شكرا", segments=[
         {"id": 0, "source": [0, 6], "target": [0, 5], "score": 0.0}]),
     "segments: the Arabic at 7 ('شكرا') lies in no segment"),
    ("split with dev+test > corpus", ["corpus", "split", "{in}.tsv", "-o", "{out}",
                                      "--dev", "2", "--test", "2"], _text(CORPUS), "--dev"),
    ("UTF-16 is not called binary", ["translate", "--model", "{model}", "{in}.txt"],
     _bytes("مرحبا بكم".encode("utf-16")), "UTF-16"),
    ("align documents of UTF-16", ["align", "{in}.txt", "{good}", "-o", "{out}"],
     _bytes("Hello".encode("utf-16-le")), "UTF-16"),
    # TMX: every <tuv> kept or refused (issue 30 D2), deep markup (tracebacks)
    ("TMX with two ar <tuv>", ["corpus", "convert", "{in}.tmx", "{out}.tsv"],
     _tmx('<tuv xml:lang="ar"><seg>نص</seg></tuv><tuv xml:lang="ar"><seg>آخر</seg></tuv>'
          '<tuv xml:lang="en"><seg>text</seg></tuv>'), "two ar <tuv>"),
    ("TMX with en and en-GB", ["corpus", "convert", "{in}.tmx", "{out}.jsonl"],
     _tmx('<tuv xml:lang="ar"><seg>نص</seg></tuv><tuv xml:lang="en"><seg>text</seg></tuv>'
          '<tuv xml:lang="en-GB"><seg>text, British</seg></tuv>'), "two en <tuv>"),
    ("TMX with deep x-links", ["corpus", "convert", "{in}.tmx", "{out}.jsonl"],
     _tmx('<prop type="x-links">' + "[" * 100_000 + "]" * 100_000 + '</prop>'
          '<tuv xml:lang="ar"><seg>نص</seg></tuv><tuv xml:lang="en"><seg>t</seg></tuv>'),
     "x- prop"),
    ("JSONL nested 100,000 deep", ["corpus", "convert", "{in}.jsonl", "{out}.tsv"],
     _text('{"translation": {"ar": "نص", "en": "t"}, "links": ' + "[" * 100_000 +
           "]" * 100_000 + "}\n"), "{in}.jsonl"),
    ("corpus build on a JSONL array line", ["corpus", "build", "{in}.jsonl", "--column",
                                            "text", "--model", "{model}", "-o",
                                            "{out}.jsonl"],
     _text('{"text": "مرحبا"}\n[1]\n'), "not a JSON object"),
    ("corpus build on deep JSONL", ["corpus", "build", "{in}.jsonl", "--column", "text",
                                    "--model", "{model}", "-o", "{out}.jsonl"],
     _text("[" * 100_000 + "]" * 100_000 + "\n"), "not a JSON object"),
    ("check a trace nested 100,000 deep", ["check", "--no-similarity", "{in}.json"],
     _text('{"segments": ' + "[" * 100_000 + "]" * 100_000 + "}"), "nested too deeply"),
    ("check a trace with a 5,000-digit number", ["check", "--no-similarity", "{in}.json"],
     _text('{"version": ' + "9" * 5000 + "}"), "4,300 digits"),
    # corpus build --glob stays inside DIR (issue 30 S7 and tracebacks)
    *[(f"corpus build --glob {pattern}", ["corpus", "build", "{in}", "--model", "{model}",
                                          "--glob", pattern, "-o", "{out}.jsonl"],
       _folder_beside_a_secret, "--glob")
      for pattern in ("../*.txt", "../../*.txt", "sub/../../*.txt", "/etc/*", "/etc/passwd",
                      "**/../*.txt", "")],
    # HTML nested past the reader's depth (issue 30 D1): refused, never an empty body
    *[(f"HTML {depth} deep", ["translate", "--model", "{model}", "{in}.html", "-o",
                              "{out}.html"],
       _text("<html><body>" + "<div>" * depth + "<p>وصل</p>" + "</div>" * depth +
             "<p>قال</p></body></html>"), "nest elements at most 512 deep")
      for depth in (600, 3000)],
    ("Markdown nested 150 deep", ["translate", "--model", "{model}", "{in}.md", "-o",
                                  "{out}.md"],
     _text(">" * 150 + " وصل\n\nقال الوزير.\n"), "nested 100 deep"),
    # DOCX: bombs and broken XML (issue 30 S6 and tracebacks)
    ("DOCX zip bomb", ["translate", "--model", "{model}", "{in}.docx", "-o", "{out}.docx"],
     _docx(bomb=257 * 2**20), "zip bomb"),
    ("DOCX malformed XML", ["translate", "--model", "{model}", "{in}.docx", "-o", "{out}.docx"],
     _docx(b"<w:document " + W + b"><w:body><w:p>"), "not a Word .docx"),
    ("DOCX bad UTF-8", ["translate", "--model", "{model}", "{in}.docx", "-o", "{out}.docx"],
     _docx(b"<w:document " + W + b"><w:body><w:p><w:r><w:t>\xff\xfe</w:t></w:r></w:p>"
           b"</w:body></w:document>"), "not a Word .docx"),
    ("DOCX with a DOCTYPE", ["translate", "--model", "{model}", "{in}.docx", "-o", "{out}.docx"],
     _docx(b'<!DOCTYPE w [<!ENTITY e "x">]><w:document ' + W + b"><w:body><w:p><w:r><w:t>&e;"
           b"</w:t></w:r></w:p></w:body></w:document>"), "not a Word .docx"),
    # HTML encodings: only the WHATWG labels a browser knows (issue 30 S2 and tracebacks)
    *[(f"<meta charset={label}>", ["translate", "--model", "{model}", "{in}.html", "-o",
                                   "{out}.html"],
       _bytes(f'<meta charset="{label}"><p>+ADw-script+AD4-alert(1)+ADw-/script+AD4-</p>'
              .encode()), "not an encoding browsers know")
      for label in ("utf-7", "unicode_escape", "zlib", "base64", "rot13", "UTF7")],
    # A TSV whose lines end in CR alone is one line to a line reader: 3 pairs became 1.
    *[(f"{verb} a TSV of CR line ends", argv, _text(CORPUS.replace("\n", "\r")),
       "{in}.tsv:1: rows joined by carriage returns")
      for verb, argv in [("convert", ["corpus", "convert", "{in}.tsv", "{out}.jsonl"]),
                         ("filter", ["corpus", "filter", "{in}.tsv", "-o", "{out}.tsv"]),
                         ("train", ["train", "{in}.tsv", "-o", "{out}"])]],
    # A folder output replaces its folder whole: never one of other things (-o ~/Documents).
    *[(f"{verb} into a folder of other things", argv, _folder_of_other_things,
       "{in}: a folder with other files in it")
      for verb, argv in [("convert --to hf", ["corpus", "convert", "{good}", "{in}", "--to",
                                              "hf"]),
                         ("models convert", ["models", "convert", "{model}", "-o", "{in}"]),
                         ("train", ["train", "{good}", "-o", "{in}", "--max-steps", "1",
                                    "--d-model", "16", "--heads", "2", "--ffn-dim", "32",
                                    "--encoder-layers", "1", "--decoder-layers", "1"])]],
    # Every file read is an input: -o onto the glossary overwrote it with the English.
    ("translate -o onto its --glossary", ["translate", "--model", "{model}", "--glossary",
                                          "{in}.tsv", "{good}", "-o", "{in}.tsv"],
     _text("مرحبا\tHello\n"), "{in}.tsv: is also the input"),
    ("corpus build -o onto its --glossary", ["corpus", "build", "{good}", "--glossary",
                                             "{in}.tsv", "-o", "{in}.tsv"],
     _text("مرحبا\tHello\n"), "{in}.tsv: is also the input"),
    ("unknown corpus format", ["corpus", "convert", "{in}.xyz", "{out}.tsv"], _text(CORPUS),
     "--from"),
]


@pytest.mark.parametrize(("argv", "make", "expected"), [row[1:] for row in ROWS],
                         ids=[row[0] for row in ROWS])
def test_bad_input_is_one_line_exit_2_with_no_output_left(
        tmp_path: Path, tiny_model: Path, capsys, argv: list[str],
        make: Callable[..., None] | None, expected: str) -> None:
    bad = tmp_path / "bad"
    good = tmp_path / "good.tsv"
    good.write_text(CORPUS, encoding="utf-8")
    out = tmp_path / "out" / "result"
    args = [a.format(**{"in": bad, "out": out, "model": tiny_model, "good": good})
            for a in argv]
    suffix = next((a.removeprefix(str(bad)) for a in args if a.startswith(str(bad))), "")
    target = Path(str(bad) + suffix.split("/")[0])
    if make is not None:
        make(*([target, tiny_model] if make.__code__.co_argcount == 2 else [target]))
    try:
        code = main(args)
    except SystemExit as usage:  # argparse rejecting a value
        code = usage.code
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err
    assert expected.format(**{"in": bad}) in err, err
    assert str(bad) in err or any(a in err for a in args[1:] if "/" in a) or \
        expected.startswith("--"), f"the input is not named: {err}"
    left = [p for p in (tmp_path / "out").rglob("*")] if (tmp_path / "out").exists() else []
    assert [p for p in left if p.is_file()] == []

# Errors found after the embedded model is chosen: the notice must not make them two lines.
LATE_ROWS: list[tuple[str, list[str], bytes, str]] = [
    ("--lines, bad UTF-8 on line 2", ["translate", "--lines", "{in}"],
     "مرحبا\n".encode() + b"\xc3\x28 x\n", ":2: not valid UTF-8"),
    ("--lines to a file, bad UTF-8 on line 2", ["translate", "--lines", "{in}", "-o", "{out}"],
     "مرحبا\n".encode() + b"\xc3\x28 x\n", ":2: not valid UTF-8"),
    ("a bad --glossary", ["translate", "--glossary", "{in}", "{good}"], b"one column\n",
     "not two columns"),
]


@pytest.mark.parametrize(("argv", "content", "expected"), [row[1:] for row in LATE_ROWS],
                         ids=[row[0] for row in LATE_ROWS])
def test_late_errors_with_the_embedded_model_are_one_line(
        tmp_path: Path, tiny_model: Path, monkeypatch, capsys, argv: list[str], content: bytes,
        expected: str) -> None:
    from mt import models

    embedded = models.ModelRef(models.EMBEDDED_NAME, tiny_model, "embedded")
    monkeypatch.setattr(models, "resolve_model", lambda name=None: embedded)
    bad, good, out = tmp_path / "bad.txt", tmp_path / "good.txt", tmp_path / "out" / "o.txt"
    bad.write_bytes(content)
    good.write_text("مرحبا بكم\n", encoding="utf-8")
    code = main([a.format(**{"in": bad, "good": good, "out": out}) for a in argv])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and expected in err, err
    assert "embedded model" not in err and not out.exists()


def test_the_embedded_model_notice_comes_once_after_the_work(
        tmp_path: Path, tiny_model: Path, monkeypatch, capsys) -> None:
    from mt import models

    embedded = models.ModelRef(models.EMBEDDED_NAME, tiny_model, "embedded")
    monkeypatch.setattr(models, "resolve_model", lambda name=None: embedded)
    source = tmp_path / "in.txt"
    source.write_text("مرحبا\nHello\n", encoding="utf-8")
    assert main(["translate", "--lines", str(source)]) == 0
    captured = capsys.readouterr()
    assert captured.out.count("\n") == 2
    lines = captured.err.splitlines()
    assert len(lines) == 2 and "using the embedded model" in lines[0], lines
    assert "1 line with no Arabic letters" in lines[1]


def test_english_input_is_copied_marked_and_warned_once(tiny_model: Path, tmp_path: Path,
                                                         capsys) -> None:
    from mt.types import TraceDocument

    source = tmp_path / "english.txt"
    source.write_text("Hello world.\nمرحبا بكم.\nSecond English line.\n", encoding="utf-8")
    code = main(["translate", "--format", "json", "--model", str(tiny_model), str(source)])
    captured = capsys.readouterr()
    assert code == 0
    document = TraceDocument.loads(captured.out)
    assert document.target_text.startswith("Hello world.")
    assert "Second English line." in document.target_text
    copied = [s for s in document.spans if s.kind == "not-arabic"]
    assert [s.source.slice(document.source_text) for s in copied] == \
        ["Hello world.", "Second English line."]
    assert [s.target.slice(document.target_text) for s in copied] == \
        ["Hello world.", "Second English line."]
    assert captured.err.count("\n") == 1 and "2 segments" in captured.err


def test_english_lines_stream_through_unchanged(tiny_model: Path, tmp_path: Path,
                                                capsys) -> None:
    source = tmp_path / "lines.txt"
    source.write_text("Hello world\nمرحبا\n2024 🙂\n", encoding="utf-8")
    code = main(["translate", "--lines", "--model", str(tiny_model), str(source)])
    captured = capsys.readouterr()
    lines = captured.out.split("\n")
    assert code == 0 and lines[0] == "Hello world" and lines[2] == "2024 🙂"
    assert captured.err.count("\n") == 1 and "2 lines" in captured.err


def test_persian_letters_and_emoji_never_come_out_unknown(tiny_translator) -> None:
    lines = ["قال پاکستان 🙂 إن گاندی جاء.", "😀🇸🇦 مرحبا"]
    for translation in tiny_translator.translate_iter(lines):
        assert "⁇" not in translation.text and "<unk>" not in translation.text
    assert "🙂" in tiny_translator.translate_iter([lines[0]]).__next__().text


def test_bom_stays_in_source_text(tiny_model: Path, tmp_path: Path, capsys) -> None:
    from mt.types import TraceDocument

    source = tmp_path / "bom.txt"
    source.write_bytes("\ufeffمرحبا بكم.\n".encode())
    assert main(["translate", "--format", "json", "--model", str(tiny_model), str(source)]) == 0
    document = TraceDocument.loads(capsys.readouterr().out)
    assert document.source_text == "\ufeffمرحبا بكم.\n"


def test_a_bad_value_is_one_usage_line(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["eval", "--bootstrap", "many"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and err.count("\n") == 1 and "--bootstrap" in err


ALPHABET = st.sampled_from([*"مرحبا بكم", *string.printable, "\t", "\n", "\r", "\x00", "\ufeff",
                            "\ud800", "{", "}", '"', ":", "<", ">", "&", "🙂"])


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.text(ALPHABET, max_size=200), st.binary(max_size=200)),
       fmt=st.sampled_from(["tsv", "jsonl", "tmx", "moses"]),
       to=st.sampled_from(["tsv", "jsonl", "tmx"]), compressed=st.booleans())
def test_fuzzed_corpus_files_are_converted_or_refused_in_one_line(
        tmp_path_factory: pytest.TempPathFactory, capsys, content: str | bytes, fmt: str,
        to: str, compressed: bool) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    if compressed and fmt != "moses":
        data = gzip.compress(data)[: max(10, len(data))]
    name = folder / ("c" if fmt == "moses" else f"c.{fmt}{'.gz' if compressed else ''}")
    if fmt == "moses":
        (folder / "c.ar").write_bytes(data)
        (folder / "c.en").write_bytes(data)
    else:
        name.write_bytes(data)
    out = folder / "out" / f"o.{to}"
    code = main(["corpus", "convert", str(name), str(out), "--from", fmt, "--to", to])
    err = capsys.readouterr().err
    if code == 0:
        assert out.is_file()
    else:
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
        assert not out.exists()


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hyp=st.one_of(st.text(ALPHABET, max_size=80), st.binary(max_size=80)),
       ref=st.text(ALPHABET, max_size=80))
def test_fuzzed_eval_files_are_scored_or_refused_in_one_line(
        tmp_path_factory: pytest.TempPathFactory, capsys, hyp: str | bytes, ref: str) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "hyp").write_bytes(hyp.encode("utf-8", "surrogatepass")
                                 if isinstance(hyp, str) else hyp)
    (folder / "ref").write_bytes(ref.encode("utf-8", "surrogatepass"))
    code = main(["eval", "--hyp", str(folder / "hyp"), "--ref", str(folder / "ref"),
                 "-o", str(folder / "scores")])
    err = capsys.readouterr().err
    assert code in (0, 2), err
    if code == 2:
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert not (folder / "scores").exists()


MARKUP = st.sampled_from([*"مرحبا بكم 300.", "<p>", "</p>", "<i>", "</i>", "<b>", "<div>",
                          "</div>", "<br>", "<script>", "<!--", "-->", '<meta charset="utf-7">',
                          "&amp;", "&#0;", "\n", "\r\n", "1\n", "00:00:01,000 --> 00:00:02,000",
                          "99:99:99,999", "{\\an8}", "# ", "* ", "[a](b)", "`", "\x00",
                          "\ufeff", "\ud800", "+ADw-"])


@settings(max_examples=80, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(MARKUP, max_size=40), fmt=st.sampled_from(["html", "srt", "md", "txt"]),
       raw=st.one_of(st.none(), st.binary(max_size=120)))
def test_fuzzed_documents_are_translated_whole_or_refused_in_one_line(
        tmp_path_factory: pytest.TempPathFactory, tiny_model: Path, capsys, parts: list[str],
        fmt: str, raw: bytes | None) -> None:
    """Every document reader (issue 30): one line and exit 2, or a complete output."""
    from mt.documents import document_format, parse

    folder = tmp_path_factory.mktemp("fuzz")
    source = folder / f"in.{fmt}"
    source.write_bytes(raw if raw is not None else
                       "".join(parts).encode("utf-8", "surrogatepass"))
    out = folder / "out" / f"out.{fmt}"
    code = main(["translate", "--model", str(tiny_model), str(source), "-o", str(out)])
    err = capsys.readouterr().err
    if code == 0:
        assert out.is_file() and "Traceback" not in err
        if fmt != "txt":
            assert parse(out, document_format(out)) is not None, "the output reads back"
    else:
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
        assert not out.exists()


def _docx_bytes(document_xml: bytes) -> bytes:
    import io
    import zipfile

    import docx

    buffer, out = io.BytesIO(), io.BytesIO()
    made = docx.Document()
    made.add_paragraph("مرحبا")
    made.save(buffer)
    with zipfile.ZipFile(buffer) as original, zipfile.ZipFile(out, "w") as rewritten:
        for item in original.infolist():
            data = original.read(item)
            rewritten.writestr(item, document_xml if item.filename == "word/document.xml"
                               else data)
    return out.getvalue()


@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(st.sampled_from(["<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>",
                                      "مرحبا", " 300", "<w:hyperlink>", "</w:hyperlink>",
                                      "<w:br/>", "&amp;", "&x;", "\xff", "<!DOCTYPE x>"]),
                     max_size=30))
def test_fuzzed_docx_is_translated_whole_or_refused_in_one_line(
        tmp_path_factory: pytest.TempPathFactory, tiny_model: Path, capsys,
        body: list[str]) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    source = folder / "in.docx"
    source.write_bytes(_docx_bytes(b"<w:document " + W + b"><w:body>" +
                                   "".join(body).encode("utf-8", "surrogateescape")
                                   + b"</w:body></w:document>"))
    out = folder / "out" / "out.docx"
    code = main(["translate", "--model", str(tiny_model), str(source), "-o", str(out)])
    err = capsys.readouterr().err
    if code == 0:
        import docx

        assert docx.Document(str(out)) is not None and "Traceback" not in err
    else:
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
        assert not out.exists()


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() |
                    st.text(ALPHABET, max_size=10),
                    lambda inner: st.lists(inner, max_size=4) |
                    st.dictionaries(st.sampled_from(["segments", "links", "spans", "source",
                                                     "target", "text", "id", "kind", "status",
                                                     "signature", "segment", "score"]),
                                    inner, max_size=5), max_leaves=30)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=JSON)
def test_fuzzed_traces_are_checked_or_refused_in_one_line(
        tmp_path_factory: pytest.TempPathFactory, capsys, data: object) -> None:
    """The trace reader (mt check TRACE.json): findings, or one line and exit 2."""
    path = tmp_path_factory.mktemp("fuzz") / "trace.json"
    document = json.loads(json.dumps(TRACE))
    if isinstance(data, dict):
        document.update(data)
    else:
        document["segments"] = data
    path.write_text(json.dumps(document, ensure_ascii=False, allow_nan=True),
                    encoding="utf-8", errors="surrogatepass")
    code = main(["check", "--no-similarity", str(path)])
    err = capsys.readouterr().err
    assert code in (0, 1, 2), err
    if code == 2:
        assert err.count("\n") == 1 and "Traceback" not in err, err
