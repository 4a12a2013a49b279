"""Python-Markdown extension ``generator.publish.sanitize``: analyst HTML through an allow-list sanitizer.

A briefing page mixes two kinds of Markdown: what we generate (title, date, embedded fact-sheet
cards, every value escaped) and what an analyst or an outside contributor wrote. The template
wraps each analyst segment in two marker comments (:func:`markers`) that analyst text cannot
produce: its ``<`` is escaped before it reaches Markdown (``generator.outputs.briefings.sanitize``), and
even without that, the markers carry a key derived from the segment's own text (:func:`key`), so
a segment cannot hold its own end marker. After Markdown has made its HTML (raw HTML restored,
every other postprocessor done), this extension passes exactly the HTML between the markers
through `nh3 <https://nh3.readthedocs.io>`_ (the Rust ``ammonia`` sanitizer) with an
allow-list of what Markdown itself produces, and removes the markers:

* elements: p, h1-h6, a, ul, ol, li, blockquote, code, pre, em, strong, table, thead, tbody,
  tr, th, td, hr, br, img;
* attributes: ``id`` on headings only (the table of contents' ids), ``href``/``title`` on
  links and the ``headerlink`` class of the permalink mark, ``src``/``alt``/``title`` on
  images, ``align`` (left/right/center) on table cells (Markdown's column alignment, written
  as ``style`` by Python-Markdown, is turned into ``align`` first), ``start`` on ordered lists.
  No ``style``, no ``class`` otherwise, no event handler, no other ``id``;
* URLs: ``http``, ``https``, ``mailto`` or a relative / site-relative path, judged after
  removing whitespace and control characters (``java\\tscript:`` is ``javascript:`` to a
  browser); anything else loses its ``href``/``src``;
* images: relative (local) sources only: the site promises no request to any other host. With
  ``extra.factsheets_allow_remote_images: true`` in mkdocs.yml, ``http(s)`` images are kept.
* comments, ``<script>`` and ``<style>`` (with their content) and every other element are
  removed (other elements keep their text).

``factsheets build`` forces the extension into each language's MkDocs configuration
(:func:`with_sanitizer`), and the MkDocs hook adds it for a plain ``mkdocs build``: editing
mkdocs.yml cannot turn it off. A start marker without its end sanitizes to the end of the page
(fail closed).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import nh3
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

NAME = "generator.publish.sanitize"
OPEN = "<!-- factsheets:analyst {key} -->"
CLOSE = "<!-- /factsheets:analyst {key} -->"
#: mkdocs.yml ``extra`` key that lets briefings show images from other hosts.
REMOTE_IMAGES_KEY = "factsheets_allow_remote_images"

TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "ul", "ol", "li", "blockquote", "code", "pre",
        "em", "strong", "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "img"}
ATTRIBUTES = {**{f"h{n}": {"id"} for n in range(1, 7)}, "a": {"href", "title"},
              "img": {"src", "alt", "title"}, "ol": {"start"}}
ALIGN = {"align": {"left", "right", "center"}}
SCHEMES = {"http", "https", "mailto"}

# a region, with the blank lines around its content (the markers leave no trace in the page)
_REGION = re.compile(r"<!-- factsheets:analyst ([0-9a-f]{16}) -->\n*(.*?)(?:\n*<!-- /factsheets:analyst \1 -->\n*|\Z)",
                     re.S)
_ANY_OPEN = "<!-- factsheets:analyst "


def key(segment: str) -> str:
    """The key of an analyst segment's markers: the start of its SHA-256. To end its region
    early, a segment would have to hold its own hash."""
    return hashlib.sha256(segment.encode("utf-8")).hexdigest()[:16]


def markers(segment: str) -> tuple[str, str]:
    """The comments to write before and after an analyst segment (each on a line of its own,
    with blank lines around)."""
    k = key(segment)
    return OPEN.format(key=k), CLOSE.format(key=k)
# what Python-Markdown's tables extension writes for a column's alignment (it cannot come from
# analyst text, which has no raw HTML and no attribute lists)
_ALIGN_STYLE = re.compile(r'<(t[hd]) style="text-align: (left|right|center);">')
# removed from a URL before its scheme is judged: whitespace, C0/C1 controls, and the invisible
# format characters (bidi marks, zero-width spaces, BOM) a browser ignores or a reader cannot see
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]+")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_HEADING_ID = re.compile(r"[\w-]+")


def url_kind(value: str) -> str:
    """What a URL is to a browser: ``"relative"`` (a path on this site, or a fragment),
    ``"remote"`` (another host, without a scheme: ``//host/x``), or its scheme, lowercase."""
    url = _INVISIBLE.sub("", value)
    m = _SCHEME.match(url)
    if m:
        return m.group(1).lower()
    if re.match(r"[/\\]{2}", url):
        return "remote"
    return "relative"


def _filter(allow_remote_images: bool):
    def keep(tag: str, attr: str, value: str) -> str | None:
        if attr == "href":
            return value if url_kind(value) in SCHEMES | {"relative", "remote"} else None
        if attr == "src":
            kind = url_kind(value)
            allowed = {"relative"} | ({"http", "https", "remote"} if allow_remote_images else set())
            return value if kind in allowed else None
        if attr == "id":
            return value if _HEADING_ID.fullmatch(value) else None
        if attr == "start":
            return value if value.isdigit() and len(value) < 10 else None
        return value
    return keep


def cleaner(allow_remote_images: bool = False) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=TAGS, clean_content_tags={"script", "style"}, attributes=ATTRIBUTES,
        attribute_filter=_filter(allow_remote_images), strip_comments=True, link_rel=None,
        url_schemes=SCHEMES, allowed_classes={"a": {"headerlink"}},
        tag_attribute_values={"th": ALIGN, "td": ALIGN})


def clean(html: str, allow_remote_images: bool = False) -> str:
    """One fragment of analyst HTML, sanitized."""
    return cleaner(allow_remote_images).clean(_prepare(html))


# Code in analyst text: generator.outputs.briefings escaped '&', '<' and '{' as '&amp;', '&lt;', '&#123;'
# before Markdown, and Markdown escapes code once more ('&amp;lt;'); one level is taken off
# again, so `a < b` shows as written. (Code is text to nh3 either way.)
_CODE = re.compile(r"(<code>)(.*?)(</code>)", re.S)
_TWICE = re.compile(r"&amp;(amp|lt|#123);")


def _prepare(html: str) -> str:
    html = _ALIGN_STYLE.sub(r'<\1 align="\2">', html)
    if "<code>" in html:
        html = _CODE.sub(lambda m: m.group(1) + _TWICE.sub(r"&\1;", m.group(2)) + m.group(3), html)
    return html


class SanitizePostprocessor(Postprocessor):
    def __init__(self, md: Markdown, allow_remote_images: bool) -> None:
        super().__init__(md)
        self.cleaner = cleaner(allow_remote_images)

    def run(self, text: str) -> str:
        if _ANY_OPEN not in text:
            return text
        return _REGION.sub(lambda m: self.cleaner.clean(_prepare(m.group(2))) + "\n", text)


class SanitizeExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"allow_remote_images": [False, "keep http(s) images in analyst text"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # after raw HTML is restored (30) and '&' placeholders are substituted (20): last
        md.postprocessors.register(SanitizePostprocessor(md, bool(self.getConfig("allow_remote_images"))),
                                   "factsheets_sanitize", 0)


def makeExtension(**kwargs: Any) -> SanitizeExtension:
    return SanitizeExtension(**kwargs)


def allow_remote_images(extra: dict[str, Any] | None) -> bool:
    return (extra or {}).get(REMOTE_IMAGES_KEY) is True


def with_sanitizer(extensions: list[Any] | None, extra: dict[str, Any] | None) -> list[Any]:
    """mkdocs.yml's ``markdown_extensions`` with this extension in it (configured from
    ``extra``), whatever the file says about it."""
    out = [e for e in (extensions or []) if not (e == NAME or (isinstance(e, dict) and NAME in e))]
    out.append({NAME: {"allow_remote_images": allow_remote_images(extra)}})
    return out
