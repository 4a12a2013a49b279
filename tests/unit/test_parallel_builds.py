"""The per-language builds really run side by side: a chatty build never waits on another."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.publish.site import start_logged, wait_mkdocs

CHATTY = """
import sys, time, pathlib
sys.stdout.write("x" * 300_000)       # far more than a pipe buffer holds
sys.stdout.flush()
pathlib.Path(sys.argv[1]).write_text(str(time.monotonic()))
time.sleep(float(sys.argv[2]))
"""


def test_second_build_is_not_held_up_by_the_first(tmp_path: Path) -> None:
    first_done, second_done = tmp_path / "first", tmp_path / "second"
    procs = {"ar": start_logged([sys.executable, "-c", CHATTY, str(first_done), "3"]),
             "en": start_logged([sys.executable, "-c", CHATTY, str(second_done), "0"])}
    wait_mkdocs(procs)
    # the second process got its 300 KB out and finished while the first was still sleeping
    assert float(second_done.read_text()) < float(first_done.read_text()) + 2.5
