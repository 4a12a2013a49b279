"""The whole build, as one function: load → check → plan → render → write → site → search → swap.

Every caller goes through :func:`build`: ``factsheets build``, ``factsheets deploy --build``,
``factsheets serve --watch`` (generator/preview.py) and the benchmark (bench/run.py, which times
the stages through ``timings``). Read it top to bottom like MkDocs' ``commands/build.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Diagnostic


def _quiet(_msg: str) -> None:
    pass


@dataclass
class BuildResult:
    """What a build did."""

    pages: int                                   # pages planned, both languages
    changed: list[str] = field(default_factory=list)   # "<lang>/<path.md>" of the Markdown rewritten
    site: Path | None = None                     # the site folder (None with markdown_only)
    warnings: list[Diagnostic] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, and "total"
    incremental: bool = False                    # only the changed pages' HTML was rebuilt


Timings = Callable[[str, float], None]


def build(project, *, clean: bool = False, strict: bool = False, allow_shrink: bool = False,
          markdown_only: bool = False, builder: str | None = None,
          progress: Callable[[str], None] = _quiet, timings: Timings | None = None) -> BuildResult:
    """Build ``project`` (a :class:`generator.site.Project`); raise ContentError / BuildError.

    ``clean``: never reuse the previous site. ``builder``: ``mkdocs``/``properdocs``/``zensical``
    (None: FACTSHEETS_BUILDER, else mkdocs.yml). ``timings(stage, seconds)`` is called as each
    stage ends (the benchmark's hook)."""
    from generator.generate import generate
    from generator.site import SiteBuild, build_lock

    t0 = time.perf_counter()
    seconds: dict[str, float] = {}

    def lap(stage: str, since: float) -> float:
        now = time.perf_counter()
        seconds[stage] = round(now - since, 4)
        if timings:
            timings(stage, now - since)
        return now

    base = project.base_config()
    with build_lock(project, progress=progress):
        if markdown_only:
            gen = generate(project.content, project.templates, project.docs_root, strict=strict,
                           site_url=project.site_url(base), progress=progress)
            lap("generate", t0)
            lap("total", t0)
            return BuildResult(gen.pages, [], None, gen.warnings, seconds, False)
        with SiteBuild(project, progress=progress, builder=builder, clean=clean) as site_build:
            gen = generate(project.content, project.templates, project.docs_root, strict=strict,
                           site_url=project.site_url(base), progress=progress, on_language=site_build.start)
            t = lap("generate", t0)
            site_build.check_shrink(gen.pages, allow_shrink)
            site = site_build.finish(gen.pages)
            lap("site", t)
    lap("total", t0)
    changed = [f"{lang}/{p}" for lang, pages in site_build.changed.items() for p in pages]
    return BuildResult(gen.pages, changed, site, gen.warnings, seconds, all(site_build.reused.values()))
