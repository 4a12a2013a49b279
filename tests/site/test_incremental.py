"""Incremental `factsheets build` (issue 22): after an edit, only the pages whose Markdown changed
are rebuilt over a hard-linked copy of the previous site, and the result is byte for byte the
site a clean build of the same content gives (Pagefind bundles included: a clean build of the
same content is byte-identical, which test_clean_builds_are_reproducible checks first).

Each case: build, edit, build again (incremental, or clean where it must be), then a clean build
of the same edited project in another folder, and the two sites compared file by file."""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.publish.incremental import STATE_FILE
from generator.publish.site import SITE_MARK, WorkMark, group_alive, read_site_mark
from tests.conftest import REPO, copy_project, run_cli

SOURCE = "content/sources/asharq-2025-12-24-russia-syria.yaml"


def _diff(a: Path, b: Path) -> list[str]:
    """Relative paths that differ between two trees (missing on one side, or other bytes); the
    sites' marks differ by their build token only (the page count must be the same)."""
    out: list[str] = [] if read_site_mark(a)["pages"] == read_site_mark(b)["pages"] else [SITE_MARK]

    def walk(cmp: filecmp.dircmp, rel: str) -> None:
        out.extend(f"{rel}{n} (only in {a.name if n in cmp.left_only else b.name})"
                   for n in cmp.left_only + cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        out.extend(rel + n for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{rel}{name}/")

    walk(filecmp.dircmp(a, b, ignore=[SITE_MARK]), "")
    return sorted(out)


def _build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = run_cli("build", *args, cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def assert_same_as_clean(work: Path, reference: Path,
                         build: Callable[[Path], subprocess.CompletedProcess[str]] = _build) -> None:
    """A clean build of ``work``'s content and templates, elsewhere, gives ``work``'s site byte for byte."""
    copy_project(reference)
    for part in ("content", "templates"):
        shutil.rmtree(reference / part)
        shutil.copytree(work / part, reference / part)
    assert ", clean:" in build(reference).stdout
    assert _diff(work / "site", reference / "site") == []


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, built once (clean): each case starts from a copy of it, site and state included."""
    project = copy_project(tmp_path_factory.mktemp("incr") / "base")
    proc = _build(project)
    assert ", clean:" in proc.stdout
    assert (project / "build" / STATE_FILE).is_file()
    return project


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_summary(p: Path) -> None:
    _replace(p / SOURCE, "Lavrov said Russia is committed to Syria's sovereignty.",
             "Lavrov said Russia remains committed to Syria's sovereignty.")


def new_statement(p: Path) -> None:
    text = (p / SOURCE).read_text(encoding="utf-8")
    start = text.index("  - id: lavrov-russia-committed-to-syrian-sovereignty")
    block = text[start:text.index("\n\n", start)]
    block = block.replace("id: lavrov-russia-committed-to-syrian-sovereignty", "id: lavrov-sovereignty-restated")
    block = block.replace("Lavrov said Russia is committed", "Lavrov restated that Russia is committed")
    (p / SOURCE).write_text(text.rstrip("\n") + "\n\n" + block + "\n", encoding="utf-8")


def new_meeting(p: Path) -> None:
    text = (p / SOURCE).read_text(encoding="utf-8")
    start = text.index("  - id: lavrov-shaibani-talks-2025-12-24")
    end = text.index("\n\n\n# ", start)  # the meetings end where the statements' banner starts
    block = text[start:end]
    block = block.replace("id: lavrov-shaibani-talks-2025-12-24", "id: lavrov-shaibani-followup-2025-12-24")
    block = block.replace("Lavrov–al-Shaibani talks and joint", "Lavrov–al-Shaibani follow-up talks and joint")
    (p / SOURCE).write_text(text[:end] + "\n\n" + block + text[end:], encoding="utf-8")


def remove_person(p: Path) -> None:
    _replace(p / SOURCE, "      - person: murhaf-abu-qasra\n        side: syria\n", "")
    people = (p / "content/people.yaml").read_text(encoding="utf-8")
    start = people.index("  - id: murhaf-abu-qasra")
    end = people.find("\n  - id:", start)
    (p / "content/people.yaml").write_text(people[:start] + (people[end + 1:] if end > 0 else ""), encoding="utf-8")


def rename_topic(p: Path) -> None:
    for path in [*(p / "content").rglob("*.yaml"), *(p / "content").rglob("*.md")]:
        text = path.read_text(encoding="utf-8")
        if "military-cooperation" in text:
            path.write_text(text.replace("military-cooperation", "defence-cooperation"), encoding="utf-8")
    _replace(p / "content/topics.yaml", "  - id: defence-cooperation\n",
             "  - id: defence-cooperation\n    previous_ids: [military-cooperation]\n")


def edit_template(p: Path) -> None:
    (p / "templates/meeting.md.j2").write_text((p / "templates/meeting.md.j2").read_text(encoding="utf-8")
                                               + "\n<!-- edited -->\n", encoding="utf-8")


def rename_person(p: Path) -> None:
    """A person's name (text only): every page that names him, and only those, is rendered again."""
    _replace(p / "content/people.yaml", "en: Sergey Lavrov", "en: Sergei Lavrov")


def edit_catalog(p: Path) -> None:
    _replace(p / "templates/i18n/en.yaml", "\ntimeline: Timeline of meetings\n", "\ntimeline: Meetings over time\n")


#: edit, built incrementally (HTML), Markdown rendered by the dependency map (only the pages the
#: edit reaches, structural edits included; else every page: templates and catalogs are global inputs)
CASES: dict[str, tuple[Callable[[Path], None], bool, bool]] = {
    "summary": (edit_summary, True, True),
    "person-name": (rename_person, True, True),
    "new-statement": (new_statement, True, True),
    "new-meeting": (new_meeting, True, True),
    "removed-person": (remove_person, True, True),
    "renamed-id": (rename_topic, True, True),
    "template": (edit_template, False, False),
    "catalog": (edit_catalog, False, False),
}


@pytest.mark.parametrize("case", list(CASES))
def test_incremental_equals_clean(built: Path, tmp_path: Path, case: str) -> None:
    edit, incremental, by_map = CASES[case]
    work = tmp_path / "incremental"
    shutil.copytree(built, work, symlinks=True)
    before = {p: (p.stat().st_ino, p.read_bytes()) for p in (work / "site").rglob("*") if p.is_file()}
    edit(work)
    proc = _build(work)
    reached = re.findall(r"(\w+): (\d+) of (\d+) pages reached by the edit", proc.stderr)
    if by_map:  # each language rendered some of its pages, not all
        assert sorted(lang for lang, _, _ in reached) == ["ar", "en"], proc.stderr
        assert all(0 < int(n) < int(total) for _, n, total in reached), reached
    else:
        assert reached == [], proc.stderr
    if incremental:
        m = re.search(r"incrementally \((\d+) page\(s\) changed\)", proc.stdout)
        assert m, proc.stdout + proc.stderr
        assert 0 < int(m.group(1)) < 76, proc.stdout
        # pages not rebuilt are the previous files themselves (hard links), not copies
        kept = [p for p, (ino, _) in before.items() if p.exists() and p.stat().st_ino == ino]
        assert kept, "no file of the previous site was reused"
    else:
        assert ", clean:" in proc.stdout, proc.stdout + proc.stderr
    assert_same_as_clean(work, tmp_path / "clean")


def test_clean_builds_are_reproducible(built: Path, tmp_path: Path) -> None:
    """The premise of the comparisons above: two clean builds of the same content, Pagefind
    bundles included, are byte-identical; and --clean forces a clean build over a reusable one."""
    work = tmp_path / "again"
    shutil.copytree(built, work, symlinks=True)
    assert ", clean:" in _build(work, "--clean").stdout
    assert _diff(work / "site", built / "site") == []
    assert "incrementally (0 page(s) changed)" in _build(work).stdout
    assert _diff(work / "site", built / "site") == []


def test_state_of_another_site_is_not_reused(built: Path, tmp_path: Path) -> None:
    """A site not made by the build the state describes (its mark names another build) is never
    patched: the next build is clean."""
    work = tmp_path / "other"
    shutil.copytree(built, work, symlinks=True)
    mark = work / "site" / ".factsheets-site"
    mark.write_text(re.sub(r"build \w+", "build 0000", mark.read_text(encoding="utf-8")), encoding="utf-8")
    proc = _build(work)
    assert ", clean:" in proc.stdout and "no previous build to reuse" in proc.stderr


def test_a_file_changed_in_the_site_means_a_clean_build(built: Path, tmp_path: Path) -> None:
    """A file left in the site by hand (or edited there) is not carried over by reuse: the build
    is clean, and the file is gone as with any clean build."""
    work = tmp_path / "touched"
    shutil.copytree(built, work, symlinks=True)
    assert "incrementally (0 page(s) changed)" in _build(work).stdout
    (work / "site" / "leftover.html").write_text("not ours", encoding="utf-8")
    proc = _build(work)
    assert ", clean:" in proc.stdout and "were changed since it was built" in proc.stderr
    assert not (work / "site" / "leftover.html").exists()


def test_a_language_built_clean_after_all_drops_its_copy_of_the_previous_site(
        built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each language's part of the previous site is hard-linked into the build's own while the
    content is rendered; a language then judged not worth an incremental build (here every job is
    judged so) is built clean over none of that copy (MkDocs starts on an empty folder: no copy
    still under way can add to it), and the site is a clean build's."""
    from generator.build import build
    from generator.publish import site as site_module
    from generator.publish.incremental import Job
    from generator.publish.site import Project

    real_start = site_module.start_mkdocs
    left: dict[str, list[str]] = {}

    def start_mkdocs(config: Path, **kwargs: Any) -> Any:  # what the part held as MkDocs started
        lang = config.name.split(".")[1]
        part = config.parent / f"part-{lang}"
        left[lang] = [p.name for p in part.iterdir()] if part.is_dir() else []
        return real_start(config, **kwargs)

    monkeypatch.setattr(site_module, "start_mkdocs", start_mkdocs)

    work = tmp_path / "dropped"
    shutil.copytree(built, work, symlinks=True)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    build(Project.at(work))  # in this process (its fingerprint is this process's)
    edit_summary(work)
    monkeypatch.setattr(Job, "worth_it", lambda _self, _total: False)
    said: list[str] = []
    result = build(Project.at(work), progress=said.append)
    assert not result.incremental
    assert sorted(s.split(":")[0] for s in said if s.endswith("pages changed")) == ["clean build of ar",
                                                                                    "clean build of en"], said
    assert not any("rebuilding" in s for s in said), said
    assert left == {"ar": [], "en": []}
    assert_same_as_clean(work, tmp_path / "clean")


def test_killed_incremental_build_leaves_previous_site(built: Path, tmp_path: Path) -> None:
    """The build is killed (SIGKILL) while its incremental MkDocs job runs; the job itself is left
    to finish writing into its hard-linked copy. The site served before is untouched, byte for byte
    (no file written in place through a hard link), and the next build gives the edited site."""
    work = tmp_path / "killed"
    shutil.copytree(built, work, symlinks=True)
    site = work / "site"
    before = {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    edit_summary(work)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=work, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if "rebuilding" in line:
                break
        else:
            pytest.fail("the build never started an incremental job")
        os.killpg(proc.pid, signal.SIGKILL)  # the build and its render worker, as a terminal's kill would
    finally:
        proc.wait(timeout=60)
    marks = [WorkMark.read(f) for f in work.glob(".site-*")]
    groups = [g for m in marks if m for g in m.groups]
    assert groups, "the killed build left no work folder naming its MkDocs jobs"
    deadline = time.monotonic() + 60
    while any(group_alive(pgid) for pgid, _ in groups) and time.monotonic() < deadline:
        time.sleep(0.1)
    after = {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    proc2 = _build(work)
    assert "remains committed" in (site / "en/meetings/lavrov-shaibani-talks-2025-12-24/index.html").read_text(
        encoding="utf-8"), proc2.stdout
