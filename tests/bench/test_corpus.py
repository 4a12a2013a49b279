"""The benchmark corpus generator (bench/corpus.py): valid content, and deterministic."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, run_cli

sys.path.insert(0, str(REPO))
from bench.corpus import write_corpus  # noqa: E402

N = 20


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "content"
    write_corpus(N, out, seed=8)
    return out


def test_layout_and_sizes(corpus: Path) -> None:
    files = _tree(corpus)
    assert {"people.yaml", "organizations.yaml", "topics.yaml"} <= set(files)
    sources = sorted((corpus / "sources").glob("*.yaml"))
    assert len(sources) == N  # one article per meeting
    topics = yaml.safe_load((corpus / "topics.yaml").read_text(encoding="utf-8"))["topics"]
    assert len(topics) == 30
    for path in sources[:5]:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert 8 <= len(doc["source"]["text"]) <= 15
        assert doc["source"]["language"] == "ar"
        (meeting,) = doc["meetings"]
        assert 1 <= len(meeting["sources"]) <= 2
        assert 8 <= len(doc["statements"]) <= 12


def test_passes_factsheets_check(corpus: Path) -> None:
    proc = run_cli("check", "--strict", str(corpus), timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 error(s), 0 warning(s)" in proc.stdout


def test_same_seed_same_bytes(corpus: Path, tmp_path: Path) -> None:
    write_corpus(N, tmp_path / "again", seed=8)
    assert _tree(tmp_path / "again") == _tree(corpus)


def test_other_seed_other_content(corpus: Path, tmp_path: Path) -> None:
    write_corpus(N, tmp_path / "other", seed=9)
    assert _tree(tmp_path / "other") != _tree(corpus)
