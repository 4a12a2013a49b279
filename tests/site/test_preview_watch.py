"""`factsheets serve --watch` for real, over HTTP (no browser): a copy of the example is
previewed in a subprocess; one save of a statement's summary (Arabic and English) is served in
both languages by one build that read that file alone and ran no Pagefind before serving; the
search index follows in the background and leaves the incremental state valid (the next
`factsheets build` reuses the site); a bad save shows its problems in both languages while the
last good site stays on disk, and the fix brings the pages back. Timeouts only guard against a
hang (issue 22, items 2, 3)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_project, run_cli

pytestmark = pytest.mark.build

HANG_GUARD = 300.0
SOURCE = "content/sources/asharq-2025-12-24-russia-syria.yaml"
MEETING = "meetings/lavrov-shaibani-talks-2025-12-24/"
SUMMARY_AR = "أكدت روسيا وسوريا أهمية تعزيز التعاون الثنائي بين البلدين."
SUMMARY_EN = "Russia and Syria affirmed the importance of strengthening bilateral cooperation between the two countries."
TOPIC_LINE = "    topics: [bilateral-cooperation]\n"


class Watch:
    def __init__(self, project: Path):
        self.project = project
        self.logfile = project.parent / "preview.log"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
               "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        env.pop("FACTSHEETS_BUILDER", None)
        with open(self.logfile, "w") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--watch", "--port", "0"],
                                         cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
        found = self.wait_log(r"on (http://127\.0\.0\.1:\d+/)")
        self.url = found.group(1)

    def log(self) -> str:
        return self.logfile.read_text(encoding="utf-8")

    def wait_log(self, pattern: str, count: int = 1) -> re.Match[str]:
        deadline = time.monotonic() + HANG_GUARD
        while time.monotonic() < deadline:
            found = list(re.finditer(pattern, self.log()))
            if len(found) >= count:
                return found[count - 1]
            assert self.proc.poll() is None, self.log()
            time.sleep(0.1)
        raise AssertionError(f"{pattern!r} x{count} never logged:\n{self.log()}")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=HANG_GUARD) as resp:
                return resp.status, resp.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")

    def status(self) -> dict[str, object]:
        return json.loads(self.get("__factsheets/version")[1])

    def wait_status(self, **want: object) -> dict[str, object]:
        deadline = time.monotonic() + HANG_GUARD
        while time.monotonic() < deadline:
            status = self.status()
            if all(status.get(k) == v for k, v in want.items()):
                return status
            time.sleep(0.1)
        raise AssertionError(f"never {want}: {self.status()}\n{self.log()}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def save(path: Path, old: str, new: str) -> None:
    """An editor's save: a temporary file renamed over the original."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.replace(tmp, path)


@pytest.fixture()
def watch(tmp_path: Path) -> Iterator[Watch]:
    running = Watch(copy_project(tmp_path / "project"))
    yield running
    running.stop()
    assert "Traceback" not in running.log(), running.log()


def test_an_edit_is_served_in_both_languages_then_indexed_and_a_bad_edit_keeps_the_last_site(watch: Watch) -> None:
    project = watch.project
    watch.wait_status(builds=1, ok=True, search="ready")  # the first build, then its search index
    site = project / "site"
    assert (site / "pagefind").is_dir() and (site / "en" / "pagefind").is_dir()
    assert "factsheets: Pagefind: indexing" not in watch.log()  # not before serving: in the background
    assert "search index updated" in watch.log()

    # 1. one save, both languages: served by one build that read that file alone
    source = project / SOURCE
    save(source, SUMMARY_AR, SUMMARY_AR.replace("أهمية", "أهمية-معاينة"))
    save(source, SUMMARY_EN, SUMMARY_EN.replace("importance", "preview-importance"))
    watch.wait_status(builds=2, ok=True)
    assert "أهمية-معاينة" in watch.get(MEETING)[1]
    assert "preview-importance" in watch.get("en/" + MEETING)[1]
    done = watch.wait_log(r"build #2 done in [\d.]+s \((\d+) content file\(s\) read, (\d+) reused", 1)
    assert done.group(1) == "1" and int(done.group(2)) >= 3
    served = watch.log().index("build #2: pages served after")  # served once swapped in, before the cleanup
    assert served < watch.log().index("build #2 done in")
    assert "rebuilding" in watch.log().split("build #1 done")[1]  # the incremental path
    watch.wait_status(builds=2, search="ready")
    watch.wait_log(r"search index updated", 2)

    # 2. a bad save: the problems in both languages; the last good site stays in site/
    save(source, TOPIC_LINE, TOPIC_LINE.replace("bilateral-cooperation", "bilateral-cooperatoin"))
    watch.wait_status(builds=3, ok=False)
    for prefix in ("", "en/"):
        status, page = watch.get(prefix + MEETING)
        assert status == 500 and "error[ref-unknown]" in page and "bilateral-cooperatoin" in page
    assert "preview-importance" in (site / "en" / MEETING / "index.html").read_text(encoding="utf-8")
    assert "أهمية-معاينة" in (site / MEETING / "index.html").read_text(encoding="utf-8")

    # 3. fixed: the pages are back
    save(source, TOPIC_LINE.replace("bilateral-cooperation", "bilateral-cooperatoin"), TOPIC_LINE)
    watch.wait_status(builds=4, ok=True, search="ready")
    assert "preview-importance" in watch.get("en/" + MEETING)[1]
    watch.stop()

    # the background index left a site the next `factsheets build` reuses (not "changed by hand")
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "clean build" not in result.stderr and "reusing the others" in result.stderr, result.stderr
    # and the dependency maps the preview stored after serving its last build (once its search
    # indexing had started): the Markdown too is rendered by them, not in full
    assert sorted(re.findall(r"(ar|en): \d+ of \d+ pages reached by the edit", result.stderr)) == ["ar", "en"], result.stderr
    # the preview removed its builds' work folders aside (the previous sites, swapped out); what a
    # stopped preview left of them, the next build sweeps
    assert not list(project.glob(".site-*")), list(project.glob(".site-*"))


def test_mkdocs_serve_keeps_content_warm_and_indexes_search_after_serving(tmp_path: Path) -> None:
    """The hook under `mkdocs serve`: an edit is served in both languages; each language gets its
    own search index (Arabic without the English pages), built after the pages are served."""
    import socket

    project = copy_project(tmp_path / "project")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"

    def get(path: str) -> str:
        try:
            with urllib.request.urlopen(base + path, timeout=HANG_GUARD) as resp:
                return resp.read().decode("utf-8")
        except OSError:
            return ""

    def until(check, what: str) -> None:
        deadline = time.monotonic() + HANG_GUARD
        while time.monotonic() < deadline:
            if check():
                return
            assert proc.poll() is None, log.read_text(encoding="utf-8")
            time.sleep(0.3)
        raise AssertionError(what + "\n" + log.read_text(encoding="utf-8"))

    try:
        until(lambda: "Lavrov" in get("en/" + MEETING), "the first build was never served")
        until(lambda: "search index updated" in log.read_text(encoding="utf-8"), "search never indexed")
        assert log.read_text(encoding="utf-8").index("search index: built in the background") \
            < log.read_text(encoding="utf-8").index("search index updated")
        for prefix, lang in (("", "ar"), ("en/", "en")):
            entry = json.loads(get(prefix + "pagefind/pagefind-entry.json"))
            assert set(entry["languages"]) == {lang}, entry  # Arabic's index holds no English page
        source = project / SOURCE
        save(source, SUMMARY_AR, SUMMARY_AR.replace("أهمية", "أهمية-معاينة"))
        save(source, SUMMARY_EN, SUMMARY_EN.replace("importance", "preview-importance"))
        until(lambda: "preview-importance" in get("en/" + MEETING) and "أهمية-معاينة" in get(MEETING),
              "the edit was never served in both languages")
        until(lambda: log.read_text(encoding="utf-8").count("search index updated") >= 2, "search never re-indexed")
        assert "Traceback" not in log.read_text(encoding="utf-8")
    finally:
        proc.terminate()
        proc.wait(timeout=60)
