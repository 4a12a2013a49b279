"""Hostile briefings: what an analyst or an outside contributor writes under content/briefings/
is data. One fixture per attack in tests/fixtures/hostile_briefings/: each is either refused by
`factsheets check` (and the build) with a located error, or built for real (MkDocs strict) into
a page with no event handler, no script link, no style and no image from another host.

The HTML sanitizer (generator.publish.sanitize) is also tested on its own, on raw HTML that the
Markdown-level escaping would never let through: each layer must hold without the other.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
import yaml

from generator.outputs.briefings import MAX_DEPTH, sanitize
from generator.publish.sanitize import CLOSE, NAME, clean, key, markers, with_sanitizer
from generator.publish.site import Project, write_language_config
from tests.conftest import REPO, copy_project, run_cli
from tests.render.test_injection import Tags

FIXTURES = REPO / "tests" / "fixtures" / "hostile_briefings"
PAYLOAD = "window.__pwned=1"

#: fixture -> the diagnostics `check` reports for it: (code, line, col, text the hint holds)
REFUSED: dict[str, list[tuple[str, int, int, str]]] = {
    "symlink-outside.md": [("symlink-outside", 1, 1, "instead of linking")],
    "id-reserved-index.md": [("id-reserved", 1, 1, "index-briefing.md")],
    "link-missing-page.md": [("briefing-link", 6, 18, "did you mean '../meetings/lavrov-shaibani-talks-2025-12-24.md'?"),
                             ("briefing-link", 8, 19, "did you mean '../people/index.md'?"),
                             ("briefing-link", 8, 54, "did you mean '../topics/syrian-sovereignty.md'?")],
    "link-hidden-scheme.md": [("briefing-link", 6, 7, "only http, https and mailto")],
    "nesting-list.md": [("briefing-nesting", 6, 2 * MAX_DEPTH + 1, "flatten")],
    "nesting-indent.md": [("briefing-nesting", 5 + MAX_DEPTH + 1, 4 * MAX_DEPTH + 1, "flatten")],
    "nesting-blockquote.md": [("briefing-nesting", 6, 2 * MAX_DEPTH + 1, "flatten")],
    "line-too-long.md": [("briefing-line-too-long", 6, 5001, "break the paragraph")],
    "brackets-line.md": [("briefing-brackets", 6, 301, "fewer links")],
    "brackets-paragraph.md": [("briefing-brackets", 10, 1, "split it into paragraphs")],
}
#: where a refused fixture goes under content/briefings/ (default: its own name)
PLACED_AS = {"id-reserved-index.md": "index.md"}
#: built into the site; each must come out harmless
RENDERED = ["attr-onclick-heading.md", "attr-href-javascript.md", "raw-img-onerror.md", "autofocus-onfocus.md",
            "style-overlay.md", "remote-image.md", "javascript-scheme-hidden.md", "javascript-refdef-list.md",
            "javascript-refdef-blockquote.md", "javascript-refdef-empty-label.md",
            "javascript-refdef-newline.md", "arabic-rtl-payloads.md"]
#: mkdocs.yml of the hostile site: a user tries to let remote images in through the extension's
#: own settings (only `extra.factsheets_allow_remote_images` may, and the sanitizer stays on)
LOOSENED = "  - generator.publish.sanitize:\n      allow_remote_images: true\n"


def hostile_content(dest: Path, names: list[str]) -> Path:
    """The example content plus the named fixtures as briefings."""
    content = dest / "content"
    shutil.copytree(REPO / "content", content)
    for name in names:
        shutil.copy(FIXTURES / name, content / "briefings" / PLACED_AS.get(name, name))
    return content


def loosen_config(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("markdown_extensions:\n", "markdown_extensions:\n" + LOOSENED, 1), encoding="utf-8")


def test_every_fixture_is_a_case() -> None:
    assert sorted(p.name for p in FIXTURES.glob("*.md")) == sorted([*REFUSED, *RENDERED])


# --- refused, with located errors -----------------------------------------------------------

@pytest.fixture(scope="module")
def refused(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """`check` on the example content plus every refused fixture at once; the symlink leads to
    a copy of its fixture outside the content folder."""
    tmp = tmp_path_factory.mktemp("refused")
    content = hostile_content(tmp, [n for n in REFUSED if n != "symlink-outside.md"])
    outside = tmp / "outside"
    outside.mkdir()
    shutil.copy(FIXTURES / "symlink-outside.md", outside / "secret.md")
    (content / "briefings" / "symlink-outside.md").symlink_to(outside / "secret.md")
    # pathological inputs (RecursionError, minutes of work before): a generous guard against a hang
    return run_cli("check", str(content), "--format", "json", timeout=60), content


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_with_located_error(refused: tuple[subprocess.CompletedProcess[str], Path], name: str) -> None:
    proc, _ = refused
    assert proc.returncode == 1, proc.stdout + proc.stderr
    placed = PLACED_AS.get(name, name)
    found = [(d["code"], d["line"], d["col"], d["hint"]) for d in json.loads(proc.stdout)
             if Path(d["path"]).name == placed]
    assert [f[:3] for f in found] == [e[:3] for e in REFUSED[name]], found
    for (_, _, _, hint), (_, _, _, want) in zip(found, REFUSED[name]):
        assert want in hint


def test_refused_all_at_once_without_traceback(refused: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    proc, _ = refused
    assert "Traceback" not in proc.stderr and "RecursionError" not in proc.stdout + proc.stderr
    reported = {Path(d["path"]).name for d in json.loads(proc.stdout)}
    assert reported == {PLACED_AS.get(n, n) for n in REFUSED}  # every file, and nothing else


def test_build_stops_with_the_located_error_not_an_mkdocs_failure(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", content=hostile_content(tmp_path, ["link-missing-page.md"]))
    proc = run_cli("build", cwd=project, timeout=60)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "link-missing-page.md:6:18: error[briefing-link]" in out
    assert "did you mean '../meetings/lavrov-shaibani-talks-2025-12-24.md'?" in out
    assert "MkDocs" not in out and "Traceback" not in out
    assert not (project / "site").exists()


def test_symlinked_briefing_inside_content_is_fine(tmp_path: Path) -> None:
    """Only links leading out of content/ are refused: one to another file of content/ works."""
    content = hostile_content(tmp_path, [])
    (content / "drafts").mkdir()
    shutil.move(content / "briefings" / "russia-syria-new-phase.md", content / "drafts" / "phase.md")
    (content / "briefings" / "russia-syria-new-phase.md").symlink_to(content / "drafts" / "phase.md")
    proc = run_cli("check", str(content), "--format", "json", timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- rendered, harmless -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile-briefings")
    project = copy_project(tmp / "project", content=hostile_content(tmp, RENDERED))
    loosen_config(project)
    proc = run_cli("build", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project / "site"


def _page(site: Path, lang: str, name: str) -> str:
    return (site / lang / "briefings" / name.removesuffix(".md") / "index.html").read_text(encoding="utf-8")


def _article(doc: str) -> str:
    return doc[doc.index("<article"):doc.index("</article>")]


#: elements analyst text must never produce (the theme's own pages have some: checked in the article only)
FOREIGN = ("script", "style", "iframe", "object", "embed", "input", "form", "svg", "math", "details", "div")


def assert_harmless(doc: str, article_only: bool = False) -> Tags:
    """No event handler, style or autofocus; no script, data or vbscript URL (even with spaces
    or control characters in it); no image from another host; no payload in a script. With
    ``article_only``, ``doc`` is analyst HTML alone: no foreign element either."""
    parsed = Tags()
    parsed.feed(doc)
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            assert name not in ("style", "autofocus", "formaction", "srcdoc"), (tag, name, value)
            if name in ("href", "src", "action", "data", "poster", "xlink:href"):
                squeezed = re.sub(r"[\s\x00-\x1f\x7f]+", "", value or "")
                assert not re.match(r"(javascript|data|vbscript):", squeezed, re.I), (tag, name, value)
            if name in ("src", "srcset"):
                assert not re.match(r"[\s\x00-\x1f]*(https?:)?[/\\]{2}", value or "", re.I), (tag, name, value)
        if article_only:
            assert tag not in FOREIGN, (tag, attrs)
    for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", doc, re.S):
        assert PAYLOAD not in body and "alert(" not in body
    return parsed


@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize("name", RENDERED)
def test_rendered_briefing_is_harmless(hostile_site: Path, name: str, lang: str) -> None:
    doc = _page(hostile_site, lang, name)
    assert_harmless(doc)
    article = _article(doc)
    assert_harmless(article[article.index("</h1>"):], article_only=True)  # after the title: the briefing's own


def test_payloads_show_as_text(hostile_site: Path) -> None:
    text = {name: "".join(_text(_article(_page(hostile_site, "en/", name)))) for name in RENDERED}
    assert f'<img src=x onerror="{PAYLOAD}">' in text["raw-img-onerror.md"]
    assert f"<script>{PAYLOAD}; alert(1)</script>" in text["raw-img-onerror.md"]
    assert f'Click me {{onclick="{PAYLOAD}"}}' in text["attr-onclick-heading.md"]
    assert '{: style="position:fixed;' in text["style-overlay.md"]
    ar = "".join(_text(_article(_page(hostile_site, "", "arabic-rtl-payloads.md"))))
    assert f'نص <img src=x onerror="{PAYLOAD}"> و' in ar


def _text(doc: str) -> list[str]:
    parsed = Tags()
    parsed.feed(doc)
    return parsed.text


def test_what_is_legitimate_is_kept(hostile_site: Path) -> None:
    overlay = _article(_page(hostile_site, "en/", "style-overlay.md"))
    assert '<th align="left">a</th>' in overlay and '<td align="right">right</td>' in overlay  # column alignment
    remote = _article(_page(hostile_site, "en/", "remote-image.md"))
    assert '<img alt="pixel">' in remote and "tracker.example" not in remote  # the pixel's source is dropped
    assert '<a href="https://example.org/page">a web link stays</a>' in remote
    hidden = _article(_page(hostile_site, "en/", "javascript-scheme-hidden.md"))
    assert '<a href="mailto:desk@example.org">mail</a>' in hidden
    card = _article((hostile_site / "en/briefings/russia-syria-new-phase/index.html").read_text(encoding="utf-8"))
    assert '<div class="fs-card">' in card and 'id="st-lavrov-russia-committed-to-syrian-sovereignty"' in card
    assert "factsheets:analyst" not in card  # the markers leave no trace


def test_briefing_list_is_not_replaced(hostile_site: Path) -> None:
    listing = (hostile_site / "en/briefings/index.html").read_text(encoding="utf-8")
    assert "remote-image/" in listing and "russia-syria-new-phase/" in listing


# --- plain `mkdocs build` (the hook) ----------------------------------------------------------

def test_plain_mkdocs_build_sanitizes_too(tmp_path: Path) -> None:
    """The hook forces the sanitizer into the configuration `mkdocs build` reads (the Arabic
    site) even when mkdocs.yml tries to loosen it; the English site is built aside from the
    configuration `write_language_config` writes."""
    names = ["arabic-rtl-payloads.md", "remote-image.md"]
    project = copy_project(tmp_path / "project", content=hostile_content(tmp_path, names))
    loosen_config(project)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ar = _page(project / "site", "", "arabic-rtl-payloads.md")
    en = _page(project / "site", "en/", "remote-image.md")
    for doc in (ar, en):
        assert_harmless(doc)
    assert '<img alt="صورة">' in _article(ar) and '<img alt="pixel">' in _article(en)  # their sources dropped


# --- the HTML sanitizer alone -------------------------------------------------------------------

RAW = [
    f'<img src=x onerror="{PAYLOAD}">',
    f'<a href="java\tscript:{PAYLOAD}">tab</a>',
    f'<a href="java&#10;script:{PAYLOAD}">newline</a>',
    f'<a href="&#1;javascript:{PAYLOAD}">control</a>',
    f'<a href=" JAVASCRIPT:{PAYLOAD}">upper</a>',
    '<a href="data:text/html,x">data</a>',
    '<p style="position:fixed;inset:0">overlay</p>',
    f'<h2 id="x" onclick="{PAYLOAD}" style="color:red">heading</h2>',
    '<div id="__md_scope" class="md-typeset">clobber</div>',
    '<img src="https://tracker.example/p.gif" alt="pixel">',
    '<img src="//tracker.example/p.gif" alt="pixel2">',
    '<img src="\\\\tracker.example/p.gif" alt="pixel3">',
    f"<script>{PAYLOAD}</script><style>body{{display:none}}</style>",
    f'<iframe src="javascript:{PAYLOAD}"></iframe><form action="javascript:x"><input autofocus onfocus="{PAYLOAD}"></form>',
    f'<svg><a href="javascript:{PAYLOAD}">svg</a></svg><math><mi href="javascript:x">m</mi></math>',
    '<a class="headerlink evil" href="#h" target="_blank">¶</a>',
    # an end marker forged in the segment (it cannot know its own segment's key)
    CLOSE.format(key=key("")) + '<img src=x onerror=alert(1)>',
    '<!-- /factsheets:analyst --><img src=x onerror=alert(1)>',
]


def _sanitized(html: str, **config: object) -> str:
    md = markdown.Markdown(extensions=["md_in_html", "attr_list", "toc", "tables", NAME], extension_configs={NAME: config})
    start, end = markers(html)
    return md.convert(f"{start}\n\n{html}\n\n{end}\n\n<div class=\"fs-card\" data-x=\"trusted\">ours</div>\n")


@pytest.mark.parametrize("html", RAW)
def test_sanitizer_alone_removes_what_escaping_would_have(html: str) -> None:
    out = _sanitized(html)
    ours = '<div class="fs-card" data-x="trusted">ours</div>'
    assert out.endswith(ours)  # outside the markers: untouched
    analyst = out.removesuffix(ours)
    parsed = assert_harmless(analyst, article_only=True)
    for tag, attrs in parsed.tags:
        assert attrs.get("id") in (None, "x") and (attrs.get("id") is None or tag == "h2"), attrs  # ids on headings only
        assert attrs.get("class") in (None, "headerlink"), attrs
        assert "target" not in attrs, attrs
        assert "script:" not in re.sub(r"[\s\x00-\x1f]+", "", attrs.get("href") or ""), attrs
    assert "factsheets:analyst" not in out and "<!--" not in out


def test_sanitizer_keeps_what_markdown_makes() -> None:
    text = sanitize("## A heading\n\nSome *em*, **strong**, `a < b & {c}`, [web](https://example.org \"t\"), "
                    "[mail](mailto:a@example.org), [here](../meetings/x.md#p2), ![alt](../figures/f.svg)\n\n"
                    "> quote\n\n1. one\n2. two\n\nbetween\n\n- x\n\n---\n\n| a | b |\n| :-: | - |\n| 1 | 2 |\n\n    code <i>\n")
    start, end = markers(text)
    out = markdown.markdown(f"{start}\n\n{text}\n\n{end}", extensions=["attr_list", "md_in_html", "tables", NAME,
                                                                         "toc"], extension_configs={"toc": {"permalink": True}})
    for kept in ('<h2 id="a-heading">A heading<a class="headerlink" href="#a-heading" title="Permanent link">',
                 "<em>em</em>", "<strong>strong</strong>", "<code>a &lt; b &amp; {c}</code>",
                 '<a href="https://example.org" title="t">web</a>', '<a href="mailto:a@example.org">mail</a>',
                 '<a href="../meetings/x.md#p2">here</a>', '<img alt="alt" src="../figures/f.svg">',
                 "<blockquote>", "<ol>", "<ul>", "<hr>", '<th align="center">a</th>',
                 "<pre><code>code &lt;i&gt;\n</code></pre>"):
        assert kept in out, (kept, out)


def test_a_marker_without_its_end_sanitizes_to_the_end() -> None:
    start, _ = markers("x")
    out = markdown.markdown(f"{start}\n\n<img src=x onerror=alert(1)>\n\n<p onclick=x>y</p>\n", extensions=["md_in_html", NAME])
    assert "onerror" not in out and "onclick" not in out and "<p>y</p>" in out


def test_remote_images_only_when_allowed() -> None:
    pixel = '<img src="https://tracker.example/p.gif" alt="p">'
    assert "src=" not in clean(pixel)
    assert 'src="https://tracker.example/p.gif"' in clean(pixel, allow_remote_images=True)
    assert 'src="https://tracker.example/p.gif"' in _sanitized(pixel, allow_remote_images=True)
    assert "src=" not in clean('<img src="javascript:x">', allow_remote_images=True)


def test_the_extension_is_forced_into_every_language_config(tmp_path: Path) -> None:
    """Whatever mkdocs.yml lists (nothing, or the extension loosened), each per-language
    configuration has it once, configured from ``extra`` only."""
    project_dir = copy_project(tmp_path / "project")
    loosen_config(project_dir)
    project = Project.at(project_dir)
    base = project.base_config()
    for allowed in (False, True):
        base.setdefault("extra", {})["factsheets_allow_remote_images"] = allowed
        for lang in ("ar", "en"):
            cfg = yaml.safe_load(write_language_config(project, base, lang, tmp_path / lang).read_text(encoding="utf-8"))
            mine = [e for e in cfg["markdown_extensions"] if e == NAME or isinstance(e, dict) and NAME in e]
            assert mine == [{NAME: {"allow_remote_images": allowed}}]
    assert with_sanitizer(None, None) == [{NAME: {"allow_remote_images": False}}]
    assert with_sanitizer(["toc", NAME], {"factsheets_allow_remote_images": "yes"}) == [
        "toc", {NAME: {"allow_remote_images": False}}]  # only a real `true` allows them
