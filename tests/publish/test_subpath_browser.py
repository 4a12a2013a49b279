"""Issue #9, in a browser: what only JavaScript resolves works under /REPO/ too: Pagefind's
bundle (index, fragments, WebAssembly) and its result links, the header search form, the
language switch, and forwarding pages of old ids.

The session's one Chromium (tests/conftest.py) runs browser_probe.py's steps; skipped without
/usr/bin/chromium, except with CI=true where a missing browser is an error, as in tests/browser/.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from tests.publish.conftest import SubpathSite

LANG_PREFIX = {"ar": "", "en": "en/"}


@pytest.fixture(scope="module")
def probe(browser, subpath_site: SubpathSite) -> dict:
    """One pass of the session's Chromium over the subpath site (tests/publish/browser_probe.py)."""
    from tests.publish.browser_probe import probe as run_probe

    return run_probe(subpath_site.url, browser)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _failed(probe: dict, site: SubpathSite) -> list[str]:
    """HTTP errors and failed requests, except the theme's probe for a sitemap.xml beside each <link rel=alternate>
    page (Material expects those links to name language roots): that probe fails on every page
    but the home pages, with or without a subpath, and is tests/browser/test_network.py's concern."""
    roots = {site.url + "sitemap.xml", site.url + "en/sitemap.xml"}
    return [f for f in probe["failed"]
            if not f.startswith("net::ERR_ABORTED ")  # cut short by the probe moving on to the next page
            and not (f.endswith("/sitemap.xml") and f.split(" ", 1)[1] not in roots
                     and f.split(" ", 1)[1].startswith(site.url))]


def test_nothing_failed_to_load(probe: dict, subpath_site: SubpathSite) -> None:
    assert not probe["errors"], probe["errors"]
    assert not _failed(probe, subpath_site)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_search_under_a_subpath(probe: dict, subpath_site: SubpathSite, lang: str) -> None:
    home = subpath_site.url + LANG_PREFIX[lang]
    res = probe["search"].get(lang)
    assert res and "links" in res, probe["errors"]
    assert urlsplit(res["search_page"]).path == urlsplit(home + "search/").path
    assert res["links"]
    for link in res["links"]:
        assert link.startswith(home), f"{lang} search result {link} is not under {home}"
        assert _status(link) == 200, link
    assert res["opened"] in res["links"] or res["opened"].split("#")[0] in {u.split("#")[0] for u in res["links"]}


def test_language_switch_under_a_subpath(probe: dict, subpath_site: SubpathSite) -> None:
    assert probe["switch"] == [subpath_site.url + "en/people/asaad-al-shaibani/",
                               subpath_site.url + "people/asaad-al-shaibani/"], probe["errors"]


def test_old_address_forwards_under_a_subpath(probe: dict, subpath_site: SubpathSite) -> None:
    assert probe["forward"] == {lang: subpath_site.url + lang + "people/sergey-lavrov/" for lang in ("", "en/")}, \
        probe["errors"]
