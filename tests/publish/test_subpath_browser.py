"""Issue #9, in a browser: what only JavaScript resolves works under /REPO/ too: Pagefind's
bundle (index, fragments, WebAssembly) and its result links, the header search form, the
language switch, and forwarding pages of old ids.

Debian's Chromium driven by Playwright (in a subprocess: browser_probe.py); skipped without
/usr/bin/chromium, except with CI=true where a missing browser is an error, as in tests/browser/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import REPO
from tests.publish.conftest import SubpathSite

CHROMIUM = Path(os.environ.get("FACTSHEETS_CHROMIUM", "/usr/bin/chromium"))
LANG_PREFIX = {"ar": "", "en": "en/"}


@pytest.fixture(scope="module")
def probe(subpath_site: SubpathSite) -> dict:
    if not CHROMIUM.exists():
        msg = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + " (CI=true: failing instead of skipping)", pytrace=False)
        pytest.skip(msg)
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run([sys.executable, "-m", "tests.publish.browser_probe", subpath_site.url], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


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
