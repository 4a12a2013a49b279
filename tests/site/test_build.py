"""`factsheets build` and plain `mkdocs build`/`mkdocs serve`: behaviour a user relies on."""

from __future__ import annotations

import copy
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, copy_project, run_cli

SOURCE = "content/sources/asharq-2025-12-24-russia-syria.yaml"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def _add_meeting(project: Path, meeting_id: str) -> None:
    path = project / SOURCE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    extra = dict(copy.deepcopy(data["meetings"][0]), id=meeting_id)
    extra["title"] = {"ar": "لقاء إضافي", "en": "An extra meeting"}
    data["meetings"].append(extra)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_deleted_meeting_leaves_no_stale_page(project: Path) -> None:
    original = (project / SOURCE).read_text(encoding="utf-8")
    _add_meeting(project, "extra-meeting")
    assert run_cli("build", cwd=project).returncode == 0
    assert (project / "site/meetings/extra-meeting/index.html").exists()
    assert (project / "site/en/meetings/extra-meeting/index.html").exists()
    (project / SOURCE).write_text(original, encoding="utf-8")
    assert run_cli("build", cwd=project).returncode == 0
    assert not (project / "site/meetings/extra-meeting").exists()
    assert not (project / "site/en/meetings/extra-meeting").exists()
    assert not (project / "build/docs/ar/meetings/extra-meeting.md").exists()


def test_unchanged_pages_are_not_rewritten(project: Path) -> None:
    assert run_cli("build", "--markdown-only", cwd=project).returncode == 0
    docs = project / "build" / "docs"
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*.md")}
    time.sleep(0.05)
    path = project / SOURCE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Lavrov noted that the two countries coordinate", "Lavrov noted that both countries coordinate"),
                    encoding="utf-8")
    proc = run_cli("build", "--markdown-only", cwd=project)
    assert proc.returncode == 0
    changed = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md") if p.stat().st_mtime_ns != before.get(p)}
    # the English summary shows on its meeting, its speaker's, side's and topic's pages, and
    # in the annotation list of its source: those pages only are rewritten
    assert changed == {"en/meetings/lavrov-shaibani-talks-2025-12-24.md", "en/people/sergey-lavrov.md",
                       "en/topics/international-coordination.md", "en/organizations/russia.md",
                       "en/sources/asharq-2025-12-24-russia-syria.md"}, changed
    assert re.search(r"\(\d+ written, \d+ unchanged", proc.stderr)


def test_failed_content_check_leaves_previous_site(project: Path) -> None:
    assert run_cli("build", cwd=project).returncode == 0
    index = project / "site" / "index.html"
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    (project / "content" / "people.yaml").write_text("people:\n  - id: Bad Id\n", encoding="utf-8")
    proc = run_cli("build", cwd=project)
    assert proc.returncode == 1
    assert "content/people.yaml:2:" in proc.stderr and "error[id-format]" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before


def test_failed_mkdocs_build_leaves_previous_site(project: Path) -> None:
    assert run_cli("build", cwd=project).returncode == 0
    index = project / "site" / "en" / "index.html"
    before = index.read_bytes()
    template = project / "templates" / "home.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n[broken](missing-page.md)\n", encoding="utf-8")
    proc = run_cli("build", cwd=project)
    assert proc.returncode == 1
    assert "previous site was left in place" in proc.stderr and "missing-page.md" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert index.read_bytes() == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site-")]


def test_template_error_is_one_line_and_debug_shows_trace(project: Path) -> None:
    (project / "templates" / "home.md.j2").write_text("{% if %}\n", encoding="utf-8")
    proc = run_cli("build", "--markdown-only", cwd=project)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "error: templates/home.md.j2:1: template error:" in proc.stderr
    debug = run_cli("--debug", "build", "--markdown-only", cwd=project)
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_refuses_to_write_into_a_foreign_docs_folder(project: Path) -> None:
    foreign = project / "build" / "docs" / "ar"
    foreign.mkdir(parents=True)
    (foreign / "notes.md").write_text("my notes", encoding="utf-8")
    proc = run_cli("build", "--markdown-only", cwd=project)
    assert proc.returncode == 1 and "not made by factsheets" in proc.stderr
    assert (foreign / "notes.md").read_text(encoding="utf-8") == "my notes"


def test_plain_mkdocs_build_builds_both_languages(project: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ar = (project / "site/meetings/lavrov-shaibani-talks-2025-12-24/index.html").read_text(encoding="utf-8")
    en = (project / "site/en/meetings/lavrov-shaibani-talks-2025-12-24/index.html").read_text(encoding="utf-8")
    assert '<html lang="ar"' in ar and '<html lang="en"' in en
    assert (project / "site/pagefind/pagefind-ui.js").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def test_mkdocs_serve_regenerates_when_content_changes(project: Path) -> None:
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/en/meetings/lavrov-shaibani-talks-2025-12-24/"
    try:
        deadline = time.monotonic() + 120
        page = None
        while time.monotonic() < deadline and not (page and "Lavrov" in page):
            time.sleep(0.5)
            page = _get(url)
        assert page and "Lavrov–al" in page
        path = project / SOURCE
        path.write_text(path.read_text(encoding="utf-8").replace("Lavrov–al-Shaibani talks", "Renamed talks"),
                        encoding="utf-8")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.5)
            page = _get(url) or ""
            if "Renamed talks" in page:
                break
        assert "Renamed talks" in page
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_killed_builds_work_folder_is_removed_by_the_next_build(project: Path) -> None:
    """A build killed outright (SIGKILL, power loss) cannot remove its work folder: the next build
    does, when the process named in it is gone; other folders are left alone."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale, running, foreign = project / ".site-stale", project / ".site-running", project / ".site-mine"
    for folder, pid in ((stale, dead.pid), (running, os.getpid()), (foreign, None)):
        (folder / "part-ar").mkdir(parents=True)
        if pid is not None:
            (folder / ".factsheets-build").write_text(str(pid), encoding="utf-8")
    proc = run_cli("build", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert "removed the work folder of an interrupted build" in proc.stderr
    assert not stale.exists() and running.is_dir() and foreign.is_dir()
    assert sorted(p.name for p in project.glob(".site-*")) == [".site-mine", ".site-running"]  # its own is gone


def test_a_language_goes_to_mkdocs_as_soon_as_its_markdown_is_written(project: Path) -> None:
    """With one process (FACTSHEETS_JOBS=1) the order is fixed: Arabic's pages are written, its
    MkDocs starts (a clean build: before its figures and exports are written, which MkDocs copies
    last: generator/publish/mkdocs_early.py), and only then is English rendered."""
    proc = run_cli("build", cwd=project, env={"FACTSHEETS_JOBS": "1"})
    assert proc.returncode == 0, proc.stderr
    lines = [line.removeprefix("factsheets: ") for line in proc.stderr.splitlines()]  # progress goes to stderr

    def at(prefix: str) -> int:
        return next(i for i, line in enumerate(lines) if line.startswith(prefix))

    assert at("MkDocs: building ar") < at("ar: ") < at("MkDocs: building en") < at("en: ") < at("generated ")
    assert at("generated ") < at("Pagefind: indexing")
    assert (project / "site/meetings/lavrov-shaibani-talks-2025-12-24/index.html").is_file()
    assert (project / "site/en/meetings/lavrov-shaibani-talks-2025-12-24/index.html").is_file()


def test_a_content_error_after_one_language_started_leaves_the_site(project: Path) -> None:
    """English fails to render after Arabic's MkDocs has started: the build stops, the started
    MkDocs is stopped, the previous site and no work folder are left behind."""
    assert run_cli("build", cwd=project).returncode == 0
    before = (project / "site/index.html").read_bytes()
    home = project / "templates/home.md.j2"
    home.write_text(home.read_text(encoding="utf-8") + "{% if lang == 'en' %}{{ no_such_name }}{% endif %}\n",
                    encoding="utf-8")
    proc = run_cli("build", cwd=project, env={"FACTSHEETS_JOBS": "1"})
    assert proc.returncode == 1 and "no_such_name" in proc.stderr and "Traceback" not in proc.stderr
    assert "MkDocs: building ar" in proc.stderr  # Arabic had gone to MkDocs
    assert (project / "site/index.html").read_bytes() == before
    assert not list(project.glob(".site-*"))
