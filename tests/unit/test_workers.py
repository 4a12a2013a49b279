"""generator.workers.beside(): a job run in a forked child gives back its result, or raises its
error here; where this process cannot fork (other threads running), it says so and runs nothing.

Forking is refused while other threads run, and this test session runs server threads, so the
forking cases run in a fresh Python process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from generator.workers import beside
from tests.conftest import REPO

SCRIPT = r'''
import json, os
from generator.workers import beside

here = os.getpid()
loaded = {"words": ["سلام", "peace"]}  # what the child shares with this process, by the fork itself

def job():
    return {"pid": os.getpid(), "words": loaded["words"]}

def fails():
    raise KeyError("no such record")

class Unpicklable(Exception):
    def __init__(self, a, b):
        super().__init__(a)

def fails_oddly():
    raise Unpicklable("odd", 2)

out = {}
result = beside(job)()
out["other_process"] = result["pid"] != here
out["words"] = result["words"]
try:
    beside(fails)()
except KeyError as exc:
    out["error"] = ["KeyError", str(exc)]
try:
    beside(fails_oddly)()
except Exception as exc:
    out["odd"] = [type(exc).__name__, "could not be read back" in str(exc)]
def dies():
    os._exit(3)
try:
    beside(dies)()
except RuntimeError as exc:
    out["lost"] = str(exc)
print(json.dumps(out, ensure_ascii=False))
'''


def test_a_job_beside_returns_its_result_or_raises_its_error_here() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    r = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["other_process"] is True and out["words"] == ["سلام", "peace"]
    assert out["error"] == ["KeyError", "'no such record'"]
    assert out["odd"] == ["RuntimeError", True]
    assert "stopped without a result" in out["lost"] and "exit status 3" in out["lost"]


def test_no_fork_while_other_threads_run() -> None:
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        ran: list[int] = []
        assert beside(lambda: ran.append(1)) is None
        assert ran == []
    finally:
        stop.set()
        t.join()


def test_in_thread_runs_the_calls_in_order_elsewhere_with_the_callers_context() -> None:
    import contextvars

    from generator.workers import InThread

    var: contextvars.ContextVar[str] = contextvars.ContextVar("test_in_thread", default="unset")
    var.set("the build's")
    seen: list[tuple[str, str, bool]] = []
    gate = threading.Event()

    def call(name: str) -> None:
        gate.wait(5)
        seen.append((name, var.get(), threading.current_thread() is not threading.main_thread()))

    running = InThread([lambda: call("map"), lambda: call("pieces")], "test-store")
    assert seen == []  # started, not waited for: the caller goes on
    gate.set()
    running.join()
    assert seen == [("map", "the build's", True), ("pieces", "the build's", True)]


def test_in_thread_join_raises_what_a_call_raised_and_wait_does_not() -> None:
    from generator.workers import InThread

    made: list[str] = []

    def fails() -> None:
        raise OSError(28, "No space left on device")

    failing = InThread([fails, lambda: made.append("after")], "test-store")
    failing.wait()  # only waits (the caller is raising an error of its own)
    try:
        failing.join()
    except OSError as exc:
        assert exc.strerror == "No space left on device"
    else:
        raise AssertionError("join() did not raise the call's error")
    assert made == []  # the calls after a failed one are not made
