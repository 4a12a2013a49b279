"""Print: a fact sheet prints cleanly on A4 in both directions (Chromium's print to PDF)."""

from __future__ import annotations

import os
import unicodedata
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MEETING = "meetings/lavrov-shaibani-talks-2025-12-24/"
A4 = (595, 842)  # points


def _need_chromium() -> str:
    if CHROMIUM:
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is required in CI (scripts/test installs it with apt-get)")
    pytest.skip("Chromium not installed: apt-get install chromium (or FACTSHEETS_INSTALL_BROWSER=1 scripts/test)")


def print_pdf(url: str, out: Path) -> PdfReader:
    profile = tempfile.mkdtemp(prefix="chromium-")
    try:
        subprocess.run([_need_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={out}", url],
                       capture_output=True, timeout=120, check=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return PdfReader(str(out))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_meeting_prints_on_a4_without_chrome(site_url: str, tmp_path: Path, lang: str) -> None:
    prefix = "" if lang == "ar" else "en/"
    pdf = print_pdf(site_url + prefix + MEETING, tmp_path / f"meeting-{lang}.pdf")
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
