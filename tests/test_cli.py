from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mt.cli import main
from mt.types import TraceDocument

from .conftest import SEED
from .test_translate import assert_valid_trace


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_translate_json_on_seed(tiny_model: Path, capsys) -> None:
    code, out, _ = run_cli(["translate", "--format", "json", "--model", str(tiny_model),
                            str(SEED)], capsys)
    assert code == 0
    document = TraceDocument.loads(out)
    assert document.source_text == SEED.read_text(encoding="utf-8")
    assert_valid_trace(document)


def test_translate_lines_from_stdin(tiny_model: Path, monkeypatch, capsys) -> None:
    import io

    lines = "مرحبا.\n\nالطقس جميل اليوم!\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    code, out, _ = run_cli(["translate", "--lines", "--model", str(tiny_model), "-"], capsys)
    assert code == 0
    assert out.count("\n") == 3 and out.split("\n")[1] == ""


def test_translate_lines_n_best(tiny_model: Path, tiny_translator, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    """One JSON line per input line, the beam's n best with their scores (issue 29 item 3)."""
    lines = ["وصل 300 شخص إلى المدينة.", "", "Hello.", "قال الوزير. وصل الوفد."]
    source = tmp_path / "in.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["translate", str(source), "--lines", "--n-best", "4", "--model",
                 str(tiny_model), "--beam", "2"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(row["line"], row["source"]) for row in rows] == list(enumerate(lines, 1))
    expected = tiny_translator.nbest(lines, 4)
    for row, hypotheses in zip(rows, expected, strict=True):
        assert row["hypotheses"] == [{"text": h.text, "score": h.score} for h in hypotheses]
        texts = [h["text"] for h in row["hypotheses"]]
        assert 1 <= len(texts) <= 4 and len(set(texts)) == len(texts)
    first = [h["score"] for h in rows[0]["hypotheses"]]
    assert len(first) > 1 and first == sorted(first, reverse=True)  # one sentence: beam order
    assert rows[1]["hypotheses"] == [{"text": "", "score": 0.0}]
    assert rows[2]["hypotheses"] == [{"text": "Hello.", "score": 0.0}]  # no Arabic: copied
    assert main(["translate", str(source), "--n-best", "2", "--model", str(tiny_model)]) == 2
    assert "--n-best: give it with --lines" in capsys.readouterr().err
    assert main(["translate", str(source), "--lines", "--n-best", "2", "--format", "json",
                 "--model", str(tiny_model)]) == 2
    with pytest.raises(SystemExit) as usage:
        main(["translate", str(source), "--lines", "--n-best", "0"])
    assert usage.value.code == 2


def test_streaming_lines_report_bad_bytes_with_line_number(tiny_model: Path, tmp_path: Path,
                                                           capsys) -> None:
    path = tmp_path / "lines.txt"
    path.write_bytes("مرحبا\n".encode() + b"\xff\xfe\n")
    code, _, err = run_cli(["translate", "--lines", "--model", str(tiny_model), str(path)], capsys)
    assert code == 2 and f"{path}:2" in err and "UTF-8" in err


def test_models_convert(tiny_model: Path, tmp_path: Path, capsys) -> None:
    code, out, _ = run_cli(["models", "convert", str(tiny_model), "-o", str(tmp_path / "ct2")],
                           capsys)
    assert code == 0 and (tmp_path / "ct2" / "model.bin").is_file()
    assert out.strip() == str(tmp_path / "ct2")


def test_translate_writes_output_file(tiny_model: Path, tmp_path: Path, capsys) -> None:
    out_file = tmp_path / "out.txt"
    code, out, _ = run_cli(["translate", "--model", str(tiny_model), "-o", str(out_file),
                            str(SEED)], capsys)
    assert code == 0 and out == ""
    assert out_file.read_text(encoding="utf-8").strip()


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), (b"\x00\x01binary", "binary"), (b"\xff\xfe\xfa bad", "UTF-8")],
)
def test_bad_input_is_one_line_exit_2(tmp_path: Path, tiny_model: Path, capsys,
                                      content: bytes | None, message: str) -> None:
    path = tmp_path / "input.txt"
    if content is not None:
        path.write_bytes(content)
    code, _, err = run_cli(["translate", "--model", str(tiny_model), str(path)], capsys)
    assert code == 2
    assert err.count("\n") == 1 and message in err and str(path) in err


def test_unknown_model_is_one_line_exit_2(tmp_path: Path, capsys) -> None:
    (tmp_path / "doc.txt").write_text("مرحبا", encoding="utf-8")
    code, _, err = run_cli(["translate", "--model", str(tmp_path / "nope"),
                            str(tmp_path / "doc.txt")], capsys)
    assert code == 2 and "nope" in err and err.count("\n") == 1
    code, _, err = run_cli(["translate", "--model", "not-a-model-id",
                            str(tmp_path / "doc.txt")], capsys)
    assert code == 2 and "mt models list" in err


def test_missing_default_model_says_how_to_pass_one(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("MT_MODELS_DIR", str(tmp_path))
    monkeypatch.delenv("MT_MODEL", raising=False)
    code, _, err = run_cli(["translate", str(SEED)], capsys)
    assert code == 2 and "--model" in err and err.count("\n") == 1


def test_models_list_json(tiny_model: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("MT_MODELS_DIR", str(tiny_model.parent))
    monkeypatch.setenv("MT_MODEL", "model")
    code, out, _ = run_cli(["models", "list", "--format", "json"], capsys)
    assert code == 0
    models = json.loads(out)
    assert {"name": "model", "path": str(tiny_model), "source": "embedded",
            "revision": None, "default": True} in models


def test_subprocess_error_has_no_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    result = subprocess.run([sys.executable, "-m", "mt", "translate", str(tmp_path / "absent")],
                            capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.shared
def test_real_opus_mt_code_path(opus_shaped_model: Path, capsys) -> None:
    """A model of opus-mt-ar-en's config and real tokenizer, shrunk, random weights."""
    code, out, _ = run_cli(["translate", "--format", "json", "--beam", "2", "--model",
                            str(opus_shaped_model), str(SEED)], capsys)
    assert code == 0
    document = TraceDocument.loads(out)
    assert_valid_trace(document)
    assert f"model:{opus_shaped_model.name}@" in document.signature


class _Loaded(Exception):
    """Raised by the stand-in loader: the options were seen, nothing more to run."""


@pytest.mark.parametrize(("argv", "expected"), [
    # Text and scores show no word links: none are made, whatever --word-links says.
    (["translate", "{src}", "--lines"], {"max_batch_tokens": 512, "word_links": "none"}),
    (["translate", "{src}"], {"max_batch_tokens": 512, "word_links": "none"}),
    (["translate", "{src}", "--format", "json"],
     {"max_batch_tokens": 512, "word_links": "attention"}),
    (["translate", "{src}.html"], {"max_batch_tokens": 512, "word_links": "attention"}),
    (["eval", "--testset", "{src}.tsv"], {"word_links": "none"}),
    (["serve", "--port", "0", "--word-links", "attention"],
     {"word_links": "attention", "window": 32}),  # progress every 32 sentences
])
def test_every_translator_option_reaches_the_loader(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str],
        expected: dict[str, object]) -> None:
    seen: dict[str, object] = {}

    def load(model: object, **options: object) -> None:
        seen.update(options, model=model)
        raise _Loaded

    monkeypatch.setattr("mt.translate.load_translator", load)
    source = tmp_path / "src"
    for suffix, text in (("", "مرحبا\n"), (".html", "<p>مرحبا</p>"), (".tsv", "مرحبا\tHello\n")):
        Path(f"{source}{suffix}").write_text(text, encoding="utf-8")
    common = ["--model", str(tmp_path / "m"), "--beam", "3", "--threads", "2",
              "--backend", "transformers", "--compute-type", "float32", "--device", "cpu"]
    extra = ["--batch-tokens", "512", "--word-links", "attention"] if argv[0] == "translate" \
        else []
    monkeypatch.setattr("mt.commands.common.chosen_model", lambda args: args.model)
    monkeypatch.setattr("mt.commands.serve.chosen_model", lambda args: args.model)
    with pytest.raises(_Loaded):
        main([a.format(src=source) for a in argv] + common + extra)
    assert seen == {"model": str(tmp_path / "m"), "beam_size": 3, "threads": 2,
                    "backend": "transformers", "compute_type": "float32", "device": "cpu",
                    "glossary": None, **expected}


def test_text_output_detects_no_spans_and_loads_no_aligner(tiny_model: Path, tmp_path: Path,
                                                           monkeypatch, capsys) -> None:
    """Text, --lines text, mt eval and /translate translate only: the tracing detectors and
    the word aligner all fail here, and none of them is reached (the names table is read:
    names are put right in the English, mt.translate.repair)."""
    from mt.serve.service import Service
    from mt.translate import Translator, load_translator

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("tracing is not part of plain translation")

    class RefusingAligner:
        signature = "refusing"
        align_batch = staticmethod(refuse)

    for name in ("mt.trace.detect_spans", "mt.trace.find_quotes", "mt.trace.find_arabic_numbers",
                 "mt.trace.find_arabic_dates", "mt.trace.find_arabic_entities",
                 "mt.align.words.optional_aligner",
                 "mt.align.words.load_aligner"):
        monkeypatch.setattr(name, refuse)
    model = str(tiny_model)
    for extra in ([], ["--lines"], ["--lines", "--format", "text"]):
        code, out, err = run_cli(["translate", "--model", model, *extra, str(SEED)], capsys)
        assert code == 0 and out.strip(), err
    testset = tmp_path / "test.tsv"
    testset.write_text("مرحبا بك.\tWelcome.\n", encoding="utf-8")
    assert main(["eval", "--model", model, "--testset", str(testset)]) == 0
    linked = load_translator(model, beam_size=2, word_links="attention")
    service = Service(Translator(linked.backend, linked.options, RefusingAligner()), "tiny")
    try:
        assert service.translate_many([SEED.read_text(encoding="utf-8")])[0].strip()
    finally:
        service.close()
    with pytest.raises(AssertionError, match="tracing"):  # the patches bite where it traces
        main(["translate", "--model", model, "--format", "json", "--word-links", "none",
              str(SEED)])
