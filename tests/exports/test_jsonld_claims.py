"""JSON-LD that states what the data says (issue 19): quotations only of original words, paraphrases
and joint positions as Claims, reported statements authored by the reporting organization, the host
alone as organizer. Every meeting page of the built example is expanded with pyld."""

from __future__ import annotations

import pytest
from pyld import jsonld

from generator.core.corpus import Corpus
from generator.render.jsonld import JsonLd
from tests.conftest import BuiltSite
from tests.exports.test_jsonld import S, expand, extract, values


def _statement(corpus: Corpus, node: dict):
    return corpus.statements[node["@id"].split("#")[1].removeprefix("st-")]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_meeting_page_states_what_the_data_says(example_site: BuiltSite, corpus: Corpus, lang: str) -> None:
    prefix = "" if lang == "ar" else "en/"
    seen_modes: set[str] = set()
    for m in corpus.meetings.values():
        page = (example_site.site / prefix / "meetings" / m.id / "index.html").read_text(encoding="utf-8")
        doc = extract(page)
        [event] = expand(doc, f"https://example.org/{prefix}meetings/{m.id}/")
        # pyld round trip: the compacted document expands to the same graph (valid JSON-LD)
        again = jsonld.expand(jsonld.compact(event, {"@vocab": S}), {"base": "https://example.org/"})
        assert again == [event]
        organizers = values(event, "organizer")
        assert [o["@id"].rstrip("/").rsplit("/", 1)[1] for o in organizers] == ([m.host] if m.host else [])
        for node in values(event, "subjectOf"):
            st = _statement(corpus, node)
            seen_modes.add(st.mode)
            types = set(node["@type"])
            text = [v["@value"] for v in values(node, "text")]
            assert values(node, "description")[0]["@value"] == st.summary.get(lang)
            if st.mode == "reported":
                assert types == {S + "Claim"}
                [author] = values(node, "author")
                assert author["@id"].endswith(f"/organizations/{st.reported_by}/")
                mentioned = {a["@id"].rstrip("/").rsplit("/", 1)[1] for a in values(node, "mentions")}
                assert mentioned == set(st.speaker.joint or [st.speaker.person or st.speaker.organization])
                assert text == ([st.words.ar] if st.words else [])
            elif st.mode == "direct-quote":
                assert types == {S + "Quotation"}
                assert text == [st.words.ar]  # the original words, never the English summary
                assert values(node, "inLanguage")[0]["@value"] == "ar"
                assert values(node, "creator")
            else:  # paraphrase, joint position: no words were quoted
                assert types == {S + "Claim"}
                assert text == []
                assert values(node, "author")
            assert not values(node, "spokenByCharacter")
    assert seen_modes == {"reported", "direct-quote", "paraphrase", "joint-statement"}


def test_putins_reception_is_organized_by_russia_alone(corpus: Corpus) -> None:
    m = corpus.meetings["putin-receives-syrian-ministers-2025-12-23"]
    doc = JsonLd(corpus, "en").event(m)
    assert doc["organizer"]["name"] == "Russia"
    names = {a["name"] for st in doc["subjectOf"] for a in ([st["author"]] if "author" in st else [])}
    assert "Syrian Arab News Agency" in names  # reported statements name their reporter


def test_no_organizer_without_a_host(corpus: Corpus) -> None:
    m = corpus.meetings["putin-receives-syrian-ministers-2025-12-23"].model_copy(update={"host": None})
    assert "organizer" not in JsonLd(corpus, "ar").event(m)
