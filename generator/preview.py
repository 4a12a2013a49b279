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
"""

from __future__ import annotations

import html
import http.server
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.errors import (ContentError, Diagnostic, FactsheetsError, Severity, UsageError, format_report,
                              terminal_safe)
from generator.loader import is_litter

VERSION_PATH = "/__factsheets/version"
POLL_INTERVAL = 0.3   # seconds between two looks at the watched files
QUIET = 0.6           # a burst of saves is over once nothing changed for this long

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


def reload_script(version: int) -> str:
    """The script added to served pages: poll the version, reload once it moved on."""
    return ("<script>/* factsheets serve --watch */(function(){var v=%d;function p(){"
            "fetch('%s',{cache:'no-store'}).then(function(r){return r.json()}).then(function(s){"
            "if(s.version!==v){location.reload()}else{setTimeout(p,400)}}).catch(function(){setTimeout(p,1000)})}"
            "setTimeout(p,400)})();</script>" % (version, VERSION_PATH))


def inject(page: bytes, version: int) -> bytes:
    script = reload_script(version).encode()
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
            f'<body><main id="factsheets-preview">{body}</main>{reload_script(version)}</body></html>\n').encode()


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


Builder = Callable[[], int | None]


class Preview:
    """Builds, watches and serves. ``build_once`` raises ContentError/FactsheetsError like
    ``factsheets build``; everything else it raises is reported as an unexpected failure."""

    def __init__(self, site_dir: Path, templates: Path, watched: Sequence[Path], build_once: Builder,
                 log: Callable[[str], None] = lambda _msg: None, interval: float = POLL_INTERVAL,
                 quiet: float = QUIET):
        self.site_dir, self.templates, self.build_once, self.log = site_dir, templates, build_once, log
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
        t0 = time.perf_counter()
        ok, diagnostics, message = True, [], None
        try:
            self.build_once()
        except ContentError as exc:
            ok, diagnostics = False, exc.diagnostics
        except FactsheetsError as exc:
            ok, message = False, str(exc)
        except Exception as exc:  # noqa: BLE001 - the preview keeps running and shows what broke
            ok, message = False, f"unexpected failure: {type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - t0
        with self.lock:
            self.state = State(self.state.version + 1, number, ok, list(diagnostics), message)
            state = self.state
        if ok:
            self.log(f"build #{number} done in {seconds:.1f}s")
        else:
            errors = sum(d.severity is Severity.ERROR for d in diagnostics)
            self.log(f"build #{number} failed in {seconds:.1f}s"
                     + (f": {errors} error(s) in content" if diagnostics else "")
                     + "; the browser shows the problems")
            if diagnostics:
                print(format_report(diagnostics), file=sys.stderr, flush=True)
            if message:
                print(f"error: {message}", file=sys.stderr, flush=True)
        return state

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
                body = json.dumps({"version": state.version, "builds": state.builds, "ok": state.ok}).encode()
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
                    return self._send(inject(page, state.version), status)
            return super().do_GET()

    return Handler


def project_build(project, *, builder: str | None = None, strict: bool = False,
                  progress: Callable[[str], None] = lambda _msg: None) -> Builder:
    """One build of ``project`` (a :class:`generator.site.Project`) through
    :func:`generator.build.build`, the code path of ``factsheets build`` (incremental when it can
    be); returns the page count."""
    from generator.build import build

    def run() -> int | None:
        result = build(project, strict=strict, builder=builder, progress=progress)
        if result.warnings:
            print(format_report(result.warnings), file=sys.stderr, flush=True)
        return result.pages

    return run


def watched_paths(project) -> list[Path]:
    """content/, templates/, the theme overrides (custom_dir) and the configuration file."""
    try:
        overrides = project.overrides(project.base_config())
    except FactsheetsError:  # a broken mkdocs.yml: the build reports it; watch the usual folder
        overrides = project.root / "overrides"
    return [project.content, project.templates, Path(overrides), project.config_file]
