"""Atom feeds: feed.xml (Arabic, site root) and en/feed.xml (English), newest first."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from generator.core.corpus import Corpus
from generator.outputs.exports import atom_feed
from tests.conftest import BuiltSite

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def check_atom(root: ET.Element) -> None:
    """The RFC 4287 rules a validator checks first."""
    assert root.tag == f"{A}feed"
    for tag in ("id", "title", "updated"):
        assert len(root.findall(f"{A}{tag}")) == 1, tag
    assert root.find(f"{A}author/{A}name").text
    assert RFC3339.match(root.find(f"{A}updated").text)
    assert re.match(r"^[a-z][a-z0-9+.-]*:", root.find(f"{A}id").text), "atom:id must be an absolute IRI"
    ids = set()
    for e in root.findall(f"{A}entry"):
        for tag in ("id", "title", "updated"):
            assert len(e.findall(f"{A}{tag}")) == 1, tag
        assert RFC3339.match(e.find(f"{A}updated").text) and RFC3339.match(e.find(f"{A}published").text)
        alternates = [ln for ln in e.findall(f"{A}link") if ln.get("rel", "alternate") == "alternate"]
        assert len(alternates) == 1 and alternates[0].get("href")
        assert e.find(f"{A}id").text not in ids
        ids.add(e.find(f"{A}id").text)
        content = e.find(f"{A}content")
        if content is not None:
            assert content.get("type") == "html"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_feed_is_atom_newest_first(corpus: Corpus, lang: str) -> None:
    root = ET.fromstring(atom_feed(corpus, lang).encode("utf-8"))
    check_atom(root)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    entries = root.findall(f"{A}entry")
    assert len(entries) == len(corpus.meetings)
    updated = [datetime.fromisoformat(e.find(f"{A}updated").text.replace("Z", "+00:00")) for e in entries]
    assert updated == sorted(updated, reverse=True)
    for e, m in zip(entries, corpus.meetings_by_date):
        assert e.find(f"{A}title").text == m.title.get(lang)
        assert e.find(f"{A}updated").text == f"{m.date.last.isoformat()}T00:00:00Z"
        assert e.find(f"{A}link").get("href") == f"meetings/{m.id}/"  # relative to the feed
    assert root.find(f"{A}updated").text == entries[0].find(f"{A}updated").text
    assert root.find(f"{A}link[@rel='self']") is None  # no absolute address known


def test_feed_with_site_url_is_absolute(corpus: Corpus) -> None:
    root = ET.fromstring(atom_feed(corpus, "en", "https://example.org/sub/").encode("utf-8"))
    check_atom(root)
    assert root.find(f"{A}link[@rel='self']").get("href") == "https://example.org/sub/en/feed.xml"
    assert root.find(f"{A}link[@rel='alternate']").get("href") == "https://example.org/sub/en/"
    for e in root.findall(f"{A}entry"):
        assert e.find(f"{A}link").get("href").startswith("https://example.org/sub/en/meetings/")


def test_entry_ids_do_not_depend_on_site_url(corpus: Corpus) -> None:
    ids = lambda url: [e.find(f"{A}id").text for e in ET.fromstring(atom_feed(corpus, "ar", url)).findall(f"{A}entry")]  # noqa: E731
    assert ids("") == ids("https://example.org/")


def test_hostile_title_is_escaped(corpus: Corpus) -> None:
    m = corpus.meetings_by_date[0]
    evil = m.model_copy(update={"title": m.title.model_copy(update={"en": "</title><script>x</script> & ]]>"})})
    from dataclasses import fields
    c2 = Corpus(**{**{f.name: getattr(corpus, f.name) for f in fields(Corpus)}, "meetings": {**corpus.meetings, m.id: evil}})
    text = atom_feed(c2, "en")
    assert "<script>" not in text
    root = ET.fromstring(text.encode("utf-8"))
    titles = [e.find(f"{A}title").text for e in root.findall(f"{A}entry")]
    assert "</title><script>x</script> & ]]>" in titles


def test_built_feeds_link_to_existing_pages(example_site: BuiltSite) -> None:
    for folder in (example_site.site, example_site.site / "en"):
        root = ET.parse(folder / "feed.xml").getroot()
        check_atom(root)
        for e in root.findall(f"{A}entry"):
            assert (folder / e.find(f"{A}link").get("href") / "index.html").is_file()
    home = (example_site.site / "en" / "index.html").read_text(encoding="utf-8")
    assert 'href="feed.xml"' in home and 'href="../exports/dataset.json"' in home
    assert 'href="exports/statements.csv"' in (example_site.site / "index.html").read_text(encoding="utf-8")
