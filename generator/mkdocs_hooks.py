"""MkDocs hook: makes plain `mkdocs build` and `mkdocs serve` work from the repo root.

On every (re)build it regenerates the Markdown from content/ and templates/, configures
the Arabic build, and builds the English site into ``<site_dir>/en/`` once the Arabic one
is written (MkDocs empties its site_dir when it starts, so English is built aside and
copied in). `mkdocs serve` watches content/ and templates/ and rebuilds on change.
`factsheets build` is the faster path: it builds both languages in parallel.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import ContentError, FactsheetsError, format_report
from generator.build import build
from generator import urls
from generator.plan import DEFAULT_LANG, LANGS
from generator.sanitize import NAME as SANITIZER
from generator.sanitize import allow_remote_images
from generator.sitemap import write_sitemaps
from generator.site import Project, language_settings, run_pagefind, start_mkdocs, wait_mkdocs, write_language_config

@dataclass
class HookRun:
    """What on_config starts and on_post_build finishes, for one build: kept on that build's
    configuration object (no module-level state: `mkdocs serve` rebuilds with a new one)."""

    work: Path
    procs: dict[str, subprocess.Popen[str]]
    project: Project
    base: dict[str, Any]


RUN_KEY = "_factsheets_run"


def on_config(config: Any, **kwargs: Any) -> Any:
    from mkdocs.exceptions import Abort

    project = Project.at(Path(config.config_file_path).parent, Path(config.config_file_path))
    base = project.base_config()
    try:
        build(project, markdown_only=True)  # the Markdown, as `factsheets build --markdown-only`
    except ContentError as exc:
        raise Abort("content does not check:\n" + format_report(exc.diagnostics)) from None
    except FactsheetsError as exc:
        raise Abort(str(exc)) from None
    settings = language_settings(project, base, DEFAULT_LANG)
    config.docs_dir = settings["docs_dir"]
    config.site_name = settings["site_name"]
    config.nav = settings["nav"]
    config.extra.update(settings["extra"])
    # analyst HTML (briefings) through the allow-list sanitizer, whatever mkdocs.yml says
    config.markdown_extensions = [e for e in config.markdown_extensions if e != SANITIZER]
    config.markdown_extensions.append(SANITIZER)
    config.mdx_configs[SANITIZER] = {"allow_remote_images": allow_remote_images(config.extra)}
    config.theme.language = DEFAULT_LANG
    config.theme["direction"] = settings["theme"]["direction"]
    for folder in (project.content, project.templates):
        if str(folder) not in config.watch:
            config.watch.append(str(folder))
    # the other languages build at the same time, aside; they are copied in after this build
    work = Path(tempfile.mkdtemp(prefix="factsheets-"))
    procs: dict[str, subprocess.Popen[str]] = {}
    for lang in LANGS:
        if lang != DEFAULT_LANG:
            procs[lang] = start_mkdocs(write_language_config(project, base, lang, work / lang))
    config.__dict__[RUN_KEY] = HookRun(work, procs, project, base)
    return config


def on_post_build(config: Any, **kwargs: Any) -> None:
    run: HookRun = config.__dict__.pop(RUN_KEY)
    work, procs = run.work, run.procs
    try:
        wait_mkdocs(procs)
        site = Path(config.site_dir)
        for lang in procs:
            shutil.rmtree(site / urls.lang_prefix(lang), ignore_errors=True)
        run_pagefind(site, DEFAULT_LANG)  # one Pagefind bundle per language, under its root
        for lang in procs:
            run_pagefind(work / lang, lang)
            shutil.copytree(work / lang, site / urls.lang_prefix(lang))
        # both languages' sitemaps, with hreflang alternates (the theme's own lists one language)
        project, base = run.project, run.base
        write_sitemaps(site, project.docs_root, project.site_url(base),
                       use_directory_urls=config.use_directory_urls)
    finally:
        shutil.rmtree(work, ignore_errors=True)
