"""Run `factsheets check` as a user does (in-process through click's CliRunner, or as a process) and read
its JSON report."""

from __future__ import annotations

import contextlib
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


def run_check(content: Path, *args: str, fmt: str = "json", subprocess_run: bool = False) -> Result:
    """`factsheets check CONTENT ARGS` from the repo root: in this process through click's
    CliRunner (the same command object, argument parsing and error boundary as the console
    script), or, with ``subprocess_run``, as a separate ``python -m generator`` process."""
    cmd = ["check", display(content), *args] + (["--format", fmt] if fmt else [])
    if subprocess_run:
        env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        # the timeout only stops a hung run from hanging the suite; it is not a speed assertion
        proc = subprocess.run([sys.executable, "-m", "generator", *cmd], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=600)
        code, out, err = proc.returncode, proc.stdout, proc.stderr
    else:
        from click.testing import CliRunner

        from generator.cli import cli

        with contextlib.chdir(REPO):
            res = CliRunner().invoke(cli, cmd, prog_name="factsheets", catch_exceptions=False)
        code, out, err = res.exit_code, res.stdout, res.stderr
    assert "Traceback" not in err, err
    assert "Traceback" not in out, out
    diagnostics = None
    if fmt == "json":
        try:
            diagnostics = json.loads(out)
        except ValueError:
            diagnostics = None
    return Result(code, diagnostics, out, err)


@pytest.fixture
def check():
    return run_check
