"""The "Cite this" permalink of a fact sheet, relative to the page it is shown on; relative links."""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.plan import Page
from generator.render.pages import Renderer, relpath
from generator.core.validate import load_and_check
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
    assert r.permalink(ctx, statement) == f"{expected}#st-{statement}"


segment = st.sampled_from(["meetings", "people", "x", "a-b", ".", "", "..", "index.md", "figures"])
path = st.lists(segment, max_size=4).map("/".join)


@given(path, path)
@settings(max_examples=500, deadline=None)
def test_relpath_is_posixpaths(target: str, here: str) -> None:
    """Links are made from strings alone, with the same result as posixpath.relpath."""
    if not target:
        with pytest.raises(ValueError):
            relpath(target, here)
        return
    assert relpath(target, here) == posixpath.relpath(target, here or ".")
