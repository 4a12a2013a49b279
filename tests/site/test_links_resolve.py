"""Every link of the built example site resolves (issue 17, item 2: one module builds every
path, so one property holds over all of them).

Over every HTML page and SVG figure of both languages: each ``href``, ``src`` (and an
``<object>``'s ``data``) that stays on the site leads to a file that exists, and a statement or
paragraph anchor (``#st-<id>``, ``#p<n>``) to an element with that id in the file.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from tests.conftest import BuiltSite

ATTRS = {"href", "src", "data", "xlink:href"}
#: anchors that urls.py builds (statement, paragraph): checked in the target file too
OUR_ANCHOR = re.compile(r"st-[a-z0-9-]+|p\d+")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ATTRS and value is not None and not (tag == "link" and name == "href" and value.startswith("http")):
                if tag == "object" or name != "data":
                    self.links.append(value)

    handle_startendtag = handle_starttag


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def target_file(site: Path, page: Path, href: str) -> Path | None:
    """The file a link leads to (None: not a link into the site)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "javascript:")) or not parts.path:
        return None
    # as a browser resolves it, against the page's address when served at the root of a host
    # (dot segments removed, never above the root: RFC 3986 5.2)
    served = "http://site/" + page.relative_to(site).as_posix()
    path = unquote(urlsplit(urljoin(served, href)).path)
    target = site / path.lstrip("/")
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def test_every_link_resolves(example_site: BuiltSite) -> None:
    site = example_site.site.resolve()
    files = sorted(p for ext in ("*.html", "*.svg") for p in site.rglob(ext) if "pagefind" not in p.parts)
    assert (site / "index.html") in files and (site / "en" / "index.html") in files
    ids: dict[Path, set[str]] = {}
    broken: list[str] = []
    checked = 0
    for page in files:
        parsed = parse(page)
        ids[page] = parsed.ids
        for href in parsed.links:
            target = target_file(site, page, href)
            if target is None:
                continue
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {href} -> {target} (missing)")
                continue
            fragment = urlsplit(href).fragment
            if fragment and OUR_ANCHOR.fullmatch(fragment) and target.suffix == ".html":
                if target not in ids:
                    ids[target] = parse(target).ids
                if fragment not in ids[target]:
                    broken.append(f"{page.relative_to(site)}: {href} (no id '{fragment}' in {target.relative_to(site)})")
    assert broken == [], "\n".join(broken[:50])
    # the property is over real links: every kind of page and both languages were crawled
    assert checked > 1000
    for folder in ("meetings", "people", "organizations", "topics", "sources", "briefings", "figures"):
        assert any(f.relative_to(site).parts[0] == folder for f in files), folder
        assert any(f.relative_to(site).parts[:2] == ("en", folder) for f in files), folder


def test_the_briefing_note_links_the_real_briefing(example_site: BuiltSite) -> None:
    """Issue 21.3: the other language's page of a briefing links the briefing itself."""
    site = example_site.site.resolve()
    for stub, real in (("en/briefings/moscow-visit-2025-12", "briefings/moscow-visit-2025-12"),
                       ("briefings/russia-syria-new-phase", "en/briefings/russia-syria-new-phase")):
        page = site / stub / "index.html"
        targets = {target_file(site, page, h) for h in parse(page).links}
        assert (site / real / "index.html") in targets, stub
