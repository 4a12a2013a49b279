"""Permalinks: every previous id keeps working (issue #5).

For each entity with ``previous_ids`` a small HTML page is written at the old address in
both languages, e.g. ``meetings/<old-id>/index.html``; MkDocs copies it into the site as it
is. It sends the reader on at once (``<meta http-equiv="refresh">``), names the current
page as canonical and shows a plain link for readers without automatic redirects. Every
URL in it is relative (``../<new-id>/``), so the site works under any subpath; the
canonical link is absolute when the site's URL is configured.

Statements have no page of their own (they are anchors on their meeting's page), so their
previous ids get no redirect page.
"""

from __future__ import annotations

import html
from typing import Any

from generator.corpus import Corpus
from generator.plan import DEFAULT_LANG, FOLDERS

TEXT = {
    "ar": {"dir": "rtl", "title": "نُقلت هذه الصفحة", "moved": "نُقلت هذه الصفحة إلى عنوان جديد:"},
    "en": {"dir": "ltr", "title": "This page has moved", "moved": "This page has moved to a new address:"},
}


def redirect_targets(corpus: Corpus) -> list[tuple[str, str, str]]:
    """(folder, old id, new id) for every previous id of an entity that has a page."""
    out = []
    for old, new in sorted(corpus.redirects.items()):
        kind = corpus.kind_of(new)
        if kind in FOLDERS:
            out.append((FOLDERS[kind], old, new))
    return out


def redirect_page(lang: str, folder: str, new: str, label: str, site_url: str = "") -> str:
    """The HTML page left at ``<folder>/<old>/index.html`` pointing to ``<folder>/<new>/``."""
    t = TEXT.get(lang, TEXT["en"])
    rel = f"../{new}/"
    prefix = "" if lang == DEFAULT_LANG else f"{lang}/"
    canonical = f"{site_url.rstrip('/')}/{prefix}{folder}/{new}/" if site_url else rel
    e = lambda v: html.escape(v, quote=True)  # noqa: E731
    return (
        "<!doctype html>\n"
        f'<html lang="{e(lang)}" dir="{t["dir"]}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{e(t['title'])}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={e(rel)}">\n'
        f'<link rel="canonical" href="{e(canonical)}">\n'
        '<meta name="robots" content="noindex">\n'
        "</head>\n"
        "<body>\n"
        f'<p>{e(t["moved"])} <a href="{e(rel)}"><bdi>{e(label)}</bdi></a></p>\n'
        "</body>\n"
        "</html>\n"
    )


def redirect_files(ctx: Any) -> list[tuple[str, str]]:
    """Registered in generator/extras.py: the redirect pages of one language."""
    from generator.exports import entity_name

    files = []
    for folder, old, new in redirect_targets(ctx.corpus):
        label = entity_name(ctx.corpus, new, ctx.lang)
        files.append((f"{folder}/{old}/index.html", redirect_page(ctx.lang, folder, new, label, ctx.site_url)))
    return files
