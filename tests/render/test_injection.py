"""Hostile content: every free-text field carries HTML, Markdown, Jinja, MkDocs and pymdownx
syntax. Built for real (MkDocs strict); nothing may be evaluated, everything shows as text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_project, run_cli

HOSTILE = REPO / "tests" / "fixtures" / "hostile" / "content"
PAGES = ["", "meetings/meeting-a/", "people/person-a/", "organizations/state-a/", "topics/topic-a/",
         "sources/src/", "meetings/", "people/", "organizations/", "topics/", "sources/"]
LITERALS = ["<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "[click](javascript:alert(1))",
            "![pic](data:text/html;base64,PHNjcmlwdD4=)", "{{ 7*7 }}", "{% if true %}yes{% endif %}",
            '!!! note "Injected"', '--8<-- "/etc/passwd"', 'text{: onclick="alert(1)" }']


class Tags(HTMLParser):
    """Collects every element and attribute, and the page's visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project", content=HOSTILE)
    proc = run_cli("build", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project / "site"


@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize("rel", PAGES)
def test_no_payload_is_evaluated(hostile_site: Path, lang: str, rel: str) -> None:
    doc = (hostile_site / lang / rel / "index.html").read_text(encoding="utf-8")
    parsed = Tags()
    parsed.feed(doc)
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src", "action", "data"):
                assert not re.match(r"\s*(javascript|data|vbscript):", value or "", re.I), (tag, name, value)
        assert tag != "img" or attrs.get("src") != "x"
    scripts = [a.get("src") for t, a in parsed.tags if t == "script"]
    assert all(src for src in scripts if src is not None)
    for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", doc, re.S):
        if "application/ld+json" in attrs:
            assert "<" not in body and ">" not in body  # data, with markup characters escaped as \u003c
        else:
            assert "alert(" not in body
    assert not re.search(r'<div class="admonition', doc)
    assert "root:x:0:0" not in doc


@pytest.mark.parametrize("lang", ["", "en/"])
def test_payloads_show_as_literal_text(hostile_site: Path, lang: str) -> None:
    doc = (hostile_site / lang / "meetings/meeting-a/index.html").read_text(encoding="utf-8")
    parsed = Tags()
    parsed.feed(doc)
    text = " ".join("".join(parsed.text).split())
    for literal in LITERALS:
        assert literal in text, literal
    assert "49" not in text.replace("2049", "")  # {{ 7*7 }} was not evaluated


def test_source_text_shows_payload_verbatim(hostile_site: Path) -> None:
    doc = (hostile_site / "sources/src/index.html").read_text(encoding="utf-8")
    parsed = Tags()
    parsed.feed(doc)
    text = html.unescape(" ".join("".join(parsed.text).split()))
    for literal in LITERALS:
        assert literal in text, literal


def test_exports_carry_payloads_as_data(hostile_site: Path) -> None:
    import csv
    import io
    import json
    import xml.etree.ElementTree as ET

    feed = ET.parse(hostile_site / "en" / "feed.xml").getroot()  # well-formed XML
    titles = [e.text or "" for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert any("[click](javascript:alert(1))" in t for t in titles)
    data = json.loads((hostile_site / "exports" / "dataset.json").read_text(encoding="utf-8"))
    assert "<script>alert('x')</script>" in json.dumps(data, ensure_ascii=False)
    rows = list(csv.reader(io.StringIO((hostile_site / "exports" / "statements.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 2 and all(not cell.startswith(("=", "+", "-", "@")) for cell in rows[1])
