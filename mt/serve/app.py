"""The HTTP face of ``mt serve``: LibreTranslate's routes, mt's ``/v1`` and the page.

Handlers parse and validate on the event loop and hand the model work to the
service's single worker thread, so a slow or large request never blocks the
others' I/O. Every failure is answered ``{"error": "..."}`` with a 4xx (a
503 when the queue is full), never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import mimetypes
import os
import re
import threading
from collections.abc import AsyncIterator, Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException

from mt._version import __version__
from mt.errors import MtError
from mt.report import ICON_LINK, ICON_SVG, POLICY, SCRIPT_SOURCE, script_hash
from mt.segment import split_lines, split_sentences
from mt.serve.bodies import (
    FILE_SCHEMA,
    FILE_SUFFIXES,
    TRACE_SCHEMA,
    AlignRequest,
    ApiError,
    DetectRequest,
    LibreTranslateRequest,
    TranslateRequest,
    check_text,
    read_file_form,
    read_object,
    request_schema,
    trace_document,
    validate,
)
from mt.serve.downloads import Downloads, content_disposition
from mt.serve.service import Service, detect
from mt.serve.worker import Busy, stop_when

log = logging.getLogger("mt.serve")
LANGUAGES = [{"code": "ar", "name": "Arabic", "targets": ["en"]},
             {"code": "en", "name": "English", "targets": []}]
# No HTML answer may be framed by another site (clickjacking).
NO_FRAMING = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"}
DISCONNECT_POLL = 0.5  # seconds between checks that a waiting client is still there
DOWNLOADS_KEPT = 32  # translated files held (in memory) for /download_file
OPTIONS_VARIABLE = "MT_SERVE_OPTIONS"  # how ``--workers N`` hands the options to each process


def _served(source: str, target: str) -> None:
    if source not in ("ar", "auto"):
        raise ApiError(400, f"source: {source!r} is not served; this server translates "
                            'Arabic: use "ar" or "auto"')
    if target != "en":
        raise ApiError(400, f"target: {target!r} is not served; this server translates into "
                            'English: use "en"')


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _page() -> tuple[str, str]:
    """The page and its Content-Security-Policy.

    Only the page's own script runs, and the report's inside its ``srcdoc`` frame
    (which inherits this policy), each named by its hash; it fetches from this
    server only and no other site may frame it.
    """
    page = resources.files("mt.serve").joinpath("page.html").read_text(encoding="utf-8")
    page = page.replace("<!-- icon -->", ICON_LINK, 1)
    scripts = " ".join(script_hash(script) for script in
                       re.findall(r"<script>(.*?)</script>", page, re.DOTALL))
    return page, (f"default-src 'self'; script-src {scripts} {SCRIPT_SOURCE}; "
                  "style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")


def _html(content: str, policy: str) -> HTMLResponse:
    return HTMLResponse(content, headers={"Content-Security-Policy": policy, **NO_FRAMING})


def _check_items(field: str, count: int, unit: str, most: int) -> None:
    """A 413 for more texts (list items, lines) than one request may carry: each costs a
    model call's share of the single worker."""
    if count > most:
        raise ApiError(413, f"{field}: {count:,} {unit}, over this server's limit of {most:,} "
                            "a request; send them in several requests or start mt serve with "
                            "a larger --max-items")


def create_app(service: Service, api_keys: Iterable[str] = ()) -> FastAPI:
    """The application over ``service``; with ``api_keys`` the API requires one of them."""
    keys = tuple(api_keys)
    limits = service.limits
    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        service.close()

    app = FastAPI(title="mt", version=__version__, docs_url=None, redoc_url=None,
                  lifespan=lifespan,
                  description="Traceable Arabic-to-English translation: LibreTranslate's "
                              "/translate and /languages, and mt's trace documents under /v1. "
                              "Errors are {\"error\": \"...\"}.")
    page, page_policy = _page()
    downloads = Downloads(DOWNLOADS_KEPT)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.message)

    @app.exception_handler(Busy)
    async def busy(_: Request, exc: Busy) -> JSONResponse:
        return _error(503, f"server busy: {exc}; retry in a few seconds",
                      {"Retry-After": "5"})

    @app.exception_handler(MtError)
    async def mt_error(_: Request, exc: MtError) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return _error(exc.status_code, f"{request.method} {request.url.path}: {exc.detail}; "
                                       "the endpoints are listed in /openapi.json")

    @app.exception_handler(RequestValidationError)
    async def query_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return _error(400, f"{where}: {first['msg']}; see /openapi.json")

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        return _error(500, f"internal error ({type(exc).__name__}); the server log has the "
                           "details")

    def authorise(request: Request, body_key: str | None = None, missing: int = 401) -> None:
        """A key is required where the server has keys: none is ``missing`` (LibreTranslate's
        routes answer 400, as LibreTranslate does), a wrong one 403."""
        if not keys:
            return
        if "api_key" in request.query_params:  # a key in the URL ends up in every log
            raise ApiError(400, "api_key: not taken in the URL; send it in a header "
                                "(Authorization: Bearer KEY), and replace this key: it is logged")
        header = request.headers.get("authorization", "")
        given = (body_key or request.headers.get("x-api-key")
                 or (header[7:].strip() if header.lower().startswith("bearer ") else None))
        if not given:
            # Only LibreTranslate's routes (which pass body_key, "" when absent) read the body's.
            body = ', or "api_key" in the body' if body_key is not None else ""
            raise ApiError(missing, "api_key: missing; this server requires a key: send "
                                    f"Authorization: Bearer KEY or X-API-Key: KEY{body}")
        if not any(hmac.compare_digest(given.encode(), key.encode()) for key in keys):
            raise ApiError(403, "api_key: not a key this server accepts; check the key")

    async def body(request: Request, form: bool = False) -> dict[str, Any]:
        return await read_object(request, limits.max_body_bytes, limits.read_timeout, form)

    @app.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse,
                   include_in_schema=False)
    async def index() -> HTMLResponse:
        return _html(page, page_policy)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(ICON_SVG, media_type="image/svg+xml",
                        headers={"Cache-Control": "max-age=86400", **NO_FRAMING})

    @app.api_route("/healthz", methods=["GET", "HEAD"],
                   summary="Liveness, the loaded model and the queue")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", "model": service.describe(), "waiting": service.worker.waiting,
                "max_chars": limits.max_chars, "api_key_required": bool(keys)}

    @app.get("/languages", summary="LibreTranslate: the languages served")
    async def languages() -> list[dict[str, Any]]:
        return LANGUAGES

    @app.post("/translate", summary="LibreTranslate: translate text or HTML",
              openapi_extra=request_schema(LibreTranslateRequest, form=True))
    async def libretranslate(request: Request) -> dict[str, Any]:
        data = await body(request, form=True)
        key = data.get("api_key")  # the key before the body's faults: none told to strangers
        authorise(request, key if isinstance(key, str) else "", missing=400)
        asked = validate(LibreTranslateRequest, data)
        _served(asked.source, asked.target)
        if asked.alternatives and asked.format == "html":
            raise ApiError(400, "alternatives: not served with format html; ask for "
                                'alternatives with "format": "text"')
        texts = [asked.q] if isinstance(asked.q, str) else asked.q
        if not texts or (isinstance(asked.q, str) and not asked.q.strip()):
            raise ApiError(400, "q: empty; give the Arabic text to translate")
        _check_items("q", len(texts), "texts", limits.max_items)
        if sum(len(text) for text in texts) > limits.max_chars:
            check_text("q", "".join(texts), limits.max_chars)
        if asked.format == "html":
            english = await service.run(lambda: [service.translate_html(t) for t in texts])
        else:
            english = await service.translate_texts(texts)
        detected = [detect(text)[0] if asked.source == "auto"
                    else {"language": "ar", "confidence": 100.0} for text in texts]
        answer: dict[str, Any] = {"translatedText": english, "detectedLanguage": detected}
        if asked.alternatives:
            # From a wider beam: its n best hold translatedText's twin and duplicates.
            ranked = await service.run(lambda: service.nbest(texts, 2 * asked.alternatives + 1))
            answer["alternatives"] = [[h.text for h in hypotheses if h.text != chosen
                                       ][:asked.alternatives]
                                      for hypotheses, chosen in zip(ranked, english, strict=True)]
        if isinstance(asked.q, str):
            return {key: value[0] for key, value in answer.items()}
        return answer

    @app.post("/detect", summary="LibreTranslate: the language of a text (Arabic or English)",
              openapi_extra=request_schema(DetectRequest, form=True))
    async def detect_language(request: Request) -> list[dict[str, Any]]:
        data = await body(request, form=True)
        key = data.get("api_key")
        authorise(request, key if isinstance(key, str) else "", missing=400)
        asked = validate(DetectRequest, data)
        text = asked.q if isinstance(asked.q, str) else "\n".join(asked.q)
        check_text("q", text, limits.max_chars)
        return detect(text)

    @app.get("/frontend/settings", summary="LibreTranslate: the settings its web page reads")
    async def frontend_settings() -> dict[str, Any]:
        return {"charLimit": limits.max_chars, "frontendTimeout": 500,
                "apiKeys": bool(keys), "keyRequired": bool(keys), "suggestions": False,
                "filesTranslation": True, "supportedFilesFormat": list(FILE_SUFFIXES),
                "language": {"source": {"code": "ar", "name": "Arabic"},
                             "target": {"code": "en", "name": "English"}}}

    @app.post("/translate_file", summary="LibreTranslate: translate a document; the answer "
                                         "names where to download it",
              openapi_extra=FILE_SCHEMA)
    async def translate_file(request: Request) -> dict[str, Any]:
        fields = await read_file_form(request, limits.max_body_bytes, limits.read_timeout)
        authorise(request, fields.api_key or "", missing=400)
        _served(fields.source, fields.target)
        if Path(fields.name).suffix.lower() not in FILE_SUFFIXES:
            raise ApiError(400, f"file: {fields.name!r}: file format not supported; send one of "
                                f"{', '.join(FILE_SUFFIXES)}")
        output = await service.run(lambda: service.translate_file(fields.data, fields.name))
        name = downloads.put(fields.name, output)
        return {"translatedFileUrl": str(request.url_for("download_file", name=name))}

    @app.get("/download_file/{name}", summary="LibreTranslate: a file /translate_file made")
    async def download_file(name: str) -> Response:
        found = downloads.get(name)
        if found is None:
            raise ApiError(404, f"{name}: no such translated file (they are kept for the last "
                                f"{DOWNLOADS_KEPT} files only); translate it again")
        shown, data = found
        return Response(data, media_type=mimetypes.guess_type(shown)[0]
                        or "application/octet-stream",
                        headers={"Content-Disposition": content_disposition(shown),
                                 "X-Content-Type-Options": "nosniff"})

    @app.post("/v1/translate", summary="The trace document of a translation",
              openapi_extra=request_schema(TranslateRequest))
    async def translate(request: Request) -> Response:
        authorise(request)
        asked = validate(TranslateRequest, await body(request))
        text = asked.document()
        field = "q" if asked.q is not None else "text"
        check_text(field, text, limits.max_chars)
        if asked.lines:  # each line a text, as a /translate list's items are
            _check_items(field, len(split_lines(text)), "lines", limits.max_items)
        if not asked.stream:
            gone = threading.Event()
            watcher = asyncio.ensure_future(_watch_disconnect(request, gone))
            try:
                answer = await service.run(lambda: service.with_alternatives(
                    service.translate(text, asked.lines, stop_when(gone),
                                      asked.glossary or ()), asked.alternatives))
            finally:
                watcher.cancel()
            return JSONResponse(answer)
        return StreamingResponse(_progress_events(service, text, asked.lines,
                                                 asked.glossary or (), asked.alternatives),
                                 media_type="application/x-ndjson")

    @app.post("/v1/align", summary="Align Arabic with its existing English: a trace document",
              openapi_extra=request_schema(AlignRequest))
    async def align(request: Request) -> dict[str, Any]:
        authorise(request)
        asked = validate(AlignRequest, await body(request))
        check_text("arabic", asked.arabic, limits.max_chars)
        check_text("english", asked.english, limits.max_chars)
        document = await service.run(lambda: service.align(asked.arabic, asked.english))
        return document.to_json()

    @app.post("/v1/check", summary="Findings of a trace document (mt check)",
              openapi_extra=TRACE_SCHEMA)
    async def check(request: Request, include_ok: bool = Query(False, alias="all"),
                    similarity: bool = True) -> dict[str, Any]:
        authorise(request)
        document = trace_document(await body(request), limits.max_chars)
        findings = await service.run(lambda: service.check(document, include_ok, similarity))
        return {"findings": [{**f.to_json(), "segment": f.segment} for f in findings],
                "failing": any(f.fails for f in findings)}

    @app.post("/v1/report", summary="The side-by-side HTML report of a trace document",
              openapi_extra=TRACE_SCHEMA, response_class=HTMLResponse)
    async def report(request: Request, title: str = "mt trace") -> HTMLResponse:
        authorise(request)
        document = trace_document(await body(request), limits.max_chars)
        return _html(await service.run(lambda: service.report(document, title)),
                     POLICY + "; frame-ancestors 'none'")

    @app.get("/v1/models", summary="Models known locally, and the one loaded")
    async def models(request: Request) -> dict[str, Any]:
        from mt.models import list_models

        authorise(request)
        return {"loaded": service.describe(), "models": list_models()}

    return app


async def _watch_disconnect(request: Request, gone: threading.Event) -> None:
    """Set ``gone`` when the client of ``request`` disconnects (polled: ASGI has no callback)."""
    while not await request.is_disconnected():
        await asyncio.sleep(DISCONNECT_POLL)
    gone.set()


def _progress_events(service: Service, text: str, lines: bool,
                     terms: Sequence[tuple[str, str]],
                     alternatives: int = 0) -> AsyncIterator[bytes]:
    """NDJSON: ``queued``, then ``progress`` as sentences are done, then ``result``.

    The job is queued now, so a full queue is still answered 503 before streaming;
    a client that leaves stops its job at the next progress report.
    """
    loop = asyncio.get_running_loop()
    events: asyncio.Queue[int | None] = asyncio.Queue()
    total = len(split_lines(text) if lines else split_sentences(text, "ar"))
    gone = threading.Event()

    def report(count: int) -> None:
        loop.call_soon_threadsafe(events.put_nowait, count)

    progress = stop_when(gone, report)

    def job() -> dict[str, Any]:
        progress(0)
        return service.with_alternatives(service.translate(text, lines, progress, terms),
                                         alternatives)

    ahead = service.worker.waiting
    future = service.worker.submit(job)
    future.add_done_callback(lambda _: loop.call_soon_threadsafe(events.put_nowait, None))

    async def stream() -> AsyncIterator[bytes]:
        done = 0
        try:
            yield _line({"event": "queued", "ahead": ahead, "total": total})
            while (count := await events.get()) is not None:
                done += count
                yield _line({"event": "progress", "done": done, "total": total})
            error = future.exception()
            if error is None:
                yield _line({"event": "result", "trace": future.result()})
                return
            log.error("translation failed: %r", error)
            message = str(error) if isinstance(error, MtError) else \
                f"internal error ({type(error).__name__}); the server log has the details"
            yield _line({"event": "error", "error": message})
        finally:
            gone.set()  # the client left, or the stream is done: a running job stops
            future.cancel()  # the client left before its job started: drop it

    return stream()


def _line(event: dict[str, Any]) -> bytes:
    return (json.dumps(event, ensure_ascii=False) + "\n").encode("utf-8")


def app_from_environment() -> FastAPI:
    """The app of one ``--workers`` process: options from ``MT_SERVE_OPTIONS``."""
    from mt.serve.service import Limits, load_service

    options = json.loads(os.environ[OPTIONS_VARIABLE])
    limits = Limits(**options["limits"])
    service = load_service(options["model"], limits, **options["translator"])
    return create_app(service, options["api_keys"])
