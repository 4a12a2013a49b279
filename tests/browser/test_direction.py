"""Check 1: direction. Arabic pages are right-to-left and mirrored, English ones left-to-right,
and names or numbers of the other script keep their place inside the text (bidi isolation)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DIRS, KIND_LANG, PAGE_KINDS, url_for

CONTENT = "article.md-content__inner"


def box(page, selector: str) -> dict:
    b = page.locator(selector).first.bounding_box()
    assert b is not None, f"{selector} is not rendered on {page.url}"
    return b


def centre(b: dict) -> float:
    return b["x"] + b["width"] / 2


# x of every header cell of every table in the article, left to right as laid out
TABLE_HEADS = f"""() => [...document.querySelectorAll('{CONTENT} table')]
  .filter(t => t.querySelectorAll('thead th').length > 1)
  .map(t => [...t.querySelectorAll('thead th')].map(th => th.getBoundingClientRect().left))"""

# For each list item: the gap between the list's edges and the item's (the indent side)
LIST_GAPS = f"""() => [...document.querySelectorAll('{CONTENT} ul > li, {CONTENT} ol > li')].map(li => {{
  const l = li.getBoundingClientRect(), p = li.parentElement.getBoundingClientRect();
  return {{left: l.left - p.left, right: p.right - l.right}}; }})"""


@pytest.mark.parametrize("kind,lang", KIND_LANG)
def test_direction_and_mirroring(page, site_url: str, kind: str, lang: str) -> None:
    page.goto(url_for(site_url, lang, PAGE_KINDS[kind]))
    assert page.evaluate("document.documentElement.lang") == lang
    direction = page.evaluate(f"getComputedStyle(document.querySelector('{CONTENT}')).direction")
    assert direction == DIRS[lang], f"{page.url}: content direction {direction}"

    # the navigation mirrors: at desktop width the primary sidebar is beside the content,
    # on the right in Arabic and on the left in English
    nav, content = box(page, ".md-sidebar--primary"), box(page, ".md-content")
    if lang == "ar":
        assert centre(nav) > centre(content) and nav["x"] >= content["x"] + content["width"] - 1, (nav, content)
    else:
        assert centre(nav) < centre(content) and nav["x"] + nav["width"] <= content["x"] + 1, (nav, content)

    # tables: the first column is the right-most in Arabic, the left-most in English
    tables = page.evaluate(TABLE_HEADS)
    assert tables, f"no table with several columns on {page.url}"
    for lefts in tables:
        assert lefts == sorted(lefts, reverse=(lang == "ar")), f"{page.url}: column x positions {lefts}"

    # lists: the indent (bullet side) is on the right in Arabic, on the left in English
    for g in page.evaluate(LIST_GAPS):
        if lang == "ar":
            assert g["right"] > g["left"] + 5, (page.url, "list item", g)
        else:
            assert g["left"] > g["right"] + 5, (page.url, "list item", g)


def test_some_pages_have_lists(page, site_url: str) -> None:
    """The list check above is not vacuous: the person and organization pages hold lists."""
    for kind in ("person", "organization"):
        page.goto(url_for(site_url, "ar", PAGE_KINDS[kind]))
        assert page.evaluate(LIST_GAPS), f"no list on {page.url}"


# Horizontal positions of the consecutive <bdi> of the *other* script in one table cell that
# sit on the same line: with isolation they keep the reading order of the surrounding text
# (right to left in Arabic); without it a run of Latin names would merge into one
# left-to-right run and come out in reverse order.
FOREIGN_BDI_PAIRS = r"""(latin) => {
  const other = latin ? /[A-Za-z]/ : /[\u0600-\u06FF]/;
  const pairs = [];
  for (const cell of document.querySelectorAll('article td')) {
    const bdis = [...cell.querySelectorAll('bdi')].filter(b => other.test(b.textContent));
    for (let i = 0; i + 1 < bdis.length; i++) {
      const a = bdis[i].getClientRects(), b = bdis[i + 1].getClientRects();
      if (a.length !== 1 || b.length !== 1 || Math.abs(a[0].top - b[0].top) > 2) continue;
      pairs.push({first: bdis[i].textContent, second: bdis[i + 1].textContent,
                  firstLeft: a[0].left, secondLeft: b[0].left});
    }
  }
  return pairs;
}"""


@pytest.mark.parametrize("lang", DIRS)
def test_names_of_the_other_script_are_isolated(page, site_url: str, lang: str) -> None:
    page.goto(url_for(site_url, lang, PAGE_KINDS["person"]))
    bidi = page.evaluate("[...document.querySelectorAll('article bdi')].map(b => getComputedStyle(b).unicodeBidi)")
    assert bidi and set(bidi) == {"isolate"}, set(bidi)
    pairs = page.evaluate(FOREIGN_BDI_PAIRS, lang == "ar")
    assert pairs, f"{page.url}: no two names of the other script side by side on one line"
    for p in pairs:
        if lang == "ar":
            assert p["firstLeft"] > p["secondLeft"], f"Latin names out of order in Arabic text: {p}"
        else:
            assert p["firstLeft"] < p["secondLeft"], f"Arabic names out of order in English text: {p}"


# The date cell of the glance table, e.g. "24 ديسمبر 2025 (4 رجب 1447 هـ)" / "December 24, 2025":
# the x of the day number, the month name and the year, measured on the rendered glyphs.
DATE_PARTS = r"""() => {
  for (const td of document.querySelectorAll('article .fs-glance td')) {
    const node = [...td.childNodes].find(n => n.nodeType === 3 && /\d{4}/.test(n.textContent));
    if (!node) continue;
    const t = node.textContent;
    const m = t.match(/^(\d{1,2}) (\S+) (\d{4})/) || t.match(/^(\S+) (\d{1,2}), (\d{4})/);
    if (!m) continue;
    const at = (s, from) => { const i = t.indexOf(s, from); const r = document.createRange();
      r.setStart(node, i); r.setEnd(node, i + s.length); return r.getBoundingClientRect().left; };
    const arabic = /^\d/.test(m[1]);
    const day = arabic ? m[1] : m[2], month = arabic ? m[2] : m[1];
    return {text: t, day: at(day, 0), month: at(month, 0), year: at(m[3], t.indexOf(month) + month.length)};
  }
  return null;
}"""


@pytest.mark.parametrize("lang", DIRS)
def test_date_numbers_keep_their_place(page, site_url: str, lang: str) -> None:
    page.goto(url_for(site_url, lang, PAGE_KINDS["meeting"]))
    d = page.evaluate(DATE_PARTS)
    assert d, f"{page.url}: no date in the glance table"
    if lang == "ar":   # read right to left: day, month, year
        assert d["day"] > d["month"] > d["year"], d
    else:              # "December 24, 2025": month, day, year left to right
        assert d["month"] < d["day"] < d["year"], d


@pytest.mark.parametrize("lang", DIRS)
def test_header_search_box_direction(page, site_url: str, lang: str) -> None:
    """Empty, the box (and its placeholder) runs in the page's direction; typed text sets its own."""
    page.goto(url_for(site_url, lang, ""))
    box = page.locator("input.fs-search-input")
    direction = "el => getComputedStyle(el).direction"
    assert box.evaluate(direction) == DIRS[lang], "the empty search box does not follow the page direction"
    box.fill("Shaibani")
    assert box.evaluate(direction) == "ltr"
    box.fill("الشيباني")
    assert box.evaluate(direction) == "rtl"
