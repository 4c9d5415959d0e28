"""``mt serve``: the API in-process, the real server over loopback, its limits and errors."""

from __future__ import annotations

import base64
import json
import threading
from pathlib import Path

import pytest

from mt.types import TraceDocument

from .conftest import PAIRS, SEED
from .test_types import BAD_TRACES, bad_trace

pytest.importorskip("fastapi", reason="pip install -e '.[test]'")
pytest.importorskip("httpx", reason="pip install -e '.[test]'")

from fastapi.testclient import TestClient  # noqa: E402

from mt.serve.app import create_app  # noqa: E402
from mt.serve.service import Limits, load_service  # noqa: E402

MAX_CHARS = 5000
AR = PAIRS[2][0]  # وصل 300 شخص إلى المدينة.


@pytest.fixture(scope="module")
def service(tiny_model: Path):
    return load_service(str(tiny_model), Limits(max_chars=MAX_CHARS, read_timeout=2.0,
                                                max_queue=4), beam=2)


@pytest.fixture(scope="module")
def client(service):
    with TestClient(create_app(service)) as test_client:
        yield test_client


def _error(response) -> str:
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"error"} and "Traceback" not in body["error"]
    return body["error"]


def test_languages_health_and_openapi(client) -> None:
    assert client.get("/languages").json() == [
        {"code": "ar", "name": "Arabic", "targets": ["en"]},
        {"code": "en", "name": "English", "targets": []}]
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["model"]["name"] == "model"
    assert health["max_chars"] == MAX_CHARS and health["api_key_required"] is False
    spec = client.get("/openapi.json").json()
    assert {"/translate", "/languages", "/v1/translate", "/v1/align", "/v1/check",
            "/v1/report", "/v1/models", "/healthz"} <= set(spec["paths"])
    body = spec["paths"]["/translate"]["post"]["requestBody"]["content"]["application/json"]
    assert {"q", "source", "target", "format"} <= set(body["schema"]["properties"])
    form = spec["paths"]["/translate"]["post"]["requestBody"]["content"][
        "application/x-www-form-urlencoded"]
    assert form["schema"] == body["schema"]  # LibreTranslate's clients send forms
    v1 = spec["paths"]["/v1/translate"]["post"]["requestBody"]["content"]
    assert set(v1) == {"application/json"}  # JSON only: no cross-site form reaches it
    assert {"q", "text", "lines", "stream", "glossary"} <= set(
        v1["application/json"]["schema"]["properties"])
    models = client.get("/v1/models").json()
    assert models["loaded"]["signature"].startswith("mt:") and isinstance(models["models"], list)


def test_libretranslate_matches_the_library(client, tiny_translator) -> None:
    alone = tiny_translator.translate_document(AR).target_text
    answer = client.post("/translate", json={"q": AR, "source": "auto", "target": "en"}).json()
    assert answer["translatedText"] == alone
    assert answer["detectedLanguage"] == {"language": "ar", "confidence": 100.0}
    texts = [AR, "", PAIRS[0][0]]
    answer = client.post("/translate", json={"q": texts, "source": "ar", "target": "en",
                                             "api_key": "", "alternatives": 3}).json()
    assert answer["translatedText"] == [tiny_translator.translate_document(t).target_text
                                        if t else "" for t in texts]
    form = client.post("/translate", data={"q": AR, "source": "ar", "target": "en"})
    assert form.json()["translatedText"] == alone
    curl_style = client.post("/translate", content=json.dumps({"q": AR}).encode(),
                             headers={"content-type": "application/x-www-form-urlencoded"})
    assert curl_style.status_code == 415 and "application/json" in _error(curl_style)


def test_libretranslate_html_is_mt_translate_page_html(client, tiny_translator) -> None:
    from mt.documents import translate_parsed
    from mt.documents.html import HtmlDocument

    script = '<script>var s = "عربي <b>";</script>'
    markup = f'<p class="x">{AR}</p>\n<!-- تعليق -->{script}'
    answer = client.post("/translate", json={"q": markup, "format": "html"}).json()
    page = translate_parsed(tiny_translator, HtmlDocument(markup.encode(), "q"), "q")
    assert answer["translatedText"] == page.output.decode("utf-8")
    assert answer["translatedText"].startswith('<p class="x">')
    assert "<!-- تعليق -->" + script in answer["translatedText"]


def test_v1_translate_is_the_cli_trace(client, tiny_model: Path, seed_text: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    from mt.cli import main

    assert main(["translate", str(SEED), "--model", str(tiny_model), "--beam", "2",
                 "--format", "json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert client.post("/v1/translate", json={"text": seed_text}).json() == cli
    # q, as docs/INTERFACES.md documents it, and text are the same field
    assert client.post("/v1/translate", json={"q": seed_text}).json() == cli
    assert client.post("/v1/translate", json={"q": seed_text, "text": seed_text}).json() == cli
    lines = client.post("/v1/translate", json={"q": "سطر\n\nوصل 300", "lines": True}).json()
    assert lines["target"]["text"].count("\n") == 2 and len(lines["segments"]) == 3


def test_v1_translate_streams_progress(client, seed_text: str) -> None:
    with client.stream("POST", "/v1/translate", json={"text": seed_text, "stream": True}) as r:
        assert r.headers["content-type"].startswith("application/x-ndjson")
        events = [json.loads(line) for line in r.iter_lines() if line]
    total = events[0]["total"]
    assert events[0] == {"event": "queued", "ahead": 0, "total": total} and total > 1
    progress = [e["done"] for e in events[1:-1]]
    assert all(e["event"] == "progress" for e in events[1:-1])
    assert progress == sorted(progress) and progress[0] == 0 and progress[-1] == total
    assert events[-1]["event"] == "result"
    assert events[-1]["trace"] == client.post("/v1/translate", json={"text": seed_text}).json()


def test_a_stream_its_client_left_stops_its_job(service, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long stream abandoned after its first progress event frees the model (issue 30 S5)."""
    import asyncio

    from mt.serve.app import _progress_events
    from mt.serve.worker import ClientGone

    outcome: list[BaseException | None] = []
    translate = service.translate

    def watched(*args: object) -> TraceDocument:
        try:
            document = translate(*args)  # type: ignore[arg-type]
        except BaseException as exc:
            outcome.append(exc)
            raise
        outcome.append(None)
        return document

    monkeypatch.setattr(service, "translate", watched)
    text = " ".join([AR] * 400)  # 400 sentences: 13 progress windows

    async def leave_early() -> None:
        stream = _progress_events(service, text, False, ())
        assert json.loads(await stream.__anext__())["event"] == "queued"
        assert json.loads(await stream.__anext__()) == {"event": "progress", "done": 0,
                                                        "total": 400}
        await stream.aclose()  # the client leaves

    asyncio.run(leave_early())
    assert service.worker.submit(lambda: None).result(timeout=60) is None
    assert len(outcome) == 1 and isinstance(outcome[0], ClientGone)


def test_a_list_of_too_many_texts_is_refused_before_any_work(client, service) -> None:
    over = service.limits.max_items + 1
    response = client.post("/translate", json={"q": ["ب"] * over})
    assert response.status_code == 413 and _error(response).startswith(f"q: {over:,} texts")
    for stream in (False, True):  # one-character lines are the same list by another door
        response = client.post("/v1/translate", json={"q": "ب\n" * over, "lines": True,
                                                      "stream": stream})
        assert response.status_code == 413, response.text
        assert _error(response).startswith(f"q: {over:,} lines")
    lines = client.post("/v1/translate", json={"q": "ب\n" * (over - 1), "lines": True})
    assert lines.status_code == 200 and len(lines.json()["segments"]) == over - 1


def test_v1_align_check_and_report(client) -> None:
    from .test_report import AR as REPORT_AR
    from .test_report import EN as REPORT_EN

    trace = client.post("/v1/align", json={"arabic": REPORT_AR, "english": REPORT_EN}).json()
    document = TraceDocument.from_json(trace)
    assert document.source_text == REPORT_AR and document.target_text == REPORT_EN
    assert [s.target.slice(REPORT_EN) for s in document.segments] == [
        REPORT_EN.split("\n")[0], REPORT_EN.split("\n")[-1]]
    from mt.check import check_document

    expected = [f.to_json() for f in check_document(document)]
    checked = client.post("/v1/check?similarity=false", json=trace).json()
    assert [{k: v for k, v in f.items() if k != "segment"} for f in checked["findings"]] == \
        expected
    assert checked["failing"] is True and any(f["status"] == "mismatch" and f["kind"] == "number"
                                              for f in checked["findings"])
    everything = client.post("/v1/check?all=true&similarity=false", json=trace).json()
    assert len(everything["findings"]) > len(checked["findings"])
    page = client.post("/v1/report?title=t%C3%AAte", json=trace)
    assert page.headers["content-type"].startswith("text/html")
    assert page.text.startswith("<!DOCTYPE html>") and "<title>tête</title>" in page.text
    assert "st-mismatch" in page.text and 'dir="rtl"' in page.text


def test_the_page_is_self_contained(client) -> None:
    import re

    page = client.get("/")
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert not re.search(r"\s(src|href)=(?!\"data:image/svg\+xml;base64,)|https?://|url\(|"
                         r"@import", page.text), "the page must fetch nothing but the API"
    assert page.text.count("<link ") == 1  # the icon, inline
    assert 'id="arabic" dir="auto"' in page.text and 'id="translate"' in page.text
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/svg+xml"
    assert icon.text.startswith("<svg") and base64.b64encode(icon.content).decode() in page.text


TRACE = {"version": 1, "signature": "mt:test", "source": {"lang": "ar", "text": "مرحبا"},
         "target": {"lang": "en", "text": "Hello"},
         "segments": [{"id": 0, "source": [0, 5], "target": [0, 5], "score": 0.0}],
         "links": [], "spans": []}
BAD_REQUESTS = [
    ("/translate", b'{"q": "abc"', "request body: malformed JSON"),
    ("/translate", '{"q": "مرحبا"}'.encode("cp1256"), "request body: not valid UTF-8"),
    ("/translate", b"", "request body: empty"),
    ("/translate", b'["q"]', "request body: a JSON array, not an object"),
    ("/translate", b'{"q": 5}', "q: input should be a valid"),
    ("/translate", b'{"q": ["abc", 5]}', "q[1]: input should be a valid string"),
    ("/translate", b'{"source": "ar"}', "q: missing"),
    ("/translate", b'{"q": "  "}', "q: empty"),
    ("/translate", b'{"q": []}', "q: empty"),
    ("/translate", json.dumps({"q": "ب" * (MAX_CHARS + 1)}).encode(), "q: 5,001 characters"),
    ("/translate", b'{"q": "abc", "source": "fr"}', "source: 'fr' is not served"),
    ("/translate", b'{"q": "abc", "target": "de"}', "target: 'de' is not served"),
    ("/translate", b'{"q": "abc", "format": "xml"}', "format: input should be"),
    ("/v1/translate", b'{"text": ""}', "text: empty"),
    ("/v1/translate", b'{"txt": "abc"}', "q: missing"),
    ("/v1/translate", b'{"q": "  "}', "q: empty"),
    ("/v1/translate", '{"q": "وصل", "text": "سطر"}'.encode(), "q, text: both given"),
    ("/v1/translate", b'{"text": "abc", "lines": "sometimes"}', "lines: input should be"),
    ("/v1/align", b'{"arabic": "abc"}', "english: missing"),
    ("/v1/check", b'{"source": {}}', "source.text: missing"),
    ("/v1/check", json.dumps({"signature": "s", "source": {"text": "نص"}, "target": {"text": "t"},
                              "segments": [{"id": 0, "source": [0, 9], "target": [0, 1]}]}
                             ).encode(), "segments[0].source: [0, 9] lies outside"),
    ("/v1/report", b"7", "request body: a JSON number, not an object"),
    # Hostile JSON: each is a 400 for its request alone, never a 500 (issue 30 S3, contract).
    ("/translate", '{"q": "\\ud800 وصل"}'.encode(), "q: a lone surrogate (U+D800)"),
    ("/translate", '{"q": ["وصل", "\\udfff"]}'.encode(), "q: a lone surrogate (U+DFFF)"),
    ("/v1/translate", b'{"text": "\\ud83d"}', "text: a lone surrogate"),
    ("/v1/align", '{"arabic": "وصل", "english": "x\\udc00"}'.encode(),
     "english: a lone surrogate"),
    ("/v1/check", b'{"source": {"text": "\\ud800"}}', "text: a lone surrogate"),
    ("/v1/report", b'{"\\ud800": 1}', "\\ud800: a lone surrogate"),
    ("/translate", b'{"q": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
     "request body: JSON nested too deeply"),
    ("/v1/check", b'{"segments": ' + b"9" * 5000 + b"}", "request body: Exceeds the limit"),
    ("/translate", b'{"q": "x", "api_key": ' + b"1" * 4301 + b"}", "request body: Exceeds"),
    # One validation of a trace behind /v1/check and /v1/report: each a 400, never a 500
    *[(route, json.dumps({**TRACE, **change}).encode(), message)
      for route in ("/v1/check", "/v1/report") for change, message in [
          ({"spans": [{"kind": "bogus", "source": [0, 5], "target": None, "status": "ok"}]},
           "spans[0].kind: 'bogus' is not a kind"),
          ({"spans": [{"kind": "number", "source": [0, 5], "target": None,
                       "status": 'ok" onmouseover="alert(1)" x="'}]}, "spans[0].status:"),
          ({"segments": [{"id": 0, "source": [0, 5.0], "target": [0, 5]}]},
           "segments[0].source[1]: a number, not a whole number"),
          ({"spans": [{"kind": "date", "source": None, "target": None, "status": "ok"}]},
           "spans[0].source: null"),
          ({"links": [{"segment": 3, "source": [0, 1], "target": [0, 1], "score": 1}]},
           "links[0].segment: 3: no such segment"),
          ({"signature": ["mt"]}, "signature:"),
          ({"segments": []}, "segments: the Arabic at 0")]],
    ("/translate", json.dumps({"q": "<div>" * 600 + "<p>وصل</p>", "format": "html"}).encode(),
     "q: cannot translate this HTML (elements nested over 512 deep)"),
]


@pytest.mark.parametrize(("path", "body", "message"), BAD_REQUESTS,
                         ids=[m.split(";")[0][:40] for _, _, m in BAD_REQUESTS])
def test_bad_requests_get_one_line_errors(client, path: str, body: bytes, message: str) -> None:
    error = _error(client.post(path, content=body, headers={"content-type": "application/json"}))
    assert error.startswith(message) and "; " in error, error  # the problem, then the fix


JSON_ROUTES = ["/translate", "/v1/translate", "/v1/align", "/v1/check", "/v1/report"]


@pytest.mark.parametrize("kind", ["text/plain", "multipart/form-data; boundary=x", None,
                                  "application/x-www-form-urlencoded"])
@pytest.mark.parametrize("path", JSON_ROUTES)
def test_json_routes_take_json_only_as_application_json(client, path: str,
                                                        kind: str | None) -> None:
    """A page on another site can send these types without asking (CSRF): refused, unread."""
    if path == "/translate" and kind == "application/x-www-form-urlencoded":
        pytest.skip("LibreTranslate's /translate takes forms: tested above")
    headers = {} if kind is None else {"content-type": kind}
    response = client.post(path, content=json.dumps({"q": AR, "text": AR}).encode(),
                           headers=headers)
    assert response.status_code == 415, response.text
    assert "application/json" in _error(response)


def test_html_answers_run_only_their_own_script_and_refuse_framing(client) -> None:
    trace = client.post("/v1/translate", json={"text": AR}).json()
    hostile = 'ok" onmouseover="alert(document.domain)" x="'
    trace["spans"] = [{"kind": "number", "source": [4, 7], "target": None, "status": hostile,
                       "detail": "<script>alert(1)</script>"}]
    report = client.post("/v1/report?title=%3Cscript%3E", json=trace)
    answers = [client.get("/"), client.post("/v1/report", json=client.post(
        "/v1/translate", json={"text": AR}).json())]
    if report.status_code == 200:  # else refused as an unknown status: inert too
        answers.append(report)
        assert "onmouseover=\"" not in report.text and "<script>alert" not in report.text
    else:
        assert "status" in _error(report)
    for answer in answers:
        assert answer.status_code == 200 and answer.headers["x-frame-options"] == "DENY"
        policy = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'sha256-" in policy
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_size_limit_of_the_body_and_routing_errors(client, service) -> None:
    huge = b'{"q": "' + b"a" * service.limits.max_body_bytes + b'"}'
    response = client.post("/translate", content=huge,
                           headers={"content-type": "application/json"})
    assert response.status_code == 413 and _error(response).startswith("request body:")
    assert _error(client.get("/nowhere")).startswith("GET /nowhere: Not Found")
    assert _error(client.get("/translate")).startswith("GET /translate: Method Not Allowed")
    assert _error(client.post("/v1/check?all=maybe", json={})).startswith("query.all:")


def test_a_full_queue_answers_503(client, service) -> None:
    gate, running = threading.Event(), threading.Event()

    def hold() -> None:
        running.set()
        gate.wait()

    blockers = [service.worker.submit(hold)]
    assert running.wait(10)
    blockers += [service.worker.submit(gate.wait) for _ in range(service.limits.max_queue)]
    try:
        response = client.post("/translate", json={"q": AR})
        assert response.status_code == 503 and response.headers["retry-after"] == "5"
        assert response.json()["error"].startswith("server busy:")
    finally:
        gate.set()
        for blocker in blockers:
            blocker.result(timeout=10)
    assert client.post("/translate", json={"q": AR}).status_code == 200


def test_waiting_requests_share_one_batch(service, tiny_translator,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    calls: list[list[str]] = []
    translate_many = service.translate_many

    def counted(texts: list[str]) -> list[str]:
        calls.append(list(texts))
        return translate_many(texts)

    monkeypatch.setattr(service, "translate_many", counted)
    gate, running = threading.Event(), threading.Event()
    service.worker.submit(lambda: (running.set(), gate.wait()))
    assert running.wait(10)
    texts = [[PAIRS[0][0]], [PAIRS[1][0], "", PAIRS[3][0]], [PAIRS[4][0] + "\n\n" + AR]]

    async def together() -> list[list[str]]:
        waiting = [asyncio.ensure_future(service.translate_texts(t)) for t in texts]
        await asyncio.sleep(0.2)
        gate.set()
        return await asyncio.gather(*waiting)

    answers = asyncio.run(together())
    assert calls == [[t for group in texts for t in group]], "one batch for all three"
    assert answers == [[tiny_translator.translate_document(t).target_text if t else ""
                        for t in group] for group in texts]


def test_one_failing_request_fails_only_itself_in_a_shared_batch(
        service, tiny_translator, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    translate_many = service.translate_many

    def poisoned(texts: list[str]) -> list[str]:
        if any("POISON" in text for text in texts):
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return translate_many(texts)

    monkeypatch.setattr(service, "translate_many", poisoned)
    gate, running = threading.Event(), threading.Event()
    service.worker.submit(lambda: (running.set(), gate.wait()))
    assert running.wait(10)
    texts = [[PAIRS[0][0]], ["POISON " + AR], [AR, PAIRS[1][0]]]

    async def together() -> list[list[str] | BaseException]:
        waiting = [asyncio.ensure_future(service.translate_texts(t)) for t in texts]
        await asyncio.sleep(0.2)
        gate.set()
        return await asyncio.gather(*waiting, return_exceptions=True)

    first, bad, last = asyncio.run(together())
    assert isinstance(bad, UnicodeEncodeError)
    assert first == [tiny_translator.translate_document(PAIRS[0][0]).target_text]
    assert last == [tiny_translator.translate_document(t).target_text for t in texts[2]]


def test_an_internal_failure_is_a_json_500(service, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> list[str]:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(service, "translate_many", broken)
    client = TestClient(create_app(service), raise_server_exceptions=False)
    response = client.post("/translate", json={"q": AR})
    assert response.status_code == 500
    assert response.json() == {"error": "internal error (RuntimeError); the server log has "
                                        "the details"}


def test_api_keys(service) -> None:
    client = TestClient(create_app(service, ["k1", "k2"]))
    assert client.get("/healthz").json()["api_key_required"] is True
    assert client.get("/").status_code == 200
    assert _error(client.post("/translate", json={"q": AR})).startswith("api_key: missing")
    wrong = client.post("/translate", json={"q": AR, "api_key": "k3"})
    assert wrong.status_code == 403 and _error(wrong).startswith("api_key: not a key")
    assert client.post("/translate", json={"q": AR, "api_key": "k2"}).status_code == 200
    assert client.post("/v1/translate", json={"text": AR},
                       headers={"Authorization": "Bearer k1"}).status_code == 200
    assert client.get("/v1/models").status_code == 401
    assert client.get("/v1/models", headers={"X-API-Key": "k1"}).status_code == 200
    # Issue 30: the key is checked before the body is judged; /v1 says where a key goes there;
    # a key in the URL (kept in every log) is refused; HEAD answers as GET.
    assert _error(client.post("/translate", json={"q": 5})).startswith("api_key: missing")
    assert _error(client.post("/detect", json={"q": 5})).startswith("api_key: missing")
    assert '"api_key" in the body' in _error(client.post("/translate", json={"q": AR}))
    assert "body" not in _error(client.get("/v1/models"))
    assert "body" not in _error(client.post("/v1/translate", json={"text": AR}))
    in_url = client.post("/translate?api_key=k1", json={"q": AR})
    assert in_url.status_code == 400 and "not taken in the URL" in _error(in_url)
    assert client.get("/v1/models?api_key=k1").status_code == 400
    assert client.head("/").status_code == 200 and client.head("/healthz").status_code == 200


@pytest.mark.parametrize(("argv", "message"), [
    (["--host", "0.0.0.0"], "--host 0.0.0.0 is reachable from other machines"),
    (["--workers", "0"], "--workers, --max-chars"),
    (["--timeout", "0"], "--timeout must be positive"),
    (["--timeout", "nan"], "--timeout must be positive"),
    (["--timeout", "inf"], "--timeout must be positive"),
    (["--max-items", "0"], "--workers, --max-chars, --max-queue and --max-items"),
    (["--port", "0", "--workers", "2"], "--port 0 works with one worker only"),
    (["--api-key-file", "/nonexistent/keys"], "/nonexistent/keys: no such file"),
])
def test_serve_refuses_bad_options(argv: list[str], message: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    from mt.cli import main

    assert main(["serve", *argv]) == 2
    assert capsys.readouterr().err.startswith(f"mt: error: {message}")


def test_serve_refuses_an_empty_key_file_and_a_taken_port(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    from mt.cli import main

    keys = tmp_path / "keys"
    keys.write_text("# no keys yet\n\n", encoding="utf-8")
    assert main(["serve", "--api-key-file", str(keys)]) == 2
    assert "no keys in the file" in capsys.readouterr().err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    assert f"--port {port}: cannot listen there" in capsys.readouterr().err


@pytest.mark.parametrize(("where", "value", "field"), BAD_TRACES,
                         ids=[f"{f}={v!r}" for _, v, f in BAD_TRACES])
def test_the_api_validates_a_trace_as_the_cli_does(client, where: tuple, value: object,
                                                   field: str) -> None:
    for route in ("/v1/check", "/v1/report"):
        error = _error(client.post(route, json=bad_trace(where, value)))
        assert error.startswith(f"{field}: ") and "; send the JSON" in error, error
