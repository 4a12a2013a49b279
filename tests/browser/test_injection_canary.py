"""Canary: one site built from every hostile briefing that the check lets through
(tests/fixtures/hostile_briefings/), every page of it loaded in Chromium in both languages.
Each payload sets ``window.__pwned = 1`` or opens a dialog; after each page has loaded, been
hovered, focused and had its elements sent the events the payloads listen for, no script of
theirs may have run, no dialog opened, and nothing been fetched from another host. Links and
images are also read as the browser resolves them (its own URL parser decides what a scheme
hidden by control characters is)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, DESKTOP
from tests.conftest import copy_project, run_cli, serve_directory
from tests.render.test_briefing_hostile import RENDERED, hostile_content, loosen_config

# Sent to every element of the article (not 'click' on links and buttons, which would leave
# the page or copy to the clipboard): what the payloads' handlers listen for.
DISPATCH = """() => {
  const types = ['click', 'dblclick', 'mouseover', 'mouseenter', 'mousedown', 'focus', 'focusin', 'blur',
                 'error', 'load', 'toggle', 'animationstart', 'transitionend', 'pointerover', 'keydown'];
  for (const el of document.querySelectorAll('article *')) {
    const active = el.closest('a, button');
    for (const type of types) {
      if (type === 'click' && active) continue;
      el.dispatchEvent(new Event(type, {bubbles: true}));
    }
    if (typeof el.focus === 'function') el.focus();
  }
}"""
# Every link and image of the article as the browser resolved it.
RESOLVED = """() => [
  ...[...document.querySelectorAll('article a[href]')].map(a => ['a', a.href]),
  ...[...document.querySelectorAll('article img')].map(i => ['img', i.src]),
]"""


@pytest.fixture(scope="module")
def canary_site(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("canary")
    project = copy_project(tmp / "project", content=hostile_content(tmp, RENDERED))
    loosen_config(project)  # mkdocs.yml tries to let remote images in: the sanitizer stays on
    proc = run_cli("build", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = project / "site"
    server, url = serve_directory(site)
    yield site, url
    server.shutdown()


def pages_of(site: Path, lang: str) -> list[str]:
    """Every page of one language, as a path under the site root."""
    root = site if lang == "ar" else site / "en"
    found = [p.relative_to(site).as_posix() for p in root.rglob("*.html")
             if lang == "en" or p.relative_to(site).parts[0] != "en"]
    return sorted(p for p in found if not p.startswith(("pagefind/", "en/pagefind/")))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_no_payload_runs_anywhere(browser, canary_site, lang: str) -> None:
    site, url = canary_site
    pages = pages_of(site, lang)
    briefings = [p for p in pages if p.split("/")[-3:-2] == ["briefings"]]
    assert len(briefings) >= len(RENDERED) + 2, briefings  # every hostile briefing and the example's
    origin = urlsplit(url).netloc
    context = browser.new_context(viewport=DESKTOP, service_workers="block")
    problems: list[str] = []
    try:
        page = context.new_page()
        dialogs: list[str] = []
        foreign: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
        page.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).netloc not in (origin, "") else None)
        for path in pages:
            page.goto(url + path, wait_until="load")
            page.mouse.move(5, 5)
            for y in range(0, DESKTOP["height"], 60):  # hover across the page (an overlay would be everywhere)
                page.mouse.move(DESKTOP["width"] // 2, y)
            page.evaluate(DISPATCH)
            page.keyboard.press("Tab")
            if page.evaluate("typeof window.__pwned") != "undefined":
                problems.append(f"{path}: window.__pwned = {page.evaluate('window.__pwned')}")
            for kind, target in page.evaluate(RESOLVED):
                parts = urlsplit(target)
                if parts.scheme not in ("http", "https", "mailto", ""):
                    problems.append(f"{path}: {kind} resolves to a {parts.scheme}: URL: {target}")
                if kind == "img" and target and parts.netloc != origin:
                    problems.append(f"{path}: image from another host: {target}")
            if urlsplit(page.url).path != urlsplit(url + path).path:
                problems.append(f"{path}: the page went elsewhere: {page.url}")
        problems += [f"dialog opened: {d}" for d in dialogs]
        problems += [f"request to another host: {u}" for u in foreign]
    finally:
        context.close()
    assert not problems, "\n".join(problems)
