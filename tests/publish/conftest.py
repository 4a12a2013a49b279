"""Fixtures for publishing: the example site built for, and served under, a subpath.

GitHub Pages serves a project site at https://USER.github.io/REPO/, so the site must work
below /REPO/. The server is started first (on a free port, over a folder that does not
hold a site yet) so the build can be given its final address as FACTSHEETS_SITE_URL.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import copy_project, run_cli, serve_directory

PREFIX = "/REPO/"


@dataclass(frozen=True)
class SubpathSite:
    project: Path
    site: Path
    url: str      # http://127.0.0.1:PORT/REPO/  (also the site_url it was built with)
    origin: str   # http://127.0.0.1:PORT


def lift_linkchecker_rate_limit(server) -> None:
    """LinkChecker waits 0.1-0.6 s between two requests to one host unless the server answers
    with a ``LinkChecker`` header; add it, so crawling a local test server takes seconds."""
    partial = server.RequestHandlerClass

    class Handler(partial.func):
        def end_headers(self) -> None:
            self.send_header("LinkChecker", "local test server")
            super().end_headers()

    server.RequestHandlerClass = functools.partial(Handler, *partial.args, **partial.keywords)


@pytest.fixture(scope="session")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SubpathSite]:
    project = copy_project(tmp_path_factory.mktemp("subpath") / "project")
    site = project / "site"
    site.mkdir()  # the server serves this path; the build swaps the new site in place of it
    server, url = serve_directory(site, prefix=PREFIX)
    lift_linkchecker_rate_limit(server)
    try:
        proc = run_cli("build", cwd=project, env={"FACTSHEETS_SITE_URL": url})
        assert proc.returncode == 0, proc.stdout + proc.stderr
        yield SubpathSite(project, site, url, url[: -len(PREFIX)])
    finally:
        server.shutdown()
