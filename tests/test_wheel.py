"""The wheel carries the embedded model, the aligner's tables and the names table.

Builds the wheel from a copy of the working tree, installs it into a fresh
virtualenv that borrows this environment's dependencies (a ``.pth`` line:
torch and friends are not installed twice), and runs ``mt`` from an unrelated
folder, with nothing of the source tree on ``sys.path``.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, SEED

SEED_EN = REPO / "seeds" / "en" / SEED.name
pytestmark = [pytest.mark.slow, pytest.mark.embedded,
              pytest.mark.skipif(not (REPO / "models" / "ar-en-small" / "config.json").is_file(),
                                 reason="the embedded model is absent from models/")]


def _copy_tree(target: Path) -> None:
    """What a clean checkout has that the build reads (no caches, no earlier builds)."""
    skip = shutil.ignore_patterns("__pycache__", "bundled", ".ct2-*", "*.egg-info")
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy(REPO / name, target / name)
    for name in ("mt", "models"):
        shutil.copytree(REPO / name, target / name, ignore=skip)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the built wheel installed; returns the venv."""
    pytest.importorskip("setuptools", reason="building the wheel offline needs setuptools")
    root = tmp_path_factory.mktemp("wheel")
    source = root / "src"
    source.mkdir()
    _copy_tree(source)
    dist, venv = root / "dist", root / "venv"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(dist), str(source)], check=True)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = subprocess.run([str(venv / "bin" / "python"), "-c",
                              "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "borrowed-dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    wheel = next(dist.glob("mt-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                    "install", "-q", "--no-deps", "--no-index", "--ignore-installed",
                    str(wheel)], check=True)
    return venv


def _run(venv: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "MT_MODEL", "MT_MODELS_DIR")}
    env["HF_HUB_CACHE"] = str(cwd / "empty-hub")  # no pulled model: the embedded one is used
    return subprocess.run([str(venv / "bin" / "mt"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)


def test_installed_mt_uses_its_own_models(installed: Path, tmp_path: Path) -> None:
    listed = _run(installed, ["models", "list", "--format", "json"], tmp_path)
    assert listed.returncode == 0, listed.stderr
    default = next(entry for entry in json.loads(listed.stdout) if entry["default"])
    assert Path(default["path"]).is_relative_to(installed), default
    names = subprocess.run(
        [str(installed / "bin" / "python"), "-c",
         "import mt.entities as e, mt.paths as m; print(m.models_dir(), len(e.names_table()))"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"}).stdout.split()
    assert Path(names[0]).is_relative_to(installed) and int(names[1]) > 1000


def test_installed_mt_translates_and_aligns_the_seed(installed: Path, tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "seed.ar.txt")
    shutil.copy(SEED_EN, tmp_path / "seed.en.txt")
    translated = _run(installed, ["translate", "seed.ar.txt", "-o", "seed.out.txt"], tmp_path)
    assert translated.returncode == 0, translated.stderr
    assert "using the embedded model" in translated.stderr
    english = (tmp_path / "seed.out.txt").read_text(encoding="utf-8")
    assert sum(c.isascii() and c.isalpha() for c in english) > 200
    aligned = _run(installed, ["align", "seed.ar.txt", "seed.en.txt", "--format", "json"],
                   tmp_path)
    assert aligned.returncode == 0, aligned.stderr
    document = json.loads(aligned.stdout)
    assert "eflomal-priors@" in document["signature"], "the word aligner's tables are missing"
    assert document["links"] and document["segments"]
