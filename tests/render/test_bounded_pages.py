"""A meeting page stays bounded as the archive grows: related meetings are capped."""

from __future__ import annotations

import copy
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import yaml

from generator.render.plan import Page
from generator.render.pages import Renderer
from generator.core.validate import load_and_check
from tests.conftest import REPO

SOURCE = "sources/asharq-2025-12-24-russia-syria.yaml"
MEETING = "lavrov-shaibani-talks-2025-12-24"


def _related(tmp_path: Path, extra_dates: list[date]) -> str:
    """The related-meetings section of the example's second meeting (2025-12-24), with copies of
    its first meeting at ``extra_dates`` (ids ``extra-meeting-NN``)."""
    content = tmp_path / "content"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(REPO / "content", content)
    data = yaml.safe_load((content / SOURCE).read_text(encoding="utf-8"))
    for i, when in enumerate(extra_dates):
        extra = copy.deepcopy(data["meetings"][0])
        extra["id"] = f"extra-meeting-{i:02d}"
        extra["date"]["start"] = when
        data["meetings"].append(extra)
    (content / SOURCE).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    corpus = load_and_check(content).corpus
    md = Renderer(corpus, REPO / "templates", today=date(2026, 1, 1)).render(
        Page("meeting", "en", f"meetings/{MEETING}.md", MEETING))
    return md.split("{ #related }")[1].split("{ #sources }")[0]


def test_related_meetings_are_capped_to_the_nearest_in_date(tmp_path: Path) -> None:
    # 25 copies of the first meeting (2025-12-23), a day apart going back: with it, 26 related
    related = _related(tmp_path, [date(2025, 12, 22) - timedelta(days=i) for i in range(25)])
    rows = [line for line in related.splitlines() if line.startswith("| ") and "](" in line]
    assert len(rows) == 20
    shown = re.findall(r"\(([\w-]+)\.md\)", "\n".join(rows))
    shown = [s for s in shown if s.startswith(("extra-meeting", "putin"))]
    # the nearest: the first meeting and the 19 copies closest in date, newest first
    assert shown == ["putin-receives-syrian-ministers-2025-12-23"] + [f"extra-meeting-{i:02d}" for i in range(19)]
    assert "The nearest in date are shown; the others are listed on the pages of" in related
    assert "more related" not in related  # no count of the whole archive: it would change with every meeting

    # a related meeting far from this one in date leaves its page as it was
    again = _related(tmp_path / "again", [date(2025, 12, 22) - timedelta(days=i) for i in range(25)]
                     + [date(2019, 3, 1)])
    assert again == related


def test_related_meetings_below_the_cap_are_all_shown(tmp_path: Path) -> None:
    related = _related(tmp_path, [date(2020, 1, 1), date(2025, 12, 1)])
    assert "extra-meeting-00" in related and "extra-meeting-01" in related
    assert "The nearest in date" not in related


# --- pages by year (issue 22, item 4) ------------------------------------------------------------

import posixpath  # noqa: E402

import pytest  # noqa: E402

from bench.corpus import write_corpus  # noqa: E402
from generator.kinds import BY_NAME  # noqa: E402
from generator.render.plan import plan_pages, split_parts  # noqa: E402


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, list[Page], Renderer]:
    """A synthetic archive of 220 meetings (three timeline parts), a few parties (pages grow with it)."""
    folder = tmp_path_factory.mktemp("bench") / "content"
    write_corpus(220, folder, seed=8, parties=4)
    corpus = load_and_check(folder).corpus
    return corpus, plan_pages(corpus), Renderer(corpus, REPO / "templates", today=date(2026, 1, 1))


def test_split_parts_keeps_earlier_parts_when_the_archive_grows() -> None:
    items = [("2021", i) for i in range(7)] + [("2022", i) for i in range(3)]
    parts = split_parts(items, lambda x: x[0], 3)
    assert [k for k, _ in parts] == ["2021", "2021-2", "2021-3", "2022"]
    assert [len(g) for _, g in parts] == [3, 3, 1, 3]
    more = split_parts(items + [("2022", 9), ("2023", 0)], lambda x: x[0], 3)
    assert more[:3] == parts[:3] and [k for k, _ in more][-2:] == ["2022-2", "2023"]
    weighed = split_parts(items, lambda x: x[0], 4, weight=lambda x: 2)
    assert [len(g) for _, g in weighed] == [2, 2, 2, 1, 2, 1]


def test_sheets_and_listings_are_paged_and_every_meeting_is_on_one_part(grown) -> None:
    corpus, pages, _ = grown
    for kind in ("topic", "organization", "person"):
        k = BY_NAME[kind]
        paged = [p for p in pages if p.kind == kind and p.lang == "en" and p.paged]
        assert paged, kind
        for main in (p for p in paged if not p.part):
            parts = [p for p in paged if p.subject == main.subject and p.part]
            assert [p.part for p in parts] == list(main.parts)
            assert all(p.path == f"{k.folder}/{main.subject}/{p.part}.md" for p in parts)
            listed = [i for p in parts for i in p.rows]
            assert sorted(listed) == sorted(m.id for m in getattr(corpus, k.meetings_by)[main.subject])
            said = {}
            for st in getattr(corpus, k.statements_by)[main.subject]:
                said[st.meeting] = said.get(st.meeting, 0) + 1
            for p in [main, *parts]:
                weight = sum(1 + said.get(i, 0) for i in p.rows)
                assert weight <= k.rows or len(p.rows) == 1
                assert len({corpus.meetings[i].date.start.year for i in p.rows}) == 1 or not p.part
    timeline = [p for p in pages if p.kind == "timeline" and p.lang == "ar"]
    assert len(timeline) > 2 and all(len(p.rows) <= 100 for p in timeline)
    assert {p.path for p in timeline} >= {"meetings/index.md", "meetings/by/2021.md", "meetings/by/2021-2.md"}
    people = [p for p in pages if p.kind == "index" and p.subject == "people" and p.lang == "en"]
    assert len(people) == 1 and not people[0].paged  # 44 people: one page


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_pager_links_lead_to_planned_pages_in_both_languages(grown, lang: str) -> None:
    _, pages, renderer = grown
    paths = {p.path for p in pages if p.lang == lang}
    t = renderer.catalogs[lang]
    checked = 0
    for page in (p for p in pages if p.lang == lang and p.paged and p.kind in ("topic", "organization", "person", "timeline")):
        md = renderer.render(page)
        navs = re.findall(r'<nav class="fs-pager[^"]*".*?</nav>', md, re.S)
        assert len(navs) == 2, page.path
        links = [h for nav in navs for h in re.findall(r"\]\(([^)#]+)\)", nav)]
        for href in links:
            assert posixpath.normpath(posixpath.join(posixpath.dirname(page.path), href)) in paths, (page.path, href)
        targets = {posixpath.normpath(posixpath.join(posixpath.dirname(page.path), h)) for h in links}
        # the pager links every part its bounded window names (every part is reachable through
        # them: test_pager_window_is_bounded_and_every_part_is_reachable)
        assert {page.part_md(k) for k in _named(page)} - {page.path} <= targets
        if page.part:
            assert md.startswith("---\nsearch:\n  exclude: true\n---\n")
            assert f"[{t['pager_next']}:" in navs[1] or f"[{t['pager_prev']}:" in navs[1]
            assert f" · {page.part.split('-')[0]}" in md.split("\n# ", 1)[-1].splitlines()[0] or page.kind == "timeline"
        else:
            assert t["pager_note_latest"] in navs[0]
        checked += 1
    assert checked > 10


def test_a_part_lists_its_own_meetings_only(grown) -> None:
    corpus, pages, renderer = grown
    part = next(p for p in pages if p.kind == "organization" and p.lang == "en" and p.part)
    md = renderer.render(part)
    listed = set(re.findall(r"\.\./\.\./meetings/([a-z0-9-]+)\.md", md))
    assert listed and listed <= set(part.rows)
    assert "figure-timeline" not in md
    # nor the count of all its meetings (on the main page): a page by year stays the same when the
    # organization meets in another year
    lead = md.split('class="fs-lead-sentence"')[1].split("</p>")[0]
    main = renderer.render(next(p for p in pages if p.kind == "organization" and p.lang == "en"
                                and p.subject == part.subject and not p.part))
    assert re.search(r"\d+ meetings", main.split('class="fs-lead-sentence"')[1].split("</p>")[0])
    assert "meeting" not in lead, lead


def test_pages_stay_bounded_as_the_archive_grows(tmp_path: Path) -> None:
    """The largest page of each paged kind, in Markdown, at 150 and 600 meetings (a few parties):
    within 15 % of each other (the whole archive grows fourfold)."""
    largest: dict[int, dict[str, int]] = {}
    for n in (150, 600):
        write_corpus(n, tmp_path / str(n), seed=8, parties=4)
        corpus = load_and_check(tmp_path / str(n)).corpus
        renderer = Renderer(corpus, REPO / "templates", today=date(2026, 1, 1))
        sizes: dict[str, int] = {}
        for page in plan_pages(corpus, ("en",)):
            if page.kind in ("topic", "organization", "person", "timeline", "index"):
                sizes[page.kind] = max(sizes.get(page.kind, 0), len(renderer.render(page).encode()))
        largest[n] = sizes
    for kind, small in largest[150].items():
        assert largest[600][kind] <= small * 1.15, (kind, small, largest[600][kind])


# --- the pager names a bounded window (issue 22, item 4) -----------------------------------------

def _archive(years: int, parts: int) -> list[Page]:
    """A paged page and its parts: ``years`` years of ``parts`` parts each."""
    keys = tuple(f"{2000 + y}" + (f"-{n}" if n > 1 else "") for y in range(years) for n in range(1, parts + 1))
    main = Page("topic", "en", "topics/t.md", "t", "", ("m",), keys)
    return [main] + [Page("topic", "en", f"topics/t/{k}.md", "t", k, ("m",), keys, "topics/t.md") for k in keys]


def _named(page: Page, groups: int | None = 2) -> set[str]:
    keys: set[str] = set()
    for e in page.pager_window(groups):
        if e is not None:
            keys.add(e.first)
            keys.update(p[1] for p in e.parts or () if p is not None)
    return keys


@pytest.mark.parametrize("years,parts", [(1, 1), (3, 2), (12, 9), (40, 30)])
def test_pager_window_is_bounded_and_every_part_is_reachable(years: int, parts: int) -> None:
    pages = _archive(years, parts)
    by_key = {p.part: p for p in pages}
    for page in pages:
        window = page.pager_window()
        # first and last year, two either side of the current one, and the gaps between them
        assert len(window) <= 2 + 2 * 2 + 1 + 2
        current = [e for e in window if e is not None and e.parts is not None]
        assert len(current) <= 1 and all(len(e.parts) <= 2 + 2 * 2 + 1 + 2 for e in current)
        assert page.part == "" or page.part in _named(page)
    # every part can be reached from the page itself, through the pagers alone
    seen, todo = {""}, [""]
    while todo:
        for key in _named(by_key[todo.pop()]) - seen:
            seen.add(key)
            todo.append(key)
    assert seen == set(by_key)


def test_pager_window_names_every_letter() -> None:
    keys = tuple(chr(c) for c in range(ord("a"), ord("z") + 1))
    main = Page("index", "en", "people/index.md", "people", "", ("x",), keys)
    assert _named(main, None) == set(keys)
    assert None not in main.pager_window(None)


def test_pager_of_a_long_archive_in_markdown(grown) -> None:
    """Rendered: a part of a long archive names the years near it and "…" for the others."""
    _, _, renderer = grown
    keys = tuple(f"{y}" for y in range(2001, 2021))
    page = Page("timeline", "en", "meetings/by/2010.md", "meetings", "2010", (), keys, "meetings/index.md")
    nav = re.findall(r'<nav class="fs-pager".*?</nav>', renderer.render(page), re.S)[0]
    line = nav.strip().splitlines()[-2]
    assert line == ("By year: [Latest](../index.md) · [2001](2001.md) · … · [2008](2008.md) · [2009](2009.md) · "
                    '<strong aria-current="page">2010</strong> · [2011](2011.md) · [2012](2012.md) · … · [2020](2020.md)')


# --- a topic's comparison table: a bounded number of side columns (issue 22, item 4) -------------

@pytest.fixture(scope="module")
def many_sides(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Renderer]:
    """A synthetic archive of 120 meetings among 24 parties: topics with many sides."""
    folder = tmp_path_factory.mktemp("sides") / "content"
    write_corpus(120, folder, seed=8, parties=24)
    corpus = load_and_check(folder).corpus
    return corpus, Renderer(corpus, REPO / "templates", today=date(2026, 1, 1))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_topic_compare_table_has_a_bounded_number_of_side_columns(many_sides, lang: str) -> None:
    """With many parties, a topic page names at most six sides in columns and headings; the
    others share one column and one table, and every statement is still linked and anchored."""
    corpus, renderer = many_sides
    t = renderer.catalogs[lang]
    page = next(p for p in plan_pages(corpus, (lang,)) if p.kind == "topic" and not p.part
                and len({corpus.sides.get(st.id, "joint") for st in corpus.statements_by_topic[p.subject]
                         if not p.paged or st.meeting in p.rows}) > 8)
    md = renderer.render(page)
    compare = md.split("{ #positions }")[1].split("<details")[0]
    header = next(line for line in compare.splitlines() if line.startswith("| "))
    assert header.count(" | ") == 2 + 5 + 1 - 1 and header.endswith(f" {t['other_sides']} |")
    rows = [line for line in compare.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert rows and all(line.count(" | ") == header.count(" | ") for line in rows)
    by_side = md.split("<details")[1].split("</details>")[0]
    assert by_side.count("\n### ") == 6 and "{ #side-others }" in by_side
    shown = [st for st in corpus.statements_by_topic[page.subject] if not page.paged or st.meeting in page.rows]
    for st in shown:
        assert f"#st-{st.id})" in compare  # its stance, linked, in the comparison
        assert f'<span id="st-{st.id}"></span>' in by_side  # its row in a table by side
