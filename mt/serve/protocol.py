"""uvicorn's HTTP/1.1 protocol with a deadline on each request head and a cap per client.

Its own refusals (a malformed request) are JSON ``{"error": ...}`` like the app's.

uvicorn restarts its keep-alive timer on every byte, so a client that trickles
a request head one byte at a time holds its connection for ever, and enough
of them fill the connection limit: every request, ``/healthz`` included, is
then answered 503 before any authentication. Here a request head must be
complete ``HEAD_TIMEOUT`` seconds after the connection opens (or after the
previous response), and one client address may have at most
``MAX_WAITING_PER_CLIENT`` connections waiting for a head at once.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_TIMEOUT = 10.0  # seconds to send a request line and headers
MAX_WAITING_PER_CLIENT = 32  # connections of one address without a complete request head


def _refusal(status: str, message: str) -> bytes:
    body = json.dumps({"error": message}).encode()
    return (f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\nconnection: close\r\n"
            f"content-length: {len(body)}\r\n\r\n").encode() + body


TOO_SLOW = _refusal("408 Request Timeout", f"request head: not received within "
                    f"{HEAD_TIMEOUT:g} s; send the request line and headers at once")
TOO_MANY = _refusal("429 Too Many Requests", f"this address has {MAX_WAITING_PER_CLIENT} "
                    "connections waiting to send a request; use fewer connections")


class GuardedH11Protocol(H11Protocol):
    """``H11Protocol`` that closes a connection whose request head is late."""

    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        host = self.client[0] if self.client else None
        waiting = sum(1 for other in self.connections
                      if isinstance(other, GuardedH11Protocol) and other is not self
                      and other._deadline is not None and other.client
                      and other.client[0] == host)
        if waiting >= MAX_WAITING_PER_CLIENT:
            transport.write(TOO_MANY)
            transport.close()
            return
        self._arm(HEAD_TIMEOUT)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the head is in (or the request failed)
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm(self.timeout_keep_alive + HEAD_TIMEOUT)  # idle, then the next head

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to bytes that are no HTTP request: JSON, as every other answer."""
        self.transport.write(_refusal("400 Bad Request", f"request: {msg.rstrip('.').lower()}; "
                                                         "send a well-formed HTTP/1.1 request"))
        self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._late)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _late(self) -> None:
        self._deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            if self.conn.trailing_data[0]:  # part of a head came: say why it is cut off
                self.transport.write(TOO_SLOW)
            self.transport.close()


def settings(max_queue: int) -> dict[str, Any]:
    """uvicorn's options for ``mt serve``: this protocol, and room for the waiting clients."""
    return {"http": f"{__name__}:{GuardedH11Protocol.__name__}", "timeout_keep_alive": 5,
            "limit_concurrency": max(256, 4 * max_queue + 16)}
