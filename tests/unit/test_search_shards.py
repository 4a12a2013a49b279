"""The search index's shards (generator/publish/search.py): a page's shard depends on its path
only (the year it names, or shard 0), so an edit's pages fall in few shards; shards stay bounded
as the archive grows, and only the shards whose pages changed are indexed again. Pagefind itself
is not run here (tests/site/test_search_shards.py does)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.publish import search


def _paths(n: int, prefix: str = "meetings") -> list[str]:
    """``n`` dated pages, as a meeting's are named, over twelve years."""
    return [f"{prefix}/talks-{2015 + i % 12}-03-01-m{i:05d}/index.html" for i in range(n)]


def test_a_pages_shard_is_the_year_its_path_names_else_shard_0() -> None:
    assert search.shard_of("meetings/talks-2021-02-03-nigeria-india/index.html", 4) == 1 + 2021 % 3 == 3
    assert search.shard_of("topics/trade/2021-2/index.html", 4) == 3          # a page by year: the same year's
    assert search.shard_of("sources/al-khabar-2022-01-05-00031/index.html", 4) == 1
    assert search.shard_of("meetings/by/2023/index.html", 4) == 2
    for undated in ("index.html", "404.html", "people/hala-al-rawi/index.html", "topics/index.html",
                    "topics/resolution-2254/index.html", "meetings/m-120210/index.html"):
        assert search.shard_of(undated, 4) == 0, undated           # no year (2254 and 120210 are not years)
    assert search.year_of("people/x/1999/index.html") == 1999 and search.year_of("a/2100/index.html") is None
    assert search.year_of("people/ahmad-ali-1970/2021-2/index.html") == 2021  # a page by year: its year, last
    assert {search.shard_of(f"meetings/m-{y}-01-01/index.html", 2) for y in range(2015, 2027)} == {1}  # two shards: years, the rest
    assert search.shard_of("meetings/m-2021-01-01/index.html", 1) == 0
    # the years take turns: any three years in a row fill shards 1, 2 and 3
    assert sorted(search.shard_of(f"meetings/m-{y}-01-01/index.html", 4) for y in (2024, 2025, 2026)) == [1, 2, 3]


def test_an_edits_pages_fall_in_its_years_shard_and_shard_0() -> None:
    # what one statement's summary changed at N = 1,000 (tests/site/test_incremental.py builds them)
    edit = ["meetings/talks-2021-02-03-nigeria-india/index.html", "organizations/nigeria/2021/index.html",
            "people/nasser-al-qasim/index.html", "sources/al-khabar-2021-02-04-00033/index.html",
            "topics/counter-terrorism/2021/index.html"]
    assert {search.shard_of(p, 4) for p in edit} == {0, search.shard_of(edit[0], 4)}


@pytest.mark.parametrize("pages", [1, 39, 400, 401, 3021, 11_300, 50_000])
def test_shards_are_bounded_and_a_power_of_two(pages: int) -> None:
    shards = search.assign(_paths(pages))
    count = len(shards)
    assert count & (count - 1) == 0, count
    assert count <= search.MAX_SHARDS                    # a query merges every shard: few of them
    assert count == search.MAX_SHARDS or pages / count <= search.SHARD_PAGES  # else at most SHARD_PAGES on average
    assert count == 1 or pages / count > search.SHARD_PAGES / 2   # and not needlessly many
    assert sorted(p for s in shards for p in s) == sorted(_paths(pages))
    if count == 4:  # twelve years as many pages each: the years' shards are alike
        assert max(map(len, shards[1:])) <= 1.05 * min(map(len, shards[1:]))


def test_the_count_changes_only_when_the_archive_doubles() -> None:
    counts = [search.shard_count(n, 400) for n in range(1, 20_000, 7)]
    changes = sum(a != b for a, b in zip(counts, counts[1:]))
    assert changes == 2  # 1 → 2 → 4 from 1 to 1,600 pages, 400 a shard; then 4 (MAX_SHARDS)
    assert search.shard_count(800, 400) == search.shard_count(799, 400) == 2
    assert search.shard_count(3_021) == 4    # N = 1,000, a language: 4 shards of about 755 pages
    assert search.shard_count(18_623) == 4   # N = 5,000: still 4, of about 4,650 pages


def test_a_new_page_moves_no_other_page() -> None:
    before = search.assign(_paths(3000))
    new = "meetings/talks-2030-01-01-new/index.html"
    after = search.assign(_paths(3000) + [new])
    assert len(before) == len(after)
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert len(changed) == 1 and new in after[changed[0]]


def test_the_env_setting_sizes_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(search.SHARD_PAGES_ENV, "10")
    assert search.shard_count(39) == 4
    monkeypatch.setenv(search.SHARD_PAGES_ENV, "nonsense")
    assert search.shard_count(39) == 1


def _site(root: Path, pages: list[str]) -> None:
    for p in pages:
        (root / p).parent.mkdir(parents=True, exist_ok=True)
        (root / p).write_text(f"<html><body>{p}</body></html>", encoding="utf-8")


def _bundles(root: Path, count: int) -> None:
    for i in range(count):
        (root / search.bundle_dir(i)).mkdir(parents=True, exist_ok=True)
        (root / search.bundle_dir(i) / "pagefind-entry.json").write_text("{}", encoding="utf-8")


def _next_site(previous: Path, dest: Path) -> None:
    """What an incremental build starts from: the previous pages as hard links, no bundles."""
    shutil.copytree(previous, dest, copy_function=os.link,
                    ignore=lambda folder, names: [n for n in names if n in search.INDEX_NAMES or n == "en"])


def test_only_the_shards_of_changed_pages_are_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(search.SHARD_PAGES_ENV, "10")
    pages = _paths(70) + ["404.html", "index.html"]
    prev = tmp_path / "prev"
    _site(prev, pages)
    _site(prev, ["en/index.html", "en/meetings/x/index.html"])  # another language's site inside: not ours
    first = search.Plan.make("ar", prev, ["en"], None, None)
    assert len(first.shards) == search.MAX_SHARDS == 4 and first.stale == [i for i, s in enumerate(first.shards) if s]
    assert not any(p.startswith("en/") for s in first.shards for p in s)
    _bundles(prev, 4)

    now = tmp_path / "now"
    _next_site(prev, now)
    edited = _paths(70)[3]
    (now / edited).unlink()
    (now / edited).write_text("<html><body>changed</body></html>", encoding="utf-8")
    (now / "404.html").unlink()  # written again by MkDocs, the same bytes
    shutil.copy(prev / "404.html", now / "404.html")
    plan = search.Plan.make("ar", now, ["en"], first.state(), prev)
    assert plan.stale == [search.shard_of(edited, 4)]
    assert plan.reused == [i for i, s in enumerate(plan.shards) if s and i not in plan.stale]
    assert (prev / edited).read_text(encoding="utf-8").endswith(f"{edited}</body></html>")  # never written through

    # a new page: its shard only; a removed page: its shard only
    again = tmp_path / "again"
    _next_site(prev, again)
    _site(again, ["meetings/talks-2015-05-01-new/index.html"])
    (again / _paths(70)[10]).unlink()
    plan = search.Plan.make("ar", again, ["en"], first.state(), prev)
    assert sorted(plan.stale) == sorted({search.shard_of("meetings/talks-2015-05-01-new/index.html", 4),
                                         search.shard_of(_paths(70)[10], 4)})


def test_everything_is_stale_without_a_state_or_with_another_count(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(search.SHARD_PAGES_ENV, "20")
    prev = tmp_path / "prev"
    _site(prev, _paths(30) + ["index.html"])
    first = search.Plan.make("en", prev, [], None, None)
    _bundles(prev, len(first.shards))
    now = tmp_path / "now"
    _next_site(prev, now)
    assert search.Plan.make("en", now, [], first.state(), prev).stale == []
    assert len(search.Plan.make("en", now, [], None, prev).stale) == len(first.shards)
    monkeypatch.setenv(search.SHARD_PAGES_ENV, "10")  # more shards: every page may have moved
    plan = search.Plan.make("en", now, [], first.state(), prev)
    assert len(first.shards) == 2 and len(plan.shards) == 4
    assert plan.stale == [i for i, s in enumerate(plan.shards) if s]
    shutil.rmtree(prev / search.bundle_dir(1))  # a bundle missing from the previous site
    monkeypatch.setenv(search.SHARD_PAGES_ENV, "20")
    assert search.Plan.make("en", now, [], first.state(), prev).stale == [1]


class _FakeProc:
    running: list[_FakeProc] = []
    peak = 0

    def __init__(self, cmd: list[str]) -> None:
        self.cmd = cmd
        out = Path(cmd[cmd.index("--output-path") + 1])
        out.mkdir(parents=True)
        for name in ("pagefind-entry.json", "pagefind.js", "pagefind-ui.js", "wasm.en.pagefind", "x.pf_meta"):
            (out / name).write_text(name, encoding="utf-8")
        (out / "fragment").mkdir()
        self.site = Path(cmd[cmd.index("--site") + 1])
        self.seen = sorted(p.relative_to(self.site).as_posix() for p in self.site.rglob("*.html"))
        self.polls = 0
        _FakeProc.running.append(self)
        _FakeProc.peak = max(_FakeProc.peak, len(_FakeProc.running))

    def poll(self) -> int | None:
        self.polls += 1
        if self.polls < 3:
            return None
        if self in _FakeProc.running:
            _FakeProc.running.remove(self)
        return 0


def test_the_indexer_runs_two_at_a_time_over_each_shards_pages(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(search.SHARD_PAGES_ENV, "10")
    root = tmp_path / "en"
    _site(root, _paths(70))
    plan = search.Plan.make("en", root, [], None, None)
    started: list[_FakeProc] = []
    _FakeProc.running, _FakeProc.peak = [], 0

    def start(cmd: list[str]) -> _FakeProc:
        started.append(_FakeProc(cmd))
        return started[-1]

    indexer = search.Indexer(start, lambda proc, what: None)
    indexer.add(plan, tmp_path / "work", root)
    while not indexer.poll():
        pass
    search.finish_language(plan, root)
    assert _FakeProc.peak == 2 and len(started) == len(plan.stale) == 4
    outputs = [Path(proc.cmd[proc.cmd.index("--output-path") + 1]) for proc in started]
    order = [next(i for i in range(4) if out == root / search.bundle_dir(i)) for out in outputs]
    assert [len(plan.shards[i]) for i in order] == sorted(map(len, plan.shards), reverse=True)  # the largest first
    for proc, shard in zip(started, order):
        assert proc.seen == plan.shards[shard]  # Pagefind sees exactly its shard's pages, at their paths
    assert sorted(os.listdir(root / search.PRIMARY)) == sorted(
        ["pagefind-entry.json", "pagefind.js", "pagefind-ui.js", "wasm.en.pagefind", "x.pf_meta", "fragment",
         search.MANIFEST])
    assert sorted(os.listdir(root / search.bundle_dir(3))) == ["fragment", "pagefind-entry.json", "x.pf_meta"]
    manifest = json.loads((root / search.PRIMARY / search.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["merge"] == [f"../pagefind-shards/{i:02d}/" for i in range(1, 4)]
    assert not (tmp_path / "work").exists() or not any((tmp_path / "work").iterdir())  # views removed
