"""``mt serve``: the web page and the HTTP API on uvicorn, one model loaded once."""

from __future__ import annotations

import argparse
import dataclasses
import ipaddress
import json
import os
import socket
import sys

from mt.commands.common import (
    add_glossary_option,
    add_translator_options,
    chosen_glossary,
    chosen_model,
    print_notices,
)
from mt.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="a local web page and a LibreTranslate-compatible API",
                       description="Serve the page at / and the API (LibreTranslate's /translate "
                                   "and /languages, mt's /v1/...; /openapi.json describes it).")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; any other needs "
                        "--api-key-file)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free one)")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes, each loading the model once (default 1)")
    p.add_argument("--api-key-file", metavar="FILE",
                   help="require one of these keys (one a line, # comments) on the API")
    p.add_argument("--max-chars", type=int, default=200_000,
                   help="characters of text one request may carry (default 200000)")
    p.add_argument("--max-queue", type=int, default=32,
                   help="requests waiting for the model before new ones get 503 (default 32)")
    p.add_argument("--max-items", type=int, default=1000,
                   help="texts one /translate list, or lines one /v1/translate with "
                        "lines, may carry (default 1000)")
    p.add_argument("--timeout", type=float, default=30.0,
                   help="seconds a client has to send its request body (default 30)")
    add_translator_options(p)
    add_glossary_option(p)
    p.set_defaults(handler=run)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_keys(path: str) -> list[str]:
    """The keys of ``--api-key-file``: one a line, blank lines and ``#`` comments skipped."""
    from mt.inputs import read_document

    keys = [line.strip() for line in read_document(path).splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
    if not keys:
        raise InputError(f"{path}: no keys in the file; write one key a line")
    return keys


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, made here so a taken port is a clear error before loading."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InputError(f"--host {host} --port {port}: cannot listen there ({exc.strerror}); "
                         "choose another --port") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from mt.serve.app import OPTIONS_VARIABLE, app_from_environment, create_app
    from mt.serve.protocol import settings as protocol_settings
    from mt.serve.service import Limits, load_service

    if min(args.workers, args.max_chars, args.max_queue, args.max_items) < 1:
        raise InputError("--workers, --max-chars, --max-queue and --max-items must be at "
                         "least 1")
    if not 0 < args.timeout < float("inf"):  # nan and inf too
        raise InputError("--timeout must be positive, e.g. --timeout 30")
    if not 0 <= args.port <= 65535:
        raise InputError(f"--port {args.port}: give a port from 0 to 65535")
    if args.port == 0 and args.workers > 1:  # uvicorn binds their socket: no port to tell
        raise InputError("--port 0 works with one worker only; with --workers give a port, "
                         "e.g. --port 8000")
    keys = read_keys(args.api_key_file) if args.api_key_file else []
    if not _is_loopback(args.host) and not keys:
        raise InputError(f"--host {args.host} is reachable from other machines: give "
                         "--api-key-file FILE so that only key holders can use it")
    limits = Limits(max_chars=args.max_chars, read_timeout=args.timeout,
                    max_queue=args.max_queue, max_items=args.max_items)
    chosen_glossary(args)  # a bad --glossary fails here, not in every worker
    chosen_model(args)  # and so does a bad --model; the embedded notice waits for the socket
    translator = {"beam": args.beam, "threads": args.threads, "backend": args.backend,
                  "compute_type": args.compute_type, "word_links": args.word_links,
                  "device": args.device, "glossary": args.glossary}
    settings = {"log_level": "info" if args.verbose else "warning",
                **protocol_settings(args.max_queue)}
    if args.workers > 1:
        os.environ[OPTIONS_VARIABLE] = json.dumps({
            "model": args.model, "limits": dataclasses.asdict(limits), "translator": translator,
            "api_keys": keys})
        _listen(args.host, args.port).close()
        print_notices(args)
        print(f"mt serve: http://{args.host}:{args.port}/ ({args.workers} workers)",
              file=sys.stderr, flush=True)
        uvicorn.run(f"{app_from_environment.__module__}:{app_from_environment.__name__}",
                    factory=True, host=args.host, port=args.port, workers=args.workers,
                    **settings)
        return 0
    sock = _listen(args.host, args.port)
    service = load_service(args.model, limits, **translator)
    host, port = sock.getsockname()[:2]
    server = uvicorn.Server(uvicorn.Config(create_app(service, keys), **settings))
    print_notices(args)
    print(f"mt serve: http://{host}:{port}/ (model {service.model_name}); Ctrl-C stops",
          file=sys.stderr, flush=True)
    server.run(sockets=[sock])
    return 0
