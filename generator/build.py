"""The whole build, as one function: load → check → plan → render → write → site → search → swap.

Every caller goes through :func:`build`: ``factsheets build``, ``factsheets deploy --build``,
``factsheets serve --watch`` (generator/publish/preview.py), the MkDocs hook (``markdown_only``) and the
benchmark (bench/run.py, which reads the stage times through ``timings``). Read it top to bottom
like MkDocs' ``commands/build.py``; each stage is one call into the module that does it:

1. load + check (generator/core/validate.py): the content, every problem at once, or ContentError;
2. plan (plan.py): every page of both languages;
3. render + write (render.py, write.py): each page's Markdown, written as it is rendered (one
   language per process), only files whose bytes changed rewritten; after a build, only the
   pages an edit can reach are rendered (the dependency map, generator/publish/incremental.py);
4. site (site.py): per language, as soon as its Markdown is written, MkDocs builds its HTML —
   every page (clean) or only the pages whose Markdown changed, over a hard-linked copy of the
   previous site (incremental, generator/publish/incremental.py);
5. search (site.py, search.py): Pagefind indexes each language's HTML in shards (a stable hash
   of each page's path), at most two at a time; an incremental build indexes again only the
   shards holding a page whose HTML changed, and reuses the others' bundles;
6. swap (site.py): the assembled site replaces site_dir in two renames; a failed or killed build
   leaves the previous site serving. The state for the next incremental build is written last.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import Diagnostic
from generator.workers import InThread

if TYPE_CHECKING:
    from generator.publish.buildcache import BuildCache
    from generator.publish.incremental import DigestCache
    from generator.publish.site import Project

Timings = Callable[[str, float], None]


def _store(stores: list[Callable[[], None]]) -> None:
    """What the next build reuses of this one's rendering, stored with the render's rarer garbage collections."""
    from generator.render.generate import rarer_collections

    with rarer_collections():
        for store in stores:
            store()


def _quiet(_msg: str) -> None:
    pass


@dataclass
class BuildResult:
    """What a build did."""

    pages: int                                          # pages planned, both languages
    changed: list[str] = field(default_factory=list)    # "<lang>/<path.md>" whose HTML this build wrote
    site: Path | None = None                            # the site folder (None with markdown_only)
    warnings: list[Diagnostic] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, and "total"
    incremental: bool = False                           # every language reused the previous site


@dataclass
class BuildContext:
    """One build's settings and clock, passed down explicitly (no module-level state)."""

    project: Project
    base: dict[str, Any]
    strict: bool = False
    progress: Callable[[str], None] = _quiet
    timings: Timings | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)

    def lap(self, stage: str, seconds: float) -> None:
        """Record a stage's time (called from generate() and SiteBuild as stages end)."""
        self.seconds[stage] = round(self.seconds.get(stage, 0.0) + seconds, 4)
        if self.timings:
            self.timings(stage, seconds)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.lap(name, time.perf_counter() - t0)

    def total(self) -> dict[str, float]:
        self.lap("total", time.perf_counter() - self.started)
        return self.seconds


def build(project: Project, *, clean: bool = False, strict: bool = False, allow_shrink: bool = False,
          markdown_only: bool = False, builder: str | None = None,
          progress: Callable[[str], None] = _quiet, timings: Timings | None = None,
          search: bool = True, docs_cache: DigestCache | None = None,
          after: list[Callable[[], None]] | None = None) -> BuildResult:
    """Build ``project``; raise ContentError (bad content, a bad site_dir or builder) or BuildError.

    ``clean``: never reuse the previous site, and render every page. ``markdown_only``: stop after writing the Markdown.
    ``builder``: ``mkdocs``/``properdocs``/``zensical`` (None: FACTSHEETS_BUILDER, else mkdocs.yml).
    ``progress(message)``: what the build is doing. ``timings(stage, seconds)``: called as each
    stage ends (load+check, plan, render+write, html, search, swap, total). ``search=False`` (the
    live preview only): no Pagefind, the previous site's search index is carried over as it was.
    ``docs_cache`` (the live preview): the digests of the Markdown files unchanged since the previous
    build of this process are not worked out again (:class:`generator.publish.incremental.DigestCache`).
    ``after`` (the live preview): what the next build reuses of this one's rendering (the
    dependency map and pieces) is not stored by the build but added to this list, as callables for
    the caller to call once the new site is served and its search indexing started; the caller
    calls them whether the build succeeded or not (they are true of the Markdown written)."""
    from generator.core.loader import FileCache, reused_cache, reusing
    from generator.publish.buildcache import BuildCache
    from generator.publish.incremental import DigestCache
    from generator.publish.site import build_lock

    ctx = BuildContext(project, project.base_config(), strict, progress, timings)
    with build_lock(project, progress=progress):  # one build at a time per project
        if reused_cache() is not None or docs_cache is not None:
            # the caller keeps its caches in memory between builds (the live preview, `mkdocs serve`)
            return _build(ctx, clean, allow_shrink, markdown_only, builder, search, docs_cache, None, after)
        # a build in a new process starts from what the last one left in the build folder
        # (generator/publish/buildcache.py; not with --clean) and leaves it for the next
        stored = BuildCache(project.build)
        files = FileCache() if clean else stored.files()
        files.long_lived = False  # stored for the next process: this one keeps nothing of it past the save
        digests = DigestCache() if clean else stored.docs_digests()
        try:
            with reusing(files):
                result = _build(ctx, clean, allow_shrink, markdown_only, builder, search, digests, stored, after)
        finally:
            stored.wait()  # the forked save ends before the lock is let go
        if not markdown_only:
            stored.save_docs_digests(digests)
        return result


def _build(ctx: BuildContext, clean: bool, allow_shrink: bool, markdown_only: bool, builder: str | None,
           search: bool, docs_cache: DigestCache | None, stored: BuildCache | None,
           after: list[Callable[[], None]] | None = None) -> BuildResult:
    """The stages, in order (see the module's docstring)."""
    from generator.core.loader import reused_cache
    from generator.publish.site import SiteBuild
    from generator.render.generate import generate

    project = ctx.project
    site_url = project.site_url(ctx.base)
    progress, strict = ctx.progress, ctx.strict

    def save() -> None:
        """Once the content is loaded and checked (before the render adds to this process's memory,
        which a forked child shares): stored for the next build's load."""
        files = reused_cache()
        if stored is not None and files is not None:
            stored.save_files(files)
            files.let_go()  # the forked saver has its own view of it; the render does not need it

    if markdown_only:
        gen = generate(project.content, project.templates, project.docs_root, strict=strict, site_url=site_url,
                       progress=progress, timings=ctx.lap, reuse=not clean, on_checked=save)
        return BuildResult(gen.pages, [], None, gen.warnings, ctx.total(), False)
    # a build on its own stores what the next one reuses of its rendering (the dependency map and
    # pieces of the language rendered in this process) in a thread, while the site is built: the
    # HTML's search index starts as soon as it is built, not once they are written (about a second
    # at N = 1,000); the live preview stores them itself once the new site is served
    stores: list[Callable[[], None]] = [] if after is None else after
    storing = None
    # the site folder is checked and the previous build's state read before anything is written
    with SiteBuild(project, progress=progress, builder=builder, clean=clean, timings=ctx.lap,
                   search=search, docs_cache=docs_cache) as site:
        # load → check → plan → render → write; each language's HTML starts as soon as its Markdown is
        # written (built clean: as soon as its pages are, while its figures and exports are written)
        gen = generate(project.content, project.templates, project.docs_root, strict=strict, site_url=site_url,
                       progress=progress, on_language=site.start, timings=ctx.lap, reuse=not clean, on_checked=save,
                       on_pages=site.start_early, after=stores)
        if after is None:
            storing = InThread([functools.partial(_store, stores)], "factsheets-store")
        try:
            site.check_shrink(gen.pages, allow_shrink)
            folder = site.finish(gen.pages)  # HTML → search index → assemble → swap → state
        except BaseException:
            if storing is not None:
                storing.wait()  # true of the Markdown written, whether the site was built or not
            raise
        if storing is not None:
            storing.join()
    changed = [f"{lang}/{p}" for lang, pages in site.changed.items() for p in pages]
    return BuildResult(gen.pages, changed, folder, gen.warnings, ctx.total(), all(site.reused.values()))
