"""exports/dataset.json, its JSON Schema, per-meeting exports and the round trip."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from generator.core.corpus import Corpus
from generator.outputs.exports import (KINDS, SCHEMA_VERSION, dataset, dataset_schema, load_dataset, meeting_closure,
                               to_json)
from tests.conftest import REPO, BuiltSite

SCHEMA_FILE = REPO / "schema" / "dataset.schema.json"


def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def assert_same_model(a: Corpus, b: Corpus) -> None:
    for kind in KINDS:
        ta, tb = getattr(a, kind), getattr(b, kind)
        assert sorted(ta) == sorted(tb), kind
        for ident in ta:
            assert ta[ident].model_dump() == tb[ident].model_dump(), (kind, ident)


def test_committed_schema_is_the_generated_one() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == to_json(dataset_schema()), \
        "regenerate: python -c 'from generator.outputs.exports import *; print(to_json(dataset_schema()), end=\"\")' " \
        "> schema/dataset.schema.json"


def test_dataset_validates_against_schema(corpus: Corpus) -> None:
    data = json.loads(to_json(dataset(corpus)))
    errors = sorted(validator().iter_errors(data), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    assert data["schema_version"] == SCHEMA_VERSION == "1.1"


def test_schema_rejects_a_broken_dataset(corpus: Corpus) -> None:
    data = json.loads(to_json(dataset(corpus)))
    data["statements"][0]["stance"] = "shrugs"
    del data["meetings"][0]["date"]
    data["derived"]["statements"][data["statements"][1]["id"]]["span"]["paragraph"] = 0
    paths = {tuple(e.absolute_path) for e in validator().iter_errors(data)}
    assert ("statements", 0, "stance") in paths
    assert ("meetings", 0) in paths
    data = json.loads(to_json(dataset(corpus)))
    data["schema_version"] = "2.0"
    assert not validator().is_valid(data)


def test_round_trip_reproduces_the_model(corpus: Corpus) -> None:
    loaded = load_dataset(to_json(dataset(corpus)))
    assert_same_model(corpus, loaded)
    assert loaded.spans == corpus.spans and loaded.word_spans == corpus.word_spans
    assert loaded.sides == corpus.sides and loaded.redirects == corpus.redirects
    # a second trip is byte-identical
    assert to_json(dataset(loaded)) == to_json(dataset(corpus))


def test_round_trip_keeps_headings_nulls_and_ranges(corpus: Corpus) -> None:
    data = json.loads(to_json(dataset(corpus)))
    src = data["sources"][0]
    assert any(isinstance(b, dict) and "heading" in b for b in src["text"])
    loaded = load_dataset(data)
    assert loaded.sources[src["id"]].text == corpus.sources[src["id"]].text


def test_derived_provenance_points_at_the_exact_text(corpus: Corpus) -> None:
    data = dataset(corpus)
    sources = {s["id"]: s for s in data["sources"]}
    assert len(data["derived"]["statements"]) == len(corpus.statements)
    for st in data["statements"]:
        d = data["derived"]["statements"][st["id"]]
        span = d["span"]
        block = sources[span["source"]]["text"][span["paragraph"] - 1]
        text = block if isinstance(block, str) else block["heading"]
        assert text[span["start"]:span["end"]], st["id"]
        assert d["path"] == f"meetings/{st['meeting']}/#st-{st['id']}"


def test_unsupported_version_is_refused(corpus: Corpus) -> None:
    data = dataset(corpus)
    data["schema_version"] = "2.0"
    with pytest.raises(ValueError, match="schema_version"):
        load_dataset(data)


@pytest.mark.parametrize("meeting_id", ["lavrov-shaibani-talks-2025-12-24", "putin-receives-syrian-ministers-2025-12-23"])
def test_per_meeting_export_is_self_contained(corpus: Corpus, meeting_id: str) -> None:
    data = json.loads(to_json(dataset(corpus, only=meeting_closure(corpus, meeting_id), scope={"meeting": meeting_id})))
    assert validator().is_valid(data)
    assert data["scope"] == {"meeting": meeting_id}
    assert [m["id"] for m in data["meetings"]] == [meeting_id]
    assert {s["id"] for s in data["statements"]} == {s.id for s in corpus.statements_by_meeting[meeting_id]}
    part = load_dataset(data)
    # every reference inside resolves inside the file
    for st in part.statements.values():
        for ref in [st.speaker.person, st.speaker.organization, *(st.speaker.joint or []), st.reported_by,
                    *st.topics, st.provenance.source]:
            assert ref is None or part.kind_of(ref), (st.id, ref)
    m = part.meetings[meeting_id]
    for ref in [*m.parties, *(p.person for p in m.participants), *m.topics, *m.sources]:
        assert part.kind_of(ref), ref
    for s in part.sources.values():
        assert s.outlet in part.organizations
    for ident, ent in part.meetings.items():
        assert ent.model_dump() == corpus.meetings[ident].model_dump()


def test_built_site_serves_the_exports(example_site: BuiltSite, corpus: Corpus) -> None:
    site = example_site.site
    shipped = json.loads((site / "exports" / "dataset.json").read_text(encoding="utf-8"))
    assert validator().is_valid(shipped)
    assert_same_model(corpus, load_dataset(shipped))
    assert (site / "exports" / "dataset.schema.json").read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8")
    for mid in corpus.meetings:
        one = json.loads((site / "exports" / "meetings" / f"{mid}.json").read_text(encoding="utf-8"))
        assert validator().is_valid(one) and one["scope"]["meeting"] == mid
    # language-independent: only at the site root
    assert not (site / "en" / "exports").exists()
