"""Issue #9: the site works under a subpath (GitHub Pages project sites: /REPO/).

The example site is built with FACTSHEETS_SITE_URL=http://127.0.0.1:PORT/REPO/, served under
/REPO/ only (anything outside it is a 404) and crawled by LinkChecker from both home pages,
both 404 pages and both sitemaps: every link, asset, #anchor, language switch and search form
must resolve. What a crawler cannot see (Pagefind's result links, built by JavaScript) is
covered in test_subpath_browser.py.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.publish.conftest import PREFIX, SubpathSite, lift_linkchecker_rate_limit
from tests.publish.linkcheck import LINKCHECKER, problems, run_linkchecker
from tests.conftest import serve_directory

pytestmark = pytest.mark.skipif(not LINKCHECKER.exists(), reason="linkchecker is not installed (pip install -e '.[test]')")

START = ("", "en/", "404.html", "en/404.html", "sitemap.xml", "en/sitemap.xml")
SKIP_DIRS = {"pagefind"}  # Pagefind's own bundle: its URLs are resolved by its script at run time
TEXT_FILES = {".html", ".xml", ".json", ".jsonld", ".csv", ".txt", ".webmanifest", ".rss", ".atom"}


def _redirect_pages(site: Path) -> list[str]:
    """Pages that only forward (old ids' addresses): nothing links to them, so they are start URLs."""
    return sorted(p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("*.html")
                  if p.relative_to(site).parts[0] not in SKIP_DIRS
                  and re.search(r'http-equiv=["\']?refresh', p.read_text(encoding="utf-8"), re.I))


@pytest.fixture(scope="module")
def crawl(subpath_site: SubpathSite, tmp_path_factory: pytest.TempPathFactory):
    start = list(START) + _redirect_pages(subpath_site.site)
    return run_linkchecker([subpath_site.url + s for s in start], tmp_path_factory.mktemp("linkchecker"))


def test_no_broken_links_or_anchors_under_a_subpath(crawl, subpath_site: SubpathSite) -> None:
    found = problems(crawl, urlsplit(subpath_site.url).netloc)
    assert not found, f"{len(found)} broken link(s)/anchor(s):\n" + "\n".join(found[:60])


def _page_urls(site: Path, base: str) -> set[str]:
    urls = set()
    for html in site.rglob("*.html"):
        rel = html.relative_to(site)
        if rel.parts[0] in SKIP_DIRS:
            continue
        path = rel.as_posix()
        urls.add(base + (path[: -len("index.html")] if path.endswith("index.html") else path))
    return urls


def test_crawl_reached_every_page_and_checked_anchors(crawl, subpath_site: SubpathSite) -> None:
    checked = {row.url.split("#", 1)[0] for row in crawl if row.valid}
    pages = _page_urls(subpath_site.site, subpath_site.url)
    assert any(p.startswith(subpath_site.url + "en/") for p in pages)
    missing = sorted(pages - checked)
    assert not missing, f"pages no link leads to (or not checked): {missing}"
    anchors = [row for row in crawl if "#" in row.url and row.valid]
    assert len(anchors) > 50, "LinkChecker checked hardly any #anchors; is the AnchorCheck plugin on?"
    forwards = _redirect_pages(subpath_site.site)
    assert "people/sergei-lavrov/" in forwards and "en/people/sergei-lavrov/" in forwards, forwards
    # the language switch of every page leads to the same page in the other language
    # (LinkChecker checks each distinct URL once, so this reads the switch from the pages)
    en = subpath_site.url + "en/"
    for page in pages:
        if page.endswith("404.html"):
            continue
        rel = page[len(subpath_site.url):]
        html = (subpath_site.site / rel / "index.html").read_text(encoding="utf-8")
        if re.search(r'http-equiv=["\']?refresh', html, re.I):
            continue  # a forwarding page
        switch = re.search(r'<a class="fs-lang-switch[^>]*?href="([^"]*)"', html)
        assert switch, f"{page} has no language switch"
        other = subpath_site.url + page[len(en):] if page.startswith(en) else en + rel
        assert urljoin(page, switch.group(1)) == other, f"{page}: language switch {switch.group(1)!r}"
        assert other in checked


class _Refs(HTMLParser):
    ATTRS = {"href", "src", "action", "srcset", "poster", "data"}

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in self.ATTRS:
                self.refs += [v.strip().split(" ")[0] for v in value.split(",")] if name == "srcset" else [value]
            if tag == "meta" and name == "content" and value and re.match(r"\d+;\s*url=", value, re.I):
                self.refs.append(re.split(r"url=", value, maxsplit=1, flags=re.I)[1])


def test_no_reference_escapes_the_subpath(subpath_site: SubpathSite) -> None:
    """Root-absolute links (/meetings/...) work at a domain's root but not under /REPO/; this
    finds them in every page and every XML/JSON file (sitemaps, feeds), linked or not."""
    bad: list[str] = []
    written: dict[str, Path] = {}
    own = re.compile(re.escape(subpath_site.origin) + r"(/[^\s\"'<>),&\\]*)?")
    for path in sorted(subpath_site.site.rglob("*")):
        rel = path.relative_to(subpath_site.site)
        if not path.is_file() or rel.parts[0] in SKIP_DIRS:
            continue
        if path.suffix == ".html":
            parser = _Refs()
            parser.feed(path.read_text(encoding="utf-8"))
            for ref in parser.refs:
                split = urlsplit(ref)
                if split.scheme in ("data", "mailto", "tel", "javascript") or (split.netloc and split.netloc != urlsplit(subpath_site.url).netloc):
                    continue
                if ref.startswith("//") or (ref.startswith("/") and not ref.startswith(PREFIX)):
                    bad.append(f"{rel}: {ref!r} leaves {PREFIX}")
                if "//" in split.path:
                    bad.append(f"{rel}: {ref!r} has an empty path segment")
        if path.suffix in TEXT_FILES:
            for m in own.finditer(path.read_text(encoding="utf-8", errors="replace")):
                url = m.group(0).rstrip(".,;")
                if not url.startswith(subpath_site.url.rstrip("/")):
                    bad.append(f"{rel}: {url!r} is outside {PREFIX}")
                else:
                    written.setdefault(url, rel)
    assert not bad, "\n".join(bad[:60])
    # ... and each absolute URL of this site written into a file resolves, #anchor included
    # (LinkChecker does not read Atom feeds, CSV or JSON)
    pages: dict[str, str] = {}
    for url, rel in sorted(written.items()):
        page, _, anchor = url.partition("#")
        if page not in pages:
            status, body = _fetch(page)
            pages[page] = body if status == 200 else ""
            if status != 200:
                bad.append(f"{rel}: {url} -> HTTP {status}")
                continue
        if anchor and not re.search(r'\sid=["\']?%s["\'\s>]' % re.escape(anchor), pages[page]):
            bad.append(f"{rel}: {url} -> no id {anchor!r} on that page")
    assert not bad, "\n".join(bad[:60])


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.parametrize("page404", ["404.html", "en/404.html"])
def test_404_page_links_work_from_any_depth(subpath_site: SubpathSite, page404: str) -> None:
    """GitHub Pages answers a missing URL at any depth with the site's 404.html, so its links
    must not depend on where it is shown."""
    html = (subpath_site.site / page404).read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(html)
    refs = [r for r in parser.refs if not urlsplit(r).scheme and not r.startswith("#")]
    assert refs
    for shown_at in ("missing", "en/missing/", "meetings/no/such/page/"):
        here = subpath_site.url + shown_at
        assert _get(here) == 404
        broken = [(r, urljoin(here, r)) for r in refs if _get(urljoin(here, r).split("#")[0]) != 200]
        assert not broken, f"{page404} shown at {here}: {broken}"


def test_linkchecker_reports_broken_links_and_anchors(tmp_path: Path) -> None:
    """The crawl above proves something only if LinkChecker, so configured, does report problems."""
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text(
        '<html><body><h1 id="top">t</h1><a href="en/">en</a> <a href="en/#real">ok</a>'
        ' <a href="en/#ghost">bad anchor</a> <a href="/outside/">leaves the subpath</a>'
        ' <a href="missing/">missing page</a></body></html>', encoding="utf-8")
    (site / "en" / "index.html").write_text('<html><body><p id="real">x</p><a href="../#top">up</a></body></html>',
                                            encoding="utf-8")
    (site / "old").mkdir()
    (site / "old" / "index.html").write_text('<html><head><meta http-equiv="refresh" content="0; url=../gone/">'
                                             '</head><body></body></html>', encoding="utf-8")
    server, url = serve_directory(site, prefix=PREFIX)
    lift_linkchecker_rate_limit(server)
    try:
        found = "\n".join(problems(run_linkchecker([url, url + "old/"], tmp_path), urlsplit(url).netloc))
    finally:
        server.shutdown()
    assert "ghost" in found and "/outside/" in found and "missing/" in found
    assert "/REPO/gone/" in found  # a forwarding page's target is checked too
    assert "#real" not in found and "#top" not in found
