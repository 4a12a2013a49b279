"""The sitemaps, with ``hreflang`` alternates, written in Python (issue 23).

One sitemap per language, where the theme looks for it: ``sitemap.xml`` at the site root
(Arabic) and ``en/sitemap.xml``, each with a gzip copy. Every page of the language is listed
with its own address and its other-language version (``<xhtml:link rel="alternate"
hreflang>``). The pages are the generated Markdown files (``build/docs/<lang>/**/*.md``), so the
result is the same whichever builder made the HTML (MkDocs, ProperDocs, Zensical each write a
sitemap of their own, or none, in their own way; this one replaces theirs).

Addresses in a sitemap must be absolute, so the pages are listed only when the site's URL is
known (``site_url`` or ``FACTSHEETS_SITE_URL``). Without it each sitemap is an empty
``<urlset>``: the file is still there because Material's script requests ``sitemap.xml`` beside
each language root (a missing one would be a 404 on every page).

No ``<lastmod>``: the builders wrote the build's date on every page, which tells a crawler
nothing.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import quoteattr, escape

from generator import urls
from generator.urls import LANGS
from generator.render.write import atomic_write

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def page_path(md: str, use_directory_urls: bool = True) -> str:
    """The URL path, relative to the language root, of the page built from Markdown file
    ``md`` (a POSIX path relative to the docs folder), as MkDocs and Zensical lay it out."""
    return urls.served_path(md, use_directory_urls)


def page_paths(docs: Path, use_directory_urls: bool = True) -> list[str]:
    """Every page of one language's generated Markdown folder, home page first, then sorted."""
    if not docs.is_dir():
        return []
    mds = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
                 if not any(part.startswith(".") for part in p.relative_to(docs).parts))
    paths = sorted({page_path(md, use_directory_urls) for md in mds})
    return sorted(paths, key=lambda p: (p != "", p))


def lang_root(site_url: str, lang: str) -> str:
    """The absolute address of ``lang``'s root: the site's URL, plus ``en/`` for English."""
    return urls.lang_root(site_url, lang)


def sitemap_xml(lang: str, pages: Sequence[str], site_url: str,
                other_pages: Mapping[str, Iterable[str]] | None = None) -> str:
    """The sitemap of ``lang``: each page with its alternates (itself, and each other language
    whose Markdown has the same page). ``site_url`` empty: an empty ``<urlset>``."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<urlset xmlns="{NS}" xmlns:xhtml="{XHTML}">']
    if site_url:
        others = {lg: set(p) for lg, p in (other_pages or {}).items() if lg != lang}
        root = lang_root(site_url, lang)
        for path in pages:
            lines.append("  <url>")
            lines.append(f"    <loc>{escape(root + path)}</loc>")
            for lg in [lang, *sorted(others)]:
                if lg == lang or path in others[lg]:
                    href = quoteattr(lang_root(site_url, lg) + path)
                    lines.append(f'    <xhtml:link rel="alternate" hreflang="{lg}" href={href}/>')
            lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_sitemaps(site: Path, docs_root: Path, site_url: str, *, use_directory_urls: bool = True,
                   langs: Sequence[str] = LANGS) -> list[Path]:
    """Write ``sitemap.xml`` and ``sitemap.xml.gz`` for every language of the assembled ``site``
    (the default language at its root, the others in ``<lang>/``), from the Markdown in
    ``docs_root/<lang>/``, replacing whatever the builder wrote there. Returns the files written."""
    pages = {lang: page_paths(docs_root / lang, use_directory_urls) for lang in langs}
    written = []
    for lang in langs:
        folder = site / urls.lang_prefix(lang) if urls.lang_prefix(lang) else site
        text = sitemap_xml(lang, pages[lang], site_url, pages).encode("utf-8")
        atomic_write(folder / "sitemap.xml", text)
        atomic_write(folder / "sitemap.xml.gz", gzip.compress(text, mtime=0))
        written += [folder / "sitemap.xml", folder / "sitemap.xml.gz"]
    return written
