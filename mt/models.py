"""Finding MarianMT models: ``--model``, ``MT_MODEL``, the embedded default, the hub cache."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from mt.errors import ModelError

EMBEDDED_NAME = "ar-en-small"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.bin")


def models_dir() -> Path:
    """Where embedded models live: ``MT_MODELS_DIR`` or the repository's ``models/``."""
    override = os.environ.get("MT_MODELS_DIR")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "models"


def cache_root() -> Path:
    """Where ``mt`` caches what it derives (conversions, tools): ``MT_CACHE`` or ~/.cache/mt."""
    return Path(os.environ.get("MT_CACHE", Path.home() / ".cache" / "mt"))


def embedded_model() -> Path:
    return models_dir() / EMBEDDED_NAME


@dataclass(frozen=True)
class ModelRef:
    """A model as the user named it and where it was found."""

    name: str  # for signatures: the directory's name or the hub id
    path: Path | None  # None: a hub id not in the local cache (transformers downloads it)

    @property
    def load_id(self) -> str:
        """What ``from_pretrained`` should be given."""
        return str(self.path) if self.path is not None else self.name


def _is_model_dir(path: Path) -> bool:
    return (path / "config.json").is_file()


def _hub_cache_path(repo_id: str) -> Path | None:
    """The cached snapshot of a hub model, without touching the network."""
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(repo_id, local_files_only=True))
    except Exception:  # noqa: BLE001 - any failure means "not cached"
        return None


def resolve_model(name: str | None) -> ModelRef:
    """``--model`` or ``MT_MODEL`` or the embedded default, checked before loading."""
    name = name or os.environ.get("MT_MODEL") or None
    if name is None:
        default = embedded_model()
        if not _is_model_dir(default):
            raise ModelError(
                f"no default model: {default} is missing; pass --model DIR|HUB_ID "
                "(e.g. --model Helsinki-NLP/opus-mt-ar-en) or set MT_MODEL"
            )
        return ModelRef(EMBEDDED_NAME, default)
    path = Path(name).expanduser()
    if path.exists():
        if not _is_model_dir(path):
            raise ModelError(f"{name}: not a model directory (no config.json); give a "
                             "save_pretrained directory of a MarianMT model")
        check_model_dir(path)
        return ModelRef(path.resolve().name, path)
    if name.count("/") == 1 and not name.startswith((".", "/")):
        return ModelRef(name, _hub_cache_path(name))
    raise ModelError(f"{name}: no such model directory or hub id; run 'mt models list'")


def max_positions(model: ModelRef) -> int:
    """The longest sequence the checkpoint has position encodings for (512 when unsaid)."""
    config = model.path / "config.json" if model.path is not None else None
    if config is None or not config.is_file():
        return 512
    import json

    try:
        return int(json.loads(config.read_text("utf-8")).get("max_position_embeddings", 512))
    except (ValueError, TypeError, AttributeError):
        raise ModelError(f"{config}: not a readable model config; restore config.json "
                         "from the model's source") from None


def _safetensors_complete(path: Path) -> bool:
    """Whether a safetensors file is as long as its own header says (not cut short)."""
    import json
    import struct

    try:
        with path.open("rb") as stream:
            (length,) = struct.unpack("<Q", stream.read(8))
            if length > 100_000_000:
                return False
            header = json.loads(stream.read(length))
        ends = [entry["data_offsets"][1] for key, entry in header.items()
                if key != "__metadata__"]
    except (struct.error, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return False
    return path.stat().st_size >= 8 + length + max(ends, default=0)


def check_model_dir(path: Path) -> None:
    """A local MarianMT folder with what loading needs, checked before any slow import."""
    import json

    try:
        config = json.loads((path / "config.json").read_text("utf-8"))
    except (OSError, ValueError):
        config = None
    if not isinstance(config, dict):
        raise ModelError(f"{path}/config.json: not a readable model config; copy the model "
                         "folder again")
    missing = [name for name in ("source.spm", "target.spm") if not (path / name).is_file()]
    if missing:
        raise ModelError(f"{path}: incomplete model folder (no {', '.join(missing)}); copy "
                         "the whole save_pretrained folder with its tokenizer files")
    weights = [path / name for name in WEIGHT_FILES if (path / name).is_file()]
    if not weights:
        raise ModelError(f"{path}: no weights ({' or '.join(WEIGHT_FILES)}); copy the "
                         "whole model folder")
    if weights[0].suffix == ".safetensors" and not _safetensors_complete(weights[0]):
        raise ModelError(f"{weights[0]}: truncated or damaged weights; copy the model "
                         "folder again")


def model_hash(path: Path | None, length: int = 12) -> str:
    """SHA-256 prefix of the model's weights (the config when no weights are found)."""
    if path is None:
        return "unknown"
    digest = hashlib.sha256()
    found = [path / f for f in WEIGHT_FILES if (path / f).is_file()] or [path / "config.json"]
    with found[0].open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:length]


def list_models() -> list[dict[str, object]]:
    """Embedded models, ``MT_MODEL`` and cached opus-mt hub models, the default marked."""
    default = os.environ.get("MT_MODEL") or EMBEDDED_NAME
    found: list[dict[str, object]] = []
    root = models_dir()
    if root.is_dir():
        for child in sorted(root.iterdir()):
            if _is_model_dir(child):
                found.append({"name": child.name, "path": str(child), "source": "embedded"})
    env = os.environ.get("MT_MODEL")
    if env and not any(entry["name"] == env for entry in found):
        path = Path(env)
        found.append({"name": env, "path": str(path) if path.exists() else
                      str(_hub_cache_path(env) or ""), "source": "MT_MODEL"})
    hub = Path(os.environ.get("HF_HUB_CACHE") or Path(
        os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface")) / "hub")
    if hub.is_dir():
        for cached in sorted(hub.glob("models--*--opus-mt-*")):
            repo_id = cached.name.removeprefix("models--").replace("--", "/")
            if not any(item["name"] == repo_id for item in found):
                found.append({"name": repo_id, "path": str(_hub_cache_path(repo_id) or cached),
                              "source": "hub-cache"})
    for entry in found:
        entry["default"] = entry["name"] == default
    return found
