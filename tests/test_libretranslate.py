"""LibreTranslate parity of ``mt serve``: /detect, /frontend/settings, alternatives,
/translate_file and its download, key and error shapes; then the real clients."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import PAIRS
from .documents_fixtures import HTML_ARTICLE, build_docx

pytest.importorskip("fastapi", reason="pip install -e '.[test]'")
pytest.importorskip("httpx", reason="pip install -e '.[test]'")
pytest.importorskip("python_multipart", reason="pip install -e . (python-multipart)")

from fastapi.testclient import TestClient  # noqa: E402

from mt.serve.app import create_app  # noqa: E402
from mt.serve.service import Limits, load_service  # noqa: E402

AR = PAIRS[2][0]
MAX_CHARS = 5000


@pytest.fixture(scope="module")
def service(tiny_model: Path):
    return load_service(str(tiny_model), Limits(max_chars=MAX_CHARS), beam=2)


@pytest.fixture(scope="module")
def client(service):
    with TestClient(create_app(service)) as test_client:
        yield test_client


def _error(response, status: int = 400) -> str:
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"error"} and "Traceback" not in body["error"]
    return body["error"]


def test_detect_says_ar_only_where_most_letters_are_arabic(client) -> None:
    assert client.post("/detect", json={"q": AR}).json() == [
        {"language": "ar", "confidence": 100.0}]
    assert client.post("/detect", data={"q": "This is already English."}).json() == [
        {"language": "en", "confidence": 100.0}]
    # "Reuters reported that وزير الدفاع said": 23 Latin letters, 10 Arabic
    mixed = client.post("/detect", json={"q": "Reuters reported that وزير الدفاع said"}).json()
    assert [d["language"] for d in mixed] == ["en", "ar"]
    assert mixed[0]["confidence"] == 69.7 and mixed[1]["confidence"] == 30.3
    mostly = client.post("/detect", json={"q": "قالت وكالة رويترز Reuters"}).json()
    assert [d["language"] for d in mostly] == ["ar", "en"] and mostly[0]["confidence"] > 50
    assert client.post("/detect", json={"q": "2024 !"}).json() == [
        {"language": "en", "confidence": 0.0}]  # no letters: nothing says Arabic
    assert client.post("/detect", json={"q": [AR, "وصل"]}).json()[0]["language"] == "ar"
    assert _error(client.post("/detect", json={"q": " "})).startswith("q: empty")
    assert _error(client.post("/detect", json={})).startswith("q: missing")
    assert client.get("/detect").status_code == 405


def test_frontend_settings(client, service) -> None:
    settings = client.get("/frontend/settings").json()
    assert settings["charLimit"] == MAX_CHARS and settings["apiKeys"] is False
    assert settings["keyRequired"] is False and settings["filesTranslation"] is True
    assert {".txt", ".html", ".docx", ".srt", ".md"} <= set(settings["supportedFilesFormat"])
    assert settings["language"] == {"source": {"code": "ar", "name": "Arabic"},
                                    "target": {"code": "en", "name": "English"}}
    keyed = TestClient(create_app(service, ["k"])).get("/frontend/settings").json()
    assert keyed["apiKeys"] is True and keyed["keyRequired"] is True


def test_alternatives_are_other_distinct_hypotheses_of_the_beam(client, service) -> None:
    plain = client.post("/translate", json={"q": AR, "source": "ar", "target": "en"}).json()
    assert "alternatives" not in plain  # not asked: LibreTranslate's answer, unchanged
    answer = client.post("/translate", json={"q": AR, "source": "ar", "target": "en",
                                             "alternatives": 3}).json()
    assert answer["translatedText"] == plain["translatedText"]
    alternatives = answer["alternatives"]
    assert len(alternatives) == 3 and len(set(alternatives)) == 3
    assert plain["translatedText"] not in alternatives and all(a.strip() for a in alternatives)
    beam = [h.text for h in service.nbest([AR], 7)[0]]
    assert set(alternatives) <= set(beam)  # from the beam, in its order
    assert alternatives == [t for t in beam if t in alternatives]
    batch = client.post("/translate", data={"q": [AR, PAIRS[0][0]], "source": "auto",
                                            "target": "en", "alternatives": "2"}).json()
    assert len(batch["alternatives"]) == 2 and all(len(a) == 2 for a in batch["alternatives"])
    assert _error(client.post("/translate", json={"q": AR, "alternatives": 11})).startswith(
        "alternatives: input should be less than or equal to 10")
    assert _error(client.post("/translate", json={"q": "<p>وصل</p>", "format": "html",
                                                  "alternatives": 1})).startswith(
        "alternatives: not served with format html")


def _download(client, answer) -> bytes:
    url = answer.json()["translatedFileUrl"]
    assert url.startswith("http://testserver/download_file/")
    download = client.get(url[len("http://testserver"):])
    assert download.status_code == 200
    return download.content


def test_translate_file_answers_the_file_translated_as_mt_translate_writes_it(
        client, tiny_translator, tmp_path: Path) -> None:
    from mt.documents import parse, translate_parsed

    text = f"{AR}\n\n{PAIRS[0][0]}\n"
    answer = client.post("/translate_file", data={"source": "ar", "target": "en"},
                         files={"file": ("article.txt", text.encode(), "text/plain")})
    assert _download(client, answer).decode() == tiny_translator.translate_document(
        text).target_text
    page = tmp_path / "page.html"
    page.write_text(HTML_ARTICLE, encoding="utf-8")
    answer = client.post("/translate_file", data={"source": "auto", "target": "en"},
                         files={"file": ("page.html", page.read_bytes(), "text/html")})
    translated = _download(client, answer)
    assert translated == translate_parsed(tiny_translator, parse(page, "html"),
                                          str(page)).output
    docx = build_docx(tmp_path / "article.docx")
    answer = client.post("/translate_file", files={
        "file": ("مقال.docx", docx.read_bytes(), "application/octet-stream")})
    url = answer.json()["translatedFileUrl"]
    download = client.get(url[len("http://testserver"):])
    assert download.headers["content-disposition"].endswith(
        "filename*=UTF-8''%D9%85%D9%82%D8%A7%D9%84.docx")
    assert download.content[:2] == b"PK" and download.content != docx.read_bytes()


def test_translate_file_errors(client, service) -> None:
    def send(name: str, data: bytes, **fields: str):
        return client.post("/translate_file", data=fields, files={"file": (name, data)})

    assert "file format not supported" in _error(send("program.exe", b"MZ\x90\x00"))
    assert _error(send("a.txt", b"x", target="de")).startswith("target: 'de' is not served")
    assert _error(send("a.txt", b"x", source="fr")).startswith("source: 'fr' is not served")
    assert _error(send("a.txt", b"")).startswith("file: 'a.txt' is empty")
    assert _error(send("a.txt", "نص".encode("cp1256"))).startswith("a.txt: not valid UTF-8")
    assert "over this server's limit" in _error(send("a.txt", ("ب" * (MAX_CHARS + 1)).encode()))
    assert _error(client.post("/translate_file", data={"source": "ar"},
                              files={"other": ("a.txt", b"x")})).startswith("file: missing")
    assert "multipart/form-data" in _error(client.post("/translate_file", json={"q": AR}), 415)
    assert _error(client.get("/download_file/nothing.txt"), 404).startswith(
        "nothing.txt: no such translated file")
    keyed = TestClient(create_app(service, ["k"]))
    assert _error(keyed.post("/translate_file", files={"file": ("a.txt", AR.encode())})
                  ).startswith("api_key: missing")
    assert keyed.post("/translate_file", data={"api_key": "k"},
                      files={"file": ("a.txt", AR.encode())}).status_code == 200


def test_api_keys_as_libretranslate_answers_them(service) -> None:
    """No key where one is required: 400 on LibreTranslate's routes (401 on /v1); a wrong
    key 403; the key in the body (JSON or form) as LibreTranslate's clients send it."""
    client = TestClient(create_app(service, ["k1"]))
    for route in ("/translate", "/detect"):
        assert _error(client.post(route, json={"q": AR})).startswith("api_key: missing")
        assert _error(client.post(route, data={"q": AR, "api_key": "k9"}), 403).startswith(
            "api_key: not a key")
        assert client.post(route, data={"q": AR, "api_key": "k1"}).status_code == 200
    assert _error(client.post("/v1/translate", json={"q": AR}), 401).startswith("api_key")


# The real clients, against a real server.


@pytest.fixture(scope="module")
def server(tiny_model: Path):
    from .test_serve_live import start_server, stop_server

    process, url = start_server(["--model", str(tiny_model), "--beam", "2", "--threads", "1"])
    yield url
    stop_server(process)


def test_libretranslatepy_detects_translates_and_lists_languages(server: str,
                                                                 tiny_translator) -> None:
    libretranslatepy = pytest.importorskip("libretranslatepy",
                                           reason="pip install libretranslatepy")
    api = libretranslatepy.LibreTranslateAPI(server)
    assert api.detect(AR) == [{"language": "ar", "confidence": 100.0}]
    assert api.detect("Hello there")[0]["language"] == "en"
    assert api.translate(AR, "ar", "en") == tiny_translator.translate_document(AR).target_text
    assert api.translate(AR, "auto", "en") == tiny_translator.translate_document(AR).target_text
    assert [language["code"] for language in api.languages()] == ["ar", "en"]


def _node_client() -> tuple[str, dict[str, str]]:
    """node and an environment that finds the npm ``libretranslate`` package, else a skip."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the npm libretranslate client needs it")
    environment = {**os.environ}
    found = subprocess.run([node, "-e", "require.resolve('libretranslate')"], env=environment,
                           capture_output=True, timeout=60)
    if found.returncode != 0:
        pytest.skip("the npm libretranslate package is not installed: npm install "
                    "libretranslate and put its node_modules on NODE_PATH")
    return node, environment


def test_the_npm_client_translates_text_and_html(server: str, tiny_translator) -> None:
    from mt.documents import translate_parsed
    from mt.documents.html import HtmlDocument

    node, environment = _node_client()
    markup = f'<p class="lead">{AR}</p>'
    script = ("const { translate } = require('libretranslate');\n"
              "(async () => {\n"
              f"  const url = {json.dumps(server)};\n"
              f"  const text = await translate({{query: {json.dumps(AR)}, source: 'ar', "
              "target: 'en', apiurl: url});\n"
              f"  const html = await translate({{query: {json.dumps(markup)}, source: 'auto', "
              "target: 'en', format: 'html', apiurl: url});\n"
              "  console.log(JSON.stringify({text, html}));\n"
              "})().catch(e => { console.error(e); process.exit(1); });\n")
    run = subprocess.run([node, "-e", script], env=environment, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)
    assert answer["text"] == tiny_translator.translate_document(AR).target_text
    html = translate_parsed(tiny_translator, HtmlDocument(markup.encode(), "q"), "q")
    assert answer["html"] == html.output.decode("utf-8")


def test_v1_translate_gives_each_segment_its_alternatives_on_request(client, service,
                                                                      seed_text: str) -> None:
    plain = client.post("/v1/translate", json={"q": seed_text}).json()
    assert all("alternatives" not in segment for segment in plain["segments"])
    asked = client.post("/v1/translate", json={"q": seed_text, "alternatives": 2}).json()
    segments = asked["segments"]
    beams = service.nbest([seed_text[s["source"][0]:s["source"][1]] for s in segments], 5)
    for segment, beam in zip(segments, beams, strict=True):
        own = asked["target"]["text"][segment["target"][0]:segment["target"][1]]
        texts = [a["text"] for a in segment.pop("alternatives")]
        assert 1 <= len(texts) <= 2 and len(set(texts)) == len(texts) and own not in texts
        assert texts == [h.text for h in beam if h.text and h.text != own][:2]
    assert asked == plain  # nothing else changes
    with client.stream("POST", "/v1/translate", json={"q": seed_text, "stream": True,
                                                      "alternatives": 1}) as response:
        events = [json.loads(line) for line in response.iter_lines() if line]
    assert all(len(s["alternatives"]) == 1 for s in events[-1]["trace"]["segments"])
    assert _error(client.post("/v1/translate", json={"q": AR, "alternatives": -1})).startswith(
        "alternatives: input should be greater than or equal to 0")
