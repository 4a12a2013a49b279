"""Stage 4: fill the Jinja templates into Markdown.

Every data value is escaped for Markdown *and* HTML by default (Jinja ``finalize``), so a
quote holding ``<script>``, ``[x](javascript:…)``, ``{{ … }}`` or ``!!! note`` renders as
that text. Helpers that build links or markup escape what they wrap and return ``Markup``.
"""

from __future__ import annotations

import os
import posixpath
import re
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml
from babel import Locale
from babel.dates import format_date
from hijridate import Gregorian
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, UndefinedError, pass_context
from markupsafe import Markup

from generator.corpus import JOINT, Corpus
from generator.brief import Briefer
from generator.errors import TemplateError
from generator.figures import for_corpus
from generator.figures.data import Speaker
from generator.jsonld import jsonld_global
from generator.model import Bilingual, Entity, Meeting, Statement, statement_anchor
from generator.plan import FOLDERS, Page, sheet_path
from generator.resources import catalog_file, template_loader

_SPECIALS = "&<>\"'\\`*_{}[]()#+-!|~^=:$"
_ESCAPE_TABLE = str.maketrans({c: f"&#{ord(c)};" for c in _SPECIALS})
_LIST_START = re.compile(r"^(\d+)\.")


def escape_md(value: object) -> Markup:
    """Text safe in Markdown and HTML: specials become numeric character references."""
    if isinstance(value, Markup):
        return value
    return _escape_text(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=262144)
def _escape_text(text: str) -> Markup:
    # names and labels repeat on every page that links to them: escape each string once
    if "\n" in text or "\r" in text:
        text = " ".join(text.split())
    out = text.translate(_ESCAPE_TABLE)
    if out[:1].isdigit():
        out = _LIST_START.sub(r"\1&#46;", out)  # "1. x" must not start an ordered list
    return Markup(out)


def slug(value: str) -> Markup:
    """An id checked by the model (lowercase ASCII slug): safe as-is in URLs and attributes."""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
        raise ValueError(f"not a slug: {value!r}")
    return Markup(value)


def st_anchor(statement_id: str) -> Markup:
    """The ``st-<id>`` anchor of a statement on its meeting page (the ``st_anchor`` filter)."""
    return Markup(statement_anchor(slug(statement_id)))


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    return escape_md(value)


def load_catalog(templates: Path, lang: str) -> dict[str, str]:
    """A language's UI strings. A plural entry (``n_*``) maps CLDR plural forms (zero, one, two,
    few, many, other) to strings holding ``{n}``: it stays a mapping (see :func:`count_text`)."""
    with open(catalog_file(templates, lang), encoding="utf-8") as fh:
        return {str(k): ({str(f): str(x) for f, x in v.items()} if isinstance(v, dict) else str(v))
                for k, v in yaml.safe_load(fh).items()}


class Renderer:
    """Renders pages of one corpus; the Jinja environment is built once."""

    def __init__(self, corpus: Corpus, templates: Path, site_url: str = "", *,
                 today: date | None = None, changed: dict[str, date] | None = None, digits: str | None = None):
        self.corpus = corpus
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.today = today or date.today()
        self.changed = changed or {}
        # Western (default) or Arabic-Indic digits on Arabic pages: one setting
        self.digits = digits or os.environ.get("FACTSHEETS_DIGITS", "western")
        self.env = Environment(loader=template_loader(templates), undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, autoescape=True,
                               finalize=_finalize, keep_trailing_newline=True)
        self.catalogs = {lang: load_catalog(templates, lang) for lang in ("ar", "en")}
        self._links: dict[tuple, Markup] = {}
        g = self.env.globals
        g.update(c=corpus, JOINT=JOINT, link=self.link, url=self.url, site_path=self.site_path, name=self.name, tr=self.tr,
                 fmt_date=self.fmt_date, hijri=hijri, date_text=self.date_text, esc=escape_md,
                 bdi=self.bdi, side_name=self.side_name, speaker_name=self.speaker_name,
                 para_link=self.para_link, role_text=self.role_text, count=self.count, lang_name=self.lang_name,
                 cite_url=self.cite_url,
                 figures=for_corpus(corpus, self.catalogs), jsonld=jsonld_global(corpus, self.site_url))
        g.update(permalink=self.permalink, last_changed=self.last_changed, today=self.today,
                 tr_lang=self.tr_lang, name_in=self.name_in, basis=self.basis)
        # article order and key positions: the rule `factsheets brief` uses (one Briefer, no catalog use)
        self._briefer = Briefer(corpus)
        g.update(lead_sentence=self.lead_sentence, key_positions=self._briefer.key_positions,
                 by_side=self.by_side, article_order=self.article_order, newest_first=self.newest_first)
        self.env.filters.update(esc=escape_md, bdi=self.bdi, slug=slug, st_anchor=st_anchor)

    def render(self, page: Page) -> str:
        obj = self._subject(page)
        t = self.catalogs[page.lang]
        try:
            return self.env.get_template(page.template).render(page=page, lang=page.lang, t=t, obj=obj)
        except TemplateSyntaxError as exc:
            raise TemplateError(f"templates/{exc.name or page.template}:{exc.lineno}: template error: {exc.message}") from exc
        except UndefinedError as exc:
            raise TemplateError(f"templates/{page.template}: template error while rendering {page.lang}/{page.path}: "
                                f"{exc.message}") from exc

    def _subject(self, page: Page) -> Any:
        if page.subject is None or page.kind in ("index", "timeline", "briefings"):
            return page.subject
        if page.kind == "briefing":
            return self.corpus.briefings[page.subject]
        return getattr(self.corpus, {"meeting": "meetings", "person": "people", "organization": "organizations",
                                     "topic": "topics", "source": "sources"}[page.kind])[page.subject]

    # --- helpers available in templates ---------------------------------------------------
    @pass_context
    def url(self, ctx: Any, target: str) -> Markup:
        """Relative link from the current page to ``target`` (a path under docs/, built from ids)."""
        return _relative(target, _folder(ctx["page"].path))

    @pass_context
    def site_path(self, ctx: Any, target: str) -> Markup:
        """Relative URL for raw HTML (which MkDocs does not rewrite): from the page's directory URL."""
        return _relative(target, _page_dir_url(ctx["page"].path))

    @pass_context
    def link(self, ctx: Any, ident: str, anchor: str = "", text: str | None = None) -> Markup:
        """A Markdown link to an entity's fact sheet (or a statement's anchor)."""
        # the same links recur on many pages of one folder: build each once per folder and language
        key = (ident, anchor, text, ctx["lang"], _folder(ctx["page"].path))
        hit = self._links.get(key)
        if hit is None:
            hit = self._links[key] = self._link(ctx, ident, anchor, text)
        return hit

    def _link(self, ctx: Any, ident: str, anchor: str, text: str | None) -> Markup:
        kind = self.corpus.kind_of(ident)
        lang = ctx["lang"]
        if kind == "statements":
            st = self.corpus.statements[ident]
            target, anchor = sheet_path("meetings", st.meeting), statement_anchor(ident)
            label = text or st.summary.get(lang)
        elif kind is None:
            return escape_md(text or ident)
        else:
            target = sheet_path(kind, ident)
            label = text or self.name(ctx, ident)
        href = self.url(ctx, target) + (f"#{anchor}" if anchor else "")
        return Markup(f"[<bdi>{escape_md(label)}</bdi>]({href})")

    @pass_context
    def para_link(self, ctx: Any, st: Statement, label: str) -> Markup:
        span = self.corpus.spans.get(st.id)
        target = sheet_path("sources", st.provenance.source)
        anchor = f"p{span.paragraph}" if span else ""
        href = self.url(ctx, target) + (f"#{anchor}" if anchor else "")
        return Markup(f"[{escape_md(label)}]({href})")

    @pass_context
    def name(self, ctx: Any, ident: str | Entity | Bilingual) -> str:
        if isinstance(ident, Bilingual):
            return ident.get(ctx["lang"])
        return self.corpus.name_of(ident, ctx["lang"])

    @pass_context
    def tr(self, ctx: Any, key: str, **kw: str) -> str:
        text = self.catalogs[ctx["lang"]][key]
        return text.format(**kw) if kw else text

    @pass_context
    def side_name(self, ctx: Any, side: str) -> Markup:
        if side == JOINT:
            return escape_md(self.catalogs[ctx["lang"]]["joint"])
        return self.link(ctx, side)

    @pass_context
    def speaker_name(self, ctx: Any, who: Statement | Speaker) -> Markup:
        """Who made a statement (or a figure's row stands for): linked; joint parties joined."""
        ids = (who if isinstance(who, Speaker) else Speaker.of(who)).ids
        if len(ids) == 1:
            return self.link(ctx, ids[0])
        sep = " و" if ctx["lang"] == "ar" else " and "
        return Markup(sep.join(self.link(ctx, o) for o in ids))

    @pass_context
    def role_text(self, ctx: Any, meeting: Meeting, person: str) -> str:
        for p in meeting.participants:
            if p.person == person and p.role:
                return p.role.get(ctx["lang"])
        role = self.corpus.role_at(person, meeting.date.start)
        return role.title.get(ctx["lang"]) if role else ""

    @pass_context
    def date_text(self, ctx: Any, meeting: Meeting) -> str:
        lang = ctx["lang"]
        d = meeting.date
        if d.is_range:
            return self.catalogs[lang]["date_range"].format(start=fmt_date(d.start, lang), end=fmt_date(d.last, lang))
        return fmt_date(d.start, lang)

    @pass_context
    def permalink(self, ctx: Any, ident: str, anchor: str = "") -> Markup:
        """The lasting address of an entity's page (absolute when site_url is set)."""
        kind = self.corpus.kind_of(ident)
        if kind == "statements":
            ident, anchor = self.corpus.statements[ident].meeting, statement_anchor(ident)
            kind = "meetings"
        target = f"{FOLDERS[kind]}/{ident}/"
        fragment = f"#{anchor}" if anchor else ""
        if self.site_url:
            prefix = "" if ctx["lang"] == "ar" else f"{ctx['lang']}/"
            return Markup(escape_md(self.site_url + prefix + target + fragment))
        return Markup(_relative(target, _page_dir_url(ctx["page"].path)) + "/" + fragment)

    def tr_lang(self, lang: str, key: str, **kw: object) -> str:
        text = self.catalogs[lang][key]
        return text.format(**kw) if kw else text

    def name_in(self, ident: str, lang: str) -> str:
        return self.corpus.name_of(ident, lang)

    def basis(self, ident: str, lang: str) -> str:
        """What a fact sheet rests on, for its citation: outlets and publication dates."""
        c = self.corpus
        kind = c.kind_of(ident)
        if kind == "sources":
            ids = [ident]
        elif kind == "meetings":
            ids = c.meetings[ident].sources
        else:
            return ""
        t = self.catalogs[lang]
        parts = [f"{self.name_in(c.sources[s].outlet, lang)}{t['brief_sep']}{self.fmt_date(c.sources[s].published, lang)}"
                 for s in ids]
        return t["cite_basis"].format(sources=t["brief_list_sep"].join(parts))

    # --- copy with the languages' grammar (issue 19) ---------------------------------------
    def num(self, n: int, lang: str) -> str:
        return arabic_digits(str(n)) if lang == "ar" and self.digits == "arabic-indic" else str(n)

    def fmt_date(self, d: date, lang: str, fmt: str = "long") -> str:
        text = fmt_date(d, lang, fmt)
        return arabic_digits(text) if lang == "ar" and self.digits == "arabic-indic" else text

    @pass_context
    def count(self, ctx: Any, n: int, key: str) -> str:
        """``n`` things, in the page language's CLDR plural form: 22 تصريحًا, 1 source article."""
        lang = ctx["lang"]
        return count_text(self.catalogs[lang][key], n, lang).replace("{n}", self.num(n, lang))

    @pass_context
    def lang_name(self, ctx: Any, code: str) -> str:
        """A language's name in the page language (CLDR): الإنجليزية, Arabic."""
        return language_name(code, ctx["lang"])

    @pass_context
    def cite_url(self, ctx: Any, ident: str, lang: str) -> str:
        """The address a citation gives: absolute, or a note that the site's address is not set."""
        if not self.site_url:
            return self.catalogs[lang]["cite_no_site_url"]
        return self.permalink(ctx, ident)

    def last_changed(self, entity: Entity) -> date:
        """When the entity's record last changed: from git where known, else from its sources' dates."""
        file = entity._origin[0]
        return self.changed.get(file) or self._source_dates.get(file) or self.today

    @cached_property
    def _source_dates(self) -> dict[str, date]:
        """file -> the latest publication/retrieval date of the sources it holds (computed once)."""
        dates: dict[str, date] = {}
        for s in self.corpus.sources.values():
            file, when = s._origin[0], s.retrieved or s.published
            dates[file] = max(when, dates.get(file, when))
        return dates

    # --- order and lead block (issue 18) ---------------------------------------------------
    def _order_key(self, st: Statement) -> tuple:
        m = self.corpus.meetings[st.meeting]
        return (m.date.start, m.id, *self._briefer.article_order(st))

    def article_order(self, statements: list[Statement]) -> list[Statement]:
        """Oldest meeting first, then as the article tells them: source, paragraph, offset."""
        return sorted(statements, key=self._order_key)

    def newest_first(self, statements: list[Statement]) -> list[Statement]:
        """Newest meeting first; within one meeting, article order."""
        by_meeting: dict[str, list[Statement]] = {}
        for st in self.article_order(statements):
            by_meeting.setdefault(st.meeting, []).append(st)
        ms = sorted(by_meeting, key=lambda mid: (self.corpus.meetings[mid].date.start, mid), reverse=True)
        return [st for mid in ms for st in by_meeting[mid]]

    def by_side(self, meeting: Meeting) -> list[tuple[str, list[Statement]]]:
        """A meeting's statements by side (parties in order, then joint), in article order within."""
        return [(side, self.article_order(group)) for side, group in self.corpus.statements_by_side(meeting)]

    @pass_context
    def lead_sentence(self, ctx: Any, meeting: Meeting) -> str:
        """One sentence from the data: what kind of meeting, where, when, who (role, side)."""
        lang = ctx["lang"]
        t = self.catalogs[lang]
        people = []
        for p in meeting.participants:
            # in what capacity: the role at the time (it names the state), else the side
            detail = self.role_text(ctx, meeting, p.person) or self._side_text(lang, p.side)
            who = self.corpus.name_of(p.person, lang)
            people.append(t["lead_person"].format(name=who, detail=detail) if detail else who)
        if not people:
            people = [self.corpus.name_of(o, lang) for o in meeting.parties]
        if len(people) > 1:
            who = t["brief_sep"].join(people[:-1]) + t["brief_and"] + people[-1]
        else:
            who = "".join(people)
        place = meeting.location.get(lang) + (t["brief_sep"] + meeting.venue.get(lang) if meeting.venue else "")
        kind = t["meeting"] if meeting.kind == "other" else t["kind_" + meeting.kind]
        return t["lead_sentence"].format(kind=kind, place=place, date=self.date_text(ctx, meeting), who=who)

    def _side_text(self, lang: str, side: str) -> str:
        return self.catalogs[lang]["joint"] if side == JOINT else self.corpus.name_of(side, lang)

    def bdi(self, value: object) -> Markup:
        return Markup(f"<bdi>{escape_md(value)}</bdi>")


@lru_cache(maxsize=4096)
def _folder(page: str) -> str:
    """The folder of a page's Markdown file (links in Markdown are relative to it)."""
    return posixpath.dirname(page)


@lru_cache(maxsize=4096)
def _page_dir_url(page: str) -> str:
    """The directory a page is served from with directory URLs: x/index.md -> x, x/y.md -> x/y."""
    return posixpath.dirname(page) if posixpath.basename(page) == "index.md" else page.removesuffix(".md")


@lru_cache(maxsize=65536)
def _relative(target: str, here: str) -> Markup:
    rel = relpath(target, here)
    if not re.fullmatch(r"[a-z0-9./#-]+", rel):
        raise ValueError(f"unsafe link target: {rel!r}")
    return Markup(rel)


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


@lru_cache(maxsize=4096)
def fmt_date(d: date, lang: str, fmt: str = "long") -> str:
    """A date with the language's month names (Babel/CLDR), day first in both languages, as the
    data spells it: 23 ديسمبر 2025, 23 December 2025 (not CLDR en's US "December 23, 2025")."""
    if lang == "en" and fmt == "long":
        fmt = "d MMMM y"
    return format_date(d, fmt, locale=lang)


_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def arabic_digits(text: str) -> str:
    return text.translate(_ARABIC_INDIC)


def count_text(forms: dict[str, str] | str, n: int, lang: str) -> str:
    """The form of a plural catalog entry for ``n`` (CLDR plural rules through Babel); ``{n}`` is
    left for the caller. A plain string is used for every count."""
    if isinstance(forms, str):
        return forms
    form = Locale.parse(lang).plural_form(n)
    return forms.get(form) or forms["other"]


@lru_cache(maxsize=64)
def language_name(code: str, in_lang: str) -> str:
    """The name of language ``code`` written in ``in_lang`` (CLDR via Babel); the code if unknown."""
    try:
        return Locale.parse(code).get_language_name(in_lang) or code
    except (ValueError, TypeError, LookupError):
        return code


#: The dates the Umm al-Qura calendar of hijridate covers (1 Muharram 1343 – 29 Dhu al-Hijjah 1500).
HIJRI_RANGE = (date(1924, 8, 1), date(2077, 11, 16))


@lru_cache(maxsize=4096)
def hijri(d: date, lang: str = "ar") -> str:
    """The Hijri (Umm al-Qura) date, or "" for a date outside :data:`HIJRI_RANGE` (the page then
    shows the Gregorian date only)."""
    if not HIJRI_RANGE[0] <= d <= HIJRI_RANGE[1]:
        return ""
    try:
        h = Gregorian(d.year, d.month, d.day).to_hijri()
    except (OverflowError, ValueError):  # the table's bounds, should they ever differ from HIJRI_RANGE
        return ""
    if lang == "ar":
        return f"{h.day} {h.month_name('ar')} {h.year} هـ"
    return f"{h.day} {h.month_name('en')} {h.year} AH"
