"""Safe output: never outside the root, atomic replacement, only changed files rewritten."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import FactsheetsError
from generator.render.write import MARKER, safe_target, write_tree


@pytest.mark.parametrize("rel", ["../escape.md", "a/../../escape.md", "/etc/passwd"])
def test_paths_leaving_the_root_are_refused(tmp_path: Path, rel: str) -> None:
    with pytest.raises(FactsheetsError, match="outside the output folder"):
        safe_target(tmp_path / "root", rel)


def test_symlinked_subfolder_pointing_out_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / MARKER).touch()
    (root / "out").symlink_to(tmp_path)
    with pytest.raises(FactsheetsError):
        write_tree(root, [("out/x.md", "x")])
    assert not (tmp_path / "x.md").exists()


def test_write_tree_rewrites_only_changes_and_prunes(tmp_path: Path) -> None:
    root = tmp_path / "root"
    report = write_tree(root, [("a.md", "A"), ("sub/b.md", "B")])
    assert (report.written, report.unchanged, report.removed) == (2, 0, 0)
    a_mtime = (root / "a.md").stat().st_mtime_ns
    os.utime(root / "a.md", ns=(a_mtime - 10_000_000, a_mtime - 10_000_000))
    a_mtime = (root / "a.md").stat().st_mtime_ns
    report = write_tree(root, [("a.md", "A"), ("c.md", "C")])
    assert (report.written, report.unchanged, report.removed) == (1, 1, 1)
    assert (root / "a.md").stat().st_mtime_ns == a_mtime
    assert not (root / "sub").exists() and (root / "c.md").read_text() == "C"
    assert not [p for p in root.iterdir() if p.name.startswith(".tmp-")]


def test_a_foreign_folder_is_left_alone(tmp_path: Path) -> None:
    root = tmp_path / "mine"
    root.mkdir()
    (root / "notes.md").write_text("keep me")
    with pytest.raises(FactsheetsError, match="not made by factsheets"):
        write_tree(root, [("a.md", "A")])
    assert (root / "notes.md").read_text() == "keep me" and not (root / "a.md").exists()


def test_a_file_linked_out_of_the_root_is_refused_and_one_inside_is_replaced(tmp_path: Path) -> None:
    root = tmp_path / "out"
    write_tree(root, [("a.md", "A")])
    outside = tmp_path / "secret.txt"
    outside.write_text("keep", encoding="utf-8")
    (root / "b.md").symlink_to(outside)
    with pytest.raises(FactsheetsError, match="outside the output folder"):
        write_tree(root, [("a.md", "A"), ("b.md", "B")])
    assert outside.read_text(encoding="utf-8") == "keep"
    (root / "b.md").unlink()
    (root / "b.md").symlink_to(root / "a.md")
    write_tree(root, [("a.md", "A"), ("b.md", "B")])
    assert (root / "a.md").read_text(encoding="utf-8") == "A" and (root / "b.md").read_text(encoding="utf-8") == "B"
