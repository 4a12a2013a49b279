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


# Every date written on the meeting page where it now stands (issue 18): in the lead sentence
# ("محادثات في موسكو، 24 ديسمبر 2025، بين …" / "Talks in Moscow on 24 December 2025 between …") and
# in the details box's date cells (Gregorian, and Hijri on Arabic pages: "4 رجب 1447 هـ"). For each:
# the x of the day number, the month name and the year, measured on the rendered glyphs, and the
# top of each (all three on one line, or their order would say nothing).
DATE_PARTS = r"""(selectors) => {
  const D = '[0-9\u0660-\u0669]';
  const dayFirst = new RegExp(`(${D}{1,2}) ([^0-9\u0660-\u0669،,]+?) (${D}{4})`);
  const monthFirst = /([A-Z][a-z]+) (\d{1,2}), (\d{4})/;
  const found = [];
  for (const [where, selector] of Object.entries(selectors)) {
    for (const el of document.querySelectorAll(selector)) {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node; (node = walker.nextNode()); ) {
        const t = node.textContent;
        let m = t.match(dayFirst), order = 'day-first';
        if (!m) { m = t.match(monthFirst); order = 'month-first'; }
        if (!m) continue;
        const box = (from, len) => { const r = document.createRange();
          r.setStart(node, from); r.setEnd(node, from + len); return r.getBoundingClientRect(); };
        const first = box(m.index, m[1].length);
        const second = box(t.indexOf(m[2], m.index + m[1].length), m[2].length);
        const year = box(m.index + m[0].length - m[3].length, m[3].length);
        const [day, month] = order === 'day-first' ? [first, second] : [second, first];
        found.push({where, order, text: m[0], day: day.left, month: month.left, year: year.left,
                    tops: [day.top, month.top, year.top], widths: [day.width, month.width, year.width]});
      }
    }
  }
  return found;
}"""
DATE_PLACES = {"lead": "article .fs-lead-sentence", "details": "article details.fs-details td"}


@pytest.mark.parametrize("lang", DIRS)
def test_date_numbers_keep_their_place(page, site_url: str, lang: str) -> None:
    """The digits of a date keep their visual order among Arabic words: day, month, year from
    right to left on Arabic pages (a bidi fault would put the two numbers side by side or swap
    them), from left to right on English ones."""
    page.goto(url_for(site_url, lang, PAGE_KINDS["meeting"]))
    page.locator("details.fs-details > summary").click()   # folded by default: open it as a reader would
    assert page.evaluate("document.querySelector('details.fs-details').open") is True
    dates = page.evaluate(DATE_PARTS, DATE_PLACES)
    lead = [d for d in dates if d["where"] == "lead"]
    details = [d for d in dates if d["where"] == "details"]
    assert len(lead) == 1, f"{page.url}: expected one date in the lead sentence, found {lead}"
    # the details box: the Gregorian date, and on Arabic pages the Hijri one too
    assert len(details) == (2 if lang == "ar" else 1), f"{page.url}: dates in the details box: {details}"
    for d in dates:
        assert all(w > 0 for w in d["widths"]), f"{page.url}: a part of {d['text']!r} is not drawn: {d}"
        assert max(d["tops"]) - min(d["tops"]) < 3, f"{page.url}: {d['text']!r} is split over lines: {d}"
        if lang == "ar":   # read right to left: day, month, year
            assert d["day"] > d["month"] > d["year"], d
        elif d["order"] == "day-first":   # "24 December 2025": day, month, year left to right
            assert d["day"] < d["month"] < d["year"], d
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
