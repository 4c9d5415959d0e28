"""Request bodies: read within limits, decoded, validated, every failure one clear line.

The pydantic models document the API (they feed the OpenAPI description) and
validate it: one definition of each field. A failure becomes ``ApiError``
naming the field and the fix, answered as ``{"error": "..."}`` with a 4xx.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qs

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from mt.arabic import LONE_SURROGATE_RE
from mt.documents import DOCUMENT_FORMATS
from mt.errors import TraceError
from mt.types import TraceDocument

M = TypeVar("M", bound=BaseModel)
MAX_ALTERNATIVES = 10  # /translate's alternatives: each costs a wider beam


class ApiError(Exception):
    """A request the server will not serve: an HTTP status and a one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")  # clients send fields of their own


class LibreTranslateRequest(_Body):
    """LibreTranslate's ``/translate`` body."""

    q: str | list[str] = Field(description="Arabic text, or a list of texts")
    source: str = Field("auto", description='"ar" or "auto"')
    target: str = Field("en", description='"en"')
    format: Literal["text", "html"] = Field("text", description="html: tags kept, text "
                                                                "between them translated")
    api_key: str | None = Field(None, description="when the server requires keys")
    alternatives: int = Field(0, ge=0, le=MAX_ALTERNATIVES,
                              description="this many other translations besides "
                                          "translatedText, from the beam's n best (format text)")


class DetectRequest(_Body):
    """LibreTranslate's ``/detect`` body."""

    q: str | list[str] = Field(description="the text (a list: detected as one text)")
    api_key: str | None = Field(None, description="when the server requires keys")


class TranslateRequest(_Body):
    """``/v1/translate``: the trace document of ``mt translate --format json``."""

    q: str | None = Field(None, description="the Arabic document (as LibreTranslate names it)")
    text: str | None = Field(None, description="the Arabic document: q by its other name; "
                                               "give one of the two")
    lines: bool = Field(False, description="one segment per line (mt translate --lines)")
    stream: bool = Field(False, description="answer NDJSON progress events, then the trace")
    alternatives: int = Field(0, ge=0, le=MAX_ALTERNATIVES,
                              description="give each segment up to this many other "
                                          "translations from the beam's n best, "
                                          "[{text, score}, ...] under its \"alternatives\"")
    glossary: list[tuple[str, str]] | None = Field(
        None, max_length=10_000, description="terms the English must use, [[Arabic, English], "
        "...], beside (and before) the server's --glossary")

    def document(self) -> str:
        """The Arabic asked for, as ``q`` or as ``text`` (both only when they agree)."""
        if self.q is not None and self.text is not None and self.q != self.text:
            raise ApiError(400, "q, text: both given and they differ; give the Arabic once, "
                                'as {"q": "..."}')
        found = self.q if self.q is not None else self.text
        if found is None:
            raise ApiError(400, f"q: missing; {HINTS['q']}")
        return found


class AlignRequest(_Body):
    """``/v1/align``: the trace document of ``mt align AR EN --format json``."""

    arabic: str = Field(description="the Arabic document")
    english: str = Field(description="its existing English translation")


HINTS = {
    "q": 'give the Arabic as a string or a list of strings, e.g. {"q": "مرحبا", '
         '"source": "ar", "target": "en"}',
    "source": 'use "ar" or "auto"',
    "target": 'use "en"',
    "format": 'use "text" or "html"',
    "api_key": "give the key as a string",
    "alternatives": f"give a whole number from 0 to {MAX_ALTERNATIVES}",
    "text": 'give the Arabic document as a string, e.g. {"q": "مرحبا"}',
    "lines": "use true or false",
    "stream": "use true or false",
    "glossary": 'give [["الأمم المتحدة", "United Nations"], ...]: Arabic, English pairs',
    "arabic": 'give {"arabic": "...", "english": "..."}, both strings',
    "english": 'give {"arabic": "...", "english": "..."}, both strings',
}
FORM = "application/x-www-form-urlencoded"
TRACE_HINT = "send the JSON that mt translate --format json or POST /v1/translate writes"


def request_schema(model: type[BaseModel], form: bool = False) -> dict[str, Any]:
    """An OpenAPI ``requestBody`` for ``model``: JSON, and with ``form`` a urlencoded form
    of the same fields (a list as the field repeated)."""
    schema = model.model_json_schema()
    content = {"application/json": {"schema": schema}}
    if form:
        content[FORM] = {"schema": schema}
    return {"requestBody": {"required": True, "content": content}}


# The formats mt translates (mt.documents), by suffix, as /frontend/settings lists them.
FILE_SUFFIXES = tuple(suffix for known in DOCUMENT_FORMATS.values() for suffix in known.suffixes)
FILE_SCHEMA = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": f"the document: {', '.join(FILE_SUFFIXES)}"},
        "source": {"type": "string", "default": "auto", "description": '"ar" or "auto"'},
        "target": {"type": "string", "default": "en", "description": '"en"'},
        "api_key": {"type": "string", "description": "when the server requires keys"}}}}}}}
TRACE_SCHEMA = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "description": "a trace document (docs/INTERFACES.md)",
    "required": ["source", "target", "segments"]}}}}}


async def read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The whole body, refused past ``limit`` bytes or ``timeout`` seconds."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"request body: {int(declared):,} bytes, over this server's limit "
                            f"of {limit:,}; send less text or raise mt serve --max-chars")

    async def collect() -> bytes:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise ApiError(413, f"request body: over this server's limit of {limit:,} "
                                    "bytes; send less text or raise mt serve --max-chars")
            chunks.append(chunk)
        return b"".join(chunks)

    try:
        return await asyncio.wait_for(collect(), timeout)
    except asyncio.TimeoutError:
        raise ApiError(408, f"request body: not received within {timeout:g} s; send it "
                            "at once") from None


def decode_json(body: bytes) -> Any:
    """Strict UTF-8 JSON (a BOM allowed) whose strings are all valid Unicode."""
    if not body.strip():
        raise ApiError(400, 'request body: empty; send a JSON object, e.g. {"q": "مرحبا"}')
    try:
        text = body.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"request body: not valid UTF-8 (byte {exc.start}); encode the "
                            "JSON as UTF-8") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ApiError(400, f"request body: malformed JSON ({exc.msg} at line {exc.lineno} "
                            f"column {exc.colno}); send valid JSON") from None
    except RecursionError:
        raise ApiError(400, "request body: JSON nested too deeply; send the flat object "
                            "described in /openapi.json") from None
    except ValueError as exc:  # an integer over Python's 4,300 digits
        raise ApiError(400, f"request body: {exc}; send numbers of a sensible size") from None
    _refuse_lone_surrogates(data)
    return data


def _refuse_lone_surrogates(data: Any) -> None:
    """JSON's ``\\ud800`` escapes decode to code points no text may hold: refuse them here,
    so that one bad request never reaches (and fails) a batch it would share."""
    stack = [("request body", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            # A key is named as the error names it: a surrogate shown as \udXXX.
            names = {key: str(key).encode("utf-8", "backslashreplace").decode("utf-8")
                     for key in value}
            stack.extend((names[key], key) for key in value)
            stack.extend((names[key], item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((where, item) for item in value)
        elif isinstance(value, str) and (found := LONE_SURROGATE_RE.search(value)):
            raise ApiError(400, f"{where}: a lone surrogate (U+{ord(found.group()):04X}) at "
                                f"character {found.start()}, not text; send valid Unicode")


def decode_form(body: bytes) -> dict[str, Any]:
    """An ``application/x-www-form-urlencoded`` body; a repeated field becomes a list."""
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, encoding="utf-8",
                          errors="strict")
    except UnicodeDecodeError:
        raise ApiError(400, "request body: a form field is not valid UTF-8; encode the form "
                            "as UTF-8") from None
    return {key: values[0] if len(values) == 1 else values for key, values in fields.items()}


async def read_object(request: Request, limit: int, timeout: float,
                      form: bool = False) -> dict[str, Any]:
    """The body as a JSON object; with ``form``, a urlencoded form is taken too.

    JSON only under ``Content-Type: application/json``: a type a cross-site page
    can send without asking (``text/plain``, a form) never reaches a JSON route.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    allowed = "application/json" + (" or application/x-www-form-urlencoded" if form else "")
    if kind != "application/json" and not (form and kind == FORM):
        raise ApiError(415, f"request body: Content-Type {kind or 'missing'}; send it as "
                            f"{allowed}")
    body = await read_body(request, limit, timeout)
    if kind == FORM and body.lstrip()[:1] in (b"{", b"["):
        raise ApiError(415, "request body: JSON labelled as a form; send it with "
                            "Content-Type: application/json (curl: -H 'Content-Type: "
                            "application/json')")
    data = decode_form(body) if kind == FORM else decode_json(body)
    if not isinstance(data, dict):
        found = "null" if data is None else {list: "array", str: "string", bool: "boolean"
                                             }.get(type(data), "number")
        raise ApiError(400, f"request body: a JSON {found}, not an object; "
                            "send a JSON object with the fields named in /openapi.json")
    return data


@dataclass(frozen=True)
class FileForm:
    """A ``/translate_file`` form: the document and LibreTranslate's fields."""

    name: str
    data: bytes
    source: str
    target: str
    api_key: str | None


async def read_file_form(request: Request, limit: int, timeout: float) -> FileForm:
    """The ``multipart/form-data`` body of ``/translate_file``, read within ``limit``."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "multipart/form-data":
        raise ApiError(415, f"request body: Content-Type {kind or 'missing'}; send the file as "
                            "multipart/form-data (curl: -F file=@article.docx)")
    body = await read_body(request, limit, timeout)

    async def replay() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=1, max_fields=16)
    except (HTTPException, MultiPartException, ValueError) as exc:
        detail = getattr(exc, "detail", None) or getattr(exc, "message", None) or exc
        raise ApiError(400, f"request body: not a valid multipart form ({detail}); send "
                            "the fields file, source and target") from None
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise ApiError(400, "file: missing; send the document as the form's file field "
                            "(curl: -F file=@article.docx)")
    fields = {key: form.get(key) for key in ("source", "target", "api_key")}
    if any(value is not None and not isinstance(value, str) for value in fields.values()):
        raise ApiError(400, "source, target, api_key: give them as text fields, not files")
    if not upload.filename:
        raise ApiError(400, "file: no file name; name the file, its suffix says its format")
    data = await upload.read()
    if not data:
        raise ApiError(400, f"file: {upload.filename!r} is empty; send the document itself")
    return FileForm(upload.filename, data, str(fields["source"] or "auto"),
                    str(fields["target"] or "en"),
                    None if fields["api_key"] is None else str(fields["api_key"]))


def validate(model: type[M], data: dict[str, Any]) -> M:
    """``data`` as ``model``; the first problem becomes an ApiError naming its field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # In a union (q: str | list[str]) the deepest error is the telling one; its
        # location also names the union's branches ("str", "list[str]"): left out.
        error = max(exc.errors(), key=lambda e: len(e["loc"]))
        field = str(error["loc"][0]) if error["loc"] else "request body"
        where = field + "".join(f"[{part}]" for part in error["loc"][1:]
                                if isinstance(part, int))
        problem = "missing" if error["type"] == "missing" else \
            error["msg"][0].lower() + error["msg"][1:]
        raise ApiError(400, f"{where}: {problem}; "
                            f"{HINTS.get(field, 'see /openapi.json')}") from None


def check_text(field: str, text: str, max_chars: int) -> None:
    """Refuse empty text and text over the size limit, naming ``field``."""
    if not text.strip():
        raise ApiError(400, f"{field}: empty; give the Arabic text to work on")
    if len(text) > max_chars:
        raise ApiError(413, f"{field}: {len(text):,} characters, over this server's limit of "
                            f"{max_chars:,}; send it in parts or start mt serve with a larger "
                            "--max-chars")


def trace_document(data: dict[str, Any], max_chars: int) -> TraceDocument:
    """A trace document from JSON, validated as ``mt check`` validates a file."""
    try:
        document = TraceDocument.from_json(data)
    except TraceError as exc:
        raise ApiError(400, f"{exc}; {TRACE_HINT}") from None
    check_text("source.text", document.source_text, max_chars)
    return document
