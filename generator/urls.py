"""Every path and link of the site, built in one place (issue 17, item 2).

The site's layout, written once here:

- the default language (Arabic) at the site root, every other language under ``<lang>/``
  (:func:`lang_prefix`; the one place the rule lives);
- an entity's fact sheet at ``<folder>/<id>.md`` in its language's docs folder, served with
  directory URLs as ``<folder>/<id>/`` (the folder comes from :mod:`generator.kinds`);
- a statement is the anchor ``st-<id>`` on its meeting's page, a paragraph of a source article
  the anchor ``p<n>`` on the source's page;
- figures under ``figures/``, exports under ``exports/`` (site root only), a feed ``feed.xml``
  per language root, a redirect page at ``<folder>/<old-id>/index.html``.

Three forms of every address: a docs path (``meetings/x.md``, what Markdown links name and
MkDocs rewrites), a path relative to a language root or to the site root
(``en/meetings/x/#st-y``), and an absolute URL under ``site_url``. :func:`relative` makes a
link from one page to another; :class:`Urls` binds a language and a site URL for the modules
that write many addresses (exports, JSON-LD, brief), in the spirit of Datasette's ``Urls``.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache

from generator.kinds import BY_PLURAL
from generator.core.model import statement_anchor

#: Every language of the site; the first is the default, served at the site root.
LANGS: tuple[str, ...] = ("ar", "en")
DEFAULT_LANG = LANGS[0]

#: Folders (and a file) of the site that hold no pages: figures, exports, the feed.
FIGURES = "figures/"
EXPORTS = "exports/"
FEED = "feed.xml"
EXTRA_FOLDERS = (FIGURES, EXPORTS)
EXTRA_FILES = (FEED,)

__all__ = ["LANGS", "DEFAULT_LANG", "statement_anchor"]  # statement_anchor: the model's id rule, re-exported


# --- the language rule --------------------------------------------------------------------------

def lang_prefix(lang: str) -> str:
    """Where a language's pages start, relative to the site root: "" or "en/"."""
    return "" if lang == DEFAULT_LANG else f"{lang}/"


def nested_langs(lang: str) -> tuple[str, ...]:
    """The folders, relative to ``lang``'s root, of the languages whose roots lie inside it: the
    default language's site holds ``en/``; the others hold none."""
    mine = lang_prefix(lang)
    return tuple(lang_prefix(lg)[len(mine):].rstrip("/") for lg in LANGS
                 if lg != lang and lang_prefix(lg).startswith(mine))


def other_lang(lang: str) -> str:
    """The other language of the (two-language) site."""
    return next(lg for lg in LANGS if lg != lang)


def to_site_root(lang: str) -> str:
    """From a language's root up to the site root: "" or "../"."""
    return "" if lang == DEFAULT_LANG else "../" * lang_prefix(lang).count("/")


def to_lang_root(from_lang: str, to_lang: str) -> str:
    """From one language's root to another's, relative: "en/", "../"."""
    return to_site_root(from_lang) + lang_prefix(to_lang)


def lang_root(site_url: str, lang: str) -> str:
    """The absolute address of a language's root: the site's URL, plus ``en/`` for English."""
    return site_url.rstrip("/") + "/" + lang_prefix(lang)


def absolute(site_url: str, path: str) -> str:
    """``path`` (relative to the site root) under ``site_url``; as it is when there is none."""
    return (site_url.rstrip("/") + "/" + path) if site_url else path


def root_url(site_url: str, lang: str) -> str:
    """A language's root as a link: absolute under ``site_url``, else from the server's root."""
    return lang_root(site_url, lang) if site_url else "/" + lang_prefix(lang)


# --- pages, anchors -----------------------------------------------------------------------------

def folder(kind: str) -> str:
    """The folder of a kind's pages (``kind``: the plural, as ``Corpus.kind_of`` answers)."""
    f = BY_PLURAL[kind].folder
    if f is None:
        raise ValueError(f"{kind} have no pages of their own")
    return f


def page_md(kind: str, ident: str) -> str:
    """An entity's fact sheet in its language's docs folder: ``meetings/<id>.md``."""
    return f"{folder(kind)}/{ident}.md"


#: the home page and the search page of each language, in its docs folder
HOME_MD = "index.md"
SEARCH_MD = "search.md"
#: the folder of analysts' briefings (they are not a kind of :mod:`generator.kinds`)
BRIEFINGS = "briefings"


def index_md(kind: str) -> str:
    """The index page of a kind's folder: ``people/index.md``."""
    return f"{folder(kind)}/index.md"


#: the sub-folder of an index page's parts: ``people/by/b/``, ``meetings/by/2023/``
PARTS_FOLDER = "by"


def part_md(page: str, key: str) -> str:
    """A part of a paged page (issue 22, item 4), as a docs path: ``key`` "" is the page itself;
    a fact sheet's parts are under its own address (``topics/<id>.md`` -> ``topics/<id>/2023.md``),
    an index page's in its folder's ``by/`` (``people/index.md`` -> ``people/by/b.md``)."""
    if not key:
        return page
    if posixpath.basename(page) == "index.md":
        return f"{posixpath.dirname(page)}/{PARTS_FOLDER}/{key}.md"
    return f"{page.removesuffix('.md')}/{key}.md"


def fragment(anchor: str) -> str:
    return f"#{anchor}" if anchor else ""


def page_url(kind: str, ident: str, anchor: str = "") -> str:
    """An entity's page relative to its language's root (directory URLs): ``meetings/<id>/#a``."""
    return f"{folder(kind)}/{ident}/" + fragment(anchor)


def site_path(kind: str, ident: str, lang: str = DEFAULT_LANG, anchor: str = "") -> str:
    """An entity's page relative to the site root: ``en/meetings/<id>/``."""
    return lang_prefix(lang) + page_url(kind, ident, anchor)


def paragraph_anchor(number: int) -> str:
    """The anchor of a source article's paragraph: ``p<n>``."""
    return f"p{number}"


def statement_site_path(meeting: str, statement: str, lang: str = DEFAULT_LANG) -> str:
    """A statement's permalink, relative to the site root: its anchor on its meeting's page."""
    return site_path("meetings", meeting, lang, statement_anchor(statement))


def briefing_md(ident: str) -> str:
    return f"{BRIEFINGS}/{ident}.md"


def briefings_index_md() -> str:
    """The list of briefings, in each language's docs folder."""
    return f"{BRIEFINGS}/index.md"


def briefing_site_path(ident: str, lang: str) -> str:
    """A briefing's page relative to the site root, in ``lang``."""
    return lang_prefix(lang) + f"{BRIEFINGS}/{ident}/"


def redirect_file(kind: str, old: str) -> str:
    """The redirect page left at a previous id's address (relative to the language's docs folder)."""
    return f"{folder(kind)}/{old}/index.html"


def redirect_target(new: str) -> str:
    """From a redirect page (``<folder>/<old>/``) to the entity's page, relative."""
    return f"../{new}/"


def figure_file(name: str) -> str:
    return f"{FIGURES}{name}.svg"


def export_file(name: str) -> str:
    """A file of the exports, relative to the site root: ``exports/<name>``."""
    return f"{EXPORTS}{name}"


def meeting_export(meeting: str) -> str:
    return export_file(f"meetings/{meeting}.json")


def feed_path(lang: str) -> str:
    """A language's Atom feed, relative to the site root."""
    return lang_prefix(lang) + FEED


# --- links between pages ------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def md_folder(page: str) -> str:
    """The folder of a page's Markdown file (Markdown links are relative to it)."""
    return posixpath.dirname(page)


@lru_cache(maxsize=4096)
def page_dir_url(page: str) -> str:
    """The directory a page is served from with directory URLs: x/index.md -> x, x/y.md -> x/y."""
    return posixpath.dirname(page) if posixpath.basename(page) == "index.md" else page.removesuffix(".md")


def served_path(md: str, use_directory_urls: bool = True) -> str:
    """The URL path, relative to the language root, of the page built from Markdown file ``md``
    (a POSIX path relative to the docs folder), as MkDocs and Zensical lay it out."""
    stem = md[: -len(".md")]
    name = stem.rsplit("/", 1)[-1]
    if name in ("index", "README"):
        return stem[: -len(name)]
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


@lru_cache(maxsize=65536)
def relative(target: str, here: str) -> str:
    """A link from ``here`` (a folder under the docs folder) to ``target``: only slug characters."""
    rel = relpath(target, here)
    if not re.fullmatch(r"[a-z0-9./#-]+", rel):
        raise ValueError(f"unsafe link target: {rel!r}")
    return rel


def relpath(target: str, here: str) -> str:
    """``posixpath.relpath(target, here or ".")`` for two paths under the docs folder, worked out
    from the strings alone (``posixpath.relpath`` asks the OS for the working directory on every
    call, and links are made by the hundred thousand)."""
    t = [part for part in target.split("/") if part and part != "."]
    h = [part for part in here.split("/") if part and part != "."]
    if not target or ".." in t or ".." in h or target.startswith("/") or here.startswith("/"):
        return posixpath.relpath(target, here or ".")
    common = 0
    while common < len(t) and common < len(h) and t[common] == h[common]:
        common += 1
    return "/".join([".."] * (len(h) - common) + t[common:]) or "."


def cross_lang_link(page: str, lang: str, to_lang: str, target: str) -> str:
    """A raw-HTML link from page ``page`` of ``lang`` to ``target`` (relative to ``to_lang``'s
    root) in the other language, whose pages are in another docs folder (so not a .md link)."""
    up = "../" * len([p for p in page_dir_url(page).split("/") if p])
    return up + to_lang_root(lang, to_lang) + target


class Urls:
    """The addresses of one language of one site: relative to the site root, or absolute under
    ``site_url`` when it is set."""

    def __init__(self, lang: str = DEFAULT_LANG, site_url: str = ""):
        self.lang = lang
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""

    def absolute(self, path: str) -> str:
        return absolute(self.site_url, path)

    def page(self, kind: str, ident: str, anchor: str = "") -> str:
        return self.absolute(site_path(kind, ident, self.lang, anchor))

    def statement(self, meeting: str, statement: str) -> str:
        return self.absolute(statement_site_path(meeting, statement, self.lang))

    def paragraph(self, source: str, number: int) -> str:
        return self.page("sources", source, paragraph_anchor(number))

    def feed(self) -> str:
        return self.absolute(feed_path(self.lang))

    def from_meeting(self, kind: str, ident: str, anchor: str = "") -> str:
        """From a meeting page (``<lang>/meetings/<id>/``) to another fact sheet: absolute under
        the site's URL, else relative to the meeting page."""
        if self.site_url:
            return self.page(kind, ident, anchor)
        return "../../" + page_url(kind, ident, anchor)
