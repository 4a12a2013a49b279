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
import yaml

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


# Old ids, so the site holds forwarding pages (generator/outputs/redirects.py) to crawl too.
OLD_IDS = {("content/people.yaml", "people", "sergey-lavrov"): "sergei-lavrov",
           ("content/sources/asharq-2025-12-24-russia-syria.yaml", "meetings", "lavrov-shaibani-talks-2025-12-24"):
               "lavrov-shaibani-moscow-talks"}


def add_previous_ids(project: Path) -> None:
    for (file, key, entity), old in OLD_IDS.items():
        path = project / file
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        [item] = [x for x in data[key] if x["id"] == entity]
        item["previous_ids"] = [old]
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="session")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SubpathSite]:
    project = copy_project(tmp_path_factory.mktemp("subpath") / "project")
    add_previous_ids(project)
    site = project / "site"
    site.mkdir()  # the server serves this path; the build swaps the new site in place of it
    server, url = serve_directory(site, prefix=PREFIX)
    lift_linkchecker_rate_limit(server)
    server.handle_error = lambda request, address: None  # a browser hanging up early is no failure
    try:
        proc = run_cli("build", cwd=project, env={"FACTSHEETS_SITE_URL": url})
        assert proc.returncode == 0, proc.stdout + proc.stderr
        yield SubpathSite(project, site, url, url[: -len(PREFIX)])
    finally:
        server.shutdown()
