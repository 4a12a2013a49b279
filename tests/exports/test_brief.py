"""`factsheets brief`: ready-to-paste snippets with absolute permalinks, key positions and
outcomes, one statement per bullet, Arabic punctuation and isolates, clear errors."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import fields
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.outputs.brief import FSI, LRI, PDI, RLI, Briefer, brief
from generator.core.corpus import Corpus
from generator.errors import UsageError
from generator.outputs.exports import statement_path
from tests.conftest import REPO, copy_project, run_cli

MEETING = "lavrov-shaibani-talks-2025-12-24"
STATEMENT = "shaibani-looks-forward-to-frank-discussions"
PERSON = "sergey-lavrov"
TOPIC = "syrian-sovereignty"
ORG = "syria-mfa"
SOURCE = "asharq-2025-12-24-russia-syria"
URL = "https://example.org/facts/"
FORMATS = ("md", "html", "text")
LANGS = ("ar", "en")
NO_URL_ENV = {"FACTSHEETS_SITE_URL": ""}


def cli(*args: str, env: dict[str, str] | None = None, cwd: Path = REPO):
    return run_cli("brief", *args, "--content", str(REPO / "content"), cwd=cwd, env={**NO_URL_ENV, **(env or {})})


def links(out: str) -> list[str]:
    """Every link target of a snippet, whatever the format."""
    found = re.findall(r'href="([^"]+)"|\(<([^>]+)>\)|<([a-z]+://[^>\s]+)>', out)
    return [html.unescape(next(g for g in m if g)) for m in found]


def example_meetings(corpus: Corpus) -> list[str]:
    return sorted(corpus.meetings)


def statement_lines(out: str, corpus: Corpus) -> list[str]:
    anchors = [statement_path(corpus, sid, "en").split("#")[1] for sid in corpus.statements]
    return [ln for ln in out.splitlines() if any(f"#{a}" in ln for a in anchors)]


# --- every meeting, both languages, every text format ------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_meeting(corpus: Corpus, fmt: str, lang: str) -> None:
    ids = example_meetings(corpus)
    assert len(ids) >= 2
    proc = cli(*ids, "--lang", lang, "--format", fmt, "--site-url", URL)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    text = html.unescape(out)
    found = links(out)
    assert found and all(u.startswith(URL) for u in found), found  # absolute links only
    b = Briefer(corpus, lang, URL)
    for mid in ids:
        m = corpus.meetings[mid]
        assert URL + ("" if lang == "ar" else "en/") + f"meetings/{mid}/" in found
        assert m.location.get(lang) in text
        for p in m.participants:
            assert corpus.people[p.person].name.get(lang) in text
        for o in m.outcomes:  # outcomes included
            assert o.get(lang) in text
        for side, st in b.key_positions(m):  # every key position, linked on its own
            assert URL + statement_path(corpus, st.id, lang) in found
            assert st.summary.get(lang) in text
    if fmt != "html":
        for line in statement_lines(out, corpus):  # one statement per bullet
            assert line.lstrip(RLI).lstrip().startswith("- "), line
            assert len(re.findall(r"#[a-z0-9-]+", line)) == 1, line
    if lang == "ar":
        assert "“" not in text and "”" not in text and ";" not in text
        assert "المصدر" in text and "أبرز المواقف" in text and "النتائج" in text and "؛" in text
    else:
        assert "Key positions" in text and "Outcomes" in text


def test_key_positions_are_first_per_side_in_article_order(corpus: Corpus) -> None:
    m = corpus.meetings[MEETING]
    chosen = Briefer(corpus, "en", URL).key_positions(m)
    by_side = {}
    for st in corpus.statements_by_meeting[MEETING]:
        span = corpus.spans[st.id]
        side = corpus.sides[st.id]
        by_side.setdefault(side, []).append(((span.paragraph, span.start), st.id))
    expected = {side: min(v)[1] for side, v in by_side.items()}
    assert {side: st.id for side, st in chosen} == expected
    assert expected["russia"] == "lavrov-russia-committed-to-syrian-sovereignty"  # not the minor remark
    out = brief(corpus, [MEETING], lang="en", fmt="md", site_url=URL)
    assert "lavrov-coordination-on-international-platforms" not in out  # first by speaker/id order, not key


def test_key_true_marks_the_key_positions(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    src = next((project / "content" / "sources").glob("*.yaml"))
    text = src.read_text(encoding="utf-8")
    marked = ("shaibani-damascus-attracting-investment", "syria-mfa-sides-reject-israeli-violations")
    for sid in marked:
        text, n = re.subn(rf"(  - id: {sid}\n)", r"\1    key: true\n", text)
        assert n == 1
    src.write_text(text, encoding="utf-8")
    proc = run_cli("brief", MEETING, "--lang", "en", "--format", "text", "--site-url", URL, cwd=project)
    assert proc.returncode == 0, proc.stderr
    syria = [ln for ln in proc.stdout.splitlines() if ln.strip().startswith("- Syria — ")]
    assert len(syria) == 2 and all(any(sid in ln for sid in marked) for ln in syria), syria
    assert "shaibani-seeks-strategic-level-relations" not in proc.stdout  # the first is no longer chosen
    assert "lavrov-russia-committed-to-syrian-sovereignty" in proc.stdout  # Russia has no key: its first


def test_key_must_be_a_boolean(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    src = next((project / "content" / "sources").glob("*.yaml"))
    text = src.read_text(encoding="utf-8").replace(
        f"  - id: {STATEMENT}\n", f"  - id: {STATEMENT}\n    key: [yes please]\n", 1)
    src.write_text(text, encoding="utf-8")
    proc = run_cli("check", "content", cwd=project)
    assert proc.returncode == 1
    assert re.search(r"\.yaml:\d+:\d+: error\[type\]", proc.stdout + proc.stderr), proc.stdout + proc.stderr


# --- links: always absolute unless asked ---------------------------------------------------------

def test_without_site_url_exits_2_naming_the_three_ways() -> None:
    proc = cli(MEETING)
    assert proc.returncode == 2 and proc.stdout == ""
    err = proc.stderr
    assert "--site-url" in err and "FACTSHEETS_SITE_URL" in err and "site_url in mkdocs.yml" in err
    assert "--relative" in err and "Traceback" not in err


def test_site_url_from_environment_and_mkdocs_yml(tmp_path: Path) -> None:
    proc = cli(STATEMENT, "--format", "text", env={"FACTSHEETS_SITE_URL": "https://env.example/x"})
    assert proc.returncode == 0, proc.stderr
    assert "<https://env.example/x/meetings/" in proc.stdout
    project = copy_project(tmp_path / "p")
    cfg = project / "mkdocs.yml"
    cfg.write_text(re.sub(r'(?m)^site_url:.*$', 'site_url: "https://config.example/site/"',
                          cfg.read_text(encoding="utf-8")), encoding="utf-8")
    proc = cli(STATEMENT, "--format", "text", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert "<https://config.example/site/meetings/" in proc.stdout


def test_relative_links_only_when_asked(corpus: Corpus) -> None:
    proc = cli(STATEMENT, "--lang", "en", "--format", "md", "--relative")
    assert proc.returncode == 0, proc.stderr
    assert f"(<{statement_path(corpus, STATEMENT, 'en')}>)" in proc.stdout and "https://" not in proc.stdout
    both = cli(STATEMENT, "--relative", "--site-url", URL)
    assert both.returncode == 2 and "--relative" in both.stderr


def test_site_url_must_be_http() -> None:
    proc = cli(MEETING, "--site-url", "javascript:alert(1)//")
    assert proc.returncode == 2 and "http(s)" in proc.stderr and proc.stdout == ""


# --- the other kinds ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_statement(corpus: Corpus, fmt: str, lang: str) -> None:
    proc = cli(STATEMENT, "--lang", lang, "--format", fmt, "--site-url", URL)
    assert proc.returncode == 0, proc.stderr
    st = corpus.statements[STATEMENT]
    out = html.unescape(proc.stdout)
    plain = out.replace(FSI, "").replace(PDI, "").replace(RLI, "").replace(LRI, "")
    if fmt == "html":
        plain = html.unescape(re.sub(r"<[^>]+>", "", proc.stdout))
        if lang == "en":
            assert f'<span dir="rtl" lang="ar">{st.words.ar}</span>' in proc.stdout
    assert st.summary.get(lang) in plain
    assert URL + statement_path(corpus, STATEMENT, lang) in out
    assert "المصدر" in out if lang == "ar" else "source" in out
    if lang == "ar":
        assert f"«{st.words.ar}»" in plain and "“" not in out
    else:
        assert f"“{st.words.ar}”" in plain and f"“{st.words.en}”" in plain
    if fmt == "text" and lang == "en":
        assert f"{FSI}{st.words.ar}{PDI}" in out  # Arabic words isolated inside an English line


def test_link_sits_on_the_marker_not_the_summary(corpus: Corpus) -> None:
    st = corpus.statements[STATEMENT]
    for lang, marker in (("ar", "المصدر"), ("en", "source")):
        out = brief(corpus, [STATEMENT], lang=lang, fmt="md", site_url=URL)
        assert f"[{marker}](<{URL}{statement_path(corpus, STATEMENT, lang)}>)" in out
        assert f"[{st.summary.get(lang)}" not in out
        out = brief(corpus, [STATEMENT], lang=lang, fmt="html", site_url=URL)
        assert re.search(rf'<a href="[^"]+#[^"]+">{marker}</a>', out)


@pytest.mark.parametrize("ident,kind", [(PERSON, "people"), (TOPIC, "topics"), (ORG, "organizations")])
@pytest.mark.parametrize("fmt", FORMATS)
def test_latest_positions(corpus: Corpus, ident: str, kind: str, fmt: str) -> None:
    proc = cli(ident, "--format", fmt, "--lang", "ar", "--site-url", URL)
    assert proc.returncode == 0, proc.stderr
    table = {"people": corpus.statements_by_person, "topics": corpus.statements_by_topic,
             "organizations": corpus.statements_by_org}[kind]
    newest = corpus.newest_first(table[ident])[:3]
    out = proc.stdout
    assert f"{URL}{kind}/{ident}/" in out
    found = [u for u in links(out) if "#" in u]
    assert found == [URL + statement_path(corpus, st.id, "ar") for st in newest]
    assert "أحدث المواقف" in out


def test_source_and_several_ids(corpus: Corpus) -> None:
    proc = cli(SOURCE, PERSON, "--lang", "en", "--format", "text", "--site-url", URL)
    assert proc.returncode == 0
    assert corpus.sources[SOURCE].headline in proc.stdout and f"{URL}en/people/{PERSON}/" in proc.stdout
    assert "Recorded positions: " in proc.stdout
    assert proc.stdout.count("\n\n") == 1


# --- Arabic text and HTML shapes ----------------------------------------------------------------

def test_arabic_text_lines_are_isolates(corpus: Corpus) -> None:
    out = brief(corpus, [MEETING, STATEMENT], lang="ar", fmt="text", site_url=URL)
    lines = [ln for ln in out.splitlines() if ln]
    assert lines and all(ln.startswith(RLI) and ln.endswith(PDI) for ln in lines)
    urls = re.findall(r"(.)<(https://[^>]+)>(.)", out)
    assert urls and all(a == LRI and b == PDI for a, _, b in urls)  # every URL an LTR isolate
    assert "، " in out and "؛ " in out


@pytest.mark.parametrize("lang", LANGS)
def test_html_is_an_indented_well_formed_fragment(corpus: Corpus, lang: str) -> None:
    out = brief(corpus, [MEETING, STATEMENT, PERSON, SOURCE], lang=lang, fmt="html", site_url=URL)
    root = ET.fromstring(f"<root>{out}</root>")  # well-formed (XML-strict)
    d = "rtl" if lang == "ar" else "ltr"
    blocks = [el for el in root.iter() if el.tag in ("div", "p", "ul", "li")]
    assert blocks and all(el.get("dir") == d for el in blocks)
    assert all(el.get("lang") == lang for el in root.findall("div"))
    assert len(root.findall("div")) == 4
    lis = [el for el in root.iter("li") if el.find("a") is not None and "#" in el.find("a").get("href")]
    assert lis and all(len([a for a in li.findall("a") if "#" in a.get("href")]) == 1 for li in lis)
    assert "\n  <ul" in out and "\n    <li" in out and "\n        <li" in out  # indented, nested


# --- files ---------------------------------------------------------------------------------------

def test_output_file_is_never_overwritten_unasked(tmp_path: Path) -> None:
    target = tmp_path / "snippet.md"
    assert cli(MEETING, "--site-url", URL, "-o", str(target)).returncode == 0
    first = target.read_text(encoding="utf-8")
    assert first.startswith("[") and URL in first
    target.write_text("my own notes", encoding="utf-8")
    proc = cli(MEETING, "--site-url", URL, "-o", str(target))
    assert proc.returncode == 2 and "--force" in proc.stderr
    assert target.read_text(encoding="utf-8") == "my own notes"
    assert cli(MEETING, "--site-url", URL, "-o", str(target), "--force").returncode == 0
    assert target.read_text(encoding="utf-8") == first
    assert [p.name for p in tmp_path.iterdir()] == ["snippet.md"]  # no temporary file left
    proc = cli(MEETING, "--site-url", URL, "--format", "docx")
    assert proc.returncode == 2 and "-o FILE.docx" in proc.stderr


# --- errors --------------------------------------------------------------------------------------

def test_unknown_id_names_the_closest() -> None:
    proc = cli("sergey-lavrow", "--site-url", URL)
    assert proc.returncode == 2
    assert "unknown id 'sergey-lavrow'" in proc.stderr and "did you mean 'sergey-lavrov'" in proc.stderr
    assert proc.stdout == "" and "Traceback" not in proc.stderr


def test_unknown_id_among_good_ones_prints_nothing() -> None:
    proc = cli(MEETING, "no-such-thing", "--site-url", URL)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "unknown id 'no-such-thing'" in proc.stderr


def test_usage_errors_exit_2() -> None:
    assert cli("--site-url", URL).returncode == 2  # no id
    assert cli(MEETING, "--format", "pdf", "--site-url", URL).returncode == 2
    assert cli(MEETING, "--lang", "fr", "--site-url", URL).returncode == 2


def test_bad_content_exits_1(tmp_path) -> None:
    (tmp_path / "bad.yaml").write_text("people:\n  - id: Bad Id\n", encoding="utf-8")
    proc = run_cli("brief", "x", "--content", str(tmp_path), "--site-url", URL, cwd=REPO)
    assert proc.returncode == 1 and "id-format" in proc.stdout + proc.stderr


def test_previous_id_resolves(corpus: Corpus) -> None:
    c2 = Corpus(**{**{f.name: getattr(corpus, f.name) for f in fields(Corpus)}, "redirects": {"s-lavrov": PERSON}})
    assert brief(c2, ["s-lavrov"], fmt="text") == brief(corpus, [PERSON], fmt="text")
    with pytest.raises(UsageError, match="did you mean"):
        brief(corpus, ["s-lavrov"])


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_escapes_every_value(corpus: Corpus) -> None:
    evil = '<script>alert("x")</script> & <img src=x onerror=1>'
    st = corpus.statements[STATEMENT]
    bad_st = st.model_copy(update={"summary": st.summary.model_copy(update={"en": evil}),
                                   "words": st.words.model_copy(update={"en": evil})})
    p = corpus.people["asaad-al-shaibani"]
    bad_p = p.model_copy(update={"name": p.name.model_copy(update={"en": evil})})
    c2 = Corpus(**{**{f.name: getattr(corpus, f.name) for f in fields(Corpus)},
                   "statements": {**corpus.statements, STATEMENT: bad_st},
                   "people": {**corpus.people, p.id: bad_p}})
    for ident in (STATEMENT, MEETING, "asaad-al-shaibani"):
        out = brief(c2, [ident], lang="en", fmt="html", site_url='https://e.org/"><script>/')
        parser = _Collect()
        parser.feed(out)
        assert set(parser.tags) <= {"div", "p", "ul", "li", "a", "strong", "span"}, parser.tags
        assert "<script" not in out and "<img" not in out
        assert evil in "".join(parser.text)
        ET.fromstring(f"<root>{out}</root>")
    md = brief(c2, [STATEMENT], lang="en", fmt="md")
    assert "<script>" not in md and "\\<script\\>" in md
