"""Translated files that ``/translate_file`` made, held for ``/download_file``.

LibreTranslate answers a file with the address to download it from; its
clients fetch it at once, so the last few are kept in memory (nothing is
written to disk) under a name no one can guess.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from urllib.parse import quote


class Downloads:
    """The last ``kept`` files, each under a random name with the file's own suffix."""

    def __init__(self, kept: int) -> None:
        self.kept = kept
        self._files: OrderedDict[str, tuple[str, bytes]] = OrderedDict()

    def put(self, name: str, data: bytes) -> str:
        """Hold ``data`` (downloaded as ``name``); returns the name to download it by."""
        shown = name.replace("\\", "/").rsplit("/", 1)[-1] or "translated"
        suffix = shown.rsplit(".", 1)[-1] if "." in shown else ""
        key = secrets.token_urlsafe(16) + (f".{suffix}" if suffix.isascii()
                                           and suffix.isalnum() else "")
        self._files[key] = (shown, data)
        while len(self._files) > self.kept:
            self._files.popitem(last=False)
        return key

    def get(self, key: str) -> tuple[str, bytes] | None:
        """The file's own name and bytes, or None when it is unknown or no longer kept."""
        return self._files.get(key)


def content_disposition(name: str) -> str:
    """An attachment header for ``name``, any script in it (RFC 6266 ``filename*``)."""
    plain = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
                    for c in name)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
