"""Issue #9, in a browser: what only JavaScript resolves works under /REPO/ too: Pagefind's
bundle (index, fragments, WebAssembly) and its result links, and the header search form.

Debian's Chromium driven by Playwright; skipped without /usr/bin/chromium, except with
CI=true where a missing browser is an error (see tests/browser/conftest.py).
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.publish.conftest import PREFIX, SubpathSite

CHROMIUM = Path(os.environ.get("FACTSHEETS_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
QUERIES = {"ar": "الشيباني", "en": "Shaibani"}
LANG_PREFIX = {"ar": "", "en": "en/"}


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        msg = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + " (CI=true: failing instead of skipping)", pytrace=False)
        pytest.skip(msg)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(service_workers="block")
    pg = ctx.new_page()
    pg.failed = []
    pg.on("response", lambda r: pg.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    pg.on("requestfailed", lambda r: pg.failed.append(f"{r.failure} {r.url}"))
    yield pg
    ctx.close()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _failed(page, site: SubpathSite) -> list[str]:
    """Failed requests, except the theme's probe for a sitemap.xml beside each <link rel=alternate>
    page (Material expects those links to name language roots): that probe fails on every page
    but the home pages, with or without a subpath, and is tests/browser/test_network.py's concern."""
    roots = {site.url + "sitemap.xml", site.url + "en/sitemap.xml"}
    return [f for f in page.failed if not (f.endswith("/sitemap.xml") and f.split(" ", 1)[1] not in roots
                                           and f.split(" ", 1)[1].startswith(site.url))]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_search_under_a_subpath(page, subpath_site: SubpathSite, lang: str) -> None:
    home = subpath_site.url + LANG_PREFIX[lang]
    page.goto(home)
    box = page.locator("input.fs-search-input")
    box.fill(QUERIES[lang])
    with page.expect_navigation():
        box.press("Enter")
    assert urlsplit(page.url).path == urlsplit(home + "search/").path
    page.wait_for_selector("#fs-search a.pagefind-ui__result-link", timeout=20000)
    links = page.eval_on_selector_all("#fs-search a.pagefind-ui__result-link", "els => els.map(e => e.href)")
    assert links
    for link in links:
        assert link.startswith(home), f"{lang} search result {link} is not under {home}"
        assert _status(link) == 200, link
    assert not _failed(page, subpath_site), page.failed
    # the result opens in the browser, at its place under the subpath
    page.locator("#fs-search a.pagefind-ui__result-link").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(home) and not _failed(page, subpath_site)


def test_language_switch_under_a_subpath(page, subpath_site: SubpathSite) -> None:
    start = subpath_site.url + "people/asaad-al-shaibani/"
    page.goto(start)
    page.locator("a.fs-lang-switch").click()
    page.wait_for_url(subpath_site.url + "en/people/asaad-al-shaibani/")
    page.locator("a.fs-lang-switch").click()
    page.wait_for_url(start)
    assert not _failed(page, subpath_site) and PREFIX in page.url
