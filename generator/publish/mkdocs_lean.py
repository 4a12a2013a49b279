"""MkDocs hooks that keep a language's build small in memory (issue 22), same HTML.

MkDocs converts every page's Markdown to HTML first and writes the pages afterwards, so at its
peak it holds the Markdown and the HTML of every page of the language (as Python strings: two
bytes a character as soon as a page holds one Arabic letter). At N = 1,000 that was most of
its 330-420 MB; the peak grows with the number of pages. These hooks keep each page's HTML
compressed while the other pages are converted (zlib, level 1: a fact sheet's HTML shrinks
about fivefold), give it back just before the page is written and let it go once written, and drop
the Markdown once converted (MkDocs does not read it again).

`factsheets build` lists this file in the ``hooks`` of each MkDocs configuration it writes
(generator/publish/builders.py); plain ``mkdocs build`` does not use it.
"""

from __future__ import annotations

import zlib
from typing import Any

_KEPT = "_factsheets_html"


def on_page_content(html: str, page: Any, **_: Any) -> str:
    """Just converted: keep the HTML compressed, and drop the Markdown (the page's title is
    already known from the conversion)."""
    setattr(page, _KEPT, zlib.compress(html.encode("utf-8"), 1))
    page.markdown = ""  # not None: MkDocs reads None as "not read yet" (Page.title)
    return ""


def on_page_context(context: Any, page: Any, **_: Any) -> Any:
    """About to be written: the HTML back, for the page's template."""
    kept = getattr(page, _KEPT, None)
    if kept is not None:
        page.content = zlib.decompress(kept).decode("utf-8")
    return context


def on_post_page(output: str, page: Any, **_: Any) -> str:
    """Written (by MkDocs, right after this): the HTML is let go again."""
    if getattr(page, _KEPT, None) is not None:
        page.content = ""
        setattr(page, _KEPT, None)
    return output
