"""The command line: a thin layer over the library. Errors become clean messages here, once."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator import __version__
from generator.errors import ContentError, FactsheetsError, format_report

if TYPE_CHECKING:
    from generator.publish.site import Project

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Group(click.Group):
    """Turns every error into one clear message; ``--debug`` shows the traceback instead."""

    def invoke(self, ctx: click.Context):  # noqa: D401
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except ContentError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(format_report(exc.diagnostics, ctx.obj.get("format", "text") if ctx.obj else "text"),
                       err=not (ctx.obj or {}).get("format") == "json")
            ctx.exit(exc.exit_code)
        except FactsheetsError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:  # the promise: no traceback unless asked for
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: unexpected failure: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
                       err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="factsheets")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for unexpected failures.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Bilingual (Arabic/English) fact sheets from annotated news articles."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command()
@click.argument("content_dir", default="content", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format of the report.")
@click.pass_context
def check(ctx: click.Context, content_dir: Path, strict: bool, fmt: str) -> None:
    """Load and validate CONTENT_DIR (default: content) and report every problem at once.

    Exit status: 0 when clean (warnings allowed unless --strict), 1 on errors, 2 on usage errors.
    """
    from generator.core.validate import check as run_check
    from generator.core.loader import load_content

    ctx.obj["format"] = fmt
    checked = run_check(load_content(content_dir))
    failed = bool(checked.errors) or (strict and bool(checked.warnings))
    if fmt == "json":
        click.echo(format_report(checked.diagnostics, "json"))
    else:
        report = format_report(checked.diagnostics)
        c = checked.corpus
        summary = (f"checked {len(c.sources)} source(s), {len(c.meetings)} meeting(s), {len(c.statements)} statement(s), "
                   f"{len(c.people)} people, {len(c.organizations)} organization(s), {len(c.topics)} topic(s)")
        click.echo(report, err=failed)
        click.echo(summary, err=failed)
    ctx.exit(1 if failed else 0)


def _progress(msg: str) -> None:
    click.echo(f"factsheets: {msg}", err=True)


def _project(ctx: click.Context, config_file: Path, content_dir: Path) -> Project:
    """The project of ``-f CONFIG`` (its folder); without -f and without ./mkdocs.yml, the working
    folder on the packaged default configuration (generator.resources)."""
    from generator.publish.site import Project

    defaulted = ctx.get_parameter_source("config_file") == click.core.ParameterSource.DEFAULT
    if defaulted and not config_file.exists():
        return Project.at(Path("."), None, content_dir)
    return Project.at(config_file.parent, config_file, content_dir)


@cli.command()
@click.option("--content", "content_dir", default="content", show_default=True,
              type=click.Path(path_type=Path, file_okay=False, exists=True), help="Folder of annotated content.")
@click.option("-f", "--config", "config_file", default="mkdocs.yml", show_default=True,
              type=click.Path(path_type=Path, dir_okay=False), help="MkDocs configuration shared by both languages.")
@click.option("--strict", is_flag=True, help="Treat content warnings as errors.")
@click.option("--markdown-only", is_flag=True, help="Only generate the Markdown (build/docs/<lang>/); skip MkDocs.")
@click.option("--allow-shrink", is_flag=True,
              help="Publish even when the new site has fewer than half the pages of the current one.")
@click.option("--builder", "site_builder", type=click.Choice(["mkdocs", "properdocs", "zensical"], case_sensitive=False),
              default=None, help="Site builder (default: FACTSHEETS_BUILDER, else extra.factsheets_builder in "
                                 "mkdocs.yml, else mkdocs). See docs/builders.md.")
@click.option("--clean", is_flag=True, help="Rebuild every page (never reuse the previous site).")
@click.pass_context
def build(ctx: click.Context, content_dir: Path, config_file: Path, strict: bool, markdown_only: bool,
          allow_shrink: bool, site_builder: str | None, clean: bool = False) -> None:
    """Check the content, generate both languages' Markdown, and build the site into site/.

    Arabic pages go to the site root (right-to-left), English ones under en/ (left-to-right).
    On any error the previous site/ is left untouched. The build refuses a site_dir that is,
    holds or lies inside content/, templates/, overrides/, build/ or the project, or that holds
    files factsheets did not build; one build runs at a time per project (build/factsheets.lock);
    a site with fewer than half the pages of the current one needs --allow-shrink.
    """
    from generator import urls
    from generator.build import build as run_build
    from generator.i18n import language_name

    project = _project(ctx, config_file, content_dir)
    done = run_build(project, clean=clean, strict=strict, allow_shrink=allow_shrink, markdown_only=markdown_only,
                     builder=site_builder, progress=_progress)
    if done.warnings:
        click.echo(format_report(done.warnings), err=True)
    if markdown_only:
        click.echo(f"Markdown written to {project.docs_root}")
        return
    how = f"incrementally ({len(done.changed)} page(s) changed)" if done.incremental else "clean"
    homes = ", ".join(f"{done.site}/{urls.lang_prefix(lang)}index.html ({language_name(lang, 'en')})" for lang in urls.LANGS)
    click.echo(f"built {done.pages} pages in {done.seconds['total']:.1f}s, {how}: {homes}")


@cli.command()
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1 (0: any free port).")
@click.option("--site", "site_dir", default="site", show_default=True,
              type=click.Path(path_type=Path, file_okay=False), help="Built site to serve (without --watch).")
@click.option("--watch", is_flag=True,
              help="Live preview: build, rebuild once per save (content/, templates/, overrides/, mkdocs.yml), "
                   "show content errors in the page, reload pages after each build.")
@click.option("--content", "content_dir", default="content", show_default=True,
              type=click.Path(path_type=Path, file_okay=False, exists=True), help="Folder of annotated content (--watch).")
@click.option("-f", "--config", "config_file", default="mkdocs.yml", show_default=True,
              type=click.Path(path_type=Path, dir_okay=False), help="MkDocs configuration (--watch).")
@click.option("--strict", is_flag=True, help="Treat content warnings as errors (--watch).")
@click.option("--builder", "site_builder", type=click.Choice(["mkdocs", "properdocs", "zensical"], case_sensitive=False),
              default=None, help="Site builder for --watch (default as for `factsheets build`).")
@click.pass_context
def serve(ctx: click.Context, port: int, site_dir: Path, watch: bool, content_dir: Path, config_file: Path,
          strict: bool, site_builder: str | None) -> None:
    """Serve the built site on http://127.0.0.1:PORT/ (build it first with `factsheets build`).

    With --watch: a live preview. The site is built, then rebuilt once per save of anything in
    content/, templates/, overrides/ or mkdocs.yml (with the configured builder); a build that
    fails shows its problems in the browser, in the page's language, until the file is fixed;
    pages reload by themselves after each build. Arabic at / ; English at /en/. See docs/preview.md.
    """
    import functools
    import http.server

    from generator.errors import UsageError

    if watch:
        from generator import urls
        from generator.i18n import language_name
        from generator.publish.preview import Preview, SearchIndexer, project_build, watched_paths

        project = _project(ctx, config_file, content_dir)
        try:
            served = project.site_dir(project.base_config())
        except FactsheetsError:  # a broken mkdocs.yml is reported by the first build, in the page
            served = project.root / "site"
        preview = Preview(served, project.templates, watched_paths(project),
                          project_build(project, builder=site_builder, strict=strict, progress=_progress),
                          log=lambda msg: click.echo(f"factsheets: preview: {msg}", err=True),
                          indexer=SearchIndexer(project))
        url = preview.start_server(port)
        others = "; ".join(f"{language_name(lang, 'en')}: {url}{urls.lang_prefix(lang)}" for lang in urls.LANGS
                           if urls.lang_prefix(lang))
        click.echo(f"serving {served}/ on {url} with live rebuilds ({others}; Ctrl+C to stop)")
        try:
            preview.watch_forever()
        finally:
            preview.close()
        return
    if not (site_dir / "index.html").is_file():
        raise UsageError(f"no built site in {site_dir}/: run `factsheets build` first, or `factsheets serve --watch`")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site_dir))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        click.echo(f"serving {site_dir}/ on http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl+C to stop)")
        httpd.serve_forever()


@cli.command()
@click.option("--remote", default="origin", show_default=True, help="Git remote to push to.")
@click.option("--branch", default="gh-pages", show_default=True,
              help="Branch that receives the site: a new branch or one that holds only earlier deploys.")
@click.option("-m", "--message", help="Commit message; {sha} and {version} are filled in.")
@click.option("--force", is_flag=True,
              help="Allow a non-fast-forward push over the deploy commit that was inspected (never over "
                   "a branch that is not a deploy branch).")
@click.option("--no-history", is_flag=True, help="Replace the deploy branch by one commit holding the site.")
@click.option("--allow-dirty", is_flag=True,
              help="Deploy even with uncommitted changes (the commit message says so).")
@click.option("--build", "rebuild", is_flag=True, help="Build the site first even when site/ already holds one.")
@click.option("--content", "content_dir", default="content", show_default=True,
              type=click.Path(path_type=Path, file_okay=False), help="Folder of annotated content.")
@click.option("-f", "--config", "config_file", default="mkdocs.yml", show_default=True,
              type=click.Path(path_type=Path, dir_okay=False), help="MkDocs configuration shared by both languages.")
@click.pass_context
def deploy(ctx: click.Context, remote: str, branch: str, message: str | None, force: bool, no_history: bool,
           allow_dirty: bool, rebuild: bool, content_dir: Path, config_file: Path) -> None:
    """Publish the built site (both languages) to a branch of a Git remote, for GitHub Pages'
    "Deploy from a branch" (like `mkdocs gh-deploy`, which would publish one language only).

    Builds first when site/ holds no site. Adds .nojekyll, and CNAME when a custom domain is
    configured (FACTSHEETS_CNAME or extra.cname in mkdocs.yml). Refuses, before writing anything,
    a dirty working tree (unless --allow-dirty) and a branch that holds anything but earlier
    deploys: the checked-out branch, the remote's default branch, any other branch whose last
    commit is not a deploy. See docs/publish.md.
    """
    from generator.build import build as run_build
    from generator.publish.deploy import deploy as run_deploy

    project = _project(ctx, config_file, content_dir)
    done = run_deploy(project, remote=remote, branch=branch, message=message, force=force, no_history=no_history,
                      allow_dirty=allow_dirty, build=rebuild,
                      build_site=lambda: run_build(project, progress=_progress))
    for warning in done.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"deployed {done.site}/ to {done.remote}/{done.branch} ({done.remote_url})"
               + (f" (custom domain {done.cname})" if done.cname else ""))
    click.echo(f"published commit: {done.commit}")
    click.echo(f"built from: {done.source or '(no commit)'}" + (" with uncommitted changes" if done.dirty else ""))
    click.echo(f"site URL: {done.site_url}" if done.site_url else
               "site URL: not set (set site_url in mkdocs.yml or FACTSHEETS_SITE_URL)")


@cli.command()
@click.argument("article", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]), help="Publication date (YYYY-MM-DD).")
@click.option("--outlet", help="Outlet's organization id (default: recognised from the dateline).")
@click.option("--url", help="The article's http(s) address.")
@click.option("--id", "source_id", help="Source id (default: <outlet>-<published>-<states in the headline>).")
@click.option("--content", "content_dir", default="content", show_default=True,
              type=click.Path(path_type=Path, file_okay=False), help="Folder of annotated content.")
@click.option("--headline", help="The article's headline, when the file does not start with it.")
@click.option("--force", is_flag=True,
              help="Draft an article already drafted: a NEW file beside the existing one (never over it).")
def new(article: Path, published, outlet: str | None, url: str | None, source_id: str | None,
        content_dir: Path, headline: str | None, force: bool) -> None:
    """Draft content/sources/<id>.yaml from ARTICLE (plain text or HTML): source, stub meeting,
    statement stubs for every quote, each guess marked for review (docs/intake.md)."""
    from generator.intake.pipeline import new_article
    from generator.intake.report import format_report as intake_report

    result = new_article(article, content_dir=content_dir, published=published.date() if published else None,
                         outlet=outlet, url=url, source_id=source_id, force=force, headline=headline)
    click.echo(intake_report(result))
    if result.bugs:
        raise SystemExit(1)


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@click.option("--lang", type=click.Choice(["ar", "en"]), default="ar", show_default=True, help="Language of the snippet.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "text", "docx"]), default="md", show_default=True,
              help="Output format (docx needs -o FILE.docx).")
@click.option("--content", "content_dir", default="content", show_default=True,
              type=click.Path(path_type=Path, file_okay=False, exists=True), help="Folder of annotated content.")
@click.option("--site-url", default=None,
              help="Absolute URL of the site for permalinks (default: FACTSHEETS_SITE_URL, else site_url in "
                   "mkdocs.yml; without one the command stops, unless --relative).")
@click.option("--relative", is_flag=True, help="Links relative to the site root instead of absolute ones.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file instead of printing (needed for docx).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def brief(ids: tuple[str, ...], lang: str, fmt: str, content_dir: Path, site_url: str | None, relative: bool,
          output: Path | None, force: bool) -> None:
    """Print a ready-to-paste briefing snippet for each ID (meeting, statement, person, organization,
    topic or source), with absolute permalinks, or write it to a file (-o; Word with --format docx).
    An unknown id is a usage error (exit 2) naming the closest id."""
    from generator.outputs.brief import brief_command

    click.echo(brief_command(ids, lang=lang, fmt=fmt, content=content_dir, site_url=site_url, relative=relative,
                             output=output, force=force), nl=False)


@cli.command()
@click.argument("briefing_id")
@click.option("--format", "fmt", type=click.Choice(["docx", "html", "md"]), default="md", show_default=True,
              help="Output format (docx needs -o FILE.docx).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file instead of printing (needed for docx).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--content", "content_dir", default="content", show_default=True,
              type=click.Path(path_type=Path, file_okay=False, exists=True), help="Folder of annotated content.")
@click.option("--site-url", default=None,
              help="Absolute URL of the site for links (default: FACTSHEETS_SITE_URL, else site_url in mkdocs.yml).")
@click.option("--relative", is_flag=True, help="Links relative to the site root instead of absolute ones.")
def briefing(briefing_id: str, fmt: str, output: Path | None, force: bool, content_dir: Path, site_url: str | None,
             relative: bool) -> None:
    """Export the briefing content/briefings/BRIEFING_ID.md, its embedded fact sheets included, as a
    Word document, a standalone HTML page or Markdown, with absolute links."""
    from generator.outputs.briefing_export import briefing_command

    click.echo(briefing_command(briefing_id, fmt=fmt, content=content_dir, site_url=site_url, relative=relative,
                                output=output, force=force), nl=False)


def main() -> None:
    cli(prog_name="factsheets")


if __name__ == "__main__":  # pragma: no cover
    main()
    sys.exit(0)
