"""A clean build starts MkDocs on a language once its pages are written, before its figures and
exports are (generator/publish/mkdocs_early.py): MkDocs lists the files still to come, waits for
them before it copies them, and fails clearly if one never comes. The site is the same as when
MkDocs starts after every file is written."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml

from generator.publish import mkdocs_early
from generator.publish.site import Project, SiteBuild, logged_output, start_mkdocs
from generator.render.generate import generate
from tests.conftest import copy_project
from tests.site.test_incremental import _diff

pytestmark = pytest.mark.build


def _tiny_site(tmp_path: Path) -> tuple[Path, Path]:
    """A two-file MkDocs project whose page links to a data file not written yet."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\n[the data](data/table.csv) and [a figure](figures/a.svg)\n",
                                   encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump({
        "site_name": "t", "docs_dir": str(docs), "site_dir": str(tmp_path / "site"),
        "validation": {"links": {"unrecognized_links": "warn", "not_found": "warn"}},
        "hooks": [mkdocs_early.__file__],
    }), encoding="utf-8")
    return docs, config


def _wait_for(proc, text: str, seconds: float = 120.0) -> str:
    log = proc.log
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        log.seek(0)
        out = log.read()
        if text in out or proc.poll() is not None:
            return out
        time.sleep(0.1)
    return out


def test_mkdocs_waits_for_the_announced_files_and_copies_them(tmp_path: Path) -> None:
    docs, config = _tiny_site(tmp_path)
    pending = tmp_path / "pending-en.json"
    mkdocs_early.write_pending(pending, ["data/table.csv", "figures/a.svg"])
    proc = start_mkdocs(config, own_group=True, env={mkdocs_early.PENDING_ENV: str(pending)})
    try:
        out = _wait_for(proc, "waiting for the files")
        assert "waiting for the files" in out, out
        time.sleep(0.5)
        assert proc.poll() is None, "MkDocs went on before the files were written"
        # the links were resolved against the announced files (strict: an unknown link would fail)
        (docs / "data").mkdir()
        (docs / "data" / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
        (docs / "figures").mkdir()
        (docs / "figures" / "a.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
        mkdocs_early.mark_ready(pending)
        out = logged_output(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out
    assert (tmp_path / "site" / "data" / "table.csv").read_text(encoding="utf-8") == "a,b\n1,2\n"
    assert (tmp_path / "site" / "figures" / "a.svg").is_file()
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="data/table.csv"' in home and 'href="figures/a.svg"' in home


def test_an_announced_file_that_never_comes_fails_the_build_clearly(tmp_path: Path) -> None:
    docs, config = _tiny_site(tmp_path)
    pending = tmp_path / "pending-en.json"
    mkdocs_early.write_pending(pending, ["data/table.csv", "figures/a.svg"])
    (docs / "figures").mkdir()
    (docs / "figures" / "a.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    mkdocs_early.mark_ready(pending)
    proc = start_mkdocs(config, own_group=True, env={mkdocs_early.PENDING_ENV: str(pending)})
    out = logged_output(proc)
    assert proc.returncode != 0
    assert "1 file(s) announced by the factsheets build were not written, e.g. data/table.csv" in out
    assert "Traceback" not in out


def test_without_the_variable_the_hooks_do_nothing(tmp_path: Path) -> None:
    docs, config = _tiny_site(tmp_path)
    (docs / "data").mkdir()
    (docs / "data" / "table.csv").write_text("a\n", encoding="utf-8")
    (docs / "figures").mkdir()
    (docs / "figures" / "a.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    proc = start_mkdocs(config)
    out = logged_output(proc)
    assert proc.returncode == 0, out
    assert "waiting for the files" not in out


def _site(root: Path, early: bool) -> tuple[Path, list[str]]:
    """A clean build of the project at ``root`` through the build's own stages, MkDocs started on each
    language as soon as its pages are written (``early``) or once all its files are: the site, and
    the progress lines (one process renders both languages, so that every line is heard here)."""
    lines: list[str] = []
    project = Project.at(root)
    with SiteBuild(project, progress=lines.append, clean=True) as site:
        gen = generate(project.content, project.templates, project.docs_root, progress=lines.append,
                       site_url=project.site_url(project.base_config()), on_language=site.start, reuse=False, jobs=1,
                       on_pages=site.start_early if early else None)
        folder = site.finish(gen.pages)
    return folder, lines


def test_a_clean_build_started_early_is_the_same_site(tmp_path: Path) -> None:
    early_project, late_project = copy_project(tmp_path / "early"), copy_project(tmp_path / "late")
    early_site, early_lines = _site(early_project, early=True)
    late_site, late_lines = _site(late_project, early=False)
    # early: MkDocs starts on each language before the line that reports its files all written
    for lang in ("ar", "en"):
        start, written = (f"MkDocs: building {lang}", f"{lang}: ")
        first_written = next(i for i, line in enumerate(early_lines) if line.startswith(written) and "pages (" in line)
        assert early_lines.index(start) < first_written, early_lines
        late_written = next(i for i, line in enumerate(late_lines) if line.startswith(written) and "pages (" in line)
        assert late_lines.index(start) > late_written, late_lines
    assert any((early_site / "figures").iterdir()) and (early_site / "exports").is_dir()
    assert _diff(early_site, late_site) == []
    shutil.rmtree(tmp_path / "late")
