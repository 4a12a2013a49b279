"""Issue 24: statement anchors became ``st-<id>``; a link made before (``#<statement-id>``)
still opens the statement: assets/factsheets.js sends it on to ``#st-<statement-id>``."""

from __future__ import annotations

import pytest

from generator.core.validate import load_and_check
from tests.browser.conftest import url_for
from tests.conftest import REPO

CORPUS = load_and_check(REPO / "content").corpus
STATEMENT = sorted(CORPUS.statements)[0]
MEETING = CORPUS.statements[STATEMENT].meeting


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_old_statement_fragment_is_sent_on(page, site_url: str, lang: str) -> None:
    page.goto(url_for(site_url, lang, f"meetings/{MEETING}/#{STATEMENT}"))
    page.wait_for_function("id => window.location.hash === '#st-' + id", arg=STATEMENT)
    assert page.locator(f"[id='st-{STATEMENT}']").count() == 1
    assert page.locator(f"[id='{STATEMENT}']").count() == 0
    # the statement is scrolled into view
    top = page.evaluate(f"document.getElementById('st-{STATEMENT}').getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"], top
    # a fragment that is an id of the page itself is left alone
    page.goto(url_for(site_url, lang, f"meetings/{MEETING}/#cite"))
    page.wait_for_load_state("load")
    assert page.evaluate("window.location.hash") == "#cite"
