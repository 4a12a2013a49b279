"""The package works outside the checkout (issue 17.6): templates, catalogs, theme overrides and a
default mkdocs.yml ship inside the wheel, and a project's own files override them one by one.

The wheel test builds the wheel (``pip wheel --no-deps``), installs it (``--no-deps``) into a
fresh virtualenv, and runs ``factsheets check``, ``build`` and ``brief`` in an empty folder
holding only a copy of ``content/``. Installing the dependencies into that fresh venv from the
constraints file took 46 s on the 2-core test machine, so the venv instead reaches the project
venv's installed dependencies through a ``.pth`` line (a plain path: the project venv's own
``.pth`` files, among them the editable install of this checkout, are not processed), and the
test asserts that ``generator`` is imported from the wheel. ``FACTSHEETS_WHEEL_FULL_INSTALL=1``
installs the dependencies for real (``-c constraints.txt``) instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from jinja2 import Environment

from generator import resources
from generator.render.pages import load_catalog
from tests.conftest import REPO


# --- resource lookup: the project's files first, the packaged ones as defaults (fast) ---------

def test_packaged_resources_exist() -> None:
    assert (resources.TEMPLATES / "meeting.md.j2").is_file()
    assert (resources.TEMPLATES / "i18n" / "en.yaml").is_file()
    assert (resources.OVERRIDES / "main.html").is_file()
    assert resources.default_config().is_file()


def test_project_template_overrides_one_file_the_rest_packaged(tmp_path: Path) -> None:
    own = tmp_path / "templates"
    (own / "partials").mkdir(parents=True)
    (own / "search.md.j2").write_text("MY SEARCH PAGE\n", encoding="utf-8")
    env = Environment(loader=resources.template_loader(own))
    assert env.get_template("search.md.j2").render() == "MY SEARCH PAGE"
    # a template the project lacks comes from the package
    packaged = (resources.TEMPLATES / "timeline.md.j2").read_text(encoding="utf-8")
    assert env.loader is not None
    assert env.loader.get_source(env, "timeline.md.j2")[0] == packaged
    # a project without templates/ gets the packaged ones only
    assert resources.template_dirs(tmp_path / "missing") == [resources.TEMPLATES]


def test_project_catalog_wins_else_packaged(tmp_path: Path) -> None:
    own = tmp_path / "templates"
    (own / "i18n").mkdir(parents=True)
    (own / "i18n" / "en.yaml").write_text("site_title: My own title\n", encoding="utf-8")
    assert load_catalog(own, "en") == {"site_title": "My own title"}
    assert resources.catalog_file(own, "ar") == resources.TEMPLATES / "i18n" / "ar.yaml"
    assert load_catalog(own, "ar")["dir"] == "rtl"


def test_overrides_project_first(tmp_path: Path) -> None:
    assert resources.overrides_dir(tmp_path, "overrides") == resources.OVERRIDES
    (tmp_path / "theme").mkdir()
    assert resources.overrides_dir(tmp_path, "theme") == (tmp_path / "theme").resolve()


def test_project_without_mkdocs_yml_uses_the_packaged_config(tmp_path: Path) -> None:
    from generator.publish.site import Project

    project = Project.at(tmp_path)
    assert resources.is_default_config(project.config_file)
    base = project.base_config()
    assert project.config_dir == tmp_path.resolve()
    assert project.site_dir(base) == (tmp_path / "site").resolve()   # never inside the package
    assert project.overrides(base) == resources.OVERRIDES
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    assert Project.at(tmp_path).config_file == (tmp_path / "mkdocs.yml").resolve()


# --- the wheel, installed in a fresh venv, run from an empty folder (slow) --------------------

def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
                cwd=out, env=dict(os.environ), timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (whl,) = out.glob("factsheets-*.whl")
    return whl


@pytest.mark.slow
def test_wheel_carries_templates_catalogs_overrides_and_config(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for repo_dir in ("templates", "overrides"):
        for f in (REPO / repo_dir).rglob("*"):
            if f.is_file():
                assert f"generator/_data/{f.relative_to(REPO).as_posix()}" in names, f
    assert "generator/_data/mkdocs.yml" in names
    assert "generator/_data/templates/i18n/en.yaml" in names
    assert not any(n.startswith(("templates/", "overrides/", "content/")) for n in names)


@pytest.mark.slow
def test_installed_wheel_checks_builds_and_briefs_from_an_empty_folder(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    proc = _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    py = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    if os.environ.get("FACTSHEETS_WHEEL_FULL_INSTALL") == "1":
        install = [str(py), "-m", "pip", "install", "--quiet", "-c", str(REPO / "constraints.txt"), str(wheel)]
    else:
        site_packages = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                  cwd=tmp_path, env=env).stdout.strip())
        (site_packages / "project-deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
        install = [str(py), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)]
    proc = _run(install, cwd=tmp_path, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    work = tmp_path / "empty"
    work.mkdir()
    shutil.copytree(REPO / "content", work / "content")
    where = _run([str(py), "-c", "import generator; print(generator.__file__)"], cwd=work, env=env)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr   # the wheel, not the checkout

    factsheets = str(venv / "bin" / "factsheets")
    check = _run([factsheets, "check"], cwd=work, env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 error(s)" in check.stdout

    brief = _run([factsheets, "brief", "lavrov-shaibani-talks-2025-12-24", "--lang", "en",
                  "--site-url", "https://example.org/"], cwd=work, env=env)
    assert brief.returncode == 0, brief.stdout + brief.stderr
    assert "https://example.org/en/meetings/lavrov-shaibani-talks-2025-12-24/" in brief.stdout
    assert "Participants" in brief.stdout   # a string of the packaged catalog

    build = _run([factsheets, "build"], cwd=work, env=env, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    site = work / "site"
    ar = (site / "index.html").read_text(encoding="utf-8")
    en = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in ar and 'dir="ltr"' in en
    assert (site / "assets" / "factsheets.css").is_file()          # the packaged theme overrides
    assert (site / "en" / "meetings" / "lavrov-shaibani-talks-2025-12-24" / "index.html").is_file()
    assert (site / "pagefind").is_dir()
    # nothing written but the outputs: no mkdocs.yml, templates/ or overrides/ appeared
    assert sorted(p.name for p in work.iterdir()) == ["build", "content", "site"]

    # a project's own template and catalog entry win over the packaged ones
    (work / "templates" / "i18n").mkdir(parents=True)
    shutil.copy2(REPO / "templates" / "i18n" / "ar.yaml", work / "templates" / "i18n" / "ar.yaml")
    en_catalog = (REPO / "templates" / "i18n" / "en.yaml").read_text(encoding="utf-8")
    (work / "templates" / "i18n" / "en.yaml").write_text(
        en_catalog.replace("Participants", "People at the table", 1), encoding="utf-8")
    brief = _run([factsheets, "brief", "lavrov-shaibani-talks-2025-12-24", "--lang", "en",
                  "--site-url", "https://example.org/"], cwd=work, env=env)
    assert brief.returncode == 0, brief.stdout + brief.stderr
    assert "People at the table" in brief.stdout
