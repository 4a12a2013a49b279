"""The dependency map (issue 22, item 1): after an edit, the generator renders only the pages
whose recorded inputs changed, and the Markdown it leaves is byte for byte what a full render of
the same content writes.

On a small synthetic corpus (bench/corpus.py), random edits of entities' text (summaries,
titles, names, role titles, outcomes…) and of their structure (meetings and statements added or
removed, participants, dates, sides, roles, ids renamed…): after each one, the Markdown folder kept up to date by the
map is compared with a fresh full render. A page the map fails to name as reached by an edit
keeps its old text, and the comparison fails."""

from __future__ import annotations

import filecmp
import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.corpus import dump, write_corpus
from generator.publish import incremental
from generator.render.generate import generate
from tests.conftest import REPO

TEMPLATES = REPO / "templates"
N = 16


def _tree_diff(a: Path, b: Path) -> list[str]:
    out: list[str] = []

    def walk(cmp: filecmp.dircmp, rel: str) -> None:
        out.extend(rel + n for n in cmp.left_only + cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        out.extend(rel + n for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{rel}{name}/")

    for lang in ("ar", "en"):
        walk(filecmp.dircmp(a / lang, b / lang), f"{lang}/")
    return sorted(out)


def _texts(value: Any, path: tuple = ()) -> list[tuple]:
    """Paths (in a loaded YAML document) of the bilingual text values an edit may change: every
    mapping with ``ar``/``en`` strings but a statement's ``words`` (they must stand in the article)."""
    out: list[tuple] = []
    if isinstance(value, dict):
        if {"ar", "en"} & value.keys() and all(isinstance(value.get(k, ""), str) for k in ("ar", "en")) \
                and path and path[-1] != "words":
            out.append(path)
        for k, v in value.items():
            out += _texts(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _texts(v, (*path, i))
    return out


def _load(path: Path) -> tuple[str, Any]:
    header, _, body = path.read_text(encoding="utf-8").partition("\n")
    return header, yaml.safe_load(body)


def _at(doc: Any, path: tuple) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def edit_text(content: Path, rng: random.Random, marker: str) -> str:
    """Change one bilingual value of a random entity (one language or both)."""
    path = rng.choice(sorted(content.rglob("*.yaml")))
    header, doc = _load(path)
    where = rng.choice(_texts(doc))
    value = _at(doc, where)
    for lang in rng.choice([("ar",), ("en",), ("ar", "en")]):
        if value.get(lang):
            value[lang] = value[lang] + (f" معدل {marker}" if lang == "ar" else f" revised {marker}")
    path.write_text(header + "\n" + dump(doc), encoding="utf-8")
    return f"{path.name}: {'.'.join(map(str, where))}"


def edit_structure(content: Path, rng: random.Random, marker: str) -> str:
    """A change outside the entities' text: a meeting's date moved by a day."""
    path = rng.choice(sorted((content / "sources").rglob("*.yaml")))
    header, doc = _load(path)
    meeting = rng.choice(doc["meetings"])
    start = str(meeting["date"]["start"] if isinstance(meeting["date"], dict) else meeting["date"])
    day = int(start[-2:])
    new = start[:-2] + f"{day + 1 if day < 28 else day - 1:02d}"
    if isinstance(meeting["date"], dict):
        meeting["date"]["start"] = new
    else:
        meeting["date"] = new
    path.write_text(header + "\n" + dump(doc), encoding="utf-8")
    return f"{path.name}: date of {meeting['id']}"


def _generate(content: Path, docs: Path, reuse: bool = True) -> list[str]:
    said: list[str] = []
    generate(content, TEMPLATES, docs, jobs=1, reuse=reuse, progress=said.append)
    return said


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    write_corpus(N, content, seed=22)
    return content


@pytest.mark.slow  # 16 renders of a 16-meeting corpus
def test_map_renders_what_a_full_render_writes(corpus: Path, tmp_path: Path) -> None:
    docs, full = tmp_path / "docs", tmp_path / "full"
    said = _generate(corpus, docs)
    assert not any("reached by the edit" in s for s in said), "the first render has no map to use"
    rng = random.Random(2212)
    selective = 0
    for round_ in range(7):
        what = [edit_text(corpus, rng, f"{round_}-{i}") for i in range(rng.choice([1, 1, 2, 3]))]
        if round_ in (3, 6):  # a structural edit too: selective as well (test_structural_edits_* below)
            what.append(edit_structure(corpus, rng, str(round_)))
        said = _generate(corpus, docs)
        reached = [s for s in said if "reached by the edit" in s]
        assert len(reached) == 2, (what, said)
        selective += bool(reached)
        if reached:  # the map rendered some pages, never all of them
            assert all(0 < int(s.split(": ")[1].split(" of ")[0]) < int(s.split(" of ")[1].split()[0])
                       for s in reached), (what, reached)
        _generate(corpus, full, reuse=False)
        assert _tree_diff(docs, full) == [], what
    assert selective == 7


def test_no_edit_renders_nothing_and_a_stale_map_renders_everything(corpus: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _generate(corpus, docs)
    reached = [s for s in _generate(corpus, docs) if "reached" in s]
    assert len(reached) == 2 and all(": 0 of " in s and ", 0 of " in s for s in reached), reached
    # a Markdown file changed by hand: the map no longer describes the folder, so every page is rendered
    page = next((docs / "en" / "meetings").glob("*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "hand edit\n", encoding="utf-8")
    said = _generate(corpus, docs)
    assert any(s.startswith("ar: ") and "reached" in s for s in said)
    assert not any(s.startswith("en: ") and "reached" in s for s in said)
    assert "hand edit" not in page.read_text(encoding="utf-8")
    # --clean (reuse=False) renders everything and leaves a map for the next build
    assert not any("reached" in s for s in _generate(corpus, docs, reuse=False))
    assert incremental.PageDeps.file(docs, "en").is_file()


def test_a_page_that_does_not_note_what_it_reads_is_caught(corpus: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above can fail: with the names' cache no longer noting whose name it gives
    (neither the id nor the query), a renamed person's name stays old on pages that only asked
    for it (a wrong map)."""
    docs, full = tmp_path / "docs", tmp_path / "full"
    monkeypatch.setattr(incremental, "note_id", lambda ident: None)
    import generator.render.pages as render
    monkeypatch.setattr(render, "note_id", lambda ident: None)
    recorded = incremental.RecordedCorpus.__getattr__
    monkeypatch.setattr(incremental.RecordedCorpus, "__getattr__",
                        lambda self, name: self.unrecorded.name_of if name == "name_of" else recorded(self, name))
    _generate(corpus, docs)
    path = corpus / "people.yaml"
    header, doc = _load(path)
    doc["people"][0]["name"]["en"] += " Renamed"
    path.write_text(header + "\n" + dump(doc), encoding="utf-8")
    _generate(corpus, docs)
    _generate(corpus, full, reuse=False)
    assert _tree_diff(docs, full) != []


def test_recording_reads_changes_no_byte(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bilingual values that note their reads are written (pages, exports, feeds, figures)
    exactly as the plain ones: a render with them and one without give the same files."""
    with_map, plain = tmp_path / "with", tmp_path / "plain"
    _generate(corpus, with_map, reuse=False)
    monkeypatch.setattr(incremental, "_tracked_class", lambda cls: cls)  # values keep their own class
    _generate(corpus, plain, reuse=False)
    assert _tree_diff(with_map, plain) == []
    assert any(f.suffix == ".json" for f in (plain / "ar").rglob("*")), "no export was compared"


def _edit_summary(corpus: Path) -> tuple[str, str]:
    """One statement's English summary changed: (its id, its meeting's id)."""
    path = sorted((corpus / "sources").rglob("*.yaml"))[0]
    header, doc = _load(path)
    st = doc["statements"][0]
    st["summary"]["en"] += " revised"
    path.write_text(header + "\n" + dump(doc), encoding="utf-8")
    return st["id"], st["meeting"]


def test_exports_join_the_map(corpus: Path, tmp_path: Path) -> None:
    """After a summary edit, the per-meeting exports of the other meetings are not made again (their
    files keep their modification time), the whole-corpus files (dataset, CSV, feeds) are made again
    from their changed pieces only, and every file is what a full render writes."""
    from generator.outputs import pieces

    docs, full = tmp_path / "docs", tmp_path / "full"
    _generate(corpus, docs)
    assert pieces.PieceMap.file(docs, "ar").is_file() and pieces.PieceMap.file(docs, "en").is_file()
    meetings = docs / "ar" / "exports" / "meetings"
    times = {f.name: f.stat().st_mtime_ns for f in meetings.glob("*.json")}
    sid, mid = _edit_summary(corpus)
    made: list[str] = []
    real = pieces.remake

    def spy(pieced, record, out, **kw):
        for text in real(pieced, record, out, **kw):
            yield text
        made.append(f"{len(out.pieces)}:{kw.get('changed') is not None}")

    import generator.render.generate as gen
    saved = gen.remake
    gen.remake = spy
    try:
        said = _generate(corpus, docs)
    finally:
        gen.remake = saved
    assert [s for s in said if "reached by the edit" in s and "other files" in s], said
    assert len(made) == 4 and all(m.endswith(":True") for m in made), made  # two feeds, dataset, CSV: in pieces
    now = {f.name: f.stat().st_mtime_ns for f in meetings.glob("*.json")}
    assert [n for n in times if now[n] != times[n]] == [f"{mid}.json"]
    assert sid in (docs / "ar" / "exports" / "statements.csv").read_text(encoding="utf-8")
    _generate(corpus, full, reuse=False)
    assert _tree_diff(docs, full) == []


def test_an_export_that_does_not_note_what_it_reads_is_caught(corpus: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above can fail: with the dataset's records no longer noting whose text they
    hold (neither by their ids nor by the text values they read), an edited summary stays old in
    exports/dataset.json (the map keeps its piece)."""
    from generator.outputs import exports

    docs, full = tmp_path / "docs", tmp_path / "full"
    monkeypatch.setattr(exports, "note_id", lambda ident: None)
    monkeypatch.setattr(incremental, "_note", lambda obj: None)
    _generate(corpus, docs)
    _edit_summary(corpus)
    _generate(corpus, docs)
    _generate(corpus, full, reuse=False)
    assert "ar/exports/dataset.json" in _tree_diff(docs, full)


def test_a_text_edit_does_not_work_out_every_figure(corpus: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Which subjects have a figure follows from the global inputs: after a text edit the figures'
    paths come from the map, and only the figures the edit reaches are worked out and drawn."""
    from generator.render.figures import Figures

    docs = tmp_path / "docs"
    _generate(corpus, docs)
    _edit_summary(corpus)

    def every_figure(self: Figures) -> list:
        raise AssertionError("the data of every figure was worked out")

    monkeypatch.setattr(Figures, "subjects", every_figure)
    said = _generate(corpus, docs)
    assert len([s for s in said if "reached by the edit" in s]) == 2, said


def test_a_structural_edit_remakes_only_the_other_files_it_reaches(corpus: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The exports record what they read through the recorded view the pages use: after a structural
    edit (a meeting's date moved) only that meeting's export is made again (the others keep their
    modification time), the whole-corpus files are made with a new frame but only the pieces that
    read the moved meeting (its feed entries, its statements' rows and its record in the dataset),
    and every file is what a full render writes; after a text edit the pieces are reused where
    they stand again. (With the exports reading the corpus unrecorded, or a piece's queries not
    kept, they would all be made again, or stay stale: either fails here.)"""
    import generator.render.generate as gen
    from generator.outputs import exports

    docs, full = tmp_path / "docs", tmp_path / "full"
    _generate(corpus, docs)
    meetings = docs / "ar" / "exports" / "meetings"
    times = {f.name: f.stat().st_mtime_ns for f in meetings.glob("*.json")}
    what = edit_structure(corpus, random.Random(3), "x")
    moved = what.split("date of ")[1]
    made: list[bool] = []
    real = gen.remake

    def spy(pieced, record, out, **kw):
        made.append(kw.get("stale") is not None)  # the structural path: pieces judged by their queries
        return real(pieced, record, out, **kw)

    records: list[str] = []
    dataset_record = exports._dataset_record
    monkeypatch.setattr(exports, "_dataset_record", lambda c, key: records.append(key) or dataset_record(c, key))
    monkeypatch.setattr(gen, "remake", spy)
    said = _generate(corpus, docs)
    assert [s for s in said if "reached by the edit" in s], said  # pages: still through the map
    assert made == [True] * 4, made
    others = [re.search(r"(\d+) of (\d+) other files", s) for s in said if s.startswith("ar: ") and "other files" in s]
    assert others and others[0] and 0 < int(others[0].group(1)) < int(others[0].group(2)), said
    now = {f.name: f.stat().st_mtime_ns for f in meetings.glob("*.json")}
    assert [n for n in times if now[n] != times[n]] == [f"{moved}.json"], what
    assert records == [f"meetings/{moved}"], records  # the dataset: the moved meeting's record alone
    _generate(corpus, full, reuse=False)
    assert _tree_diff(docs, full) == []
    made.clear()
    _edit_summary(corpus)
    _generate(corpus, docs)
    assert made == [False] * 4, made
    _generate(corpus, full, reuse=False)
    assert _tree_diff(docs, full) == []


def _reads(docs: Path, lang: str) -> dict[str, tuple]:
    """Each file's reads in the stored map, as plain sets (the key table's order is the order keys
    were first asked in)."""
    deps = _peek(docs, lang)
    return {path: (r.plan, r.ids, frozenset(deps.keys[i] for i in r.queries)) for path, r in deps.pages.items()}


def _peek(docs: Path, lang: str) -> incremental.PageDeps:
    """The stored map, left on disk (take() removes it)."""
    data = incremental.PageDeps.file(docs, lang).read_bytes()
    deps = incremental.PageDeps.take(docs, lang)
    incremental.PageDeps.file(docs, lang).write_bytes(data)
    assert deps is not None
    return deps


def test_the_bounded_link_cache_records_what_an_unbounded_one_does(corpus: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The renderer's link cache starts again when full (memory at N = 5,000, issue 22): a link
    made again, or replayed from the cache, gives the same Markdown and records the same reads for
    each page. With a cache of two links (cleared all the time) and a large one, the files and the
    maps are the same. The reads of a link are recorded once per entity, label and language and
    stored with its link in every folder: with that cache of one entry (each link's reads captured
    afresh) the maps are the same as well."""
    import generator.render.pages as render

    big, small = tmp_path / "big", tmp_path / "small"
    _generate(corpus, big, reuse=False)
    monkeypatch.setattr(render, "LINK_CACHE", 2)
    monkeypatch.setattr(render, "LINK_READS", 1)
    _generate(corpus, small, reuse=False)
    assert _tree_diff(big, small) == []
    for lang in ("ar", "en"):
        one, two = _reads(big, lang), _reads(small, lang)
        assert one == two
        assert sum(len(q) for _p, _i, q in one.values()) > len(one), "no page recorded its queries"


def test_a_kept_page_keeps_its_reads_in_the_new_key_table(corpus: Path, tmp_path: Path) -> None:
    """A page the map leaves as it was carries its entry over into the new map, its queries renumbered
    into the new table of keys: the reads stored for it after an edit that did not reach it are the
    reads a full render records."""
    docs, full = tmp_path / "docs", tmp_path / "full"
    _generate(corpus, docs)
    statement, meeting = _edit_summary(corpus)
    said = _generate(corpus, docs)
    assert any("reached by the edit" in s for s in said)
    _generate(corpus, full, reuse=False)
    for lang in ("ar", "en"):
        kept, clean = _reads(docs, lang), _reads(full, lang)
        assert kept.keys() == clean.keys()
        assert kept == clean, [p for p in kept if kept[p] != clean[p]][:5]


def test_keys_no_page_asks_are_dropped_from_the_map(corpus: Path, tmp_path: Path) -> None:
    """A new map starts from the stored map's table of keys (a kept page keeps its indexes); keys
    no page asks any more are dropped once they are a quarter of the table, the pages' indexes
    renumbered. After most meetings are removed, the stored reads are still those of a full render
    and the table holds few keys nobody asks."""
    docs, full = tmp_path / "docs", tmp_path / "full"
    _generate(corpus, docs)
    from generator.core.validate import load_and_check
    from generator.errors import ContentError

    removed = 0
    for path in sorted((corpus / "sources").rglob("*.yaml")):  # each source no other one refers to
        text = path.read_text(encoding="utf-8")
        path.unlink()
        try:
            load_and_check(corpus)
            removed += 1
        except ContentError:
            path.write_text(text, encoding="utf-8")
    assert removed >= N // 2
    _generate(corpus, docs)
    _generate(corpus, full, reuse=False)
    assert _tree_diff(docs, full) == []
    for lang in ("ar", "en"):
        assert _reads(docs, lang) == _reads(full, lang)
        deps = _peek(docs, lang)
        used = {i for r in deps.pages.values() for i in r.queries} | {0}
        assert 4 * (len(deps.keys) - len(used)) < len(deps.keys), (len(deps.keys), len(used))


def test_a_long_lived_process_reads_its_own_map_back_only_while_the_file_is_the_one_it_wrote(
        corpus: Path, tmp_path: Path) -> None:
    """The live preview keeps the map it wrote (no 10 MB of JSON read again per language at
    N = 1,000); once the file on disk is another one, the file is read."""
    from generator.core.loader import FileCache, reusing

    docs, cache = tmp_path / "docs", FileCache()
    with reusing(cache):
        _generate(corpus, docs)
    from generator.outputs.pieces import PieceMap

    path = str(incremental.PageDeps.file(docs, "en"))
    assert set(cache.maps) == {str(f(docs, lang)) for lang in ("ar", "en") for f in (incremental.PageDeps.file,
                                                                                     PieceMap.file)}

    def reached(said: list[str]) -> set[str]:
        return {s.split(":")[0] for s in said if "reached by the edit" in s}

    cache.maps[path][1].global_digest = "another"  # the kept copy, made to differ from the file
    with reusing(cache):
        assert reached(_generate(corpus, docs)) == {"ar"}  # en: the kept copy was used, and it is stale
    file = Path(path)
    file.write_bytes(file.read_bytes())  # the same map, written again (another modification time)
    cache.maps[path][1].global_digest = "another"
    with reusing(cache):
        assert reached(_generate(corpus, docs)) == {"ar", "en"}  # en: read from the file
    # the pieces of the whole-corpus files too: the kept map while its file is the one written
    pieces = str(PieceMap.file(docs, "ar"))
    kept = cache.maps[pieces][1]
    with reusing(cache):
        taken = PieceMap.take(docs, "ar")
        assert taken is kept and not Path(pieces).exists()  # taken from memory, and off the disk all the same
        taken.write(docs, "ar")
        Path(pieces).write_bytes(Path(pieces).read_bytes())
        again = PieceMap.take(docs, "ar")
    def pieces_of(m: PieceMap) -> dict:
        return {f: [(n, k, set(ids), set(asked)) for n, k, ids, asked in fp.pieces] for f, fp in m.files.items()}

    assert again is not taken and pieces_of(again) == pieces_of(taken)  # another file: read from it (the same)


def test_the_preview_keeps_each_entitys_digests_while_its_file_is_unchanged(corpus: Path, tmp_path: Path) -> None:
    """In a long-lived process (the live preview), the entities of files loaded unchanged keep
    their digests and their bilingual values' owners from the build before; the edited file's are
    worked out again, and the Markdown is what a full render writes."""
    from generator.core.loader import FileCache, reusing

    docs, full, cache = tmp_path / "docs", tmp_path / "full", FileCache()
    with reusing(cache):
        _generate(corpus, docs)
    first = dict(cache.inputs)
    path = corpus / "people.yaml"
    header, doc = _load(path)
    doc["people"][0]["name"]["en"] += " Renamed"
    path.write_text(header + "\n" + dump(doc), encoding="utf-8")
    with reusing(cache):
        said = _generate(corpus, docs)
    assert [s for s in said if "reached by the edit" in s]
    _generate(corpus, full, reuse=False)
    assert _tree_diff(docs, full) == []
    kept = [k for k, v in cache.inputs.items() if first.get(k) is v]
    people = {id(v[0]) for v in cache.inputs.values() if v[1][0] == "people"}
    assert kept and people and people.isdisjoint(kept)  # others kept; the edited file's made again


def test_the_preview_compiles_templates_once_and_again_when_one_is_edited(corpus: Path, tmp_path: Path) -> None:
    """The live preview keeps compiled templates between builds (FileCache.bytecode); Jinja checks
    each against its source, so an edited template shows on the next build."""
    import shutil

    from generator.core.loader import FileCache, reusing

    templates, docs, cache = tmp_path / "templates", tmp_path / "docs", FileCache()
    shutil.copytree(TEMPLATES, templates)
    with reusing(cache):
        generate(corpus, templates, docs, jobs=1)
    assert cache.bytecode
    kept = dict(cache.bytecode)
    meeting = templates / "meeting.md.j2"
    meeting.write_text(meeting.read_text(encoding="utf-8") + "\nEdited-template-line\n", encoding="utf-8")
    with reusing(cache):
        generate(corpus, templates, docs, jobs=1)
    page = next((docs / "en" / "meetings").glob("*.md"))
    assert "Edited-template-line" in page.read_text(encoding="utf-8")
    assert [k for k in cache.bytecode if cache.bytecode[k] != kept.get(k)], "the edited template was not compiled again"
    assert [k for k in kept if cache.bytecode[k] == kept[k]], "no compiled template was kept"


def test_the_preview_stores_the_maps_once_it_has_served_the_pages(corpus: Path, tmp_path: Path) -> None:
    """``after`` (the live preview, which serves the new site first): no map and no pieces are on
    disk until the callables given back are called; then the next render goes by them and writes
    what a full render writes. A language rendered in a forked worker stores its own."""
    from generator.outputs.pieces import PieceMap
    from generator.workers import can_fork

    docs, full = tmp_path / "docs", tmp_path / "full"

    def stored() -> list[bool]:
        return [f(docs, lang).is_file() for lang in ("ar", "en") for f in (incremental.PageDeps.file, PieceMap.file)]

    later: list = []
    generate(corpus, TEMPLATES, docs, jobs=1, after=later)
    assert len(later) == 2 and stored() == [False] * 4
    for store in later:
        store()
    assert stored() == [True] * 4
    edit_text(corpus, random.Random(7), "after")
    later, said = [], []
    generate(corpus, TEMPLATES, docs, jobs=1, after=later, progress=said.append)
    assert len([s for s in said if "reached by the edit" in s]) == 2, said
    assert stored() == [False] * 4  # taken by the render, not stored yet
    for store in later:
        store()
    _generate(corpus, full, reuse=False)
    assert _tree_diff(docs, full) == []
    if can_fork():
        later = []
        generate(corpus, TEMPLATES, docs, jobs=2, after=later)
        assert len(later) == 1 and stored() == [False, False, True, True]  # en: by the worker
