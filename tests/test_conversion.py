"""The CTranslate2 conversion cache: where it lives, cold starts of several processes at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mt.models import resolve_model
from mt.translate import conversion
from mt.translate.conversion import STAGING_PREFIX, conversion_dir, convert

from .conftest import REPO

CONVERT = ("import sys; from mt.models import resolve_model; "
           "from mt.translate.conversion import convert; "
           "print(convert(resolve_model(sys.argv[1])))")


def test_conversion_is_cached_in_the_user_cache(tiny_model: Path, tmp_path: Path,
                                                monkeypatch) -> None:
    monkeypatch.delenv("MT_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    ref = resolve_model(str(tiny_model))
    first = convert(ref)
    assert first == conversion_dir(ref) and (first / "model.bin").is_file()
    assert first.is_relative_to(tmp_path / "xdg" / "mt") and not first.is_relative_to(tiny_model)
    stamp = (first / "model.bin").stat().st_mtime_ns
    assert convert(ref) == first and (first / "model.bin").stat().st_mtime_ns == stamp
    assert not list(first.parent.glob(f"{STAGING_PREFIX}*"))


@pytest.mark.slow
def test_three_cold_starts_at_once_all_succeed(tiny_model: Path, tmp_path: Path) -> None:
    env = {**os.environ, "MT_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(REPO)}
    processes = [subprocess.Popen([sys.executable, "-c", CONVERT, str(tiny_model)], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
    results = [(p.wait(timeout=300), *p.communicate()) for p in processes]
    assert all(code == 0 for code, _, _ in results), [err for _, _, err in results]
    paths = {out.strip() for _, out, _ in results}
    assert len(paths) == 1 and (Path(paths.pop()) / "model.bin").is_file()
    assert not list((tmp_path / "cache" / "ctranslate2").glob(f"{STAGING_PREFIX}*"))


def test_only_abandoned_staging_is_cleaned(tmp_path: Path, monkeypatch) -> None:
    import fcntl

    old = time.time() - conversion.STALE_AFTER_S - 60
    abandoned, working, fresh = (tmp_path / f"{STAGING_PREFIX}{name}" for name in
                                 ("abandoned", "working", "fresh"))
    for staging in (abandoned, working, fresh):
        staging.mkdir()
        (staging / "lock").touch()
    with (working / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a live conversion, however old
        for staging in (abandoned, working):
            os.utime(staging, (old, old))
        conversion.remove_abandoned_staging(tmp_path)
        assert not abandoned.exists() and working.exists() and fresh.exists()
