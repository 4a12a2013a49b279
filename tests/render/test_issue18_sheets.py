"""Issue 18: the organization sheet opens with a lead and renders no empty section; the topic
sheet compares positions in one row per meeting, one column per side."""

from __future__ import annotations

import re
from datetime import date

import pytest

from generator.render.plan import Page
from generator.render.pages import Renderer
from generator.core.validate import load_and_check
from tests.conftest import REPO


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    corpus = load_and_check(REPO / "content").corpus
    return Renderer(corpus, REPO / "templates", today=date(2026, 1, 1))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_organization_lead_and_no_empty_section(renderer: Renderer, lang: str) -> None:
    c = renderer.corpus
    for org in c.organizations.values():
        md = renderer.render(Page("organization", lang, f"organizations/{org.id}.md", org.id))
        t = renderer.catalogs[lang]
        lead = md.split('<div class="fs-lead" markdown>')[1].split("</div>")[0]
        assert t[f"orgkind_{org.kind}"] in lead, org.id
        assert t["none"] not in md, f"{org.id}: an empty section is rendered"
        members = c.people_by_org.get(org.id, [])
        assert ("{ #people }" in lead) == bool(members), org.id
        if c.counterparts(org.id):
            assert "{ #latest }" in lead
            latest = lead.split("{ #latest }")[1]
            assert re.search(r"\(\.\./meetings/[a-z0-9-]+\.md\)", latest), org.id
        assert ("{ #statements }" in md) == bool(c.statements_by_org.get(org.id)), org.id


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_topic_positions_compared_one_row_per_meeting(renderer: Renderer, lang: str) -> None:
    c = renderer.corpus
    checked = 0
    for topic in c.topics.values():
        md = renderer.render(Page("topic", lang, f"topics/{topic.id}.md", topic.id))
        sides = c.topic_by_side(topic.id)
        if not sides:
            assert "{ #positions }" not in md
            continue
        table = md.split("{ #positions }")[1].split("</div>")[0]
        rows = [r for r in table.splitlines() if r.startswith("| ")]
        header, body = rows[0], rows[2:]
        assert header.count("|") == 2 + len(sides) + 1
        meetings = {st.meeting for _, group in sides for st in group}
        assert len(body) == len(meetings)
        for st in (st for _, group in sides for st in group):
            assert f"#st-{st.id})" in table, st.id
        checked += 1
    assert checked


def test_a_topics_sides_are_remembered_until_the_corpus_grows() -> None:
    c = load_and_check(REPO / "content").corpus
    topic = next(t for t in c.topics if c.statements_by_topic.get(t))
    first = c.topic_by_side(topic)
    assert c.topic_by_side(topic) is first  # each part of a paged topic asks again: worked out once
    st = c.statements_by_topic[topic][0]
    new = st.model_copy(update={"id": f"{st.id}-again"})
    c.statements[new.id] = new
    c.statements_by_topic[topic].append(new)
    again = c.topic_by_side(topic)
    assert again is not first
    assert new in [s for _, group in again for s in group]
