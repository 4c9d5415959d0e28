"""Throughput and latency of ``mt serve`` beside sequential ``mt translate`` calls.

One run, the embedded model, the same texts three ways:

- load: ``mt serve`` on a free loopback port, CLIENTS concurrent clients each
  sending REQUESTS LibreTranslate ``/translate`` requests (those waiting at the
  same time are translated in one batch);
- one client: the same requests to the same server, one after another;
- CLI: ``mt translate FILE`` once per text, one process after another (what a
  script without the server does: start-up and model loading every time).

Every answer is compared with the others: the figures count only if the
server's translations are the CLI's.

    python eval/serve_load.py [--clients 8] [--requests 5] [--write]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "eval"))
from results import add_write_option, machine, publish, today  # noqa: E402

from mt.inputs import read_pairs  # noqa: E402

PUD = REPO.parent / "shared" / "data" / "dev" / "pud.ar-en.tsv.gz"
SENTENCES_PER_TEXT = 3  # a short news paragraph per request


def load_texts(count: int) -> list[str]:
    """``count`` paragraphs of consecutive PUD dev sentences."""
    if not PUD.is_file():
        sys.exit(f"serve_load: {PUD} is missing; put ../shared beside the repository")
    sentences = [ar for ar, _ in read_pairs(PUD)]
    texts = [" ".join(sentences[i:i + SENTENCES_PER_TEXT])
             for i in range(0, count * SENTENCES_PER_TEXT, SENTENCES_PER_TEXT)]
    if len(texts) < count or len(set(texts)) < count:
        sys.exit(f"serve_load: {PUD} has too few sentences for {count} texts")
    return texts


def start_server() -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "mt", "serve", "--port", "0"], cwd=REPO,
                               stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("mt serve: http://"):
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return process, line.split()[2].rstrip("/")
    sys.exit(f"serve_load: mt serve did not start (exit {process.wait()})")


def served_signature(url: str) -> str:
    """The loaded model's signature as ``/healthz`` tells it (weights hash, decoding, backend)."""
    with urllib.request.urlopen(url + "/healthz", timeout=60) as response:
        return str(json.loads(response.read())["model"]["signature"])


def translate_http(url: str, text: str) -> tuple[str, float]:
    """One LibreTranslate request: the English and the seconds it took."""
    body = json.dumps({"q": text, "source": "ar", "target": "en"}).encode()
    request = urllib.request.Request(url + "/translate", body,
                                     {"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        english = json.loads(response.read())["translatedText"]
    return english, time.perf_counter() - started


def translate_cli(text: str, folder: Path, number: int) -> tuple[str, float]:
    path = folder / f"{number}.txt"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mt", "translate", str(path)], cwd=REPO,
                          capture_output=True, text=True, check=True)
    return done.stdout.removesuffix("\n"), time.perf_counter() - started


@dataclass(frozen=True)
class Row:
    """One mode's figures."""

    mode: str
    requests: int
    wall: float  # seconds for all its requests
    p50: float  # latency, milliseconds
    p95: float

    @property
    def rate(self) -> float:
        return self.requests / self.wall


def summary(mode: str, latencies: list[float], wall: float) -> Row:
    return Row(mode, len(latencies), wall, float(np.percentile(latencies, 50)) * 1000,
               float(np.percentile(latencies, 95)) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=5, help="requests per client")
    add_write_option(parser)
    args = parser.parse_args()
    texts = load_texts(args.clients * args.requests)
    load_before = os.getloadavg()[0]

    process, url = start_server()
    try:
        translate_http(url, "جملة للتحمية.")  # the first request pays for lazy set-up
        signature = served_signature(url)
        answers: dict[str, dict[str, str]] = {text: {} for text in texts}
        latencies: list[float] = []
        lock = threading.Lock()
        gate = threading.Barrier(args.clients)

        def client(number: int) -> None:
            mine = texts[number * args.requests:(number + 1) * args.requests]
            gate.wait()
            for text in mine:
                english, seconds = translate_http(url, text)
                with lock:
                    answers[text]["load"] = english
                    latencies.append(seconds)

        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(client, range(args.clients)))
        rows = [summary(f"`mt serve`, {args.clients} concurrent clients x {args.requests} "
                        "requests", latencies, time.perf_counter() - started)]

        single: list[float] = []
        started = time.perf_counter()
        for text in texts:
            answers[text]["single"], seconds = translate_http(url, text)
            single.append(seconds)
        rows.append(summary("`mt serve`, 1 client, requests one after another", single,
                            time.perf_counter() - started))
    finally:
        process.terminate()
        process.wait(30)

    cli: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        for number, text in enumerate(texts):
            answers[text]["cli"], seconds = translate_cli(text, Path(folder), number)
            cli.append(seconds)
        rows.append(summary("baseline: `mt translate FILE`, one process per text, sequential",
                            cli, time.perf_counter() - started))
    same = sum(len(set(a.values())) == 1 and len(a) == 3 for a in answers.values())
    load_after = os.getloadavg()[0]

    table = ["| mode | requests | seconds | requests/s | p50 latency ms | p95 latency ms |",
             "|---|---|---|---|---|---|"]
    table += [f"| {r.mode} | {r.requests} | {r.wall:.1f} | {r.rate:.2f} | {r.p50:.0f} | "
              f"{r.p95:.0f} |" for r in rows]
    markdown = "\n".join([
        "## Serving: `mt serve` under load beside sequential CLI calls",
        "",
        f"{len(texts)} texts of {SENTENCES_PER_TEXT} consecutive sentences of "
        "`../shared/data/dev/pud.ar-en.tsv.gz` (PUD dev), `mt serve` and `mt translate` with "
        f"their defaults (the server's signature: `{signature}`), LibreTranslate "
        "`POST /translate` over loopback HTTP. Latency is per request "
        "as the client sees it (queueing included); a CLI call includes process start and "
        "model loading, which the server pays once before the clock starts.",
        "",
        *table,
        "",
        f"- Same English for {same} of {len(texts)} texts in all three modes (the server's "
        "answers under load, one at a time and the CLI's).",
        f"- {args.clients} concurrent clients got {rows[0].rate / rows[1].rate:.2f}x the "
        "throughput of one client: requests waiting at the same time share a batch on the "
        "one model thread, and each waits for the batch before it. A CLI call's median "
        f"latency is {rows[2].p50 / rows[1].p50:.1f}x a lone server request's: start-up "
        "and model loading every time.",
        f"- Load average (1 min) {load_before:.1f} before, {load_after:.1f} after: the "
        "machine was shared with other work.",
        f"- Command: `python eval/serve_load.py {' '.join(sys.argv[1:])}`; machine: "
        f"{machine()}; date: {today()}.",
    ])
    publish("serve", markdown, args.write)


if __name__ == "__main__":
    main()
