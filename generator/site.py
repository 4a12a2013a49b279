"""Stage 6: turn the generated Markdown into the site.

One MkDocs process per language, run in parallel (MkDocs uses one core; this machine
class has two), each into its own folder; then the two are assembled side by side
(Arabic at the root, English under ``en/``); each language is indexed by Pagefind as soon as
its HTML is built (its bundle in ``pagefind/`` under that language's root), and the result
replaces ``site/`` in one move. A failed build leaves the
previous site untouched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.errors import BuildError
from generator.plan import DEFAULT_LANG, LANGS
from generator.render import load_catalog
from generator.sanitize import with_sanitizer

HOOK_FILE = "generator/mkdocs_hooks.py"


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
        root = root.resolve()
        return cls(root, (config_file or root / "mkdocs.yml").resolve(), (content or root / "content").resolve(),
                   root / "templates", root / "build")

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
        return (self.config_file.parent / base.get("site_dir", "site")).resolve()

    def site_url(self, base: dict[str, Any]) -> str:
        url = os.environ.get("FACTSHEETS_SITE_URL") or base.get("site_url") or ""
        return url.rstrip("/") + "/" if url else ""

    def cname(self, base: dict[str, Any]) -> str | None:
        """Custom domain for GitHub Pages: env FACTSHEETS_CNAME, else mkdocs.yml's extra.cname."""
        value = str(os.environ.get("FACTSHEETS_CNAME") or (base.get("extra") or {}).get("cname") or "").strip()
        return value or None


def nav_for(catalog: dict[str, str]) -> list[dict[str, str]]:
    """The sidebar: sections and index pages only, so a page's size never grows with the archive."""
    return [{catalog["home"]: "index.md"}, {catalog["timeline"]: "meetings/index.md"},
            {catalog["people"]: "people/index.md"}, {catalog["organizations"]: "organizations/index.md"},
            {catalog["topics"]: "topics/index.md"}, {catalog["sources"]: "sources/index.md"},
            {catalog["briefings"]: "briefings/index.md"},
            {catalog["search"]: "search.md"}]


def language_settings(project: Project, base: dict[str, Any], lang: str) -> dict[str, Any]:
    """The settings that differ per language, applied on top of mkdocs.yml."""
    catalog = load_catalog(project.templates, lang)
    other = next(lg for lg in LANGS if lg != lang)
    other_catalog = load_catalog(project.templates, other)
    site_url = project.site_url(base)
    theme = dict(base.get("theme") or {})
    theme.update(language=lang, custom_dir=str((project.config_file.parent / theme.get("custom_dir", "overrides")).resolve()))
    theme["direction"] = catalog["dir"]
    is_default = lang == DEFAULT_LANG
    extra = dict(base.get("extra") or {})
    # the two language roots (Material writes them as <link rel="alternate" hreflang> in the head)
    extra["alternate"] = [{"name": catalog["lang_name"], "link": "./", "lang": lang},
                          {"name": other_catalog["lang_name"], "link": "en/" if is_default else "../", "lang": other}]
    extra["factsheets"] = {
        "lang": lang, "other_lang": other, "other_lang_name": catalog["other_lang_name"],
        "other_prefix": "en/" if is_default else "../", "root_prefix": "" if is_default else "../",
        "other_root_url": (site_url + ("en/" if is_default else "")) if site_url else ("/en/" if is_default else "/"),
        "search_placeholder": catalog["search_placeholder"], "home": catalog["home"],
        "timeline": catalog["timeline"], "search": catalog["search"],
        "not_found_title": catalog["not_found_title"], "not_found_text": catalog["not_found_text"],
    }
    return {
        "site_name": catalog["site_title"],
        "site_url": (site_url + ("" if is_default else f"{lang}/")) if site_url else None,
        "docs_dir": str(project.docs_root / lang),
        "theme": theme, "nav": nav_for(catalog), "extra": extra,
    }


def write_language_config(project: Project, base: dict[str, Any], lang: str, site_dir: Path) -> Path:
    cfg = {k: v for k, v in base.items() if k != "hooks"}
    cfg.update(language_settings(project, base, lang))
    # analyst HTML (briefings) through the allow-list sanitizer, whatever mkdocs.yml says
    cfg["markdown_extensions"] = with_sanitizer(cfg.get("markdown_extensions"), cfg.get("extra"))
    cfg["site_dir"] = str(site_dir)
    if cfg["site_url"] is None:
        cfg.pop("site_url")
    path = project.build / f"mkdocs.{lang}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}


def start_logged(cmd: list[str]) -> subprocess.Popen[str]:
    """Start a process whose output goes to a temporary file, not a pipe: a pipe that nobody
    reads while another build runs would fill up and stall the process writing to it."""
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True, env=_env())
    proc.log = log  # type: ignore[attr-defined]
    return proc


def start_mkdocs(config: Path) -> subprocess.Popen[str]:
    return start_logged([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)])


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


def pagefind_command(site: Path) -> list[str]:
    """Pagefind over one language's built site; its bundle goes to ``<site>/pagefind/``.
    Index what readers search for: leave out permalink marks (¶) and copy buttons (lists of
    links are marked ``data-pagefind-ignore`` by the templates)."""
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--quiet",
            "--exclude-selectors", ".headerlink", "--exclude-selectors", ".fs-copy"]


def wait_pagefind(proc: subprocess.Popen[str], lang: str) -> None:
    """Wait for a Pagefind started with ``start_logged``; raise BuildError if it failed."""
    out = logged_output(proc)
    if proc.returncode != 0:
        raise BuildError(f"Pagefind ({lang}) failed (exit {proc.returncode}):\n{out[-4000:]}")


def run_pagefind(site: Path, lang: str) -> None:
    wait_pagefind(start_logged(pagefind_command(site)), lang)


def assemble(parts: dict[str, Path], dest: Path) -> None:
    """Default language at the root, every other language in its own folder (moved, not copied:
    the parts and ``dest`` are in the same working folder)."""
    os.replace(parts[DEFAULT_LANG], dest)
    for lang, folder in parts.items():
        if lang != DEFAULT_LANG:
            if (dest / lang).exists():
                raise BuildError(f"the {DEFAULT_LANG} site has its own '{lang}/' folder, where the {lang} site goes")
            os.replace(folder, dest / lang)


def replace_dir(new: Path, dest: Path) -> None:
    """Put ``new`` where ``dest`` is, in two renames; the old tree is removed afterwards."""
    old = dest.with_name(dest.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if dest.exists():
        os.replace(dest, old)
    os.replace(new, dest)
    shutil.rmtree(old, ignore_errors=True)


#: In a build's work folder: the process id of the build that made it.
WORK_MARK = ".factsheets-build"


def sweep_stale_work(parent: Path) -> int:
    """Remove the work folders (``.site-*``) of builds that were killed before they could clean
    up (the process named in the folder's mark is gone); a folder without our mark, or of a build
    still running, is left alone. Returns how many were removed."""
    if os.name != "posix":  # os.kill(pid, 0) only asks on POSIX
        return 0
    removed = 0
    for folder in parent.glob(".site-*"):
        try:
            pid = int((folder / WORK_MARK).read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            continue
        try:
            os.kill(pid, 0)
            continue  # still running
        except ProcessLookupError:
            pass
        except PermissionError:
            continue  # running, as another user
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


class SiteBuild:
    """One site build: MkDocs per language, each started as soon as its Markdown is ready
    (``start``), then assembly, Pagefind and the swap into site_dir (``finish``). Used as a
    context manager: leaving it on an error stops the MkDocs processes and removes the work
    folder, so the previous site stays as it was."""

    def __init__(self, project: Project, progress: Callable[[str], None] = lambda _msg: None):
        self.project, self.progress = project, progress
        self.base = project.base_config()
        self.site_dir = project.site_dir(self.base)
        if sweep_stale_work(self.site_dir.parent):
            progress("removed the work folder of an interrupted build")
        self.work = Path(tempfile.mkdtemp(prefix=".site-", dir=self.site_dir.parent))
        (self.work / WORK_MARK).write_text(str(os.getpid()), encoding="utf-8")
        self.parts = {lang: self.work / f"part-{lang}" for lang in LANGS}
        self.configs = {lang: write_language_config(project, self.base, lang, self.parts[lang]) for lang in LANGS}
        self.procs: dict[str, subprocess.Popen[str]] = {}

    def __enter__(self) -> SiteBuild:
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        shutil.rmtree(self.work, ignore_errors=True)

    def start(self, lang: str) -> None:
        """Start MkDocs for ``lang`` (its Markdown is written); safe to call from another thread."""
        if lang not in self.procs:
            self.procs[lang] = start_mkdocs(self.configs[lang])
            self.progress(f"MkDocs: building {lang}")

    def finish(self) -> Path:
        """Wait for MkDocs; index each language with Pagefind as soon as its HTML is built (while
        the other may still be building); assemble; swap into site_dir."""
        for lang in LANGS:
            self.start(lang)
        building = {lang: self.procs[lang] for lang in LANGS}
        indexing: dict[str, subprocess.Popen[str]] = {}
        while building:
            done = [lang for lang, proc in building.items() if proc.poll() is not None]
            for lang in done:
                wait_mkdocs({lang: building.pop(lang)})  # raises BuildError if it failed
                self.progress(f"Pagefind: indexing {lang}")
                indexing[lang] = self.procs[f"pagefind-{lang}"] = start_logged(pagefind_command(self.parts[lang]))
            if building and not done:
                time.sleep(0.05)
        for lang, proc in indexing.items():
            wait_pagefind(proc, lang)
        self.progress("site: assembling")
        assembled = self.work / "site"
        assemble(self.parts, assembled)
        cname = self.project.cname(self.base)
        if cname:
            (assembled / "CNAME").write_text(cname + "\n", encoding="utf-8")
        replace_dir(assembled, self.site_dir)
        return self.site_dir

