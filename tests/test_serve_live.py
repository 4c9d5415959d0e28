"""``mt serve`` as a real process on a free loopback port: HTTP, slow clients, load, a browser."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mt.quality import estimator_for, with_quality
from mt.segment import split_sentences
from mt.trace import trace_translation

from .conftest import PAIRS, REPO

httpx = pytest.importorskip("httpx", reason="pip install -e '.[test]'")
pytest.importorskip("uvicorn", reason="pip install -e .")

READ_TIMEOUT = 1.0
CLIENTS, REQUESTS_EACH = 8, 5


def start_server(argv: list[str], timeout: float = 120.0) -> tuple[subprocess.Popen, str]:
    """``mt serve --port 0 ARGV`` as a subprocess; returns it and its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mt", "serve", "--host", "127.0.0.1", "--port", "0", *argv],
        cwd=REPO, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    found: list[str] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            if line.startswith("mt serve: http://") and not found:
                found.append(line.split()[2].rstrip("/"))
            sys.stderr.write(line)

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + timeout
    while not found:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"mt serve did not start (exit {process.poll()})")
        time.sleep(0.05)
    return process, found[0]


def stop_server(process: subprocess.Popen) -> int:
    process.terminate()
    try:
        return process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


@pytest.fixture(scope="module")
def server(tiny_model: Path):
    process, url = start_server(["--model", str(tiny_model), "--beam", "2", "--timeout",
                                 str(READ_TIMEOUT), "--max-queue", "64", "--threads", "1"])
    yield url
    # uvicorn shuts down, then passes SIGTERM on: mt exits 128 + 15, as on any SIGTERM
    assert stop_server(process) in (0, 128 + signal.SIGTERM), "mt serve stops on SIGTERM"


@pytest.fixture(scope="module")
def embedded_server():
    """The embedded model: the tiny one renders none of the seed article's numbers."""
    from mt.paths import embedded_model

    if not (embedded_model() / "config.json").is_file():
        pytest.skip("the embedded model is not in models/")
    process, url = start_server([])
    yield url
    stop_server(process)


def test_real_server_over_http(server: str, tiny_translator) -> None:
    assert server.startswith("http://127.0.0.1:")
    with httpx.Client(base_url=server, timeout=60) as client:
        assert client.get("/healthz").json()["status"] == "ok"
        answer = client.post("/translate", json={"q": PAIRS[0][0], "source": "ar",
                                                 "target": "en"})
        assert answer.json()["translatedText"] == tiny_translator.translate_document(
            PAIRS[0][0]).target_text
        bad = client.post("/translate", content=b'{"q": ', headers={
            "content-type": "application/json"})
        assert bad.status_code == 400 and bad.json()["error"].startswith("request body:")
        assert client.get("/").text.startswith("<!DOCTYPE html>")


def test_workers_processes_each_serve(tiny_model: Path, tiny_translator) -> None:
    with socket.socket() as probe:  # a free loopback port for uvicorn to bind itself
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process, url = start_server(["--model", str(tiny_model), "--beam", "2", "--workers", "2",
                                 "--threads", "1", "--port", str(port)])
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "no worker answered"
                time.sleep(0.2)
            for ar, _ in PAIRS[:4]:
                answer = client.post("/translate", json={"q": ar}).json()["translatedText"]
                assert answer == tiny_translator.translate_document(ar).target_text
    finally:
        stop_server(process)


def test_a_slow_client_does_not_block_others(server: str) -> None:
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as slow:
        slow.sendall(b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                     b"\r\nContent-Length: 100\r\n\r\n{\"q\": ")  # and then nothing more
        started = time.monotonic()
        with httpx.Client(base_url=server, timeout=30) as client:
            assert client.post("/translate", json={"q": PAIRS[2][0]}).status_code == 200
        assert time.monotonic() - started < READ_TIMEOUT + 5
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = slow.recv(4096)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    error = json.loads(answer.split(b"\r\n\r\n", 1)[1])["error"]
    assert error.startswith("request body: not received within 1 s")


def _load_texts(seed_text: str) -> list[str]:
    """40 different texts: the tests' sentences, the seed's, then pairs of them."""
    pool = [ar for ar, _ in PAIRS] + [s.span.slice(seed_text)
                                      for s in split_sentences(seed_text, "ar")]
    count = CLIENTS * REQUESTS_EACH
    texts = dict.fromkeys(pool[:count])
    step = 0
    while len(texts) < count:
        step += 1
        texts[f"{pool[step % len(pool)]} {pool[(7 * step + 3) % len(pool)]}"] = None
    return list(texts)


def _recv_all(sock: socket.socket) -> bytes:
    answer = b""
    try:
        while chunk := sock.recv(4096):
            answer += chunk
    except OSError:  # reset or timed out: what came so far
        pass
    return answer


def test_trickled_heads_block_no_one_and_are_cut_off(tiny_model: Path) -> None:
    """Slowloris (issue 30 S4): 20 heads sent a byte at a time, on a server with one queue slot."""
    from mt.serve.protocol import HEAD_TIMEOUT, MAX_WAITING_PER_CLIENT

    process, url = start_server(["--model", str(tiny_model), "--beam", "2", "--max-queue", "1",
                                 "--threads", "1"])
    host, port = url.removeprefix("http://").split(":")
    slow = [socket.create_connection((host, int(port)), timeout=HEAD_TIMEOUT + 10)
            for _ in range(20)]
    stop = threading.Event()

    def trickle() -> None:
        for sock in slow:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        while not stop.wait(0.3):
            for sock in slow:
                try:
                    sock.send(b"X")
                except OSError:
                    pass

    started = time.monotonic()
    threading.Thread(target=trickle, daemon=True).start()
    try:
        time.sleep(1)
        with httpx.Client(base_url=url, timeout=10) as client:
            assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5
        answers = [_recv_all(sock) for sock in slow]
        assert time.monotonic() - started < HEAD_TIMEOUT + 8
        assert all(a.startswith(b"HTTP/1.1 408") and b"request head" in a for a in answers), \
            answers[:2]
        stop.set()
        idle = [socket.create_connection((host, int(port)), timeout=5)
                for _ in range(MAX_WAITING_PER_CLIENT + 3)]
        refused = [sock for sock in idle[MAX_WAITING_PER_CLIENT:]]
        assert all(_recv_all(sock).startswith(b"HTTP/1.1 429") for sock in refused)
        for sock in idle:
            sock.close()
    finally:
        stop.set()
        for sock in slow:
            sock.close()
        stop_server(process)


def test_a_malformed_request_is_answered_in_json(server: str) -> None:
    """uvicorn answered bytes that are no HTTP in plain text (issue 30)."""
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"GARBAGE \x00\x01 NOT HTTP\r\n\r\n")
        answer = _recv_all(sock)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and b"application/json" in head
    assert json.loads(body)["error"].startswith("request: invalid http request")


def test_a_client_that_leaves_stops_its_translation(server: str) -> None:
    """A long /v1/translate whose client hangs up frees the model (issue 30 S5)."""
    text = " ".join([PAIRS[2][0]] * 6000)  # about 10 s of the tiny model on one thread
    body = json.dumps({"text": text}).encode()
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as leaving:
        leaving.sendall(b"POST /v1/translate HTTP/1.1\r\nHost: x\r\nContent-Type: "
                        b"application/json\r\nContent-Length: " + str(len(body)).encode()
                        + b"\r\n\r\n" + body)
        time.sleep(1.5)  # its job is running
    started = time.monotonic()
    with httpx.Client(base_url=server, timeout=60) as client:
        assert client.post("/translate", json={"q": PAIRS[2][0]}).status_code == 200
    assert time.monotonic() - started < 4, "the abandoned job went on"


def test_load_every_answer_matches_its_request(server: str, tiny_translator,
                                               seed_text: str) -> None:
    """8 clients x 5 requests at once; each answer is what translating its text alone gives."""
    texts = _load_texts(seed_text)
    rate = estimator_for(tiny_translator)  # a trace carries its quality estimates
    alone = {text: trace_translation(with_quality(tiny_translator.translate_document(text), rate))
             for text in texts}
    start = threading.Barrier(CLIENTS, timeout=30)

    def client_run(number: int) -> list[tuple[str, str, object]]:
        mine = texts[number * REQUESTS_EACH:(number + 1) * REQUESTS_EACH]
        answers = []
        with httpx.Client(base_url=server, timeout=120) as client:
            start.wait()
            for k, text in enumerate(mine):
                if k == REQUESTS_EACH - 1:  # one request in five asks for the whole trace
                    response = client.post("/v1/translate", json={"text": text})
                    response.raise_for_status()
                    answers.append((text, "trace", response.json()))
                else:
                    response = client.post("/translate", json={"q": text, "source": "ar",
                                                               "target": "en"})
                    response.raise_for_status()
                    answers.append((text, "text", response.json()["translatedText"]))
        return answers

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [a for answers in pool.map(client_run, range(CLIENTS), timeout=300)
                   for a in answers]
    assert sorted(text for text, _, _ in results) == sorted(texts), "none lost, none doubled"
    for text, kind, answer in results:
        expected = alone[text].to_json() if kind == "trace" else alone[text].target_text
        assert answer == expected, text


@pytest.mark.embedded
def test_the_page_in_a_real_browser(embedded_server: str, browser, seed_text: str) -> None:
    server = embedded_server
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server + "/")
    assert page.evaluate("getComputedStyle(document.getElementById('arabic')).direction") == \
        "rtl"
    page.evaluate("""() => { window.seen = [];
        new MutationObserver(() => window.seen.push(document.getElementById('status').textContent))
          .observe(document.getElementById('status'), {childList: true, subtree: true}); }""")
    page.fill("#arabic", seed_text)
    page.click("#translate")
    page.wait_for_selector("#result:not([hidden])", timeout=120_000)
    assert page.inner_text("#status").startswith("Done in")
    total = len(split_sentences(seed_text, "ar"))
    assert f"Translating: {total} of {total} sentences" in page.evaluate("window.seen")

    with page.expect_download() as download:
        page.click("#download-json")
    trace = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert download.value.suggested_filename == "translation.json"
    assert trace["source"]["text"] == seed_text
    with httpx.Client(base_url=server, timeout=120) as client:
        assert trace == client.post("/v1/translate", json={"text": seed_text}).json()

    report = page.frame_locator("#report")
    assert report.locator("#source").evaluate("e => getComputedStyle(e).direction") == "rtl"
    numbers = [(k, span) for k, span in enumerate(trace["spans"])
               if span["kind"] == "number" and span["target"] is not None]
    assert numbers, "the embedded model renders some of the seed article's numbers"
    k, span = numbers[0]
    report.locator(f'#source [data-k~="s{k}"]').first.hover()
    lit = "".join(e.inner_text() for e in report.locator("#target .hl").all())
    start, end = span["target"]
    assert lit == trace["target"]["text"][start:end]

    rows = page.locator("#sentences tbody tr")
    assert rows.count() == len(trace["segments"])
    assert page.inner_text("#score-head") == "estimated quality"
    assert "|quality:linear@" in trace["signature"], "the embedded model's own estimator"
    doubtful = [s["id"] for s in trace["segments"] if s.get("doubt")]
    assert all(0 <= s["quality"] <= 1 for s in trace["segments"] if s["target"][1] > s["target"][0])
    for row, segment in zip(rows.all(), trace["segments"], strict=True):
        assert row.locator("td").last.inner_text().startswith(f"{100 * segment['quality']:.0f}%")
        assert ("check this sentence" in row.inner_text()) == (segment["id"] in doubtful)
        assert (row.get_attribute("class") == "doubt") == (segment["id"] in doubtful)
    assert f"{len(doubtful)} sentence" in page.inner_text("#summary")
    assert report.locator("header .tocheck").inner_text().startswith(f"{len(doubtful)} sentence")
    with page.expect_download() as download:
        page.click("#download-html")
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    _align_tab(page, report)
    assert all(url.startswith((server, "blob:", "about:")) for url in requests), requests
    context.close()


def _align_tab(page, report) -> None:
    """Arabic pasted, its English dropped as a .txt file: the alignment report appears."""
    from .test_report import AR, EN

    page.click("#tab-align")
    assert page.is_hidden("#arabic") and page.is_visible("#align-english")
    page.fill("#align-arabic", AR)
    dropped = page.evaluate_handle("""(text) => { const data = new DataTransfer();
        data.items.add(new File([text], 'en.txt', {type: 'text/plain'})); return data; }""", EN)
    page.dispatch_event("#align-english", "drop", {"dataTransfer": dropped})
    page.wait_for_function("() => document.getElementById('align-english').value.length > 0")
    assert page.input_value("#align-english") == EN
    page.click("#align")
    page.wait_for_function(  # a function: the page's policy forbids evaluating strings
        "() => document.getElementById('status').textContent.startsWith('Done')",
        timeout=120_000)
    assert report.locator("#target").inner_text() == EN
    assert report.locator("#findings .st-mismatch, #findings .bad").count() > 0
    assert page.inner_text("#score-head") == "alignment score"


def _done(page) -> None:
    page.wait_for_function(  # a function: the page's policy forbids evaluating strings
        "() => document.getElementById('status').textContent.startsWith('Done')",
        timeout=120_000)


def test_the_page_follows_the_task_scrolls_once_and_fits_a_phone(server: str, browser) -> None:
    """Issue 29's page items in Chromium with the tiny model: title and download name after
    align then translate, the report frame sized to its content (one scroll), a finding
    clicked brings both texts into the window, dir=auto boxes, 390 px, the icon."""
    from .test_report import AR, EN, icon_width

    context = browser.new_context(accept_downloads=True, viewport={"width": 1000, "height": 700})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server + "/")
    direction = "e => getComputedStyle(e).direction"
    assert page.locator("#arabic").evaluate(direction) == "rtl"  # empty: its Arabic placeholder
    page.fill("#arabic", "This is already English.")
    assert page.locator("#arabic").evaluate(direction) == "ltr"
    page.fill("#arabic", AR)
    assert page.locator("#arabic").evaluate(direction) == "rtl"

    page.click("#tab-align")
    page.fill("#align-arabic", AR)
    page.fill("#align-english", EN)
    page.click("#align")
    _done(page)
    report = page.frame_locator("#report")
    assert report.locator("h1").inner_text() == "alignment" and page.title() == "alignment · mt"
    # The frame is as tall as its content: nothing scrolls inside it
    page.wait_for_function("() => document.getElementById('report').clientHeight > 0")
    inner = report.locator("html").evaluate(
        "e => [e.scrollHeight, window.innerHeight, getComputedStyle(e).overflow]")
    assert inner[0] <= inner[1] + 1 and inner[2] == "hidden", inner
    # A finding clicked (below the window's fold): the page scrolls to both texts, their
    # spans lit and pulsing
    page.set_viewport_size({"width": 1000, "height": 400})
    page.evaluate("window.scrollTo(0, 0)")

    def shown(side: str) -> bool:
        box = report.locator(f"#{side}").bounding_box()  # page coordinates
        return box is not None and 0 <= box["y"] < 400

    assert not shown("source") and not shown("target")
    report.locator("#findings tr[data-k]").first.evaluate("row => row.click()")
    page.wait_for_function("() => window.scrollY > 0")
    assert shown("source") and shown("target")
    assert report.locator("#source .pulse").count() > 0
    assert report.locator("#target .pulse").count() > 0
    page.set_viewport_size({"width": 1000, "height": 700})

    page.click("#tab-translate")
    page.click("#translate")
    _done(page)
    assert report.locator("h1").inner_text() == "translation"
    assert page.title() == "translation · mt"
    with page.expect_download() as download:
        page.click("#download-json")
    assert download.value.suggested_filename == "translation.json"
    with page.expect_download() as download:
        page.click("#download-html")
    assert download.value.suggested_filename == "translation.html"

    # A phone: one column, nothing wider than the screen, the page's or the report's
    page.set_viewport_size({"width": 390, "height": 800})
    page.click("#tab-align")
    boxes = [page.locator(f"#align-{side}").bounding_box() for side in ("arabic", "english")]
    assert boxes[0] is not None and boxes[1] is not None
    assert boxes[1]["y"] >= boxes[0]["y"] + boxes[0]["height"]  # stacked
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert report.locator("html").evaluate("e => e.scrollWidth <= window.innerWidth")
    assert report.locator("main").evaluate(
        "e => getComputedStyle(e).gridTemplateColumns.split(' ').length") == 1

    assert icon_width(page) > 0
    with httpx.Client(base_url=server) as client:
        assert client.get("/favicon.ico").headers["content-type"] == "image/svg+xml"
    assert all(url.startswith((server, "blob:", "about:", "data:")) for url in requests), requests
    context.close()
