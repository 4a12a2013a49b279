"""The search index in shards, built for real (issue 22, item 2): the example site with shards of
10 pages (four per language), an edit, and the incremental build re-indexes only the shards
holding a page whose HTML changed (counted from its progress lines), reuses the other bundles as
hard links, and gives the site a clean build gives, byte for byte."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import urls
from generator.publish import search
from generator.render.plan import LANGS
from tests.conftest import copy_project, run_cli
from tests.site.test_incremental import _diff, edit_summary, new_meeting

ENV = {search.SHARD_PAGES_ENV: "10"}
PROGRESS = re.compile(r"Pagefind: indexing (\d+) of (\d+) shard\(s\) of (\w+) \((\d+) of (\d+) pages\), reusing (\d+)")


def _build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = run_cli("build", *args, cwd=project, env=ENV)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("shards") / "base")
    proc = _build(project)
    found = {m[2]: m for m in PROGRESS.findall(proc.stderr)}
    assert sorted(found) == sorted(LANGS), proc.stderr
    for lang, (n, total, _, pages, all_pages, reused) in found.items():
        assert n == total == "4" and reused == "0" and pages == all_pages, (lang, found[lang])  # clean: every shard
    return project


def _pages(site: Path, lang: str) -> dict[str, tuple[int, bytes]]:
    root = site / urls.lang_prefix(lang)
    return {p: ((root / p).stat().st_ino, (root / p).read_bytes())
            for p in search.html_pages(root, urls.nested_langs(lang))}


@pytest.mark.parametrize("edit", [edit_summary, new_meeting], ids=["summary", "new-meeting"])
def test_an_incremental_build_indexes_only_the_shards_of_changed_pages(sharded: Path, tmp_path: Path, edit) -> None:
    work = tmp_path / "incremental"
    shutil.copytree(sharded, work, symlinks=True)
    before = {lang: _pages(work / "site", lang) for lang in LANGS}
    bundles = {lang: {i: (work / "site" / urls.lang_prefix(lang) / search.bundle_dir(i) / "pagefind-entry.json")
                      .stat().st_ino for i in range(4)} for lang in LANGS}
    edit(work)
    proc = _build(work)
    assert "incrementally" in proc.stdout, proc.stdout + proc.stderr
    found = {m[2]: m for m in PROGRESS.findall(proc.stderr)}
    assert sorted(found) == sorted(LANGS), proc.stderr
    touched_somewhere = False
    for lang in LANGS:
        after = _pages(work / "site", lang)
        changed = {p for p in set(before[lang]) | set(after)
                   if p not in before[lang] or p not in after or before[lang][p][1] != after[p][1]}
        touched = {search.shard_of(p, 4) for p in changed}
        n, total, _, _, _, reused = found[lang]
        assert (int(n), int(total), int(reused)) == (len(touched), 4, 4 - len(touched)), (lang, changed, found[lang])
        touched_somewhere |= bool(touched)
        root = work / "site" / urls.lang_prefix(lang)
        for i in range(4):  # the bundles not indexed again are the previous site's files (hard links)
            ino = (root / search.bundle_dir(i) / "pagefind-entry.json").stat().st_ino
            assert (ino == bundles[lang][i]) == (i not in touched), (lang, i, touched)
        manifest = json.loads((root / search.PRIMARY / search.MANIFEST).read_text(encoding="utf-8"))
        assert manifest["merge"] == [f"../{search.bundle_dir(i)}/" for i in range(1, 4)]
    assert touched_somewhere
    if edit is edit_summary:  # a few pages: some shard of some language kept
        assert any(int(found[lang][5]) > 0 for lang in LANGS), found

    reference = tmp_path / "clean"
    copy_project(reference)
    for part in ("content", "templates"):
        shutil.rmtree(reference / part)
        shutil.copytree(work / part, reference / part)
    assert ", clean:" in _build(reference).stdout
    assert _diff(work / "site", reference / "site") == []
