"""Page sizes as the archive grows (issue 22, item 4): Markdown and HTML of every page kind.

    python -m bench.page_sizes 100 1000 5000 [--lang en] [--sample 40] [--markdown-only]

For each N, writes the synthetic corpus ``bench/corpus.py N`` (seed 8) into
``/tmp/factsheets-page-sizes-html/<corpus.py digest>/N`` unless it is there already,
then generates one language's Markdown as ``factsheets build`` does (every page, and the
figures, exports and redirects beside them, into ``build/docs/<lang>/``, only what changed is
rewritten), and builds the HTML of the measured pages with MkDocs' own machinery: the language's
real configuration (``generator.publish.site.write_language_config``: theme, overrides, the sidebar,
Markdown extensions), every file of the site collected and the navigation built as in
``mkdocs build``, but only the measured pages (and the sidebar's pages) read, rendered and
written. Measured: for each page kind (a part of a paged page is its own kind, ``…-part``; index
pages by what they list) the three largest pages in Markdown; for meeting and source pages also
``--sample`` pages spread evenly over the archive (their median is printed too).

Prints two tables (Markdown, then HTML): the largest page of each kind in bytes at each N, the
growth from the first N to the last, and the largest page's path at the last N.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import shutil
import statistics
from collections import defaultdict
from datetime import date
from pathlib import Path

from bench.corpus import write_corpus
from generator.outputs.extras import PRODUCERS, Context
from generator.render.plan import Page, plan_pages
from generator.render.pages import Renderer
from generator.core.validate import load_and_check
from generator.render.write import write_tree

REPO = Path(__file__).resolve().parent.parent
CACHE = Path("/tmp/factsheets-page-sizes-html")
TODAY = date(2026, 1, 1)
SAMPLED = ("meeting", "source")  # kinds whose pages are also sampled across the archive
TOP = 3  # pages measured per kind: the largest in Markdown


def kind_of(page: Page) -> str:
    kind = page.kind if page.kind != "index" else f"index ({page.subject})"
    return kind + ("-part" if page.part else "")


def project(n: int, legacy_names: bool = False) -> Path:
    """``<cache>/<digest of corpus.py>/N`` holds the corpus; the project built from it (a
    mkdocs.yml, this checkout's templates and overrides, build/, the HTML) is under ``<cache>/
    builds/``, one per checkout, so two checkouts can measure at once."""
    digest = hashlib.sha256((REPO / "bench" / "corpus.py").read_bytes()).hexdigest()[:10]
    digest += "-legacy" if legacy_names else ""
    content = CACHE / digest / str(n)
    if not (content / "sources").is_dir():
        write_corpus(n, content, seed=8, legacy_names=legacy_names)
    checkout = hashlib.sha256(str(REPO).encode()).hexdigest()[:8]
    root = CACHE / "builds" / f"{checkout}-{digest}" / str(n)
    root.mkdir(parents=True, exist_ok=True)
    for name, target in (("content", content), ("templates", REPO / "templates"), ("overrides", REPO / "overrides")):
        if not (root / name).exists():
            (root / name).symlink_to(target)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root


def generate(root: Path, lang: str) -> list[tuple[Page, int]]:
    """Write one language's Markdown (and its other files) as the generator does; return every
    page with its size in bytes."""
    corpus = load_and_check(root / "content").corpus
    renderer = Renderer(corpus, root / "templates", today=TODAY)
    sizes: list[tuple[Page, int]] = []

    def rendered():
        for page in plan_pages(corpus, (lang,)):
            text = renderer.render(page)
            sizes.append((page, len(text.encode("utf-8"))))
            yield page.path, text
        ctx = Context(corpus, lang, "", root / "templates")
        for produce in PRODUCERS:
            yield from produce(ctx)

    write_tree(root / "build" / "docs" / lang, rendered())
    return sizes


def chosen(sizes: list[tuple[Page, int]], sample: int) -> dict[str, list[str]]:
    """The docs paths to measure, by kind: the TOP largest, and for SAMPLED kinds ``sample``
    pages spread evenly over the plan's order."""
    by_kind: dict[str, list[tuple[Page, int]]] = defaultdict(list)
    for page, size in sizes:
        by_kind[kind_of(page)].append((page, size))
    out: dict[str, list[str]] = {}
    for kind, pages in by_kind.items():
        paths = [p.path for p, _ in sorted(pages, key=lambda ps: (-ps[1], ps[0].path))[:TOP]]
        if kind in SAMPLED and sample:
            step = max(1, len(pages) // sample)
            paths += [p.path for p, _ in pages[::step][:sample] if p.path not in paths]
        out[kind] = paths
    return out


def build_html(root: Path, lang: str, wanted: set[str]) -> dict[str, int]:
    """The HTML bytes of the pages ``wanted`` (docs paths), built by MkDocs with the language's
    real configuration, every file of the site known (links resolve as in the whole build)."""
    from mkdocs.commands import build as mk
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page as MkPage

    from generator.publish.site import Project, write_language_config

    proj = Project.at(root, root / "mkdocs.yml", root / "content")
    site_dir = root / f"site-{lang}"
    shutil.rmtree(site_dir, ignore_errors=True)
    config_file = write_language_config(proj, proj.base_config(), lang, site_dir)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    config = load_config(config_file=str(config_file), strict=False)
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    files = get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    populate = wanted | {p.file.src_uri for p in nav.pages}
    todo = []
    for file in files.documentation_pages():
        if file.page is None:
            MkPage(None, file, config)
        if file.src_uri in populate:
            mk._populate_page(file.page, config, files)
            todo.append(file)
    env = config.plugins.on_env(env, config=config, files=files)
    doc_files = files.documentation_pages()
    out: dict[str, int] = {}
    for file in todo:
        if file.src_uri in wanted:
            mk._build_page(file.page, config, doc_files, nav, env)
            out[file.src_uri] = Path(file.abs_dest_path).stat().st_size
    missing = wanted - set(out)
    if missing:
        raise SystemExit(f"not built: {sorted(missing)[:5]}")
    return out


def measure(n: int, lang: str, sample: int, html: bool, legacy_names: bool = False) -> dict[str, dict[str, tuple[int, str, int]]]:
    """``{"md"|"html": {kind: (largest bytes, its path, median of the measured pages)}}``."""
    root = project(n, legacy_names)
    sizes = generate(root, lang)
    picks = chosen(sizes, sample)
    tables: dict[str, dict[str, tuple[int, str, int]]] = {"md": {}, "html": {}}
    by_kind: dict[str, list[tuple[Page, int]]] = defaultdict(list)
    for page, size in sizes:
        by_kind[kind_of(page)].append((page, size))
    for kind, pages in by_kind.items():
        size, path = max((s, p.path) for p, s in pages)
        tables["md"][kind] = (size, path, int(statistics.median(s for _, s in pages)))
    if html:
        built = build_html(root, lang, {p for paths in picks.values() for p in paths})
        for kind, paths in picks.items():
            got = [(built[p], p) for p in paths]
            size, path = max(got)
            tables["html"][kind] = (size, path, int(statistics.median(s for s, _ in got)))
    return tables


def table(results: dict[int, dict[str, tuple[int, str, int]]], sizes: list[int]) -> list[str]:
    kinds = sorted({k for r in results.values() for k in r})
    first, last = sizes[0], sizes[-1]
    lines = ["| page kind | " + " | ".join(f"N = {n:,}" for n in sizes) + f" | {first:,} → {last:,} | largest at N = {last:,} |",
             "| --- | " + " | ".join("---:" for _ in sizes) + " | ---: | --- |"]
    for k in kinds:
        cells = []
        for n in sizes:
            got = results[n].get(k)
            cells.append("–" if got is None else f"{got[0]:,}" + (f" (median {got[2]:,})" if k in SAMPLED else ""))
        a, b = results[first].get(k), results[last].get(k)
        growth = f"{(b[0] / a[0] - 1) * 100:+.1f} %" if a and b else "–"
        lines.append(f"| {k} | " + " | ".join(cells) + f" | {growth} | `{b[1] if b else ''}` |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--lang", default="en")
    ap.add_argument("--sample", type=int, default=40, help="meeting and source pages sampled for their HTML")
    ap.add_argument("--markdown-only", action="store_true", help="measure Markdown only (no MkDocs)")
    ap.add_argument("--legacy-names", action="store_true",
                    help="the corpus as before 2026-12-02, its names and ids longer as N grows (bench/corpus.py)")
    args = ap.parse_args()
    results = {n: measure(n, args.lang, args.sample, not args.markdown_only, args.legacy_names) for n in args.sizes}
    for fmt, label in (("md", "Markdown"), ("html", "HTML")):
        if args.markdown_only and fmt == "html":
            continue
        print(f"\n{label} bytes, {args.lang} (largest page of each kind; meeting and source: "
              f"{'every page' if fmt == 'md' else f'the largest {TOP} and {args.sample} sampled'})\n")
        print("\n".join(table({n: r[fmt] for n, r in results.items()}, args.sizes)))


if __name__ == "__main__":
    main()
