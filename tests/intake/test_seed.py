"""`factsheets new` on the seed article, compared with the hand-annotated example in content/."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.intake.pipeline import new_article
from tests.intake.conftest import EXAMPLE, run

PUBLISHED = date(2025, 12, 24)


def example_refs() -> tuple[set[str], set[str]]:
    """People and organizations the example source file refers to (as speakers, parties,
    participants and their sides, reported_by, outlet), read from the example itself."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    people: set[str] = set()
    orgs = {data["source"]["outlet"]}
    for m in data.get("meetings", []):
        orgs |= set(m["parties"])
        for p in m.get("participants", []):
            people.add(p["person"])
            orgs.add(p["side"])
    for st in data.get("statements", []):
        sp = st["speaker"]
        people |= {sp["person"]} if sp.get("person") else set()
        orgs |= {sp["organization"]} if sp.get("organization") else set()
        orgs |= set(sp.get("joint") or [])
        orgs |= {st["reported_by"]} if st.get("reported_by") else set()
        orgs |= {st["side"]} if st.get("side") else set()
    return people, orgs


def quoted_spans(path: Path) -> list[str]:
    """An independent count: quote pairs per line of the article body (headline excluded)."""
    spans: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        straight = line.split('"')
        spans += straight[1::2][: (len(straight) - 1) // 2]
        for o, c in (("“", "”"), ("«", "»"), ("‘", "’")):
            spans += re.findall(re.escape(o) + "(.*?)" + re.escape(c), line)
    return spans


@pytest.fixture
def drafted(seed: Path, registries: Path):
    result = new_article(seed, content_dir=registries, published=PUBLISHED)
    data = yaml.safe_load(result.path.read_text(encoding="utf-8"))
    return result, data


def test_finds_every_person_and_organization_of_the_example(drafted):
    result, _ = drafted
    people, orgs = example_refs()
    assert len(people) == 4
    assert people <= set(result.people)
    assert orgs <= set(result.organizations)


def test_every_quoted_span_becomes_a_stub(seed, drafted):
    result, data = drafted
    expected = quoted_spans(seed)
    assert len(expected) == 8
    stubs = data["statements"]
    assert len(stubs) == len(expected)
    assert sorted(s["words"]["ar"] for s in stubs) == sorted(expected)
    for st in stubs:
        assert st["mode"] == "direct-quote"
        assert st["provenance"]["exact"] == st["words"]["ar"]
        assert st["review"] and st["review"][0].startswith("speaker guessed: ")
        assert "check stance, topics, summary" in st["review"][0]


def test_speaker_guesses(drafted):
    _, data = drafted
    by_words = {s["words"]["ar"]: s["speaker"] for s in data["statements"]}
    assert by_words["جيدة"] == {"person": "sergey-lavrov"}
    assert by_words["عهداً جديداً"] == {"person": "asaad-al-shaibani"}   # "وزير الخارجية السوري", by title
    assert by_words["إرادة وطنية خالصة"] == {"person": "asaad-al-shaibani"}
    assert by_words["رفض الانتهاكات الإسرائيلية المتكررة للأراضي السورية"] == {"organization": "syria-mfa"}


def test_weekdays_resolved(drafted):
    result, data = drafted
    resolved = {(d.phrase, d.date) for d in result.dates}
    assert resolved == {("الأربعاء", date(2025, 12, 24)), ("الثلاثاء", date(2025, 12, 23))}
    meeting_date = data["meetings"][0]["date"]
    assert (meeting_date["start"], meeting_date["end"]) == (date(2025, 12, 23), date(2025, 12, 24))
    assert meeting_date["method"] == "weekday-relative" and meeting_date["phrase"] == "الثلاثاء"


def test_source_matches_the_hand_annotated_text(drafted):
    result, data = drafted
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["source"]
    src = data["source"]
    assert src["id"] == example["id"] and src["outlet"] == "asharq"
    assert src["headline"] == example["headline"]
    assert src["dateline"] == example["dateline"]
    assert src["text"] == example["text"]          # paragraphs in order, the subheading marked
    assert src["furniture"] == ["تصنيفات", "قصص قد تهمك"]
    assert {"heading": "لقاء روسي سوري في موسكو"} in src["text"]
    meeting = data["meetings"][0]
    assert meeting["parties"] == ["russia", "syria"]
    assert {p["person"]: p["side"] for p in meeting["participants"]} == {
        "vladimir-putin": "russia", "sergey-lavrov": "russia", "asaad-al-shaibani": "syria", "murhaf-abu-qasra": "syria"}
    assert meeting["review"]


def test_cli_draft_passes_check_with_warnings_only(seed, registries):
    out = run("new", str(seed), "--published", "2025-12-24", "--content", str(registries))
    assert out.returncode == 0, out.stderr
    for label in ("people found", "orgs found", "candidates", "quotes", "dates", "furniture dropped"):
        assert label in out.stdout
    checked = run("check", str(registries))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 error(s)" in checked.stdout and "review-pending" in checked.stdout
    assert "missing-translation" not in checked.stdout
    strict = run("check", str(registries), "--strict")
    assert strict.returncode == 1


def test_next_to_the_example_with_another_id(seed, tmp_path):
    """With the example's own source present, a different --id keeps every id unique."""
    import shutil

    from tests.intake.conftest import REPO
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    before = {p.name: p.read_bytes() for p in (content / "sources").iterdir()}
    out = run("new", str(seed), "--published", "2025-12-24", "--content", str(content), "--id", "asharq-seed-copy")
    assert out.returncode == 1 and "already drafted in" in out.stderr     # the same article: refused (issue 20)
    assert "asharq-2025-12-24-russia-syria.yaml" in out.stderr
    out = run("new", str(seed), "--published", "2025-12-24", "--content", str(content), "--id", "asharq-seed-copy",
              "--force")
    assert out.returncode == 0, out.stderr
    assert {p.name: p.read_bytes() for p in (content / "sources").iterdir() if p.name in before} == before
    assert (content / "sources" / "asharq-seed-copy.yaml").is_file()
    assert run("check", str(content)).returncode == 0
