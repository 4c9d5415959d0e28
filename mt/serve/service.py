"""What the server does with a request, built on the library functions the CLI uses.

Every method that touches a model runs on the one ``ModelWorker`` thread:
the HTTP side only parses, validates and waits (see ``mt.serve.app``).
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from mt.arabic import ARABIC_LETTER_RE, LATIN_LETTER_RE
from mt.check import Finding
from mt.serve.worker import ModelWorker
from mt.translate import Translator
from mt.types import TraceDocument

T = TypeVar("T")
# Sentences translated between two progress reports: small enough for a progress bar
# on an ordinary article, as large as the translator's biggest batch (32 sentences).
PROGRESS_WINDOW = 32
# Markup whose text is not prose: comments, scripts and styles pass through untouched.
_MARKUP_RE = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)


@dataclass(frozen=True)
class Limits:
    """What one request may ask for."""

    max_chars: int = 200_000  # characters of text in one request
    read_timeout: float = 30.0  # seconds to receive a request body
    max_queue: int = 32  # requests waiting for the model before new ones get 503

    @property
    def max_body_bytes(self) -> int:
        # A trace document carries the texts (up to 6 bytes a character when
        # \u-escaped) plus its links and spans: 32 bytes an allowed character.
        return 32 * self.max_chars + 65536


def arabic_share(text: str) -> float:
    """The share of letters in ``text`` that are Arabic (0 when it has no letters)."""
    arabic = len(ARABIC_LETTER_RE.findall(text))
    letters = arabic + len(LATIN_LETTER_RE.findall(text))
    return arabic / letters if letters else 0.0


class Service:
    """One translator, the sentence encoder and the word aligner behind one queue."""

    def __init__(self, translator: Translator, model_name: str,
                 limits: Limits | None = None) -> None:
        self.translator = translator
        self.model_name = model_name
        self.limits = limits or Limits()
        self.worker = ModelWorker(self.limits.max_queue)

    async def run(self, job: Callable[[], T]) -> T:
        """Queue ``job`` for the model thread and wait for it without blocking the loop."""
        future = self.worker.submit(job)
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            future.cancel()  # the client left: drop the job if it has not started
            raise

    def close(self) -> None:
        self.worker.close()

    # The jobs below run on the model thread.

    def translate(self, text: str, lines: bool = False,
                  progress: Callable[[int], None] | None = None) -> TraceDocument:
        """The trace document of ``mt translate --format json`` (``--lines`` with ``lines``)."""
        method = self.translator.translate_lines if lines else self.translator.translate_document
        return method(text, progress=progress)

    def translate_plain(self, texts: Sequence[str], markup: bool = False) -> list[str]:
        """The English of each text as ``mt translate`` prints it; ``markup``: HTML kept."""
        translate = self._translate_html if markup else self._translate_text
        return [translate(text) for text in texts]

    def _translate_text(self, text: str) -> str:
        if not text.strip():
            return text
        return self.translator.translate_document(text).target_text

    def _translate_html(self, markup: str) -> str:
        """Text between tags translated, tags, comments, scripts and styles kept as they are."""
        out: list[str] = []
        position = 0
        for match in _MARKUP_RE.finditer(markup):
            out.append(self._translate_html_text(markup[position:match.start()]))
            out.append(match.group())
            position = match.end()
        out.append(self._translate_html_text(markup[position:]))
        return "".join(out)

    def _translate_html_text(self, escaped: str) -> str:
        text = html.unescape(escaped)
        if not ARABIC_LETTER_RE.search(text):
            return escaped
        core = text.strip()
        lead, tail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        return lead + html.escape(self._translate_text(core), quote=False) + tail

    @staticmethod
    def align(arabic: str, english: str) -> TraceDocument:
        """The trace document of ``mt align AR EN --format json``."""
        from mt.align.document import align_documents

        return align_documents(arabic, english)

    @staticmethod
    def check(document: TraceDocument, include_ok: bool = False,
              similarity: bool = True) -> list[Finding]:
        """The findings of ``mt check TRACE.json`` (``--all``, ``--no-similarity``)."""
        from mt.align.document import load_encoder
        from mt.check import check_document

        encoder = load_encoder() if similarity else None
        return check_document(document, encoder, include_ok=include_ok)

    @staticmethod
    def report(document: TraceDocument, title: str) -> str:
        """The HTML report of ``mt translate --format html``, findings checked."""
        from mt.report import render_html

        return render_html(document, title=title)

    def describe(self) -> dict[str, Any]:
        """The loaded model, for ``/v1/models`` and ``/healthz``."""
        return {"name": self.model_name, "signature": self.translator.signature}


def load_service(model: str | None = None, limits: Limits | None = None, beam: int = 4,
                 threads: int | None = None, backend: str = "auto",
                 compute_type: str = "int8", word_links: str = "attention") -> Service:
    """Load the translator once (as ``mt translate`` would) and put it behind a queue."""
    from mt.models import resolve_model
    from mt.translate import load_translator

    translator = load_translator(model, beam_size=beam, threads=threads, backend=backend,
                                 compute_type=compute_type, word_links=word_links)
    translator.window = PROGRESS_WINDOW
    return Service(translator, resolve_model(model).name, limits)
