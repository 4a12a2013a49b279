"""Pagefind over a built site, one index per language against the shards (issue 22, items 2, 5).

    .venv/bin/python -m bench.search_memory --n 2000     # needs bench/out/p2000/site (bench.memory builds it)

For each language of the site bench/out/p<N>/site, on a hard-linked copy of its pages, back to
back: (a) one Pagefind over every page of the language (how the build indexed before the
shards), (b) every shard as the build indexes it (generator/publish/search.py: at most two
Pagefind processes at a time). Each is watched by bench/procwatch.py (every process of the
tree; the kernel's VmHWM of each); printed: wall time, CPU seconds, and the peak memory of the
largest Pagefind process. Results in bench/out/search-memory-<N>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
PY = sys.executable


def watched(code: str) -> dict:
    """``code`` run by a fresh interpreter, its process tree watched."""
    with tempfile.TemporaryDirectory() as tmp:
        watch = Path(tmp) / "watch.json"
        load0 = os.getloadavg()
        t0 = time.perf_counter()
        proc = subprocess.Popen([PY, "-c", code], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
        watcher = subprocess.Popen([PY, str(REPO / "bench" / "procwatch.py"), str(watch), "--tree", str(proc.pid)],
                                   env={**os.environ, "PROCWATCH_TICK": "0.2"})
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        watcher.wait(timeout=30)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"failed: {code}")
        seen = json.loads(watch.read_text(encoding="utf-8")) if watch.exists() else {}
    pagefind = [r for r in seen.values() if "pagefind" in r["cmd"] and "-c" not in r["cmd"].split()[:2]]
    return {"wall_s": round(wall, 1), "cpu_s": round(ru.ru_utime + ru.ru_stime, 1),
            "pagefind_processes": len(pagefind),
            "largest_pagefind_mb": max((r["peak_rss_mb"] for r in pagefind), default=0.0),
            "load_before": round(load0[0], 2), "load_after": round(os.getloadavg()[0], 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--site", type=Path, help="another built site (default: bench/out/p<N>/site)")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    from generator import urls
    from generator.publish import search
    from generator.publish.incremental import NOT_REUSED, link_copy
    from generator.render.plan import LANGS

    site = args.site or OUT / f"p{args.n}" / "site"
    results = {}
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        for lang in LANGS:
            copy = Path(tmp) / lang
            link_copy(site / urls.lang_prefix(lang), copy, NOT_REUSED | set(urls.nested_langs(lang)))
            pages = len(search.html_pages(copy))
            whole = watched("import subprocess, sys; subprocess.run([sys.executable, '-m', 'pagefind', '--site', "
                            f"{str(copy)!r}, '--output-path', {str(Path(tmp) / ('whole-' + lang))!r}, '--quiet', "
                            "'--exclude-selectors', '.headerlink', '--exclude-selectors', '.fs-copy'], check=True)")
            sharded = watched(f"from pathlib import Path; from generator.publish.site import run_pagefind; "
                              f"run_pagefind(Path({str(copy)!r}), {lang!r})")
            sharded["shards"] = search.shard_count(pages)
            results[lang] = {"pages": pages, "one_index": whole, "shards": sharded}
            print(f"{lang}: {pages} HTML pages; one index: {whole['wall_s']} s, {whole['cpu_s']} CPU-s, "
                  f"largest Pagefind {whole['largest_pagefind_mb']} MB; {sharded['shards']} shards: "
                  f"{sharded['wall_s']} s, {sharded['cpu_s']} CPU-s, largest Pagefind {sharded['largest_pagefind_mb']} MB "
                  f"({sharded['pagefind_processes']} processes); load {whole['load_before']} → {sharded['load_after']}",
                  flush=True)
            shutil.rmtree(copy, ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"search-memory-{args.n}.json").write_text(json.dumps({"n": args.n, **results}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
