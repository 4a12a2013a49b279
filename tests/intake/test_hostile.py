"""Issue 24: `factsheets new` on hostile input — a located error or a clear note, never a
traceback, never an invalid draft, never a run that does not end (subprocess timeouts only
guard against hangs; nothing here is timed)."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.intake.limits import MAX_PARAGRAPH_CHARS
from tests.intake.conftest import run

ARGS = ("--published", "2025-12-24", "--outlet", "asharq")
HEAD = "لافروف يبحث مع الشيباني العلاقات الثنائية\nموسكو - الشرق\n"
BODY = 'قال وزير الخارجية الروسي سيرغي لافروف، الأربعاء، إن المحادثات مع الشيباني كانت "جيدة وبناءة".\n'


def _clean(out) -> None:
    assert "Traceback" not in out.stderr and "unexpected failure" not in out.stderr, out.stderr


def _nothing_written(content: Path) -> None:
    sources = content / "sources"
    assert not sources.exists() or not list(sources.iterdir())


def _drafts(content: Path) -> list[Path]:
    return sorted((content / "sources").glob("*.yaml"))


def test_article_of_10001_paragraphs(tmp_path, registries):
    article = tmp_path / "long.txt"
    article.write_text(HEAD + "".join(f"الفقرة رقم {i} من المقال.\n" for i in range(10_001)), encoding="utf-8")
    out = run("new", str(article), *ARGS, "--content", str(registries))
    _clean(out)
    assert out.returncode == 1
    # the 10,001st paragraph is on line 10,003 (headline and dateline come first)
    assert f"{article}:10003:1: error[article-too-many-paragraphs]:" in out.stderr
    assert "10,001 paragraphs" in out.stderr and "at most 10,000" in out.stderr and "hint:" in out.stderr
    _nothing_written(registries)


def test_article_of_10000_paragraphs_is_fine(tmp_path, registries):
    article = tmp_path / "long.txt"
    article.write_text(HEAD + BODY + "".join(f"الفقرة رقم {i} من المقال.\n" for i in range(9_999)), encoding="utf-8")
    out = run("new", str(article), *ARGS, "--content", str(registries))
    _clean(out)
    assert out.returncode == 0, out.stderr
    data = yaml.safe_load(_drafts(registries)[0].read_text(encoding="utf-8"))
    assert len(data["source"]["text"]) == 10_000


def test_file_name_with_yaml_significant_characters(tmp_path, registries):
    names = ["-a: b # [c] {d}, & *e !f | > ' \" % @.txt", "- x.txt", "line\nbreak: ]#.txt"]
    for n, name in enumerate(names):
        article = tmp_path / name
        article.write_text(HEAD + BODY + f"الفقرة الأخيرة رقم {n}.\n", encoding="utf-8")   # three articles
        out = run("new", str(article), "--published", f"2025-12-{20 + n}", "--outlet", "asharq",
                  "--content", str(registries))
        _clean(out)
        assert out.returncode == 0, (name, out.stderr)
    drafts = _drafts(registries)
    assert len(drafts) == 3
    for path in drafts:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)                       # parses: no ScannerError
        assert data["source"]["id"] == path.stem
    header = drafts[-1].read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("# Draft made by") and "line\\u000abreak: ]#.txt" in header
    checked = run("check", str(registries))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_ids_from_file_names_are_slugs(tmp_path, registries):
    """With no state in the article, the id's last part comes from the file name, as a slug."""
    article = tmp_path / "Meeting: [Draft] #2 {x}.txt"
    article.write_text("خبر عن لقاء\nموسكو - الشرق\nعقد لقاء بين وفدين يوم الأربعاء.\n", encoding="utf-8")
    out = run("new", str(article), *ARGS, "--content", str(registries))
    _clean(out)
    assert out.returncode == 0, out.stderr
    assert [p.name for p in _drafts(registries)] == ["asharq-2025-12-24-meeting-draft-2-x.yaml"]


HOSTILE_HTML = """<!doctype html><html><head><title>t</title>
<meta property="article:published_time" content="2025-12-24"></head><body>
<article><h1>لافروف يستقبل الشيباني في موسكو</h1>
<p>موسكو - الشرق</p>
<script>document.write("<p>نص من سكربت يجب ألا يظهر أبدا في المقال المنشور.</p>")</script>
<iframe src="https://evil.example/"><p>نص داخل إطار يجب ألا يظهر أبدا في المقال.</p></iframe>
<template><p>نص مخفي في قالب يجب ألا يظهر أبدا في المقال المنشور هنا.</p></template>
<noscript><p>نص بديل عن السكربت يجب ألا يظهر أبدا في المقال.</p></noscript>
<svg><text>نص رسم يجب ألا يظهر أبدا في المقال المنشور</text></svg>
<style>p { color: red }</style>
<!-- <p>نص في تعليق يجب ألا يظهر أبدا في المقال المنشور.</p> -->
<p>قال وزير الخارجية الروسي سيرغي لافروف، يوم الأربعاء، إن المحادثات مع نظيره السوري أسعد الشيباني
كانت "جيدة وبناءة".</p>
<p>وأضاف لافروف أن البلدين سيواصلان التنسيق في الملفات الإقليمية خلال المرحلة المقبلة.</p>
</article></body></html>
"""


def test_html_with_script_iframe_template(tmp_path, registries):
    page = tmp_path / "page.html"
    page.write_text(HOSTILE_HTML, encoding="utf-8")
    out = run("new", str(page), "--content", str(registries))
    _clean(out)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "note: left out of the text" in out.stdout
    for tag in ("<script>", "<iframe>", "<template>", "<noscript>", "<svg>", "<style>"):
        assert f"1 {tag}" in out.stdout, tag
    raw = _drafts(registries)[0].read_text(encoding="utf-8")
    assert "يجب ألا يظهر" not in raw and "color: red" not in raw and "document.write" not in raw
    data = yaml.safe_load(raw)
    assert [t[:20] for t in data["source"]["text"]] == ["قال وزير الخارجية ال", "وأضاف لافروف أن البل"]
    checked = run("check", str(registries))
    assert checked.returncode == 0 and "0 error(s)" in checked.stdout


def test_paragraph_longer_than_the_bound(tmp_path, registries):
    article = tmp_path / "huge.txt"
    long_line = "كلمة " * (MAX_PARAGRAPH_CHARS // 5 + 10)
    article.write_text(HEAD + BODY + long_line + "\n" + BODY + long_line + "\n", encoding="utf-8")
    out = run("new", str(article), *ARGS, "--content", str(registries))
    _clean(out)
    assert out.returncode == 1
    assert f"{article}:4:1: error[article-line-too-long]:" in out.stderr   # every problem at once
    assert f"{article}:6:1: error[article-line-too-long]:" in out.stderr
    assert "at most 20,000" in out.stderr and "2 error(s)" in out.stderr
    _nothing_written(registries)


def test_html_paragraph_longer_than_the_bound(tmp_path, registries):
    page = tmp_path / "huge.html"
    page.write_text("<html><body><h1>عنوان الخبر هنا</h1>\n<p>" + BODY + "</p>\n<p>" + "كلمة " * 4100
                    + "</p></body></html>", encoding="utf-8")
    out = run("new", str(page), *ARGS, "--content", str(registries))
    _clean(out)
    assert out.returncode == 1 and f"{page}:4:4: error[article-line-too-long]:" in out.stderr
    _nothing_written(registries)


def test_pathological_html_nesting(tmp_path, registries):
    page = tmp_path / "deep.html"
    page.write_text("<html><body>\n<h1>عنوان الخبر هنا</h1>\n" + "<div>\n" * 50_000 + "<p>" + BODY + "</p>"
                    + "</div>" * 50_000 + "</body></html>", encoding="utf-8")
    out = run("new", str(page), *ARGS, "--content", str(registries))
    _clean(out)
    assert out.returncode == 1
    assert f"{page}:" in out.stderr and "error[article-nesting]" in out.stderr and "plain text" in out.stderr
    _nothing_written(registries)


def test_large_hostile_quotes_finish(tmp_path, registries):
    """Tens of thousands of quote marks pairing up single letters: the run ends (no quadratic
    path), the first MAX_QUOTES spans are considered, none is stubbed, the draft checks."""
    article = tmp_path / "quotes.txt"
    para = '"ا"ب' * 4_000
    article.write_text(HEAD + "".join(f"قال لافروف {i} {para}\n" for i in range(40)), encoding="utf-8")
    out = run("new", str(article), *ARGS, "--content", str(registries))
    _clean(out)
    assert out.returncode == 0, out.stderr
    assert "quoted spans: only the first 300 were stubbed" in out.stdout
    assert "… and" in out.stdout                     # long listings are cut in the report
    data = yaml.safe_load(_drafts(registries)[0].read_text(encoding="utf-8"))
    assert data["statements"] == []
    assert run("check", str(registries)).returncode == 0
