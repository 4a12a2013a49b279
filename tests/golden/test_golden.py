"""Golden (snapshot) tests: the generated Markdown of every page of the example, both languages.

Compared byte for byte with tests/golden/expected/. After an intended change, regenerate with

    .venv/bin/python -m pytest tests/golden --update-golden

and review the diff (git diff tests/golden) before committing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.render.plan import plan_pages
from generator.render.pages import Renderer
from generator.core.validate import load_and_check
from tests.conftest import REPO

EXPECTED = Path(__file__).parent / "expected"


CORPUS = load_and_check(REPO / "content").corpus
PAGES = plan_pages(CORPUS)
RENDERER = Renderer(CORPUS, REPO / "templates", today=date(2026, 1, 1))  # fixed: goldens must not depend on the day
RENDERED = {f"{p.lang}/{p.path}": RENDERER.render(p) for p in PAGES}


@pytest.mark.parametrize("rel", sorted(RENDERED))
def test_page_matches_golden(rel: str, request: pytest.FixtureRequest) -> None:
    golden = EXPECTED / rel
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(RENDERED[rel], encoding="utf-8")
    assert golden.exists(), f"no golden file for {rel}: run pytest tests/golden --update-golden"
    assert RENDERED[rel] == golden.read_text(encoding="utf-8")


def test_no_stale_golden_files(request: pytest.FixtureRequest) -> None:
    on_disk = {str(p.relative_to(EXPECTED)) for p in EXPECTED.rglob("*.md")}
    stale = on_disk - set(RENDERED)
    if request.config.getoption("--update-golden"):
        for rel in stale:
            (EXPECTED / rel).unlink()
        stale = set()
    assert not stale, f"golden files for pages that no longer exist: {sorted(stale)}"


def test_every_page_kind_is_covered() -> None:
    kinds = {(p.kind, p.lang) for p in PAGES}
    expected = {"home", "timeline", "index", "search", "meeting", "person", "organization", "topic", "source",
                "briefings", "briefing"}
    assert kinds == {(k, lang) for k in expected for lang in ("ar", "en")}
