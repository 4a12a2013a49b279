"""`factsheets brief ID...`: ready-to-paste briefing snippets with permalinks (issue #5).

- a meeting: its date and place, participants and key positions (2–4 lines);
- a statement: its summary, the quoted words and its permalink (meeting page + #id);
- a person, organization or topic: their latest positions (the 3 newest);
- a source: its headline, outlet and date.

Each item links to its page: ``site_url`` + path, or a path relative to the site root when
no site URL is known. Output formats: Markdown (``md``), HTML (``html``, every value
escaped) and plain text (``text``).
"""

from __future__ import annotations

import difflib
import html
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Union
from urllib.parse import quote

from generator.corpus import JOINT, Corpus
from generator.errors import UsageError
from generator.exports import TEMPLATES, absolute, entity_name, page_path, statement_path
from generator.model import Statement

FORMATS = ("md", "html", "text")
LATEST = 3

LABELS = {
    "ar": {"participants": "المشاركون", "positions": "المواقف", "latest": "أحدث المواقف",
           "none": "لا مواقف مسجلة.", "sep": "، ", "and": " و", "colon": ": ", "statements": "موقفاً مسجلاً"},
    "en": {"participants": "Participants", "positions": "Positions", "latest": "Latest positions",
           "none": "No recorded positions.", "sep": ", ", "and": " and ", "colon": ": ",
           "statements": "recorded position(s)"},
}


# --- a tiny document model, rendered three ways -------------------------------------------------

@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Quote:
    text: str


@dataclass(frozen=True)
class Link:
    text: str
    href: str


Segment = Union[Text, Strong, Quote, Link]
Line = list[Segment]


@dataclass(frozen=True)
class Block:
    """One item's snippet: a head line and up to three more lines."""

    head: Line
    lines: list[Line]
    lang: str


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def _plain(text: str) -> str:
    """Whitespace (newlines included) collapsed to single spaces, edges kept."""
    return re.sub(r"\s+", " ", text)


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _plain(text))


def _url(href: str) -> str:
    """A URL made safe to place in any of the formats (spaces and brackets percent-encoded)."""
    return quote(href, safe=":/?#[]@!$&'*+,;=%~.-_")


def render_segment(seg: Segment, fmt: str) -> str:
    if fmt == "html":
        e = lambda v: html.escape(v, quote=True)  # noqa: E731
        if isinstance(seg, Link):
            return f'<a href="{e(_url(seg.href))}">{e(seg.text)}</a>'
        if isinstance(seg, Strong):
            return f"<strong>{e(seg.text)}</strong>"
        if isinstance(seg, Quote):
            return f"<q>{e(seg.text)}</q>"
        return e(seg.text)
    if fmt == "md":
        if isinstance(seg, Link):
            return f"[{_md(seg.text)}](<{_url(seg.href).replace('<', '%3C').replace('>', '%3E')}>)"
        if isinstance(seg, Strong):
            return f"**{_md(seg.text)}**"
        if isinstance(seg, Quote):
            return f"“{_md(seg.text)}”"
        return _md(seg.text)
    if isinstance(seg, Link):
        return f"{_plain(seg.text)} <{_url(seg.href)}>"
    if isinstance(seg, Quote):
        return f"“{_plain(seg.text)}”"
    return _plain(seg.text)


def render_blocks(blocks: Sequence[Block], fmt: str) -> str:
    line = lambda segs: "".join(render_segment(s, fmt) for s in segs)  # noqa: E731
    out: list[str] = []
    for b in blocks:
        if fmt == "html":
            items = "".join(f"<li>{line(ln)}</li>" for ln in b.lines)
            d = "rtl" if b.lang == "ar" else "ltr"
            out.append(f'<div lang="{b.lang}" dir="{d}"><p>{line(b.head)}</p>' + (f"<ul>{items}</ul>" if items else "")
                       + "</div>")
        else:
            out.append("\n".join([line(b.head), *(f"- {line(ln)}" for ln in b.lines)]))
    return ("\n" if fmt == "html" else "\n\n").join(out) + "\n"


# --- building the snippets ----------------------------------------------------------------------

class Briefer:
    def __init__(self, corpus: Corpus, lang: str = "ar", site_url: str = ""):
        from generator.render import fmt_date, load_catalog

        self.c = corpus
        self.lang = lang
        self.site_url = site_url
        self.t = {**load_catalog(TEMPLATES, lang), **LABELS[lang]}
        self.fmt_date = fmt_date

    def name(self, ident: str) -> str:
        if ident == JOINT:
            return self.t["joint"]
        return entity_name(self.c, ident, self.lang)

    def link(self, kind: str, ident: str, text: str | None = None) -> Link:
        return Link(text or self.name(ident), absolute(self.site_url, page_path(kind, ident, self.lang)))

    def statement_link(self, st: Statement, text: str | None = None) -> Link:
        return Link(text or st.summary.get(self.lang), absolute(self.site_url, statement_path(self.c, st.id, self.lang)))

    def speaker(self, st: Statement) -> str:
        sp = st.speaker
        ids = [sp.person] if sp.person else [sp.organization] if sp.organization else list(sp.joint or [])
        return self.t["and"].join(self.name(i) for i in ids)

    def date(self, meeting_id: str) -> str:
        d = self.c.meetings[meeting_id].date
        text = self.fmt_date(d.start, self.lang)
        return text + (f" – {self.fmt_date(d.last, self.lang)}" if d.is_range else "")

    def position(self, st: Statement, with_date: bool = False) -> Line:
        segs: Line = []
        if with_date:
            segs.append(Text(self.date(st.meeting) + " — "))
        segs += [Strong(self.speaker(st)), Text(f" ({self.t['stance_' + st.stance]}){self.t['colon']}"),
                 self.statement_link(st)]
        return segs

    # one builder per kind
    def meeting(self, mid: str) -> Block:
        m = self.c.meetings[mid]
        where = m.location.get(self.lang) + (f"{self.t['sep']}{m.venue.get(self.lang)}" if m.venue else "")
        head: Line = [self.link("meetings", mid), Text(f" — {self.date(mid)}{self.t['sep']}{where}")]
        lines: list[Line] = []
        if m.participants:
            people = self.t["sep"].join(f"{self.name(p.person)} ({self.name(p.side)})" for p in m.participants)
            lines.append([Text(f"{self.t['participants']}{self.t['colon']}{people}")])
        for side, group in self.c.statements_by_side(m)[:2]:
            line: Line = [Text(f"{self.name(side)}{self.t['colon']}")]
            for i, st in enumerate(group[:2]):
                if i:
                    line.append(Text("؛ " if self.lang == "ar" else "; "))
                line += self.position(st)
            lines.append(line)
        return Block(head, lines, self.lang)

    def statement(self, sid: str) -> Block:
        st = self.c.statements[sid]
        head: Line = [Strong(self.speaker(st)), Text(f" ({self.t['stance_' + st.stance]}){self.t['colon']}"),
                      self.statement_link(st)]
        lines: list[Line] = []
        if st.words:
            words = [w for w in (st.words.ar, st.words.en if self.lang == "en" else None) if w and w.strip()]
            for w in words:
                lines.append([Quote(w)])
        lines.append([self.link("meetings", st.meeting), Text(f" — {self.date(st.meeting)}")])
        return Block(head, lines, self.lang)

    def latest(self, kind: str, ident: str, statements: Iterable[Statement]) -> Block:
        newest = self.c.newest_first(list(statements))[:LATEST]
        head: Line = [self.link(kind, ident), Text(f" — {self.t['latest'] if newest else self.t['none']}")]
        return Block(head, [self.position(st, with_date=True) for st in newest], self.lang)

    def source(self, sid: str) -> Block:
        s = self.c.sources[sid]
        n = len(self.c.statements_by_source.get(sid, []))
        head: Line = [self.link("sources", sid, s.headline),
                      Text(f" — {self.name(s.outlet)}{self.t['sep']}{self.fmt_date(s.published, self.lang)}")]
        return Block(head, [[Text(f"{n} {self.t['statements']}")]], self.lang)

    def block(self, ident: str) -> Block:
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
    return sorted({i for kind in ("meetings", "statements", "people", "organizations", "topics", "sources")
                   for i in getattr(corpus, kind)})


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


def brief(corpus: Corpus, ids: Sequence[str], *, lang: str = "ar", fmt: str = "md", site_url: str = "") -> str:
    if lang not in LABELS:
        raise UsageError(f"unknown language '{lang}' (choose ar or en)")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}' (choose {', '.join(FORMATS)})")
    current = [resolve(corpus, i) for i in ids]  # every id checked before anything is printed
    b = Briefer(corpus, lang, site_url)
    return render_blocks([b.block(i) for i in current], fmt)


def default_site_url(config: Path = Path("mkdocs.yml")) -> str:
    """FACTSHEETS_SITE_URL, else mkdocs.yml's site_url (when there is one), else ''."""
    url = os.environ.get("FACTSHEETS_SITE_URL", "")
    if not url and config.is_file():
        try:
            import yaml

            data = yaml.safe_load(config.read_text(encoding="utf-8"))
            url = str((data or {}).get("site_url") or "") if isinstance(data, dict) else ""
        except Exception:  # an unreadable config only means no site URL here
            url = ""
    return url.rstrip("/") + "/" if url else ""


def brief_command(ids: Sequence[str], *, lang: str, fmt: str, content: Path, site_url: str | None) -> str:
    from generator.validate import load_and_check

    if not ids:
        raise UsageError("give at least one id (a meeting, statement, person, organization, topic or source)")
    corpus = load_and_check(content).corpus
    url = default_site_url() if site_url is None else (site_url.rstrip("/") + "/" if site_url else "")
    return brief(corpus, ids, lang=lang, fmt=fmt, site_url=url)
