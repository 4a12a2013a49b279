"""The `mkdocs serve` half of "incremental work" (issue #8, item 3), a stage of bench/run.py.

`mkdocs serve` is started on the benchmark project (its mkdocs.yml runs generator/mkdocs_hooks.py),
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
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
