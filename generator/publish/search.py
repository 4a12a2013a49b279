"""Stage 7: each language's search index, in shards (issue 22, items 2 and 5).

A language's HTML pages are split into shards, each a Pagefind bundle over a fixed subset of
them, ``shard_count(pages)`` of them: a power of two chosen so that a shard holds at most
:data:`SHARD_PAGES` pages on average (at most :data:`MAX_SHARDS` shards;
``FACTSHEETS_SEARCH_SHARD_PAGES`` overrides it, and is part of the build's fingerprint). The
count changes only when the archive doubles.

Which shard a page is in depends only on its path (:func:`shard_of`), and is chosen so that the
pages one edit changes fall in few shards: Pagefind cannot update a bundle, so every shard
holding a changed page is indexed again whole, at about 3 ms of CPU a page. An edit changes the
pages of one year: a meeting's and its source's (ids made by ``factsheets draft`` carry their
date), and the pages by year of its people, organizations and topics (``…/<id>/2021/``); and
a few pages of no year: the home page, the indexes, the main pages of its people, organizations
and topics. So a page whose path names a year goes to the shard of that year (the years take
turns over shards 1 to count − 1), and every other page to shard 0 (a small one: about a tenth
of the pages at N = 1,000): an edit indexes one year's shard and shard 0 again, not every shard
(a hash of the path spread an edit's five pages over three or four of four shards). A shard's
word statistics are its own (Pagefind ranks each shard with them): the pages of shard 0 (people,
organizations, topics, indexes) differ from those of a year, and rank a little higher for a word
that is rarer among them; a year's shards are alike.

Shard 0 is the primary bundle, in ``pagefind/`` (the Pagefind UI and its WASM come from there);
the others are in ``pagefind-shards/NN/``, without the UI scripts and WASM a merged index never
loads. ``pagefind/factsheets-shards.json`` lists those that have pages, for the browser
(``overrides/assets/factsheets-search.js`` merges them with Pagefind's ``mergeIndex``).

Each shard is indexed by Pagefind over a folder of hard links to its pages (the same paths, so
the same URLs), at most :data:`MAX_PARALLEL` at a time, the largest first. What each bundle was
made from is noted in the incremental state (:func:`shard_digests`: path, size and modification
time of every page: a page MkDocs did not write again is a hard link to the previous site's, the
same file); a later build, or the live preview's background indexer, re-indexes only the shards
whose pages changed, and hard-links the others' bundles from the site being replaced.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: Pages per shard, at most on average (a power of two of shards is chosen from the count), up
#: to :data:`MAX_SHARDS`. A query merges every shard and fetches about three index chunks from
#: each (the chunk holding each word as typed and as stemmed), and Pagefind cuts an index into
#: chunks of about 20,000 word positions whatever its size: 70–100 KB a shard for a two-word
#: Arabic query from 350 to 5,600 pages a shard. So a query's download grows with the number of
#: shards, not with the archive: 8 shards took one to 1.0 MB at N = 5,000 (a three-word query,
#: about 110 KB a shard, would pass it); 4 halve that (BENCHMARKS.md, "Issue 22, tenth session").
SHARD_PAGES = 400
MAX_SHARDS = 4
SHARD_PAGES_ENV = "FACTSHEETS_SEARCH_SHARD_PAGES"
#: Pagefind processes at once (the machine class has two cores).
MAX_PARALLEL = 2
PRIMARY = "pagefind"
SHARDS = "pagefind-shards"
#: Names at the top of a language's site that belong to the search index, not to the pages.
INDEX_NAMES = frozenset({PRIMARY, SHARDS})
MANIFEST = "factsheets-shards.json"
#: What a merged (non-primary) bundle needs: the rest (UI scripts, styles, WASM) is the primary's.
_MERGED_KEEP = ("pagefind-entry.json",)
_MERGED_KEEP_DIRS = ("index", "fragment", "filter")


def shard_pages() -> int:
    raw = os.environ.get(SHARD_PAGES_ENV, "")
    return int(raw) if raw.strip().isdigit() and int(raw) > 0 else SHARD_PAGES


def shard_count(pages: int, per_shard: int | None = None) -> int:
    """The smallest power of two of shards holding at most ``per_shard`` pages each on average, at
    most :data:`MAX_SHARDS`."""
    per = per_shard or shard_pages()
    count = 1
    while pages > count * per and count < MAX_SHARDS:
        count *= 2
    return count


#: A year in a page's path: four digits from 1900 to 2099, not part of a longer number
#: (``meetings/talks-2021-02-03-…/``, ``topics/trade/2021-2/``; not ``…-resolution-2254/``).
_YEAR = re.compile(r"(?<![0-9])(19[0-9]{2}|20[0-9]{2})(?![0-9])")


def year_of(path: str) -> int | None:
    """The last year named in ``path``, or None: a page by year ends in its year, whatever its
    subject's id holds (``people/ahmad-ali-1970/2021/``: 2021)."""
    found = _YEAR.findall(path)
    return int(found[-1]) if found else None


def shard_of(path: str, count: int) -> int:
    """The shard of the page at ``path`` (relative to its language's root, with ``/``): 0 for a
    page whose path names no year, else the year's: ``1 + year % (count - 1)`` (with two shards,
    1 for every year)."""
    if count == 1:
        return 0
    year = year_of(path)
    return 0 if year is None else 1 + year % (count - 1)


def bundle_dir(index: int) -> str:
    """Where shard ``index``'s bundle goes, relative to its language's root."""
    return PRIMARY if index == 0 else f"{SHARDS}/{index:02d}"


def html_pages(root: Path, skip_top: Iterable[str] = ()) -> list[str]:
    """Every HTML file under ``root`` (relative, sorted), without the search bundles and the
    top-level names in ``skip_top`` (the other languages' sites nested in this one)."""
    skip = INDEX_NAMES | set(skip_top)
    out: list[str] = []
    for folder, dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        if rel == ".":
            dirs[:] = [d for d in dirs if d not in skip]
            rel = ""
        out.extend((f"{rel}/{name}" if rel else name).replace(os.sep, "/") for name in files if name.endswith(".html"))
    return sorted(out)


def assign(pages: list[str]) -> list[list[str]]:
    """The pages of each shard (every shard listed, possibly empty)."""
    count = shard_count(len(pages))
    shards: list[list[str]] = [[] for _ in range(count)]
    for page in pages:
        shards[shard_of(page, count)].append(page)
    return shards


def _key(page: str, st: os.stat_result) -> bytes:
    return f"{page}\0{st.st_size}\0{st.st_mtime_ns}\n".encode()


def _same_bytes(a: Path, b: Path) -> bool:
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x, y = fa.read(1 << 20), fb.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True


def shard_digests(root: Path, shards: list[list[str]], previous: Path | None = None) -> tuple[list[str], list[str]]:
    """Per shard, a digest of its pages as files (path, size, modification time, as
    :func:`generator.publish.incremental.site_manifest` sees them): equal only when the same
    files are there (a page written again has a new time; a copy that keeps times, cp -a, is
    the same). Two lists: the
    digests of the files under ``root``, and the same where a page written again has the same
    bytes as the file at its path under ``previous`` (the site being replaced), which then
    stands for it (MkDocs writes 404.html again at every build, the same)."""
    now, before = [], []
    for pages in shards:
        h_now, h_before = hashlib.sha256(), hashlib.sha256()
        for page in pages:
            st = os.stat(root / page)
            h_now.update(_key(page, st))
            if previous is not None:
                try:
                    old = os.stat(previous / page)
                except OSError:
                    old = None
                if old is not None and old.st_mtime_ns != st.st_mtime_ns \
                        and old.st_size == st.st_size and _same_bytes(root / page, previous / page):
                    st = old
            h_before.update(_key(page, st))
        now.append(h_now.hexdigest())
        before.append(h_before.hexdigest())
    return now, before


def pagefind_command(site: Path, output: Path) -> list[str]:
    """Pagefind over one shard's pages (``site``), its bundle into ``output``. Index what readers
    search for: leave out permalink marks (¶) and copy buttons (lists of links are marked
    ``data-pagefind-ignore`` by the templates)."""
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(output), "--quiet",
            "--exclude-selectors", ".headerlink", "--exclude-selectors", ".fs-copy"]


def _link(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
    except OSError:  # another file system: no hard links
        shutil.copy2(src, dest)


def link_tree(src: Path, dest: Path) -> None:
    """``dest`` as a copy of the folder ``src`` made of hard links (copied where links fail). Its
    folders are this build's own and stay writable, whatever the previous site's modes (a
    read-only site: the shard list is then written anew into ``pagefind/``)."""
    try:
        shutil.copytree(src, dest, copy_function=os.link)
    except (OSError, shutil.Error):
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(src, dest)
    for root, _dirs, _files in os.walk(dest):
        mode = os.stat(root).st_mode
        if mode & stat.S_IRWXU != stat.S_IRWXU:
            os.chmod(root, stat.S_IMODE(mode) | stat.S_IRWXU)


def trim_merged(bundle: Path) -> None:
    """A merged bundle without the UI scripts, styles and WASM (the primary's are used)."""
    for entry in os.scandir(bundle):
        keep = entry.name in _MERGED_KEEP or entry.name.endswith(".pf_meta")
        if entry.is_dir():
            keep = entry.name in _MERGED_KEEP_DIRS
            if not keep:
                shutil.rmtree(entry.path)
                continue
        if not keep:
            os.unlink(entry.path)


def write_manifest(lang_root: Path, count: int, shards: list[list[str]]) -> None:
    """``pagefind/factsheets-shards.json``: the merged bundles, relative to the primary's folder
    (written anew, never into a hard-linked file)."""
    merged = [f"../{bundle_dir(i)}/" for i in range(1, count) if shards[i]]
    path = lang_root / PRIMARY / MANIFEST
    path.unlink(missing_ok=True)
    path.write_text(json.dumps({"format": 1, "shards": count, "merge": merged}, indent=1) + "\n", encoding="utf-8")


@dataclass
class Plan:
    """One language's search index: its shards, and which must be indexed (the others' bundles
    come from ``previous``, the same language's root in the site being replaced)."""

    lang: str
    root: Path                               # the language's built pages
    shards: list[list[str]]
    digests: list[str]
    stale: list[int]
    previous: Path | None = None
    kept: list[str] = field(default_factory=list)
    done: set[int] = field(default_factory=set)

    @classmethod
    def make(cls, lang: str, root: Path, skip_top: Iterable[str], before: dict | None,
             previous: Path | None) -> Plan:
        """``before``: what the bundles of ``previous`` were made from (the state's entry for
        ``lang``: ``{"shards": [digest, ...]}``), or None."""
        shards = assign(html_pages(root, skip_top))
        digests, as_before = shard_digests(root, shards, previous)
        old = (before or {}).get("shards") or []
        stale, kept = [], []
        for i, pages in enumerate(shards):
            reusable = (previous is not None and len(old) == len(shards) and old[i] == as_before[i]
                        and (not pages or (previous / bundle_dir(i) / "pagefind-entry.json").is_file()))
            if not reusable and pages:
                stale.append(i)
            # what the bundle there now was made from, when it is not made again (the preview)
            kept.append(digests[i] if reusable else (old[i] if len(old) == len(shards) else ""))
        if not shards[0] and 0 not in stale:
            stale.insert(0, 0)  # the primary bundle always exists: Pagefind says why when a language has no page
        return cls(lang, root, shards, digests, stale, previous, kept=kept)

    @property
    def reused(self) -> list[int]:
        return [i for i in range(len(self.shards)) if i not in self.stale and self.shards[i]]

    def state(self) -> dict:
        """What the bundles are made from once the stale shards are indexed."""
        return {"shards": self.digests}

    def kept_state(self) -> dict:
        """What the bundles are made from when none is indexed again (the previous ones are kept)."""
        return {"shards": self.kept}

    def reuse_into(self, dest: Path) -> None:
        """The bundles of the shards not re-indexed, hard-linked from the previous site into ``dest``."""
        for i in self.reused:
            assert self.previous is not None
            link_tree(self.previous / bundle_dir(i), dest / bundle_dir(i))

    def view(self, index: int, folder: Path) -> Path:
        """Shard ``index``'s pages hard-linked into ``folder`` (the same relative paths)."""
        for page in self.shards[index]:
            _link(self.root / page, folder / page)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def progress_line(self) -> str:
        total = len(self.shards)
        return (f"Pagefind: indexing {len(self.stale)} of {total} shard(s) of {self.lang} "
                f"({sum(len(self.shards[i]) for i in self.stale)} of {sum(map(len, self.shards))} pages), "
                f"reusing {len(self.reused)}")


@dataclass
class Task:
    plan: Plan
    index: int
    view: Path
    output: Path


class Indexer:
    """Runs shard tasks, at most ``parallel`` Pagefind processes at once; ``poll`` starts and
    reaps without blocking (a build polls it while MkDocs still runs)."""

    def __init__(self, start: Callable[[list[str]], subprocess.Popen[str]],
                 wait: Callable[[subprocess.Popen[str], str], None], parallel: int = MAX_PARALLEL):
        self.start, self.wait, self.parallel = start, wait, parallel
        self.queue: list[Task] = []
        self.running: list[tuple[Task, subprocess.Popen[str]]] = []
        self.started = 0

    def add(self, plan: Plan, work: Path, dest: Path) -> None:
        """Queue ``plan``'s stale shards, the largest first (shards differ in size: a year's, shard
        0): views in ``work``, bundles into ``dest`` (the language's root)."""
        for i in sorted(plan.stale, key=lambda i: -len(plan.shards[i])):
            self.queue.append(Task(plan, i, work / f"view-{plan.lang}-{i:02d}", dest / bundle_dir(i)))

    def poll(self) -> bool:
        """Reap finished processes (raising if one failed), start queued ones; True when all are done."""
        still = []
        for task, proc in self.running:
            if proc.poll() is None:
                still.append((task, proc))
                continue
            self.wait(proc, f"{task.plan.lang}, shard {task.index}")
            if task.index != 0:
                trim_merged(task.output)
            shutil.rmtree(task.view, ignore_errors=True)
            task.plan.done.add(task.index)
        self.running = still
        while self.queue and len(self.running) < self.parallel:
            task = self.queue.pop(0)
            task.plan.view(task.index, task.view)
            task.output.parent.mkdir(parents=True, exist_ok=True)
            self.running.append((task, self.start(pagefind_command(task.view, task.output))))
            self.started += 1
        return not self.queue and not self.running

    @property
    def procs(self) -> list[subprocess.Popen[str]]:
        return [proc for _task, proc in self.running]


def finish_language(plan: Plan, dest: Path) -> None:
    """Once ``plan``'s stale shards are indexed into ``dest``: the reused bundles and the manifest."""
    plan.reuse_into(dest)
    write_manifest(dest, len(plan.shards), plan.shards)
