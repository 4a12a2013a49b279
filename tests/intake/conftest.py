"""Helpers for the `factsheets new` tests: the seed article, registries copied to tmp, the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEED = SEEDS / "000_e866f567f2cfb250.txt"
EXAMPLE = REPO / "content" / "sources" / "asharq-2025-12-24-russia-syria.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """`factsheets ARGS` as a user runs it (tests/conftest.py's run_cli: `new` and `check` in
    this process through click's CliRunner, FACTSHEETS_TEST_SUBPROCESS=1 as a process)."""
    from tests.conftest import run_cli

    return run_cli(*args, cwd=cwd)


@pytest.fixture
def seed() -> Path:
    if not SEED.is_file():
        if os.environ.get("CI") == "true":  # CI lays shared/ beside the clone: the seed tests must run there
            pytest.fail(f"CI=true but the seed article is missing at {SEED}", pytrace=False)
        pytest.skip(f"the seed article is not available at {SEED} (../shared/seeds is outside the repository)")
    return SEED


@pytest.fixture
def registries(tmp_path: Path) -> Path:
    """A content folder holding the repository's registries but no source file."""
    content = tmp_path / "content"
    content.mkdir()
    for f in (REPO / "content").glob("*.yaml"):
        shutil.copy2(f, content / f.name)
    return content
