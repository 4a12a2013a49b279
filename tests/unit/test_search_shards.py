"""The search index's shards (generator/publish/search.py): a page's shard depends on its path
only, shards stay bounded as the archive grows, and only the shards whose pages changed are
indexed again. Pagefind itself is not run here (tests/site/test_search_shards.py does)."""

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
    return [f"{prefix}/m-{i:05d}/index.html" for i in range(n)]


def test_shard_of_is_a_fixed_function_of_the_path() -> None:
    # the same answers in any process, whatever else is in the site (SHA-1, not Python's hash())
    assert [search.shard_of(p, 8) for p in ("index.html", "meetings/a/index.html", "people/b/index.html")] == \
        [int.from_bytes(__import__("hashlib").sha1(p.encode()).digest()[:8], "big") % 8
         for p in ("index.html", "meetings/a/index.html", "people/b/index.html")]
    code = "from generator.publish.search import shard_of; print(shard_of('topics/x/index.html', 16))"
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert int(out) == search.shard_of("topics/x/index.html", 16)
    assert search.shard_of("anything.html", 1) == 0


@pytest.mark.parametrize("pages", [1, 39, 400, 401, 3021, 11_300, 50_000])
def test_shards_are_bounded_and_a_power_of_two(pages: int) -> None:
    shards = search.assign(_paths(pages))
    count = len(shards)
    assert count & (count - 1) == 0, count
    assert count <= search.MAX_SHARDS                    # a query merges every shard: few of them
    assert count == search.MAX_SHARDS or pages / count <= search.SHARD_PAGES  # else at most SHARD_PAGES on average
    assert count == 1 or pages / count > search.SHARD_PAGES / 2   # and not needlessly many
    assert sorted(p for s in shards for p in s) == sorted(_paths(pages))
    if pages >= 3000:  # a hash spreads pages evenly: no shard far above the average
        assert max(map(len, shards)) <= 1.3 * pages / count


def test_the_count_changes_only_when_the_archive_doubles() -> None:
    counts = [search.shard_count(n, 400) for n in range(1, 20_000, 7)]
    changes = sum(a != b for a, b in zip(counts, counts[1:]))
    assert changes == 2  # 1 → 2 → 4 from 1 to 1,600 pages, 400 a shard; then 4 (MAX_SHARDS)
    assert search.shard_count(800, 400) == search.shard_count(799, 400) == 2
    assert search.shard_count(3_021) == 4    # N = 1,000, a language: 4 shards of about 755 pages
    assert search.shard_count(18_623) == 4   # N = 5,000: still 4, of about 4,650 pages


def test_a_new_page_moves_no_other_page() -> None:
    before = search.assign(_paths(3000))
    after = search.assign(_paths(3000) + ["meetings/new/index.html"])
    assert len(before) == len(after)
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert len(changed) == 1 and "meetings/new/index.html" in after[changed[0]]


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
    edited = "meetings/m-00003/index.html"
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
    _site(again, ["meetings/new/index.html"])
    (again / "meetings/m-00010/index.html").unlink()
    plan = search.Plan.make("ar", again, ["en"], first.state(), prev)
    assert sorted(plan.stale) == sorted({search.shard_of("meetings/new/index.html", 4),
                                         search.shard_of("meetings/m-00010/index.html", 4)})


def test_everything_is_stale_without_a_state_or_with_another_count(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(search.SHARD_PAGES_ENV, "20")
    prev = tmp_path / "prev"
    _site(prev, _paths(30))
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
    for proc, shard in zip(started, plan.shards):
        assert proc.seen == shard  # Pagefind sees exactly its shard's pages, at their paths
    assert sorted(os.listdir(root / search.PRIMARY)) == sorted(
        ["pagefind-entry.json", "pagefind.js", "pagefind-ui.js", "wasm.en.pagefind", "x.pf_meta", "fragment",
         search.MANIFEST])
    assert sorted(os.listdir(root / search.bundle_dir(3))) == ["fragment", "pagefind-entry.json", "x.pf_meta"]
    manifest = json.loads((root / search.PRIMARY / search.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["merge"] == [f"../pagefind-shards/{i:02d}/" for i in range(1, 4)]
    assert not (tmp_path / "work").exists() or not any((tmp_path / "work").iterdir())  # views removed
