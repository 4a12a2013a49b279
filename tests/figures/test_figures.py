"""Static SVG figures (issue #10): well-formed, deterministic, escaped, in the right script and
direction, linked to pages that exist, embedded with a text alternative and a download link,
and drawn by a real browser (screenshots under test-output/figures/)."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

from bench.corpus import write_corpus
from generator.render.figures import Figures, figure_files
from generator.render.figures.data import MAX_PEOPLE, home_network, home_timeline, meeting_matrix, person_network, topic_matrix
from generator.render.pages import _page_dir_url, _relative
from generator.render.figures.svg import attr, num, text, wrap
from generator.outputs.extras import PRODUCERS, Context
from generator.core.validate import load_and_check
from tests.conftest import REPO, BuiltSite

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"
ARABIC = re.compile("[\u0600-\u06ff]")
LATIN_WORD = re.compile("[A-Za-z]{3,}")
CORPUS = load_and_check(REPO / "content").corpus
FIGURES = Figures(CORPUS)
SUBJECTS = FIGURES.subjects()
MEETING = "lavrov-shaibani-talks-2025-12-24"
TEST_OUTPUT = REPO / "test-output" / "figures"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def texts(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//svg:text", NS)


def visible_text(root: ET.Element) -> str:
    return " ".join("".join(t.itertext()) for t in texts(root))


# --- the figures exist, and the producer is registered ----------------------------------------


def test_every_figure_kind_is_drawn_for_the_example() -> None:
    kinds = {(fig, kind) for fig, kind, _ in SUBJECTS}
    assert kinds == {("matrix", "meeting"), ("matrix", "topic"), ("timeline", "organization"),
                     ("timeline", "person"), ("timeline", "home"), ("network", "person"), ("network", "home")}
    assert figure_files in PRODUCERS


def test_pages_without_data_get_no_figure() -> None:
    assert FIGURES.timeline("organization", "asharq") is None        # an outlet: no meetings
    assert FIGURES.network("person", "no-such-person") is None


# --- well-formed, accessible, deterministic -----------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_figure_is_well_formed_svg_with_title_and_desc(lang: str) -> None:
    for path, svg in FIGURES.files(lang):
        assert path.startswith("figures/") and path.endswith(".svg")
        assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
        root = parse(svg)
        assert root.tag == f"{SVG}svg", path
        title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
        assert title is not None and title.text and desc is not None and desc.text, path
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        # every figure's marks are links (embedded with <object>): a group, not a flat image
        assert root.get("role") == "group"
        assert list(root.iter(f"{SVG}a")), path
        assert root.get("viewBox")
        # nothing is loaded from anywhere but the site's own font files: no images, scripts or
        # foreign objects; one <style> of @font-face rules naming the self-hosted family's files
        for bad in ("image", "script", "foreignObject", "use"):
            assert root.find(f".//svg:{bad}", NS) is None, (path, bad)
        styles = root.findall(".//svg:style", NS)
        assert len(styles) == 1 and "@import" not in svg, path
        urls = re.findall(r'url\(([^)]*)\)', svg)
        assert urls and svg.count("url(") == len(urls) == styles[0].text.count("@font-face"), path
        for u in urls:
            assert re.fullmatch(r'"\.\./assets/fonts/[a-z0-9-]+\.woff2"', u), u
            assert (REPO / "overrides/assets/fonts" / u.strip('"').rsplit("/", 1)[1]).is_file(), u
        assert root.get("font-family").startswith('"IBM Plex Sans Arabic"')


def test_same_data_gives_byte_identical_files() -> None:
    again = Figures(load_and_check(REPO / "content").corpus)
    for lang in ("ar", "en"):
        first, second = FIGURES.files(lang), again.files(lang)
        assert [p for p, _ in first] == [p for p, _ in second]
        for (path, a), (_, b) in zip(first, second):
            assert a.encode() == b.encode(), path
    assert list(figure_files(Context(CORPUS, "ar", ""))) == FIGURES.files("ar")


def test_built_site_carries_the_same_files(example_site: BuiltSite) -> None:
    for lang, prefix in (("ar", ""), ("en", "en/")):
        for path, svg in FIGURES.files(lang):
            assert (example_site.docs / lang / path).read_bytes() == svg.encode(), path
            assert (example_site.site / prefix / path).read_bytes() == svg.encode(), path


# --- script and direction ----------------------------------------------------------------------


@pytest.mark.parametrize("fig,kind,ident", SUBJECTS, ids=lambda v: str(v))
def test_labels_in_the_right_script_and_direction(fig: str, kind: str, ident: str | None) -> None:
    ar, en = parse(FIGURES.svg(fig, kind, ident, "ar")), parse(FIGURES.svg(fig, kind, ident, "en"))
    assert (ar.get("direction"), ar.get("lang"), ar.get("{http://www.w3.org/XML/1998/namespace}lang")) == ("rtl", "ar", "ar")
    assert (en.get("direction"), en.get("lang")) == ("ltr", "en")
    assert all(t.get("direction") == "rtl" for t in texts(ar))
    assert all(t.get("direction") == "ltr" for t in texts(en))
    ar_text, en_text = visible_text(ar), visible_text(en)
    assert ARABIC.search(ar_text) and not LATIN_WORD.search(ar_text), ar_text
    assert LATIN_WORD.search(en_text) and not ARABIC.search(en_text), en_text


def _names(lang: str, ids: list[str]) -> list[str]:
    return [CORPUS.people[i].name.get(lang) for i in ids]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_people_named_in_their_own_script(lang: str) -> None:
    people = sorted(CORPUS.people)
    shown = visible_text(parse(FIGURES.svg("network", "home", None, lang)))
    for name in _names(lang, people):
        assert name in shown
    for name in _names("en" if lang == "ar" else "ar", people):
        assert name not in shown


def _x(el: ET.Element) -> float:
    return float(el.get("cx") or el.get("x") or 0)


def test_time_runs_in_reading_direction() -> None:
    """Arabic: earliest meeting on the right; English: on the left."""
    tl = home_timeline(CORPUS)
    assert tl is not None
    order = [m.id for row in tl.rows for m in row.meetings]
    for lang, sign in (("ar", -1), ("en", 1)):
        root = parse(FIGURES.svg("timeline", "home", None, lang))
        xs = {}
        for a in root.iter(f"{SVG}a"):
            href = a.get("href", "")
            mark = a.find("svg:circle", NS)
            mark = a.find("svg:rect", NS) if mark is None else mark
            for mid in order:
                if href.endswith(f"meetings/{mid}/") and mark is not None:
                    xs[mid] = _x(mark)
        assert len(xs) == len(order) >= 2
        first, last = (min(order, key=lambda m: CORPUS.meetings[m].date.start),
                       max(order, key=lambda m: CORPUS.meetings[m].date.start))
        assert sign * (xs[last] - xs[first]) > 0, (lang, xs)


def test_matrix_columns_run_in_reading_direction() -> None:
    """Matrix columns: the first on the right in Arabic, on the left in English."""
    for fig_kind, ident, data in (("topic", "syrian-sovereignty", topic_matrix(CORPUS, "syrian-sovereignty")),
                                  ("meeting", MEETING, meeting_matrix(CORPUS, MEETING))):
        assert data is not None
        for lang, sign in (("ar", -1), ("en", 1)):
            root = parse(FIGURES.svg("matrix", fig_kind, ident, lang))
            xs: dict[str, float] = {}  # link target -> x of its first text
            for a in root.iter(f"{SVG}a"):
                first = next(a.iter(f"{SVG}text"), None)
                if first is not None:
                    xs.setdefault(a.get("href", ""), float(first.get("x", "0")))
            topics = [f"../topics/{c}/" for c in data.columns if c]
            heads = [xs[t] for t in topics[:2]]
            if len(heads) < 2 or heads[0] == heads[1]:
                # transposed (topics down the side): the speakers are the columns
                people = [f"../people/{r.speaker.ids[0]}/" for r in data.rows if r.speaker.kind == "person"]
                heads = [xs[p] for p in people[:2]]
            assert len(heads) == 2 and sign * (heads[1] - heads[0]) > 0, (fig_kind, lang, heads)


def test_figure_dates_are_day_first_as_on_the_pages() -> None:
    """The matrix's dates read as the page's do (day, month, year), not CLDR en's US order."""
    text_of = {lang: visible_text(parse(FIGURES.svg("matrix", "meeting", MEETING, lang))) for lang in ("ar", "en")}
    assert "24 Dec 2025" in text_of["en"] and "Dec 24" not in text_of["en"], text_of["en"]
    assert "24 ديسمبر 2025" in text_of["ar"], text_of["ar"]


# --- escaping ----------------------------------------------------------------------------------


def test_escaping_primitives() -> None:
    assert text('<a href="x">&amp;</a>') == '&lt;a href="x"&gt;&amp;amp;&lt;/a&gt;'
    assert attr("\"'<&>") == "&quot;&#39;&lt;&amp;&gt;"
    assert text("a\x00b\u202ec\u2066d") == "abcd"
    assert num(-0.04) == "0" and num(12.0) == "12" and num(1.25) in ("1.2", "1.3")
    assert wrap("one two three four five six", 40, 13, max_lines=2)[-1].endswith("…")


def test_hostile_names_stay_text() -> None:
    hostile = load_and_check(REPO / "tests" / "fixtures" / "hostile" / "content").corpus
    figs = Figures(hostile)
    drawn = figs.subjects()
    assert {f for f, _, _ in drawn} == {"matrix", "timeline", "network"}
    for lang in ("ar", "en"):
        for path, svg in figs.files(lang):
            root = parse(svg)  # well-formed despite <, &, quotes in every name
            for el in root.iter():
                assert el.tag.startswith(SVG), (path, el.tag)
                assert el.tag not in (f"{SVG}script", f"{SVG}image", f"{SVG}foreignObject")
                assert not any(k.startswith("on") for k in el.attrib), (path, el.tag, el.attrib)
                if el.tag == f"{SVG}a":
                    assert re.fullmatch(r"(\.\./)*[a-z0-9/#-]+", el.get("href", "")), el.get("href")
    names = " ".join(visible_text(parse(svg)) + " " + "".join(parse(svg).find("svg:title", NS).itertext())
                     for _, svg in figs.files("en"))
    assert 'Person text{: onclick="alert(1)" }' in names


# --- links and embedding in the built site -------------------------------------------------------


class Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.imgs: list[dict[str, str | None]] = []
        self.objects: list[dict[str, str | None]] = []
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        if d.get("id"):
            self.ids.add(d["id"])
        if tag == "img":
            self.imgs.append(d)
        if tag == "object":
            self.objects.append(d)
        if tag == "a":
            self.links.append(d)


def _page(site: Path, url_path: str) -> Refs:
    f = site / url_path.lstrip("/")
    f = f / "index.html" if url_path.endswith("/") else f
    r = Refs()
    r.feed(f.read_text(encoding="utf-8"))
    return r


def _check_target(site: Path, base: str, href: str) -> None:
    """``href`` (relative to the URL ``base``) names an existing page and, if any, anchor."""
    assert not urlparse(href).scheme and not href.startswith("//"), href
    target, anchor = urldefrag(urljoin("http://site" + base, href))
    path = urlparse(target).path
    assert path.endswith("/"), (base, href)
    assert (site / path.lstrip("/") / "index.html").is_file(), (base, href)
    if anchor:
        assert anchor in _page(site, path).ids, (base, href)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_links_in_figure_files_resolve(example_site: BuiltSite, lang: str) -> None:
    prefix = "" if lang == "ar" else "en/"
    files = sorted((example_site.site / prefix / "figures").glob("*.svg"))
    assert len(files) == len(SUBJECTS)
    checked = 0
    for f in files:
        for a in parse(f.read_text(encoding="utf-8")).iter(f"{SVG}a"):
            _check_target(example_site.site, f"/{prefix}figures/{f.name}", a.get("href", ""))
            checked += 1
    assert checked > len(files)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_embedded_matrices_link_to_statements(example_site: BuiltSite, lang: str) -> None:
    """Each matrix page embeds its SVG file with <object>; the file's links (target _top) resolve."""
    prefix = "" if lang == "ar" else "en/"
    pages = [(f"/{prefix}{'meetings' if k == 'meeting' else 'topics'}/{i}/", k, i)
             for f, k, i in SUBJECTS if f == "matrix"]
    statements_linked = set()
    for url, kind, ident in pages:
        html = (example_site.site / url.lstrip("/") / "index.html").read_text(encoding="utf-8")
        assert 'class="fs-svg"' not in html, url  # no figure inline: nothing for Python-Markdown to parse
        objects = re.findall(r'<object data="([^"]+)" type="image/svg\+xml" aria-label="([^"]+)">', html)
        assert len(objects) == 1, url
        data, label = objects[0]
        assert label.strip(), url
        _check_file(example_site.site, url, data)
        svg_url = urlparse(urljoin("http://site" + url, data)).path
        root = parse((example_site.site / svg_url.lstrip("/")).read_text(encoding="utf-8"))
        assert root.get("role") == "group" and root.find("svg:title", NS) is not None
        anchors = list(root.iter(f"{SVG}a"))
        assert anchors and all(a.get("target") == "_top" for a in anchors), url
        for a in anchors:
            href = a.get("href", "")
            _check_target(example_site.site, svg_url, href)
            if "#" in href:
                statements_linked.add(href.split("#")[1].removeprefix("st-"))
        # the download link beside it, and the same data as a table (meeting) or the by-side tables (topic)
        refs = _page(example_site.site, url)
        assert "figure-positions" in refs.ids
        downloads = [d for d in refs.links if (d.get("href") or "").endswith(f"figures/{kind}-{ident}.svg")]
        assert downloads and downloads[0].get("download") == f"{kind}-{ident}.svg", url
        _check_file(example_site.site, url, downloads[0]["href"])
        m = FIGURES.matrix(kind, ident)
        table_links = {a["href"].split("#st-")[1] for a in refs.links
                       if a.get("href") and "#st-" in a["href"] and a["href"].split("#st-")[1] in CORPUS.statements}
        assert {cell.statement for _, _, cell in m.entries()} <= table_links
    assert statements_linked == set(CORPUS.statements)  # every statement is in some matrix cell


def _check_file(site: Path, base: str, href: str) -> None:
    path = urlparse(urljoin("http://site" + base, href)).path
    assert (site / path.lstrip("/")).is_file(), (base, href)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_figures_have_a_label_a_download_link_and_a_table(example_site: BuiltSite, lang: str) -> None:
    """Timelines and networks are embedded like the matrix (<object>, so their links work), with a
    label that names the figure and says the table below holds the same data."""
    prefix = "" if lang == "ar" else "en/"
    folder = {"organization": "organizations", "person": "people"}
    for fig, kind, ident in SUBJECTS:
        if fig == "matrix":
            continue
        url = f"/{prefix}" if kind == "home" else f"/{prefix}{folder[kind]}/{ident}/"
        refs = _page(example_site.site, url)
        name = posixpath.basename(FIGURES.path(fig, kind, ident))
        assert not [i for i in refs.imgs if (i.get("src") or "").endswith(f"figures/{name}")], (url, name)
        objects = [o for o in refs.objects if (o.get("data") or "").endswith(f"figures/{name}")]
        assert len(objects) == 1 and objects[0].get("type") == "image/svg+xml", (url, name)
        label = objects[0].get("aria-label") or ""
        title = FIGURES.title(fig, kind, ident, lang)
        assert title in label and len(label) > len(title)
        _check_file(example_site.site, url, objects[0]["data"])
        assert any((a.get("href") or "").endswith(f"figures/{name}") and a.get("download") == name
                   for a in refs.links), (url, name)
        assert f"figure-{fig}" in refs.ids


def test_raw_html_paths_follow_directory_urls() -> None:
    """<object data=…> is raw HTML, which MkDocs does not rewrite: it must start from the page's URL."""
    assert _relative("figures/x.svg", _page_dir_url("index.md")) == "figures/x.svg"
    assert _relative("figures/x.svg", _page_dir_url("topics/x.md")) == "../../figures/x.svg"
    assert _relative("figures/x.svg", _page_dir_url("meetings/index.md")) == "../figures/x.svg"


def test_tables_hold_the_same_data(example_site: BuiltSite) -> None:
    """Rows of each figure's table on the page = the figure's marks (counted in the Markdown)."""
    docs = example_site.docs / "en"
    md = (docs / "index.md").read_text(encoding="utf-8")
    section = md.split("{ #figure-timeline }")[1].split("\n## ")[0]
    rows = [ln for ln in section.splitlines() if ln.startswith("| [")]
    assert len(rows) == sum(len(r.meetings) for r in home_timeline(CORPUS).rows)
    section = md.split("{ #figure-network }")[1].split("\n## ")[0]
    rows = [ln for ln in section.splitlines() if ln.startswith("| [")]
    assert len(rows) == len(home_network(CORPUS).edges)
    md = (docs / "meetings" / f"{MEETING}.md").read_text(encoding="utf-8")
    section = md.split("{ #figure-positions }")[1].split("\n## ")[0]
    rows = [ln for ln in section.splitlines() if ln.startswith("| [") or ln.startswith("| Both")]
    assert len(rows) == len(meeting_matrix(CORPUS, MEETING).entries())
    # a meeting page shows each statement once, as a card (issue 18): the matrix's table is folded
    # in a <details> under the figure, each stance linking to its statement's card on the page
    assert section.index("<details") < section.index(rows[0]) < section.index("</details>")
    linked = {s for ln in rows for s in re.findall(r"#st-([a-z0-9-]+)\)", ln)}
    assert linked == {cell.statement for _, _, cell in meeting_matrix(CORPUS, MEETING).entries()}
    html = (example_site.site / "en" / "meetings" / MEETING / "index.html").read_text(encoding="utf-8")
    assert all(html.count(f'<div class="fs-statement" id="st-{s}">') == 1 for s in linked), linked


# --- a real browser draws each kind in both languages ---------------------------------------------

SHOTS = [  # name, page (under the language root), element
    ("matrix-meeting", f"meetings/{MEETING}/", "figure.fs-figure-matrix object"),
    ("matrix-topic", "topics/syrian-sovereignty/", "figure.fs-figure-matrix object"),
    ("timeline-home", "", "figure.fs-figure-timeline object"),
    ("timeline-organization", "organizations/russia/", "figure.fs-figure-timeline object"),
    ("network-home", "", "figure.fs-figure-network object"),
    ("network-person", "people/asaad-al-shaibani/", "figure.fs-figure-network object"),
]


#: The drawn parts of a figure's link (what a reader clicks on).
_SHAPES = "rect, circle, ellipse, path, polygon"


def _click_mark(page, obj, link) -> None:
    """Click, with the mouse, the centre of the drawn mark of ``link`` (a locator in the SVG
    document of the <object> ``obj``), where a reader sees it. The positions matrix is shown at
    110 % (CSS zoom) in a frame that scrolls sideways (in Arabic it opens at its right end), and
    Playwright's own click does not apply the object's zoom to points inside it: it aims beside
    the mark and times out. So the mark is scrolled into the frame's view (scrollIntoView from
    inside the SVG scrolls the frame and the page), its centre is mapped through the object's
    box, and the point must be the mark's own link and lie in the visible part of the frame."""
    shape = link.locator(_SHAPES).first
    shape.evaluate("s => s.scrollIntoView({block: 'center', inline: 'center'})")
    inner = shape.evaluate("""s => { const r = s.getBoundingClientRect(), d = s.ownerDocument;
        const x = r.left + r.width / 2, y = r.top + r.height / 2, hit = d.elementFromPoint(x, y);
        return {x, y, width: d.documentElement.getBoundingClientRect().width,
                own: !!hit && hit.closest('a') === s.closest('a')}; }""")
    assert inner["own"], f"the centre of the mark is covered by another link or the background: {inner}"
    box = obj.bounding_box()
    scale = box["width"] / inner["width"]   # the object's zoom (1.1 for the matrix, 1 elsewhere)
    x, y = box["x"] + inner["x"] * scale, box["y"] + inner["y"] * scale
    seen = obj.evaluate("""o => { const r = (o.closest('figure') || o).getBoundingClientRect();
        return {left: Math.max(r.left, 0), right: Math.min(r.right, innerWidth),
                top: Math.max(r.top, 0), bottom: Math.min(r.bottom, innerHeight)}; }""")
    assert seen["left"] < x < seen["right"] and seen["top"] < y < seen["bottom"], (x, y, seen)
    page.mouse.click(x, y)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_browser_draws_each_figure(browser, site_url: str, lang: str) -> None:
    TEST_OUTPUT.mkdir(parents=True, exist_ok=True)
    root = site_url + ("" if lang == "ar" else "en/")
    elsewhere: list[str] = []
    page = browser.new_page(viewport={"width": 1100, "height": 900}, device_scale_factor=1)
    try:
        page.on("request", lambda req: elsewhere.append(req.url) if not req.url.startswith(site_url) else None)
        for name, path, selector in SHOTS:
            page.goto(root + path, wait_until="load")
            page.add_style_tag(content=".md-header, .md-tabs { display: none !important; }")
            el = page.locator(selector).first
            el.scroll_into_view_if_needed()
            if selector.endswith("img"):
                ok = el.evaluate("img => img.complete && img.naturalWidth > 0")
                assert ok, f"{name} ({lang}): the SVG file did not load as an image"
            if selector.endswith("object"):
                page.wait_for_function("o => o.contentDocument && o.contentDocument.querySelector('svg a')",
                                       arg=el.element_handle())
            box = el.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 100, (name, lang, box)
            el.screenshot(path=str(TEST_OUTPUT / f"{name}-{lang}.png"))
            if name == "matrix-meeting":
                # a statement's cell opens the meeting page at that statement, in the page, not the frame
                svg_name = el.get_attribute("data").split("/")[-1]
                frame = next(f for f in page.frames if f.url.endswith("/figures/" + svg_name))
                cell = frame.locator("a[href*='#']").first
                target = cell.get_attribute("href").split("#")[1]
                # click the mark itself (the centre of a link's box can be background, and where
                # it falls depends on the fonts the machine has), brought into the scrolling frame's view
                _click_mark(page, el, cell)
                page.wait_for_url(re.compile(f"/meetings/[^/]+/#{target}$"))
                assert page.locator(f"[id='{target}']").count() == 1
            if name in ("timeline-home", "network-home"):
                # a mark (meeting) or a node (person) opens its fact sheet in the page
                svg_name = el.get_attribute("data").split("/")[-1]
                frame = next(f for f in page.frames if f.url.endswith("/figures/" + svg_name))
                folder = "meetings" if name == "timeline-home" else "people"
                mark = frame.locator(f"a[href*='/{folder}/']").first
                target = mark.get_attribute("href").rstrip("/").split("/")[-1]
                mark.locator(_SHAPES).first.click()
                page.wait_for_url(re.compile(f"/{folder}/{target}/$"))
                assert page.locator("h1").count() == 1
    finally:
        page.close()
    assert not [u for u in elsewhere if not u.startswith(("data:", "about:"))], elsewhere
    assert all((TEST_OUTPUT / f"{n}-{lang}.png").stat().st_size > 2000 for n, _, _ in SHOTS)


# --- large data stays legible ----------------------------------------------------------------


def test_crowded_cell_draws_the_newest_and_counts_the_rest() -> None:
    from datetime import date

    from generator.render.figures import matrix as matrix_mod
    from generator.render.figures.data import Matrix, MatrixCell, MatrixRow, Speaker

    cells = tuple(MatrixCell(f"s{i}", "affirms", date(2025, 1, i + 1), MEETING) for i in range(9))
    m = Matrix((MatrixRow("russia", Speaker("person", ("sergey-lavrov",))),), ("syrian-sovereignty",),
               {(0, 0): cells})
    svg = matrix_mod.render(m, FIGURES.labels("en"), ident="t", title="T", prefix="../", standalone=True)
    root = parse(svg)
    links = [a.get("href") for a in root.iter(f"{SVG}a") if "#" in (a.get("href") or "")]
    assert links == [f"../meetings/{MEETING}/#st-s{i}" for i in range(4, 9)]  # the five newest
    assert "+4" in visible_text(root)


def test_networks_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.render.figures import data as data_mod

    monkeypatch.setattr(data_mod, "MAX_PEOPLE", 2)
    net = data_mod.home_network(CORPUS)
    assert net is not None and len(net.nodes) == 2
    assert all(e.a in net.nodes and e.b in net.nodes for e in net.edges)
    ego = data_mod.person_network(CORPUS, "asaad-al-shaibani")
    assert ego is not None and len(ego.nodes) == 2 and ego.centre == "asaad-al-shaibani"


def _state_by_definition(corpus, person_id: str) -> str | None:
    """The group a person is drawn in, spelled out: the side they sat on most often (ties: first
    id; its state, or the side itself), else the state of their latest role's organization."""
    sides = Counter(side for m in corpus.meetings_by_person.get(person_id, [])
                    for p in m.participants if p.person == person_id and (side := p.side))
    if sides:
        best = max(sides.values())
        side = min(s for s, n in sides.items() if n == best)
        return corpus.state_of(side) or side
    for role in sorted(corpus.people[person_id].roles, key=lambda r: r.start or date.min, reverse=True):
        if role.organization and corpus.state_of(role.organization):
            return corpus.state_of(role.organization)
    return None


def test_networks_match_their_definition_on_a_larger_corpus(tmp_path: Path) -> None:
    """Networks are read from a per-person index (not by scanning every pair in the archive for
    each page): on a synthetic archive, every person's network has exactly the edges among its
    people that sat on different sides, oldest meeting first, the most-met people, and groups
    by the definition above."""
    write_corpus(80, tmp_path / "content", seed=3)
    corpus = load_and_check(tmp_path / "content").corpus
    pairs = corpus.met_across_sides
    assert len(pairs) > 50
    checked = 0
    for person in corpus.people:
        net = person_network(corpus, person)
        if net is None:
            assert not corpus.meetings_by_person.get(person)
            continue
        times = {(b if a == person else a): len(ms) for (a, b), ms in pairs.items() if person in (a, b)}
        expected_people = {person, *sorted(times, key=lambda p: (-times[p], p))[: MAX_PEOPLE - 1]}
        assert set(net.nodes) == expected_people
        assert [(e.a, e.b) for e in net.edges] == sorted(k for k in pairs if set(k) <= expected_people)
        for e in net.edges:
            dates = [(corpus.meetings[m].date.start, m) for m in e.meetings]
            assert dates == sorted(dates) and set(e.meetings) == {m.id for m in pairs[(e.a, e.b)]}
        assert net.groups == {p: _state_by_definition(corpus, p) for p in expected_people}
        checked += 1
    assert checked > 10
