"""When and how the generator uses a second process: a forked worker shares what this
process has already loaded, and only results travel back (pickled)."""

from __future__ import annotations

import multiprocessing
import os
import threading


def default_jobs() -> int:
    """CPUs this process may use (FACTSHEETS_JOBS overrides; 1 keeps everything in this process)."""
    if os.environ.get("FACTSHEETS_JOBS", "").isdigit():
        return max(1, int(os.environ["FACTSHEETS_JOBS"]))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def can_fork() -> bool:
    """Forking is safe only without other threads (``mkdocs serve`` runs server threads)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


