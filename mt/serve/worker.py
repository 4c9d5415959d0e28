"""One thread owns the models: every request that needs them queues here.

Neither the translator nor the sentence encoder nor the word aligner is
shared between threads; a single worker runs the jobs one after another in
arrival order, so a model is loaded once and never raced.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")


class Busy(Exception):
    """The queue is full: the client should retry later."""


class ClientGone(Exception):
    """The client of a running job went away: the job stops at its next progress report."""


def stop_when(gone: threading.Event,
              progress: Callable[[int], None] | None = None) -> Callable[[int], None]:
    """A progress callback that raises ``ClientGone`` once ``gone`` is set, else reports."""
    def check(count: int) -> None:
        if gone.is_set():
            raise ClientGone("the client left; its job stopped")
        if progress is not None:
            progress(count)
    return check


class ModelWorker:
    """A FIFO of jobs run by one daemon thread; ``submit`` returns a Future."""

    def __init__(self, max_queue: int = 32) -> None:
        self.max_queue = max_queue
        self._jobs: queue.Queue[tuple[Future[Any], Callable[[], Any]] | None] = queue.Queue(
            maxsize=max_queue)
        self._thread = threading.Thread(target=self._run, name="mt-model", daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        try:
            self._jobs.put_nowait((future, job))
        except queue.Full:
            raise Busy(f"{self.max_queue} requests are already waiting") from None
        return future

    @property
    def waiting(self) -> int:
        """Jobs queued and not yet started."""
        return self._jobs.qsize()

    def _run(self) -> None:
        while (item := self._jobs.get()) is not None:
            future, job = item
            if not future.set_running_or_notify_cancel():
                continue  # its client went away before it started
            try:
                future.set_result(job())
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting request
                future.set_exception(exc)

    def close(self, timeout: float = 5.0) -> None:
        """Stop after the jobs already queued."""
        self._jobs.put(None)
        self._thread.join(timeout)
