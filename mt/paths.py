"""Where `mt` finds what it ships (models, the aligner's priors, the names table) and where
it keeps what it derives (conversions, tools)."""

from __future__ import annotations

import os
from pathlib import Path

EMBEDDED_NAME = "ar-en-small"  # the shipped model's folder
ALIGNER_NAME = "align"  # the word aligner's priors and tables
NAMES_FILE = "names.ar-en.tsv.gz"  # the names table (models/build_names.py)


def models_dir() -> Path:
    """The shipped models and tables: ``MT_MODELS_DIR``, else the installed package's copy
    (``mt/bundled``, see setup.py), else the source tree's ``models/``."""
    override = os.environ.get("MT_MODELS_DIR")
    if override:
        return Path(override)
    package = Path(__file__).resolve().parent
    bundled = package / "bundled"
    return bundled if bundled.is_dir() else package.parent / "models"


def embedded_model() -> Path:
    return models_dir() / EMBEDDED_NAME


def aligner_dir() -> Path:
    return models_dir() / ALIGNER_NAME


def names_file() -> Path:
    return models_dir() / NAMES_FILE


def cache_root() -> Path:
    """What ``mt`` derives and keeps (conversions, tools): ``MT_CACHE``, else
    ``$XDG_CACHE_HOME/mt``, else ``~/.cache/mt``."""
    override = os.environ.get("MT_CACHE")
    if override:
        return Path(override)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mt"
