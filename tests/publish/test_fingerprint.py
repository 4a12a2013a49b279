"""The incremental build's fingerprint covers the whole tool, every sub-package of generator/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import generator
from generator.publish import incremental
from generator.publish.site import Project
from tests.conftest import REPO


def test_the_fingerprint_hashes_the_whole_package() -> None:
    assert incremental.TOOL_ROOT == Path(generator.__file__).resolve().parent
    assert (incremental.TOOL_ROOT / "render" / "pages.py").is_file()


@pytest.mark.parametrize("module", ["render/pages.py", "core/corpus.py", "publish/mdext.py", "build.py"])
def test_a_change_anywhere_in_the_package_changes_the_fingerprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   module: str) -> None:
    copy = tmp_path / "generator"
    shutil.copytree(incremental.TOOL_ROOT, copy, ignore=shutil.ignore_patterns("__pycache__", "_data"))
    monkeypatch.setattr(incremental, "TOOL_ROOT", copy)
    project = Project.at(REPO)
    base = project.base_config()
    before = incremental.fingerprint(project, base, "mkdocs")
    assert incremental.fingerprint(project, base, "mkdocs") == before
    with (copy / module).open("a", encoding="utf-8") as f:
        f.write("\n# changed\n")
    assert incremental.fingerprint(project, base, "mkdocs") != before
