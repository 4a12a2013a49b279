"""The MkDocs job of an incremental build (issue 22): the pages whose Markdown changed, built with
MkDocs' own functions over the hard-linked copy of the previous site
(:class:`generator.publish.site.SiteBuild`; what decides which pages is
generator/publish/incremental.py).

It runs as a process of its own (``python -m generator.publish.mkdocs_job CONFIG JOB``), once per
language, on every incremental build and every edit the live preview shows; so this module
imports the standard library and MkDocs only, nothing else of the generator.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def _unlink(path: str | Path) -> None:
    """Remove a file before writing it: in a hard-linked copy, writing in place would change the
    previous site too."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _prune_empty(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_relative_to(stop):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def run_job(config_file: Path, job_file: Path) -> int:
    """Build the pages of ``job_file`` with MkDocs into the site_dir of ``config_file``, which
    holds the hard-linked previous site. Mirrors ``mkdocs.commands.build.build`` without the
    cleaning of site_dir, reading and writing only the job's pages. Returns an exit status."""
    import logging

    from mkdocs import utils
    from mkdocs.commands import build as mk
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, BuildError
    from mkdocs.structure.files import File, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    job = json.loads(job_file.read_text(encoding="utf-8"))
    log = logging.getLogger("mkdocs")
    shown = logging.StreamHandler(sys.stderr)
    shown.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    shown.setLevel(logging.WARNING)
    log.addHandler(shown)
    log.setLevel(logging.INFO)
    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    log.addHandler(counter)
    try:
        config = load_config(config_file=str(config_file), strict=True)
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        site_dir = Path(config.site_dir)
        for rel in job["removed"]:  # first: a redirect page may take the place of a removed page
            dest = Path(File(rel, config.docs_dir, config.site_dir, config.use_directory_urls).abs_dest_path)
            _unlink(dest)
            _prune_empty(dest.parent, site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        wanted = set(job["pages"]) | {p.file.src_uri for p in nav.pages}
        todo = []
        for file in files.documentation_pages():
            if file.page is None:
                Page(None, file, config)
            if file.src_uri in wanted:
                assert file.page is not None  # set by Page(...) above
                mk._populate_page(file.page, config, files)
                todo.append(file)
        env = config.plugins.on_env(env, config=config, files=files)
        for rel in job["static"]:
            static = files.get_file_from_path(rel)
            if static is None:
                raise BuildError(f"{rel} is not among the site's files")
            _unlink(static.abs_dest_path)
            static.copy_file()
        for template in config.theme.static_templates:  # 404.html, sitemap.xml: rewritten, never in place
            _unlink(site_dir / template)
            if template == "sitemap.xml":
                _unlink(site_dir / "sitemap.xml.gz")
            mk._build_theme_template(template, env, files, config, nav)
        doc_files = files.documentation_pages()
        pages = set(job["pages"])
        for file in todo:
            if file.src_uri in pages and file.page is not None:
                _unlink(file.abs_dest_path)
                mk._build_page(file.page, config, doc_files, nav, env)
        for file in todo:
            if file.page is not None:
                file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        config.plugins.on_post_build(config=config)
        if counts := counter.get_counts():
            raise Abort("Aborted with " + ", ".join(f"{v} {k.lower()}s" for k, v in counts) + " in strict mode!")
    except (Abort, BuildError) as exc:
        print(f"incremental build failed: {exc}", file=sys.stderr)
        return 1
    print(f"INFO    -  built {len(job['pages'])} page(s), copied {len(job['static'])} file(s), "
          f"removed {len(job['removed'])}", file=sys.stderr)
    return 0


def job_command(config_file: Path, job_file: Path) -> list[str]:
    return [sys.executable, "-m", "generator.publish.mkdocs_job", str(config_file), str(job_file)]


if __name__ == "__main__":
    sys.exit(run_job(Path(sys.argv[1]), Path(sys.argv[2])))
