"""`factsheets brief ID...`: ready-to-paste briefing snippets with permalinks (issues #5, #21).

- a meeting: its date and place, participants, key positions (one per bullet) and outcomes;
- a statement: its summary, the quoted words and its permalink (meeting page + anchor);
- a person, organization or topic: their latest positions (the 3 newest);
- a source: its headline, outlet and date.

Each item links to its page: ``site_url`` + path. Links are always absolute unless the caller
asks for paths relative to the site root (``--relative``). A statement's link sits on a short
"source" marker, never on its whole summary. Every word comes from the catalogs
(``templates/i18n/*.yaml``): Arabic snippets use «…», «،» and «؛».

The snippets are built as a small document tree (sections of paragraphs, headings, bullet
lists and tables made of runs), rendered as Markdown (``md``), an indented HTML fragment
(``html``, every value escaped, ``dir`` on every block), plain text (``text``, Arabic lines
wrapped in Unicode isolates so they read right in a left-to-right composer) or Word
(``docx``, generator.outputs.docx_brief). ``factsheets briefing`` (generator.outputs.briefing_export) renders a
whole briefing page through the same tree.
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from generator.core.corpus import JOINT, Corpus
from generator.errors import UsageError
from generator import urls
from generator.i18n import fmt_date, load_catalog
from generator.urls import absolute
from generator.kinds import plurals
from generator.core.model import Meeting, Statement
from generator.outputs.brief_doc import (  # noqa: F401 - the document tree, re-exported (callers import it from here)
    FSI, LRI, PDI, RLI, Bullets, Heading, Item, Line, Link, Node, Para, Quote, Run, Section, Strong, Table, Text,
    lang_dir, render_section_html, render_section_lines, render_sections, safe_url, script_dir)

FORMATS = ("md", "html", "text", "docx")
TEXT_FORMATS = ("md", "html", "text")
LANGS = ("ar", "en")
LATEST = 3

NO_SITE_URL = ("the links must be absolute, and no site address is set: pass --site-url https://…, "
               "set the FACTSHEETS_SITE_URL environment variable, or set site_url in mkdocs.yml "
               "(or pass --relative for links relative to the site root)")


# --- building the snippets ----------------------------------------------------------------------

class Briefer:
    def __init__(self, corpus: Corpus, lang: str = "ar", site_url: str = "", templates: Path | None = None):
        from generator.resources import project_templates

        self.c = corpus
        self.lang = lang
        self.site_url = site_url
        # the project's catalog (templates/ of the working folder) if it has one, else the packaged one
        self.t = load_catalog(templates if templates is not None else project_templates(), lang)
        self.fmt_date = fmt_date

    def section(self, blocks: list[Node]) -> Section:
        return Section(self.lang, blocks, (self.t["brief_quote_open"], self.t["brief_quote_close"]))

    def url(self, path: str) -> str:
        return absolute(self.site_url, path)

    def name(self, ident: str) -> str:
        if ident == JOINT:
            return self.t["joint"]
        return self.c.name_of(ident, self.lang)

    def link(self, kind: str, ident: str, text: str | None = None) -> Run:
        return Link(text or self.name(ident), self.url(urls.site_path(kind, ident, self.lang)))

    def source_link(self, st: Statement) -> Run:
        """The short marker that carries a statement's permalink."""
        return Link(self.t["brief_source"], self.url(urls.statement_site_path(st.meeting, st.id, self.lang)))

    def speaker(self, st: Statement) -> str:
        sp = st.speaker
        ids = [sp.person] if sp.person else [sp.organization] if sp.organization else list(sp.joint or [])
        names = [self.name(i) for i in ids]
        if len(names) <= 2:
            return self.t["brief_and"].join(names)
        return self.t["brief_sep"].join(names[:-1]) + self.t["brief_and"] + names[-1]

    def date(self, meeting_id: str) -> str:
        d = self.c.meetings[meeting_id].date
        if d.is_range:
            return self.t["date_range"].format(start=self.fmt_date(d.start, self.lang),
                                               end=self.fmt_date(d.last, self.lang))
        return self.fmt_date(d.start, self.lang)

    def position(self, st: Statement, *, with_date: bool = False, side: str | None = None) -> Line:
        """One statement: [date —] [side —] **speaker** (stance): summary (source)."""
        dash, colon = self.t["brief_dash"], self.t["brief_colon"]
        segs: Line = []
        if with_date:
            segs.append(Text(self.date(st.meeting) + dash))
        who = self.speaker(st)
        if side and side != JOINT and self.name(side) != who:
            segs.append(Text(self.name(side) + dash))
        stance = self.t.get("stance_" + st.stance, st.stance.replace("-", " "))
        segs += [Strong(who), Text(f" ({stance}){colon}{st.summary.get(self.lang)} ("),
                 self.source_link(st), Text(")")]
        return segs

    def article_order(self, st: Statement) -> tuple:
        """Where a statement stands in its meeting's sources: source, then paragraph, then offset."""
        m = self.c.meetings[st.meeting]
        src = st.provenance.source
        span = self.c.spans.get(st.id)
        return (m.sources.index(src) if src in m.sources else len(m.sources),
                span.paragraph if span else math.inf, span.start if span else math.inf, st.id)

    def key_positions(self, m: Meeting) -> list[tuple[str, Statement]]:
        """Per side (parties in order, then joint): its `key: true` statements, else its first in article order."""
        out: list[tuple[str, Statement]] = []
        for side, group in self.c.statements_by_side(m):
            ordered = sorted(group, key=self.article_order)
            keys = [st for st in ordered if st.key]
            out += [(side, st) for st in (keys or ordered[:1])]
        return out

    def participant(self, m: Meeting, person: str, side: str) -> str:
        role = next((p.role.get(self.lang) for p in m.participants if p.person == person and p.role), "")
        if not role:
            r = self.c.role_at(person, m.date.start)
            role = r.title.get(self.lang) if r else ""
        return self.name(person) + (f"{self.t['brief_sep']}{role}" if role else "") + f" ({self.name(side)})"

    # one builder per kind
    def meeting(self, mid: str) -> Section:
        m = self.c.meetings[mid]
        sep, colon = self.t["brief_sep"], self.t["brief_colon"]
        where = m.location.get(self.lang) + (f"{sep}{m.venue.get(self.lang)}" if m.venue else "")
        head: Line = [self.link("meetings", mid, m.title.get(self.lang)),
                      Text(f"{self.t['brief_dash']}{self.date(mid)}{sep}{where}")]
        items: list[Item] = []
        if m.participants:
            people = self.t["brief_list_sep"].join(self.participant(m, p.person, p.side) for p in m.participants)
            items.append(Item([Text(f"{self.t['participants']}{colon}{people}")]))
        keys = self.key_positions(m)
        if keys:
            items.append(Item([Text(self.t["brief_key_positions"] + colon.rstrip())],
                              [Item(self.position(st, side=side)) for side, st in keys]))
        if m.outcomes:
            items.append(Item([Text(self.t["outcomes"] + colon.rstrip())],
                              [Item([Text(o.get(self.lang))]) for o in m.outcomes]))
        return self.section([Para(head), Bullets(items)] if items else [Para(head)])

    def statement(self, sid: str) -> Section:
        st = self.c.statements[sid]
        head = self.position(st)
        items: list[Item] = []
        if st.words:
            words = [w for w in (st.words.ar, st.words.en if self.lang == "en" else None) if w and w.strip()]
            items += [Item([Quote(w)]) for w in words]
        items.append(Item([self.link("meetings", st.meeting, self.c.meetings[st.meeting].title.get(self.lang)),
                           Text(f"{self.t['brief_dash']}{self.date(st.meeting)}")]))
        return self.section([Para(head), Bullets(items)])

    def latest(self, kind: str, ident: str, statements: Iterable[Statement]) -> Section:
        newest = self.c.newest_first(list(statements))[:LATEST]
        head: Line = [self.link(kind, ident),
                      Text(self.t["brief_dash"] + (self.t["brief_latest"] if newest else self.t["brief_no_positions"]))]
        if not newest:
            return self.section([Para(head)])
        return self.section([Para(head), Bullets([Item(self.position(st, with_date=True)) for st in newest])])

    def positions(self, topic_id: str) -> Section:
        """A topic's positions by side (oldest first), one statement per bullet."""
        head: Line = [self.link("topics", topic_id), Text(self.t["brief_dash"] + self.t["positions_by_side"])]
        items = [Item([Text(self.name(side) + self.t["brief_colon"].rstrip())],
                      [Item(self.position(st, with_date=True)) for st in group])
                 for side, group in self.c.topic_by_side(topic_id)]
        return self.section([Para(head), Bullets(items)] if items else [Para(head)])

    def source(self, sid: str) -> Section:
        s = self.c.sources[sid]
        n = len(self.c.statements_by_source.get(sid, []))
        head: Line = [self.link("sources", sid, s.headline),
                      Text(f"{self.t['brief_dash']}{self.name(s.outlet)}{self.t['brief_sep']}"
                           f"{self.fmt_date(s.published, self.lang)}")]
        return self.section([Para(head), Bullets([Item([Text(self.t["brief_statement_count"].format(count=n))])])])

    def block(self, ident: str) -> Section:
        kind = self.c.kind_of(ident)
        if kind == "meetings":
            return self.meeting(ident)
        if kind == "statements":
            return self.statement(ident)
        if kind == "people":
            return self.latest(kind, ident, self.c.statements_by_person.get(ident, []))
        if kind == "organizations":
            return self.latest(kind, ident, self.c.statements_by_org.get(ident, []))
        if kind == "topics":
            return self.latest(kind, ident, self.c.statements_by_topic.get(ident, []))
        if kind == "sources":
            return self.source(ident)
        raise UsageError(unknown_id_message(self.c, ident))


def all_ids(corpus: Corpus) -> list[str]:
    return sorted({i for kind in plurals() for i in getattr(corpus, kind)})


def unknown_id_message(corpus: Corpus, ident: str) -> str:
    ids = all_ids(corpus)
    close = difflib.get_close_matches(ident, ids, n=1, cutoff=0.0)
    hint = f"; did you mean '{close[0]}'?" if close else " (the content defines no ids)"
    return f"unknown id '{ident}'{hint}"


def resolve(corpus: Corpus, ident: str) -> str:
    """The current id for ``ident`` (a previous id leads to its entity); UsageError if unknown."""
    if corpus.kind_of(ident):
        return ident
    if ident in corpus.redirects and corpus.kind_of(corpus.redirects[ident]):
        return corpus.redirects[ident]
    raise UsageError(unknown_id_message(corpus, ident))


def _check_choices(lang: str, fmt: str) -> None:
    if lang not in LANGS:
        raise UsageError(f"unknown language '{lang}' (choose ar or en)")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}' (choose {', '.join(FORMATS)})")


def brief_sections(corpus: Corpus, ids: Sequence[str], *, lang: str = "ar", site_url: str = "") -> list[Section]:
    current = [resolve(corpus, i) for i in ids]  # every id checked before anything is made
    b = Briefer(corpus, lang, site_url)
    return [b.block(i) for i in current]


def brief(corpus: Corpus, ids: Sequence[str], *, lang: str = "ar", fmt: str = "md", site_url: str = "") -> str:
    """The snippets as text (md, html or text)."""
    _check_choices(lang, fmt)
    if fmt not in TEXT_FORMATS:
        raise UsageError(f"--format {fmt} writes a file: give -o FILE.{fmt}")
    return render_sections(brief_sections(corpus, ids, lang=lang, site_url=site_url), fmt)


def brief_docx(corpus: Corpus, ids: Sequence[str], *, lang: str = "ar", site_url: str = "") -> bytes:
    from generator.outputs.docx_brief import sections_to_docx

    _check_choices(lang, "docx")
    return sections_to_docx(brief_sections(corpus, ids, lang=lang, site_url=site_url), lang=lang)


# --- site URL and output files -------------------------------------------------------------------

def configured_site_url(config: Path = Path("mkdocs.yml")) -> str:
    """FACTSHEETS_SITE_URL, else mkdocs.yml's site_url (when there is one), else ''."""
    url = os.environ.get("FACTSHEETS_SITE_URL", "").strip()
    if not url and config.is_file():
        try:
            import yaml

            data = yaml.safe_load(config.read_text(encoding="utf-8"))
            url = str((data or {}).get("site_url") or "").strip() if isinstance(data, dict) else ""
        except Exception:  # an unreadable config only means no site URL here
            url = ""
    return url


def site_url_for(site_url: str | None, relative: bool, config: Path = Path("mkdocs.yml")) -> str:
    """The site URL links are made absolute with ('' with ``relative``); a UsageError naming the
    three ways to set it when there is none."""
    if relative:
        if site_url:
            raise UsageError("--relative and --site-url contradict each other: give one of them")
        return ""
    url = (site_url or "").strip() or configured_site_url(config)
    if not url:
        raise UsageError(NO_SITE_URL)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in url):
        raise UsageError(f"the site URL '{url}' is not an absolute http(s) address (e.g. https://user.github.io/repo/)")
    return url.rstrip("/") + "/"


def check_output(path: Path | None, force: bool) -> None:
    """Refuse, before any work, to replace an existing file unless asked (--force)."""
    if path is None:
        return
    if path.is_dir():
        raise UsageError(f"{path} is a folder: give a file name, e.g. {path / 'briefing.docx'}")
    if (path.exists() or path.is_symlink()) and not force:
        raise UsageError(f"{path} already exists: pass --force to replace it, or choose another name")
    if not path.parent.is_dir():
        raise UsageError(f"the folder {path.parent} does not exist")


def write_output(path: Path, data: bytes, force: bool) -> None:
    """Write ``data`` to ``path`` whole (a temporary file moved into place), never replacing a file unasked."""
    check_output(path, force)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def brief_command(ids: Sequence[str], *, lang: str, fmt: str, content: Path, site_url: str | None,
                  relative: bool = False, output: Path | None = None, force: bool = False) -> str:
    """The snippet text to print ('' when it was written to ``output``)."""
    from generator.core.validate import load_and_check

    if not ids:
        raise UsageError("give at least one id (a meeting, statement, person, organization, topic or source)")
    _check_choices(lang, fmt)
    if fmt == "docx" and output is None:
        raise UsageError("--format docx writes a Word file: give -o FILE.docx")
    url = site_url_for(site_url, relative)
    check_output(output, force)
    corpus = load_and_check(content).corpus
    if fmt == "docx":
        data = brief_docx(corpus, ids, lang=lang, site_url=url)
    else:
        text = brief(corpus, ids, lang=lang, fmt=fmt, site_url=url)
        if output is None:
            return text
        data = text.encode("utf-8")
    assert output is not None
    write_output(output, data, force)
    return ""
