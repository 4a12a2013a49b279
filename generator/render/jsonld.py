"""schema.org JSON-LD for meeting pages (issue #5).

Each meeting's fact sheet carries one ``<script type="application/ld+json">``: the meeting
as an ``Event`` (name, dates, ``Place``, attendees as ``Person``, topics as ``about``, the
host alone as ``organizer``), and its statements (``subjectOf`` the event), each ``isBasedOn``
its source, a ``NewsArticle`` with its publisher. The JSON-LD states what the data says
(issue 19):

- a direct quote is a ``Quotation`` whose ``text`` is the original words, in their language
  (``inLanguage``), by its speaker (``creator``); the summary is its ``description``;
- a paraphrase or a joint position is a ``Claim``: ``description`` is the summary, there is no
  ``text`` (no words were quoted), ``author`` is the speaker;
- a reported statement is a ``Claim`` whose ``author`` is the reporting organization (the
  agency, the ministry) and whose ``mentions`` are the sides it reports on; quoted words, if
  any, are its ``text``.

``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e``, ``\\u0026`` inside the JSON
(still the same JSON strings), so no value can close the script element or start markup.
Links are absolute under the site's URL when it is configured, otherwise relative to the
meeting page (JSON-LD resolves them against the page's address).
"""

from __future__ import annotations

import json
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

from generator.core.corpus import Corpus
from generator.core.model import Meeting, Statement
from generator.urls import Urls, statement_anchor

CONTEXT = "https://schema.org"


class JsonLd:
    """The nodes for one corpus and language. A person, organization, topic or article is the
    same node wherever it appears (built once; JSON-LD nodes are never changed once built)."""

    def __init__(self, corpus: Corpus, lang: str, site_url: str = ""):
        self.c = corpus
        self.lang = lang
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.urls = Urls(lang, site_url)
        self._nodes: dict[tuple[str, str], dict[str, Any]] = {}

    def _once(self, kind: str, ident: str, build: Any) -> dict[str, Any]:
        node = self._nodes.get((kind, ident))
        if node is None:
            node = self._nodes[(kind, ident)] = build(ident)
        return node

    def href(self, kind: str, ident: str, anchor: str = "") -> str:
        """From a meeting page (``<lang>/meetings/<id>/``) to another fact sheet."""
        return self.urls.from_meeting(kind, ident, anchor)

    def name(self, kind: str, ident: str) -> str:
        ent = getattr(self.c, kind).get(ident)
        return ent.name.get(self.lang) if ent is not None else ident

    def agent(self, ident: str) -> dict[str, Any]:
        return self._once("agent", ident, self._agent)

    def _agent(self, ident: str) -> dict[str, Any]:
        if ident in self.c.people:
            p = self.c.people[ident]
            node: dict[str, Any] = {"@type": "Person", "@id": self.href("people", ident), "name": self.name("people", ident)}
            if p.wikidata:
                node["sameAs"] = f"https://www.wikidata.org/wiki/{p.wikidata}"
            return node
        node = {"@type": "Organization", "@id": self.href("organizations", ident) if ident in self.c.organizations else ident,
                "name": self.name("organizations", ident)}
        org = self.c.organizations.get(ident)
        if org is not None and org.wikidata:
            node["sameAs"] = f"https://www.wikidata.org/wiki/{org.wikidata}"
        return node

    def topic(self, ident: str) -> dict[str, Any]:
        return self._once("topic", ident, self._topic)

    def _topic(self, ident: str) -> dict[str, Any]:
        return {"@type": "Thing", "@id": self.href("topics", ident), "name": self.name("topics", ident)}

    def article(self, source_id: str) -> dict[str, Any]:
        return self._once("article", source_id, self._article)

    def _article(self, source_id: str) -> dict[str, Any]:
        s = self.c.sources[source_id]
        node: dict[str, Any] = {"@type": "NewsArticle", "@id": self.href("sources", source_id), "headline": s.headline,
                                "datePublished": s.published.isoformat(), "inLanguage": s.language,
                                "publisher": self.agent(s.outlet)}
        if s.url:
            node["url"] = s.url
        if s.archive_url:
            node["archivedAt"] = s.archive_url
        return node

    def quotation(self, st: Statement) -> dict[str, Any]:
        """A statement as what the data says it is: a Quotation of the original words, or a Claim."""
        sp = st.speaker
        speakers = [self.agent(i) for i in ([sp.person] if sp.person else [sp.organization] if sp.organization
                                            else list(sp.joint or []))]
        who: Any = speakers[0] if len(speakers) == 1 else speakers
        src = self.c.sources.get(st.provenance.source)
        original_lang = src.language if src is not None else "ar"
        original = (getattr(st.words, original_lang, None) or "").strip() if st.words else ""
        node: dict[str, Any] = {"@id": self.href("meetings", st.meeting, statement_anchor(st.id)),
                                "description": st.summary.get(self.lang)}
        if st.mode == "reported" and st.reported_by:
            node["@type"] = "Claim"
            node["author"] = self.agent(st.reported_by)
            node["mentions"] = speakers
            if original:
                node["text"], node["inLanguage"] = original, original_lang
        elif st.mode == "direct-quote" and original:
            node["@type"] = "Quotation"
            node["text"], node["inLanguage"] = original, original_lang
            node["creator"] = who
        else:
            node["@type"] = "Claim"
            node["author"] = who
        node["isBasedOn"] = self.article(st.provenance.source)
        if st.topics:
            node["about"] = [self.topic(t) for t in st.topics if t in self.c.topics]
        return node

    def event(self, m: Meeting) -> dict[str, Any]:
        place = m.location.get(self.lang)
        node: dict[str, Any] = {
            "@context": CONTEXT, "@type": "Event", "@id": self.href("meetings", m.id, "meeting"),
            "name": m.title.get(self.lang), "inLanguage": self.lang,
            "startDate": m.date.start.isoformat(), "endDate": m.date.last.isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "location": {"@type": "Place", "name": f"{m.venue.get(self.lang)}, {place}" if m.venue else place,
                         "address": place},
            "attendee": [self.agent(p.person) for p in m.participants],
            "about": [self.topic(t) for t in m.topics if t in self.c.topics],
        }
        if m.host:
            node["organizer"] = self.agent(m.host)  # the host only: the guests organized nothing
        if self.site_url:
            node["url"] = self.href("meetings", m.id)
        statements = sorted(self.c.statements_by_meeting.get(m.id, []), key=lambda s: s.id)
        if statements:
            node["subjectOf"] = [self.quotation(st) for st in statements]
        return node


def dumps_for_script(data: Any) -> str:
    """JSON that is safe inside ``<script>``: no ``<``, ``>`` or ``&`` in the text at all."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def script_tag(data: Any) -> Markup:
    return Markup(f'<script type="application/ld+json">{dumps_for_script(data)}</script>')


def jsonld_global(corpus: Corpus, site_url: str = ""):
    """The ``jsonld(obj)`` Jinja global: the meeting's JSON-LD script, as a raw HTML block."""

    per_lang: dict[str, JsonLd] = {}

    @pass_context
    def jsonld(ctx: Any, obj: Any) -> Markup:
        if not isinstance(obj, Meeting):
            return Markup("")
        lang = ctx["lang"]
        maker = per_lang.get(lang) or per_lang.setdefault(lang, JsonLd(corpus, lang, site_url))
        return Markup("\n") + script_tag(maker.event(obj)) + Markup("\n")

    return jsonld
