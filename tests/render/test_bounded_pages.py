"""A meeting page stays bounded as the archive grows: related meetings are capped."""

from __future__ import annotations

import copy
import shutil
from datetime import date
from pathlib import Path

import yaml

from generator.plan import Page
from generator.render import Renderer
from generator.validate import load_and_check
from tests.conftest import REPO

SOURCE = "sources/asharq-2025-12-24-russia-syria.yaml"
MEETING = "lavrov-shaibani-talks-2025-12-24"


def test_related_meetings_are_capped(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    data = yaml.safe_load((content / SOURCE).read_text(encoding="utf-8"))
    for i in range(25):
        extra = copy.deepcopy(data["meetings"][0])
        extra["id"] = f"extra-meeting-{i:02d}"
        data["meetings"].append(extra)
    (content / SOURCE).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    corpus = load_and_check(content).corpus
    md = Renderer(corpus, REPO / "templates", today=date(2026, 1, 1)).render(
        Page("meeting", "en", f"meetings/{MEETING}.md", MEETING))
    related = md.split("{ #related }")[1].split("{ #sources }")[0]
    rows = [line for line in related.splitlines() if line.startswith("| ") and "](" in line]
    assert len(rows) == 20
    assert "6 more related meetings are listed on the pages of" in related
