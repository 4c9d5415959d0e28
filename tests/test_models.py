"""The default model chain, ``mt models pull/list/remove``, hub errors, ``--device``.

A hub cache is laid out at test time as the hub lays it out, holding a tiny
model of the real opus-mt shape and tokenizer; nothing touches the network.
"""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mt import hub
from mt.cli import main
from mt.errors import InputError, ModelError
from mt.models import model_hash, resolve_model
from mt.types import TraceDocument

from .conftest import REPO, SEED, add_to_hub_cache, build_opus_shaped_model

BASE, BIG = "Helsinki-NLP/opus-mt-ar-en", "Helsinki-NLP/opus-mt-tc-big-ar-en"
COMMIT = "0123456789abcdef0123456789abcdef01234567"
pytestmark = pytest.mark.shared


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_default_chain_takes_the_pulled_opus_model(hub_cache: Path, opus_shaped_model: Path,
                                                   capsys) -> None:
    snapshot = add_to_hub_cache(hub_cache, BASE, opus_shaped_model, COMMIT)
    ref = resolve_model()
    assert (ref.name, ref.path, ref.origin, ref.revision) == (BASE, snapshot, "hub-cache", COMMIT)
    code, out, err = run_cli(["translate", "--format", "json", "--beam", "2", str(SEED)], capsys)
    assert code == 0 and "embedded" not in err
    signature = TraceDocument.loads(out).signature
    assert f"model:{BASE}@{model_hash(snapshot)}|revision:{COMMIT}|" in signature


def test_tc_big_before_base_and_wrong_directions_skipped(hub_cache: Path,
                                                         opus_shaped_model: Path,
                                                         tmp_path: Path) -> None:
    add_to_hub_cache(hub_cache, BASE, opus_shaped_model, COMMIT)
    reversed_model = build_opus_shaped_model(tmp_path / "reversed", swap_sides=True)
    add_to_hub_cache(hub_cache, "Helsinki-NLP/opus-mt-en-ar", opus_shaped_model, "1" * 40)
    add_to_hub_cache(hub_cache, "someone/opus-mt-tc-big-marian", reversed_model, "2" * 40)
    assert resolve_model().name == BASE  # en-ar by its name, the other by its tokenizers
    add_to_hub_cache(hub_cache, BIG, opus_shaped_model, "3" * 40)
    assert resolve_model().name == BIG


def test_model_option_and_mt_model_win_over_the_cache(hub_cache: Path, opus_shaped_model: Path,
                                                      tiny_model: Path, monkeypatch) -> None:
    add_to_hub_cache(hub_cache, BASE, opus_shaped_model, COMMIT)
    monkeypatch.setenv("MT_MODEL", str(tiny_model))
    assert (resolve_model().name, resolve_model().origin) == (tiny_model.name, "MT_MODEL")
    explicit = resolve_model(BASE)
    assert (explicit.origin, explicit.revision) == ("--model", COMMIT)
    monkeypatch.setenv("MT_MODEL", BASE)
    assert resolve_model(str(tiny_model)).path == tiny_model


def test_an_incomplete_snapshot_is_not_taken(hub_cache: Path, opus_shaped_model: Path) -> None:
    snapshot = add_to_hub_cache(hub_cache, BASE, opus_shaped_model, COMMIT)
    (snapshot / "model.safetensors").unlink()  # an interrupted download
    assert resolve_model().origin == "embedded"


def test_embedded_model_says_so_once_and_q_silences_it(hub_cache: Path, tiny_model: Path,
                                                       tmp_path: Path, monkeypatch,
                                                       capsys) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "ar-en-small").symlink_to(tiny_model)
    monkeypatch.setenv("MT_MODELS_DIR", str(tmp_path / "models"))
    code, out, err = run_cli(["translate", "--beam", "2", str(SEED)], capsys)
    assert code == 0 and out.strip()
    assert err.count("\n") == 1 and "embedded model" in err and "mt models pull" in err
    for quiet in (["translate", "-q"], ["-q", "translate"]):
        code, _, err = run_cli([*quiet, "--beam", "2", str(SEED)], capsys)
        assert code == 0 and err == ""


def _fake_remote(remote: dict[str, Path]):  # noqa: ANN202
    """A ``hub.download`` that copies from local folders, as the hub's cache would hold them."""
    calls: list[tuple[str, str | None, list[str]]] = []

    def download(repo_id: str, revision: str | None, patterns: list[str], cache: Path) -> Path:
        calls.append((repo_id, revision, patterns))
        source = remote[repo_id]
        commit = revision if revision and len(revision) == 40 else COMMIT
        folder = cache / ("models--" + repo_id.replace("/", "--"))
        snapshot = folder / "snapshots" / commit
        snapshot.mkdir(parents=True, exist_ok=True)
        for file in source.iterdir():
            if any(fnmatch.fnmatch(file.name, pattern) for pattern in patterns):
                shutil.copy(file, snapshot / file.name)
        (folder / "refs").mkdir(exist_ok=True)
        (folder / "refs" / (revision or "main")).write_text(commit, encoding="utf-8")
        return snapshot

    return download, calls


def test_pull_list_remove(hub_cache: Path, opus_shaped_model: Path, monkeypatch,
                          capsys) -> None:
    download, calls = _fake_remote({BASE: opus_shaped_model})
    monkeypatch.setattr(hub, "download", download)
    code, out, _ = run_cli(["models", "pull", BASE], capsys)
    assert code == 0, out
    snapshot = hub_cache / "models--Helsinki-NLP--opus-mt-ar-en" / "snapshots" / COMMIT
    assert f"{BASE} at revision {COMMIT[:12]}: {snapshot}" in out
    # The small files first (checked), then one weights file, pinned to the commit.
    assert calls[0][2] == list(hub.METADATA_FILES)
    assert calls[1] == (BASE, COMMIT, ["model.safetensors"]) and len(calls) == 2
    converted = Path(out.strip().splitlines()[-1].split(": ", 1)[1])
    assert (converted / "model.bin").is_file()
    assert converted.is_relative_to(os.environ["MT_CACHE"]) and not converted.is_relative_to(
        hub_cache)
    code, out, _ = run_cli(["models", "list", "--format", "json"], capsys)
    pulled = next(entry for entry in json.loads(out) if entry["name"] == BASE)
    assert pulled == {"name": BASE, "path": str(snapshot), "source": "hub-cache",
                      "revision": COMMIT, "default": True}
    assert resolve_model().path == snapshot
    code, out, _ = run_cli(["models", "remove", BASE], capsys)
    assert code == 0 and not snapshot.exists() and not converted.exists()
    assert resolve_model().origin == "embedded"
    code, _, err = run_cli(["models", "remove", BASE], capsys)
    assert code == 2 and BASE in err and err.count("\n") == 1


def test_remove_a_symlinked_cache_entry_removes_the_link_only(hub_cache: Path, tmp_path: Path,
                                                              capsys) -> None:
    """A cache entry that is a link (a shared model store): rmtree raised a traceback."""
    elsewhere = tmp_path / "store" / "opus"
    (elsewhere / "snapshots").mkdir(parents=True)
    (hub_cache / "models--Helsinki-NLP--opus-mt-ar-en").symlink_to(elsewhere)
    code, _, err = run_cli(["models", "remove", BASE], capsys)
    assert code == 0, err
    assert not (hub_cache / "models--Helsinki-NLP--opus-mt-ar-en").exists()
    assert (elsewhere / "snapshots").is_dir(), "what the link points to is left alone"


def test_pull_refuses_a_model_that_is_not_arabic_to_english(hub_cache: Path, tmp_path: Path,
                                                            opus_shaped_model: Path,
                                                            monkeypatch, capsys) -> None:
    reversed_model = build_opus_shaped_model(tmp_path / "reversed", swap_sides=True)
    download, calls = _fake_remote({"someone/marian-news": reversed_model,
                                    "Helsinki-NLP/opus-mt-ar-fr": opus_shaped_model})
    monkeypatch.setattr(hub, "download", download)
    for repo_id in ("someone/marian-news", "Helsinki-NLP/opus-mt-ar-fr"):
        code, _, err = run_cli(["models", "pull", repo_id], capsys)
        assert code == 2 and repo_id in err and "not Arabic->English" in err
        assert err.count("\n") == 1 and not hub.repo_folder(repo_id).exists()
    assert all(patterns == list(hub.METADATA_FILES) for _, _, patterns in calls)  # no weights


def _timed_cli(args: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str],
                                                              float]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mt", *args], capture_output=True,
                            text=True, check=False, env={**os.environ, **env}, cwd=REPO)
    return result, time.perf_counter() - started


@pytest.mark.parametrize("offline", ["1", "0"])
def test_unreachable_hub_id_is_one_line_within_seconds(hub_cache: Path, tmp_path: Path,
                                                       offline: str) -> None:
    """Offline, and online with a hub that refuses connections (a closed local port)."""
    env = {"HF_HUB_OFFLINE": offline, "TRANSFORMERS_OFFLINE": offline,
           "HF_ENDPOINT": "http://127.0.0.1:9", "HF_HUB_CACHE": str(hub_cache)}
    for args in (["translate", "--model", "Helsinki-NLP/opus-mt-ar-xx", str(SEED)],
                 ["models", "pull", "Helsinki-NLP/opus-mt-ar-xx"]):
        result, seconds = _timed_cli(args, env)
        assert result.returncode == 2 and seconds < 10, (seconds, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert "Helsinki-NLP/opus-mt-ar-xx" in result.stderr and "--model DIR" in result.stderr
        assert "mt models pull" in result.stderr


@pytest.mark.slow
def test_a_silent_hub_fails_within_seconds(hub_cache: Path) -> None:
    """A hub that accepts the connection and never answers."""
    import socket

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        env = {"HF_HUB_OFFLINE": "0", "TRANSFORMERS_OFFLINE": "0", "HF_HUB_CACHE": str(hub_cache),
               "HF_ENDPOINT": f"http://127.0.0.1:{server.getsockname()[1]}"}
        result, seconds = _timed_cli(["models", "pull", BASE], env)
    assert result.returncode == 2 and seconds < 10, (seconds, result.stderr)
    assert result.stderr.count("\n") == 1 and "hub cannot be reached" in result.stderr


def test_device_cuda_without_cuda_is_one_line(tiny_model: Path, capsys) -> None:
    from mt.device import cuda_present

    if cuda_present("ctranslate2"):
        pytest.skip("a CUDA device is present")
    code, _, err = run_cli(["translate", "--device", "cuda", "--model", str(tiny_model),
                            str(SEED)], capsys)
    assert code == 2 and "--device cuda" in err and "--device cpu" in err
    assert err.count("\n") == 1


def test_device_auto_follows_what_the_engine_sees(monkeypatch) -> None:
    from mt import device

    for present in (True, False):
        monkeypatch.setattr(device, "cuda_present", lambda engine, p=present: p)
        expected = "cuda" if present else "cpu"
        assert device.resolve_device("auto", "torch") == expected
        assert device.resolve_device("cpu", "ctranslate2") == "cpu"
    with pytest.raises(InputError, match="--device cuda"):
        device.resolve_device("cuda", "torch")
    with pytest.raises(InputError):
        device.resolve_device("tpu", "torch")


def test_a_bad_model_directory_is_still_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no config.json"):
        resolve_model(str(tmp_path))
