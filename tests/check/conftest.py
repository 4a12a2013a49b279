"""Run `factsheets check` in a subprocess, the way a user does, and read its JSON report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.check.bad_cases import REPO


@dataclass(frozen=True)
class Result:
    exit: int
    diagnostics: list[dict] | None   # the parsed --format json report (None if stdout was not JSON)
    stdout: str
    stderr: str


def display(path: Path) -> str:
    """A path as the CLI prints it: relative to its working directory (the repo root)."""
    return os.path.relpath(path, REPO)


def run_check(content: Path, *args: str, fmt: str = "json") -> Result:
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    cmd = [sys.executable, "-m", "generator", "check", display(content), *args]
    if fmt:
        cmd += ["--format", fmt]
    # the timeout only stops a hung run from hanging the suite; it is not a speed assertion
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout
    diagnostics = None
    if fmt == "json":
        try:
            diagnostics = json.loads(proc.stdout)
        except ValueError:
            diagnostics = None
    return Result(proc.returncode, diagnostics, proc.stdout, proc.stderr)


@pytest.fixture
def check():
    return run_check
