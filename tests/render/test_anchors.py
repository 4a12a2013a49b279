"""Statement anchors live in their own namespace, ``st-<id>`` (issue 24).

A statement id equal to an id the meeting page already uses (``cite``, ``side-russia``, the
headings…) used to give the page two elements with one id, and links to the statement
landed on the heading. Built for real: a statement ``cite`` and a statement ``side-russia``,
every producer of a statement link checked (cards in briefings, the positions matrix, the
topic table, the source page's highlights, JSON-LD, the exports, ``factsheets brief``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.core.model import statement_anchor
from tests.conftest import REPO, copy_project, run_cli

FIXTURE = REPO / "tests" / "fixtures" / "bad" / "statement_id_page_id"
MEETING = "lavrov-talks-2025-12-24"
SOURCE = "asharq-2025-12-24"
TOPIC = "syrian-sovereignty"
#: the second statement, its id the anchor of the Russian side's heading on the meeting page
SECOND = """
  - id: side-russia
    meeting: lavrov-talks-2025-12-24
    speaker:
      person: sergey-lavrov
    topics: [syrian-sovereignty]
    stance: affirms
    summary: {ar: أهمية التعاون, en: Cooperation matters}
    mode: paraphrase
    provenance:
      source: asharq-2025-12-24
      exact: "أهمية تعزيز التعاون بين البلدين"
"""
BRIEFING = """---
title: Anchors
lang: en
date: 2025-12-26
---
Two statements.

::: card lavrov-talks-2025-12-24

::: statement cite

::: positions syrian-sovereignty
"""


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.scripts: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        if d.get("id"):
            self.ids.append(d["id"])
        if d.get("href"):
            self.hrefs.append(d["href"])
        self._in_ld = tag == "script" and d.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_ld = False


def parse(path: Path) -> Page:
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("anchors") / "project", content=FIXTURE)
    article = project / "content" / "article.yaml"
    article.write_text(article.read_text(encoding="utf-8") + SECOND, encoding="utf-8")
    (project / "content" / "briefings").mkdir()
    (project / "content" / "briefings" / "anchors.md").write_text(BRIEFING, encoding="utf-8")
    proc = run_cli("build", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project


def test_statement_anchor_is_namespaced() -> None:
    assert statement_anchor("cite") == "st-cite"


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_meeting_page_ids_are_unique(built: Path, prefix: str) -> None:
    page = parse(built / "site" / prefix / "meetings" / MEETING / "index.html")
    dupes = [i for i, n in Counter(page.ids).items() if n > 1]
    assert not dupes, dupes
    # the page's own ids and the statements' anchors, side by side
    assert {"cite", "side-russia", "st-cite", "st-side-russia"} <= set(page.ids)
    # every in-page link lands on an element of the page; statement permalinks on the statement
    local = [h[1:] for h in page.hrefs if h.startswith("#")]
    assert set(local) <= set(page.ids), set(local) - set(page.ids)
    assert {"st-cite", "st-side-russia"} <= set(local)
    # JSON-LD: each Quotation is identified by the statement's anchor
    ld = json.loads(page.scripts[0])
    quotes = {q["@id"].split("#")[1] for q in ld["subjectOf"]}
    assert quotes == {"st-cite", "st-side-russia"}


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_links_from_other_pages_use_the_anchor(built: Path, prefix: str) -> None:
    site = built / "site" / prefix
    source = parse(site / "sources" / SOURCE / "index.html")
    to_meeting = [h for h in source.hrefs if f"meetings/{MEETING}/#" in h]
    assert to_meeting and {h.split("#")[1] for h in to_meeting} == {"st-cite", "st-side-russia"}
    topic = parse(site / "topics" / TOPIC / "index.html")
    assert Counter(topic.ids)["st-cite"] == 1 and "cite" in topic.ids
    assert not [i for i, n in Counter(topic.ids).items() if n > 1]
    # the positions matrix: each cell opens its statement
    svgs = list((built / "site" / prefix / "figures").glob(f"matrix-meeting-{MEETING}*.svg")) or \
        list((built / "site" / "figures").glob(f"*meeting-{MEETING}*.svg"))
    assert svgs, sorted(p.name for p in (built / "site").rglob("*.svg"))
    fragments = set(re.findall(r'href="[^"#]*#([^"]+)"', svgs[0].read_text(encoding="utf-8")))
    assert fragments == {"st-cite", "st-side-russia"}


def test_briefing_cards_link_and_embed_by_anchor(built: Path) -> None:
    page = parse(built / "site" / "en" / "briefings" / "anchors" / "index.html")
    assert "st-cite" in page.ids  # the embedded statement
    fragments = {h.split("#")[1] for h in page.hrefs if f"meetings/{MEETING}/#" in h}
    assert fragments and fragments <= {"st-cite", "st-side-russia"}, fragments
    assert not [i for i, n in Counter(page.ids).items() if n > 1]


def test_exports_and_brief_use_the_anchor(built: Path) -> None:
    site = built / "site"
    data = json.loads((site / "exports" / "dataset.json").read_text(encoding="utf-8"))
    paths = {sid: d["path"] for sid, d in data["derived"]["statements"].items()}
    assert paths == {sid: f"meetings/{MEETING}/#st-{sid}" for sid in ("cite", "side-russia")}
    rows = list(csv.DictReader(io.StringIO((site / "exports" / "statements.csv").read_text(encoding="utf-8-sig"))))
    assert {r["permalink_en"] for r in rows} == {f"en/meetings/{MEETING}/#st-{sid}" for sid in ("cite", "side-russia")}
    proc = run_cli("brief", "cite", "--lang", "en", "--format", "text", "--site-url", "https://example.org/",
                   cwd=built)
    assert proc.returncode == 0, proc.stderr
    assert f"https://example.org/en/meetings/{MEETING}/#st-cite" in proc.stdout


def test_old_anchor_script_is_on_every_page(built: Path) -> None:
    """Links made before the change (``#<statement-id>``) are sent on by assets/factsheets.js
    (the browser test test_legacy_anchor.py follows one)."""
    script = (built / "site" / "assets" / "factsheets.js").read_text(encoding="utf-8")
    assert '"st-" + id' in script
    html = (built / "site" / "en" / "meetings" / MEETING / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<script src="[./]*assets/factsheets\.js', html)
