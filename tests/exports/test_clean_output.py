"""Issue 24: odd data neither crashes the build nor breaks what it writes.

- control characters in free text (C0, ESC, DEL, C1, U+FFFE) never reach a page or an export:
  the Atom feeds parse with a real XML parser, the JSON and JSON-LD parse, the CSV holds none;
- dates outside the Hijri calendar's table (1924-08-01…2077-11-16: 1899, a typo 2205) build, and
  the Arabic page shows the Gregorian date only.
Built for real with `factsheets build`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.core.arabic import UNSAFE_CONTROLS
from generator.outputs.exports import atom_feed, statements_csv
from generator.core.validate import load_and_check
from tests.conftest import REPO, copy_project, run_cli

FIXTURE = REPO / "tests" / "fixtures" / "bad" / "free_text_control_stripped"
MEETING = "lavrov-talks-2025-12-24"
A = "{http://www.w3.org/2005/Atom}"
#: a second article, its year typed 2205 (both the article and its meeting): out of Hijri range
TYPO = """source:
  id: typo-2205
  outlet: asharq
  published: 2205-12-24
  language: ar
  headline: "عنوان\\x1b[31m بسنة خاطئة\\x85"
  text:
    - "التقى الوزيران\\x01 في موسكو."
meetings:
  - id: typo-meeting-2205
    title: {ar: "لقاء\\x7f بسنة خاطئة", en: "A meeting\\uFFFE typed 2205\\x9b"}
    date: {start: 2205-12-24, method: stated}
    location: {ar: موسكو, en: "Moscow\\x0c"}
    kind: talks
    parties: [russia, syria]
    participants:
      - {person: sergey-lavrov, side: russia}
    sources: [typo-2205]
"""


def unsafe(text: str) -> set[str]:
    return {f"U+{ord(c):04X}" for c in text if c in UNSAFE_CONTROLS}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("clean") / "project", content=FIXTURE)
    article = project / "content" / "article.yaml"
    # the first meeting goes back before 1900 (and before the Hijri table)
    article.write_text(article.read_text(encoding="utf-8").replace("start: 2025-12-24", "start: 1899-12-24"),
                       encoding="utf-8")
    (project / "content" / "typo.yaml").write_text(TYPO, encoding="utf-8")
    proc = run_cli("build", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    # the likely typos are reported (warnings: the build goes on)
    # the 1899 meeting and the article published in 2205 (its meeting, the same year, is not)
    assert proc.stderr.count("warning[date-implausible]") == 2, proc.stderr
    return project


def test_out_of_range_dates_build_with_the_gregorian_date_only(built: Path) -> None:
    for mid, year in ((MEETING, "1899"), ("typo-meeting-2205", "2205")):
        ar = (built / "build" / "docs" / "ar" / "meetings" / f"{mid}.md").read_text(encoding="utf-8")
        glance = next(line for line in ar.splitlines() if year in line and "|" in line)
        assert "هـ" not in glance and "()" not in glance, glance
        en = (built / "site" / "en" / "meetings" / mid / "index.html").read_text(encoding="utf-8")
        assert year in en


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_feed_is_well_formed_xml(built: Path, lang: str) -> None:
    raw = (built / "site" / ("" if lang == "ar" else "en") / "feed.xml").read_bytes()
    root = ET.fromstring(raw)  # expat: ill-formed XML (a control character) raises here
    assert not unsafe(raw.decode("utf-8"))
    titles = {e.find(f"{A}title").text for e in root.findall(f"{A}entry")}
    assert titles == ({"محادثات لافروف في موسكو", "لقاء بسنة خاطئة"} if lang == "ar"
                      else {"Lavrov[31m talks in Moscow", "A meeting typed 2205"})


def test_json_csv_and_jsonld_hold_no_control_character(built: Path) -> None:
    site = built / "site"
    for rel in ("exports/dataset.json", f"exports/meetings/{MEETING}.json", "exports/meetings/typo-meeting-2205.json"):
        text = (site / rel).read_text(encoding="utf-8")
        json.loads(text)
        assert not unsafe(text) and "\\u001b" not in text and "\\u0001" not in text, rel
    data = json.loads((site / "exports" / "dataset.json").read_text(encoding="utf-8"))
    assert data["sources"][1]["headline"] == "عنوان[31m بسنة خاطئة"
    table = (site / "exports" / "statements.csv").read_text(encoding="utf-8-sig")
    assert not unsafe(table)
    assert len(list(csv.DictReader(io.StringIO(table)))) == 1
    for prefix in ("", "en/"):
        html = (site / prefix / "meetings" / "typo-meeting-2205" / "index.html").read_text(encoding="utf-8")
        assert not unsafe(html)
        ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert ld and json.loads(ld.group(1))["startDate"] == "2205-12-24"


def test_exports_strip_control_characters_that_got_past_the_model() -> None:
    """Belt and braces: text that did not come through the model (a corpus changed after the
    check, a catalog string) still cannot make the feed or the CSV ill-formed."""
    corpus = load_and_check(FIXTURE).corpus
    meeting = corpus.meetings[MEETING]
    object.__setattr__(meeting.title, "en", "Bad\x1b[2J title\x00\x85\ufffe")
    st = next(iter(corpus.statements.values()))
    object.__setattr__(st.summary, "en", "=\x07summary")
    root = ET.fromstring(atom_feed(corpus, "en").encode("utf-8"))
    assert root.find(f"{A}entry/{A}title").text == "Bad[2J title"
    table = statements_csv(corpus)
    assert not unsafe(table)
    assert list(csv.DictReader(io.StringIO(table.lstrip("\ufeff"))))[0]["summary_en"] == "'=summary"
