"""Check 2: the header link to the other language leads to the same page in that language, and back."""

from __future__ import annotations

import pytest

from tests.browser.conftest import LANGS, MEETINGS, path_of, url_for

OTHER = {"ar": "en", "en": "ar"}


def switch(page) -> None:
    link = page.locator("a.fs-lang-switch")
    assert link.count() == 1, f"{page.url}: no language switch in the header"
    with page.expect_navigation():
        link.click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("meeting", MEETINGS)
@pytest.mark.parametrize("lang", LANGS)
def test_switch_to_the_other_language_and_back(page, site_url: str, lang: str, meeting: str) -> None:
    start = url_for(site_url, lang, f"meetings/{meeting}/")
    page.goto(start)
    page.wait_for_load_state("networkidle")   # the theme intercepts language links once its sitemaps are in
    switch(page)
    other = OTHER[lang]
    assert path_of(page.url) == path_of(url_for(site_url, other, f"meetings/{meeting}/")), page.url
    assert page.evaluate("document.documentElement.lang") == other
    assert page.locator("article h1#meeting").count() == 1, f"{page.url} is not a meeting page"
    page.wait_for_load_state("networkidle")
    switch(page)
    assert path_of(page.url) == path_of(start), page.url
    assert page.evaluate("document.documentElement.lang") == lang
