"""Stages 1–5 as one call: content → checked Corpus → planned pages → Markdown on disk.

This is the part that does not depend on the site tool: its output is plain Markdown
under ``build/docs/<lang>/`` that MkDocs (or another builder) turns into HTML.

The two languages are rendered and written side by side: once the corpus is loaded and
checked, a forked worker renders English while this process renders Arabic (fork shares the
loaded corpus; nothing is sent over but the language and the write report).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from generator.core.corpus import Corpus
from generator.core.loader import reused_cache
from generator.errors import Diagnostic, FactsheetsError
from generator.core.history import last_changed_dates
from generator.publish.incremental import (WHOLE, Answers, Inputs, MapBuilder, PageDeps, Recording, note_id,
                                           note_query, pages_to_render, plan_digest, same_structure, site_manifest)
from generator.outputs.extras import PIECED, PRODUCERS, Context
from generator.outputs.pieces import FilePieces, PieceMap, RecordedFile, remake
from generator.render.figures import figure_files
from generator.render.plan import LANGS, Page, plan_pages
from generator.render.pages import Renderer
from generator.core.validate import load_and_check_beside
from generator.workers import can_fork, default_jobs
from generator.render.write import WriteReport, kept_paths, prepare_root, prune, write_files


@dataclass(frozen=True)
class Generated:
    corpus: Corpus
    pages: int
    report: dict[str, WriteReport]
    warnings: list[Diagnostic]
    seconds: float


#: The cyclic GC's thresholds while content is loaded and pages are rendered (Python's: 700, 10, 10).
#: Rendering a page leaves a few hundred objects in reference cycles (Jinja's contexts and macros),
#: so collections must go on; but with the default thresholds a full collection came every few
#: dozen pages, each walking every object the render keeps (caches of links, names, dates…): a
#: fifth of the render's time, a quarter of the load's (BENCHMARKS.md, thirteenth session). Fewer,
#: larger young collections and a full one ten times as rarely keep the garbage bounded all the same.
RENDER_GC_THRESHOLDS = (10_000, 10, 100)


@contextlib.contextmanager
def rarer_collections() -> Iterator[None]:
    """:data:`RENDER_GC_THRESHOLDS` within, the caller's thresholds after (a long-lived process,
    such as the live preview, gets its own back)."""
    before = gc.get_threshold()
    gc.set_threshold(*RENDER_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@rarer_collections()
def generate(content: Path, templates: Path, docs_root: Path, *, strict: bool = False,
             site_url: str = "", progress: Callable[[str], None] = lambda _msg: None,
             jobs: int | None = None, on_language: Callable[[str], None] = lambda _lang: None,
             timings: Callable[[str, float], None] = lambda _stage, _s: None, reuse: bool = True,
             on_checked: Callable[[], None] = lambda: None,
             on_pages: Callable[[str, list[str]], None] | None = None,
             after: list[Callable[[], None]] | None = None) -> Generated:
    """Load, check, plan, render and write both languages; raise ContentError on bad content.
    ``jobs``: processes to render with (default: the CPUs available, at most one per language).
    ``on_language(lang)`` is called (here, possibly from a helper thread) as soon as a language's
    Markdown is written, so the site tool can start on it while the other is still rendering.
    ``timings(stage, seconds)`` as each stage ends: load+check, plan, render+write.
    ``reuse``: render only the pages an edit can reach, by the dependency map the previous
    generation left beside the Markdown (generator/publish/incremental.py); False renders every page.
    ``on_checked()`` once the content is loaded and checked (the build stores the load for the next one).
    ``on_pages(lang, pending)``, when every page of a language is rendered (a clean render), as soon as
    its Markdown pages are written, with the paths of its files still to be written (figures,
    exports…; the folder holds nothing else by then): a site tool that copies those files last can
    start on the pages (generator/publish/mkdocs_early.py); ``on_language`` follows once they are written.
    ``after``: the dependency map and pieces of each language rendered in this process are stored
    for the next build by the callables added to it, for the caller to call (a build: in a thread
    while the site is built; the live preview: once the new site is served), rather than before
    the next language is rendered and the call returns (a language rendered in a forked worker
    stores its own)."""
    t0 = time.perf_counter()
    here = os.getpid()  # this process, not a forked worker
    jobs = default_jobs() if jobs is None else jobs
    plan_seconds = 0.0

    def planned(corpus: Corpus) -> tuple[list[Page], Renderer, Inputs, Answers]:
        nonlocal plan_seconds
        start = time.perf_counter()
        pages = plan_pages(corpus)
        changed = last_changed_dates(content)
        renderer = Renderer(corpus, templates, site_url, changed=changed)
        # everything a page depends on besides what it reads of the corpus goes into the global digest
        extra = (f"site_url {renderer.site_url}\ndigits {renderer.digits}\ntoday {renderer.today.isoformat()}\n"
                 f"changed {sorted(changed.items())!r}")
        inputs = Inputs.of(corpus, templates, extra)
        renderer.text_owners = inputs.owners
        answers = Answers(corpus, inputs.structs, renderer.figures)  # the recorded queries, asked of this corpus
        plan_seconds = time.perf_counter() - start
        return pages, renderer, inputs, answers

    # the plan is made while the checks that only report run in a forked child (with a second CPU)
    checked, (pages, renderer, inputs, answers) = load_and_check_beside(
        content, planned, strict=strict, fork=jobs > 1)
    t2 = time.perf_counter()
    timings("load+check", t2 - t0 - plan_seconds)
    timings("plan", plan_seconds)
    on_checked()
    corpus = checked.corpus
    kept = reused_cache()
    reused = (f" ({kept.read} of {kept.read + kept.reused} content files read, the others as loaded before)"
              if kept is not None and kept.reused else "")
    progress(f"checked {len(corpus.meetings)} meetings, {len(corpus.statements)} statements{reused}")

    if not reuse:  # the maps and pieces of a build before: of no use, and no longer true once writing starts
        for lang in LANGS:
            PageDeps.file(docs_root, lang).unlink(missing_ok=True)
            PieceMap.file(docs_root, lang).unlink(missing_ok=True)

    def one_language(lang: str, ready: Ready) -> WriteReport:
        """Render and write one language, with its other files (figures, feed; the default
        language also carries the language-independent exports, at the site root); ``ready(lang)``
        once its Markdown is all written, before its map and pieces are stored for the next build
        (the site tool need not wait for those); before that, in a clean render and when asked
        (``on_pages``), ``ready(lang, pending)`` once its pages are written."""
        mine = [p for p in pages if p.lang == lang]
        folder = docs_root / lang
        # the figures' files are in the map too (the figure_files producer, one file at a time), and
        # so are the other producers' files given lazily (exports, feeds, per-meeting JSON…)
        figures = renderer.figures
        before = PageDeps.take(docs_root, lang) if reuse else None
        # the other producers' files given as a RecordedFile (per-meeting exports) are made from the
        # recorded view of the corpus the pages use, and record their own reads; the whole-corpus
        # files are made in pieces, each keyed piece recording its reads; any other lazy file is
        # recorded as reading the whole corpus's structure (ids, references, dates…: the query
        # ("corpus",)), so a structural edit makes it again and only a text edit is selective for it
        structure_kept = (before is not None and before.global_digest == inputs.global_digest
                          and same_structure(before, answers))
        if structure_kept and before is not None:
            # which subjects have a figure follows from the global inputs and the corpus's structure
            # alone: while they are the same, those the previous build drew (no need to work out the
            # data of every figure)
            subjects = {path: s for s in figures.candidates() if (path := figures.path(*s)) in before.pages}
        else:
            subjects = {figures.path(*s): s for s in figures.subjects()}
        ctx = Context(corpus, lang, site_url, templates, renderer.figures)
        others = [f for produce in PRODUCERS if produce is not figure_files for f in produce(ctx)]
        lazy = [path for path, content in others if not isinstance(content, str)]
        pieced = {path: p for make in PIECED for path, p in make(ctx).items()}
        old_pieces = PieceMap.take(docs_root, lang) if reuse else PieceMap()
        plan = ({p.path: plan_digest(p) for p in mine} | {path: plan_digest(s) for path, s in subjects.items()}
                | {path: plan_digest(path) for path in lazy})
        todo = pages_to_render(before, inputs, plan, folder, answers) if reuse else None
        if todo is not None:
            progress(f"{lang}: {len(todo & {p.path for p in mine})} of {len(mine)} pages reached by the edit "
                     f"(dependency map), {len(todo & subjects.keys())} of {len(subjects)} figures, "
                     f"{len(todo & set(lazy))} of {len(lazy)} other files")
        changed = None  # the ids whose text changed (None: every piece made again)
        # after a structural edit: whether one of some queries answers differently now (None: the
        # structure is the same, no query does)
        stale: Callable[[Iterable[tuple]], bool] | None = None
        if todo is not None and before is not None:
            changed = {i for i, d in inputs.texts.items() if before.texts.get(i) != d} | (before.texts.keys() - inputs.texts.keys())
            if not structure_kept:
                asked = dict(zip(before.keys, before.answers))
                stale = lambda queries: any(asked.get(q) != answers.digest(q) for q in queries)  # noqa: E731
        built = MapBuilder(before if todo is not None else None, answers)  # each file's reads, as it is written
        new_pieces = PieceMap()
        kept = [p for p in [p.path for p in mine] + list(subjects) if todo is not None and p not in todo]
        for path in lazy:
            if todo is None or path in todo:
                continue
            if path in pieced:  # kept only with its pieces, and while they are the same set
                old = old_pieces.files.get(path)
                if old is None or {p[1] for p in old.pieces if p[1] is not None} != pieced[path].keys():
                    continue
                new_pieces.files[path] = old
            kept.append(path)
        skip = set(kept)

        def figure_svgs() -> Iterator[tuple[str, str]]:
            for path, (fig, kind, ident) in subjects.items():
                if todo is None or path in todo:
                    with Recording(inputs.owners) as read:
                        note_id(ident)
                        svg = figures.svg(fig, kind, ident, lang)
                    built.add(path, plan[path], read.ids, read.queries)
                    yield path, svg

        def recorded(path: str, chunks: Iterable[str]) -> Iterator[str]:
            with Recording(inputs.owners) as read:
                if not isinstance(chunks, RecordedFile):
                    note_query(WHOLE)
                yield from chunks
            built.add(path, plan[path], read.ids, read.queries)

        def in_pieces(path: str) -> Iterator[str]:
            out = new_pieces.files[path] = FilePieces()
            yield from remake(pieced[path], lambda: Recording(inputs.owners), out, old=old_pieces.files.get(path),
                              old_file=folder / path, changed=changed, stale=stale)
            # the frame lists every id: made again after any structural edit (WHOLE); the keyed
            # pieces' queries are stored with the map, to judge each piece by them next time
            built.add(path, plan[path], out.ids(), [WHOLE, *out.queries()])

        def other_files() -> Iterator[tuple[str, str | Iterable[str]]]:
            for path, content in others:
                if isinstance(content, str):
                    yield path, content  # made already: written on every build
                elif path not in skip:
                    yield path, in_pieces(path) if path in pieced else recorded(path, content)

        def rendered() -> Iterator[tuple[str, str]]:
            """Streamed: each page is written as soon as it is rendered, never all held at once."""
            for p in mine:
                if todo is None or p.path in todo:
                    text = renderer.render(p)
                    read = renderer.deps.pop((lang, p.path))
                    built.add(p.path, plan[p.path], read.ids, read.queries)
                    yield p.path, text

        early_removed = 0

        def pages_first() -> Iterator[tuple[str, str]]:
            """The pages; then, in a clean render, word that they are written, with what is still to come."""
            nonlocal early_removed
            yield from rendered()
            if todo is None and on_pages is not None:
                pending = [*subjects, *(path for path, _ in others)]
                # a file of an earlier build that this one does not write is gone before the site tool lists the folder
                early_removed = prune(folder, {*kept_paths(folder, [p.path for p in mine]), *kept_paths(folder, pending)})
                ready(lang, pending)

        # the other files too, one producer at a time (figures, exports, feeds…): each file is
        # written and let go before the next one is made
        prepare_root(folder)
        written, unchanged, paths = write_files(folder, itertools.chain(pages_first(), figure_svgs(), other_files()))
        if before is not None and todo is not None:  # the files kept as they were keep what they read
            for path in kept:
                if path in before.pages:
                    built.keep(path)
        removed = early_removed + prune(folder, {*paths, *kept_paths(folder, kept)})
        report = WriteReport(written, unchanged + len(kept), removed)
        progress(f"{lang}: {len(mine)} pages ({written} written, {report.unchanged} unchanged, {removed} removed)")
        ready(lang)
        manifest = site_manifest(folder)

        def store() -> None:
            built.finish(inputs.global_digest, inputs.texts, manifest).write(docs_root, lang)
            new_pieces.write(docs_root, lang)

        if after is not None and os.getpid() == here:
            after.append(store)
        else:
            store()
        return report

    # The loaded corpus lives until the end: keep the cyclic GC from walking it again and again
    # while pages are rendered (each full collection costs time in proportion to the archive, so
    # rendering would grow faster than N), and from touching its pages in the forked worker.
    gc.freeze()
    try:
        reports = per_language(one_language, list(LANGS), jobs, on_language, on_pages or (lambda _lang, _pending: None))
    finally:
        gc.unfreeze()  # a long-lived process (mkdocs serve) can free this corpus later
    timings("render+write", time.perf_counter() - t2)
    seconds = time.perf_counter() - t0
    progress(f"generated {len(pages)} pages in {seconds:.1f}s")
    return Generated(corpus, len(pages), reports, checked.warnings, seconds)


class Ready(Protocol):
    """``ready(lang)``: the language's Markdown is all written; ``ready(lang, pending)``: its pages
    are, and ``pending`` (paths) are still to be written."""

    def __call__(self, lang: str, pending: list[str] | None = None) -> None: ...


Job = Callable[[str, Ready], WriteReport]


def _worker(job: Job, langs: list[str], conn: Any) -> None:
    """In the forked worker: ``job(lang, ready)`` for each language; ``ready(lang)`` sends word
    that the language's Markdown is written (``ok`` None), ``ready(lang, pending)`` that its pages
    are (``ok`` None, the pending paths), then the result (or the error) is sent back as soon as
    it is made."""
    def ready(lang: str, pending: list[str] | None = None) -> None:
        conn.send((lang, None, pending))

    try:
        for lang in langs:
            try:
                result: tuple[str, bool, Any] = (lang, True, job(lang, ready))
            except BaseException as exc:  # noqa: BLE001 - raised again in the parent
                result = (lang, False, exc)
            try:
                conn.send(result)
            except Exception as exc:  # an error that cannot be pickled: its message then
                conn.send((lang, False, FactsheetsError(f"{type(result[2]).__name__}: {result[2]} ({exc})")))
            if not result[1]:
                return
    finally:
        conn.close()


def per_language(job: Job, langs: list[str], jobs: int,
                 on_done: Callable[[str], None] = lambda _lang: None,
                 on_pages: Callable[[str, list[str]], None] = lambda _lang, _pending: None) -> dict[str, WriteReport]:
    """``job(lang, ready)`` for each language: the first here, the others in one forked worker
    when there are CPUs to spare; ``on_done(lang)`` once for each, as soon as the job calls
    ``ready(lang)`` (or when it ends, if it does not); ``on_pages(lang, pending)`` when it calls
    ``ready(lang, pending)``. Forking is skipped where it is unsafe (no
    fork, or other threads running, as in ``mkdocs serve``); an error in the worker is raised here
    as it would be in this process. The worker gets ``job`` by the fork itself (nothing is pickled
    on the way there, so it may be a closure over the loaded corpus); only the write reports come
    back."""
    signalled: set[str] = set()

    def done(lang: str, pending: list[str] | None = None) -> None:
        if pending is not None:
            if lang not in signalled:
                on_pages(lang, pending)
            return
        if lang not in signalled:
            signalled.add(lang)
            on_done(lang)

    if jobs < 2 or len(langs) < 2 or not can_fork():
        reports = {}
        for lang in langs:
            reports[lang] = job(lang, done)
            done(lang)
        return reports
    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)
    worker = fork.Process(target=_worker, args=(job, langs[1:], send), daemon=True)
    worker.start()
    send.close()
    results: dict[str, tuple[bool, Any]] = {}

    def listen() -> None:  # on_done(lang) as soon as the worker has written that language
        try:
            while len(results) < len(langs) - 1:
                lang, ok, payload = receive.recv()
                if ok is None:
                    done(lang, payload)
                    continue
                results[lang] = (ok, payload)
                if not ok:
                    return
                done(lang)
        except (EOFError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 - sent, but not to be unpickled here (an error whose class takes other arguments)
            lang = next(lang for lang in langs[1:] if lang not in results)
            results[lang] = (False, FactsheetsError(f"the worker rendering {lang} failed with an error that could not "
                                                    f"be read back: {type(exc).__name__}: {exc}"))

    listener = threading.Thread(target=listen, name="factsheets-render-worker", daemon=True)
    listener.start()
    try:
        reports = {langs[0]: job(langs[0], done)}
        done(langs[0])
        listener.join()
    except BaseException:
        worker.kill()
        raise
    finally:
        worker.join()
        listener.join()
        receive.close()
    for lang in langs[1:]:
        ok, payload = results.get(lang, (False, FactsheetsError(
            f"the worker rendering {lang} stopped without a result (exit status {worker.exitcode})")))
        if not ok:
            raise payload
        reports[lang] = payload
    return {lang: reports[lang] for lang in langs}
