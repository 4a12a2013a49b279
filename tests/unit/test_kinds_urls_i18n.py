"""Issue 17, items 1-3: one home each for page kinds (generator.kinds), paths and links
(generator.urls) and the languages' words (generator.i18n); no import cycle in the package."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import i18n, kinds, urls
from generator.render.plan import plan_pages
from generator.core.validate import load_and_check
from tests.unit.parsed import parse, text_of

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "generator"
MODULES = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for p in PACKAGE.rglob("*.py") if "_data" not in p.parts)


# --- no import cycle ------------------------------------------------------------------------------

def imports_of(path: Path, module: str) -> set[str]:
    """Every generator module ``module`` imports, at the top or inside a function (a deferred
    import is an import all the same: it was how render -> figures -> render hid its cycle)."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(parse(text_of(path))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            subs = {f"{base}.{a.name}" for a in node.names} & set(MODULES)
            out |= subs or {base}  # "from generator import urls" imports generator.urls
    return out


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for m in MODULES:
        rel = Path(*m.split("."))
        path = ROOT / rel.with_suffix(".py") if (ROOT / rel.with_suffix(".py")).is_file() else ROOT / rel / "__init__.py"
        graph[m] = {i for i in imports_of(path, m) if i in MODULES and i != m}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def test_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set(), "c": {"c"}}) == []
    assert cycles({"x": {"y"}, "y": {"x"}, "p": {"q"}, "q": {"p"}}) == [["p", "q"], ["x", "y"]]


def test_deferred_imports_count(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    f.write_text("def f():\n    from generator.render.pages import load_catalog\n", encoding="utf-8")
    assert "generator.render.pages" in imports_of(f, "generator.render.figures.produce")


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert "generator.urls" in graph["generator.render.pages"]  # the graph is real
    assert cycles(graph) == []


def test_the_shared_modules_sit_low() -> None:
    """kinds, urls and i18n import no module that renders, exports or builds."""
    graph = import_graph()
    assert graph["generator.kinds"] <= {"generator.core.model"}
    assert graph["generator.urls"] <= {"generator.kinds", "generator.core.model"}
    assert graph["generator.i18n"] <= {"generator.resources"}


@pytest.mark.parametrize("module", [m for m in MODULES if m != "generator.__main__"])  # __main__ runs the CLI
def test_every_module_imports_alone(module: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]


# --- one place each: grep the source ----------------------------------------------------------------

def sources(skip: str) -> list[tuple[Path, str]]:
    return [(p, text_of(p)) for p in sorted(PACKAGE.rglob("*.py"))
            if "_data" not in p.parts and p.name != skip]


#: where a language's site goes, decided by hand: "is it the default language?", or a site folder
#: joined with a language code (the rule is urls.lang_prefix: "" or "<lang>/")
PLACEMENT = re.compile(r"[!=]= ?DEFAULT_LANG\b|\bDEFAULT_LANG ?[!=]=|\bsite\w* / (lang|lg)\b|\bdest / (lang|lg)\b")
#: reviewed: which language the MkDocs run of `mkdocs build` builds itself (the others build aside)
PLACEMENT_OK = {"generator/publish/mkdocs_hooks.py": ["if lang != DEFAULT_LANG:"]}


def prefix_rule_outside_urls(files: list[tuple[Path, str]]) -> list[str]:
    found = []
    for p, text in files:
        rel = str(p.relative_to(ROOT))
        for n, line in enumerate(text.splitlines(), 1):
            code = line.strip()
            if ('"en/"' in line or "'en/'" in line or 'f"{lang}/"' in line or "f'{lang}/'" in line
                    or (PLACEMENT.search(line) and code not in PLACEMENT_OK.get(rel, []))):
                found.append(f"{rel}:{n}: {code}")
    return found


def test_the_language_prefix_rule_is_written_in_urls_only() -> None:
    assert prefix_rule_outside_urls(sources("urls.py")) == []
    assert 'f"{lang}/"' in (PACKAGE / "urls.py").read_text(encoding="utf-8")


def test_the_prefix_check_finds_placement_by_hand() -> None:
    here = PACKAGE / "site.py"
    for line in ("previous = self.site_dir if lang == DEFAULT_LANG else self.site_dir / lang",
                 "os.replace(folder, dest / lang)", "if lang != DEFAULT_LANG:", 'url + "en/"'):
        assert prefix_rule_outside_urls([(here, line)]), line
    assert prefix_rule_outside_urls([(here, "previous = self.site_dir / urls.lang_prefix(lang)")]) == []


def test_the_site_places_languages_by_the_urls_rule(tmp_path: Path) -> None:
    from generator.publish.site import assemble
    parts = {}
    for lang in urls.LANGS:
        parts[lang] = tmp_path / f"part-{lang}"
        parts[lang].mkdir()
        (parts[lang] / "index.html").write_text(lang, encoding="utf-8")
    assemble(parts, tmp_path / "site")
    for lang in urls.LANGS:
        assert (tmp_path / "site" / urls.lang_prefix(lang) / "index.html").read_text(encoding="utf-8") == lang
    assert urls.nested_langs("ar") == ("en",) and urls.nested_langs("en") == ()


def test_the_sidebar_links_the_pages_the_plan_makes() -> None:
    from generator.publish.site import nav_for
    catalog = i18n.load_catalog(ROOT / "templates", "en")
    nav = nav_for(catalog)
    assert [next(iter(entry)) for entry in nav] == [catalog[k] for k in ("home", "timeline", "people", "organizations",
                                                                          "topics", "sources", "briefings", "search")]
    planned = {p.path for p in plan_pages(load_and_check(ROOT / "content").corpus) if p.lang == "en"}
    assert {path for entry in nav for path in entry.values()} <= planned


#: a literal naming two or more kinds is a table of kinds
KIND_WORDS = {w for k in kinds.KINDS for w in (k.name, k.plural)}


def kind_tables(path: Path, text: str) -> list[str]:
    out = []
    for node in ast.walk(parse(text)):
        if isinstance(node, ast.Dict):
            items = [*node.keys, *node.values]
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = list(node.elts)
        else:
            continue
        strings = [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]
        words = {w for w in strings if w in KIND_WORDS}
        if len(words) >= 2 and 2 * len(words) >= len(strings):  # mostly kinds (not, say, a list of CSV columns)
            out.append(f"{path.relative_to(ROOT)}:{node.lineno}: {sorted(words)}")
    return out


#: reviewed: literals that name kinds without being a table of them
NOT_TABLES = {"generator/core/model.py": ["organization", "person"]}  # a speaker's fields: person, organization, joint


def test_kind_tables_live_in_kinds_only() -> None:
    found = [hit for p, text in sources("kinds.py") if "intake" not in p.parts for hit in kind_tables(p, text)
             if not any(hit.startswith(f + ":") and hit.endswith(str(w)) for f, w in NOT_TABLES.items())]
    assert found == []
    assert "kinds-table" in (PACKAGE / "kinds.py").read_text(encoding="utf-8")


def test_the_kind_marker_finds_a_table() -> None:
    text = 'T = {"meetings": 1, "people": 2}\nU = ("meeting",)\n'
    assert len(kind_tables(ROOT / "generator" / "x.py", text)) == 1


# --- kinds ---------------------------------------------------------------------------------------

def test_every_page_kind_has_a_template_and_pages() -> None:
    checked = load_and_check(ROOT / "content")
    pages = plan_pages(checked.corpus)
    planned = {p.kind for p in pages}
    for k in kinds.PAGE_KINDS:
        assert (ROOT / "templates" / k.template).is_file()
        assert k.name in planned and k.listing in planned
        assert any(p.path == urls.index_md(k.plural) for p in pages)
    assert kinds.BY_NAME["statement"].template is None
    assert checked.corpus.kind_of("vladimir-putin") == "people"  # the order of the registry answers kind_of


# --- urls ------------------------------------------------------------------------------------------

def test_language_prefix_and_site_paths() -> None:
    assert urls.lang_prefix("ar") == "" and urls.lang_prefix("en") == "en/"
    assert urls.site_path("meetings", "m-1", "en", "st-x") == "en/meetings/m-1/#st-x"
    assert urls.statement_site_path("m-1", "s-1", "ar") == "meetings/m-1/#st-s-1"
    assert urls.page_md("sources", "a") == "sources/a.md"
    assert urls.lang_root("https://x.org/r", "en") == "https://x.org/r/en/"
    assert urls.absolute("https://x.org/r/", "en/feed.xml") == "https://x.org/r/en/feed.xml"
    assert urls.absolute("", "en/feed.xml") == "en/feed.xml"
    assert urls.Urls("en", "https://x.org/r").paragraph("src", 3) == "https://x.org/r/en/sources/src/#p3"
    assert urls.Urls("ar").from_meeting("people", "p") == "../../people/p/"
    with pytest.raises(ValueError):
        urls.page_md("statements", "s")


def test_links_between_pages_and_languages() -> None:
    # a Markdown link is relative to the page's folder, a raw-HTML one to its directory URL
    assert urls.relative("people/p.md", urls.md_folder("meetings/m.md")) == "../people/p.md"
    assert urls.relative("figures/x.svg", urls.page_dir_url("meetings/m.md")) == "../../figures/x.svg"
    assert urls.relative("figures/x.svg", urls.page_dir_url("index.md")) == "figures/x.svg"
    # from ar/briefings/b/ to en/briefings/b/, and back
    assert urls.cross_lang_link("briefings/b.md", "ar", "en", "briefings/b/") == "../../en/briefings/b/"
    assert urls.cross_lang_link("briefings/b.md", "en", "ar", "briefings/b/") == "../../../briefings/b/"
    assert urls.cross_lang_link("index.md", "en", "ar", "") == "../"
    assert urls.served_path("meetings/index.md") == "meetings/"
    assert urls.served_path("meetings/m.md", use_directory_urls=False) == "meetings/m.html"
    with pytest.raises(ValueError):
        urls.relative("people/<x>.md", "meetings")


# --- i18n ----------------------------------------------------------------------------------------

def test_catalogs_hold_the_strings_python_used_to_hold() -> None:
    for lang in urls.LANGS:
        t = i18n.load_catalog(ROOT / "templates", lang)
        for key in ("redirect_title", "redirect_moved", "names_sep", "brief_and", "brief_sep", "fig_date_format",
                    "briefing_other_lang", "briefing_read_it", "hijri_date"):
            assert t[key], (lang, key)
    assert i18n.and_sep(i18n.load_catalog(ROOT / "templates", "ar")) == " و"
    assert i18n.direction("ar") == "rtl" and i18n.direction("en") == "ltr"


def test_catalogs_are_cached_per_file_and_reread_when_changed(tmp_path: Path) -> None:
    (tmp_path / "i18n").mkdir()
    f = tmp_path / "i18n" / "en.yaml"
    f.write_text("site_title: One\n", encoding="utf-8")
    first = i18n.load_catalog(tmp_path, "en")
    assert first == {"site_title": "One"}
    first["site_title"] = "changed by a caller"
    assert i18n.load_catalog(tmp_path, "en")["site_title"] == "One"  # each caller its own copy
    time.sleep(0.01)
    f.write_text("site_title: Two, longer\n", encoding="utf-8")
    assert i18n.load_catalog(tmp_path, "en")["site_title"] == "Two, longer"
    # a project without its own catalog gets the packaged one
    assert i18n.load_catalog(tmp_path, "ar")["dir"] == "rtl"


def test_numbers_dates_plurals_names() -> None:
    from datetime import date
    assert i18n.fmt_date(date(2025, 12, 24), "en") == "24 December 2025"
    assert i18n.digits("2025", "ar", "arabic-indic") == "٢٠٢٥" and i18n.digits("2025", "en", "arabic-indic") == "2025"
    assert i18n.count_text({"one": "{n} x", "other": "{n} xs"}, 1, "en") == "{n} x"
    assert i18n.language_name("en", "ar") == "الإنجليزية" and i18n.language_name("ar", "en") == "Arabic"
    assert i18n.hijri(date(1900, 1, 1)) == ""
    assert i18n.hijri(date(2025, 12, 24), "ar") == "4 رجب 1447 هـ"
    assert i18n.hijri(date(2025, 12, 24), "en") == "4 Rajab 1447 AH"
    # the words around the date come from the catalog, not from Python
    assert i18n.hijri(date(2025, 12, 24), "en", {"hijri_date": "{year}/{day} ({month})"}) == "1447/4 (Rajab)"


def test_render_keeps_its_old_names() -> None:
    from generator.render import pages as render
    assert render.load_catalog is i18n.load_catalog and render.fmt_date is i18n.fmt_date
    assert render.relpath is urls.relpath
