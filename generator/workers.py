"""When and how the generator uses a second process: a forked worker shares what this
process has already loaded, and only results travel back (pickled); and a thread for work that
can go on while this process waits for others (:class:`InThread`)."""

from __future__ import annotations

import contextvars
import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def default_jobs() -> int:
    """CPUs this process may use (FACTSHEETS_JOBS overrides; 1 keeps everything in this process)."""
    if os.environ.get("FACTSHEETS_JOBS", "").isdigit():
        return max(1, int(os.environ["FACTSHEETS_JOBS"]))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def can_fork() -> bool:
    """Forking is safe only without other threads (``mkdocs serve`` runs server threads)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1




def beside(job: Callable[[], T]) -> Callable[[], T] | None:
    """``job()`` in a forked child while this process goes on (the child shares what this process
    has loaded; only the result comes back, pickled). Returns the call that waits for that result
    (an error the job raised is raised there), or None when this process cannot fork: the caller
    then runs ``job`` itself."""
    if not can_fork():
        return None
    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)

    def run() -> None:
        try:
            result: tuple[bool, Any] = (True, job())
        except BaseException as exc:  # noqa: BLE001 - raised again in the parent
            result = (False, exc)
        try:
            send.send(result)
        except Exception as exc:  # an error that cannot be pickled: its message then
            send.send((False, RuntimeError(f"{type(result[1]).__name__}: {result[1]} ({exc})")))
        finally:
            send.close()

    child = fork.Process(target=run, daemon=True)
    child.start()
    send.close()

    def result() -> T:
        try:
            ok, value = receive.recv()
        except (EOFError, OSError):
            child.join()
            raise RuntimeError(f"a forked helper stopped without a result (exit status {child.exitcode})") from None
        except Exception as exc:  # sent, but not to be unpickled here (an error whose class takes other arguments)
            child.join()
            raise RuntimeError(f"a forked helper's result could not be read back: {type(exc).__name__}: {exc}") from None
        finally:
            receive.close()
        child.join()
        if not ok:
            raise value
        return value

    return result


class InThread:
    """``calls``, one after the other, in a thread started at once, in a copy of the caller's
    context (its context variables: the build's file cache); :meth:`join` waits for them and raises
    what one raised (the calls after it are not made), :meth:`wait` only waits."""

    def __init__(self, calls: list[Callable[[], object]], name: str):
        self._error: BaseException | None = None
        context = contextvars.copy_context()
        self._thread = threading.Thread(target=context.run, args=(self._run, list(calls)), name=name, daemon=True)
        self._thread.start()

    def _run(self, calls: list[Callable[[], object]]) -> None:
        try:
            for call in calls:
                call()
        except BaseException as exc:  # noqa: BLE001 - raised again by join()
            self._error = exc

    def wait(self) -> None:
        self._thread.join()

    def join(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error
