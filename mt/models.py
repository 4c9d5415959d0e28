"""Which MarianMT model: the default chain, the shipped models, weight hashes, listing.

The chain: ``--model`` (a directory or a hub id), else ``MT_MODEL``, else the
best Arabic->English model pulled into the Hugging Face cache (``mt.hub``),
else the embedded model shipped with ``mt``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mt.errors import ModelError
from mt.paths import EMBEDDED_NAME, embedded_model, models_dir

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.bin")


@dataclass(frozen=True)
class ModelRef:
    """A model as the chain found it: its name, its folder, where it came from."""

    name: str  # for signatures: the directory's name or the hub id
    path: Path
    origin: str  # "--model", "MT_MODEL", "hub-cache" (pulled) or "embedded"
    revision: str | None = None  # the hub commit, for a hub model

    @property
    def load_id(self) -> str:
        """What ``from_pretrained`` and the converter are given."""
        return str(self.path)


def is_model_dir(path: Path) -> bool:
    """A folder holding a model's config.json (what ``save_pretrained`` writes)."""
    return (path / "config.json").is_file()


def _named(name: str, origin: str) -> ModelRef:
    """A directory, else a hub id: cached, or pulled now when online."""
    from mt import hub

    path = Path(name).expanduser()
    if path.exists():
        if not is_model_dir(path):
            raise ModelError(f"{name}: not a model directory (no config.json); give a "
                             "save_pretrained directory of a MarianMT model")
        check_model_dir(path)
        return ModelRef(path.resolve().name, path, origin)
    if hub.looks_like_hub_id(name):
        snapshot = hub.cached_snapshot(name) or hub.pull(name)
        return ModelRef(name, snapshot.path, origin, snapshot.revision)
    raise ModelError(f"{name}: no such model directory or hub id; run 'mt models list'")


def resolve_model(name: str | None = None) -> ModelRef:
    """The default chain: ``name`` (``--model``), ``MT_MODEL``, the best pulled
    Arabic->English model, the embedded model; checked before anything loads."""
    from mt import hub

    if name:
        return _named(name, "--model")
    if os.environ.get("MT_MODEL"):
        return _named(os.environ["MT_MODEL"], "MT_MODEL")
    pulled = hub.default_hub_model()
    if pulled is not None:
        return ModelRef(pulled.repo_id, pulled.path, "hub-cache", pulled.revision)
    default = embedded_model()
    if not is_model_dir(default):
        raise ModelError(
            f"no default model: {default} is missing; pass --model DIR|HUB_ID, set MT_MODEL "
            f"or run 'mt models pull {hub.PREFERRED[0]}'")
    return ModelRef(EMBEDDED_NAME, default, "embedded")


def embedded_notice() -> str:
    """What a user of the embedded model is told once (``-q`` silences it)."""
    from mt.hub import PREFERRED

    return (f"using the embedded model {EMBEDDED_NAME} (small, lower quality); for better "
            f"translations run 'mt models pull {PREFERRED[0]}' (or {PREFERRED[1]}); "
            "-q hides this")


def max_positions(model: ModelRef) -> int:
    """The longest sequence the checkpoint has position encodings for (512 when unsaid)."""
    config = model.path / "config.json"
    if not config.is_file():
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


def model_hash(path: Path, length: int = 12) -> str:
    """SHA-256 prefix of the model's weights (the config when no weights are found)."""
    found = [path / f for f in WEIGHT_FILES if (path / f).is_file()] or [path / "config.json"]
    stat = found[0].stat()
    return _file_hash(str(found[0]), stat.st_size, stat.st_mtime_ns)[:length]


@lru_cache(maxsize=16)
def _file_hash(path: str, size: int, modified: int) -> str:
    """A file's SHA-256, read once a process (the conversion's key and the signature both
    need it); ``size`` and ``modified`` are in the key so a rewritten file is read again."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def list_models() -> list[dict[str, object]]:
    """Embedded models, ``MT_MODEL`` and pulled hub models; ``default`` marks what a bare
    ``mt translate`` would use."""
    from mt import hub

    found: list[dict[str, object]] = []
    root = models_dir()
    if root.is_dir():
        for child in sorted(root.iterdir()):
            if is_model_dir(child):
                found.append({"name": child.name, "path": str(child), "source": "embedded",
                              "revision": None})
    env = os.environ.get("MT_MODEL")
    if env and not any(entry["name"] == env for entry in found):
        path = Path(env).expanduser()
        snapshot = None if path.exists() else hub.cached_snapshot(env)
        found.append({"name": env, "path": str(snapshot.path if snapshot else path),
                      "source": "MT_MODEL", "revision": snapshot.revision if snapshot else None})
    for snapshot in hub.pulled_models():
        if not any(entry["name"] == snapshot.repo_id for entry in found):
            found.append({"name": snapshot.repo_id, "path": str(snapshot.path),
                          "source": "hub-cache", "revision": snapshot.revision})
    try:
        default: str | None = resolve_model().name if not env else env
    except ModelError:
        default = None
    for entry in found:
        entry["default"] = entry["name"] == default
    return found
