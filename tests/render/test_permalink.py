"""The "Cite this" permalink of a fact sheet, relative to the page it is shown on."""

from __future__ import annotations

import pytest

from generator.plan import Page
from generator.render import Renderer
from generator.validate import load_and_check
from tests.conftest import REPO

CORPUS = load_and_check(REPO / "content").corpus
MEETING = "lavrov-shaibani-talks-2025-12-24"


@pytest.mark.parametrize(("page", "expected"), [
    (f"meetings/{MEETING}.md", "./"),                     # served at meetings/<id>/
    ("meetings/summit-index.md", f"../{MEETING}/"),       # a page whose id ends in "index"
    ("meetings/index.md", f"{MEETING}/"),                 # the folder's index, served at meetings/
    ("index.md", f"meetings/{MEETING}/"),                 # the home page
])
def test_relative_to_where_the_page_is_served(page: str, expected: str) -> None:
    r = Renderer(CORPUS, REPO / "templates")
    ctx = {"page": Page("meeting", "ar", page, MEETING), "lang": "ar"}
    assert r.permalink(ctx, MEETING) == expected
    statement = CORPUS.statements_by_meeting[MEETING][0].id
    assert r.permalink(ctx, statement) == f"{expected}#{statement}"
