"""`factsheets build` never deletes what it did not make (issue 24): the site folder it may
replace, the swap, unreadable or littered content, a site that shrinks, one build at a time,
a build killed while MkDocs runs.

Unreadable folders and read-only sites need a user that permissions apply to: the tests run as
root, for whom chmod stops nothing, so those tests run the command as the unprivileged user
``nobody`` through ``setpriv`` (in a world-readable copy of the project owned by that user), and
skip when that is not possible."""

from __future__ import annotations

import copy
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator.errors import BuildError
from generator.core.loader import discover
from generator.publish.site import (LOCK_NAME, SITE_MARK, SwapError, WorkMark, group_alive, read_site_mark,
                            replace_dir)
from tests.conftest import REPO, copy_project, run_cli

SOURCE = "content/sources/asharq-2025-12-24-russia-syria.yaml"
MEETING_PAGE = "meetings/lavrov-shaibani-talks-2025-12-24/index.html"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def _snapshot(root: Path, skip: tuple[str, ...] = ("build",)) -> dict[str, str]:
    """Every file under ``root`` (but the build folder) with a hash of its bytes."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] in skip or "__pycache__" in rel.parts:
            continue
        out[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return out


def _set_site_dir(project: Path, value: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nsite_dir: site\n" in text
    config.write_text(text.replace("\nsite_dir: site\n", f"\nsite_dir: {value}\n"), encoding="utf-8")


def _site_is_complete(site: Path) -> None:
    assert (site / "index.html").is_file() and (site / "en" / "index.html").is_file()
    assert (site / MEETING_PAGE).is_file() and (site / "en" / MEETING_PAGE).is_file()
    assert (site / "pagefind" / "pagefind.js").is_file() and (site / "en" / "pagefind" / "pagefind.js").is_file()
    assert read_site_mark(site)["pages"] == 76


# --- 1. the site folder -----------------------------------------------------------------------

@pytest.mark.parametrize("site_dir", ["content", ".", "templates", "overrides", "build", "content/site", "build/site",
                                      "..", "./"])
def test_site_dir_at_content_or_the_project_is_refused_and_nothing_is_touched(project: Path, site_dir: str) -> None:
    _set_site_dir(project, site_dir)
    before = _snapshot(project)
    proc = run_cli("build", cwd=project, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "mkdocs.yml:12:11: error[site-dir-unsafe]: site_dir" in proc.stderr, proc.stderr
    assert "= hint: set site_dir in mkdocs.yml" in proc.stderr and "Traceback" not in proc.stderr
    assert _snapshot(project) == before  # content, mkdocs.yml, templates…: all there, unchanged
    assert [p.name for p in project.parent.iterdir()] == ["project"]  # no work folder beside it either
    assert not list(project.rglob(".site-*"))


def test_mkdocs_yml_naming_modules_by_their_old_place_is_refused_with_the_new_name(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "generator.publish.mdext" in text and "generator/publish/mkdocs_hooks.py" in text
    config.write_text(text.replace("generator.publish.mdext", "generator.mdext")
                      .replace("generator/publish/mkdocs_hooks.py", "generator/mkdocs_hooks.py"), encoding="utf-8")
    lines = config.read_text(encoding="utf-8").splitlines()
    ext_line = next(i for i, line in enumerate(lines, 1) if "- generator.mdext" in line)
    hook_line = next(i for i, line in enumerate(lines, 1) if "generator/mkdocs_hooks.py" in line)
    before = _snapshot(project)
    proc = run_cli("build", cwd=project, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert (f"mkdocs.yml:{ext_line}:5: error[config-moved]: markdown_extensions names 'generator.mdext', "
            "which moved to 'generator.publish.mdext'") in proc.stderr, proc.stderr
    assert f"mkdocs.yml:{hook_line}:5: error[config-moved]: hooks names" in proc.stderr, proc.stderr
    assert "= hint: write 'generator.publish.mdext' in mkdocs.yml instead" in proc.stderr
    assert _snapshot(project) == before


def test_site_dir_holding_someone_elses_files_is_refused(project: Path) -> None:
    notes = project / "site" / "notes.txt"
    notes.parent.mkdir()
    notes.write_text("my notes", encoding="utf-8")
    (project / "published").write_text("a file, not a folder", encoding="utf-8")
    proc = run_cli("build", cwd=project, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "mkdocs.yml:12:11: error[site-dir-foreign]:" in proc.stderr and "was not built by factsheets" in proc.stderr
    assert "move that folder away" in proc.stderr
    assert notes.read_text(encoding="utf-8") == "my notes" and sorted(p.name for p in notes.parent.iterdir()) == ["notes.txt"]
    _set_site_dir(project, "published")
    proc = run_cli("build", cwd=project, timeout=120)
    assert proc.returncode == 1 and "error[site-dir-foreign]" in proc.stderr and "is not a folder" in proc.stderr
    assert (project / "published").read_text(encoding="utf-8") == "a file, not a folder"
    assert not list(project.glob(".site-*"))


def test_a_site_built_by_an_earlier_version_is_accepted_and_marked(built_project: Path) -> None:
    """A site of a version that wrote no mark (index.html, en/index.html, pagefind/) is replaced;
    the new one carries the mark, a format line and its page count."""
    project = built_project  # the session's build, copied: the same sources built once
    site = project / "site"
    assert re.fullmatch(r"factsheets-site 1\npages 76\nbuild [0-9a-f]{16}\n", (site / SITE_MARK).read_text(encoding="utf-8"))
    (site / SITE_MARK).unlink()
    (site / "leftover.html").write_text("from the old build", encoding="utf-8")
    proc = run_cli("build", cwd=project)
    assert proc.returncode == 0, proc.stderr
    _site_is_complete(site)
    assert not (site / "leftover.html").exists()  # the old site was replaced as a whole


# --- 2. the swap ------------------------------------------------------------------------------

def test_a_site_old_folder_and_unmarked_work_folders_are_never_deleted(project: Path) -> None:
    """The previous site goes aside inside the build's own work folder: a user's `site.old/` and
    a `.site-*` folder the tool did not make (no mark) stay as they are, over two builds (the
    second one swaps a site out)."""
    old = project / "site.old"
    (old / "keep").mkdir(parents=True)
    (old / "keep" / "draft.md").write_text("a user's draft", encoding="utf-8")
    stray = project / ".site-mine"
    stray.mkdir()
    (stray / "photo.jpg").write_bytes(b"\xff\xd8")
    for _ in range(2):
        proc = run_cli("build", cwd=project)
        assert proc.returncode == 0, proc.stderr
    assert (old / "keep" / "draft.md").read_text(encoding="utf-8") == "a user's draft"
    assert (stray / "photo.jpg").read_bytes() == b"\xff\xd8"
    assert sorted(p.name for p in project.glob(".site-*")) == [".site-mine"]
    _site_is_complete(project / "site")


def test_a_failed_swap_puts_the_previous_site_back(tmp_path: Path) -> None:
    site, work = tmp_path / "site", tmp_path / ".site-work"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text("previous", encoding="utf-8")
    work.mkdir()
    with pytest.raises(SwapError, match="the previous site was put back"):
        replace_dir(work / "missing-new-site", site, work / "previous-site")  # the new site cannot be moved in
    assert (site / "index.html").read_text(encoding="utf-8") == "previous" and (site / "en").is_dir()
    assert not (work / "previous-site").exists()
    new = work / "site"
    new.mkdir()
    (new / "index.html").write_text("new", encoding="utf-8")
    replace_dir(new, site, work / "previous-site")
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert (work / "previous-site" / "index.html").read_text(encoding="utf-8") == "previous"  # aside, in the work folder
    with pytest.raises(BuildError, match="already exists"):  # never over something already there
        replace_dir(new, site, work / "previous-site")


# --- running as a user that permissions apply to ----------------------------------------------

NOBODY = 65534


def _unprivileged() -> list[str]:
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.skip("needs setpriv to run as an unprivileged user (tests run as root, for whom chmod stops nothing)")
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def _nobody_env(project: Path) -> dict[str, str]:
    """This environment's packages on the path: the virtualenv's interpreter may live where the
    unprivileged user cannot go (e.g. under /root), so a system Python of the same version may run them."""
    paths = [str(REPO), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HOME": str(project),
            "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths))}


_PYTHON: dict[str, str] = {}


def _nobody_python(project: Path) -> str:
    """An interpreter the unprivileged user can run, and that can start itself again (MkDocs)."""
    if "python" not in _PYTHON:
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        candidates = [sys.executable, f"/usr/bin/{version}", f"/usr/local/bin/{version}"]
        probe = "import subprocess, sys, mkdocs, generator; sys.exit(subprocess.run([sys.executable, '-c', 'import mkdocs']).returncode)"
        for python in candidates:
            if not os.access(python, os.X_OK):
                continue
            proc = subprocess.run([*_unprivileged(), python, "-c", probe], cwd=project, env=_nobody_env(project),
                                  capture_output=True, text=True, timeout=120)
            if proc.returncode == 0:
                _PYTHON["python"] = python
                break
        else:
            pytest.skip(f"no Python the unprivileged user can run with this environment's packages ({candidates})")
    return _PYTHON["python"]


@pytest.fixture()
def nobody_project() -> Iterator[Path]:
    """A project copy that the unprivileged user owns, in a folder every user can reach (pytest's
    tmp_path is private to root)."""
    prefix = _unprivileged()
    top = Path(tempfile.mkdtemp(prefix="factsheets-safety-"))
    try:
        top.chmod(0o755)
        project = copy_project(top / "project")
        if prefix:
            for path in [project, *project.rglob("*")]:
                os.lchown(path, NOBODY, NOBODY)
        _nobody_python(project)
        yield project
    finally:
        for path in [top, *top.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(top)


def _run_as_nobody(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_unprivileged(), _nobody_python(project), "-m", "generator", *args], cwd=project,
                          env=_nobody_env(project), capture_output=True, text=True, timeout=600)


def test_a_read_only_site_is_replaced_and_leaves_nothing_behind(nobody_project: Path) -> None:
    """Every folder of the built site read-only (chmod -R a-w): the next build still replaces it,
    removes the old copy from its work folder and leaves no `.site-*` or `site.old` behind."""
    project = nobody_project
    proc = _run_as_nobody(project, "build")
    assert proc.returncode == 0, proc.stderr
    site = project / "site"
    subprocess.run([*_unprivileged(), "chmod", "-R", "a-w", str(site)], check=True)
    probe = subprocess.run([*_unprivileged(), "touch", str(site / "en" / "x")], capture_output=True)
    assert probe.returncode != 0  # really read-only for that user
    for _ in range(2):  # the build after it must work too
        proc = _run_as_nobody(project, "build")
        assert proc.returncode == 0, proc.stderr
        assert sorted(p.name for p in project.iterdir() if p.name.startswith((".site-", "site."))) == []
    _site_is_complete(site)


# --- 3. unreadable content --------------------------------------------------------------------

def test_an_unreadable_content_folder_is_an_error_not_an_empty_site(nobody_project: Path) -> None:
    """content/sources/ that the user cannot list (mode 000, as an unprivileged user) fails check and
    build with its path; no site is made from what could be read."""
    project = nobody_project
    (project / "content" / "sources").chmod(0)
    proc = _run_as_nobody(project, "check")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "content/sources:1:1: error[unreadable]: cannot read this folder: Permission denied" in proc.stderr
    assert "= hint: make it readable" in proc.stderr and "Traceback" not in proc.stderr
    proc = _run_as_nobody(project, "build")
    assert proc.returncode == 1 and "error[unreadable]" in proc.stderr
    assert not (project / "site").exists() and not list(project.glob(".site-*"))


# --- 4. a site that shrinks -------------------------------------------------------------------

def test_a_build_publishing_less_than_half_the_pages_stops_unless_allowed(project: Path) -> None:
    path = project / SOURCE
    original = path.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    for i in range(40):  # 40 meetings more: 80 pages more, 156 in all
        extra = dict(copy.deepcopy(data["meetings"][0]), id=f"extra-meeting-{i}")
        extra["title"] = {"ar": f"لقاء إضافي {i}", "en": f"Extra meeting {i}"}
        data["meetings"].append(extra)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert run_cli("build", cwd=project).returncode == 0
    site = project / "site"
    assert read_site_mark(site)["pages"] == 156
    before = _snapshot(site, skip=())
    path.write_text(original, encoding="utf-8")  # back to 76 pages: fewer than half of 156
    proc = run_cli("build", cwd=project)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "would publish 76 pages, fewer than half of the 156 pages of the current site" in proc.stderr
    assert "--allow-shrink" in proc.stderr
    assert _snapshot(site, skip=()) == before and not list(project.glob(".site-*"))
    proc = run_cli("build", "--allow-shrink", cwd=project)
    assert proc.returncode == 0, proc.stderr
    _site_is_complete(site)
    assert not (site / "meetings" / "extra-meeting-0").exists()


# --- 5. one build at a time -------------------------------------------------------------------

def _progress_until(proc: subprocess.Popen[str], prefix: str) -> list[str]:
    """Read the build's progress (stderr) until a line starts with ``factsheets: PREFIX``."""
    assert proc.stderr is not None
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if line.startswith(f"factsheets: {prefix}"):
            return lines
    raise AssertionError(f"the build ended before '{prefix}': {''.join(lines)}")


def _start_build(project: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=project, env=env, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_a_second_concurrent_build_fails_at_once_naming_the_first(project: Path) -> None:
    """While a build runs (its MkDocs configurations in its own work folder, not build/), a
    second build in the same project fails at once, naming the first one's process id."""
    first = _start_build(project)
    try:
        _progress_until(first, "MkDocs: building")
        assert (project / "build" / LOCK_NAME).read_text(encoding="utf-8").strip() == str(first.pid)
        [work] = project.glob(".site-*")
        assert (work / "mkdocs.ar.yml").is_file() and (work / "mkdocs.en.yml").is_file()
        assert not (project / "build" / "mkdocs.ar.yml").exists()
        second = run_cli("build", cwd=project, timeout=60)
        assert second.returncode == 1 and "Traceback" not in second.stderr
        assert f"another build (pid {first.pid}) is running in this project" in second.stderr
        assert "checked" not in second.stderr  # it stopped before reading anything
        assert first.wait(timeout=300) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    _site_is_complete(project / "site")
    # the configurations of the last site built are kept for reference
    config = yaml.safe_load((project / "build" / "mkdocs.en.yml").read_text(encoding="utf-8"))
    assert (project / "build" / config["docs_dir"]).resolve() == (project / "build" / "docs" / "en").resolve()
    assert run_cli("build", cwd=project).returncode == 0  # the lock was released


def test_a_stale_lock_of_a_dead_build_is_taken_over(project: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (project / "build").mkdir()
    (project / "build" / LOCK_NAME).write_text(f"{dead.pid}\n", encoding="utf-8")
    proc = run_cli("build", "--markdown-only", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert f"took over the lock of build {dead.pid}, which is no longer running" in proc.stderr
    assert (project / "build" / LOCK_NAME).read_text(encoding="utf-8") == ""  # released


# --- 6. a build killed while MkDocs runs --------------------------------------------------------

def test_a_build_killed_during_mkdocs_then_a_new_build_leaves_no_work_folder(project: Path) -> None:
    """SIGKILL to the build while its MkDocs processes run: they live on, writing into the killed
    build's work folder. The next build, started at once, stops them (they are named in the work
    mark), removes the folder only then, and builds a complete site; no `.site-*` remains."""
    first = _start_build(project)
    try:
        _progress_until(first, "generated ")  # both languages are (about to go) to MkDocs
        [work] = project.glob(".site-*")
        mark = WorkMark.read(work)
        while first.poll() is None and not (mark and len(mark.groups) == 2):  # en may start a moment later
            mark = WorkMark.read(work)
        assert mark is not None and mark.build[0] == first.pid and len(mark.groups) == 2, mark
        first.send_signal(signal.SIGKILL)
        first.wait()
        orphans = [pgid for pgid, _ in mark.groups if group_alive(pgid)]
        assert orphans, "MkDocs finished before the build was killed: the test did not test anything"
        proc = run_cli("build", cwd=project)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert proc.returncode == 0, proc.stderr
    assert "left by the interrupted build" in proc.stderr and "removed the work folder of an interrupted build" in proc.stderr
    assert not any(group_alive(pgid) for pgid, _ in mark.groups)  # so nothing writes into a .site-* again
    assert not list(project.glob(".site-*"))
    _site_is_complete(project / "site")


# --- 7. litter under content/, symbolic links -------------------------------------------------

def test_editor_and_system_litter_under_content_is_ignored(project: Path) -> None:
    content = project / "content"
    clean, problems = discover(content)
    assert not problems
    (content / ".#people.yaml").symlink_to("root@host.12345:1700000000")  # Emacs's lock: a dangling link
    (content / "people.yaml~").write_text("people: [broken", encoding="utf-8")
    (content / "#people.yaml#").write_text("people: [broken", encoding="utf-8")
    (content / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (content / "sources" / ".asharq.yaml.swp").write_bytes(b"b0VIM 9.0\x00")
    (content / "sources" / "notes.yaml.swo").write_bytes(b"b0VIM 9.0\x00")
    (content / ".hidden.yaml").write_text("people: [broken", encoding="utf-8")
    (content / ".git").mkdir()
    (content / ".git" / "config.yaml").write_text("people: [broken", encoding="utf-8")
    assert discover(content) == (clean, [])
    proc = run_cli("check", str(content), cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_symbolic_links_leading_out_of_content_are_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "more").mkdir(parents=True)
    (outside / "people.yaml").write_text("people: []\n", encoding="utf-8")
    (project / "content" / "extra").symlink_to(outside / "more", target_is_directory=True)
    (project / "content" / "more-people.yaml").symlink_to(outside / "people.yaml")
    proc = run_cli("check", cwd=project)
    assert proc.returncode == 1
    assert "content/extra:1:1: error[symlink-outside]" in proc.stderr
    assert "content/more-people.yaml:1:1: error[symlink-outside]" in proc.stderr
