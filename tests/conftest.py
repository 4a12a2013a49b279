"""Shared fixtures: the example site is built once per test session (in a temporary copy of
the project, never into the user's site/), and served over HTTP on 127.0.0.1 when needed."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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


def run_cli(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run `factsheets ARGS` as a user would (python -m generator), capturing output."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


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
_BUILD_FIXTURES = frozenset({"example_site", "site_url"})
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
