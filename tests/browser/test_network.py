"""Check 4: nothing leaves the machine and nothing goes wrong while loading.

Every request of every page kind, in both languages (and the search page with results), goes
to 127.0.0.1; no request fails (HTTP >= 400, e.g. a 404 for a sitemap.xml the theme looks
for); no console error and no uncaught script error."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import KIND_LANG, LANGS, PAGE_KINDS, url_for

PAGES = KIND_LANG + [pytest.param("search", lang, id=f"{lang}-search") for lang in LANGS]
SEARCH = {"ar": "search/?q=الشيباني", "en": "search/?q=Shaibani"}
# Chromium's own line for a failed request; those are reported, with their URL, by `failed`.
FAILED_RESOURCE = "Failed to load resource"


def load(page, site_url: str, kind: str, lang: str) -> None:
    path = SEARCH[lang] if kind == "search" else PAGE_KINDS[kind]
    page.goto(url_for(site_url, lang, path), wait_until="networkidle")
    if kind == "search":
        page.wait_for_selector("#fs-search .pagefind-ui__result-link", timeout=15000)
        page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("kind,lang", PAGES)
def test_nothing_leaves_the_machine_and_nothing_fails(page, site_url: str, kind: str, lang: str) -> None:
    load(page, site_url, kind, lang)
    rec = page.recorder
    assert rec.requests, "no request recorded"
    problems = []
    foreign = [u for u in rec.requests if urlsplit(u).scheme not in ("data", "blob")
               and urlsplit(u).hostname != "127.0.0.1"]
    if foreign:
        problems.append(f"requests to another host: {foreign}")
    if rec.failed:
        problems.append(f"failed requests: {rec.failed}")
    if rec.page_errors:
        problems.append(f"uncaught script errors: {rec.page_errors}")
    errors = [e for e in rec.console_errors if not e.startswith(FAILED_RESOURCE)]
    if errors or (rec.console_errors and not rec.failed):
        problems.append(f"console errors: {rec.console_errors}")
    assert not problems, f"{page.url}:\n" + "\n".join(problems)
