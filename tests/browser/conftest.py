"""Browser fixtures: Debian's Chromium driven by Playwright against the example site.

The site is the session-wide ``example_site`` served by ``site_url`` (tests/conftest.py);
nothing is built here. The browser is the session's one Chromium (``browser`` in
tests/conftest.py, shared with the figure, print, publish and export tests). Without
/usr/bin/chromium the browser tests are skipped, except when CI=true, where a missing browser
is an error. FACTSHEETS_CHROMIUM overrides the path (used to check that rule).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, REPO, chromium_missing_message, require_chromium

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "chromium_missing_message"]  # imported from here by other suites

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = REPO / "test-output" / "screenshots"

LANGS = {"ar": "", "en": "en/"}           # language -> URL prefix
DIRS = {"ar": "rtl", "en": "ltr"}
MEETINGS = ("lavrov-shaibani-talks-2025-12-24", "putin-receives-syrian-ministers-2025-12-23")
# One page of each kind (path relative to the language root).
PAGE_KINDS = {
    "home": "",
    "meeting": f"meetings/{MEETINGS[0]}/",
    "person": "people/asaad-al-shaibani/",
    "organization": "organizations/syria/",
    "topic": "topics/strategic-partnership/",
    "source": "sources/asharq-2025-12-24-russia-syria/",
}
KIND_LANG = [pytest.param(kind, lang, id=f"{lang}-{kind}") for lang in LANGS for kind in PAGE_KINDS]


@pytest.fixture(scope="session", autouse=True)
def _require_chromium() -> None:
    """Runs before any other fixture of a browser test, so a missing Chromium costs no site build."""
    require_chromium()


@dataclass
class Recorder:
    """Everything a page asked for or complained about."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)       # "STATUS URL" for HTTP errors, "ERROR URL" for network failures
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.failure} {r.url}"))
        page.on("console", lambda m: self.console_errors.append(f"{m.text} @ {m.location.get('url', '')}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))

    def clear(self) -> None:
        for items in (self.requests, self.failed, self.console_errors, self.page_errors):
            items.clear()


@pytest.fixture()
def context(browser):
    ctx = browser.new_context(viewport=DESKTOP, service_workers="block")
    yield ctx
    ctx.close()


@pytest.fixture()
def page(context):
    pg = context.new_page()
    pg.recorder = Recorder()
    pg.recorder.attach(pg)
    return pg


def url_for(site_url: str, lang: str, path: str) -> str:
    return urljoin(site_url, LANGS[lang] + path)


def path_of(url: str) -> str:
    return urlsplit(url).path
