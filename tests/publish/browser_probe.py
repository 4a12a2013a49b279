"""Drive Chromium over a site served under a subpath and print what happened, as JSON.

test_subpath_browser.py calls :func:`probe` with the session's one Chromium (tests/conftest.py:
Playwright's sync API allows one driver per thread); ``python -m tests.publish.browser_probe URL``
runs it on its own, with a Chromium of its own.
"""

from __future__ import annotations

import json
import os
import sys
import traceback

CHROMIUM = os.environ.get("FACTSHEETS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUERIES = {"ar": "الشيباني", "en": "Shaibani"}
PREFIX = {"ar": "", "en": "en/"}
RESULT_LINK = "#fs-search a.pagefind-ui__result-link"


def probe(base: str, browser=None) -> dict:
    """What happened while searching, switching language and following old addresses under ``base``."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            own = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                return probe(base, own)
            finally:
                own.close()
    out: dict = {"search": {}, "switch": [], "forward": {}, "failed": [], "errors": []}
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.on("response", lambda r: out["failed"].append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("requestfailed", lambda r: out["failed"].append(f"{r.failure} {r.url}"))
        page.on("pageerror", lambda e: out["errors"].append(f"{page.url}: {e}"))

        def step(name, fn):
            try:
                fn()
            except Exception as exc:  # recorded, so the test shows which step failed and why
                out["errors"].append(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0]}")

        for lang, query in QUERIES.items():
            def search(lang=lang, query=query):
                res = out["search"][lang] = {}
                page.goto(base + PREFIX[lang])
                box = page.locator("input.fs-search-input")
                box.fill(query)
                with page.expect_navigation():
                    box.press("Enter")
                res["search_page"] = page.url
                page.wait_for_selector(RESULT_LINK, timeout=20000)
                res["links"] = page.eval_on_selector_all(RESULT_LINK, "els => els.map(e => e.href)")
                page.locator(RESULT_LINK).first.click()
                page.wait_for_load_state()
                res["opened"] = page.url
            step(f"search {lang}", search)

        def switch():
            page.goto(base + "people/asaad-al-shaibani/")
            page.wait_for_load_state("networkidle")
            for _ in range(2):
                before = page.url
                page.locator("a.fs-lang-switch").click()
                page.wait_for_url(lambda u: u != before, timeout=10000)
                page.wait_for_load_state("networkidle")
                out["switch"].append(page.url)
        step("language switch", switch)

        for lang in PREFIX.values():
            def forward(lang=lang):
                page.goto(base + lang + "people/sergei-lavrov/")
                page.wait_for_url(lambda u: "sergei-lavrov" not in u, timeout=10000)
                out["forward"][lang] = page.url
            step(f"forward {lang or 'ar'}", forward)
    finally:
        context.close()
    return out


if __name__ == "__main__":
    try:
        print(json.dumps(probe(sys.argv[1])))
    except Exception:
        traceback.print_exc()
        sys.exit(1)
