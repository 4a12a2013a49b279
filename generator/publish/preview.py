"""Live preview: ``factsheets serve --watch``.

Watches ``content/``, ``templates/``, ``overrides/`` and the configuration file by polling
(modification time, size and inode of every file, every ~0.3 s; no dependency), waits until a
burst of saves is over (an editor's temporary file, rename and backup make one save, one
rebuild), and rebuilds through the same code path as ``factsheets build`` — whichever builder
is configured (MkDocs, ProperDocs, Zensical): no MkDocs hook is involved.

The site is served on 127.0.0.1 from the last good build. When a build fails, every page
request gets an error page instead, in the page's language (Arabic under ``/``, English under
``/en/``), listing the diagnostics with their hints; the next good build brings the site back.
Every HTML response gets a tiny script that polls ``/__factsheets/version`` and reloads the page
when a build has finished. The script is added when the page is served, never written into the
built site on disk.

A preview build is the incremental build of ``factsheets build`` with two differences that keep
an edit's way to the browser short at 1,000 meetings (issue 22): the content files whose
(mtime, size, inode) did not change are not read and parsed again (the previous load is kept in
memory: :class:`generator.core.loader.FileCache`), and Pagefind does not run before the pages are
served. The previous search index is served meanwhile, and Pagefind re-indexes the shards of the
index whose pages changed (the build's shards, :mod:`generator.publish.search`) in the background
once the edited pages are up (:class:`SearchIndexer`); the console says so, and so does the search box of
open pages until the index is up to date. ``factsheets build`` always indexes before swapping.
"""

from __future__ import annotations

import html
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.errors import (ContentError, Diagnostic, FactsheetsError, Severity, UsageError, format_report,
                              terminal_safe)
from generator.core.loader import FileCache, is_litter, reusing

VERSION_PATH = "/__factsheets/version"
POLL_INTERVAL = 0.3   # seconds between two looks at the watched files
QUIET = 0.3           # a burst of saves is over once nothing changed for this long (MkDocs' own serve
                      # waits 0.1 s; an editor's save is one rename, a checkout a short burst)

#: The catalog keys of the preview pages, with English fallbacks (used when the project's
#: catalog cannot be read, e.g. while templates/i18n/*.yaml itself is broken).
FALLBACK_TEXT = {
    "dir": "ltr",
    "preview_error_title": "The site could not be built",
    "preview_error_intro": "Fix the problems below and save: this page reloads by itself once the site builds.",
    "preview_error_count": "Problems found",
    "preview_building_title": "Building the site…",
    "preview_building_intro": "This page reloads by itself once the site is built.",
}

#: Shown in the search box of served pages while the search index is older than the pages.
SEARCH_PENDING = {"ar": "البحث: الفهرس قيد التحديث…", "en": "Search: the index is being updated…"}


def is_editor_litter(name: str) -> bool:
    """Files editors and systems write beside the real ones: Emacs locks and autosaves
    (``.#x``, ``#x#``), backups (``x~``), Vim swap files and its write test (``4913``), JetBrains'
    safe-write copies, any hidden file. A change to one of them never triggers a rebuild."""
    return (is_litter(name) or name.endswith((".swx", ".swpx", ".tmp", "___jb_tmp___", "___jb_old___"))
            or name == "4913")


Snapshot = dict[str, tuple[int, int, int]]


def snapshot(roots: Iterable[Path]) -> Snapshot:
    """(mtime, size, inode) of every watched file under ``roots`` (files or folders), litter
    and hidden folders left out. Files that vanish while being looked at are skipped."""
    seen: Snapshot = {}

    def add(path: Path) -> None:
        try:
            st = path.stat()
        except OSError:
            return
        seen[str(path)] = (st.st_mtime_ns, st.st_size, st.st_ino)

    for root in roots:
        if root.is_file():
            add(root)
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not is_editor_litter(d))
            for name in files:
                if not is_editor_litter(name):
                    add(Path(folder) / name)
    return seen


def changed_paths(before: Snapshot, after: Snapshot) -> list[str]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


class Watcher:
    """Polls ``roots``; :meth:`wait` returns once a burst of changes is over."""

    def __init__(self, roots: Sequence[Path], interval: float = POLL_INTERVAL, quiet: float = QUIET):
        self.roots, self.interval, self.quiet = list(roots), interval, quiet
        self.last = snapshot(self.roots)

    def wait(self, stop: threading.Event) -> list[str] | None:
        """Block until files changed and then stayed unchanged for ``quiet`` seconds; return the
        changed paths (against the previous call), or None when ``stop`` is set."""
        current = self.last
        while not stop.wait(self.interval):
            current = snapshot(self.roots)
            if current != self.last:
                break
        else:
            return None
        settled_at = time.monotonic()
        while time.monotonic() - settled_at < self.quiet:
            if stop.wait(self.interval):
                return None
            newer = snapshot(self.roots)
            if newer != current:
                current, settled_at = newer, time.monotonic()
        changes = changed_paths(self.last, current)
        self.last = current
        return changes


@dataclass
class State:
    """What the server shows: bumped ``version`` after every finished build, good or not."""

    version: int = 0
    builds: int = 0
    ok: bool | None = None              # None: the first build is still running
    diagnostics: list[Diagnostic] = field(default_factory=list)
    message: str | None = None          # a failure that is not about content (builder, templates…)
    search: str = "ready"               # "ready", or "pending" while the search index is older than the pages


def _catalog(templates: Path, lang: str) -> dict[str, str]:
    """The preview's strings from the language's catalog (templates/i18n/LANG.yaml), read here
    with PyYAML alone (the page must show even while the rest of the generator is broken)."""
    import yaml

    text = dict(FALLBACK_TEXT)
    try:
        with open(templates / "i18n" / f"{lang}.yaml", encoding="utf-8") as fh:
            catalog = yaml.safe_load(fh)
    except (OSError, ValueError, yaml.YAMLError):  # a broken catalog is itself what the error page reports
        return text
    if isinstance(catalog, dict):
        text.update({k: v for k, v in catalog.items() if k in FALLBACK_TEXT and isinstance(v, str)})
    return text


def reload_script(version: int, lang: str = "ar") -> str:
    """The script added to served pages: poll the version, reload once it moved on; while the
    search index is being rebuilt (``search`` is not "ready"), the search boxes say so."""
    return ("<script>/* factsheets serve --watch */(function(){var v=%d;var m=%s;function q(s){"
            "document.querySelectorAll('input.fs-search-input,input.pagefind-ui__search-input').forEach(function(i){"
            "if(!i.hasAttribute('data-fs-ph')){i.setAttribute('data-fs-ph',i.placeholder||'')}"
            "i.placeholder=s.search==='ready'?i.getAttribute('data-fs-ph'):m})}function p(){"
            "fetch('%s',{cache:'no-store'}).then(function(r){return r.json()}).then(function(s){"
            "if(s.version!==v){location.reload()}else{q(s);setTimeout(p,400)}}).catch(function(){setTimeout(p,1000)})}"
            "setTimeout(p,400)})();</script>" % (version, json.dumps(SEARCH_PENDING.get(lang, SEARCH_PENDING["en"])),
                                                 VERSION_PATH))


def inject(page: bytes, version: int, lang: str = "ar") -> bytes:
    script = reload_script(version, lang).encode()
    at = page.lower().rfind(b"</body>")
    return page[:at] + script + page[at:] if at >= 0 else page + script


_STYLE = ("body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;line-height:1.6}"
          "h1{color:#b00020}.diag{border:1px solid #ccc;border-inline-start:4px solid #b00020;padding:.5rem .75rem;"
          "margin:.75rem 0;background:#fafafa}.diag.warning{border-inline-start-color:#b26a00}"
          ".diag code{white-space:pre-wrap;word-break:break-word;font-size:.95rem}.hint{color:#333;margin-top:.25rem}"
          "pre{white-space:pre-wrap;background:#fafafa;border:1px solid #ccc;padding:.75rem}")


def _page(lang: str, text: dict[str, str], title: str, body: str, version: int) -> bytes:
    direction = "rtl" if text.get("dir") == "rtl" else "ltr"
    return ("<!doctype html>\n"
            f'<html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
            f'<body><main id="factsheets-preview">{body}</main>{reload_script(version, lang)}</body></html>\n').encode()


def error_page(lang: str, text: dict[str, str], state: State) -> bytes:
    """The page served instead of the site while the last build failed."""
    items = []
    for d in sorted(state.diagnostics, key=Diagnostic.sort_key):
        head = terminal_safe(f"{d.path}:{d.line}:{d.col}: {d.severity.value}[{d.code}]: {d.message}")
        hint = (f'<div class="hint" dir="ltr">= hint: <bdi>{html.escape(terminal_safe(d.hint))}</bdi></div>'
                if d.hint else "")
        items.append(f'<li class="diag {d.severity.value}" dir="ltr"><code>{html.escape(head)}</code>{hint}</li>')
    listing = (f'<h2>{html.escape(text["preview_error_count"])}: {len(state.diagnostics)}</h2>'
               f'<ol class="diagnostics" dir="ltr">{"".join(items)}</ol>' if items else "")
    other = f'<pre dir="ltr">{html.escape(terminal_safe(state.message))}</pre>' if state.message else ""
    body = (f'<h1>{html.escape(text["preview_error_title"])}</h1>'
            f'<p>{html.escape(text["preview_error_intro"])}</p>{listing}{other}')
    return _page(lang, text, text["preview_error_title"], body, state.version)


def building_page(lang: str, text: dict[str, str], version: int) -> bytes:
    body = (f'<h1>{html.escape(text["preview_building_title"])}</h1>'
            f'<p>{html.escape(text["preview_building_intro"])}</p>')
    return _page(lang, text, text["preview_building_title"], body, version)


def lang_of(url_path: str) -> str:
    return "en" if url_path == "/en" or url_path.startswith("/en/") else "ar"


def is_page_request(url_path: str) -> bool:
    """A request for a page (not for an asset): a folder URL or an .html file."""
    last = url_path.rsplit("/", 1)[-1]
    return url_path.endswith("/") or last.endswith(".html") or "." not in last


Builder = Callable[[], object]


class Preview:
    """Builds, watches and serves. ``build_once`` raises ContentError/FactsheetsError like
    ``factsheets build``; everything else it raises is reported as an unexpected failure. What it
    returns, when it is a string, is logged after the build time (the stage times).

    ``indexer`` (optional): the search index built after the pages are served; stopped before
    the next build starts, started again after every good build."""

    def __init__(self, site_dir: Path, templates: Path, watched: Sequence[Path], build_once: Builder,
                 log: Callable[[str], None] = lambda _msg: None, interval: float = POLL_INTERVAL,
                 quiet: float = QUIET, indexer: SearchIndexer | None = None):
        self.site_dir, self.templates, self.build_once, self.log = site_dir, templates, build_once, log
        self.indexer = indexer
        if isinstance(build_once, ProjectBuild):
            build_once.on_swapped = self._swapped
        self._served: int | None = None  # the build whose pages are served before it has finished
        self._started = 0.0
        self.watcher = Watcher(watched, interval, quiet)
        self.state = State()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.server: http.server.ThreadingHTTPServer | None = None

    # -- building ---------------------------------------------------------------------------
    def rebuild(self, changes: Sequence[str] = ()) -> State:
        with self.lock:
            number = self.state.builds + 1
        if changes:
            shown = ", ".join(os.path.relpath(p) for p in changes[:5]) + (" …" if len(changes) > 5 else "")
            self.log(f"changed: {shown}")
        if self.indexer is not None:
            self.indexer.cancel()  # the build replaces the site it reads; it runs again after the build
        t0 = self._started = time.perf_counter()
        ok, diagnostics, message, detail = True, [], None, None
        try:
            detail = self.build_once()
        except ContentError as exc:
            ok, diagnostics = False, exc.diagnostics
        except FactsheetsError as exc:
            ok, message = False, str(exc)
        except Exception as exc:  # noqa: BLE001 - the preview keeps running and shows what broke
            ok, message = False, f"unexpected failure: {type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - t0
        indexing = ok and self.indexer is not None
        with self.lock:
            if not (ok and self._served == number):  # else already published by _swapped
                search = "pending" if indexing else ("ready" if ok else self.state.search)
                self.state = State(self.state.version + 1, number, ok, list(diagnostics), message, search)
            state = self.state
        if ok:
            self.log(f"build #{number} done in {seconds:.1f}s" + (f" ({detail})" if isinstance(detail, str) else ""))
            if indexing and self.indexer is not None:
                self.log("search index: not rebuilt before serving; re-indexing the changed shards in the "
                         "background, search shows the previous index until then")
                self.indexer.start(self._search_done)
        else:
            errors = sum(d.severity is Severity.ERROR for d in diagnostics)
            self.log(f"build #{number} failed in {seconds:.1f}s"
                     + (f": {errors} error(s) in content" if diagnostics else "")
                     + "; the browser shows the problems")
            if diagnostics:
                print(format_report(diagnostics), file=sys.stderr, flush=True)
            if message:
                print(f"error: {message}", file=sys.stderr, flush=True)
        if isinstance(self.build_once, ProjectBuild):  # after the indexing started: search is not delayed by it
            try:
                self.build_once.store()
            except Exception as exc:  # noqa: BLE001 - the preview keeps running; the next build renders every page
                self.log(f"the dependency map was not stored ({type(exc).__name__}: {exc}); "
                         "the next build renders every page")
        return state

    def _swapped(self) -> None:
        """From within a build: its site is in place; serve it now (the pages reload) while the
        build removes the previous site and writes its state."""
        with self.lock:
            number = self.state.builds + 1
            search = "pending" if self.indexer is not None else "ready"
            self.state = State(self.state.version + 1, number, True, [], None, search)
            self._served = number
        self.log(f"build #{number}: pages served after {time.perf_counter() - self._started:.1f}s")

    def _search_done(self, ok: bool, message: str) -> None:
        """From the indexer's thread: the index is up to date with the pages served (or not)."""
        with self.lock:
            if ok:
                self.state = State(self.state.version, self.state.builds, self.state.ok, self.state.diagnostics,
                                   self.state.message, "ready")
        self.log(message)

    def watch_forever(self) -> None:
        """Build once, then once per burst of changes, until :attr:`stop` is set."""
        self.rebuild()
        while not self.stop.is_set():
            changes = self.watcher.wait(self.stop)
            if changes is None:
                return
            self.rebuild(changes)

    # -- serving ----------------------------------------------------------------------------
    def current(self) -> State:
        with self.lock:
            return self.state

    def start_server(self, port: int) -> str:
        handler = _handler_for(self)
        try:
            self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError as exc:
            raise UsageError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc} (pick another --port, "
                             "or 0 for any free one)") from None
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, name="factsheets-preview-http", daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.stop.set()
        if self.indexer is not None:
            self.indexer.cancel()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def _handler_for(preview: Preview) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(preview.site_dir), **kwargs)

        def log_message(self, *args: object) -> None:  # the terminal is for build news
            pass

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def _send(self, body: bytes, status: int = 200, ctype: str = "text/html; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            url_path = unquote(urlsplit(self.path).path)
            state = preview.current()  # read before the file: a newer page with an older version only reloads once more
            if url_path == VERSION_PATH:
                body = json.dumps({"version": state.version, "builds": state.builds, "ok": state.ok,
                                   "search": state.search}).encode()
                return self._send(body, ctype="application/json")
            lang = lang_of(url_path)
            if is_page_request(url_path):
                if state.ok is False:
                    return self._send(error_page(lang, _catalog(preview.templates, lang), state), 500)
                if not (preview.site_dir / "index.html").is_file():  # nothing built yet
                    return self._send(building_page(lang, _catalog(preview.templates, lang), state.version), 503)
                target = Path(self.translate_path(self.path))
                if target.is_dir():
                    if not url_path.endswith("/"):
                        return super().do_GET()  # the usual redirect to the folder URL
                    target = target / "index.html"
                if target.suffix == ".html" or not target.exists():
                    status = 200
                    if not target.is_file():
                        status, target = 404, preview.site_dir / ("en/404.html" if lang == "en" else "404.html")
                    try:
                        page = target.read_bytes()
                    except OSError:
                        page, status = b"<!doctype html><title>404</title><h1>404</h1>", 404
                    return self._send(inject(page, state.version, lang), status)
            return super().do_GET()

    return Handler


def project_build(project, *, builder: str | None = None, strict: bool = False,
                  progress: Callable[[str], None] = lambda _msg: None) -> Builder:
    """One preview build of ``project`` (a :class:`generator.publish.site.Project`) through
    :func:`generator.build.build`, the code path of ``factsheets build`` (incremental when it can
    be), with two differences: only the content files changed since the previous build of this
    process are read again (:class:`generator.core.loader.FileCache`), and no search index is built
    (``search=False``: :class:`SearchIndexer` does that once the pages are served); the pages are
    served as soon as the new site is in place (the previous one is removed after). Returns the
    files read and the stage times, for the log."""
    return ProjectBuild(project, builder, strict, progress)


class ProjectBuild:
    """See :func:`project_build`. ``on_swapped`` (set by :class:`Preview`) is called as soon as
    the new site is in place, before the build has removed the previous one."""

    def __init__(self, project, builder: str | None, strict: bool, progress: Callable[[str], None]):
        self.project, self.builder, self.strict, self.progress = project, builder, strict, progress
        from generator.publish.incremental import DigestCache

        self.cache = FileCache()
        self.digests = DigestCache()  # the Markdown files' digests, re-hashed only where they changed
        self.on_swapped: Callable[[], None] = lambda: None
        self.pending: list[Callable[[], None]] = []  # the last build's maps and pieces, not stored yet

    def store(self) -> None:
        """Store what the next build reuses of the last one (its dependency map and pieces): called
        by the preview once the pages are served and the search indexing started, or the build failed."""
        pending, self.pending = self.pending, []
        with reusing(self.cache):
            for store in pending:
                store()

    def _timings(self, stage: str, _seconds: float) -> None:
        if stage == "swap":
            self.on_swapped()

    def __call__(self) -> str:
        from generator.build import build

        self.store()  # (a caller that did not: stored before the next build reads them)
        with reusing(self.cache):
            result = build(self.project, strict=self.strict, builder=self.builder, progress=self.progress,
                           timings=self._timings, search=False, docs_cache=self.digests, after=self.pending)
        if result.warnings:
            print(format_report(result.warnings), file=sys.stderr, flush=True)
        stages = ", ".join(f"{k} {v:.2f}s" for k, v in result.seconds.items() if k != "search")
        return f"{self.cache.read} content file(s) read, {self.cache.reused} reused; {stages}"


class SearchIndexer:
    """Pagefind over the site being served, in the background, after a preview build (which
    keeps the previous index): the pages of each shard whose pages changed since its bundle was
    made (:mod:`generator.publish.search`) are hard-linked into a work folder (so a later build
    swapping the site in cannot change what is indexed), indexed there, and the new bundles
    replace theirs in the served site. The state of the incremental build is then
    updated to the site as it is (else the next build would find the site changed by hand and
    build clean). Only the site built by the build that started the indexing is touched: a
    site swapped in since (by another build) is left alone."""

    def __init__(self, project) -> None:
        self.project = project
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._procs: list[subprocess.Popen[str]] = []
        self._procs_lock = threading.Lock()

    def start(self, done: Callable[[bool, str], None]) -> None:
        self.cancel()
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(self._cancel, done), name="factsheets-preview-search",
                                        daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Stop an indexing under way (its Pagefind processes too) and wait for its thread."""
        self._cancel.set()
        with self._procs_lock:
            for proc in self._procs:
                if proc.poll() is None:
                    try:
                        if os.name == "posix":
                            os.killpg(proc.pid, signal.SIGKILL)  # Pagefind and anything it started
                        else:  # pragma: no cover
                            proc.kill()
                    except OSError:
                        pass
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self, cancel: threading.Event, done: Callable[[bool, str], None]) -> None:
        try:
            ok, message = self._index(cancel)
        except (OSError, FactsheetsError) as exc:
            ok, message = False, f"search index not updated: {exc}"
        if not cancel.is_set():
            done(ok, message)

    def _index(self, cancel: threading.Event) -> tuple[bool, str]:
        import tempfile

        from generator.publish import search as search_index
        from generator.publish.incremental import State, site_manifest
        from generator import urls
        from generator.render.plan import LANGS
        from generator.publish.site import (WORK_MARK, WorkMark, build_lock, process_start, read_site_mark, remove_tree,
                                            start_logged, wait_pagefind)

        t0 = time.perf_counter()
        project = self.project
        site = project.site_dir(project.base_config())
        mark = read_site_mark(site)
        token = mark.get("build") if mark else None
        if not token:
            return False, "search index not updated: the served site has no build mark"
        state = State.read(project.build)
        before = state.search if state is not None and state.token == token else {}
        work = Path(tempfile.mkdtemp(prefix=".site-", dir=site.parent))  # swept like a build's if we are killed
        me = (os.getpid(), process_start(os.getpid()))

        def start(cmd: list[str]) -> subprocess.Popen[str]:
            with self._procs_lock:
                if cancel.is_set():
                    raise _Cancelled
                proc = start_logged(cmd, own_group=True)
                self._procs.append(proc)
                groups = tuple((p.pid, process_start(p.pid)) for p in self._procs)
                (work / WORK_MARK).write_text(WorkMark(me, groups).text(), encoding="utf-8")
            return proc

        def wait(proc: subprocess.Popen[str], what: str) -> None:
            if cancel.is_set():
                raise _Cancelled
            wait_pagefind(proc, what)

        try:
            # the same shards as a build's: only those whose pages changed since their bundle was made
            plans = {lang: search_index.Plan.make(lang, site / urls.lang_prefix(lang), urls.nested_langs(lang),
                                                  before.get(lang), site / urls.lang_prefix(lang)) for lang in LANGS}
            indexer = search_index.Indexer(start, wait)
            for lang, plan in plans.items():
                indexer.add(plan, work, work / f"out-{lang}")
            try:
                while not indexer.poll():
                    if cancel.is_set():
                        return False, "search index: cancelled"
                    time.sleep(0.05)
            except _Cancelled:
                return False, "search index: cancelled"
            except FactsheetsError as exc:
                return False, f"search index not updated: {exc}"
            with build_lock(project):
                state = State.read(project.build)
                now = read_site_mark(site)
                if cancel.is_set() or not now or now.get("build") != token or state is None or state.token != token:
                    return False, "search index: the site changed meanwhile; not updated"
                for lang, plan in plans.items():
                    root = site / urls.lang_prefix(lang)
                    old = (before.get(lang) or {}).get("shards") or []
                    if len(old) != len(plan.shards) and (root / search_index.SHARDS).exists():
                        os.replace(root / search_index.SHARDS, work / f"old-{lang}-shards")  # another count: all new
                    for i in plan.stale:
                        bundle = root / search_index.bundle_dir(i)
                        if bundle.exists():
                            os.replace(bundle, work / f"old-{lang}-{i:02d}")
                        bundle.parent.mkdir(parents=True, exist_ok=True)
                        os.replace(work / f"out-{lang}" / search_index.bundle_dir(i), bundle)
                    search_index.write_manifest(root, len(plan.shards), plan.shards)
                    state.search[lang] = plan.state()
                state.site = site_manifest(site)
                state.write(project.build)
        finally:
            with self._procs_lock:
                self._procs = []
            # a copy of the changed shards' pages: removed aside, so that a save waiting for cancel() does
            # not wait for it (its mark names this process: no build removes it while we run)
            threading.Thread(target=remove_tree, args=(work,), name="factsheets-preview-cleanup", daemon=True).start()
        detail = "; ".join(f"{lang}: {len(p.stale)} of {len(p.shards)} shard(s) indexed again" for lang, p in plans.items())
        return True, f"search index updated in {time.perf_counter() - t0:.1f}s ({detail})"


class _Cancelled(Exception):
    """The background indexing was cancelled (a new save)."""


def watched_paths(project) -> list[Path]:
    """content/, templates/, the theme overrides (custom_dir) and the configuration file."""
    try:
        overrides = project.overrides(project.base_config())
    except FactsheetsError:  # a broken mkdocs.yml: the build reports it; watch the usual folder
        overrides = project.root / "overrides"
    return [project.content, project.templates, Path(overrides), project.config_file]
