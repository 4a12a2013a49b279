"""Shared fixtures: the example site is built once per test session (in a temporary copy of
the project, never into the user's site/), and served over HTTP on 127.0.0.1 when needed."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
PROJECT_PARTS = ("content", "templates", "overrides", "mkdocs.yml", "generator")


def copy_project(dest: Path, content: Path | None = None) -> Path:
    """A throwaway copy of the project (config, templates, theme overrides, content)."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = REPO / part
        if part == "content" and content is not None:
            src = content
        if src.is_dir():
            shutil.copytree(src, dest / part)
        else:
            shutil.copy2(src, dest / part)
    return dest


#: The example article's own source file.
EXAMPLE_SOURCE = "content/sources/asharq-2025-12-24-russia-syria.yaml"


def add_years(project: Path, years: Iterable[int]) -> list[str]:
    """Copies of the example article's annotations dated in other ``years`` (same days, same
    people; statement ids made unique with the year), for tests that need an archive of several
    years (the search index's shards are by year). Test content only: these events did not happen
    in those years. Returns the new source ids."""
    text = (project / EXAMPLE_SOURCE).read_text(encoding="utf-8")
    made = []
    for year in years:
        copy = text.replace("2025-12-2", f"{year}-12-2")
        copy = re.sub(r"^(  - id: )([a-z0-9-]+)$", lambda m: m.group(0) if str(year) in m.group(2)
                      else f"{m.group(1)}{m.group(2)}-{year}", copy, flags=re.MULTILINE)
        source = f"asharq-{year}-12-24-russia-syria"
        (project / "content" / "sources" / f"{source}.yaml").write_text(
            f"# Test content: the example article dated {year} (tests/conftest.py, add_years).\n" + copy,
            encoding="utf-8")
        made.append(source)
    return made


#: Commands run_cli runs in this process (click's CliRunner: the same command object, argument
#: parsing and error boundary as the console script, without a Python start-up per call): the
#: ones that start no other process, hold no lock and need no signal. `build`, `serve` and
#: `deploy` always run as a process. FACTSHEETS_TEST_SUBPROCESS=1 runs every command as a process.
IN_PROCESS = frozenset({"check", "brief", "briefing", "new"})
DEFAULT_TIMEOUT = 600.0


def run_cli(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None,
            timeout: float = DEFAULT_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run `factsheets ARGS` as a user would, capturing output: in this process for the
    commands of IN_PROCESS (unless a test sets its own ``timeout``, which only a process can
    enforce), else as ``python -m generator`` (the timeout only stops a hung run from hanging
    the suite; it is not a speed assertion)."""
    command = next((a for a in args if not a.startswith("-")), "")
    if (command in IN_PROCESS and timeout == DEFAULT_TIMEOUT
            and os.environ.get("FACTSHEETS_TEST_SUBPROCESS") != "1"):
        return _run_in_process(list(args), cwd, env or {})
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def _run_in_process(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    from click.testing import CliRunner

    from generator.cli import cli

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with contextlib.chdir(cwd):
            res = CliRunner().invoke(cli, args, prog_name="factsheets", catch_exceptions=False)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return subprocess.CompletedProcess(["factsheets", *args], res.exit_code, res.stdout, res.stderr)


# --- one Chromium for the whole session ------------------------------------------------------
# Debian's Chromium, driven by Playwright (launched by its path, never downloaded). Playwright's
# sync API allows one driver per thread, so every suite (tests/browser, figures, print, publish,
# exports) shares this one instead of starting its own. Without Chromium the tests that need it
# skip, except when CI=true, where a missing browser is an error (a CI job that silently skips
# them would prove nothing). FACTSHEETS_CHROMIUM overrides the path (used to check that rule).

CHROMIUM = Path(os.environ.get("FACTSHEETS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def chromium_missing_message() -> str:
    return (f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install -y chromium); "
            "the browser tests need it")


def require_chromium() -> None:
    """Skip the calling test when Chromium is missing, or fail it when CI=true."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(chromium_missing_message() + " (CI=true: failing instead of skipping)", pytrace=False)
        pytest.skip(chromium_missing_message())


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """The session's one Chromium (a Playwright Browser); each test opens its own context."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def pytest_configure(config: pytest.Config) -> None:
    """Builds sign the cache they leave in build/ with a key kept in the user's cache folder
    (generator/publish/buildcache.py): the suite's key goes into a folder of its own, not the home."""
    if "FACTSHEETS_TEST_CACHE_HOME" not in os.environ:
        import tempfile

        made = tempfile.mkdtemp(prefix="factsheets-xdg-")
        os.environ["FACTSHEETS_TEST_CACHE_HOME"] = os.environ["XDG_CACHE_HOME"] = made
        config.stash[_MADE_CACHE_HOME] = made


def pytest_unconfigure(config: pytest.Config) -> None:
    made = config.stash.get(_MADE_CACHE_HOME, None)
    if made is not None:
        shutil.rmtree(made, ignore_errors=True)


_MADE_CACHE_HOME = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite the golden (snapshot) files under tests/golden/ from the current output.")


@dataclass(frozen=True)
class BuiltSite:
    project: Path   # the temporary project copy
    site: Path      # its built site/
    docs: Path      # its generated Markdown, build/docs/


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The example content built once for the whole session."""
    project = copy_project(tmp_path_factory.mktemp("example") / "project")
    proc = run_cli("build", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return BuiltSite(project, project / "site", project / "build" / "docs")


@pytest.fixture()
def built_project(example_site: BuiltSite, tmp_path: Path) -> Path:
    """A copy of the session's built example project (sources, build/ and site/ with its mark),
    for a test that needs a built site to start from: copied, not built again."""
    dest = tmp_path / "project"
    shutil.copytree(example_site.project, dest, symlinks=True)
    return dest


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output clean
        pass



def serve_directory(root: Path, prefix: str = "") -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``root`` on 127.0.0.1 (random port), optionally under a URL ``prefix`` like /REPO/."""

    class Handler(_QuietHandler):
        def translate_path(self, path: str) -> str:
            if prefix:
                if not path.startswith(prefix):
                    return str(root / "__outside_prefix__")
                path = "/" + path[len(prefix):]
            return super().translate_path(path)

    handler = functools.partial(Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix or '/'}"


@pytest.fixture(scope="session")
def site_url(example_site: BuiltSite) -> Iterator[str]:
    """The example site served over HTTP at the root of 127.0.0.1:PORT."""
    server, url = serve_directory(example_site.site)
    yield url
    server.shutdown()


#: Fixtures that mean a real site build (the session's example site, or one a test makes).
_BUILD_FIXTURES = frozenset({"example_site", "site_url", "built_project", "subpath_site"})
#: Tests that take seconds on their own without a build (large inputs, LibreOffice, forked
#: workers, many processes): the ``slow`` tier, by node id prefix. Measured with --durations.
_SLOW_TESTS = (
    "tests/intake/test_hostile.py::test_large_hostile_quotes_finish",
    "tests/intake/test_hostile.py::test_article_of_10000_paragraphs_is_fine",
    "tests/check/test_bad_input.py::test_bad_input[article_10000_paragraphs]",
    "tests/exports/test_brief_docx.py::test_libreoffice_converts",
    "tests/unit/test_parallel_builds.py::",
    "tests/unit/test_generate.py::test_parallel_and_sequential_generation_write_the_same_files",
    "tests/unit/test_generate.py::test_an_error_in_the_worker_is_raised_in_the_caller",
    "tests/unit/test_generate.py::test_english_is_rendered_in_a_forked_worker",
    "tests/unit/test_kinds_urls_i18n.py::test_every_module_imports_alone",
    "tests/unit/test_wheel.py::test_installed_wheel",
    "tests/unit/test_wheel.py::test_wheel_carries",
    "tests/test_arabic.py::test_prop_",                      # hypothesis, hundreds of examples each
    "tests/test_arabic.py::test_every_code_point_idempotent",
    "tests/render/test_permalink.py::test_relpath_is_posixpaths",
    "tests/unit/test_mdext.py::test_same_html_as_without_the_extension",
    "tests/unit/test_kinds_urls_i18n.py::test_the_shared_modules_sit_low",
    "tests/publish/test_subpath_links.py::test_linkchecker_reports_broken_links_and_anchors",
    "tests/figures/test_figures.py::test_networks_match_their_definition_on_a_larger_corpus",
    "tests/render/test_bounded_pages.py::test_pages_stay_bounded_as_the_archive_grows",  # two archives, every page
    "tests/bench/test_corpus.py::test_passes_factsheets_check",
    "tests/site/test_dependency_map.py::",                   # renders a corpus twice per edit
    "tests/site/test_dependency_map_struct.py::",            # random structural edits, each against a full render
    "tests/render/test_bounded_pages.py::test_pager_links_lead_to_planned_pages_in_both_languages",
    "tests/render/test_bounded_pages.py::test_pager_window_is_bounded_and_every_part_is_reachable",
)
#: Source text that means a module builds a site or drives a browser itself.
_BUILD_SIGNS = ('run_cli("build"', "run_cli('build'", "start_mkdocs", "SiteBuild(", '"mkdocs", "build"')
_BROWSER_SIGNS = ("playwright", "chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put each test in its tier: ``browser`` (Chromium), ``build`` (a real site build), so that
    ``-m "not browser and not build"`` is the fast inner loop. Explicit marks are kept."""
    sources: dict[Path, str] = {}
    for item in items:
        path = Path(str(item.fspath))
        if path not in sources:
            try:
                sources[path] = path.read_text(encoding="utf-8")
            except OSError:
                sources[path] = ""
        text = sources[path]
        names = set(getattr(item, "fixturenames", ()))
        in_browser_dir = "browser" in path.parts
        if in_browser_dir or "browser" in names or any(sign in text for sign in _BROWSER_SIGNS):
            item.add_marker(pytest.mark.browser)
        if names & _BUILD_FIXTURES or any(sign in text for sign in _BUILD_SIGNS):
            item.add_marker(pytest.mark.build)
        if item.nodeid.startswith(_SLOW_TESTS):
            item.add_marker(pytest.mark.slow)
