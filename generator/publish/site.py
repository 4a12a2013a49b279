"""Stage 6: turn the generated Markdown into the site.

One MkDocs process per language, run in parallel (MkDocs uses one core; this machine
class has two), each into its own folder; then the two are assembled side by side
(Arabic at the root, English under ``en/``); each language is indexed by Pagefind as soon as
its HTML is built (its bundle in ``pagefind/`` under that language's root), and the result
replaces ``site/`` in one move. A failed build leaves the
previous site untouched.

The build never deletes what it did not make: the site folder is checked first (never the
content, templates, theme overrides, build folder or the project itself, never a folder of
someone else's files), each site it builds carries a mark (``.factsheets-site``), only one build
runs per project (a lock in the build folder), and everything a build writes on the side lives in
its own work folder, whose mark names the build and the MkDocs/Pagefind processes it started.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.publish.builders import BUILDERS, Builder, choose, config_pos, docs_mirror, finish_config, mirror_docs
from generator.core.loader import display_path
from generator.errors import BuildError, ContentError, Diagnostic, diag
from generator.publish.incremental import (NOT_REUSED, DigestCache, Job, State, docs_digests, fingerprint, LinkCopy,
                                   site_manifest)
from generator.kinds import PAGE_KINDS
from generator.render.plan import DEFAULT_LANG, LANGS
from generator import urls
from generator.i18n import load_catalog
from generator import resources
from generator.publish import mkdocs_early
from generator.publish.mkdocs_job import job_command
from generator.publish import search as search_index
from generator.publish.sanitize import with_sanitizer
from generator.publish.sitemap import write_sitemaps


@dataclass(frozen=True)
class Project:
    """Where things are: the repo root and the paths derived from its mkdocs.yml."""

    root: Path
    config_file: Path
    content: Path
    templates: Path
    build: Path

    @classmethod
    def at(cls, root: Path, config_file: Path | None = None, content: Path | None = None) -> Project:
        """Without ``config_file``: the project's mkdocs.yml, or the packaged one if it has none."""
        root = root.resolve()
        if config_file is None:
            config_file = root / "mkdocs.yml"
            if not config_file.exists():
                config_file = resources.default_config()
        return cls(root, config_file if resources.is_default_config(config_file) else config_file.resolve(),
                   (content or root / "content").resolve(), root / "templates", root / "build")

    @property
    def config_dir(self) -> Path:
        """The folder the configuration's relative paths (site_dir, custom_dir) start from: the
        project's root when it runs on the packaged mkdocs.yml."""
        return self.root if resources.is_default_config(self.config_file) else self.config_file.parent

    def overrides(self, base: dict[str, Any]) -> Path:
        """The theme's custom_dir: the project's if it has one, else the packaged overrides."""
        theme = base.get("theme")
        if not isinstance(theme, dict):
            theme = {}
        return resources.overrides_dir(self.config_dir, str(theme.get("custom_dir") or "overrides"))

    @property
    def docs_root(self) -> Path:
        return self.build / "docs"

    def base_config(self) -> dict[str, Any]:
        try:
            with open(self.config_file, encoding="utf-8") as fh:
                data = yaml.safe_load(fh)
        except (OSError, yaml.YAMLError) as exc:
            raise BuildError(f"cannot read {self.config_file}: {exc}") from None
        if not isinstance(data, dict):
            raise BuildError(f"{self.config_file} is not a YAML mapping")
        return data

    def site_dir(self, base: dict[str, Any]) -> Path:
        return (self.config_dir / base.get("site_dir", "site")).resolve()

    def site_url(self, base: dict[str, Any]) -> str:
        url = os.environ.get("FACTSHEETS_SITE_URL") or base.get("site_url") or ""
        return url.rstrip("/") + "/" if url else ""

    def cname(self, base: dict[str, Any]) -> str | None:
        """Custom domain for GitHub Pages: env FACTSHEETS_CNAME, else mkdocs.yml's extra.cname."""
        value = str(os.environ.get("FACTSHEETS_CNAME") or (base.get("extra") or {}).get("cname") or "").strip()
        return value or None


def nav_for(catalog: dict[str, str]) -> list[dict[str, str]]:
    """The sidebar: sections and index pages only, so a page's size never grows with the archive.
    Each kind's index is named by its listing's catalog entry ("timeline"), else by its plural."""
    entries = [(catalog["home"], urls.HOME_MD)]
    entries += [(catalog[k.listing if k.listing != "index" else k.plural], urls.index_md(k.plural)) for k in PAGE_KINDS]
    entries += [(catalog["briefings"], urls.briefings_index_md()), (catalog["search"], urls.SEARCH_MD)]
    return [{title: path} for title, path in entries]


def language_settings(project: Project, base: dict[str, Any], lang: str) -> dict[str, Any]:
    """The settings that differ per language, applied on top of mkdocs.yml."""
    catalog = load_catalog(project.templates, lang)
    other = urls.other_lang(lang)
    other_catalog = load_catalog(project.templates, other)
    site_url = project.site_url(base)
    theme = dict(base.get("theme") or {})
    theme.update(language=lang, custom_dir=str(project.overrides(base)))
    theme["direction"] = catalog["dir"]
    extra = dict(base.get("extra") or {})
    # the two language roots (Material writes them as <link rel="alternate" hreflang> in the head)
    extra["alternate"] = [{"name": catalog["lang_name"], "link": "./", "lang": lang},
                          {"name": other_catalog["lang_name"], "link": urls.to_lang_root(lang, other), "lang": other}]
    extra["factsheets"] = {
        "lang": lang, "other_lang": other, "other_lang_name": catalog["other_lang_name"],
        "other_prefix": urls.to_lang_root(lang, other), "root_prefix": urls.to_site_root(lang),
        "other_root_url": urls.root_url(site_url, other),
        "search_placeholder": catalog["search_placeholder"], "home": catalog["home"], "short_title": catalog["short_title"],
        "timeline": catalog["timeline"], "search": catalog["search"],
        "not_found_title": catalog["not_found_title"], "not_found_text": catalog["not_found_text"],
    }
    return {
        "site_name": catalog["site_title"],
        "site_url": urls.lang_root(site_url, lang) if site_url else None,
        "docs_dir": str(project.docs_root / lang),
        "theme": theme, "nav": nav_for(catalog), "extra": extra,
    }


def write_language_config(project: Project, base: dict[str, Any], lang: str, site_dir: Path,
                          folder: Path | None = None, builder: Builder | None = None) -> Path:
    cfg = {k: v for k, v in base.items() if k != "hooks"}
    cfg.update(language_settings(project, base, lang))
    # analyst HTML (briefings) through the allow-list sanitizer, whatever mkdocs.yml says
    cfg["markdown_extensions"] = with_sanitizer(cfg.get("markdown_extensions"), cfg.get("extra"))
    cfg["site_dir"] = str(site_dir)
    if cfg["site_url"] is None:
        cfg.pop("site_url")
    path = (folder or project.build) / f"mkdocs.{lang}.yml"
    # paths relative to the configuration's folder, and the builder's own settings (generator/publish/builders.py)
    cfg = finish_config(cfg, path.parent, lang, builder)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1", **(extra or {})}


def start_logged(cmd: list[str], own_group: bool = False, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start a process whose output goes to a temporary file, not a pipe: a pipe that nobody
    reads while another build runs would fill up and stall the process writing to it.
    ``own_group``: in a process group of its own (its id is the process's), so it and anything
    it starts can be found, and stopped, as one. ``env``: added to this process's environment."""
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    group: dict[str, Any] = {"process_group": 0} if own_group and os.name == "posix" else {}
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True, env=_env(env), **group)
    proc.log = log  # type: ignore[attr-defined]
    return proc


def start_mkdocs(config: Path, own_group: bool = False, builder: Builder | None = None,
                 env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Build one language's site from ``config`` with ``builder`` (MkDocs unless told)."""
    return start_logged((builder or BUILDERS["mkdocs"]).command(config), own_group, env)


def logged_output(proc: subprocess.Popen[str]) -> str:
    """Wait for a process from ``start_logged`` and return what it printed."""
    proc.wait()
    log = proc.log  # type: ignore[attr-defined]
    log.seek(0)
    out = log.read()
    log.close()
    return out


def wait_mkdocs(procs: dict[str, subprocess.Popen[str]]) -> None:
    failures = []
    for lang, proc in procs.items():
        out = logged_output(proc)
        if proc.returncode != 0:
            failures.append(f"--- MkDocs ({lang}) failed with exit {proc.returncode}:\n{_quiet(out)}")
    if failures:
        raise BuildError("the site build failed; the previous site was left in place\n" + "\n".join(failures))


def _quiet(output: str) -> str:
    """MkDocs' output without the theme's end-of-life banner."""
    keep = [ln for ln in output.splitlines() if ln.strip() and "│" not in ln and "─" not in ln]
    return "\n".join(keep[-40:])


def wait_pagefind(proc: subprocess.Popen[str], what: str) -> None:
    """Wait for a Pagefind started with ``start_logged``; raise BuildError if it failed."""
    out = logged_output(proc)
    if proc.returncode != 0:
        raise BuildError(f"Pagefind ({what}) failed (exit {proc.returncode}):\n{out[-4000:]}")


def run_pagefind(root: Path, lang: str) -> None:
    """Every shard of ``lang``'s search index over its site at ``root``, its bundles written
    there (those already there replaced), at most two Pagefind processes at a time."""
    for name in search_index.INDEX_NAMES:
        shutil.rmtree(root / name, ignore_errors=True)
    plan = search_index.Plan.make(lang, root, urls.nested_langs(lang), None, None)
    work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=root.parent))
    indexer = search_index.Indexer(lambda cmd: start_logged(cmd, own_group=True), wait_pagefind)
    try:
        indexer.add(plan, work, root)
        while not indexer.poll():
            time.sleep(0.05)
        search_index.finish_language(plan, root)
    finally:
        for proc in indexer.procs:  # one failed: stop the other
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)


def assemble(parts: dict[str, Path], dest: Path) -> None:
    """Each language's site where :func:`generator.urls.lang_prefix` puts it: the default language
    at the root, every other language in its own folder (moved, not copied: the parts and ``dest``
    are in the same working folder)."""
    for lang in sorted(parts, key=lambda lg: len(urls.lang_prefix(lg))):  # the root first
        where = dest / urls.lang_prefix(lang)
        if where != dest and where.exists():
            raise BuildError(f"the {DEFAULT_LANG} site has its own '{urls.lang_prefix(lang)}' folder, where the {lang} "
                             "site goes")
        os.replace(parts[lang], where)


# --- what the build may replace ---------------------------------------------------------------

#: In each site the tool builds: a format line, then the number of pages it published.
SITE_MARK = ".factsheets-site"
SITE_MARK_FORMAT = "factsheets-site 1"


def site_mark_text(pages: int, token: str | None = None) -> str:
    """The mark: format, page count and (for incremental builds) the token naming this build."""
    return f"{SITE_MARK_FORMAT}\npages {pages}\n" + (f"build {token}\n" if token else "")


def read_site_mark(site: Path) -> dict[str, Any] | None:
    """What the mark of a site built by factsheets says (``{"pages": N}``; N is None when the
    mark does not say; ``"build"``: the build's token, when it has one), or None when ``site``
    holds no such mark."""
    try:
        lines = (site / SITE_MARK).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or not lines[0].startswith("factsheets-site "):
        return None
    pages, token = None, None
    for line in lines[1:]:
        key, _, value = line.partition(" ")
        if key == "pages" and value.strip().isdigit():
            pages = int(value)
        elif key == "build" and value.strip():
            token = value.strip()
    return {"pages": pages, **({"build": token} if token else {})}


def looks_like_factsheets_site(site: Path) -> bool:
    """A site built by a version that wrote no mark: both home pages and the search index."""
    return (site / "index.html").is_file() and (site / "en" / "index.html").is_file() and (site / "pagefind").is_dir()


def site_dir_problems(project: Project, base: dict[str, Any]) -> list[Diagnostic]:
    """Why the configured site_dir must not be replaced by a build (empty: it may). A build moves
    the whole folder away and puts the new site in its place, so it must not be, hold or lie in
    a folder of the project's sources, and an existing folder must be a site factsheets built."""
    config = display_path(project.config_file)
    raw = base.get("site_dir", "site")
    pos = config_pos(project.config_file, "site_dir") if "site_dir" in base else (1, 1)
    if not isinstance(raw, str) or not raw.strip():
        return [diag(config, pos, "site-dir-unsafe", f"site_dir must name a folder, found {raw!r}",
                     "write e.g. 'site_dir: site'")]
    site = project.site_dir(base)
    named = f"site_dir '{raw}' ({site})"
    overrides = project.overrides(base)
    hint = "set site_dir in mkdocs.yml to a folder of its own, e.g. 'site_dir: site'"
    # the project first: a site_dir that is or holds it holds all the rest too (one problem, not five)
    checks = [("the project folder", project.root, False),
              ("the folder holding mkdocs.yml", project.config_dir, False),
              ("the content folder", project.content, True), ("the templates folder", project.templates, True),
              ("the theme overrides folder", overrides, True), ("the build folder", project.build, True)]
    problems: list[Diagnostic] = []
    seen: set[Path] = set()
    held: list[Path] = []  # reported as being or lying inside site_dir
    for what, folder, not_inside in checks:
        folder = folder.resolve()
        if folder in seen or any(folder.is_relative_to(h) for h in held):
            continue
        seen.add(folder)
        if site == folder:
            relation = "is"
        elif folder.is_relative_to(site):
            relation = "holds"
        elif not_inside and site.is_relative_to(folder):
            relation = "is inside"
        else:
            continue
        if relation != "is inside":
            held.append(folder)
        problems.append(diag(config, pos, "site-dir-unsafe",
                             f"{named} {relation} {what} ({folder}): a build replaces the whole site folder", hint))
    if problems:
        return problems
    if site.exists() or site.is_symlink():
        if not site.is_dir():
            return [diag(config, pos, "site-dir-foreign", f"{named} exists and is not a folder",
                         "move it away, or set site_dir in mkdocs.yml to another folder")]
        try:
            empty = not any(site.iterdir())
        except OSError as exc:
            return [diag(config, pos, "site-dir-foreign", f"{named} cannot be read: {exc.strerror}",
                         "make it readable, move it away, or set site_dir in mkdocs.yml to another folder")]
        if not empty and read_site_mark(site) is None and not looks_like_factsheets_site(site):
            return [diag(config, pos, "site-dir-foreign",
                         f"{named} exists, is not empty and was not built by factsheets (it has no {SITE_MARK} "
                         "and is not a site of an earlier version); a build would replace everything in it",
                         "move that folder away (or empty it), or set site_dir in mkdocs.yml to another folder")]
    return []


#: Names an mkdocs.yml may still use from before generator/ was split into sub-packages.
MOVED_NAMES = {"generator.mdext": "generator.publish.mdext", "generator.mdlabels": "generator.publish.mdlabels",
               "generator.sanitize": "generator.publish.sanitize",
               "generator/mkdocs_hooks.py": "generator/publish/mkdocs_hooks.py"}


def moved_name_problems(project: Project, base: dict[str, Any]) -> list[Diagnostic]:
    """mkdocs.yml entries (``markdown_extensions``, ``hooks``) that name a module by its old place."""
    config = display_path(project.config_file)
    problems: list[Diagnostic] = []
    for key in ("markdown_extensions", "hooks"):
        for i, entry in enumerate(base.get(key) or []):
            name = next(iter(entry), None) if isinstance(entry, dict) else entry
            if not isinstance(name, str):
                continue
            old = name.replace("\\", "/")
            new = next((n for o, n in MOVED_NAMES.items() if old == o or old.endswith("/" + o)), None)
            if new:
                problems.append(diag(config, config_pos(project.config_file, key, str(i)), "config-moved",
                                     f"{key} names {name!r}, which moved to {new!r}",
                                     f"write {new!r} in mkdocs.yml instead"))
    return problems


# --- one build at a time --------------------------------------------------------------------

#: In the build folder: held (flock) by the running build, and naming its process id.
LOCK_NAME = "factsheets.lock"

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


@contextlib.contextmanager
def build_lock(project: Project, progress: Callable[[str], None] = lambda _msg: None) -> Iterator[Path]:
    """Hold the project's build lock, ``build/factsheets.lock``, for the duration; fail at once,
    naming the holder's process id, when another build holds it. The lock is an ``flock`` on the
    file, which the system releases when its holder dies, so the lock of a killed build is taken
    over (and said so); the file only names the holder. (Without ``fcntl``, no lock is taken.)"""
    path = project.build / LOCK_NAME
    if fcntl is None:  # pragma: no cover
        yield path
        return
    project.build.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise BuildError(f"cannot open the build lock {path}: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _lock_holder(fd)
            if holder is None:
                who = "another build"
            elif process_alive(holder, None):
                who = f"another build (pid {holder})"
            else:
                who = f"a process left by build {holder}, which is no longer running (its render worker)"
            raise BuildError(f"{who} is running in this project and holds {path}; wait for it to finish "
                             "(or stop it), then build again") from None
        previous = _lock_holder(fd)
        if previous is not None and previous != os.getpid() and not process_alive(previous, None):
            progress(f"took over the lock of build {previous}, which is no longer running")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)  # the file stays (removing it would let two builds lock two files)
    finally:
        os.close(fd)  # releases the lock


def _lock_holder(fd: int) -> int | None:
    text = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None


# --- processes: is the one that made a folder still running? -------------------------------

def _proc_stat(pid: int) -> list[str] | None:
    """``/proc/<pid>/stat`` after the command name (state, ppid, pgrp, …), or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    return text[text.rfind(")") + 2:].split()


def process_start(pid: int) -> str | None:
    """When the process started (clock ticks since boot, from /proc), to tell it from a later
    process given the same id; None where the system does not say."""
    fields = _proc_stat(pid)
    return fields[19] if fields and len(fields) > 19 else None


def process_alive(pid: int, start: str | None) -> bool:
    """Whether process ``pid`` runs (not a zombie), and is the one that started at ``start``."""
    if pid <= 0:
        return False
    if Path("/proc/self/stat").exists():
        fields = _proc_stat(pid)
        if fields is None or fields[0] in ("Z", "X"):
            return False
        return start is None or len(fields) <= 19 or fields[19] == start
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # running, as another user
    return True


def group_alive(pgid: int) -> bool:
    """Whether any process (not a zombie) is left in process group ``pgid``."""
    if pgid <= 0:
        return False
    proc = Path("/proc")
    if (proc / "self/stat").exists():
        for entry in proc.iterdir():
            if entry.name.isdigit():
                fields = _proc_stat(int(entry.name))
                if fields and len(fields) > 2 and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
                    return True
        return False
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- work folders ---------------------------------------------------------------------------

#: In a build's work folder: the build's process (``build PID START``) and the process group of
#: every MkDocs and Pagefind it started (``group PGID START``). A bare number (older versions)
#: is the build's process id.
WORK_MARK = ".factsheets-build"


@dataclass(frozen=True)
class WorkMark:
    build: tuple[int, str | None]
    groups: tuple[tuple[int, str | None], ...] = ()

    def text(self) -> str:
        lines = [f"build {self.build[0]} {self.build[1] or '-'}"]
        lines += [f"group {pgid} {start or '-'}" for pgid, start in self.groups]
        return "\n".join(lines) + "\n"

    @classmethod
    def read(cls, folder: Path) -> WorkMark | None:
        try:
            text = (folder / WORK_MARK).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        if text.strip().isdigit():
            return cls((int(text.strip()), None))
        build, groups = None, []
        for line in text.splitlines():
            parts = line.split()
            if len(parts) != 3 or not parts[1].isdigit():
                continue
            entry = (int(parts[1]), None if parts[2] == "-" else parts[2])
            if parts[0] == "build":
                build = entry
            elif parts[0] == "group":
                groups.append(entry)
        return cls(build, tuple(groups)) if build else None


def remove_tree(folder: Path) -> str | None:
    """Remove a folder this tool made; a read-only folder inside it (the previous site moved
    aside may hold some) is made writable first. Returns why it could not, or None."""
    try:
        shutil.rmtree(folder)
        return None
    except FileNotFoundError:
        return None
    except OSError:
        pass
    _make_writable(folder)
    try:
        shutil.rmtree(folder)
        return None
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{exc.filename}: {exc.strerror}"


def _make_writable(folder: Path) -> None:
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return
        os.chmod(folder, stat.S_IRWXU)
        with os.scandir(folder) as entries:
            subfolders = [e.path for e in entries if e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for sub in subfolders:
        _make_writable(Path(sub))


#: How long a new build waits for the MkDocs/Pagefind of a killed build to stop.
ORPHAN_WAIT_SECONDS = 20.0


def sweep_stale_work(parent: Path, progress: Callable[[str], None] = lambda _msg: None) -> int:
    """Remove the work folders (``.site-*``) of builds that were killed before they could clean
    up. A folder is removed only when the build named in its mark is gone and so is every process
    group it started: MkDocs and Pagefind outlive a build killed outright (SIGKILL) and would
    write into the folder again. Such leftovers (verified by their start time) are stopped first.
    A folder without our mark, or of a build still running, is left alone. Returns how many were
    removed."""
    if os.name != "posix":  # process ids are only checked on POSIX
        return 0
    removed = 0
    for folder in sorted(parent.glob(".site-*")):
        if folder.is_symlink() or not folder.is_dir():
            continue
        mark = WorkMark.read(folder)
        if mark is None or process_alive(*mark.build):
            continue
        left = [g for g in mark.groups if group_alive(g[0])]
        if left:
            for pgid, start in left:
                if process_alive(pgid, start):  # the leader is the process we started: its group is ours
                    with contextlib.suppress(OSError):
                        os.killpg(pgid, signal.SIGKILL)
            deadline = time.monotonic() + ORPHAN_WAIT_SECONDS
            while any(group_alive(g[0]) for g in left) and time.monotonic() < deadline:
                time.sleep(0.05)
            if any(group_alive(g[0]) for g in left):
                progress(f"left {folder}: processes of the interrupted build {mark.build[0]} still run")
                continue
            progress(f"stopped {len(left)} MkDocs/Pagefind process(es) left by the interrupted build {mark.build[0]}")
        why = remove_tree(folder)
        if why:
            progress(f"could not remove {folder} (left by an interrupted build): {why}")
            continue
        removed += 1
    return removed


def _writable_dir(folder: Path) -> int | None:
    """Give the owner write permission on ``folder`` (a real folder, ours); its previous mode, or
    None when it is not such a folder or that is not allowed."""
    try:
        st = os.lstat(folder)
        if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "geteuid") and st.st_uid != os.geteuid()):
            return None
        os.chmod(folder, stat.S_IMODE(st.st_mode) | stat.S_IWUSR)
        return stat.S_IMODE(st.st_mode)
    except OSError:
        return None


class SwapError(BuildError):
    """The new site could not be put in place; ``kept`` names where the previous site is, when
    it could not be put back either."""

    def __init__(self, message: str, kept: Path | None = None):
        super().__init__(message)
        self.kept = kept


def replace_dir(new: Path, dest: Path, aside: Path) -> None:
    """Put ``new`` where ``dest`` is, in two renames. The previous ``dest`` is moved to ``aside``
    (a path that does not exist yet, in the build's own work folder, removed with it); if ``new``
    cannot be moved in, the previous site is moved back."""
    if aside.exists() or aside.is_symlink():
        raise SwapError(f"internal: {aside} already exists")
    moved, mode = False, None
    if dest.exists() or dest.is_symlink():
        try:
            os.replace(dest, aside)
        except PermissionError:
            # a read-only site folder cannot be moved to another folder (its '..' changes): it is
            # the site being replaced, so make it writable (and put its mode back if it stays)
            mode = _writable_dir(dest)
            try:
                if mode is None:
                    raise
                os.replace(dest, aside)
            except OSError as exc:
                if mode is not None:
                    with contextlib.suppress(OSError):
                        os.chmod(dest, mode)
                raise SwapError(f"cannot move the previous site {dest} aside ({exc.strerror}); it was left as it "
                                "was") from None
        except OSError as exc:
            raise SwapError(f"cannot move the previous site {dest} aside ({exc.strerror}); it was left as it "
                            "was") from None
        moved = True
    try:
        os.replace(new, dest)
    except OSError as exc:
        if not moved:
            raise SwapError(f"cannot move the new site into {dest} ({exc.strerror})") from None
        try:
            os.replace(aside, dest)
        except OSError as back:
            raise SwapError(f"cannot move the new site into {dest} ({exc.strerror}), nor the previous site back "
                            f"({back.strerror}): the previous site is kept in {aside}; move it back by hand",
                            kept=aside) from None
        if mode is not None:
            with contextlib.suppress(OSError):
                os.chmod(dest, mode)
        raise SwapError(f"cannot move the new site into {dest} ({exc.strerror}); the previous site was put back") from None


class SiteBuild:
    """One site build: MkDocs per language, each started as soon as its Markdown is ready
    (``start``), then assembly, Pagefind and the swap into site_dir (``finish``). Used as a
    context manager: leaving it on an error stops the MkDocs processes and removes the work
    folder, so the previous site stays as it was.

    Before anything is written the site folder is checked (:func:`site_dir_problems`; a
    ContentError locates the problem in mkdocs.yml). Everything the build writes on the side
    (the per-language MkDocs configurations, the parts, the assembled site, the previous site
    once swapped out) is in its own work folder, ``.site-*`` beside the site folder."""

    def __init__(self, project: Project, progress: Callable[[str], None] = lambda _msg: None,
                 builder: str | None = None, clean: bool = True,
                 timings: Callable[[str, float], None] = lambda _stage, _s: None, search: bool = True,
                 docs_cache: DigestCache | None = None):
        self.project, self.progress, self.timings = project, progress, timings
        self.docs_cache = docs_cache  # the live preview: Markdown digests of unchanged files kept between builds
        self.search = search  # False (the live preview): no Pagefind; the previous site's index is kept
        self.base = project.base_config()
        problems = [*moved_name_problems(project, self.base), *site_dir_problems(project, self.base)]
        try:  # MkDocs, ProperDocs or Zensical: --builder, else FACTSHEETS_BUILDER, else mkdocs.yml (builders.py)
            self.builder = choose(self.base, project.config_file, flag=builder).builder
        except ContentError as exc:  # reported with the site_dir problems, all at once
            problems = [*exc.diagnostics, *problems]
        if problems:
            raise ContentError(problems)
        self.site_dir = project.site_dir(self.base)
        mark = read_site_mark(self.site_dir)
        self.previous_pages = mark["pages"] if mark else None
        if sweep_stale_work(self.site_dir.parent, progress):
            progress("removed the work folder of an interrupted build")
        self.site_dir.parent.mkdir(parents=True, exist_ok=True)
        self.work = Path(tempfile.mkdtemp(prefix=".site-", dir=self.site_dir.parent))
        self.keep_work = False
        self._mark_lock, self._start_lock = threading.Lock(), threading.Lock()
        self._mark = WorkMark((os.getpid(), process_start(os.getpid())))
        self._write_mark()
        self.parts = {lang: self.work / f"part-{lang}" for lang in LANGS}
        self.configs = {lang: write_language_config(project, self.base, lang, self.parts[lang], self.work,
                                                    self.builder) for lang in LANGS}
        self.procs: dict[str, subprocess.Popen[str]] = {}
        self.waiting: dict[str, Path] = {}  # lang -> its list of files MkDocs, started early, waits for
        # incremental builds (generator/publish/incremental.py): what the previous site was built from
        self.token = State.new_token()
        self.fingerprint = fingerprint(project, self.base, self.builder.name)
        self.previous = None if clean else self._reusable(mark)
        # maybe an incremental build: each language's part of the previous site is hard-linked into
        # this build's part in the background, while the content is loaded and rendered (a language
        # then built clean drops its copy)
        self._copies: dict[str, LinkCopy] = {}
        if self.previous is not None:
            self._copies = {lang: self._copy_previous(lang) for lang in LANGS
                            if lang in self.previous.docs and (self.site_dir / urls.lang_prefix(lang)).is_dir()}
        self.digests: dict[str, dict[str, str]] = {}   # lang -> Markdown folder's file digests
        self.changed: dict[str, list[str]] = {}        # lang -> pages whose HTML this build writes
        self.reused: dict[str, bool] = {}              # lang -> built incrementally

    def _reusable(self, mark: dict[str, Any] | None) -> State | None:
        """The state of the current site when this build may reuse it (else None, and says why)."""
        state = State.read(self.project.build)
        why = None
        if self.builder.name != "mkdocs":
            why = f"{self.builder.label} builds are always clean"
        elif state is None or not mark or mark.get("build") != state.token:
            why = "no previous build to reuse"
        elif state.fingerprint != self.fingerprint:
            why = "the configuration, templates, theme overrides, builder or tool changed"
        elif state.site != site_manifest(self.site_dir):
            why = f"files in {self.site_dir} were changed since it was built"
        if why:
            self.progress(f"clean build: {why}")
            return None
        return state

    def _job(self, lang: str, digests: dict[str, str]) -> Job | None:
        """What an incremental build of ``lang`` writes, or None when it is built clean."""
        if self.previous is None or lang not in self.previous.docs:
            return None
        if not (self.site_dir / urls.lang_prefix(lang)).is_dir():
            return None
        job = Job.between(self.previous.docs[lang], digests)
        if not job.worth_it(sum(1 for p in digests if p.endswith(".md"))):
            self.progress(f"clean build of {lang}: {len(job.pages)} pages changed")
            return None
        return job

    def _copy_previous(self, lang: str) -> LinkCopy:
        """The previous site's part of ``lang``, being hard-linked into this build's part."""
        skip = NOT_REUSED | set(urls.nested_langs(lang))  # the other languages' sites inside this one's
        return LinkCopy(self.site_dir / urls.lang_prefix(lang), self.parts[lang], skip)

    def _drop_copy(self, lang: str) -> None:
        """``lang`` is built clean: its copy of the previous site, if one was started, is removed."""
        copy = self._copies.pop(lang, None)
        if copy is not None:
            copy.stop()
            remove_tree(self.parts[lang])

    def _start_incremental(self, lang: str, job: Job) -> bool:
        """The previous site's part of ``lang``, hard-linked into this build's part (in the
        background since the build started), and the job that rebuilds the changed pages in it
        (False when the copy cannot be made: built clean)."""
        copy = self._copies.pop(lang, None) or self._copy_previous(lang)
        try:
            copy.wait()
        except OSError as exc:  # e.g. another file system: no hard links
            self.progress(f"clean build of {lang}: cannot reuse the previous site ({exc})")
            remove_tree(self.parts[lang])
            return False
        job_file = self.work / f"job-{lang}.json"
        job.dump(job_file)
        self.procs[lang] = self._started(start_logged(job_command(self.configs[lang], job_file), own_group=True))
        return True

    def _write_mark(self) -> None:
        tmp = self.work / (WORK_MARK + ".tmp")
        tmp.write_text(self._mark.text(), encoding="utf-8")
        os.replace(tmp, self.work / WORK_MARK)

    def _started(self, proc: subprocess.Popen[str]) -> subprocess.Popen[str]:
        """Note a child's process group in the work mark, so that a build started after this one
        was killed leaves the folder alone (or stops the child) while the child still runs."""
        with self._mark_lock:
            self._mark = WorkMark(self._mark.build, (*self._mark.groups, (proc.pid, process_start(proc.pid))))
            self._write_mark()
        return proc

    def __enter__(self) -> SiteBuild:
        return self

    def __exit__(self, *exc: object) -> None:
        for copy in self._copies.values():  # a copy still under way ends before its folder is removed
            copy.stop()
        for proc in self.procs.values():
            if proc.poll() is None:
                with contextlib.suppress(OSError):
                    if os.name == "posix":
                        os.killpg(proc.pid, signal.SIGKILL)  # the child and anything it started
                    else:  # pragma: no cover
                        proc.kill()
                proc.wait()
        if not self.keep_work:
            if not self.search:  # the live preview: the previous site (in here once swapped out) is
                # removed aside, while the new one is served; its mark names this process, so no build
                # sweeps it meanwhile, and one after this process ends removes what is left
                threading.Thread(target=remove_tree, args=(self.work,), name="factsheets-work-cleanup",
                                 daemon=True).start()
                return
            why = remove_tree(self.work)
            if why:
                self.progress(f"could not remove the work folder {self.work} (the next build will try again): {why}")

    def start_early(self, lang: str, pending: list[str]) -> None:
        """Start MkDocs for ``lang`` now that its Markdown pages are written, while ``pending`` (its
        other files: figures, exports…, relative to its docs folder) are still being written: when
        the language is built clean by MkDocs, which copies those files only after it has converted
        every page (generator/publish/mkdocs_early.py waits for them); otherwise it waits for
        :meth:`start`. Safe to call from another thread."""
        with self._start_lock:
            if lang in self.procs or self.builder.name != "mkdocs" or any(p.endswith(".md") for p in pending):
                return
            if self.previous is not None and lang in self.previous.docs:  # maybe incremental: judged once all is written
                return
            listed = self.work / f"pending-{lang}.json"
            mkdocs_early.write_pending(listed, pending)
            self.waiting[lang] = listed
            self.procs[lang] = self._started(start_mkdocs(self.configs[lang], own_group=True, builder=self.builder,
                                                          env={mkdocs_early.PENDING_ENV: str(listed)}))
            self.reused[lang] = False
        self.progress(f"{self.builder.label}: building {lang}")

    def start(self, lang: str) -> None:
        """Start MkDocs for ``lang`` (its Markdown is written), or, if it was started early, tell it
        that the language's other files are written too; safe to call from another thread."""
        with self._start_lock:  # called from generate's callback thread and from finish: start once
            if lang in self.waiting:
                mkdocs_early.mark_ready(self.waiting.pop(lang))
                return
            if lang in self.procs:
                return
            folder = self.project.docs_root / lang
            if self.previous is not None and lang in self.previous.docs:  # maybe an incremental build
                self.digests[lang] = docs_digests(folder, self.docs_cache)
                job = self._job(lang, self.digests[lang])
                if job is not None and self._start_incremental(lang, job):
                    self.changed[lang], self.reused[lang] = job.pages, True
                    self.progress(f"{self.builder.label}: rebuilding {len(job.pages)} changed page(s) of {lang}, "
                                  f"reusing the others")
                    return
            self._drop_copy(lang)
            if self.builder.docs_inside_config:  # Zensical reads docs only from beside its configuration
                mirror_docs(folder, docs_mirror(self.work, lang))
            self.procs[lang] = self._started(start_mkdocs(self.configs[lang], own_group=True, builder=self.builder))
            self.reused[lang] = False  # its Markdown's digests: in finish(), while MkDocs runs (here, called
            # from the thread that hears from the render worker, it would compete with the rendering)
        self.progress(f"{self.builder.label}: building {lang}")

    def _keep_search_index(self, lang: str) -> None:
        """Without search (the live preview): the previous site's Pagefind bundles of ``lang``,
        hard-linked (or copied) into this build's part as they are; nothing when there are none."""
        previous = self.site_dir / urls.lang_prefix(lang)
        if not (previous / search_index.PRIMARY).is_dir() or (self.parts[lang] / search_index.PRIMARY).exists():
            self.progress(f"search index of {lang} not built (preview)")
            return
        for name in sorted(search_index.INDEX_NAMES):
            if (previous / name).is_dir():
                search_index.link_tree(previous / name, self.parts[lang] / name)
        self.progress(f"search index of {lang} not rebuilt (preview): the previous one is kept")

    def _search_plan(self, lang: str) -> search_index.Plan:
        """Which shards of ``lang``'s index this build makes; the others are the previous site's
        (when it may be reused and its state says what they were made from)."""
        previous = self.site_dir / urls.lang_prefix(lang) if self.previous is not None else None
        before = self.previous.search.get(lang) if self.previous is not None else None
        plan = search_index.Plan.make(lang, self.parts[lang], urls.nested_langs(lang), before, previous)
        if self.search:
            self.progress(plan.progress_line())
        return plan

    def _start_pagefind(self, cmd: list[str]) -> subprocess.Popen[str]:
        proc = self._started(start_logged(cmd, own_group=True))
        self.procs[f"pagefind-{proc.pid}"] = proc
        return proc

    def check_shrink(self, pages: int, allow_shrink: bool = False) -> None:
        """Refuse a build that would publish fewer than half the pages of the site it replaces
        (as counted in that site's mark), unless ``allow_shrink``."""
        before = self.previous_pages
        if before and pages < before / 2 and not allow_shrink:
            raise BuildError(f"this build would publish {pages} pages, fewer than half of the {before} pages of the "
                             f"current site ({self.site_dir}); the site was left as it was. Is content missing "
                             "(a folder moved, a branch switched)? If pages were removed on purpose, build again "
                             "with --allow-shrink")

    def finish(self, pages: int) -> Path:
        """Wait for MkDocs; index each language with Pagefind as soon as its HTML is built (while
        the other may still be building); assemble; mark the site as ours, with its ``pages``; swap
        into site_dir. The configurations used are kept as ``build/mkdocs.<lang>.yml`` for reference."""
        for lang in LANGS:
            self.start(lang)
            if lang not in self.digests:  # built clean: what its HTML was made from, for the next build
                self.digests[lang] = docs_digests(self.project.docs_root / lang, self.docs_cache)
            if not self.reused[lang]:
                self.changed[lang] = [p for p in self.digests[lang] if p.endswith(".md")]
        t0 = time.perf_counter()
        building = {lang: self.procs[lang] for lang in LANGS}
        # each language's shards queued as soon as its HTML is built (while the other may still be
        # building), at most two Pagefind processes at a time
        indexer = search_index.Indexer(self._start_pagefind, wait_pagefind)
        plans: dict[str, search_index.Plan] = {}
        while building:
            done = [lang for lang, proc in building.items() if proc.poll() is not None]
            for lang in done:
                wait_mkdocs({lang: building.pop(lang)})  # raises BuildError if it failed
                plans[lang] = self._search_plan(lang)
                if not self.search:
                    self._keep_search_index(lang)
                    continue
                indexer.add(plans[lang], self.work, self.parts[lang])
            indexer.poll()
            if building and not done:
                time.sleep(0.05)
        t1 = time.perf_counter()
        self.timings("html", t1 - t0)  # what is left of the HTML build once the Markdown is written
        while not indexer.poll():
            time.sleep(0.02)
        if self.search:
            for plan in plans.values():
                search_index.finish_language(plan, self.parts[plan.lang])
        # what each language's bundles were made from (the preview keeps the previous bundles: the
        # shards whose pages changed are then stale, and the background indexer makes them again)
        searched = {lang: plan.state() if self.search else plan.kept_state() for lang, plan in plans.items()}
        t2 = time.perf_counter()
        self.timings("search", t2 - t1)  # what is left of Pagefind once the last HTML is built
        self.progress("site: assembling")
        assembled = self.work / "site"
        assemble(self.parts, assembled)
        # the sitemaps with hreflang alternates, the same whichever builder made the pages
        write_sitemaps(assembled, self.project.docs_root, self.project.site_url(self.base),
                       use_directory_urls=self.base.get("use_directory_urls", True) is not False)
        cname = self.project.cname(self.base)
        if cname:
            (assembled / "CNAME").write_text(cname + "\n", encoding="utf-8")
        (assembled / SITE_MARK).write_text(site_mark_text(pages, self.token), encoding="utf-8")
        try:
            replace_dir(assembled, self.site_dir, self.work / "previous-site")
        except SwapError as exc:
            if exc.kept is not None:  # the previous site is in there: neither this build nor a later one removes it
                self.keep_work = True
                (self.work / WORK_MARK).unlink(missing_ok=True)
            raise
        self.timings("swap", time.perf_counter() - t2)  # the site is in place (the live preview serves it now)
        t3 = time.perf_counter()
        for lang in self.configs:  # for reference: written again, as its paths are relative to its folder
            write_language_config(self.project, self.base, lang, self.parts[lang], self.project.build, self.builder)
        # what this site was built from, for the next build to reuse it (after the swap: a failed
        # build leaves the state of the site still in place), with the manifest of the site in place
        State(self.fingerprint, self.token, self.digests, site_manifest(self.site_dir), searched).write(self.project.build)
        self.timings("state", time.perf_counter() - t3)
        return self.site_dir
