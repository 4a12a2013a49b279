"""Stages 1–5 as one call: content → checked Corpus → planned pages → Markdown on disk.

This is the part that does not depend on the site tool: its output is plain Markdown
under ``build/docs/<lang>/`` that MkDocs (or another builder) turns into HTML.

The two languages are rendered and written side by side: once the corpus is loaded and
checked, a forked worker renders English while this process renders Arabic (fork shares the
loaded corpus; nothing is sent over but the language and the write report).
"""

from __future__ import annotations

import functools
import gc
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.corpus import Corpus
from generator.errors import Diagnostic
from generator.history import last_changed_dates
from generator.extras import Context, extra_files
from generator.plan import LANGS, plan_pages
from generator.render import Renderer
from generator.validate import load_and_check
from generator.workers import can_fork, default_jobs, one_worker
from generator.write import WriteReport, write_tree


@dataclass(frozen=True)
class Generated:
    corpus: Corpus
    pages: int
    report: dict[str, WriteReport]
    warnings: list[Diagnostic]
    seconds: float


def generate(content: Path, templates: Path, docs_root: Path, *, strict: bool = False,
             site_url: str = "", progress: Callable[[str], None] = lambda _msg: None,
             jobs: int | None = None, on_language: Callable[[str], None] = lambda _lang: None) -> Generated:
    """Load, check, plan, render and write both languages; raise ContentError on bad content.
    ``jobs``: processes to render with (default: the CPUs available, at most one per language).
    ``on_language(lang)`` is called (here, possibly from a helper thread) as soon as a language's
    Markdown is written, so the site tool can start on it while the other is still rendering."""
    t0 = time.perf_counter()
    jobs = default_jobs() if jobs is None else jobs
    checked = load_and_check(content, strict=strict, jobs=jobs)
    corpus = checked.corpus
    progress(f"checked {len(corpus.meetings)} meetings, {len(corpus.statements)} statements")
    pages = plan_pages(corpus)
    renderer = Renderer(corpus, templates, site_url, changed=last_changed_dates(content))

    def one_language(lang: str) -> WriteReport:
        """Render and write one language, with its other files (figures, feed; the default
        language also carries the language-independent exports, at the site root)."""
        mine = [p for p in pages if p.lang == lang]
        rendered = [(p.path, renderer.render(p)) for p in mine]
        r = write_tree(docs_root / lang, [*rendered, *extra_files(Context(corpus, lang, site_url, templates))])
        progress(f"{lang}: {len(mine)} pages ({r.written} written, {r.unchanged} unchanged, {r.removed} removed)")
        return r

    # The loaded corpus lives until the end: keep the cyclic GC from walking it again and again
    # while pages are rendered (each full collection costs time in proportion to the archive, so
    # rendering would grow faster than N), and from touching its pages in the forked worker.
    gc.freeze()
    try:
        reports = per_language(one_language, list(LANGS), jobs, on_language)
    finally:
        gc.unfreeze()  # a long-lived process (mkdocs serve) can free this corpus later
    seconds = time.perf_counter() - t0
    progress(f"generated {len(pages)} pages in {seconds:.1f}s")
    return Generated(corpus, len(pages), reports, checked.warnings, seconds)


_JOB: Callable[[str], Any] | None = None  # what a forked worker runs (set just before the fork)


def _run_job(lang: str) -> WriteReport:
    assert _JOB is not None
    return _JOB(lang)


def _notify(on_done: Callable[[str], None], lang: str, future: Future[WriteReport]) -> None:
    if future.exception() is None:
        on_done(lang)


def per_language(job: Callable[[str], WriteReport], langs: list[str], jobs: int,
                 on_done: Callable[[str], None] = lambda _lang: None) -> dict[str, WriteReport]:
    """``job(lang)`` for each language: the first here, the others in one forked worker when
    there are CPUs to spare; ``on_done(lang)`` as each one succeeds. Forking is skipped where it
    is unsafe (no fork, or other threads running, as in ``mkdocs serve``); an error in the
    worker is raised here as it would be in this process."""
    global _JOB
    if jobs < 2 or len(langs) < 2 or not can_fork():
        reports = {}
        for lang in langs:
            reports[lang] = job(lang)
            on_done(lang)
        return reports
    _JOB = job
    try:
        with one_worker() as pool:
            later = {lang: pool.submit(_run_job, lang) for lang in langs[1:]}
            for lang, future in later.items():
                future.add_done_callback(functools.partial(_notify, on_done, lang))
            reports = {langs[0]: job(langs[0])}
            on_done(langs[0])
            reports.update({lang: f.result() for lang, f in later.items()})
    finally:
        _JOB = None
    return {lang: reports[lang] for lang in langs}
