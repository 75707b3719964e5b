"""Work done in a second process while this one goes on, where that is cheap and safe.

With a large library (thousands of requirements) some pieces of a run take a second or more
and do not depend on each other: reading and parsing the library's files, writing its cache
entry, and building the response form next to the other documents. ``start`` runs such a
piece in a copy of this process (``fork``), so that the two CPUs of an ordinary laptop share
the run. The copy starts with everything this process has built, so only the result travels
back, pickled through a pipe (the bytes of a file, or the parsed content of library files).
The callers: ``library.loading`` (the last half of a library's files, and the cache entry)
and ``documents.generating`` (the response form and ``urval.json``).

A job runs beside only when the caller says it is worth it (large inputs: a copy costs a few
milliseconds) and the platform allows it: Linux, more than one CPU, no other thread running
(a fork copies only the calling thread, so a lock held by another would never be released in
the copy), and ``UPPHANDLA_NO_PARALLEL`` not set to 1. macOS and Windows start processes by
``spawn``, which would have to send the whole library across; there the job runs in this
process, at once, as it always did. Either way ``result`` gives the same value or raises the
same exception: when the copy fails in any way (an exception, a crash, a value that cannot be
pickled), the job is run again here, so an error is raised where it would have been without
a copy, with its own traceback and exit code.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

NO_PARALLEL_VARIABLE = "UPPHANDLA_NO_PARALLEL"
LARGE_FROM_REQUIREMENTS = 1000
"""A library (or selection) this large has pieces worth a copy of the process; below it the
copy would cost about as much as it saves."""
LARGE_FROM_BYTES = 2_500_000
"""Library files this large (about 1,000 requirements) are worth reading in two processes."""

T = TypeVar("T")

_OK = "ok"
_FAILED = "failed"


def can_fork() -> bool:
    """Whether a job may run in a forked copy of this process now."""
    return (
        sys.platform.startswith("linux")
        and os.environ.get(NO_PARALLEL_VARIABLE) != "1"
        and _cpus() > 1
        and threading.active_count() == 1
    )


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Job(Generic[T]):
    """One piece of work, run beside this process or (when that is not possible) already run."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._done = False
        self._value: T | None = None
        self._error: Exception | None = None

    @property
    def beside(self) -> bool:
        """Whether the work runs (or ran) in a copy of this process."""
        return self._process is not None

    def result(self) -> T:
        """The work's value, or its exception raised; waits for a copy to finish."""
        if not self._done:
            self._collect()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]

    def abandon(self) -> None:
        """Stop a copy that is still working; its result is not wanted."""
        if self._process is not None and not self._done:
            self._process.terminate()
            self._process.join()
            self._close()
            self._done = True
            self._error = RuntimeError("the job was abandoned")
        _RUNNING.discard(self)

    def _run_here(self) -> None:
        try:
            self._value = self._work()
        except Exception as error:  # raised again by ``result``, where the caller waits
            self._error = error
        self._done = True

    def _collect(self) -> None:
        if self._wait_for_copy():
            return
        self._run_here()

    def _wait_for_copy(self) -> bool:
        """Wait for the copy to end; True when it sent its value (now kept)."""
        if self._process is None or self._connection is None:
            return False  # no copy, or one already waited for that failed
        try:
            status, value = self._connection.recv()
        except Exception:  # noqa: BLE001 - a copy that died (EOF), or a value that cannot be
            status, value = _FAILED, None  # rebuilt here: the work is done here instead
        self._process.join()
        self._close()
        _RUNNING.discard(self)
        if status != _OK:
            return False
        self._value, self._done = value, True
        return True

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def start(work: Callable[[], T], *, worth_it: bool) -> Job[T]:
    """Begin ``work`` beside this process when ``worth_it`` and the platform allows; else run
    it now. Either way ``result()`` gives its value (or raises its exception)."""
    job = Job(work)
    if not (worth_it and can_fork()):
        job._run_here()
        return job
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_in_the_copy, args=(work, sending))
    try:
        process.start()
    except OSError:  # no memory or process left for a copy
        receiving.close()
        sending.close()
        job._run_here()
        return job
    sending.close()
    job._process, job._connection = process, receiving
    _RUNNING.add(job)
    return job


def _in_the_copy(work: Callable[[], Any], connection: Connection) -> None:
    """Run in the forked copy: do the work and send back its value, or that it failed."""
    try:
        message: tuple[str, Any] = (_OK, work())
    except BaseException:  # noqa: BLE001 - the parent runs the work again and sees the error
        message = (_FAILED, None)
    try:
        connection.send(message)
    except Exception:  # noqa: BLE001 - a value that cannot be pickled: the parent runs it again
        connection.send((_FAILED, None))
    connection.close()


def finish_all() -> None:
    """Wait for every job still running beside whose result nobody asked for (a cache entry
    being written, for example). A copy that failed is not made up for: such work only saves
    time later (the next run reads the library from its files again)."""
    for job in list(_RUNNING):
        job._wait_for_copy()


_RUNNING: set[Job[Any]] = set()
