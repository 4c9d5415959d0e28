"""MarianMT checkpoints in the Hugging Face hub cache: found, pulled, checked, removed.

The cache is the hub's own (``HF_HUB_CACHE``, else ``HF_HOME/hub``, else
``$XDG_CACHE_HOME/huggingface/hub``, else ``~/.cache/huggingface/hub``), in its
layout: ``models--ORG--NAME/refs/REF`` names a commit and
``models--ORG--NAME/snapshots/COMMIT/`` holds its files. Finding a model
never touches the network; only ``pull`` does, once, and its failures are one
line naming the id and the fix.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mt.errors import ModelError

log = logging.getLogger("mt")

# Arabic->English opus-mt checkpoints the default chain prefers, best first
# (BLEU 42.8 and 33.9 on FLORES-101).
PREFERRED = ("Helsinki-NLP/opus-mt-tc-big-ar-en", "Helsinki-NLP/opus-mt-ar-en")
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json")
MARIAN_TOKENIZER_FILES = (*TOKENIZER_FILES, "tokenizer_config.json")  # what a saved model copies
METADATA_FILES = ("config.json", "generation_config.json", "tokenizer_config.json",
                  "special_tokens_map.json", *TOKENIZER_FILES)
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")  # the first the repository has
HUB_TIMEOUT_S = 3.0  # per request (connect, each read): a silent hub fails fast
_DECLARED_PAIR = re.compile(r"(?:^|[-_])(?P<source>[a-z]{2,3})[-_](?P<target>[a-z]{2,3})$")
_PROBE_AR = "قال وزير الدفاع إن الحكومة أرسلت آلاف الحاويات من المساعدات إلى المدينة"
_PROBE_EN = "The defence minister said the government had sent thousands of containers of aid"


def hub_cache() -> Path:
    """The hub cache folder, from the variables huggingface_hub reads, read now."""
    explicit = os.environ.get("HF_HUB_CACHE") or os.environ.get("HUGGINGFACE_HUB_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    home = os.environ.get("HF_HOME") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "huggingface"
    return Path(home).expanduser() / "hub"


def offline() -> bool:
    """``HF_HUB_OFFLINE`` (or the older ``TRANSFORMERS_OFFLINE``), as huggingface_hub reads it."""
    value = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE") or ""
    return value.upper() in ("1", "ON", "YES", "TRUE")


def repo_folder(repo_id: str) -> Path:
    return hub_cache() / ("models--" + repo_id.replace("/", "--"))


def looks_like_hub_id(name: str) -> bool:
    owner, _, repo = name.partition("/")
    return bool(owner and repo) and "/" not in repo and not name.startswith((".", "~"))


@dataclass(frozen=True)
class Snapshot:
    """One cached revision of a hub model."""

    repo_id: str
    revision: str  # the commit
    path: Path

    @property
    def short_revision(self) -> str:
        return self.revision[:12]


def is_complete(path: Path) -> bool:
    """A loadable MarianMT checkpoint: config, both sentencepiece models, weights."""
    return all((path / name).is_file() for name in ("config.json", *TOKENIZER_FILES)) and any(
        (path / name).is_file() for name in WEIGHT_FILES)


def cached_snapshot(repo_id: str, revision: str | None = None) -> Snapshot | None:
    """The complete cached snapshot of ``repo_id`` at ``revision`` (a ref or a commit,
    default ``main``, else the newest snapshot), without the network."""
    folder = repo_folder(repo_id)
    snapshots = folder / "snapshots"
    if not snapshots.is_dir():
        return None
    wanted = revision or "main"
    ref = folder / "refs" / wanted
    commit = ref.read_text(encoding="utf-8").strip() if ref.is_file() else wanted
    candidates = [snapshots / commit] if (snapshots / commit).is_dir() else [
        path for path in snapshots.iterdir() if path.name.startswith(commit)]
    if not candidates and revision is None:  # pulled at a commit: no ref names it
        candidates = sorted(snapshots.iterdir(), key=lambda path: path.stat().st_mtime,
                            reverse=True)
    for path in candidates:
        if path.is_dir() and is_complete(path):
            return Snapshot(repo_id, path.name, path)
    return None


def _is_marian(path: Path) -> bool:
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return config.get("model_type") == "marian"


def check_arabic_to_english(path: Path, name: str) -> None:
    """Raise unless ``path`` holds a MarianMT whose source is Arabic and target English.

    The tokenisers decide: a side that knows a language cuts its words into few
    pieces. A joint vocabulary knows both; then the direction cannot be told and
    the model is taken. A name that declares another pair (``...-ar-fr``) is refused.
    """
    declared = _DECLARED_PAIR.search(name.rsplit("/", 1)[-1].lower())
    if declared and (declared["target"] not in ("en", "eng")
                     or declared["source"] in ("en", "eng")):
        raise ModelError(f"{name}: its name says {declared['source']}->{declared['target']}, "
                         f"not Arabic->English; pull one such as {PREFERRED[0]}")
    if not _is_marian(path):
        raise ModelError(f"{name}: not a MarianMT checkpoint (config.json has no "
                         "model_type 'marian'); give an Arabic->English MarianMT such as "
                         f"{PREFERRED[1]}")
    import sentencepiece as spm

    def pieces_per_word(side: str, text: str) -> float:
        model = spm.SentencePieceProcessor(model_file=str(path / f"{side}.spm"))
        return len(model.encode(text)) / len(text.split())

    source_ar, source_en = (pieces_per_word("source", t) for t in (_PROBE_AR, _PROBE_EN))
    target_ar, target_en = (pieces_per_word("target", t) for t in (_PROBE_AR, _PROBE_EN))
    if source_ar > 3 or target_en > 3 or source_en / source_ar < target_en / target_ar:
        raise ModelError(f"{name}: not Arabic->English (its source vocabulary cuts "
                         f"Arabic into {source_ar:.1f} pieces a word, its target English into "
                         f"{target_en:.1f}); pull an Arabic->English one such as {PREFERRED[0]}")


def pulled_models() -> list[Snapshot]:
    """The complete cached MarianMT checkpoints, one snapshot (``main`` or newest) a model."""
    cache = hub_cache()
    if not cache.is_dir():
        return []
    found = []
    for folder in sorted(cache.glob("models--*--*")):
        repo_id = folder.name.removeprefix("models--").replace("--", "/", 1)
        snapshot = cached_snapshot(repo_id)
        if snapshot is not None and _is_marian(snapshot.path):
            found.append(snapshot)
    return found


def _preference(snapshot: Snapshot) -> tuple[bool, bool, str]:
    """tc-big before base, Helsinki-NLP's before others, then by name."""
    repo_id = snapshot.repo_id
    return ("tc-big" not in repo_id, not repo_id.startswith("Helsinki-NLP/"), repo_id)


def default_hub_model() -> Snapshot | None:
    """The best pulled Arabic->English MarianMT (see ``_preference``), or None."""
    for snapshot in sorted(pulled_models(), key=_preference):
        try:
            check_arabic_to_english(snapshot.path, snapshot.repo_id)
        except (ModelError, OSError):
            continue
        return snapshot
    return None


def _bounded(request: Any) -> None:
    """An httpx request hook: huggingface_hub asks the hub for a repository's
    metadata with no timeout at all, so a hub that accepts the connection and
    never answers would hang the command; such requests get ``HUB_TIMEOUT_S``."""
    timeout = request.extensions.get("timeout") or {}
    if all(value is None for value in timeout.values()):
        request.extensions["timeout"] = dict.fromkeys(("connect", "read", "write", "pool"),
                                                      HUB_TIMEOUT_S)


def download(repo_id: str, revision: str | None, patterns: list[str], cache: Path) -> Path:
    """The files of ``repo_id`` matching ``patterns`` into ``cache``; the snapshot folder.

    huggingface_hub's own download (its progress bars on a terminal), with a
    timeout on every request it sends without one (see ``_bounded``).
    """
    from huggingface_hub import get_session, snapshot_download

    session = get_session()
    hooks = session.event_hooks
    if _bounded not in hooks["request"]:
        hooks["request"].append(_bounded)
        session.event_hooks = hooks
    return Path(snapshot_download(repo_id, revision=revision, allow_patterns=patterns,
                                  cache_dir=cache))


def _hub_error(repo_id: str, revision: str | None, exc: Exception) -> ModelError:
    """One line naming the id and the fix, for whatever the hub answered."""
    from huggingface_hub.errors import (
        GatedRepoError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    fallback = "or pass --model DIR (a save_pretrained folder)"
    if isinstance(exc, RevisionNotFoundError):
        return ModelError(f"{repo_id}: no revision {revision!r} on the Hugging Face hub; "
                          f"check --revision, {fallback}")
    if isinstance(exc, GatedRepoError):
        return ModelError(f"{repo_id}: gated on the Hugging Face hub; accept its terms and "
                          f"log in (hf auth login), {fallback}")
    if isinstance(exc, RepositoryNotFoundError):
        return ModelError(f"{repo_id}: no such model on the Hugging Face hub (or it is private); "
                          f"check the id, {fallback}")
    if isinstance(exc, LocalEntryNotFoundError) or offline():
        why = "HF_HUB_OFFLINE is set" if offline() else "the hub cannot be reached"
        return ModelError(f"{repo_id}: not in the local cache ({hub_cache()}) and {why}; "
                          f"check the id, run 'mt models pull {repo_id}' when online, "
                          f"{fallback}")
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ModelError(f"{repo_id}: download failed ({first}); check the id and the network, "
                      f"run 'mt models pull {repo_id}' again, {fallback}")


def pull(repo_id: str, revision: str | None = None) -> Snapshot:
    """Download a MarianMT checkpoint into the hub cache and check it is Arabic->English.

    The small files come first and are checked before any weights are fetched; a
    model that fails the check leaves no trace in the cache unless it was there
    before.
    """
    if not looks_like_hub_id(repo_id):
        raise ModelError(f"{repo_id}: not a hub id; give ORG/NAME, e.g. {PREFERRED[0]}")
    cache = hub_cache()
    existed = repo_folder(repo_id).exists()
    try:
        path = download(repo_id, revision, list(METADATA_FILES), cache)
        try:
            check_arabic_to_english(path, repo_id)
        except (ModelError, OSError):
            if not existed:
                shutil.rmtree(repo_folder(repo_id), ignore_errors=True)
            raise
        commit = path.name  # later downloads stay on this commit
        for weights in WEIGHT_FILES:
            if (download(repo_id, commit, [weights], cache) / weights).is_file():
                break
    except ModelError:
        raise
    except Exception as exc:  # noqa: BLE001 - every hub failure becomes one line
        raise _hub_error(repo_id, revision, exc) from None
    snapshot = cached_snapshot(repo_id, commit)
    if snapshot is None:
        raise ModelError(f"{repo_id}: the repository has no {' or '.join(WEIGHT_FILES)}; "
                         "pull a MarianMT checkpoint with PyTorch weights")
    return snapshot


def remove(repo_id: str) -> Path:
    """Delete every cached revision of ``repo_id``; the folder removed."""
    folder = repo_folder(repo_id)
    if not folder.is_dir():
        raise ModelError(f"{repo_id}: not in the hub cache ({hub_cache()}); "
                         "see 'mt models list'")
    try:
        if folder.is_symlink():  # the cache entry is the link: what it points to is not ours
            folder.unlink()
        else:
            shutil.rmtree(folder)
    except OSError as exc:
        raise ModelError(f"{folder}: cannot remove ({exc.strerror or exc}); check its "
                         "permissions") from None
    return folder
