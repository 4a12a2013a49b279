"""Benchmarks for `factsheets build` on synthetic corpora (issue #8).

    .venv/bin/python bench/run.py --n 100 --n 1000          # results in bench/out/results-<N>.json
    nohup .venv/bin/python bench/run.py --n 5000 > bench/out/run-5000.log 2>&1 &
    .venv/bin/python bench/run.py --report                  # print the table from the JSON files

For each N it makes a project under bench/out/p<N>/ (content/ from bench/corpus.py; templates/
and overrides/ linked to the repo's; a copy of mkdocs.yml), so nothing outside bench/out/ is
touched, and measures, each stage in its own process (wall time, CPU time and peak RSS from
``os.wait4``, i.e. getrusage of the child and the children it waited for):

* ``check``      load + validate (generator.core.validate.load_and_check), timed in-process;
* ``generate``   generator.render.generate.generate() into an empty build/docs (pages/s, written to disk);
* ``breakdown``  the real build's stages (generator.build.build(markdown_only=True) and its
                 ``timings`` hook: load+check, plan, render+write), into an empty folder and again
                 with nothing changed, each in a fresh process; then the *floor*: every page
                 rendered by the real Renderer from the loaded corpus, no I/O, cold (first pass)
                 and warm (second pass), per page kind, and each extra-file producer (pages/s);
* ``build``      the whole `factsheets build` from a clean build/ and site/, with its stages split
                 by the time its progress lines arrive: generation | MkDocs (ar and en in parallel,
                 + assembling site/) | Pagefind (+ swapping site/ in);
* ``i18n``       one plain `mkdocs build` of the already-generated Markdown (build/docs/{ar,en}) with
                 Material + mkdocs-static-i18n (folder structure, same theme, overrides and nav):
                 the comparison the target is stated against (needs `pip install -e .[bench]`), with stock
                 Python-Markdown; ``i18n_nosearch``: the same without search; ``i18n_nosearch_ours``: that
                 with this tool's Markdown extension (generator.publish.mdext) too, to tell its share of the gain;
* ``incremental`` one statement's summary (ar and en) changed, `factsheets build` again: time, and
                 which Markdown files the generator rewrote (mtimes), against the files that show
                 the new text;
* ``sizes``      site/ (bytes, files), meeting and topic pages' HTML, Pagefind index/fragment/meta
                 per language;
* ``serve``      (opt-in, ``--serve``) `mkdocs serve` on the project: one statement edited, the time
                 until the served Arabic and English pages show it, and the Markdown files rewritten
                 (bench/serve.py);
* ``pairs``      (opt-in, ``--pairs K``) K times: the static-i18n build without search, then a clean
                 `factsheets build`; the ratio of each adjacent pair (the host's speed drifts
                 between runs minutes apart, so ratios of far-apart runs mislead);
* ``search``     bytes a browser downloads for one query: Chromium (/usr/bin/chromium) driven by
                 Playwright against the built site served on 127.0.0.1, opening search/?q=WORD and
                 summing the sizes of every response once the results are shown.

The machine is shared: wall times are noisy when other jobs run; CPU times (user+sys) are
reported next to them and the load average is recorded before and after each stage.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
PY = sys.executable
sys.path.insert(0, str(REPO))


# --- measuring child processes -------------------------------------------------------------

def measured(cmd: list[str], *, cwd: Path = REPO, env: dict | None = None, marks: tuple[str, ...] = (),
             on_mark=None) -> dict:
    """Run ``cmd``; wall time, CPU time, peak RSS (largest process in its tree), output, and the
    time (from start) at which the first output line containing each of ``marks`` arrived."""
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, bufsize=1)
    seen: dict[str, float] = {}
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line)
        for m in marks:
            if m not in seen and m in line:
                seen[m] = time.perf_counter() - t0
                if on_mark:
                    on_mark(m)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    out = "".join(lines)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{out[-4000:]}")
    return {"wall_s": round(wall, 3), "cpu_s": round(ru.ru_utime + ru.ru_stime, 3),
            "peak_rss_mb": round(ru.ru_maxrss / 1024, 1), "marks": {k: round(v, 3) for k, v in seen.items()},
            "load_before": round(load0, 2), "load_after": round(os.getloadavg()[0], 2), "output": out}


def stage(name: str, project: Path) -> dict:
    """Run one in-process stage (``_stage``) in a fresh interpreter; its JSON result plus rusage."""
    r = measured([PY, str(Path(__file__).resolve()), "_stage", name, str(project)])
    result = json.loads(r["output"].strip().splitlines()[-1])
    result.update({k: r[k] for k in ("wall_s", "cpu_s", "peak_rss_mb", "load_before", "load_after")})
    return result


# --- the project under bench/out/p<N>/ ------------------------------------------------------

def make_project(n: int, seed: int, reuse: bool = False) -> Path:
    from bench.corpus import write_corpus

    project = OUT / f"p{n}"
    if not (reuse and (project / "mkdocs.yml").exists()):  # reuse: keep build/ and site/
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir(parents=True)
        for name in ("templates", "overrides"):
            (project / name).symlink_to(REPO / name)
    write_corpus(n, project / "content", seed)
    # always the repo's current configuration (a reused project must not keep an older one)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(text.replace("generator/publish/mkdocs_hooks.py", str(REPO / "generator/publish/mkdocs_hooks.py")),
                                        encoding="utf-8")
    return project


def factsheets_build(project: Path, on_mark=None) -> dict:
    r = measured([PY, "-m", "generator", "build", "--content", str(project / "content"), "-f", str(project / "mkdocs.yml")],
                 marks=("MkDocs: building", "generated ", "Pagefind: indexing", "site: assembling"),
                 on_mark=lambda label: on_mark() if on_mark and label == "generated " else None)
    m = r["marks"]
    # the stages overlap: each language's MkDocs starts as soon as its Markdown is written, and its
    # Pagefind as soon as its HTML is built. generation = until both languages are written;
    # site = the rest (MkDocs + Pagefind after generation, assembly, swap)
    r["generation_s"] = m.get("generated ")
    r["first_mkdocs_start_s"] = m.get("MkDocs: building")
    r["first_pagefind_start_s"] = m.get("Pagefind: indexing")
    r["pagefind_done_s"] = m.get("site: assembling")
    if len(m) == 4:
        r["overlap_s"] = round(m["generated "] - m["MkDocs: building"], 3)
        r["mkdocs_s"] = round(m["Pagefind: indexing"] - m["MkDocs: building"], 3)  # until the first language's HTML
        r["pagefind_s"] = round(m["site: assembling"] - m["Pagefind: indexing"], 3)  # from the first Pagefind
        r["site_s"] = round(r["wall_s"] - m["generated "], 3)
    r["output"] = r["output"][-2000:]
    return r


# --- what a measured build must not pay for -----------------------------------------------------

#: Where the output of earlier runs is moved (same file system: a rename), to be deleted once the
#: measurements are over (:func:`empty_trash`).
TRASH = OUT / "trash"


def set_aside(path: Path) -> None:
    """Move ``path`` (if it exists) out of the way, into :data:`TRASH`, rather than delete it.

    Deleting thousands of files just before a measured build made that build slower: on this
    host's ext4 (mounted without a journal), the kernel gives a new file an inode that was not
    freed in the last minute or more (``recently_deleted`` in ``__ext4_new_inode``), and looks at
    each freed one on the way (perf: 60 % of the time of making files there): 5,500 files of 20 KB
    took 2.1 s of kernel time right after 5,500 others were deleted, 0.16 s 70 s later. The
    generator's 11,000 Markdown files and MkDocs' HTML pay it. The pairs deleted
    the static-i18n site and then the previous build right before each clean `factsheets build`,
    so only that side paid. A rename frees no inode; the trash is emptied after the last run."""
    if not path.exists():
        return
    TRASH.mkdir(parents=True, exist_ok=True)
    path.rename(TRASH / f"{path.parent.name}-{path.name}-{time.time_ns()}")


def settle(seconds: float = 65.0) -> None:
    """Let files deleted before the measurements stop counting as recently deleted (see
    :func:`set_aside`): written back (``sync``), then a minute, the kernel's shortest window."""
    os.sync()
    time.sleep(seconds)


def empty_trash() -> None:
    """Delete what :func:`set_aside` moved away (once nothing is being measured)."""
    shutil.rmtree(TRASH, ignore_errors=True)


def clean_build(project: Path) -> dict:
    """The whole build from nothing: no generated Markdown, no previous site (both set aside)."""
    for folder in ("build", "site"):
        set_aside(project / folder)
    return factsheets_build(project)


def pairs(project: Path, k: int, log=print) -> dict:
    """The static-i18n build without search and a clean `factsheets build`, one after the other,
    ``k`` times: each ratio is taken from two adjacent runs, so a drift of the host's speed
    (seen here between runs minutes apart) moves both sides of it."""
    runs = []
    settle()
    for i in range(k):
        base = i18n_build(project, search=False)
        build = clean_build(project)
        runs.append({"i18n_nosearch_s": base["wall_s"], "i18n_nosearch_cpu_s": base["cpu_s"],
                     "build_s": build["wall_s"], "build_cpu_s": build["cpu_s"],
                     "first_mkdocs_start_s": build.get("first_mkdocs_start_s"),
                     "generation_s": build.get("generation_s"), "pagefind_s": build.get("pagefind_s"),
                     "ratio": round(build["wall_s"] / base["wall_s"], 3),
                     "share_before_mkdocs": round((build.get("first_mkdocs_start_s") or 0) / build["wall_s"], 3)})
        log(f"  pair {i + 1}/{k}: build {build['wall_s']:.1f} s / i18n without search {base['wall_s']:.1f} s "
            f"= {runs[-1]['ratio']:.2f}; MkDocs started at {build.get('first_mkdocs_start_s')} s")
    ratios = sorted(r["ratio"] for r in runs)
    shares = sorted(r["share_before_mkdocs"] for r in runs)
    return {"runs": runs, "ratio_median": ratios[len(ratios) // 2], "ratio_max": ratios[-1],
            "share_before_mkdocs_median": shares[len(shares) // 2], "share_before_mkdocs_max": shares[-1]}


# factsheets' own Markdown extension (same HTML, converted faster): part of this tool, so the
# stock comparison build leaves it out; ``ours=True`` keeps it, to tell its gain from the rest
OWN_MARKDOWN_EXTENSIONS = ("generator.publish.mdext",)


def i18n_config(project: Path, search: bool = True, ours: bool = False) -> Path:
    """One MkDocs configuration building both languages with mkdocs-static-i18n (folder structure),
    as the stock set-up is: with Material's search plugin (``search=False``: without it) and
    stock Python-Markdown (``ours=True``: with this tool's Markdown extension too)."""
    import yaml

    from generator.publish.site import Project, language_settings

    p = Project.at(project, project / "mkdocs.yml", project / "content")
    base = p.base_config()
    ar = language_settings(p, base, "ar")
    en = language_settings(p, base, "en")
    cfg = {k: v for k, v in base.items() if k != "hooks"}
    if not ours:
        cfg["markdown_extensions"] = [e for e in cfg["markdown_extensions"] if e not in OWN_MARKDOWN_EXTENSIONS]
    cfg.update(site_name=ar["site_name"], docs_dir=str(p.docs_root), site_dir=str(project / "site-i18n"),
               theme=ar["theme"], nav=ar["nav"], extra=ar["extra"], strict=False)
    cfg["plugins"] = (["search"] if search else []) + [{"i18n": {"docs_structure": "folder", "fallback_to_default": True, "reconfigure_material": True,
                                "languages": [
                                    {"locale": "ar", "name": "العربية", "default": True, "build": True,
                                     "site_name": ar["site_name"]},
                                    {"locale": "en", "name": "English", "build": True, "site_name": en["site_name"],
                                     "nav": en["nav"], "theme": {"direction": "ltr"}}]}}]
    path = project / f"mkdocs-i18n{'' if search else '-nosearch'}{'-ours' if ours else ''}.yml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def i18n_build(project: Path, search: bool = True, ours: bool = False) -> dict:
    cfg = i18n_config(project, search, ours)
    set_aside(project / "site-i18n")
    r = measured([PY, "-m", "mkdocs", "build", "-q", "-f", str(cfg)], env={"NO_MKDOCS_2_WARNING": "1"})
    site = project / "site-i18n"
    r["html_pages"] = sum(1 for _ in site.rglob("*.html"))
    r["search_index_bytes"] = sum(f.stat().st_size for f in site.rglob("search_index.json"))
    r["search"] = search
    r["own_markdown_extensions"] = ours
    r["output"] = r["output"][-1500:]
    set_aside(site)  # only the time is needed: deleted once the runs are over (empty_trash)
    return r


def mkdocs_parallel(project: Path) -> dict:
    """The MkDocs stage alone, as `factsheets build` runs it: one process per language, in
    parallel, on the generated Markdown; each process's own CPU time and peak RSS."""
    import yaml

    from generator.render.plan import LANGS
    from generator.publish.site import Project, language_settings

    p = Project.at(project, project / "mkdocs.yml", project / "content")
    base = p.base_config()
    procs = {}
    t0 = time.perf_counter()
    for lang in LANGS:
        cfg = {k: v for k, v in base.items() if k != "hooks"}
        cfg.update(language_settings(p, base, lang))
        cfg["site_dir"] = str(project / f"site-par-{lang}")
        if cfg.get("site_url") is None:
            cfg.pop("site_url", None)
        path = project / f"bench-mkdocs.{lang}.yml"
        path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
        procs[lang] = subprocess.Popen([PY, "-m", "mkdocs", "build", "--strict", "-f", str(path)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    out: dict = {"load_before": round(os.getloadavg()[0], 2)}
    for lang, proc in procs.items():
        _, status, ru = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out[lang] = {"exit": proc.returncode, "done_at_s": round(time.perf_counter() - t0, 3),
                     "cpu_s": round(ru.ru_utime + ru.ru_stime, 3), "peak_rss_mb": round(ru.ru_maxrss / 1024, 1)}
    out["wall_s"] = round(time.perf_counter() - t0, 3)
    out["load_after"] = round(os.getloadavg()[0], 2)
    for lang in LANGS:
        shutil.rmtree(project / f"site-par-{lang}", ignore_errors=True)
    return out


def snapshot(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def incremental(project: Path) -> dict:
    """Change one statement's summary (both languages) and rebuild; which files were rewritten?"""
    from bench.corpus import mark_statement

    sources = sorted((project / "content" / "sources").glob("*.yaml"))
    path = sources[len(sources) // 2]
    marker = "INCR" + str(time.time_ns())[-6:]
    docs = project / "build" / "docs"
    before = snapshot(docs)
    time.sleep(0.05)
    st = mark_statement(path, None, marker)
    r = factsheets_build(project)
    after = snapshot(docs)
    rewritten = sorted(f for f, t in after.items() if before.get(f) != t)
    shows = sorted(f for f in after if (docs / f).suffix in (".md", ".json", ".csv", ".xml", ".svg", ".jsonl")
                   and marker in (docs / f).read_text(encoding="utf-8", errors="replace"))
    md_rewritten = [f for f in rewritten if f.endswith(".md")]
    md_shows = [f for f in shows if f.endswith(".md")]
    r.update(statement=st["id"], file=str(path.relative_to(project)), files_total=len(after),
             md_total=sum(1 for f in after if f.endswith(".md")),
             rewritten=len(rewritten), md_rewritten=len(md_rewritten), md_showing=len(md_shows),
             md_rewritten_not_showing=sorted(set(md_rewritten) - set(md_shows))[:40],
             md_showing_not_rewritten=sorted(set(md_shows) - set(md_rewritten)),
             other_rewritten=[f for f in rewritten if not f.endswith(".md")][:40],
             md_rewritten_list=md_rewritten[:60])
    return r


# --- sizes ----------------------------------------------------------------------------------

def _sizes(paths: list[Path]) -> dict:
    s = [p.stat().st_size for p in paths]
    if not s:
        return {"count": 0}
    return {"count": len(s), "median": int(statistics.median(s)), "mean": int(statistics.mean(s)), "max": max(s),
            "min": min(s), "total": sum(s)}


def sizes(project: Path) -> dict:
    site = project / "site"
    files = [p for p in site.rglob("*") if p.is_file()]
    out = {"site_bytes": sum(p.stat().st_size for p in files), "site_files": len(files),
           "html_files": sum(1 for p in files if p.suffix == ".html")}
    for lang, root in (("ar", site), ("en", site / "en")):
        for kind in ("meetings", "topics", "people", "organizations", "sources"):
            out[f"{kind}_html_{lang}"] = _sizes([p for p in (root / kind).glob("*/index.html")])
        out[f"home_html_{lang}"] = (root / "index.html").stat().st_size
        out[f"timeline_html_{lang}"] = (root / "meetings" / "index.html").stat().st_size
    docs = project / "build" / "docs"
    out["markdown_bytes"] = sum(p.stat().st_size for p in docs.rglob("*.md"))
    out["docs_other_bytes"] = sum(p.stat().st_size for p in docs.rglob("*") if p.is_file() and p.suffix != ".md")
    for sub in ("figures", "exports"):
        out[f"docs_{sub}_bytes"] = sum(p.stat().st_size for p in docs.glob(f"*/{sub}/**/*") if p.is_file())
    bundles = {"ar": site / "pagefind", "en": site / "en" / "pagefind"}  # one Pagefind bundle per language
    out["pagefind_bytes"] = sum(p.stat().st_size for pf in bundles.values() for p in pf.rglob("*") if p.is_file())
    for lang in ("ar", "en"):
        pf = bundles[lang]
        idx = list((pf / "index").glob(f"{lang}_*"))
        frag = list((pf / "fragment").glob(f"{lang}_*"))
        meta = list(pf.glob(f"pagefind.{lang}_*.pf_meta"))
        out[f"pagefind_{lang}"] = {"index_files": len(idx), "index_bytes": sum(p.stat().st_size for p in idx),
                                   "index_max": max((p.stat().st_size for p in idx), default=0),
                                   "fragment_files": len(frag), "fragment_bytes": sum(p.stat().st_size for p in frag),
                                   "meta_bytes": sum(p.stat().st_size for p in meta)}
    return out


# --- search cost in a real browser ----------------------------------------------------------

QUERIES = {"ar": ["التعاون", "اللاجئين"], "en": ["cooperation", "refugees"]}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D401
        pass


def search_cost(project: Path) -> dict:
    from playwright.sync_api import sync_playwright

    site = project / "site"
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    people = (project / "content" / "people.yaml").read_text(encoding="utf-8")
    import yaml
    person = yaml.safe_load(people.partition("\n")[2])["people"][0]["name"]
    queries = {lang: [*qs, person[lang].split()[0] + " " + person[lang].split()[-1]] for lang, qs in QUERIES.items()}
    results = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
            for lang, qs in queries.items():
                for q in qs:
                    ctx = browser.new_context()  # empty cache for every query
                    page = ctx.new_page()
                    got: list[tuple[str, int]] = []

                    def on_response(resp, got=got):
                        try:
                            n = len(resp.body())
                        except Exception:
                            n = int(resp.headers.get("content-length", 0) or 0)
                        got.append((resp.url.removeprefix(base), n))

                    page.on("response", on_response)
                    prefix = "" if lang == "ar" else "en/"
                    t0 = time.perf_counter()
                    page.goto(f"{base}{prefix}search/?q={q}", wait_until="load")
                    shown = True
                    try:
                        page.wait_for_selector(".pagefind-ui__result", timeout=30_000)
                    except Exception:
                        shown = False
                    first_result = time.perf_counter() - t0  # page load + search + first result drawn
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(500)
                    elapsed = time.perf_counter() - t0
                    count = page.locator(".pagefind-ui__message").first.inner_text() if shown else ""
                    ctx.close()
                    cats: dict[str, int] = {}
                    for url, n in got:
                        cats[_category(url)] = cats.get(_category(url), 0) + n
                    query_bytes = sum(v for k, v in cats.items() if k.startswith("pagefind:") and k != "pagefind:ui")
                    results.append({"lang": lang, "query": q, "results_shown": shown, "message": count,
                                    "seconds": round(elapsed, 2), "first_result_s": round(first_result, 2),
                                    "requests": len(got),
                                    "total_bytes": sum(cats.values()), "pagefind_query_bytes": query_bytes,
                                    "by_category": dict(sorted(cats.items())),
                                    "fragments": sum(1 for u, _ in got if "/fragment/" in u),
                                    "index_chunks": sum(1 for u, _ in got if "/index/" in u)})
            browser.close()
    finally:
        httpd.shutdown()
    return {"queries": results}


def _category(url: str) -> str:
    url = url.split("?", 1)[0]
    if "pagefind/" not in url and "pagefind-shards/" not in url:  # the first shard's bundle, the others'
        return "page"
    name = url.rsplit("/", 1)[-1]
    if name == "factsheets-shards.json":  # the list of shards (generator/publish/search.py)
        return "pagefind:entry"
    if "/fragment/" in url:
        return "pagefind:fragment"
    if "/index/" in url:
        return "pagefind:index"
    if name.endswith(".pf_meta"):
        return "pagefind:meta"
    if name == "pagefind-entry.json":
        return "pagefind:entry"
    if name.startswith("wasm."):
        return "pagefind:wasm"
    if name in ("pagefind.js", "pagefind-worker.js"):
        return "pagefind:js"
    return "pagefind:ui"


# --- in-process stages (run in a fresh interpreter by stage()) ------------------------------

def _stage_main(name: str, project: Path) -> None:
    from generator.render.plan import LANGS
    from generator.publish.site import Project

    p = Project.at(project, project / "mkdocs.yml", project / "content")
    site_url = p.site_url(p.base_config())
    out: dict = {}
    if name == "check":
        from generator.core.loader import load_content
        from generator.core.validate import check
        t0 = time.perf_counter()
        loaded = load_content(p.content)
        t1 = time.perf_counter()
        checked = check(loaded)
        t2 = time.perf_counter()
        out = {"load_s": round(t1 - t0, 3), "validate_s": round(t2 - t1, 3), "total_s": round(t2 - t0, 3),
               "errors": len(checked.errors), "warnings": len(checked.warnings),
               "statements": len(checked.corpus.statements)}
    elif name == "generate":
        from generator.render.generate import generate
        docs = p.build / "bench-generate"  # not build/docs: the whole build may run at the same time
        shutil.rmtree(docs, ignore_errors=True)
        t0, c0 = time.perf_counter(), _cpu_with_children()
        gen = generate(p.content, p.templates, docs, site_url=site_url)
        dt, dc = time.perf_counter() - t0, _cpu_with_children() - c0  # + the forked worker (English)
        out = {"seconds": round(dt, 3), "cpu_seconds": round(dc, 3), "pages": gen.pages,
               "pages_per_s": round(gen.pages / dt, 1), "pages_per_cpu_s": round(gen.pages / dc, 1),
               "files_written": sum(r.written for r in gen.report.values())}
    elif name == "markdown_build":
        out = _markdown_build(p)
    elif name == "floor":
        out = _floor(p, site_url, LANGS)
    else:
        raise SystemExit(f"unknown stage {name}")
    print(json.dumps(out, ensure_ascii=False))


def _cpu_with_children() -> float:
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _markdown_build(p) -> dict:
    """The real build, ``generator.build.build(markdown_only=True)``, in this (fresh) process, its
    stage times from its ``timings`` hook (load+check, plan, render+write, total). It builds into
    its own folder (``build/bench-breakdown/``, with its own lock): the whole `factsheets build` of
    another lane may run on the project at the same time."""
    import dataclasses

    from generator.build import build

    mine = dataclasses.replace(p, build=p.build / "bench-breakdown")
    stages: dict[str, float] = {}
    t0, c0 = time.perf_counter(), _cpu_with_children()
    r = build(mine, markdown_only=True, timings=lambda s, t: stages.__setitem__(s, round(stages.get(s, 0) + t, 3)))
    dt, dc = time.perf_counter() - t0, _cpu_with_children() - c0  # + the forked worker (English)
    return {"pages": r.pages, "stages_s": stages, "seconds": round(dt, 3), "cpu_seconds": round(dc, 3)}


def breakdown(project: Path) -> dict:
    """The real build's stages twice, each in a fresh process (``markdown_build``: into an empty
    folder, every file written; then again, nothing changed, nothing written), then the floor
    (``floor``, a fresh process too)."""
    shutil.rmtree(project / "build" / "bench-breakdown", ignore_errors=True)
    cold = stage("markdown_build", project)
    unchanged = stage("markdown_build", project)
    out = stage("floor", project)
    out["stages_s"] = cold["stages_s"]
    out["stages_unchanged_s"] = unchanged["stages_s"]
    out["build_markdown"] = {k: cold[k] for k in ("seconds", "cpu_seconds", "wall_s", "cpu_s", "peak_rss_mb")}
    for k in ("load_before", "load_after"):
        out[k] = [cold[k], out[k]]
    return out


def _floor(p, site_url: str, langs) -> dict:
    """The raw-render floor through the real code: the content loaded and checked, the pages
    planned and every page rendered by ``generator.render.pages.Renderer`` from the loaded corpus, no
    I/O; cold is the first pass in this fresh process, warm a second pass with every cache filled.
    Each extra-file producer of ``generator.outputs.extras`` is timed on the renderer's figures, as the
    build runs them."""
    import gc
    from collections import defaultdict

    from generator.outputs import extras
    from generator.core.history import last_changed_dates
    from generator.render.plan import plan_pages
    from generator.render.pages import Renderer
    from generator.core.validate import load_and_check

    corpus = load_and_check(p.content).corpus
    pages = plan_pages(corpus)
    renderer = Renderer(corpus, p.templates, site_url, changed=last_changed_dates(p.content))
    gc.freeze()  # as generate() does: the loaded corpus is not walked by the cyclic GC while rendering
    by_kind: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    md_bytes: dict[str, int] = defaultdict(int)
    t_all, c_all = time.perf_counter(), time.process_time()
    for page in pages:
        t0 = time.perf_counter()
        text = renderer.render(page)
        by_kind[page.kind] += time.perf_counter() - t0
        count[page.kind] += 1
        md_bytes[page.kind] += len(text.encode())
    render_cold, render_cold_cpu = time.perf_counter() - t_all, time.process_time() - c_all
    extra_t: dict[str, float] = defaultdict(float)
    extra_n, extra_b = 0, 0
    for lang in langs:
        ctx = extras.Context(corpus, lang, site_url, p.templates, renderer.figures)
        for produce in extras.PRODUCERS:
            t0 = time.perf_counter()
            files = [(path, text if isinstance(text, str) else "".join(text))  # a large export comes in pieces
                     for path, text in produce(ctx)]
            extra_t[produce.__name__] += time.perf_counter() - t0
            extra_n += len(files)
            extra_b += sum(len(text.encode()) for _, text in files)
    t0, c0 = time.perf_counter(), time.process_time()
    for page in pages:
        renderer.render(page)
    render_warm, render_warm_cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"pages": len(pages), "render_cold_s": round(render_cold, 3),
            "render_warm_s": round(render_warm, 3),
            "floor_pages_per_s_cold": round(len(pages) / render_cold, 1),
            "floor_pages_per_s_warm": round(len(pages) / render_warm, 1),
            "render_cold_cpu_s": round(render_cold_cpu, 3), "render_warm_cpu_s": round(render_warm_cpu, 3),
            "floor_pages_per_cpu_s_cold": round(len(pages) / render_cold_cpu, 1),
            "floor_pages_per_cpu_s_warm": round(len(pages) / render_warm_cpu, 1),
            "render_by_kind_s": {k: round(v, 3) for k, v in sorted(by_kind.items(), key=lambda kv: -kv[1])},
            "pages_by_kind": dict(count), "markdown_bytes_by_kind": dict(md_bytes),
            "extras_s": {k: round(v, 3) for k, v in extra_t.items()},
            "extra_files": extra_n, "extra_bytes": extra_b}


# --- driver -----------------------------------------------------------------------------------

def machine() -> dict:
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    mem = next((ln.split()[1] for ln in open("/proc/meminfo") if ln.startswith("MemTotal")), "0")
    return {"nproc": os.cpu_count(), "cpu": cpu, "mem_gb": round(int(mem) / 1024 / 1024, 1),
            "python": sys.version.split()[0]}


def run(n: int, seed: int, skip: set[str], log=print, parallel: bool = False, reuse: bool = False,
        serve: bool = False, n_pairs: int = 0) -> dict:
    path = OUT / f"results-{n}.json"
    res: dict = {"n": n, "seed": seed, "machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    if reuse and path.exists():  # add to the stored results
        res = {**json.loads(path.read_text(encoding="utf-8")), "reused_at": res["started"]}

    lock = threading.Lock()

    def save():
        with lock:
            _save()

    def _save():
        path.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")

    def step(key, fn):
        if key in skip:
            return
        log(f"[N={n}] {key} … (load {os.getloadavg()[0]:.1f})")
        t0 = time.perf_counter()
        try:
            value = fn()
        except Exception as exc:  # record and go on: one failing stage must not lose the others
            value = {"error": f"{type(exc).__name__}: {exc}"[:3000]}
        with lock:
            res[key] = value
        log(f"[N={n}] {key} done in {time.perf_counter() - t0:.1f}s")
        save()

    t0 = time.perf_counter()
    project = make_project(n, seed, reuse)
    res["corpus_s"] = round(time.perf_counter() - t0, 2)
    res["counts"] = {"content_files": sum(1 for _ in (project / "content").rglob("*.yaml")),
                     "content_bytes": sum(f.stat().st_size for f in (project / "content").rglob("*.yaml"))}
    if not parallel:
        step("check", lambda: stage("check", project))
        step("breakdown", lambda: breakdown(project))
        step("generate", lambda: stage("generate", project))
        step("build", lambda: factsheets_build(project))
        step("sizes", lambda: sizes(project))
        step("search", lambda: search_cost(project))
        step("mkdocs", lambda: mkdocs_parallel(project))
        step("i18n", lambda: i18n_build(project))
        step("i18n_nosearch", lambda: i18n_build(project, search=False))
        step("i18n_nosearch_ours", lambda: i18n_build(project, search=False, ours=True))
        # the whole build once more, after the baselines: how much one run differs from the next
        step("build_again", lambda: factsheets_build(project))
        step("incremental", lambda: incremental(project))
        if serve:
            from bench.serve import serve_incremental

            step("serve", lambda: serve_incremental(project))
        if n_pairs:
            step("pairs", lambda: pairs(project, n_pairs, log))
    else:
        # On a machine shared with other jobs: three lanes at once (more CPU share; compare CPU
        # times, not wall times). The whole build runs first in its lane; the MkDocs-only and
        # the static-i18n builds start once it has generated the Markdown, which they read.
        generated = threading.Event()
        built = {}

        def lane_build():
            step("build", lambda: built.setdefault("r", factsheets_build(project, on_mark=generated.set)))
            generated.set()
            step("sizes", lambda: sizes(project))
            step("search", lambda: search_cost(project))
            step("incremental", lambda: incremental(project))

        def lane_generator():
            step("check", lambda: stage("check", project))
            step("breakdown", lambda: breakdown(project))
            step("generate", lambda: stage("generate", project))

        def lane_mkdocs():
            generated.wait()
            step("mkdocs", lambda: mkdocs_parallel(project))
            step("i18n", lambda: i18n_build(project))

        lanes = [threading.Thread(target=f) for f in (lane_build, lane_generator, lane_mkdocs)]
        for th in lanes:
            th.start()
        for th in lanes:
            th.join()
    res["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    save()
    empty_trash()
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description="Benchmarks of factsheets build (issue #8).")
    ap.add_argument("--n", type=int, action="append", help="number of meetings (repeatable; default 100 and 1000)")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--skip", action="append", default=[],
                    help="stage to skip: check breakdown generate build sizes search mkdocs i18n i18n_nosearch "
                         "i18n_nosearch_ours build_again incremental")
    ap.add_argument("--parallel", action="store_true",
                    help="run the stages in three lanes at once (for a machine busy with other jobs)")
    ap.add_argument("--reuse", action="store_true",
                    help="keep bench/out/p<N>/build and site and the stored results; run the stages not skipped")
    ap.add_argument("--serve", action="store_true", help="also time `mkdocs serve` picking up one edit (slow)")
    ap.add_argument("--pairs", type=int, default=0, metavar="K",
                    help="at the end, K times: the static-i18n build without search, then a clean factsheets build "
                         "(ratios from adjacent runs)")
    ap.add_argument("--summary", action="store_true", help="print the key figures of the stored results")
    ap.add_argument("_stage", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.summary:
        print(summary(args.n or [100, 1000, 5000]))
        return
    if args._stage and args._stage[0] == "_stage":
        _stage_main(args._stage[1], Path(args._stage[2]))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    for n in args.n or [100, 1000]:
        run(n, args.seed, set(args.skip), log=lambda msg: print(msg, flush=True), parallel=args.parallel, reuse=args.reuse,
            serve=args.serve, n_pairs=args.pairs)



# --- summary ------------------------------------------------------------------------------------

def summary(ns: list[int]) -> str:
    """The key figures and target ratios from bench/out/results-<N>.json, as Markdown."""
    rs = {}
    for n in ns:
        f = OUT / f"results-{n}.json"
        if f.exists():
            rs[n] = json.loads(f.read_text(encoding="utf-8"))
    lines = []

    def g(r, *keys, default=None):
        for k in keys:
            if not isinstance(r, dict) or k not in r:
                return default
            r = r[k]
        return r

    for n, r in rs.items():
        b, gen, bd, i18n, mk, inc = (r.get(k, {}) for k in ("build", "generate", "breakdown", "i18n", "mkdocs", "incremental"))
        lines.append(f"### N = {n}")
        lines.append(f"- corpus: {g(bd, 'pages')} pages; statements {g(r, 'check', 'statements')}")
        lines.append(f"- check: wall {g(r, 'check', 'wall_s')} s, cpu {g(r, 'check', 'cpu_s')} s, "
                     f"in-process load {g(r, 'check', 'load_s')} + validate {g(r, 'check', 'validate_s')} s, "
                     f"rss {g(r, 'check', 'peak_rss_mb')} MB")
        lines.append(f"- generate: {g(gen, 'seconds')} s wall / {g(gen, 'cpu_seconds')} s cpu, "
                     f"{g(gen, 'pages_per_s')} pages/s wall, {g(gen, 'pages_per_cpu_s')} pages/cpu-s, rss {g(gen, 'peak_rss_mb')} MB")
        lines.append(f"- floor: warm {g(bd, 'floor_pages_per_cpu_s_warm')} pages/cpu-s, cold {g(bd, 'floor_pages_per_cpu_s_cold')}; "
                     f"by kind {g(bd, 'render_by_kind_s')}; extras {g(bd, 'extras_s')}; build stages {g(bd, 'stages_s')}, "
                     f"unchanged {g(bd, 'stages_unchanged_s')}")
        lines.append(f"- build: wall {g(b, 'wall_s')} s (gen {g(b, 'generation_s')}, mkdocs {g(b, 'mkdocs_s')}, "
                     f"pagefind {g(b, 'pagefind_s')}), cpu {g(b, 'cpu_s')} s, rss {g(b, 'peak_rss_mb')} MB, "
                     f"load {g(b, 'load_before')}→{g(b, 'load_after')}")
        b2 = r.get("build_again", {})
        if b2:
            lines.append(f"- build again (after the baselines): wall {g(b2, 'wall_s')} s (gen {g(b2, 'generation_s')}), cpu {g(b2, 'cpu_s')} s")
        lines.append(f"- mkdocs stage: {json.dumps(mk)}")
        lines.append(f"- i18n (+ Material search): wall {g(i18n, 'wall_s')} s, cpu {g(i18n, 'cpu_s')} s, "
                     f"rss {g(i18n, 'peak_rss_mb')} MB, html {g(i18n, 'html_pages')}, search index {g(i18n, 'search_index_bytes')} B")
        ns = r.get("i18n_nosearch", {})
        lines.append(f"- i18n without search: wall {g(ns, 'wall_s')} s, cpu {g(ns, 'cpu_s')} s, rss {g(ns, 'peak_rss_mb')} MB")
        nso = r.get("i18n_nosearch_ours", {})
        if nso:
            lines.append(f"- i18n without search, with generator.publish.mdext: wall {g(nso, 'wall_s')} s, cpu {g(nso, 'cpu_s')} s")
        lines.append(f"- incremental: wall {g(inc, 'wall_s')} s (gen {g(inc, 'generation_s')}), cpu {g(inc, 'cpu_s')}, "
                     f"md rewritten {g(inc, 'md_rewritten')}/{g(inc, 'md_total')}, showing {g(inc, 'md_showing')}, "
                     f"extra {g(inc, 'md_rewritten_not_showing')}, missed {g(inc, 'md_showing_not_rewritten')}, "
                     f"other files {g(inc, 'other_rewritten')}")
        sv = r.get("serve", {})
        if sv:
            lines.append(f"- mkdocs serve: first build {g(sv, 'first_build_s')} s; after one edit ar page {g(sv, 'ar_page_updated_s')} s, "
                         f"en page {g(sv, 'en_page_updated_s')} s; md rewritten {g(sv, 'md_rewritten')}/{g(sv, 'md_total')}, "
                         f"showing {g(sv, 'md_showing')}, missed {g(sv, 'md_showing_not_rewritten')}")
        s = r.get("sizes", {})
        lines.append(f"- sizes: site {g(s, 'site_bytes')} B in {g(s, 'site_files')} files; meeting html ar {g(s, 'meetings_html_ar')}; "
                     f"topic html ar {g(s, 'topics_html_ar')}; pagefind ar {g(s, 'pagefind_ar')}; en {g(s, 'pagefind_en')}")
        for q in g(r, "search", "queries", default=[]) or []:
            lines.append(f"- search {q['lang']} «{q['query']}»: first result {q.get('first_result_s')} s, "
                         f"query bytes {q['pagefind_query_bytes']}, total {q['total_bytes']}, "
                         f"{q['index_chunks']} chunks, {q['fragments']} fragments, {q['message']}")
        # targets
        try:
            gen_cpu = g(gen, "cpu_seconds")
            est = gen_cpu + max(mk["ar"]["cpu_s"], mk["en"]["cpu_s"]) + max(0.0, b["cpu_s"] - gen_cpu - mk["ar"]["cpu_s"] - mk["en"]["cpu_s"])
            lines.append(f"- T1 build/i18n: wall {b['wall_s'] / i18n['wall_s']:.2f}, cpu {b['cpu_s'] / i18n['cpu_s']:.2f}, "
                         f"idle-2-core estimate {est:.1f}/{i18n['cpu_s']:.1f} = {est / i18n['cpu_s']:.2f}")
        except Exception as exc:  # noqa: BLE001
            lines.append(f"- T1: n/a ({exc})")
        pr = r.get("pairs")
        if pr and "runs" in pr:
            lines.append(f"- pairs (i18n without search, then a clean build): ratios "
                         f"{[x['ratio'] for x in pr['runs']]}, median {pr['ratio_median']}; builds "
                         f"{[x['build_s'] for x in pr['runs']]} s; i18n {[x['i18n_nosearch_s'] for x in pr['runs']]} s; "
                         f"share before the first MkDocs {[x['share_before_mkdocs'] for x in pr['runs']]}")
        try:
            lines.append(f"- T1 build/i18n without search: wall {b['wall_s'] / ns['wall_s']:.2f}, cpu {b['cpu_s'] / ns['cpu_s']:.2f}")
        except Exception as exc:  # noqa: BLE001
            lines.append(f"- T1: n/a ({exc})")
        try:
            lines.append(f"- T2 generation/floor (cpu): warm {gen['pages_per_cpu_s'] / bd['floor_pages_per_cpu_s_warm']:.2f}, "
                         f"cold {gen['pages_per_cpu_s'] / bd['floor_pages_per_cpu_s_cold']:.2f}; wall "
                         f"{gen['pages_per_s'] / bd['floor_pages_per_s_warm']:.2f}")
            lines.append(f"- T4 generator share: wall {b['generation_s'] / b['wall_s']:.2f} (MkDocs started at "
                         f"{b.get('first_mkdocs_start_s')} s, overlap {b.get('overlap_s')} s), cpu {gen['cpu_s'] / b['cpu_s']:.2f}")
        except Exception as exc:  # noqa: BLE001
            lines.append(f"- T2/T4: n/a ({exc})")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
