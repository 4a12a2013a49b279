"""HTML input: the article body without the site's chrome."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from generator.intake.html import extract_with_lxml, extract_with_trafilatura, looks_like_html
from generator.intake.pipeline import new_article
from tests.intake.conftest import FIXTURES, run

PAGE = FIXTURES / "article.html"
CHROME = ["سياسة", "اقتصاد", "رياضة", "خبر جانبي", "جميع الحقوق محفوظة", "سياسة الخصوصية", "dataLayer", "color: red"]
BODY = ["وأكدت موسكو ودمشق، الأربعاء،", "وقال لافروف،", "والثلاثاء، استقبل", "وقال الشيباني إن"]


def _check(parsed):
    assert parsed.headline == "موسكو ودمشق تبحثان تعزيز التعاون الثنائي"
    assert parsed.dateline and parsed.dateline.outlet == "الشرق"
    texts = [t for t, _ in parsed.blocks]
    assert [any(t.startswith(b) for t in texts) for b in BODY] == [True] * len(BODY)
    assert ("لقاء روسي سوري في موسكو", True) in parsed.blocks
    joined = " ".join(texts)
    assert not [c for c in CHROME if c in joined]
    assert "شارك" not in texts and not any("اقرأ أيضاً" in t for t in texts)
    assert parsed.meta.get("url") == "https://example.org/news/moscow-damascus"
    assert parsed.meta.get("date", "")[:10] == "2025-12-24"


def test_trafilatura_path():
    try:
        import trafilatura  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"trafilatura is not importable: {exc}")
    parsed = extract_with_trafilatura(PAGE.read_text(encoding="utf-8"))
    assert parsed is not None
    _check(parsed)
    assert ("اقرأ أيضاً: بوتين يستقبل وزيري الخارجية والدفاع السوريين", "related-stories") in parsed.furniture


def test_lxml_fallback():
    parsed = extract_with_lxml(PAGE.read_text(encoding="utf-8"))
    assert parsed is not None
    _check(parsed)


def test_detects_html():
    assert looks_like_html(PAGE.read_text(encoding="utf-8"))
    assert looks_like_html("anything", ".htm")
    assert not looks_like_html("روسيا وسوريا\n\nدبي -الشرق\n")


def test_new_from_html(registries):
    result = new_article(PAGE, content_dir=registries)      # date and URL come from the page
    data = yaml.safe_load(result.path.read_text(encoding="utf-8"))
    src = data["source"]
    assert src["published"] == date(2025, 12, 24) and src["url"] == "https://example.org/news/moscow-damascus"
    assert src["outlet"] == "asharq" and src["id"] == "asharq-2025-12-24-russia-syria"
    assert {"sergey-lavrov", "vladimir-putin", "asaad-al-shaibani", "murhaf-abu-qasra"} <= set(result.people)
    assert sorted(s["words"]["ar"] for s in data["statements"]) == sorted(
        ["سبل تطوير هذا التنسيق ستكون موضع نقاش خلال المرحلة المقبلة", "سانا", "عهداً جديداً"])
    assert any("metadata" in note for note in src["review"])
    checked = run("check", str(registries))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert run("check", "--strict", str(registries)).returncode == 1
