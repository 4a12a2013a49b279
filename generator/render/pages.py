"""Stage 4: fill the Jinja templates into Markdown.

Every data value is escaped for Markdown *and* HTML by default (Jinja ``finalize``), so a
quote holding ``<script>``, ``[x](javascript:…)``, ``{{ … }}`` or ``!!! note`` renders as
that text. Helpers that build links or markup escape what they wrap and return ``Markup``.
"""

from __future__ import annotations

import os
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from jinja2 import BytecodeCache, Environment, StrictUndefined, TemplateSyntaxError, UndefinedError, pass_context
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from generator import urls
from generator.core.corpus import JOINT, Corpus
from generator.outputs.brief import Briefer
from generator.errors import TemplateError, UsageError
from generator.render.figures import Figures
from generator.render.figures.data import Speaker
from generator.publish.incremental import Capture, RecordedCorpus, Recording, note_id, replay
from generator.i18n import (HIJRI_RANGE, and_sep, arabic_digits, count_text, digits, fmt_date, hijri,
                            language_name, load_catalog, load_catalogs)
from generator.render.context import ESCAPING_FINALIZE, EscapedOutput, FastCallContext
from generator.render.jsonld import jsonld_global
from generator.kinds import BY_NAME
from generator.core.model import Bilingual, Entity, Meeting, Statement
from generator.render.plan import Page
from generator.urls import page_md, paragraph_anchor, relpath, statement_anchor
from generator.resources import template_loader

_SPECIALS = "&<>\"'\\`*_{}[]()#+-!|~^=:$"
_ESCAPE_TABLE = str.maketrans({c: f"&#{ord(c)};" for c in _SPECIALS})
_LIST_START = re.compile(r"^(\d+)\.")


def escape_md(value: object) -> Markup:
    """Text safe in Markdown and HTML: specials become numeric character references."""
    if isinstance(value, Markup):
        return value
    return _escape_text(value if isinstance(value, str) else str(value))


#: Links kept by the renderer's cache (per folder and language) before it starts again: unbounded, it
#: held 100,000 links and their reads a language at N = 1,000.
LINK_CACHE = 16384
#: (id, label, language) whose reads are kept (about 23,000 a language at N = 1,000; the reads are
#: a few ids and queries each)
LINK_READS = 65536

@lru_cache(maxsize=262144)
def _escape_text(text: str) -> Markup:
    # names and labels repeat on every page that links to them: escape each string once
    if "\n" in text or "\r" in text:
        text = " ".join(text.split())
    out = text.translate(_ESCAPE_TABLE)
    if out[:1].isdigit():
        out = _LIST_START.sub(r"\1&#46;", out)  # "1. x" must not start an ordered list
    return Markup(out)


@lru_cache(maxsize=65536)
def slug(value: str) -> Markup:
    """An id checked by the model (lowercase ASCII slug): safe as-is in URLs and attributes
    (remembered: every statement anchor on a page passes here)."""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
        raise ValueError(f"not a slug: {value!r}")
    return Markup(value)


def st_anchor(statement_id: str) -> Markup:
    """The ``st-<id>`` anchor of a statement on its meeting page (the ``st_anchor`` filter)."""
    return Markup(statement_anchor(slug(statement_id)))


_EMPTY = Markup("")


def _finalize(value: Any) -> Markup:
    """Every value a template outputs, as escaped text (so the compiled templates do not escape it
    again: generator/render/context.py, EscapedOutput)."""
    if value is None:
        return _EMPTY
    return escape_md(value)


setattr(_finalize, ESCAPING_FINALIZE, True)


#: How numbers are written on Arabic pages (FACTSHEETS_DIGITS); English pages always use Western digits.
DIGIT_STYLES = ("western", "arabic-indic")


class _KeptBytecode(BytecodeCache):
    """Compiled templates kept in a long-lived process's cache (Jinja checks each one against its
    template's source before using it, so an edited template is compiled again)."""

    def __init__(self, store: dict[str, bytes]) -> None:
        self.store = store

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class Renderer:
    """Renders pages of one corpus; the Jinja environment is built once."""

    def __init__(self, corpus: Corpus, templates: Path, site_url: str = "", *,
                 today: date | None = None, changed: dict[str, date] | None = None, digits: str | None = None):
        # the pages' view of the corpus: each lookup is recorded for the dependency map
        if not isinstance(corpus, RecordedCorpus):  # (it answers as the corpus does: typed as one)
            corpus = cast(Corpus, RecordedCorpus(corpus))
        self.corpus = corpus
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.today = today or date.today()
        self.changed = changed or {}
        # Western (default) or Arabic-Indic digits on Arabic pages: one setting
        self.digits = digits or os.environ.get("FACTSHEETS_DIGITS", "western")
        if self.digits not in DIGIT_STYLES:
            raise UsageError(f"FACTSHEETS_DIGITS must be one of {', '.join(DIGIT_STYLES)}, not {self.digits!r}")
        from generator.core.loader import reused_cache

        kept = reused_cache()  # the live preview: templates compiled once, not on every build
        # auto_reload off: a renderer lives for one build (the preview makes one per build), so
        # each template is read once, not checked against its file's mtime on every page (each page
        # loads its template and the partials it imports: 3 % of the render at N = 1,000)
        self.env = Environment(loader=template_loader(templates), undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, autoescape=True,
                               finalize=_finalize, keep_trailing_newline=True, auto_reload=False,
                               bytecode_cache=_KeptBytecode(kept.bytecode) if kept is not None else None)
        self.env.context_class = FastCallContext
        self.env.code_generator_class = EscapedOutput
        self.catalogs = load_catalogs(templates, urls.LANGS)
        self.figures = Figures(corpus, self.catalogs)  # handed to the figure files' producer too (generate.py)
        self._links: dict[tuple, tuple[Markup, tuple[tuple[str, ...], tuple[tuple, ...]]]] = {}
        #: (id, label, lang) -> what making that link reads: text ids, queries (the same for every folder)
        self._link_reads: dict[tuple, tuple[tuple[str, ...], tuple[tuple, ...]]] = {}
        #: (lang, docs path) -> what each rendered page read: text ids and queries (the dependency map)
        self.deps: dict[tuple[str, str], Any] = {}
        #: whose text each bilingual value is (generator/publish/incremental.py Inputs.owners; set by generate())
        self.text_owners: dict[int, str] = {}
        g = self.env.globals
        g.update(c=corpus, JOINT=JOINT, link=self.link, url=self.url, site_path=self.site_path, name=self.name, tr=self.tr,
                 fmt_date=self.fmt_date, hijri=hijri, date_text=self.date_text, esc=escape_md,
                 bdi=self.bdi, side_name=self.side_name, speaker_name=self.speaker_name,
                 para_link=self.para_link, role_text=self.role_text, count=self.count, lang_name=self.lang_name,
                 cite_url=self.cite_url,
                 figures=self.figures, jsonld=self.jsonld)
        g.update(permalink=self.permalink, last_changed=self.last_changed, today=self.today,
                 tr_lang=self.tr_lang, name_in=self.name_in, basis=self.basis, briefing_href=self.briefing_href)
        # paths for templates: from generator.urls only, never spelled in a template
        g.update(page_md=urls.page_md, index_md=urls.index_md, briefing_md=urls.briefing_md,
                 para_anchor=urls.paragraph_anchor, to_site_root=urls.to_site_root, export_file=urls.export_file,
                 FEED=urls.FEED)
        # article order and key positions: the rule `factsheets brief` uses (one Briefer, no catalog use)
        self._briefer = Briefer(corpus)
        g.update(lead_sentence=self.lead_sentence, key_positions=self._briefer.key_positions,
                 by_side=self.by_side, article_order=self.article_order, newest_first=self.newest_first)
        self.env.filters.update(esc=escape_md, bdi=self.bdi, slug=slug, st_anchor=st_anchor)

    def render(self, page: Page) -> str:
        with Recording(self.text_owners) as read:  # what the page reads, for the dependency map (generator/publish/incremental.py)
            note_id(page.subject)
            for ident in page.rows or ():
                note_id(ident)
            text = self._render(page)
        self.deps[(page.lang, page.path)] = read
        return text

    def _render(self, page: Page) -> str:
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
        return getattr(self.corpus, BY_NAME[page.kind].plural)[page.subject]

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
        note_id(ident)  # (a link from the cache reads nothing: the page depends on it all the same)
        lang = ctx["lang"]
        key = (ident, anchor, text, lang, _folder(ctx["page"].path))
        links = self._links
        hit = links.get(key)
        if hit is None:
            # what a link reads depends on the entity, the label asked for and the language, never on
            # the anchor or the page's folder (those only make the href): recorded once for each, the
            # same reads are then stored with the link of every folder (a Capture is costly: ~200,000
            # links are made per language at N = 1,000, of a few thousand entities)
            known_key = (ident, text, lang)
            known = self._link_reads.get(known_key)
            if known is None:
                with Capture(self.text_owners) as reads:  # replayed on each hit: what the link was made from
                    link = self._link(ctx, ident, anchor, text)
                if len(self._link_reads) >= LINK_READS:
                    self._link_reads.clear()
                known = self._link_reads[known_key] = (tuple(reads.ids), tuple(reads.queries))
            else:  # its reads, recorded as it is made, are those known already
                link = self._link(ctx, ident, anchor, text)
            if len(links) >= LINK_CACHE:  # bounded: pages come folder by folder, so recent links are the ones asked
                links.clear()
            hit = links[key] = (link, known)
        else:
            replay(*hit[1])
        return hit[0]

    def _link(self, ctx: Any, ident: str, anchor: str, text: str | None) -> Markup:
        kind = self.corpus.kind_of(ident)
        lang = ctx["lang"]
        if kind == "statements":
            st = self.corpus.statements[ident]
            target, anchor = page_md("meetings", st.meeting), statement_anchor(ident)
            label = text or st.summary.get(lang)
        elif kind is None:
            return escape_md(text or ident)
        else:
            target = page_md(kind, ident)
            label = text or self.name(ctx, ident)
        return Markup(f"[<bdi>{escape_md(label)}</bdi>]({_href(target, ctx['page'].path, anchor)})")

    @pass_context
    def jsonld(self, ctx: Any, obj: Any) -> Markup:
        """A meeting's JSON-LD script. Built afresh for each page: the nodes jsonld.py keeps for
        the next pages would be read there without the page noting whose text they hold."""
        return jsonld_global(self.corpus, self.site_url)(ctx, obj)

    @pass_context
    def para_link(self, ctx: Any, st: Statement, label: str) -> Markup:
        span = self.corpus.spans.get(st.id)
        target = page_md("sources", st.provenance.source)
        anchor = paragraph_anchor(span.paragraph) if span else ""
        return Markup(f"[{escape_md(label)}]({_href(target, ctx['page'].path, anchor)})")

    @pass_context
    def name(self, ctx: Any, ident: str | Entity | Bilingual) -> str:
        if isinstance(ident, Bilingual):
            return ident.get(ctx["lang"])
        note_id(ident)
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
        sep = and_sep(self.catalogs[ctx["lang"]])
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
        assert kind is not None, f"permalink of an unknown id {ident!r}"
        if self.site_url:
            return Markup(escape_md(urls.absolute(self.site_url, urls.site_path(kind, ident, ctx["lang"], anchor))))
        target = urls.page_url(kind, ident)
        return Markup(_relative(target, _page_dir_url(ctx["page"].path)) + "/" + urls.fragment(anchor))

    @pass_context
    def briefing_href(self, ctx: Any, ident: str, lang: str) -> Markup:
        """A raw-HTML link from this page to briefing ``ident`` in ``lang``: in another language it
        is in another docs folder, so no .md link can reach it (urls.cross_lang_link). With a
        site URL the link is absolute: Zensical rewrites relative raw-HTML links that leave their
        language's docs folder (docs/builders.md)."""
        if self.site_url:
            return Markup(urls.absolute(self.site_url, urls.briefing_site_path(ident, lang)))
        target = urls.briefing_site_path(ident, lang).removeprefix(urls.lang_prefix(lang))
        return Markup(urls.cross_lang_link(ctx["page"].path, ctx["lang"], lang, slug(ident) and target))

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
        return digits(str(n), lang, self.digits)

    def fmt_date(self, d: date, lang: str, fmt: str = "long") -> str:
        return digits(fmt_date(d, lang, fmt), lang, self.digits)

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
        return self.changed.get(file) or self.corpus.source_date(file) or self.today

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
        location = meeting.location.get(lang)
        place = (t["lead_place_venue"].format(venue=meeting.venue.get(lang), location=location) if meeting.venue
                 else t["lead_place"].format(location=location))
        kind = t["meeting"] if meeting.kind == "other" else t["kind_" + meeting.kind]
        return t["lead_sentence"].format(kind=kind, place=place, date=self.date_text(ctx, meeting), who=who)

    def _side_text(self, lang: str, side: str) -> str:
        return self.catalogs[lang]["joint"] if side == JOINT else self.corpus.name_of(side, lang)

    def bdi(self, value: object) -> Markup:
        return Markup(f"<bdi>{escape_md(value)}</bdi>")


def _folder(page: str) -> str:
    """The folder of a page's Markdown file (links in Markdown are relative to it)."""
    return urls.md_folder(page)


def _page_dir_url(page: str) -> str:
    """The directory a page is served from with directory URLs: x/index.md -> x, x/y.md -> x/y."""
    return urls.page_dir_url(page)


def _href(target: str, page: str, anchor: str = "") -> str:
    """A Markdown link's target from ``page`` to ``target`` and its ``#anchor`` (escaped), as
    text: ``Markup + str`` escapes the anchor the same way, at the cost of a Markup made per link
    (a third of the 600,000 links a build asks for are made afresh)."""
    href = _relative(target, _folder(page))
    return f"{href}#{escape(anchor)}" if anchor else href


@lru_cache(maxsize=65536)
def _relative(target: str, here: str) -> Markup:
    return Markup(urls.relative(target, here))


#: formerly defined here (now generator.i18n, generator.urls): still importable from this module
__all__ = ["Renderer", "escape_md", "slug", "st_anchor", "fmt_date", "load_catalog", "count_text", "language_name",
           "hijri", "HIJRI_RANGE", "arabic_digits", "relpath"]
