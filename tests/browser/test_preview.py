"""`factsheets serve --watch` in a real browser: a copy of the example project is previewed (a
subprocess, any free port, real builds with the chosen builder), a meeting page is open in
Chromium, a content file is broken, fixed and edited, and the open pages follow by themselves
(the reload script added to served pages). Timeouts here only guard against a hang."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import MEETINGS
from tests.conftest import REPO, copy_project

HANG_GUARD_MS = 180_000          # a build of the example, twice over, on a busy machine
SOURCE = "content/sources/asharq-2025-12-24-russia-syria.yaml"
TOPIC_LINE = "    topics: [bilateral-cooperation]\n"
SUMMARY_AR = "أكدت روسيا وسوريا أهمية تعزيز التعاون الثنائي بين البلدين."
SUMMARY_EN = "Russia and Syria affirmed the importance of strengthening bilateral cooperation between the two countries."


class Preview:
    def __init__(self, project: Path, builder: str):
        self.project = project
        self.out = project.parent / "preview.out"
        self.err = project.parent / "preview.err"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
               "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        env.pop("FACTSHEETS_BUILDER", None)
        with open(self.out, "w") as out, open(self.err, "w") as err:
            self.proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--watch", "--port", "0",
                                          "--builder", builder], cwd=project, env=env, stdout=out, stderr=err)
        self.url = self._wait_for_url()

    def _wait_for_url(self) -> str:
        for _ in range(600):  # hang guard: 60 s for the server to listen (it serves before building)
            found = re.search(r"on (http://127\.0\.0\.1:\d+/)", self.out.read_text(encoding="utf-8"))
            if found:
                return found.group(1)
            if self.proc.poll() is not None:
                break
            try:
                self.proc.wait(0.1)
            except subprocess.TimeoutExpired:
                pass
        raise AssertionError("preview did not start:\n" + self.log())

    def log(self) -> str:
        return self.out.read_text(encoding="utf-8") + self.err.read_text(encoding="utf-8")

    def status(self) -> dict[str, object]:
        with urllib.request.urlopen(self.url + "__factsheets/version", timeout=60) as resp:
            return json.loads(resp.read())

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def edit(path: Path, old: str, new: str, also: tuple[str, str] | None = None) -> None:
    """Save the way an editor does: a backup, a temporary file renamed over the original
    (``also``: a second replacement in the same save)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    if also is not None:
        assert also[0] in text, also[0]
        text = text.replace(also[0], also[1], 1)
    shutil.copy2(path, path.with_name(path.name + "~"))
    tmp = path.with_name(f".#{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def builders() -> list[object]:
    params: list[object] = ["mkdocs"]
    installed = shutil.which("zensical", path=str(Path(sys.executable).parent))
    params.append(pytest.param("zensical", marks=pytest.mark.skipif(not installed, reason="zensical not installed")))
    return params


@pytest.fixture(params=builders())
def preview(request, tmp_path: Path) -> Iterator[Preview]:
    project = copy_project(tmp_path / "project")
    running = Preview(project, request.param)
    yield running
    running.stop()
    assert "Traceback" not in running.log(), running.log()


def test_preview_shows_errors_recovers_and_follows_edits(preview: Preview, context) -> None:
    ar, en = context.new_page(), context.new_page()
    meeting = f"meetings/{MEETINGS[0]}/"
    # served (a "building" page at first, which reloads by itself) until the site is there
    ar.goto(preview.url + meeting)
    en.goto(preview.url + "en/" + meeting)
    for page in (ar, en):
        page.wait_for_selector("article h1", timeout=HANG_GUARD_MS)
    assert "bilateral cooperation" in en.inner_text("article")
    builds = preview.status()["builds"]
    site = preview.project / "site"
    assert not any("__factsheets" in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))

    # 1. break a content file: an unknown topic id; both open pages turn into the error page
    source = preview.project / SOURCE
    edit(source, TOPIC_LINE, TOPIC_LINE.replace("bilateral-cooperation", "bilateral-cooperatoin"))
    for page in (ar, en):
        page.wait_for_selector("#factsheets-preview .diag", timeout=HANG_GUARD_MS)
    line = 1 + source.read_text(encoding="utf-8").split("bilateral-cooperatoin")[0].count("\n")
    expected = f"{SOURCE}:{line}:14: error[ref-unknown]: unknown topic 'bilateral-cooperatoin'"
    for page, lang, direction in ((ar, "ar", "rtl"), (en, "en", "ltr")):
        root = page.locator("html")
        assert (root.get_attribute("lang"), root.get_attribute("dir")) == (lang, direction)
        text = page.inner_text("#factsheets-preview")
        assert expected in text and "did you mean 'bilateral-cooperation'?" in text
        assert page.locator("ol.diagnostics").get_attribute("dir") == "ltr"
    assert "تعذّر بناء الموقع" in ar.inner_text("h1")
    assert en.inner_text("h1") == "The site could not be built"
    assert expected in preview.log()  # the terminal has it too
    status = preview.status()
    assert (status["builds"], status["ok"]) == (builds + 1, False)
    # the last good site stays in place meanwhile
    assert "bilateral cooperation" in (site / "en" / meeting / "index.html").read_text(encoding="utf-8")
    assert "التعاون الثنائي" in (site / meeting / "index.html").read_text(encoding="utf-8")

    # 2. fix it: the meeting pages are back
    edit(source, TOPIC_LINE.replace("bilateral-cooperation", "bilateral-cooperatoin"), TOPIC_LINE)
    for page in (ar, en):
        page.wait_for_selector("article h1", timeout=HANG_GUARD_MS)
    assert preview.status()["builds"] == builds + 2 and preview.status()["ok"] is True

    # 3. an edit to a summary, in both languages in one save, shows in both open pages
    edit(source, SUMMARY_EN, "Russia and Syria affirmed the preview-edited cooperation between the two countries.",
         also=(SUMMARY_AR, SUMMARY_AR.replace("أهمية", "أهمية-معاينة")))
    en.wait_for_selector("text=preview-edited cooperation", timeout=HANG_GUARD_MS)
    ar.wait_for_selector("text=أهمية-معاينة", timeout=HANG_GUARD_MS)
    assert preview.status()["builds"] == builds + 3  # one save, one build
    assert "preview-edited cooperation" in (site / "en" / meeting / "index.html").read_text(encoding="utf-8")
    assert "أهمية-معاينة" in (site / meeting / "index.html").read_text(encoding="utf-8")
    # the search index follows in the background (not before the pages were served)
    for _ in range(HANG_GUARD_MS // 100):
        if preview.status().get("search") == "ready":
            break
        en.wait_for_timeout(100)
    assert preview.status().get("search") == "ready" and "search index updated" in preview.log()
