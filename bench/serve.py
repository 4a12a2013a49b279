"""The `mkdocs serve` half of "incremental work" (issue #8, item 3), a stage of bench/run.py.

`mkdocs serve` is started on the benchmark project (its mkdocs.yml runs generator/publish/mkdocs_hooks.py),
the first build is awaited, then one statement's summary is edited in its YAML file and the time
until the served pages show the edit is measured: the Arabic page (MkDocs' own build) and the
English one (built aside by the hook and copied in, after which Pagefind runs). The Markdown files
the generator rewrote are counted from their mtimes, as in the `incremental` stage.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

from bench.corpus import mark_statement

PY = sys.executable
REPO = Path(__file__).resolve().parent.parent


def _stop(proc: subprocess.Popen) -> None:
    """Stop a server started here: politely, then for good after a minute."""
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, timeout: float) -> float | None:
    """Seconds until the page at ``url`` contains ``text`` (None on timeout)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        page = _get(url)
        if page and text in page:
            return round(time.perf_counter() - t0, 3)
        time.sleep(0.25)
    return None


def _snapshot(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*.md")}


def serve_incremental(project: Path, timeout: float = 3600) -> dict:
    """Start `mkdocs serve`, wait for the first build, edit one statement, time the rebuild."""
    sources = sorted((project / "content" / "sources").glob("*.yaml"))
    path = sources[len(sources) // 3]  # not the file the `incremental` stage edits
    doc = yaml.safe_load(path.read_text(encoding="utf-8").partition("\n")[2])
    st = doc["statements"][0]
    meeting = st["meeting"]
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([PY, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
                            cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out: dict = {"statement": st["id"], "file": str(path.relative_to(project))}
    try:
        first = _wait_for(base + f"en/meetings/{meeting}/", "<html", timeout)
        out["first_build_s"] = first
        if first is None:
            out["error"] = "the first build did not finish in time"
            return out
        time.sleep(2)  # let the watcher settle after the first build
        docs = project / "build" / "docs"
        before = _snapshot(docs)
        marker = "SERVE" + str(time.time_ns())[-6:]
        t0 = time.perf_counter()
        mark_statement(path, 0, marker)
        ar = _wait_for(base + f"meetings/{meeting}/", marker, timeout)
        en = _wait_for(base + f"en/meetings/{meeting}/", marker, timeout)
        out["ar_page_updated_s"] = ar
        out["en_page_updated_s"] = round(time.perf_counter() - t0, 3) if en is not None else None
        after = _snapshot(docs)
        rewritten = sorted(f for f, t in after.items() if before.get(f) != t)
        showing = sorted(f for f in after if marker in (docs / f).read_text(encoding="utf-8", errors="replace"))
        out.update(md_total=len(after), md_rewritten=len(rewritten), md_showing=len(showing),
                   md_rewritten_not_showing=sorted(set(rewritten) - set(showing))[:40],
                   md_showing_not_rewritten=sorted(set(showing) - set(rewritten))[:40])
        return out
    finally:
        _stop(proc)


# --- factsheets serve --watch (issue 22, items 2, 3, 6) ------------------------------------------

def _loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _log_lines(log: Path, needle: str) -> list[str]:
    try:
        return [ln for ln in log.read_text(encoding="utf-8", errors="replace").splitlines() if needle in ln]
    except OSError:
        return []


def _wait_log(log: Path, needle: str, count: int, timeout: float, proc: subprocess.Popen) -> bool:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if len(_log_lines(log, needle)) >= count:
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.1)
    return False


def serve_watch(project: Path, edits: int = 3, timeout: float = 3600, clean: bool = True) -> dict:
    """A clean `factsheets build` of the project (timed: the denominator of the ratio), then
    `factsheets serve --watch` on it; once its first build is done, ``edits`` times: one
    statement's summary edited (ar and en, a different statement each time), and the time from
    the save until the served Arabic and then English meeting pages show the edit. The preview's
    own log lines (build time, stage times) are kept."""
    from bench.run import measured

    out: dict = {"load_at_start": _loadavg()}
    if clean:
        built = measured([PY, "-m", "generator", "build", "--clean", "--content", str(project / "content"),
                          "-f", str(project / "mkdocs.yml")], cwd=project, env={"PYTHONPATH": str(REPO)})
        out["clean_build"] = {k: built[k] for k in ("wall_s", "cpu_s", "peak_rss_mb", "load_before", "load_after")}
    sources = sorted((project / "content" / "sources").glob("*.yaml"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log = project.parent / f"serve-watch-{project.name}.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}
    with open(log, "w", encoding="utf-8") as fh:
        t_start = time.perf_counter()
        proc = subprocess.Popen([PY, "-m", "generator", "serve", "--watch", "--port", str(port), "--content",
                                 str(project / "content"), "-f", str(project / "mkdocs.yml")],
                                cwd=project, env=env, stdout=fh, stderr=subprocess.STDOUT)
    try:
        if not _wait_log(log, "build #1 ", 1, timeout, proc):
            out["error"] = "the first preview build did not finish:\n" + log.read_text(encoding="utf-8")[-3000:]
            return out
        out["first_build_s"] = round(time.perf_counter() - t_start, 3)
        runs = []
        for i in range(edits):
            path = sources[(len(sources) * (i + 1)) // (edits + 2)]
            doc = yaml.safe_load(path.read_text(encoding="utf-8").partition("\n")[2])
            meeting = doc["statements"][0]["meeting"]
            time.sleep(3)  # let the watcher settle (and a background search index finish, if any)
            marker = "WATCH" + str(time.time_ns())[-7:]
            load0 = _loadavg()
            t0 = time.perf_counter()
            mark_statement(path, 0, marker)
            ar = _wait_for(base + f"meetings/{meeting}/", marker, timeout)
            en = _wait_for(base + f"en/meetings/{meeting}/", marker, timeout)
            both = round(time.perf_counter() - t0, 3) if ar is not None and en is not None else None
            _wait_log(log, f"build #{i + 2} ", 1, 60, proc)
            done = _log_lines(log, f"build #{i + 2} ") + _log_lines(log, f"build #{i + 2}: ")
            runs.append({"file": str(path.relative_to(project)), "ar_page_s": ar, "both_pages_s": both,
                         "load_before": load0, "load_after": _loadavg(), "preview_log": done or None})
        out["edits"] = runs
        both_times = [r["both_pages_s"] for r in runs if r["both_pages_s"] is not None]
        if both_times:
            out["both_pages_median_s"] = sorted(both_times)[len(both_times) // 2]
            if "clean_build" in out:
                out["ratio_to_clean_build"] = round(out["both_pages_median_s"] / out["clean_build"]["wall_s"], 4)
        # the background search index after the last edit (nothing interrupts it here)
        t0 = time.perf_counter()
        indexed = len(_log_lines(log, "search index updated"))
        if _wait_log(log, "search index updated", indexed + 1, 900, proc):
            out["search_index_after_last_edit_s"] = round(time.perf_counter() - t0, 3)
            out["search_index_log"] = _log_lines(log, "search index updated")[-1]
        time.sleep(2)
        out["log_tail"] = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        return out
    finally:
        _stop(proc)


def main() -> None:
    import argparse
    import json

    from bench.run import OUT, make_project

    ap = argparse.ArgumentParser(description="factsheets serve --watch: one edit, until both pages show it.")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--edits", type=int, default=3)
    ap.add_argument("--reuse", action="store_true", help="keep the project's build/ and site/ (corpus rewritten)")
    ap.add_argument("--no-clean", action="store_true", help="no clean build first (no ratio: compare with a run that had one)")
    args = ap.parse_args()
    project = make_project(args.n, args.seed, args.reuse)
    res = {"n": args.n, "seed": args.seed, "started": time.strftime("%Y-%m-%d %H:%M:%S"),
           **serve_watch(project, args.edits, clean=not args.no_clean)}
    res["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    (OUT / f"serve-watch-{args.n}{'-noclean' if args.no_clean else ''}.json").write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps({k: v for k, v in res.items() if k != "log_tail"}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
