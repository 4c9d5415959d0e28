"""The CTranslate2 conversion cache: each MarianMT checkpoint converted once, for every process.

Conversions (float32; quantised when loaded, so one serves every
``--compute-type``) live in the user cache, ``cache_root()/ctranslate2/NAME-HASH``
keyed by the weights' hash: never inside a hub snapshot or an installed package.

Several processes may start cold at once. Each converts into its own staging
folder, locked while it works, and renames the result into place (atomic);
the first rename wins and the others discard their copy. Clean-up removes a
process's own staging folder, and others' only when they are both old and
unlocked (left by a killed process).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from mt.errors import MissingExtraError, ModelError
from mt.models import ModelRef, model_hash
from mt.paths import cache_root
from mt.translate.marian_start import pad_start_marian, starts_from_pad

log = logging.getLogger("mt")
STAGING_PREFIX = ".staging-"
STALE_AFTER_S = 6 * 3600  # no conversion takes this long; a staging folder this old is debris
_HASH_SUFFIX = re.compile(r"-[0-9a-f]{12}(?:-a-?\d+h\d+)?")


def conversions_root() -> Path:
    return cache_root() / "ctranslate2"


def _cache_name(model_name: str) -> str:
    return model_name.replace("/", "--")


def conversion_dir(model: ModelRef) -> Path:
    """Where the converted model for ``model`` lives (whether or not it exists yet)."""
    from mt.translate.links import ALIGNMENT_HEADS

    heads = ALIGNMENT_HEADS  # the attention heads are baked into the conversion
    digest = f"{model_hash(model.path)}-a{heads.layer}h{heads.heads}"
    return conversions_root() / f"{_cache_name(model.name)}-{digest}"


def conversions_of(model_name: str) -> list[Path]:
    """Every cached conversion of ``model_name``, whatever its weights' hash."""
    root, stem = conversions_root(), _cache_name(model_name)
    if not root.is_dir():
        return []
    return sorted(path for path in root.iterdir() if path.name.startswith(stem)
                  and _HASH_SUFFIX.fullmatch(path.name[len(stem):]))


def _complete(directory: Path) -> bool:
    """A finished conversion, made the current way (decoding starts from ``<pad>``)."""
    try:
        config = json.loads((directory / "config.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return (directory / "model.bin").is_file() and starts_from_pad(config)


@contextlib.contextmanager
def _staging(parent: Path, name: str) -> Iterator[Path]:
    """A fresh folder of this process's own, locked while in use and removed afterwards."""
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{name}-", dir=parent))
    try:
        with (staging / "lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _abandoned(staging: Path) -> bool:
    """Old and unlocked: no live process is converting there."""
    try:
        if time.time() - staging.stat().st_mtime < STALE_AFTER_S:
            return False
        with (staging / "lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
    except FileNotFoundError:  # no lock file: killed before locking (or already gone)
        return staging.exists()
    except OSError:  # locked: someone is at work
        return False


def remove_abandoned_staging(parent: Path) -> None:
    for staging in parent.glob(f"{STAGING_PREFIX}*"):
        if staging.is_dir() and _abandoned(staging):
            shutil.rmtree(staging, ignore_errors=True)


def convert(model: ModelRef, output: Path | None = None, force: bool = False) -> Path:
    """Convert ``model`` to CTranslate2 (float32) unless a conversion is cached; its path."""
    target = output or conversion_dir(model)
    if _complete(target) and not force:
        return target
    try:  # the converter imports torch and transformers: only when converting
        import ctranslate2.converters  # noqa: F401
    except ImportError:
        raise MissingExtraError("ctranslate2", "ctranslate2>=4.3") from None
    from mt.quiet import quiet_transformers
    from mt.translate.ct2 import converter

    quiet_transformers()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"{target.parent}: cannot write the CTranslate2 conversion there "
                         f"({exc.strerror}); set MT_CACHE to a writable folder or use "
                         "--backend transformers") from None
    try:
        remove_abandoned_staging(target.parent)
        with _staging(target.parent, target.name) as staging:
            log.info("converting %s to CTranslate2 in %s", model.name, target)
            with pad_start_marian():
                converter(model.load_id).convert(str(staging / "model"), force=True)
            if force or (target.exists() and not _complete(target)):
                with contextlib.suppress(FileNotFoundError):
                    target.rename(staging / "replaced")  # removed with the staging folder
            try:
                (staging / "model").rename(target)
            except OSError:
                if not _complete(target):  # not another process's finished conversion
                    raise
                log.info("%s: another process converted it first", model.name)
    except (OSError, ValueError) as exc:
        raise ModelError(f"{model.name}: CTranslate2 conversion failed ({exc}); "
                         "use --backend transformers") from None
    return target
