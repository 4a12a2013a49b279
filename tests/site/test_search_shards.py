"""The search index in shards, built for real (issue 22, item 2): the example site, with copies of
its article dated 2023 and 2024 (shards are by year), in shards of 10 pages (four per language),
an edit, and the incremental build re-indexes only the shards holding a page whose HTML changed
(counted from its progress lines), reuses the other bundles as hard links, and gives the site a
clean build gives, byte for byte."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import urls
from generator.publish import search
from generator.render.plan import LANGS
from tests.conftest import REPO, add_years, copy_project, run_cli
from tests.site.test_incremental import assert_same_as_clean, edit_summary, new_meeting

ENV = {search.SHARD_PAGES_ENV: "10"}
PROGRESS = re.compile(r"Pagefind: indexing (\d+) of (\d+) shard\(s\) of (\w+) \((\d+) of (\d+) pages\), reusing (\d+)")


def _build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = run_cli("build", *args, cwd=project, env=ENV)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def _assert_same_as_clean(work: Path, reference: Path) -> None:
    assert_same_as_clean(work, reference, _build)


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("shards") / "base")
    add_years(project, [2023, 2024])  # 2025, 2023 and 2024: shards 1, 2 and 3; shard 0 the undated pages
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

    _assert_same_as_clean(work, tmp_path / "clean")


def test_the_preview_indexes_only_the_shards_of_changed_pages(sharded: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The live preview's path: a build without search (the previous bundles kept), then the
    background indexer: it indexes only the shards whose pages changed, and the site is then the
    one a clean build gives; a second run finds nothing to do."""
    import threading

    from generator.publish.preview import SearchIndexer
    from generator.publish.site import Project

    monkeypatch.setenv(search.SHARD_PAGES_ENV, "10")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    work = tmp_path / "preview"
    shutil.copytree(sharded, work, symlinks=True)
    before = {lang: _pages(work / "site", lang) for lang in LANGS}
    edit_summary(work)
    # the preview's build, in a process of its own started in the project as run_cli starts the
    # builds (the project's copy of the tool, which the fingerprint covers)
    code = ("import sys; from pathlib import Path; from generator.build import build; "
            "from generator.publish.site import Project; "
            f"build(Project.at(Path({str(work)!r})), search=False, progress=lambda m: print(m, file=sys.stderr))")
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600,
                          cwd=work)
    assert proc.returncode == 0 and "rebuilding" in proc.stderr, proc.stderr
    assert not PROGRESS.search(proc.stderr), proc.stderr  # no Pagefind before serving
    project = Project.at(work)
    ok, message = SearchIndexer(project)._index(threading.Event())
    assert ok, message
    for lang in LANGS:
        after = _pages(work / "site", lang)
        touched = {search.shard_of(p, 4) for p in set(before[lang]) | set(after)
                   if before[lang].get(p, (0, b""))[1] != after.get(p, (0, b""))[1]}
        assert f"{lang}: {len(touched)} of 4 shard(s) indexed again" in message, (message, touched)
    ok, message = SearchIndexer(project)._index(threading.Event())
    assert ok and all(f"{lang}: 0 of 4 shard(s)" in message for lang in LANGS), message

    _assert_same_as_clean(work, tmp_path / "clean")
