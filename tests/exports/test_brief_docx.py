"""Word exports: `factsheets brief … --format docx` and `factsheets briefing ID`, read back with
python-docx (paragraph bidi, run rtl, hyperlink targets through the relationships, text) and,
through a LibreOffice headless conversion to PDF, with pypdf."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from generator.outputs.brief import Briefer
from generator.core.corpus import Corpus
from generator.outputs.exports import statement_path
from tests.conftest import REPO, copy_project, run_cli

URL = "https://example.org/facts/"
ENV = {"FACTSHEETS_SITE_URL": ""}
AR = re.compile(r"[\u0600-\u06FF]")
BRIEFINGS = {"moscow-visit-2025-12": "ar", "russia-syria-new-phase": "en"}


def cli(*args: str, cwd: Path = REPO, content: Path | None = None):
    return run_cli(*args, "--content", str(content or REPO / "content"), cwd=cwd, env=ENV)


def hyperlinks(document) -> list[tuple[str, str]]:
    """(text, target) of every w:hyperlink, the target read through its relationship."""
    rels = document.part.rels
    out = []
    for h in document.element.body.iter(qn("w:hyperlink")):
        rel = rels[h.get(qn("r:id"))]
        assert rel.reltype == RT.HYPERLINK and rel.is_external
        out.append(("".join(t.text or "" for t in h.iter(qn("w:t"))), rel.target_ref))
    return out


def all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def check_direction(document, lang: str) -> None:
    paras = [p for p in all_paragraphs(document) if p.text.strip()]
    assert paras
    for p in paras:
        bidi = p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None
        assert bidi == (lang == "ar"), p.text
        for r in p._p.iter(qn("w:r")):
            text = "".join(t.text or "" for t in r.iter(qn("w:t")))
            rtl = r.rPr is not None and r.rPr.find(qn("w:rtl")) is not None
            if AR.search(text):
                assert rtl, text           # every run holding Arabic is right-to-left
            elif re.search(r"[A-Za-z]", text):
                assert not rtl, text       # Latin text stays left-to-right
    sect_bidi = document.sections[0]._sectPr.find(qn("w:bidi")) is not None
    assert sect_bidi == (lang == "ar")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_brief_docx_every_meeting(corpus: Corpus, tmp_path: Path, lang: str) -> None:
    ids = sorted(corpus.meetings)
    out = tmp_path / f"brief-{lang}.docx"
    proc = cli("brief", *ids, "--lang", lang, "--format", "docx", "-o", str(out), "--site-url", URL)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    d = docx.Document(str(out))
    check_direction(d, lang)
    text = "\n".join(p.text for p in d.paragraphs)
    targets = [t for _, t in hyperlinks(d)]
    assert targets and all(t.startswith(URL) for t in targets)
    b = Briefer(corpus, lang, URL)
    prefix = "" if lang == "ar" else "en/"
    for mid in ids:
        m = corpus.meetings[mid]
        assert (m.title.get(lang), f"{URL}{prefix}meetings/{mid}/") in hyperlinks(d)
        for o in m.outcomes:
            assert o.get(lang) in text
        for _, st in b.key_positions(m):
            assert (b.t["brief_source"], URL + statement_path(corpus, st.id, lang)) in hyperlinks(d)
            # one statement per bullet paragraph, the link on the short marker
            [para] = [p for p in d.paragraphs if st.summary.get(lang) in p.text]
            assert para.style.name.startswith("List Bullet")
            assert len(list(para._p.iter(qn("w:hyperlink")))) == 1
    if lang == "ar":
        assert "«" in "".join(p.text for p in d.paragraphs) or not any("«" in corpus.statements[s].summary.ar
                                                                        for s in corpus.statements)
        assert "أبرز المواقف" in text and "النتائج" in text and "“" not in text


def test_brief_docx_statement_quotes(corpus: Corpus, tmp_path: Path) -> None:
    sid = "shaibani-looks-forward-to-frank-discussions"
    out = tmp_path / "st.docx"
    assert cli("brief", sid, "--format", "docx", "-o", str(out), "--site-url", URL).returncode == 0
    d = docx.Document(str(out))
    assert f"«{corpus.statements[sid].words.ar}»" in [p.text for p in d.paragraphs]
    check_direction(d, "ar")


def test_brief_docx_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "mine.docx"
    out.write_bytes(b"not yours")
    proc = cli("brief", "sergey-lavrov", "--format", "docx", "-o", str(out), "--site-url", URL)
    assert proc.returncode == 2 and "already exists" in proc.stderr and "--force" in proc.stderr
    assert out.read_bytes() == b"not yours"
    assert cli("brief", "sergey-lavrov", "--format", "docx", "-o", str(out), "--site-url", URL,
               "--force").returncode == 0
    assert docx.Document(str(out)).paragraphs[0].text.startswith("سيرجي لافروف")


# --- whole briefings ------------------------------------------------------------------------------

@pytest.mark.parametrize("ident", sorted(BRIEFINGS))
def test_briefing_docx(corpus: Corpus, tmp_path: Path, ident: str) -> None:
    lang = BRIEFINGS[ident]
    b = corpus.briefings[ident]
    out = tmp_path / f"{ident}.docx"
    proc = cli("briefing", ident, "--format", "docx", "-o", str(out), "--site-url", URL)
    assert proc.returncode == 0, proc.stderr
    d = docx.Document(str(out))
    check_direction(d, lang)
    assert d.paragraphs[0].text == b.title and d.paragraphs[0].style.name == "Heading 1"
    assert d.core_properties.title == b.title
    links = hyperlinks(d)
    prefix = "" if lang == "ar" else "en/"
    assert (Briefer(corpus, lang).t["brief_online"], f"{URL}{prefix}briefings/{ident}/") in links
    assert all(t.startswith(URL) for _, t in links)
    text = "\n".join(p.text for p in d.paragraphs)
    for seg in b.segments:  # every embed is there, linked to its fact sheet
        if seg.kind == "statement":
            assert URL + statement_path(corpus, seg.value, lang) in [t for _, t in links]
        elif seg.kind == "card":
            kind = corpus.kind_of(seg.value)
            assert f"{URL}{prefix}{kind}/{seg.value}/" in [t for _, t in links]
        elif seg.kind == "positions":
            assert f"{URL}{prefix}topics/{seg.value}/" in [t for _, t in links]
        else:  # the analyst's own words (first sentence, Markdown markup aside)
            first = re.sub(r"[#*_>\[\]]", "", seg.value).strip().split("\n")[0].strip()
            assert first[:40] in text
    headings = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    assert headings == re.findall(r"(?m)^## (.+)$", (REPO / "content" / "briefings" / f"{ident}.md")
                                  .read_text(encoding="utf-8"))


@pytest.mark.parametrize("ident", sorted(BRIEFINGS))
def test_briefing_html_and_md(corpus: Corpus, ident: str) -> None:
    lang = BRIEFINGS[ident]
    proc = cli("briefing", ident, "--format", "html", "--site-url", URL)
    assert proc.returncode == 0, proc.stderr
    page = ET.fromstring(proc.stdout.replace("<!DOCTYPE html>", ""))  # well-formed
    d = "rtl" if lang == "ar" else "ltr"
    assert page.get("dir") == d and page.get("lang") == lang
    blocks = [el for el in page.iter() if el.tag in ("div", "p", "ul", "li", "h1", "h2")]
    assert blocks and all(el.get("dir") == d for el in blocks)
    hrefs = [a.get("href") for a in page.iter("a")]
    assert hrefs and all(h.startswith(URL) for h in hrefs)
    md = cli("briefing", ident, "--site-url", URL)
    assert md.returncode == 0 and md.stdout.startswith(f"# {corpus.briefings[ident].title}\n")
    assert all(u.startswith(URL) for u in re.findall(r"\]\(<([^>]+)>\)", md.stdout))


def test_briefing_links_resolved_and_unsafe_dropped(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "content" / "briefings" / "links-test.md").write_text(
        "---\ntitle: Links\nlang: en\ndate: 2025-12-27\n---\n"
        "See [the talks](../meetings/lavrov-shaibani-talks-2025-12-24.md#st-lavrov-russia-committed-to-syrian-sovereignty), [home](../index.md), [a site](https://other.example/x), "
        "[bad](javascript:alert(1)) and **bold *both*** with `code`.\n\n"
        "1. first\n2. second\n    - nested\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n",
        encoding="utf-8")
    proc = run_cli("briefing", "links-test", "--format", "html", "--site-url", URL, cwd=project, env=ENV)
    assert proc.returncode == 0, proc.stderr
    page = ET.fromstring(proc.stdout.replace("<!DOCTYPE html>", ""))
    hrefs = {a.text: a.get("href") for a in page.iter("a")}
    assert hrefs["the talks"] == (f"{URL}en/meetings/lavrov-shaibani-talks-2025-12-24/"
                                  "#st-lavrov-russia-committed-to-syrian-sovereignty")
    assert hrefs["home"] == f"{URL}en/"
    assert hrefs["a site"] == "https://other.example/x"
    assert "bad" not in hrefs and "javascript" not in proc.stdout
    assert page.find(".//strong") is not None and page.find(".//em") is not None and page.find(".//code") is not None
    assert [li.text.strip() for li in page.iter("li")][:3] == ["first", "second", "nested"]
    assert page.find(".//ol/li/ul/li") is not None  # the nested list stays nested
    assert page.find(".//table") is not None
    out = tmp_path / "links.docx"
    assert run_cli("briefing", "links-test", "--format", "docx", "-o", str(out), "--relative",
                   cwd=project, env=ENV).returncode == 0
    d = docx.Document(str(out))
    assert ("home", "en/") in hyperlinks(d)
    assert len(d.tables) == 1 and d.tables[0].cell(1, 1).text == "2"


def test_linker_keeps_only_web_and_site_links() -> None:
    from generator.outputs.briefing_export import _Linker

    link = _Linker(URL, "en/briefings/b/", "en")
    assert link("javascript:alert(1)") is None and link("JaVa\tScript:alert(1)") is None
    assert link("data:text/html,x") is None and link("#") is None and link("/meetings/x.md") is None
    assert link("mailto:desk@example.org") == "mailto:desk@example.org"
    assert link("#key") == f"{URL}en/briefings/b/#key"
    assert link("../people/sergey-lavrov.md") == f"{URL}en/people/sergey-lavrov/"
    assert _Linker("", "briefings/b/", "ar")("../topics/t.md#x") == "topics/t/#x"


def test_briefing_errors(tmp_path: Path) -> None:
    proc = cli("briefing", "moscow-visit-2025-11", "--site-url", URL)
    assert proc.returncode == 2 and "did you mean 'moscow-visit-2025-12'" in proc.stderr
    proc = cli("briefing", "moscow-visit-2025-12")
    assert proc.returncode == 2 and "FACTSHEETS_SITE_URL" in proc.stderr
    proc = cli("briefing", "moscow-visit-2025-12", "--format", "docx", "--site-url", URL)
    assert proc.returncode == 2 and "-o FILE.docx" in proc.stderr
    out = tmp_path / "b.html"
    out.write_text("keep me", encoding="utf-8")
    proc = cli("briefing", "moscow-visit-2025-12", "--format", "html", "-o", str(out), "--site-url", URL)
    assert proc.returncode == 2 and out.read_text(encoding="utf-8") == "keep me"
    assert "Traceback" not in proc.stderr


# --- LibreOffice: the .docx opens and prints ------------------------------------------------------

def _fold(text: str) -> str:
    """Presentation forms to letters, no diacritics or bidi controls, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\u064B-\u065F\u0670\u0640\u200e\u200f\u2066-\u2069]", "", text)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if not path:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is missing: apt-get install -y libreoffice-writer-nogui "
                        "(CI=true: failing instead of skipping)", pytrace=False)
        pytest.skip("LibreOffice (soffice) not installed: apt-get install -y libreoffice-writer-nogui")
    return path


@pytest.mark.parametrize("ident", sorted(BRIEFINGS))
def test_libreoffice_converts_briefing_to_pdf(corpus: Corpus, soffice: str, tmp_path: Path, ident: str) -> None:
    from pypdf import PdfReader

    lang = BRIEFINGS[ident]
    src = tmp_path / f"{ident}.docx"
    assert cli("briefing", ident, "--format", "docx", "-o", str(src), "--site-url", URL).returncode == 0
    profile = tmp_path / "lo-profile"
    proc = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                          capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    pdf = tmp_path / f"{ident}.pdf"
    assert proc.returncode == 0 and pdf.is_file(), proc.stdout + proc.stderr
    reader = PdfReader(str(pdf))
    text = _fold("\n".join(page.extract_text() for page in reader.pages))
    b = corpus.briefings[ident]
    t = Briefer(corpus, lang).t
    expected = [b.title, t["brief_online"], t["participants"], t["brief_key_positions"]]
    expected += [corpus.name_of(p.person, lang) for m in corpus.meetings.values() for p in m.participants
                 if any(s.value == m.id for s in b.segments)]
    for phrase in expected:
        assert _fold(phrase) in text, phrase
    if lang == "ar":
        assert "«" in text and "؛" in text
