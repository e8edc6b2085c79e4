"""Where a worker runs its checks: off the event loop, one at a time, behind a bounded queue.

A check is CPU-bound and the models already use every core they are given, so each worker process runs one
job at a time on its own thread; ``queue_size`` more may wait. Past that a request is refused at once (the
server answers 429 with Retry-After) rather than left hanging. Every job carries a :class:`Cancel` token: the
pipeline calls its progress callback before each check, and the token raises there once the job's time limit
has passed or its client has gone, so the work itself stops (not only the wait for it) and its place is freed.
"""
from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class QueueFull(Exception):
    """Every place (running and waiting) is taken."""


class Cancelled(Exception):
    """The job was stopped: its time limit passed or its client disconnected (``reason`` says which)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Cancel:
    """A job's stop signal, checked by the pipeline between checks (its ``progress`` callback)."""

    def __init__(self, time_limit: float | None) -> None:
        self.deadline = None if time_limit is None else time.monotonic() + time_limit
        self.time_limit = time_limit
        self._reason: str | None = None

    def stop(self, reason: str) -> None:
        self._reason = self._reason or reason

    def raise_if_stopped(self) -> None:
        if self._reason is None and self.deadline is not None and time.monotonic() > self.deadline:
            self._reason = f"the check ran past the time limit of {self.time_limit:g} s"
        if self._reason is not None:
            raise Cancelled(self._reason)

    def progress(self, check_id: str, done: int, total: int) -> None:
        self.raise_if_stopped()


class Runner:
    """One worker's job queue: ``workers`` threads run jobs, ``queue_size`` more jobs may wait."""

    def __init__(self, queue_size: int = 8, workers: int = 1) -> None:
        self.capacity = workers + queue_size
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tq-check")
        self._lock = threading.Lock()
        self._taken = 0

    @property
    def taken(self) -> int:
        """Places in use: jobs running or waiting, including stopped ones still finishing their current check."""
        return self._taken

    def submit(self, job: Callable[[Cancel], T], cancel: Cancel) -> Future:
        """Start ``job(cancel)`` when a thread is free; raise QueueFull when every place is taken."""
        with self._lock:
            if self._taken >= self.capacity:
                raise QueueFull()
            self._taken += 1

        def run() -> T:
            cancel.raise_if_stopped()  # stopped while it waited: never starts
            return job(cancel)

        future = self._executor.submit(run)
        future.add_done_callback(self._release)
        return future

    def _release(self, _future: Future) -> None:
        with self._lock:
            self._taken -= 1

    async def run(self, job: Callable[[Cancel], T], time_limit: float | None,
                  disconnected: Callable[[], Any] | None = None, poll: float = 0.25) -> T:
        """Run ``job`` and wait for it without blocking the event loop; stop it when ``time_limit`` passes or
        ``disconnected()`` (awaited) says the client has gone. Raises QueueFull or Cancelled."""
        cancel = Cancel(time_limit)
        future = asyncio.wrap_future(self.submit(job, cancel))
        future.add_done_callback(_consume)
        try:
            while True:
                done, _ = await asyncio.wait({future}, timeout=poll)
                if done:
                    return future.result()
                cancel.raise_if_stopped()  # past the time limit: the job stops at its next check
                if disconnected is not None and await disconnected():
                    cancel.stop("the client disconnected")
                    raise Cancelled("the client disconnected")
        except asyncio.CancelledError:  # the server is shutting down or the request task was cancelled
            cancel.stop("the request was cancelled")
            raise

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _consume(future: asyncio.Future) -> None:
    """Retrieve a stopped job's outcome so that asyncio does not log it as never retrieved."""
    if not future.cancelled():
        future.exception()
