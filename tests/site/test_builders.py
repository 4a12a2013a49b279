"""Issue 23: the site builder is swappable (MkDocs, ProperDocs, Zensical), the site the same.

The example is built with each builder that is installed (``scripts/setup --test`` installs all
three; in CI a missing one fails instead of skipping), for a subpath address
(``FACTSHEETS_SITE_URL=http://127.0.0.1:PORT/REPO/``), served there, and checked: every page in
both languages, right-to-left Arabic, the language switch, one Pagefind bundle per language,
nothing loaded from another host, the sitemaps' ``hreflang`` alternates, and every link and
#anchor valid (LinkChecker). Without a build: how the builder is chosen, and its errors.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest
import yaml

from generator.publish.builders import BUILDERS, choose, finish_config
from generator.errors import BuildError, ContentError, UsageError
from generator.publish.sitemap import page_path, page_paths, sitemap_xml
from tests.conftest import REPO, copy_project, run_cli, serve_directory
from tests.publish.conftest import PREFIX, lift_linkchecker_rate_limit
from tests.publish.linkcheck import LINKCHECKER, problems, run_linkchecker

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XH = "{http://www.w3.org/1999/xhtml}"
IN_CI = os.environ.get("CI") == "true"


# --- choosing the builder (no build) --------------------------------------------------------

def _config(tmp_path: Path, text: str) -> tuple[dict, Path]:
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return yaml.safe_load(text), path


def test_flag_beats_environment_beats_mkdocs_yml_beats_default(tmp_path: Path) -> None:
    base, path = _config(tmp_path, "site_name: x\nextra:\n  factsheets_builder: properdocs\n")
    assert choose(base, path, flag="mkdocs", env={"FACTSHEETS_BUILDER": "properdocs"}).builder.name == "mkdocs"
    assert choose(base, path, env={"FACTSHEETS_BUILDER": "mkdocs"}).origin == "FACTSHEETS_BUILDER"
    chosen = choose(base, path, env={})
    assert (chosen.builder.name, chosen.origin) == ("properdocs", "mkdocs.yml")
    plain, plain_path = _config(tmp_path, "site_name: x\n")
    assert (choose(plain, plain_path, env={}).builder.name, choose(plain, plain_path, env={}).origin) == ("mkdocs", "default")
    assert choose(plain, plain_path, env={"FACTSHEETS_BUILDER": " ProperDocs "}).builder.name == "properdocs"


def test_unknown_builder_in_mkdocs_yml_is_located_with_the_closest_name(tmp_path: Path) -> None:
    base, path = _config(tmp_path, "site_name: x\nextra:\n  generator: false\n  factsheets_builder: zensicle\n")
    with pytest.raises(ContentError) as err:
        choose(base, path, env={})
    [d] = err.value.diagnostics
    assert (d.line, d.col, d.code) == (4, 23, "builder-unknown")
    assert "zensicle" in d.message and d.hint == "did you mean 'zensical'?"
    assert d.format().startswith(f"{d.path}:4:23: error[builder-unknown]:")


def test_unknown_builder_from_the_environment_is_a_usage_error(tmp_path: Path) -> None:
    base, path = _config(tmp_path, "site_name: x\n")
    with pytest.raises(UsageError, match=r"FACTSHEETS_BUILDER: 'hugo' is not a site builder \(one of mkdocs, properdocs, zensical\)"):
        choose(base, path, env={"FACTSHEETS_BUILDER": "hugo"})


def test_a_builder_that_is_not_installed_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A builder whose module cannot be found (here: Zensical looked up under a module name that
    exists nowhere) is refused before anything is built, naming what to pip install."""
    absent = dataclasses.replace(BUILDERS["zensical"], module="factsheets_test_no_such_builder")
    monkeypatch.setitem(BUILDERS, "zensical", absent)
    base, path = _config(tmp_path, "site_name: x\nextra:\n  factsheets_builder: zensical\n")
    with pytest.raises(BuildError) as err:
        choose(base, path, flag="zensical", env={})
    assert "is not installed" in str(err.value) and "pip install 'zensical==0.0.73'" in str(err.value)
    with pytest.raises(ContentError) as located:
        choose(base, path, env={})
    [d] = located.value.diagnostics
    assert (d.code, d.line) == ("builder-missing", 3) and "pip install 'zensical==0.0.73'" in d.hint


def test_cli_refuses_an_unknown_or_missing_builder_before_building(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    proc = run_cli("build", "--builder", "hugo", cwd=project)
    assert proc.returncode == 2 and "hugo" in proc.stderr and "zensical" in proc.stderr
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(text.replace("extra:\n", "extra:\n  factsheets_builder: hugo\n", 1),
                                        encoding="utf-8")
    proc = run_cli("build", cwd=project)
    assert proc.returncode == 1, proc.stderr
    assert re.search(r"mkdocs\.yml:\d+:\d+: error\[builder-unknown\]: extra\.factsheets_builder: 'hugo'", proc.stderr)
    assert "Traceback" not in proc.stderr and not (project / "site").exists()
    proc = run_cli("build", cwd=project, env={"FACTSHEETS_BUILDER": "mkdocs", "FACTSHEETS_JOBS": "1"},
                   timeout=300)
    assert proc.returncode == 0, proc.stderr  # the environment wins over mkdocs.yml


def test_configs_differ_only_where_the_builder_needs_it(tmp_path: Path) -> None:
    """Same settings for every builder, paths relative to the configuration's folder; Zensical
    gets its search off, Material's classic look, and its docs beside the configuration."""
    from generator.publish.site import Project, write_language_config

    project = Project.at(REPO)
    base = project.base_config()
    work = tmp_path / ".site-x"
    configs = {}
    for name in BUILDERS:
        out = write_language_config(project, base, "ar", work / "part-ar", work / name, BUILDERS[name])
        configs[name] = yaml.safe_load(out.read_text(encoding="utf-8"))
    mk, pd, zs = configs["mkdocs"], configs["properdocs"], configs["zensical"]
    assert mk == pd
    assert not os.path.isabs(mk["docs_dir"]) and not os.path.isabs(mk["site_dir"])
    assert not os.path.isabs(mk["theme"]["custom_dir"])
    assert (work / "mkdocs" / mk["docs_dir"]).resolve() == project.docs_root / "ar"
    assert (work / "mkdocs" / mk["theme"]["custom_dir"]).resolve() == REPO / "overrides"
    assert zs["docs_dir"] == "docs-ar" and zs["site_dir"] == "../part-ar"
    assert zs["plugins"] == {"search": {"enabled": False}} and zs["theme"]["variant"] == "classic"
    # MkDocs and ProperDocs (MkDocs 1.x) hold each page's HTML compressed until written (generator/publish/mkdocs_lean.py)
    # and may start before the figures and exports are written (generator/publish/mkdocs_early.py)
    assert mk["hooks"] == [str(REPO / "generator" / "publish" / name) for name in ("mkdocs_lean.py", "mkdocs_early.py")]
    assert "hooks" not in zs
    same = {k: v for k, v in zs.items() if k not in ("docs_dir", "site_dir", "plugins", "theme")}
    assert same == {k: v for k, v in mk.items() if k not in ("docs_dir", "site_dir", "plugins", "theme", "hooks")}
    assert {k: v for k, v in zs["theme"].items() if k != "variant"} == mk["theme"]


def test_finish_config_keeps_other_plugins_when_switching_search_off() -> None:
    cfg = finish_config({"plugins": ["tags", {"search": {"separator": "x"}}]}, Path("/w"), "ar", BUILDERS["zensical"])
    assert cfg["plugins"] == {"tags": {}, "search": {"separator": "x", "enabled": False}}


def test_overrides_call_no_python_methods() -> None:
    """MiniJinja (Zensical) has no Python string methods: ``x.rstrip('/')`` fails there."""
    found = []
    for path in sorted((REPO / "overrides").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"{{.*?}}|{%.*?%}", text, re.S):
            if re.search(r"\.\s*[A-Za-z_]\w*\s*\(", tag):
                found.append(f"{path.relative_to(REPO)}: {tag}")
    assert not found, found
    assert not (REPO / "overrides" / "sitemap.xml").exists(), "the sitemaps are written by generator/publish/sitemap.py"


# --- the sitemap (no build) -----------------------------------------------------------------

def test_page_paths_follow_the_markdown(tmp_path: Path) -> None:
    for rel in ("index.md", "search.md", "meetings/index.md", "meetings/a.md", "assets/x.css", ".hidden/y.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    assert page_paths(tmp_path) == ["", "meetings/", "meetings/a/", "search/"]
    assert page_path("meetings/a.md", use_directory_urls=False) == "meetings/a.html"


def test_sitemap_lists_alternates_only_for_pages_in_both_languages() -> None:
    pages = {"ar": ["", "meetings/a/", "only-ar/"], "en": ["", "meetings/a/"]}
    root = ElementTree.fromstring(sitemap_xml("ar", pages["ar"], "https://example.org/sub", pages))
    urls = {u.find(f"{SM}loc").text: {ln.get("hreflang"): ln.get("href") for ln in u.findall(f"{XH}link")}
            for u in root.findall(f"{SM}url")}
    assert urls["https://example.org/sub/meetings/a/"] == {"ar": "https://example.org/sub/meetings/a/",
                                                         "en": "https://example.org/sub/en/meetings/a/"}
    assert urls["https://example.org/sub/only-ar/"] == {"ar": "https://example.org/sub/only-ar/"}
    en = ElementTree.fromstring(sitemap_xml("en", pages["en"], "https://example.org/sub/", pages))
    assert en.find(f"{SM}url/{SM}loc").text == "https://example.org/sub/en/"


def test_sitemap_without_a_site_url_is_an_empty_urlset() -> None:
    root = ElementTree.fromstring(sitemap_xml("ar", ["", "meetings/"], "", {"en": ["", "meetings/"]}))
    assert root.tag == f"{SM}urlset" and len(root) == 0


# --- the example built with each builder ------------------------------------------------------

@dataclass(frozen=True)
class Built:
    name: str
    project: Path
    site: Path
    url: str      # http://127.0.0.1:PORT/REPO/ (also its site_url)
    log: str


def _installed_or_skip(name: str) -> None:
    if not BUILDERS[name].installed():
        message = f"{name} is not installed (pip install '{BUILDERS[name].requirement}', or scripts/setup --test)"
        if IN_CI:
            pytest.fail(message + "; CI builds the example with every builder")
        pytest.skip(message)


@pytest.fixture(scope="module", params=list(BUILDERS))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    name = request.param
    _installed_or_skip(name)
    project = copy_project(tmp_path_factory.mktemp(f"builder-{name}") / "project")
    site = project / "site"
    site.mkdir()
    server, url = serve_directory(site, prefix=PREFIX)
    lift_linkchecker_rate_limit(server)
    try:
        proc = run_cli("build", "--builder", name, cwd=project, env={"FACTSHEETS_SITE_URL": url}, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        yield Built(name, project, site, url, proc.stdout + proc.stderr)
    finally:
        server.shutdown()


def _pages(built: Built, lang: str) -> list[str]:
    return page_paths(built.project / "build" / "docs" / lang)


def _html(built: Built, lang: str, path: str) -> str:
    folder = built.site if lang == "ar" else built.site / "en"
    return (folder / path / "index.html").read_text(encoding="utf-8")


def test_the_chosen_builder_built_it(built: Built) -> None:
    assert f"{BUILDERS[built.name].label}: building ar" in built.log
    generator = re.search(r'<meta name="generator" content="([^"]*)"', _html(built, "ar", ""))
    expected = {"mkdocs": "mkdocs-1.", "properdocs": "ProperDocs", "zensical": "zensical-"}[built.name]
    assert generator and expected in generator.group(1), generator


def test_every_page_in_both_languages(built: Built) -> None:
    ar, en = _pages(built, "ar"), _pages(built, "en")
    assert ar == en and len(ar) > 30 and "meetings/lavrov-shaibani-talks-2025-12-24/" in ar
    for lang, pages in (("ar", ar), ("en", en)):
        for path in pages:
            assert f'<html lang="{lang}"' in _html(built, lang, path), (lang, path)
    assert (built.site / "404.html").is_file() and (built.site / "en" / "404.html").is_file()


def test_arabic_is_right_to_left_and_english_left_to_right(built: Built) -> None:
    for path in _pages(built, "ar"):
        assert re.search(r'<body[^>]*\bdir="rtl"', _html(built, "ar", path)), path
        assert re.search(r'<body[^>]*\bdir="ltr"', _html(built, "en", path)), path


def test_language_switch_leads_to_the_same_page(built: Built) -> None:
    for lang, other in (("ar", "en"), ("en", "ar")):
        for path in _pages(built, lang):
            here = built.url + ("en/" if lang == "en" else "") + path
            there = built.url + ("en/" if other == "en" else "") + path
            switch = re.search(r'<a class="fs-lang-switch[^>]*?href="([^"]*)"', _html(built, lang, path))
            assert switch, (lang, path)
            assert urljoin(here, switch.group(1)) == there, (lang, path, switch.group(1))


def test_one_pagefind_bundle_per_language(built: Built) -> None:
    for lang, folder in (("ar", built.site), ("en", built.site / "en")):
        entry = json.loads((folder / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == [lang]
        indexable = [p for p in _pages(built, lang) if "data-pagefind-body" in _html(built, lang, p)]
        assert len(indexable) > 20 and entry["languages"][lang]["page_count"] == len(indexable)
        assert (folder / "pagefind" / "pagefind-ui.js").is_file()
    search = _html(built, "ar", "search/")
    assert "pagefind/pagefind-ui.js" in search and "data-pagefind-body" in _html(built, "ar", "")
    if built.name == "zensical":  # its own search is off: at most an empty stub
        stub = built.site / "search.json"
        assert not stub.exists() or json.loads(stub.read_text(encoding="utf-8")).get("items") == []


class _Loads(HTMLParser):
    """What a page loads: scripts, style sheets, icons, fonts, images, embedded objects."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video") and d.get("src"):
            self.urls.append(d["src"])
        elif tag == "object" and d.get("data"):
            self.urls.append(d["data"])
        elif tag == "link" and d.get("href") and (d.get("rel") or "") not in ("alternate", "canonical"):
            self.urls.append(d["href"])


def test_nothing_is_loaded_from_another_host(built: Built) -> None:
    host = urlsplit(built.url).netloc
    foreign = []
    for path in sorted(built.site.rglob("*")):
        rel = path.relative_to(built.site)
        if "pagefind" in rel.parts or not path.is_file():
            continue
        if path.suffix == ".html":
            parser = _Loads()
            parser.feed(path.read_text(encoding="utf-8"))
            foreign += [f"{rel}: {u}" for u in parser.urls
                        if urlsplit(u).scheme in ("http", "https", "") and urlsplit(u).netloc not in ("", host)]
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8", errors="replace")
            foreign += [f"{rel}: {u}" for u in re.findall(r"""(?:url\(\s*['"]?|@import\s+['"])((?:https?:)?//[^'")\s]+)""", text)]
    assert not foreign, foreign[:20]


def test_sitemaps_carry_both_languages(built: Built) -> None:
    pages = _pages(built, "ar")
    for lang, folder in (("ar", built.site), ("en", built.site / "en")):
        text = (folder / "sitemap.xml").read_text(encoding="utf-8")
        assert gzip.decompress((folder / "sitemap.xml.gz").read_bytes()).decode("utf-8") == text
        root = ElementTree.fromstring(text)
        own = built.url + ("en/" if lang == "en" else "")
        locs = [u.find(f"{SM}loc").text for u in root.findall(f"{SM}url")]
        assert locs == [own + p for p in pages]
        for url in root.findall(f"{SM}url"):
            links = {ln.get("hreflang"): ln.get("href") for ln in url.findall(f"{XH}link")}
            path = url.find(f"{SM}loc").text[len(own):]
            assert links == {"ar": built.url + path, "en": built.url + "en/" + path}


def test_every_link_and_anchor_is_valid(built: Built, tmp_path: Path) -> None:
    if not LINKCHECKER.exists():
        if IN_CI:
            pytest.fail("linkchecker is not installed (pip install -e '.[test]')")
        pytest.skip("linkchecker is not installed (pip install -e '.[test]')")
    start = [built.url + s for s in ("", "en/", "404.html", "en/404.html", "sitemap.xml", "en/sitemap.xml")]
    rows = run_linkchecker(start, tmp_path)
    found = problems(rows, urlsplit(built.url).netloc)
    assert not found, f"{built.name}: {len(found)} broken link(s)/anchor(s):\n" + "\n".join(found[:40])
    checked = {row.url.split("#", 1)[0] for row in rows if row.valid}
    for lang in ("ar", "en"):
        for path in _pages(built, lang):
            assert built.url + ("en/" if lang == "en" else "") + path in checked, (lang, path)


# --- the lock file (no build) -----------------------------------------------------------------

def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_constraints_pin_every_declared_dependency() -> None:
    """constraints.txt (written by scripts/lock) pins each dependency of pyproject.toml, extras
    included, to one version: a dependency added without locking again fails here."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        declared |= {_name(r) for r in extra}
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep and version.strip(), f"constraints.txt: {line!r} is not NAME==VERSION"
            pins[_name(name)] = version.strip()
    missing = sorted(declared - set(pins))
    assert not missing, f"not in constraints.txt (run scripts/lock): {missing}"
    assert pins["zensical"] == "0.0.73" and pins["mkdocs"].startswith("1.")
    assert "factsheets" not in pins  # the project itself is installed editable, never pinned
