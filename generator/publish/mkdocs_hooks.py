"""MkDocs hook: makes plain `mkdocs build` and `mkdocs serve` work from the repo root.

On every (re)build it regenerates the Markdown from content/ and templates/, configures
the Arabic build, and builds the English site into ``<site_dir>/en/`` once the Arabic one
is written (MkDocs empties its site_dir when it starts, so English is built aside and
copied in). `mkdocs serve` watches content/ and templates/ and rebuilds on change.
`factsheets build` is the faster path: it builds both languages in parallel.

Under `mkdocs serve` (told by ``on_startup``), the process stays up between rebuilds, and the
hook keeps what it can from one to the next (MkDocs loads this module once per process): the
content files that did not change are not read again (:class:`generator.core.loader.FileCache`, as
in ``factsheets serve --watch``), and Pagefind runs in the background after the pages are
served, not before (search answers once it is done; the terminal says so). `mkdocs build`
indexes before it returns, as before.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import ContentError, FactsheetsError, format_report
from generator.build import build
from generator import urls
from generator.core.loader import FileCache, reusing
from generator.render.plan import DEFAULT_LANG, LANGS
from generator.publish.sanitize import NAME as SANITIZER
from generator.publish.sanitize import allow_remote_images
from generator.publish.sitemap import write_sitemaps
from generator.publish.site import Project, language_settings, run_pagefind, start_mkdocs, wait_mkdocs, write_language_config

@dataclass
class HookRun:
    """What on_config starts and on_post_build finishes, for one build: kept on that build's
    configuration object (no module-level state: `mkdocs serve` rebuilds with a new one)."""

    work: Path
    procs: dict[str, subprocess.Popen[str]]
    project: Project
    base: dict[str, Any]


RUN_KEY = "_factsheets_run"


@dataclass
class Serving:
    """What one `mkdocs serve` process keeps between its rebuilds."""

    cache: FileCache = field(default_factory=FileCache)
    indexing: threading.Thread | None = None


#: Set by on_startup under `mkdocs serve` (MkDocs loads a hook module once per process).
_serving: Serving | None = None


def on_startup(command: str, **kwargs: Any) -> None:
    global _serving
    _serving = Serving() if command == "serve" else None


def _wait_indexing() -> None:
    """A rebuild empties the site folder: the background indexing of the previous one ends first."""
    if _serving is not None and _serving.indexing is not None:
        _serving.indexing.join()
        _serving.indexing = None


def on_shutdown(**kwargs: Any) -> None:
    _wait_indexing()


def on_config(config: Any, **kwargs: Any) -> Any:
    from mkdocs.exceptions import Abort

    _wait_indexing()
    project = Project.at(Path(config.config_file_path).parent, Path(config.config_file_path))
    base = project.base_config()
    try:
        if _serving is not None:  # only the content files changed since the last rebuild are read
            with reusing(_serving.cache):
                build(project, markdown_only=True)
        else:
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
    background = False
    try:
        wait_mkdocs(procs)
        site = Path(config.site_dir)
        for lang in procs:
            shutil.rmtree(site / urls.lang_prefix(lang), ignore_errors=True)
        if _serving is not None:  # pages first, search after (in the background)
            for lang in procs:
                shutil.copytree(work / lang, site / urls.lang_prefix(lang))
            _serving.indexing = threading.Thread(target=_index_in_background, args=(site, work, list(procs)),
                                                 name="factsheets-hook-search", daemon=True)
            background = True
        else:
            run_pagefind(site, DEFAULT_LANG)  # one Pagefind bundle per language, under its root
            for lang in procs:
                run_pagefind(work / lang, lang)
                shutil.copytree(work / lang, site / urls.lang_prefix(lang))
        # both languages' sitemaps, with hreflang alternates (the theme's own lists one language)
        project, base = run.project, run.base
        write_sitemaps(site, project.docs_root, project.site_url(base),
                       use_directory_urls=config.use_directory_urls)
    finally:
        if background and _serving is not None and _serving.indexing is not None:
            _serving.indexing.start()  # it removes the work folder when done
        else:
            shutil.rmtree(work, ignore_errors=True)


def _index_in_background(site: Path, work: Path, others: list[str]) -> None:
    """Under `mkdocs serve`: Pagefind for each language once its pages are served. The default
    language is indexed from a hard-linked copy without the other languages' folders (its
    bundle then moved into the site); the others in place."""
    from generator.publish.incremental import NOT_REUSED, link_copy
    from generator.publish.search import INDEX_NAMES

    print("INFO    -  [factsheets] search index: built in the background, after the pages are served",
          file=sys.stderr, flush=True)
    try:
        copy = work / f"index-{DEFAULT_LANG}"
        link_copy(site, copy, NOT_REUSED | set(others))
        run_pagefind(copy, DEFAULT_LANG)
        for name in sorted(INDEX_NAMES):  # the search index's shards (generator/publish/search.py)
            shutil.rmtree(site / name, ignore_errors=True)
            if (copy / name).exists():
                shutil.move(str(copy / name), str(site / name))
        for lang in others:
            run_pagefind(site / urls.lang_prefix(lang), lang)
        print("INFO    -  [factsheets] search index updated", file=sys.stderr, flush=True)
    except (OSError, FactsheetsError) as exc:
        print(f"WARNING -  [factsheets] search index not updated: {exc}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
