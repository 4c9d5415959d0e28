"""What the server does with a request, built on the library functions the CLI uses.

Every method that touches a model runs on the one ``ModelWorker`` thread:
the HTTP side only parses, validates and waits (see ``mt.serve.app``).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

from mt.arabic import ARABIC_LETTER_RE, LATIN_LETTER_RE
from mt.check import Finding
from mt.errors import InputError
from mt.glossary import Glossary
from mt.quality import estimator_for, with_quality
from mt.segment import split_sentences
from mt.serve.worker import Busy, ModelWorker
from mt.translate import BEAM_SIZE, Scored, Translator
from mt.types import Span, TraceDocument

T = TypeVar("T")
# Sentences translated between two progress reports: small enough for a progress bar
# on an ordinary article, as large as the translator's biggest batch (32 sentences).
PROGRESS_WINDOW = 32


@dataclass(frozen=True)
class Limits:
    """What one request may ask for."""

    max_chars: int = 200_000  # characters of text in one request
    read_timeout: float = 30.0  # seconds to receive a request body
    max_queue: int = 32  # requests waiting for the model before new ones get 503
    max_items: int = 1000  # texts in one /translate list, lines in one /v1/translate lines
    # request (each costs a model call's share)

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


def detect(text: str) -> list[dict[str, Any]]:
    """LibreTranslate's detections of ``text``, likeliest first, confidence in percent:
    Arabic by the share of its letters that are Arabic, else English for Latin letters;
    ``ar`` comes first only where most letters are Arabic (no letters: ``en``, 0)."""
    letters = len(ARABIC_LETTER_RE.findall(text)) + len(LATIN_LETTER_RE.findall(text))
    if not letters:
        return [{"language": "en", "confidence": 0.0}]
    share = arabic_share(text)
    found: list[dict[str, Any]] = [{"language": "ar", "confidence": round(100 * share, 1)},
             {"language": "en", "confidence": round(100 * (1 - share), 1)}]
    ranked = found if share > 0.5 else found[::-1]
    return [one for one in ranked if one["confidence"] > 0]


class Service:
    """One model, the sentence encoder and the word aligner behind one queue.

    Two translators over the one loaded model, one per configuration served:
    ``translator`` (word links, as ``mt translate --format json``) for traces
    and documents, and a plain one (no aligner; attention only where facts are put right
    by it) for the English of ``/translate``.
    """

    def __init__(self, translator: Translator, model_name: str,
                 limits: Limits | None = None) -> None:
        self.translator = translator
        self.model_name = model_name
        self.limits = limits or Limits()
        self.worker = ModelWorker(self.limits.max_queue)
        self._plain = Translator(translator.backend.configured(attention=translator.facts),
                                 translator.options, facts=translator.facts,
                                 glossary=translator.glossary)
        self.quality = estimator_for(translator)  # rates the segments of every trace
        self._pending: list[tuple[list[str], Future[list[str]]]] = []
        self._pending_lock = threading.Lock()

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

    async def translate_texts(self, texts: list[str]) -> list[str]:
        """Plain translations; requests waiting at the same time share one batch.

        The first waiting request queues a job on the model thread; those that
        arrive before it starts join it (at most ``max_queue`` of them).
        """
        future: Future[list[str]] = Future()
        with self._pending_lock:
            if len(self._pending) >= self.limits.max_queue:
                raise Busy(f"{self.limits.max_queue} requests are already waiting")
            self._pending.append((texts, future))
            if len(self._pending) == 1:
                try:
                    self.worker.submit(self._translate_pending)
                except Busy:
                    self._pending.pop()
                    raise
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            future.cancel()
            raise

    # The jobs below run on the model thread.

    def translate(self, text: str, lines: bool = False,
                  progress: Callable[[int], None] | None = None,
                  terms: Sequence[tuple[str, str]] = ()) -> TraceDocument:
        """The trace document of ``mt translate --format json`` (``--lines`` with ``lines``);
        ``terms`` come before the server's glossary, for this request alone."""
        from mt.trace import trace_translation

        translator = self._with_terms(terms) if terms else self.translator
        method = translator.translate_lines if lines else translator.translate_document
        return trace_translation(with_quality(method(text, progress=progress), self.quality),
                                 translator.glossary)

    def with_alternatives(self, document: TraceDocument, n: int) -> dict[str, Any]:
        """``document``'s JSON, each translated segment given up to ``n`` other translations
        of its Arabic from the beam's n best (``[{text, score}]``, best first) when ``n``."""
        data = document.to_json()
        if not n:
            return data
        translated = [(segment, shown) for segment, shown in zip(
            document.segments, data["segments"], strict=True)
            if segment.source is not None and segment.target is not None]
        # From a wider beam: its n best hold the segment's own English and duplicates.
        ranked = self.nbest([segment.source.slice(document.source_text)
                             for segment, _ in translated if segment.source is not None],
                            2 * n + 1)
        for (segment, shown), hypotheses in zip(translated, ranked, strict=True):
            own = "" if segment.target is None else segment.target.slice(document.target_text)
            shown["alternatives"] = [{"text": h.text, "score": h.score} for h in hypotheses
                                     if h.text and h.text != own][:n]
        return data

    def _with_terms(self, terms: Sequence[tuple[str, str]]) -> Translator:
        """The traced translator over the same model, with a request's terms."""
        served = self.translator.glossary
        glossary = Glossary("request" if served is None else f"request+{served.name}",
                            [*terms, *(() if served is None else served.terms)])
        return Translator(self.translator.backend, self.translator.options,
                          self.translator.aligner, self.translator.facts, glossary)

    def _translate_pending(self) -> None:
        with self._pending_lock:
            batch, self._pending = self._pending, []
        batch = [(texts, future) for texts, future in batch
                 if future.set_running_or_notify_cancel()]
        try:
            self._answer(batch)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting requests
            if len(batch) == 1:
                batch[0][1].set_exception(exc)
                return
            # One request's text failed the shared batch: each alone, so only it fails.
            for one in batch:
                try:
                    self._answer([one])
                except BaseException as alone:  # noqa: BLE001
                    one[1].set_exception(alone)

    def _answer(self, batch: list[tuple[list[str], Future[list[str]]]]) -> None:
        english = self.translate_many([text for texts, _ in batch for text in texts])
        position = 0
        for texts, future in batch:
            future.set_result(english[position:position + len(texts)])
            position += len(texts)

    def translate_many(self, texts: Sequence[str]) -> list[str]:
        """The English of each text, as ``mt translate`` prints it alone.

        The sentences of all the texts are translated as one document, so that
        they share batches, and the English is cut apart at the texts' segments.
        A text with no sentence (blank) comes back as it is.
        """
        parts: list[str] = []
        spans: list[Span] = []
        owners: list[int] = []
        offset = 0
        for number, text in enumerate(texts):
            if number:
                parts.append("\n")
                offset += 1
            for sentence in split_sentences(text, "ar"):
                spans.append(sentence.span.shift(offset))
                owners.append(number)
            parts.append(text)
            offset += len(text)
        document = self._plain.translate_spans("".join(parts), spans)
        covered: dict[int, Span] = {}
        for owner, segment in zip(owners, document.segments, strict=True):
            assert segment.target is not None
            first = covered.get(owner, segment.target)
            covered[owner] = Span(first.start, segment.target.end)
        return [covered[k].slice(document.target_text) if k in covered else text
                for k, text in enumerate(texts)]

    def nbest(self, texts: Sequence[str], n: int) -> list[list[Scored]]:
        """The beam's ``n`` best distinct translations of each text (``Translator.nbest``)."""
        return self._plain.nbest(texts, n)

    def translate_file(self, data: bytes, name: str) -> bytes:
        """A document (text, HTML, DOCX, SRT, Markdown by ``name``'s suffix) translated and
        written back in its format, as ``mt translate FILE -o OUT`` writes it."""
        from mt.documents import DOCUMENT_FORMATS, document_format, translate_parsed
        from mt.inputs import decode_text

        fmt = document_format(name)
        reader = DOCUMENT_FORMATS[fmt].reader
        if reader is None:
            text = decode_text(data, name)
            self._check_size(name, text)
            return self.translator.translate_document(text).target_text.encode("utf-8")
        parsed = reader(data, name)
        self._check_size(name, "".join(unit.text for unit in parsed.units))
        return translate_parsed(self.translator, parsed, name).output

    def _check_size(self, name: str, text: str) -> None:
        if len(text) > self.limits.max_chars:
            raise InputError(f"{name}: {len(text):,} characters of text, over this server's "
                             f"limit of {self.limits.max_chars:,}; send it in parts or start "
                             "mt serve with a larger --max-chars")

    def translate_html(self, markup: str) -> str:
        """HTML translated as ``mt translate page.html`` does: structure and inline markup kept."""
        from mt.documents import translate_parsed
        from mt.documents.html import HtmlDocument

        # Already text: a byte-order mark says UTF-8, whatever its <meta charset> claims.
        parsed = HtmlDocument(("\ufeff" + markup).encode("utf-8"), "q")
        output = translate_parsed(self.translator, parsed, "q").output
        return output.decode("utf-8").removeprefix("\ufeff")

    @staticmethod
    def align(arabic: str, english: str) -> TraceDocument:
        """The trace document of ``mt align AR EN --format json``."""
        from mt.align.document import align_documents

        return align_documents(arabic, english)

    @staticmethod
    def check(document: TraceDocument, include_ok: bool = False,
              similarity: bool = True) -> list[Finding]:
        """The findings of ``mt check TRACE.json`` (``--all``, ``--no-similarity``)."""
        from mt.check import check

        return check(document, similarity, include_ok)

    @staticmethod
    def report(document: TraceDocument, title: str) -> str:
        """The HTML report of ``mt translate --format html``, findings checked."""
        from mt.report import report

        return report(document, title=title)

    def describe(self) -> dict[str, Any]:
        """The loaded model, for ``/v1/models`` and ``/healthz``."""
        return {"name": self.model_name, "signature": self.translator.signature}


def load_service(model: str | None = None, limits: Limits | None = None, beam: int = BEAM_SIZE,
                 threads: int | None = None, backend: str = "auto",
                 compute_type: str = "int8", word_links: str = "aligner",
                 device: str = "auto", glossary: str | None = None) -> Service:
    """Load the translator once (as ``mt translate`` would) and put it behind a queue;
    ``glossary`` is a file every request's terms are enforced from."""
    from mt.glossary import read_glossary
    from mt.models import resolve_model
    from mt.translate import load_translator

    translator = load_translator(model, beam_size=beam, threads=threads, backend=backend,
                                 compute_type=compute_type, word_links=word_links,
                                 device=device, window=PROGRESS_WINDOW,
                                 glossary=None if glossary is None else read_glossary(glossary))
    return Service(translator, resolve_model(model).name, limits)
