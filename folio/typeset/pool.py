"""Sections laid out side by side: one forked worker a core, each laying out the
sections it is given and writing their PDFs, while this process decides what is
laid out next.

A worker is forked when a section needs laying out and no worker is free, up to
one a core this process may run on (``os.sched_getaffinity``: ``taskset`` limits
it). It inherits the typesetter as it stands (stylesheet, fonts, the book), so a
pool lives for one layout of the main matter. Where forking is not safe (another
thread runs, ``forks``) or one core is all there is, jobs run here, in order, with
the same results.

A worker's error (BuildError, OSError, or any other, as text) is raised by
``next_result`` the moment it arrives; the other workers are stopped. Workers
ignore Ctrl-C: this process handles it and stops them (``close``).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any

from ..errors import BuildError
from ..forks import fork_is_safe


def usable_cores() -> int:
    """The cores this process may run on (``taskset`` counts), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class _Worker:
    def __init__(self, run: Callable[[Any], Any]):
        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(run, child), daemon=True)
        self.process.start()
        child.close()
        self.tag: Any = None  # the job it is on, or None when free


def _serve(run: Callable[[Any], Any], connection: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        while True:
            try:
                job = connection.recv()
            except EOFError:
                break
            if job is None:
                break
            try:
                connection.send(("done", run(job)))
            except (BuildError, OSError) as error:  # the parent raises them as its own
                connection.send(("error", error))
            except BaseException as error:  # noqa: BLE001 - reported by the parent
                connection.send(("error", f"a section could not be laid out: "
                                          f"{type(error).__name__}: {error}"))
    finally:
        os._exit(0)  # leave the parent's state (open files, atexit hooks) alone


class LayoutPool:
    """Runs ``run(job)`` for each submitted job, on up to *workers* forked processes
    (default: the usable cores), and hands back ``(tag, result)`` as they finish."""

    def __init__(self, run: Callable[[Any], Any], workers: int | None = None):
        self.run = run
        self.limit = workers if workers is not None else usable_cores()
        self._workers: list[_Worker] = []
        self._queue: deque[tuple[Any, Any]] = deque()
        self._done: deque[tuple[Any, Any]] = deque()
        self.forked = 0

    @property
    def busy(self) -> int:
        """Jobs submitted whose results have not been handed back."""
        return (len(self._queue) + len(self._done)
                + sum(1 for worker in self._workers if worker.tag is not None))

    def submit(self, tag: Any, job: Any) -> None:
        self._queue.append((tag, job))
        self._dispatch()

    def _dispatch(self) -> None:
        while self._queue:
            worker = next((w for w in self._workers if w.tag is None), None)
            if worker is None and len(self._workers) < self.limit and self._may_fork():
                worker = _Worker(self.run)
                self._workers.append(worker)
                self.forked += 1
            if worker is None:
                if self._workers:
                    return  # every worker is busy: the job waits its turn
                tag, job = self._queue.popleft()  # no worker may be forked: run it here
                self._done.append((tag, self.run(job)))
                continue
            tag, job = self._queue.popleft()
            worker.tag = tag
            worker.connection.send(job)

    @property
    def parallel(self) -> bool:
        """Whether jobs run beside this process (else each runs here when submitted)."""
        return self._may_fork()

    def _may_fork(self) -> bool:
        return self.limit > 1 and fork_is_safe()

    def next_result(self) -> tuple[Any, Any]:
        """The next finished job's tag and result, waiting for it. Raises the job's
        error (BuildError) after stopping every worker."""
        if self._done:
            return self._done.popleft()
        working = {w.connection: w for w in self._workers if w.tag is not None}
        if not working:
            raise RuntimeError("no job is running")
        ready = wait(list(working))
        worker = working[ready[0]]
        try:
            kind, value = worker.connection.recv()
        except EOFError:
            kind, value = "error", (f"the process laying out a section stopped "
                                    f"({worker.process.exitcode})")
        tag, worker.tag = worker.tag, None
        if kind == "error":
            self.close()
            raise value if isinstance(value, Exception) else BuildError(value)
        self._dispatch()
        return tag, value

    def close(self) -> None:
        """Stop every worker (those still laying out are killed)."""
        for worker in self._workers:
            if worker.tag is None:
                with contextlib.suppress(OSError):
                    worker.connection.send(None)
            else:
                worker.process.kill()
        for worker in self._workers:
            worker.process.join()
            worker.connection.close()
        self._workers.clear()
        self._queue.clear()

    def __enter__(self) -> LayoutPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
