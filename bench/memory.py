"""Peak memory of `factsheets build` (issue 22): which process of the build holds it, and where
the generator's memory goes.

    .venv/bin/python -m bench.memory --n 1000              # a clean build → bench/out/memory-1000.json
    .venv/bin/python -m bench.memory --n 1000 --stages     # the generator's stages, one process

The build runs as bench/run.py runs it (same project under bench/out/p<N>/, made if missing): its
peak is ``ru_maxrss`` from ``os.wait4`` (the largest process of its tree), and bench/procwatch.py
follows every process of the tree (generator, its forked worker, MkDocs and Pagefind per
language) and records each one's own peak (``VmHWM``). ``--stages`` loads, checks, renders the
Arabic pages and runs each extra-file producer in one process, printing VmRSS/VmHWM after each.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
PY = sys.executable


def role(cmd: str, pid: int, root: int, ppid: int) -> str:
    """What a process of the build is, from its command line."""
    if pid == root:
        return "generator"
    if "pagefind" in cmd:
        site = cmd.split("--site", 1)[-1].split()[0] if "--site" in cmd else ""
        shard = site.rstrip("/").rsplit("/", 1)[-1]  # a shard's folder: view-<lang>-<NN> (generator/publish/search.py)
        if shard.startswith("view-"):
            return f"pagefind ({shard.split('-')[1]}, shard {shard.split('-')[2]})"
        return "pagefind (" + ("en" if site.rstrip("/").endswith(("/en", "-en")) else "ar" if site else "?") + ")"
    if "-m mkdocs" in cmd or "-m properdocs" in cmd:
        return "mkdocs (" + ("en" if "mkdocs.en.yml" in cmd else "ar" if "mkdocs.ar.yml" in cmd else "?") + ")"
    if ppid == root and "-m generator" in cmd:
        return "generator worker (fork)"
    return cmd[-60:]


def build(project: Path, code: Path | None = None) -> dict:
    """A clean `factsheets build` of ``project``, watched; ``code``: another checkout of the
    generator to build with (put first on PYTHONPATH, for before/after comparisons)."""
    for folder in ("build", "site"):
        shutil.rmtree(project / folder, ignore_errors=True)
    watch = OUT / f"procwatch-{project.name}.json"
    watch.unlink(missing_ok=True)
    load0 = os.getloadavg()
    t0 = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "generator", "build", "--content", str(project / "content"),
                             "-f", str(project / "mkdocs.yml")], cwd=code or REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **({"PYTHONPATH": str(code)} if code else {})})
    watcher = subprocess.Popen([PY, str(REPO / "bench" / "procwatch.py"), str(watch), "--tree", str(proc.pid)],
                               env={**os.environ, "PROCWATCH_TICK": "0.5"})
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    load1 = os.getloadavg()
    try:  # it ends once the build's processes are gone; one left running (orphaned) is not waited for
        watcher.wait(timeout=10)
    except subprocess.TimeoutExpired:
        watcher.terminate()
        watcher.wait()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"the build failed ({code}):\n{output[-3000:]}")
    seen = json.loads(watch.read_text(encoding="utf-8")) if watch.exists() else {}
    processes = sorted(({"role": role(r["cmd"], int(pid), proc.pid, r["ppid"]), "pid": int(pid),
                         "peak_rss_mb": r["peak_rss_mb"], "cpu_s": r["cpu_s"], "cmd": r["cmd"][-120:]}
                        for pid, r in seen.items()), key=lambda r: -r["peak_rss_mb"])
    return {"wall_s": round(wall, 1), "cpu_s": round(ru.ru_utime + ru.ru_stime, 1),
            "peak_rss_mb": round(ru.ru_maxrss / 1024, 1), "largest": processes[0]["role"] if processes else None,
            "processes": processes, "load_before": [round(x, 2) for x in load0],
            "load_after": [round(x, 2) for x in load1], "output_tail": output[-1500:],
            "finished": time.strftime("%Y-%m-%d %H:%M:%S")}


def stages(project: Path) -> None:
    """The generator's stages in this process, with VmRSS/VmHWM after each."""
    import gc

    sys.path.insert(0, str(REPO))
    t0 = time.perf_counter()

    def show(label: str) -> None:
        d = {}
        with open("/proc/self/status") as fh:
            for line in fh:
                k, _, v = line.partition(":")
                if k in ("VmRSS", "VmHWM"):
                    d[k] = int(v.split()[0]) // 1024
        print(f"{label:44s} rss {d['VmRSS']:5d} MB  peak {d['VmHWM']:5d} MB  {time.perf_counter() - t0:6.1f} s", flush=True)

    from generator.outputs.extras import PRODUCERS, Context
    from generator.core.history import last_changed_dates
    from generator.core.loader import load_content
    from generator.render.plan import plan_pages
    from generator.render.pages import Renderer
    from generator.core.validate import check

    show("imported")
    loaded = load_content(project / "content")
    show("loaded")
    checked = check(loaded)
    del loaded
    show("checked")
    corpus = checked.corpus
    pages = plan_pages(corpus)
    renderer = Renderer(corpus, project / "templates", "", changed=last_changed_dates(project / "content"))
    show("planned")
    gc.freeze()
    lang = "ar"
    size = sum(len(renderer.render(p)) for p in pages if p.lang == lang)
    show(f"rendered every {lang} page ({size / 1e6:.0f} M chars)")
    ctx = Context(corpus, lang, "", project / "templates")
    for produce in PRODUCERS:
        count = size = 0
        for _, text in produce(ctx):  # a large export comes in pieces
            count, size = count + 1, size + (len(text) if isinstance(text, str) else sum(map(len, text)))
        show(f"{produce.__name__}: {count} files ({size / 1e6:.0f} M chars)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--stages", action="store_true", help="the generator's stages in one process, no build")
    ap.add_argument("--code", type=Path, help="build with the generator of this checkout (e.g. an older commit, "
                                              "from `git archive`), for a before/after comparison")
    ap.add_argument("--tag", default="", help="suffix of the result file: bench/out/memory-<N><TAG>.json")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    from bench.run import make_project

    project = OUT / f"p{args.n}"
    if not (project / "content").is_dir():
        make_project(args.n, args.seed)
    if args.stages:
        stages(project)
        return
    result = {"n": args.n, "code": str(args.code or REPO), **build(project, args.code)}
    out = OUT / f"memory-{args.n}{args.tag}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"N = {args.n}: {result['wall_s']} s, peak {result['peak_rss_mb']} MB (os.wait4), "
          f"largest: {result['largest']}; load {result['load_before'][0]} → {result['load_after'][0]}")
    for p in result["processes"]:
        print(f"  {p['role']:26s} {p['peak_rss_mb']:8.1f} MB  {p['cpu_s']:7.1f} CPU-s")


if __name__ == "__main__":
    main()
