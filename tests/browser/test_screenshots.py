"""Check 6: pictures of a meeting page in both languages, at desktop and phone widths, written to
test-output/screenshots/ on every run (docs/assets/screenshots/ holds copies of them).

Full page when the PNG stays under 500 KB, else the first screen only. Besides writing the
pictures, each test asserts what can be asserted about them: the page does not scroll sideways
(nothing overflows the phone screen), and the title starts at the start edge of the text column
(the right one in Arabic). Look at the pictures for the rest (shaping, fonts, crowding)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, LANGS, PHONE, SCREENSHOTS, url_for

MEETING = "lavrov-shaibani-talks-2025-12-24"
MAX_BYTES = 500_000
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_meeting_screenshot(browser, site_url: str, lang: str, width: str) -> None:
    ctx = browser.new_context(viewport=WIDTHS[width], device_scale_factor=1,
                              is_mobile=(width == "phone"), has_touch=(width == "phone"))
    try:
        page = ctx.new_page()
        page.goto(url_for(site_url, lang, f"meetings/{MEETING}/"), wait_until="networkidle")
        page.evaluate("document.fonts.ready")
        # the picture first, so that a failing check below still leaves one to look at
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        out = SCREENSHOTS / f"meeting-{lang}-{width}.png"
        page.screenshot(path=str(out), full_page=True)
        if out.stat().st_size > MAX_BYTES:          # too heavy to keep: the first screen only
            page.screenshot(path=str(out), full_page=False)
        assert out.stat().st_size > 10_000, f"{out} is suspiciously small"
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{lang} {width}: the page scrolls sideways by {overflow}px"
        # the title's text hugs the start edge of its column: the right one in Arabic
        h1 = page.evaluate("""() => { const h = document.querySelector('article h1 bdi');
            const r = document.createRange(); r.selectNodeContents(h); const t = r.getClientRects()[0];
            const c = document.querySelector('article').getBoundingClientRect();
            return {textLeft: t.left, textRight: t.right, colLeft: c.left, colRight: c.right}; }""")
        if lang == "ar":
            assert h1["colRight"] - h1["textRight"] < h1["textLeft"] - h1["colLeft"], h1
        else:
            assert h1["textLeft"] - h1["colLeft"] < h1["colRight"] - h1["textRight"], h1
    finally:
        ctx.close()
