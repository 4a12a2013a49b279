"""Issue 17, item 4: no per-build data in module-level state. A build's objects (the corpus, the
renderer and its figures, the extras' context) are made once and passed down; a module holds only
constant tables and memos of pure functions of immutable input (``lru_cache``, the reviewed
character tables below). A module-level list, dict or set that code fills (a registry, a cache
keyed by the corpus) fails this test."""

from __future__ import annotations

import ast
from pathlib import Path

from generator.outputs import extras
from generator.render.figures import Figures, figure_files, produce
from generator.core.validate import load_and_check
from tests.unit.parsed import parse, text_of

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "generator"

MUTATORS = {"append", "extend", "update", "add", "setdefault", "pop", "clear", "insert", "remove", "discard",
            "popitem", "__setitem__"}
MUTABLE_CALLS = {"list", "dict", "set", "defaultdict", "OrderedDict", "Counter"}

#: reviewed: module-level tables that are filled, each a memo of a pure function of one character
#: or a constant table built while the module is imported; never per-project data
REVIEWED = {
    "generator/core/arabic.py": {"_FOLD", "_SPACES", "_IRREGULAR"},  # the fold table of characters, and what it met
    "generator/errors.py": {"_SHOWN"},                          # code point -> its printable form
    "generator/intake/dates.py": {"MONTHS"},                    # month names -> numbers, built at import
}


def filled_module_state(text: str) -> set[str]:
    """Module-level names bound to a mutable container that some code changes (at import or later)."""
    tree = parse(text)
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        mutable = isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)) or (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in MUTABLE_CALLS)
        if mutable:
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    filled: set[str] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.attr in MUTATORS):
            filled.add(node.func.value.id)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for t in targets:
                if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name):
                    filled.add(t.value.id)
                elif isinstance(node, ast.AugAssign) and isinstance(t, ast.Name):
                    filled.add(t.id)
    return names & filled


def test_the_scanner_finds_a_registry_and_a_cache() -> None:
    text = ("PRODUCERS: list = []\nPRODUCERS.append(f)\n_REGISTRY = {}\n"
            "def get(c):\n    _REGISTRY[id(c)] = c\nTABLE = {'a': 1}\nSEEN = set()\nSEEN2 = set()\nSEEN2 |= {1}\n")
    assert filled_module_state(text) == {"PRODUCERS", "_REGISTRY", "SEEN2"}


def test_no_module_fills_module_level_state() -> None:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        names = filled_module_state(text_of(path)) - REVIEWED.get(rel, set())
        if names:
            found[rel] = sorted(names)
    assert found == {}


def class_level_containers(text: str) -> list[str]:
    """Class attributes bound to a mutable container: one object shared by every instance (a
    cache there outlives the corpus it was filled from)."""
    out = []
    for cls in (n for n in ast.walk(parse(text)) if isinstance(n, ast.ClassDef)):
        for node in cls.body:
            value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
            if isinstance(value, (ast.List, ast.Dict, ast.Set)) or (
                    isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in MUTABLE_CALLS):
                out.append(f"{cls.name}:{node.lineno}")
    return out


def test_no_class_shares_a_container_between_instances() -> None:
    assert class_level_containers("class C:\n    _cache: dict = {}\n    n = 1\n") == ["C:2"]
    found = {str(p.relative_to(ROOT)): hits for p in sorted(PACKAGE.rglob("*.py"))
             if (hits := class_level_containers(text_of(p)))}
    assert found == {}


def test_extras_are_a_fixed_table() -> None:
    assert isinstance(extras.PRODUCERS, tuple) and figure_files in extras.PRODUCERS
    assert not hasattr(produce, "_REGISTRY") and not hasattr(produce, "for_corpus")


def test_the_figure_files_use_the_renderers_figures() -> None:
    """The figures the pages were drawn with are the ones the files are written from (their data
    worked out once), handed down in the context; without one, a new Figures gives the same files."""
    corpus = load_and_check(ROOT / "content").corpus
    figs = Figures(corpus)
    calls = []
    original = figs.svg
    figs.svg = lambda *a: calls.append(a[-1]) or original(*a)  # type: ignore[method-assign]
    given = list(figure_files(extras.Context(corpus, "ar", "", None, figs)))
    assert given and calls == ["ar"] * len(given)  # every file drawn by the renderer's figures
    assert given == list(figure_files(extras.Context(corpus, "ar", "")))
