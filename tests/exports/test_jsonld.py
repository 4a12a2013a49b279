"""schema.org JSON-LD in every meeting page: an Event with attendees and Quotations."""

from __future__ import annotations

import json
import re
from dataclasses import fields

import pytest
from pyld import jsonld

from generator.core.corpus import Corpus
from generator.render.jsonld import JsonLd, dumps_for_script, script_tag
from tests.conftest import BuiltSite

S = "http://schema.org/"
#: A small local stand-in for https://schema.org's context, so no network is needed.
LOCAL_CONTEXT = {"@context": {"@vocab": S, "schema": S}}
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def loader(url: str, options: dict | None = None) -> dict:
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": LOCAL_CONTEXT}
    raise AssertionError(f"network access attempted: {url}")


def expand(doc: dict, base: str) -> list[dict]:
    return jsonld.expand(doc, {"documentLoader": loader, "base": base})


def values(node: dict, prop: str) -> list:
    return node.get(S + prop, [])


def extract(page: str) -> dict:
    found = SCRIPT.findall(page)
    assert len(found) == 1
    return json.loads(found[0])


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_built_meeting_pages_carry_an_event(example_site: BuiltSite, corpus: Corpus, lang: str) -> None:
    prefix = "" if lang == "ar" else "en/"
    for m in corpus.meetings.values():
        page = (example_site.site / prefix / "meetings" / m.id / "index.html").read_text(encoding="utf-8")
        doc = extract(page)
        base = f"https://example.org/site/{prefix}meetings/{m.id}/"
        [event] = expand(doc, base)
        assert S + "Event" in event["@type"]
        assert values(event, "name")[0]["@value"] == m.title.get(lang)
        assert values(event, "startDate")[0]["@value"] == m.date.start.isoformat()
        assert values(event, "endDate")[0]["@value"] == m.date.last.isoformat()
        [place] = values(event, "location")
        assert S + "Place" in place["@type"] and m.location.get(lang) in values(place, "name")[0]["@value"]
        attendees = values(event, "attendee")
        assert [a["@id"] for a in attendees] == [f"https://example.org/site/{prefix}people/{p.person}/"
                                                 for p in m.participants]
        for a, p in zip(attendees, m.participants):
            assert S + "Person" in a["@type"]
            assert values(a, "name")[0]["@value"] == corpus.people[p.person].name.get(lang)
        assert {t["@id"].rstrip("/").rsplit("/", 1)[1] for t in values(event, "about")} == set(m.topics)
        quotes = values(event, "subjectOf")
        statements = corpus.statements_by_meeting[m.id]
        assert len(quotes) == len(statements)
        for q in quotes:
            assert S + "Quotation" in q["@type"] or S + "Claim" in q["@type"]  # kinds: test_jsonld_claims.py
            anchor = q["@id"].split("#")[1]
            st = corpus.statements[anchor.removeprefix("st-")]
            assert anchor == f"st-{st.id}"
            assert f'id="{anchor}"' in page  # the quotation's @id is the statement's anchor
            assert values(q, "description")[0]["@value"] == st.summary.get(lang)
            speakers = values(q, "creator") or values(q, "author")
            kinds = {t for s in speakers for t in s["@type"]}
            assert kinds <= {S + "Person", S + "Organization"}
            [article] = values(q, "isBasedOn")
            assert S + "NewsArticle" in article["@type"]
            src = corpus.sources[st.provenance.source]
            assert values(article, "datePublished")[0]["@value"] == src.published.isoformat()
            [publisher] = values(article, "publisher")
            assert values(publisher, "name")[0]["@value"] == corpus.organizations[src.outlet].name.get(lang)


def test_vocab_only_context_expands_the_same(corpus: Corpus) -> None:
    m = corpus.meetings_by_date[0]
    doc = JsonLd(corpus, "en").event(m)
    doc["@context"] = {"@vocab": S}
    [event] = jsonld.expand(doc, {"base": "https://example.org/meetings/x/"})
    assert S + "Event" in event["@type"] and values(event, "attendee") and values(event, "subjectOf")


def test_no_value_can_close_the_script(corpus: Corpus) -> None:
    m = corpus.meetings_by_date[0]
    evil_text = '</script><script>alert(1)</script> & <!-- \u2028 x'
    evil = m.model_copy(update={"title": m.title.model_copy(update={"en": evil_text})})
    c2 = Corpus(**{**{f.name: getattr(corpus, f.name) for f in fields(Corpus)}, "meetings": {**corpus.meetings, m.id: evil}})
    tag = str(script_tag(JsonLd(c2, "en").event(evil)))
    inner = tag[len('<script type="application/ld+json">'):-len("</script>")]
    assert not set("<>&") & set(inner)
    assert "\\u003c/script\\u003e" in inner and "\\u0026" in inner
    assert json.loads(inner)["name"] == evil_text
    assert json.loads(dumps_for_script({"a": "<&>"})) == {"a": "<&>"}


def test_absolute_ids_with_site_url(corpus: Corpus) -> None:
    m = corpus.meetings_by_date[0]
    doc = JsonLd(corpus, "en", "https://example.org/sub/").event(m)
    assert doc["url"] == f"https://example.org/sub/en/meetings/{m.id}/"
    assert doc["attendee"][0]["@id"].startswith("https://example.org/sub/en/people/")
