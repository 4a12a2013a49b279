"""End-to-end: the example site as built by `factsheets build`, asserted on its HTML."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.publish.site import logged_output, start_mkdocs
from tests.conftest import REPO, BuiltSite

MEETING = "lavrov-shaibani-talks-2025-12-24"


def page(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text(encoding="utf-8")


def example_statements() -> list[dict]:
    out = []
    for f in sorted((REPO / "content").rglob("*.yaml")):
        out += (yaml.safe_load(f.read_text(encoding="utf-8")) or {}).get("statements", [])
    return out


class Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        if d.get("id"):
            self.ids.add(d["id"])
        for key in ("href", "src"):
            if d.get(key):
                self.refs.append(d[key])


def parse(html: str) -> Ids:
    p = Ids()
    p.feed(html)
    return p


def test_direction_and_language(example_site: BuiltSite) -> None:
    ar = page(example_site.site, f"meetings/{MEETING}")
    en = page(example_site.site, f"en/meetings/{MEETING}")
    assert re.search(r'<html lang="ar"', ar) and re.search(r'<body dir="rtl"', ar)
    assert re.search(r'<html lang="en"', en) and re.search(r'<body dir="ltr"', en)


@pytest.mark.parametrize("statement", example_statements(), ids=lambda s: s["id"])
def test_statement_on_meeting_speaker_and_topic_pages(example_site: BuiltSite, statement: dict) -> None:
    sid = statement["id"]
    for prefix in ("", "en/"):
        meeting = page(example_site.site, f"{prefix}meetings/{statement['meeting']}")
        assert f'id="st-{sid}"' in meeting
        sp = statement["speaker"]
        speaker_pages = ([f"people/{sp['person']}"] if sp.get("person") else
                         [f"organizations/{sp['organization']}"] if sp.get("organization") else
                         [f"organizations/{o}" for o in sp["joint"]])
        for sp_page in speaker_pages:
            assert f"#st-{sid}" in page(example_site.site, prefix + sp_page), (sid, sp_page)
        for topic in statement["topics"]:
            assert f'id="st-{sid}"' in page(example_site.site, f"{prefix}topics/{topic}"), (sid, topic)


def test_every_quote_links_to_an_existing_paragraph(example_site: BuiltSite) -> None:
    checked = 0
    for prefix in ("", "en/"):
        for meeting_dir in (example_site.site / prefix / "meetings").iterdir():
            if not (meeting_dir / "index.html").exists() or meeting_dir.name == "index.html":
                continue
            refs = parse((meeting_dir / "index.html").read_text(encoding="utf-8")).refs
            for ref in refs:
                m = re.match(r"\.\./\.\./sources/([a-z0-9-]+)/#(p\d+)$", ref)
                if m:
                    target = parse(page(example_site.site, f"{prefix}sources/{m.group(1)}"))
                    assert m.group(2) in target.ids, ref
                    checked += 1
    assert checked >= 2 * len(example_statements())


def test_search_index_holds_arabic_names(example_site: BuiltSite) -> None:
    # one bundle per language, under that language's root
    for prefix, lang in (("", "ar"), ("en/", "en")):
        entry = json.loads((example_site.site / prefix / "pagefind" / "pagefind-entry.json").read_text())
        assert list(entry["languages"]) == [lang], (prefix, entry["languages"])
    # the fragments (compressed) hold page text; decompress and look for the names
    text = "\n".join(_fragments(example_site.site).values())
    for name in ("الشيباني", "لافروف", "بوتين", "أبو قصرة"):
        assert name in text, name
    assert "¶" not in text and "Copy link" not in text  # page furniture is not indexed


def _fragments(site: Path) -> dict[str, str]:
    """Pagefind's fragments: page URL -> the text it indexed for that page."""
    import gzip

    out = {}
    for prefix in ("", "en/"):
        for frag in (site / prefix / "pagefind" / "fragment").iterdir():
            raw = frag.read_bytes()
            data = json.loads(gzip.decompress(raw[raw.find(b"\x1f\x8b"):]).decode("utf-8").removeprefix("pagefind_dcd"))
            out["/" + prefix.rstrip("/") + data["url"] if prefix else data["url"]] = data["content"]
    return out


def test_statements_are_indexed_on_their_meeting_page_not_in_lists(example_site: BuiltSite) -> None:
    """Lists of links (topic, person and organization tables, related meetings) are left out of
    the search index, so a query finds a statement where its quote is, and fragments stay small."""
    fragments = _fragments(example_site.site)
    for st in example_statements():
        summary = st["summary"]["en"]
        probe = summary[:40]
        holders = sorted(url for url, text in fragments.items() if probe in text)
        assert f"/en/meetings/{st['meeting']}/" in holders, (st["id"], holders)
        # not repeated by the pages that only list it (its source article and briefings may quote it)
        assert not [u for u in holders if u.startswith(("/en/topics/", "/en/people/", "/en/organizations/"))], holders
    topic = fragments["/en/topics/syrian-sovereignty/"]
    assert "Syrian sovereignty" in topic  # the page itself is found by its title


def test_a_source_page_is_found_by_its_headline_not_its_article_text(example_site: BuiltSite) -> None:
    """The article's words are indexed where they are annotated (the quotes, on meeting pages);
    the source page itself by its headline and outlet, in both languages."""
    fragments = _fragments(example_site.site)
    for f in sorted((REPO / "content" / "sources").rglob("*.yaml")):
        source = yaml.safe_load(f.read_text(encoding="utf-8"))["source"]
        paragraphs = [b for b in source["text"] if isinstance(b, str)]
        for url in (f"/sources/{source['id']}/", f"/en/sources/{source['id']}/"):
            text = fragments[url]
            assert source["headline"] in text, url
            assert not [p for p in paragraphs if p[:30] in text], url


def test_nothing_refers_to_another_host(example_site: BuiltSite) -> None:
    for html_file in example_site.site.rglob("*.html"):
        for ref in parse(html_file.read_text(encoding="utf-8")).refs:
            if ref.startswith(("http://", "https://", "//")):
                # only links the reader clicks (sources, Wikidata) may leave the site; nothing loaded
                assert not re.search(r"\.(css|js|woff2?|ttf|png|svg|jpg)(\?|$)", ref), (html_file, ref)
    for css in example_site.site.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8", errors="replace")


SHEETS = [f"meetings/{MEETING}", "people/asaad-al-shaibani", "organizations/syria", "topics/syrian-sovereignty",
          "sources/asharq-2025-12-24-russia-syria"]


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("sheet", SHEETS)
def test_every_fact_sheet_has_cite_this(example_site: BuiltSite, prefix: str, sheet: str) -> None:
    html = page(example_site.site, prefix + sheet)
    assert 'id="cite"' in html and 'class="fs-copy' in html
    assert re.search(r'<span dir="rtl" lang="ar">«', html) or re.search(r'<span lang="ar" dir="rtl">«', html)
    assert re.search(r'<span (dir="ltr" lang="en"|lang="en" dir="ltr")>“', html)


def test_every_statement_has_its_permalink(example_site: BuiltSite) -> None:
    html = page(example_site.site, f"en/meetings/{MEETING}")
    for st in example_statements():
        if st["meeting"] == MEETING:
            assert f'<a href="#st-{st["id"]}">Permalink</a>' in html, st["id"]
            assert f'data-copy="./#st-{st["id"]}"' in html


def test_permalinks_are_absolute_with_a_site_url() -> None:
    from datetime import date

    from generator.render.plan import Page
    from generator.render.pages import Renderer
    from generator.core.validate import load_and_check

    corpus = load_and_check(REPO / "content").corpus
    r = Renderer(corpus, REPO / "templates", "https://example.org/facts/", today=date(2026, 1, 2))
    md = r.render(Page("meeting", "en", f"meetings/{MEETING}.md", MEETING))
    assert f"https://example.org/facts/en/meetings/{MEETING}/" in md
    assert f"https://example.org/facts/en/meetings/{MEETING}/#st-lavrov-russia-committed-to-syrian-sovereignty" in md
    assert "accessed 2 January 2026" in md
    ar = r.render(Page("meeting", "ar", f"meetings/{MEETING}.md", MEETING))
    assert f"https://example.org/facts/meetings/{MEETING}/" in ar and "/en/" not in ar.split("للاستشهاد")[1].split("</code>")[0]


@pytest.mark.parametrize("lang,prefix", [("ar", ""), ("en", "en/")])
def test_the_markdown_extension_changes_no_html(example_site: BuiltSite, tmp_path: Path, lang: str, prefix: str) -> None:
    """generator.publish.mdext only saves time: MkDocs with stock Python-Markdown writes the same pages."""
    config = yaml.safe_load((example_site.project / "build" / f"mkdocs.{lang}.yml").read_text(encoding="utf-8"))
    assert "generator.publish.mdext" in config["markdown_extensions"]
    config["markdown_extensions"].remove("generator.publish.mdext")
    config["site_dir"] = str(tmp_path / "site")
    build = example_site.project / "build"  # the configuration's paths are relative to its folder
    config["docs_dir"] = str((build / config["docs_dir"]).resolve())
    config["theme"]["custom_dir"] = str((build / config["theme"]["custom_dir"]).resolve())
    stock = tmp_path / "mkdocs.yml"
    stock.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    proc = start_mkdocs(stock)  # as `factsheets build` runs each language's MkDocs
    output = logged_output(proc)
    assert proc.returncode == 0, output
    pages = sorted(p.relative_to(tmp_path / "site") for p in (tmp_path / "site").rglob("*.html"))
    assert len(pages) > 20
    different = [str(rel) for rel in pages
                 if (tmp_path / "site" / rel).read_bytes() != (example_site.site / prefix / rel).read_bytes()]
    assert not different
