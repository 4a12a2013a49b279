"""Check 5: axe-core (bundled by axe-playwright-python, nothing fetched) finds no serious or
critical violation on any page kind, in either language, nor on the search page with results."""

from __future__ import annotations

import pytest

from tests.browser.conftest import KIND_LANG, LANGS, PAGE_KINDS, url_for

#: The other page kinds: the timeline, an index, the briefings list and a briefing (in Arabic; the
#: English page is the note that links to it).
MORE_KINDS = {"timeline": "meetings/", "index": "people/", "briefings": "briefings/",
              "briefing": "briefings/moscow-visit-2025-12/"}
PAGES = (KIND_LANG + [pytest.param(kind, lang, id=f"{lang}-{kind}") for lang in LANGS for kind in MORE_KINDS]
         + [pytest.param("search", lang, id=f"{lang}-search") for lang in LANGS])
SEARCH = {"ar": "search/?q=الشيباني", "en": "search/?q=Shaibani"}
BLOCKING = {"serious", "critical"}
# (rule id, CSS selector of the node as axe reports it) -> why it is tolerated.
# Only for what Material (or Pagefind) does and our overrides cannot change. Empty for now.
ALLOWED: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("kind,lang", PAGES)
def test_no_serious_violation(page, site_url: str, axe, kind: str, lang: str) -> None:
    path = SEARCH[lang] if kind == "search" else MORE_KINDS.get(kind) or PAGE_KINDS[kind]
    page.goto(url_for(site_url, lang, path))
    if kind == "search":
        page.wait_for_selector("#fs-search .pagefind-ui__result-link", timeout=15000)
    results = axe.run(page)
    found = []
    for v in results.response["violations"]:
        if v["impact"] not in BLOCKING:
            continue
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            if (v["id"], target) in ALLOWED:
                continue
            found.append(f"{v['id']} ({v['impact']}) at {target}: {node['failureSummary'].splitlines()[-1].strip()}")
    assert not found, f"{page.url}:\n" + "\n".join(found)
