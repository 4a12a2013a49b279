"""Copy lint (issue 19): the built example reads as publication copy in both languages.

Every Arabic page is scanned for Latin punctuation beside Arabic letters, straight quote marks
around Arabic, a count with a wrongly inflected noun, a language code shown as text and Latin
UI words; every English page for Arabic UI strings. Text that is isolated on purpose
(``<bdi>``, ``<code>``, an element with ``lang``/``dir`` of the other language) and the verbatim
article text are not the site's own copy and are left out. Search leaves out boilerplate and
link-only pages."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import BuiltSite

ARABIC = "\u0600-\u06FF"
#: elements whose text is not the page language's copy (isolated, verbatim, or not text at all)
SKIP_TAGS = {"script", "style", "code", "pre", "svg", "object", "bdi", "noscript", "template"}
#: proper names of formats and products that stay Latin in Arabic copy
LATIN_NAMES = {"SVG", "JSON", "CSV", "Atom", "Pagefind", "MkDocs", "Material", "Wikidata", "hreflang", "English"}
#: Arabic plural nouns (few: 3–10) that a count outside 3–10 must not take
FEW_PLURALS = ("لقاءات", "تصريحات", "أشخاص", "جهات", "موضوعات", "مقالات")


def _copy_runs(root, page_lang: str) -> list[str]:
    """Text of the page's own copy in ``page_lang``: isolated and verbatim runs left out."""
    out: list[str] = []

    def walk(el, skip: bool) -> None:
        if not isinstance(el.tag, str):
            return
        lang, d = el.get("lang"), el.get("dir")
        cls = el.get("class") or ""
        here_skip = (skip or el.tag in SKIP_TAGS or (lang is not None and not lang.startswith(page_lang))
                     or (d in ("ltr", "rtl", "auto") and d != ("rtl" if page_lang == "ar" else "ltr"))
                     or "fs-article" in cls or "fs-quote" in cls or el.get("data-copy") is not None)
        if not here_skip and el.text:
            out.append(el.text)
        for child in el:
            walk(child, here_skip)
            if not here_skip and child.tail:
                out.append(child.tail)

    # the page's content (Material's header and navigation repeat page titles, which may be a
    # briefing's own title in its own language)
    main = root.find_class("md-content") or [root.find(".//body")]
    for el in main:
        walk(el, False)
    return out


def _pages(site: Path, lang: str) -> list[Path]:
    pages = sorted(site.rglob("index.html"))
    if lang == "en":
        return [p for p in pages if p.relative_to(site).parts[0] == "en"]
    return [p for p in pages if p.relative_to(site).parts[0] not in ("en", "pagefind", "assets")]


def _problems_ar(text: str) -> list[str]:
    found = []
    for m in re.finditer(rf"[{ARABIC}]\s*[,;]|[,;]\s*[{ARABIC}]", text):
        found.append(f"Latin comma/semicolon beside Arabic: …{text[max(0, m.start() - 15):m.end() + 15]}…")
    for m in re.finditer(rf'"[^"\n]*[{ARABIC}][^"\n]*"', text):
        found.append(f"straight quotes around Arabic: {m.group(0)[:40]}")
    # a count is one run of text ("{n} noun"): runs are joined with newlines, so a date ending a
    # table and a heading such as «لقاءات ذات صلة» after it are not one
    for m in re.finditer(rf"(?<![\d.])(\d+)[^\S\n]+({'|'.join(FEW_PLURALS)})", text):
        if not 3 <= int(m.group(1)) <= 10:
            found.append(f"count with the wrong plural: {m.group(0)}")
    for m in re.finditer(r"(?<![\w./#-])(ar|en)(?![\w./-])", text):
        found.append(f"language code as text: …{text[max(0, m.start() - 15):m.end() + 15]}…")
    for m in re.finditer(r"[A-Za-z][A-Za-z'’-]+(?:\s+[A-Za-z][A-Za-z'’-]+)*", text):
        if m.group(0) not in LATIN_NAMES:
            found.append(f"Latin UI words not isolated: {m.group(0)!r}")
    return found


def _problems_en(text: str) -> list[str]:
    return [f"Arabic text not isolated on an English page: {m.group(0)!r}"
            for m in re.finditer(rf"[{ARABIC}][{ARABIC}\s]*", text)]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_copy_lint(example_site: BuiltSite, lang: str) -> None:
    problems: list[str] = []
    pages = _pages(example_site.site, lang)
    assert len(pages) > 20
    for page in pages:
        root = lxml.html.fromstring(page.read_bytes())
        # runs between FSI and PDI (U+2068 … U+2069) are isolated in plain text (citations)
        text = re.sub("\u2068[^\u2069]*\u2069", " ", "\n".join(_copy_runs(root, lang)))
        for p in (_problems_ar(text) if lang == "ar" else _problems_en(text)):
            problems.append(f"{page.relative_to(example_site.site)}: {p}")
    assert not problems, "\n".join(sorted(set(problems))[:60])


def test_lint_finds_what_it_looks_for() -> None:
    # the scanner itself: each rule fires on the examples
    assert _problems_ar("الشرق للأخبار, 24 ديسمبر")
    assert _problems_ar("23 ديسمبر 2025, موسكو") and _problems_ar("تأكيد; رفض")
    assert _problems_ar('قال "عهداً جديداً"')
    assert _problems_ar("2 لقاءات") and _problems_ar("22 تصريحات") and _problems_ar("1 مقالات مصدر")
    assert not _problems_ar("4 أشخاص") and not _problems_ar("22 تصريحًا")
    assert not _problems_ar("24 ديسمبر 2025\n\nلقاءات ذات صلة")   # a date, then the next block's heading
    assert _problems_ar("اللغة: ar")
    assert _problems_ar("هذه الإحاطة مكتوبة بـEnglish only")
    assert _problems_en("from a weekday relative to publication: الثلاثاء")
    root = lxml.html.fromstring('<html><body><p>اللغة: <bdi>Moscow</bdi> <code>./x/</code></p></body></html>')
    assert not _problems_ar("\n".join(_copy_runs(root, "ar")))


def test_search_leaves_out_boilerplate_and_link_only_pages(example_site: BuiltSite) -> None:
    site = example_site.site
    for prefix in ("", "en/"):
        meeting = (site / prefix / "meetings" / "lavrov-shaibani-talks-2025-12-24" / "index.html").read_text(encoding="utf-8")
        root = lxml.html.fromstring(meeting)
        [box] = root.find_class("fs-cite-box")
        assert box.get("data-pagefind-ignore") == "all"
        [cite_heading] = root.xpath('//*[@id="cite"]')
        assert cite_heading.get("data-pagefind-ignore") == "all"
        assert "data-pagefind-body" in meeting
        for link_only in ("people", "organizations", "topics", "sources", "meetings", "briefings"):
            page = (site / prefix / link_only / "index.html").read_text(encoding="utf-8")
            assert "data-pagefind-body" not in page, f"{prefix}{link_only}/ is indexed"


def test_counts_dates_names_and_digits_follow_cldr() -> None:
    from datetime import date

    from generator.render.pages import count_text, fmt_date, language_name, load_catalog

    templates = Path(__file__).resolve().parents[2] / "templates"
    ar, en = load_catalog(templates, "ar"), load_catalog(templates, "en")
    said = {n: count_text(ar["n_statements"], n, "ar").replace("{n}", str(n)) for n in (0, 1, 2, 3, 10, 11, 22, 100)}
    assert said == {0: "لا تصريحات", 1: "تصريح واحد", 2: "تصريحان", 3: "3 تصريحات", 10: "10 تصريحات",
                    11: "11 تصريحًا", 22: "22 تصريحًا", 100: "100 تصريح"}
    assert count_text(en["n_sources"], 1, "en") == "{n} source article"
    assert count_text(en["n_sources"], 2, "en") == "{n} source articles"
    assert fmt_date(date(2025, 12, 23), "en") == "23 December 2025"
    assert fmt_date(date(2025, 12, 23), "ar") == "23 ديسمبر 2025"
    assert language_name("en", "ar") == "الإنجليزية" and language_name("ar", "en") == "Arabic"


def test_arabic_indic_digits_are_one_setting(tmp_path: Path) -> None:
    from datetime import date

    from generator.render.pages import Renderer
    from generator.core.validate import load_and_check

    repo = Path(__file__).resolve().parents[2]
    corpus = load_and_check(repo / "content").corpus
    western = Renderer(corpus, repo / "templates", today=date(2026, 1, 1))
    eastern = Renderer(corpus, repo / "templates", today=date(2026, 1, 1), digits="arabic-indic")
    assert western.fmt_date(date(2025, 12, 23), "ar") == "23 ديسمبر 2025"
    assert eastern.fmt_date(date(2025, 12, 23), "ar") == "٢٣ ديسمبر ٢٠٢٥"
    assert eastern.fmt_date(date(2025, 12, 23), "en") == "23 December 2025"  # English keeps Western digits
    assert eastern.num(22, "ar") == "٢٢" and western.num(22, "ar") == "22"


def test_an_unknown_digit_style_is_refused(monkeypatch) -> None:
    import pytest

    from generator.errors import UsageError
    from generator.render.pages import Renderer
    from generator.core.validate import load_and_check

    repo = Path(__file__).resolve().parents[2]
    corpus = load_and_check(repo / "content").corpus
    monkeypatch.setenv("FACTSHEETS_DIGITS", "hindi")
    with pytest.raises(UsageError, match="FACTSHEETS_DIGITS must be one of western, arabic-indic, not 'hindi'"):
        Renderer(corpus, repo / "templates")
    monkeypatch.setenv("FACTSHEETS_DIGITS", "arabic-indic")
    assert Renderer(corpus, repo / "templates").num(3, "ar") == "٣"


def test_a_source_address_is_isolated_on_arabic_pages() -> None:
    """The bench site (N = 1,000) showed it: an article's URL on an Arabic source page ran into the
    Arabic text around it. The address is written left to right on its own."""
    from generator.render.plan import Page
    from generator.render.pages import Renderer
    from generator.core.validate import load_and_check

    repo = Path(__file__).resolve().parents[2]
    corpus = load_and_check(repo / "content").corpus
    sid = next(iter(corpus.sources))
    src = corpus.sources[sid]
    corpus.sources[sid] = src.model_copy(update={"url": "https://example.org/news/1", "archive_url": "https://example.org/a/1"})
    md = Renderer(corpus, repo / "templates").render(Page("source", "ar", f"sources/{sid}.md", sid))
    for address in ("https://example.org/news/1", "https://example.org/a/1"):
        escaped = re.escape(address).replace(":", "(?::|&#58;)")  # the Markdown escape of ':'
        anchor = re.search(rf'<a href="{escaped}"[^>]*>', md)
        assert anchor and 'dir="ltr"' in anchor.group(0), md
