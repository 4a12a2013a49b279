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

from generator import urls
from generator.core.corpus import Corpus
from generator.i18n import TEMPLATES, load_catalog
from generator.kinds import BY_PLURAL


def redirect_targets(corpus: Corpus) -> list[tuple[str, str, str]]:
    """(folder, old id, new id) for every previous id of an entity that has a page."""
    out = []
    for old, new in sorted(corpus.redirects.items()):
        kind = corpus.kind_of(new)
        if kind in BY_PLURAL and BY_PLURAL[kind].has_page:
            out.append((urls.folder(kind), old, new))
    return out


def redirect_page(lang: str, folder: str, new: str, label: str, site_url: str = "",
                  catalog: dict[str, str] | None = None) -> str:
    """The HTML page left at ``<folder>/<old>/index.html`` pointing to ``<folder>/<new>/``; its
    words from the language's catalog (``redirect_title``, ``redirect_moved``, ``dir``)."""
    t = catalog or load_catalog(TEMPLATES, lang)
    rel = urls.redirect_target(new)
    canonical = urls.absolute(site_url, urls.lang_prefix(lang) + f"{folder}/{new}/") if site_url else rel
    e = lambda v: html.escape(v, quote=True)  # noqa: E731
    return (
        "<!doctype html>\n"
        f'<html lang="{e(lang)}" dir="{t["dir"]}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{e(t['redirect_title'])}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={e(rel)}">\n'
        f'<link rel="canonical" href="{e(canonical)}">\n'
        '<meta name="robots" content="noindex">\n'
        "</head>\n"
        "<body>\n"
        f'<p>{e(t["redirect_moved"])} <a href="{e(rel)}"><bdi>{e(label)}</bdi></a></p>\n'
        "</body>\n"
        "</html>\n"
    )


def redirect_files(ctx: Any) -> list[tuple[str, str]]:
    """Listed in generator/extras.PRODUCERS: the redirect pages of one language."""
    templates = getattr(ctx, "templates", None)
    catalog = load_catalog(templates if templates is not None else TEMPLATES, ctx.lang)
    files = []
    for folder, old, new in redirect_targets(ctx.corpus):
        label = ctx.corpus.name_of(new, ctx.lang)
        files.append((urls.redirect_file(str(ctx.corpus.kind_of(new)), old), redirect_page(ctx.lang, folder, new, label, ctx.site_url, catalog)))
    return files
