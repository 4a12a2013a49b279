"""Print: a fact sheet prints cleanly on A4 in both directions (Chromium's print to PDF)."""

from __future__ import annotations

import unicodedata
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader


MEETING = "meetings/lavrov-shaibani-talks-2025-12-24/"
A4 = (595, 842)  # points


def print_pdf(browser, url: str, out: Path) -> PdfReader:
    """The page printed by the session's Chromium (tests/conftest.py), as a reader would print
    it: print media, the page's own @page size, no header or footer."""
    page = browser.new_page()
    try:
        page.goto(url, wait_until="load")
        page.emulate_media(media="print")
        page.pdf(path=str(out), prefer_css_page_size=True, print_background=True, display_header_footer=False)
    finally:
        page.close()
    return PdfReader(str(out))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_meeting_prints_on_a4_without_chrome(browser, site_url: str, tmp_path: Path, lang: str) -> None:
    prefix = "" if lang == "ar" else "en/"
    pdf = print_pdf(browser, site_url + prefix + MEETING, tmp_path / f"meeting-{lang}.pdf")
    outdir = Path("test-output/print")
    outdir.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / f"meeting-{lang}.pdf", outdir / f"meeting-{lang}.pdf")
    for page in pdf.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - A4[0]) < 3 and abs(h - A4[1]) < 3, (w, h)
    # PDF text carries Arabic in presentation forms: NFKC folds them back to letters
    text = unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in pdf.pages))
    if lang == "en":
        assert "Lavrov" in text and "Stated positions" in text
        for chrome in ("Copy link", "Search fact sheets", "Made with"):
            assert chrome not in text, chrome
    else:
        assert "لافروف" in text and "المواقف" in text and "المعلنة" in text  # words come in visual order
        assert "نسخ الرابط" not in text and "ابحث في بطاقات الوقائع" not in text
    assert "Timeline of meetings" not in text and "التسلسل" not in text  # no sidebar navigation
