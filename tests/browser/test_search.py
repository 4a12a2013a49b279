"""Check 3: Pagefind search as a reader uses it, in both languages.

Queries are typed key by key, either into the header search box (which submits to the search
page with ?q=) or into the Pagefind UI box on the search page. All results are loaded ("load
more" until there is no more) and their links checked."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import MEETINGS, path_of, url_for

QUERIES = [("ar", "الشيباني"), ("ar", "اسعد الشيباني"),  # no hamza
           ("ar", "أسعد الشّيباني"),                       # with a shadda
           ("ar", "الشيبانى"),   # final alef maqsura (Egyptian spelling): only the query fold in
                                 # factsheets-search.js finds it; Pagefind alone handles the others
           ("en", "Shaibani")]
BOX_QUERIES = [("ar", "أسعد الشّيباني"), ("en", "Shaibani")]

ALL_LOADED = r"""() => {
  const msg = document.querySelector('#fs-search .pagefind-ui__message');
  const m = msg && msg.textContent.match(/\d+/);
  if (!m) return false;
  const results = document.querySelectorAll('#fs-search .pagefind-ui__result');
  const links = document.querySelectorAll('#fs-search .pagefind-ui__result > .pagefind-ui__result-inner > .pagefind-ui__result-title > a.pagefind-ui__result-link');
  return results.length > 0 && !document.querySelector('#fs-search button.pagefind-ui__button')
    && links.length === results.length && results.length === Number(m[0]);
}"""


DONE = r"""() => { const m = document.querySelector('#fs-search .pagefind-ui__message');
  return !!m && /\d/.test(m.textContent) && !!document.querySelector('#fs-search .pagefind-ui__result-link'); }"""


def all_result_links(page) -> list[str]:
    try:
        page.wait_for_function(DONE, timeout=8000)
    except Exception:
        msg = page.locator("#fs-search .pagefind-ui__message")
        pytest.fail(f"{page.url}: no search results; Pagefind says "
                    f"{msg.first.inner_text() if msg.count() else '(nothing)'!r}", pytrace=False)
    more = page.locator("#fs-search button.pagefind-ui__button")
    for _ in range(20):
        if not more.count():
            break
        more.first.click()
        page.wait_for_timeout(100)
    page.wait_for_function(ALL_LOADED, timeout=15000)
    return page.eval_on_selector_all("#fs-search a.pagefind-ui__result-link", "els => els.map(e => e.href)")


def check_results(site_url: str, lang: str, query: str, links: list[str]) -> None:
    paths = {path_of(h) for h in links}
    for meeting in MEETINGS:
        expected = path_of(url_for(site_url, lang, f"meetings/{meeting}/"))
        assert expected in paths, f"{query!r}: {expected} not among the results {sorted(paths)}"
    en_root = path_of(url_for(site_url, "en", ""))
    for p in paths:
        assert p.startswith(en_root) == (lang == "en"), f"{query!r} on the {lang} site gives {p}"


@pytest.mark.parametrize("lang,query", QUERIES, ids=[f"{lg}-{q}" for lg, q in QUERIES])
def test_header_search_box(page, site_url: str, lang: str, query: str) -> None:
    page.goto(url_for(site_url, lang, ""))
    box = page.locator("input.fs-search-input")
    box.click()
    box.press_sequentially(query, delay=20)
    with page.expect_navigation():
        box.press("Enter")
    assert path_of(page.url) == path_of(url_for(site_url, lang, "search/"))
    assert re.search(r"[?&]q=", page.url)
    check_results(site_url, lang, query, all_result_links(page))


@pytest.mark.parametrize("lang,query", BOX_QUERIES, ids=[f"{lg}-{q}" for lg, q in BOX_QUERIES])
def test_search_page_box(page, site_url: str, lang: str, query: str) -> None:
    page.goto(url_for(site_url, lang, "search/"))
    box = page.locator("#fs-search input.pagefind-ui__search-input")
    box.click()
    box.press_sequentially(query, delay=20)
    check_results(site_url, lang, query, all_result_links(page))


# --- the index in shards (generator/publish/search.py) ------------------------------------------
#
# The example site is small enough for one shard; built again with copies of its article dated
# 2023 and 2024 (shards are by year) and shards of 10 pages (four per language), a search must
# still find every meeting, and its results come from every shard: the first bundle (the undated
# pages) and the ones merged into it (Pagefind's mergeIndex, factsheets-search.js).

#: per language: a name found on pages of every shard (its person's page in the first, meetings
#: of each year in the others), and an outlet
SHARDED_QUERIES = [("ar", "الشيباني", "الشرق للأخبار"), ("en", "Shaibani", "Asharq News")]


@pytest.fixture(scope="module")
def sharded_site_url(tmp_path_factory: pytest.TempPathFactory):
    from generator.publish import search
    from tests.conftest import add_years, copy_project, run_cli, serve_directory

    project = copy_project(tmp_path_factory.mktemp("sharded") / "project")
    add_years(project, [2023, 2024])  # shards are by year: 2025, 2023 and 2024 fill shards 1, 2 and 3
    proc = run_cli("build", cwd=project, env={search.SHARD_PAGES_ENV: "10"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (project / "site" / "pagefind-shards" / "03" / "pagefind-entry.json").is_file()
    server, url = serve_directory(project / "site")
    yield url
    server.shutdown()


@pytest.mark.parametrize("lang,query,outlet", SHARDED_QUERIES, ids=[q[0] for q in SHARDED_QUERIES])
def test_search_covers_every_shard(page, sharded_site_url: str, lang: str, query: str, outlet: str) -> None:
    from generator.publish import search

    fetched: list[str] = []
    page.on("request", lambda req: fetched.append(req.url))
    root = path_of(url_for(sharded_site_url, lang, ""))
    meeting = f"meetings/{MEETINGS[0]}/index.html"
    assert search.shard_of(meeting, 4) != 0, "the test needs a meeting outside the primary shard"
    shards: set[int] = set()
    for q in (query, outlet):
        page.goto(url_for(sharded_site_url, lang, "search/") + "?q=" + q)
        links = all_result_links(page)
        if q == query:
            check_results(sharded_site_url, lang, q, links)  # every meeting, on this language's site only
        shards |= {search.shard_of(path_of(h)[len(root):] + "index.html", 4) for h in links}
    assert shards == {0, 1, 2, 3}, f"results from shards {sorted(shards)} only"
    # the merged bundles were loaded, without a WASM of their own (the primary's serves them all)
    for i in (1, 2, 3):
        assert any(f"/pagefind-shards/{i:02d}/pagefind-entry.json" in u for u in fetched), fetched
    assert not any("/pagefind-shards/" in u and "wasm" in u for u in fetched)
