"""What keeps a large build small in memory (issue 22) gives the same results: positions worked
out only when a problem is located, shared field sets of the loaded records, exports encoded
record by record, MkDocs pages' HTML held compressed until written."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from generator.publish import mkdocs_early, mkdocs_lean
from generator.outputs.exports import (Encoded, dataset, dataset_chunks, dataset_text, export_files, meeting_closure,
                               records_json)
from generator.outputs.extras import Context
from generator.core.loader import load_content
from generator.core.validate import load_and_check
from generator.core.yamlload import parse_yaml
from tests.conftest import REPO

YAML = """people:
  - id: a-person
    name: {ar: اسم, en: A name}
    roles:
      - title: {en: Minister}
        start: 2020-01-02
"""


def test_positions_are_worked_out_only_when_asked_for() -> None:
    doc, problems = parse_yaml(YAML, "x.yaml")
    assert doc is not None and problems == []
    assert doc._values is None and doc._keys is None  # nothing located while loading
    assert doc.pos(("people", 0, "roles", 0, "start")) == (6, 16)
    assert doc.pos(("people", 0, "name"), key=True) == (3, 5)
    assert doc.pos(("people", 0, "name", "nope")) == (3, 11)  # the nearest located ancestor
    doc.release()
    assert doc.data["people"][0]["roles"][0]["title"] == {"en": "Minister"}  # parsed again from the text


def test_a_duplicate_key_still_names_where_the_first_one_is() -> None:
    _, problems = parse_yaml("a: 1\nb: 2\na: 3\n", "x.yaml")
    assert [(p.code, p.line, p.col, p.hint) for p in problems] == [
        ("yaml-duplicate-key", 3, 1, "the first 'a' is at line 1; keep one")]


def test_loaded_records_share_their_field_sets() -> None:
    loaded = load_content(REPO / "content")
    sets, models = {}, 0

    def walk(model: object) -> None:
        nonlocal models
        models += 1
        fields = model.__pydantic_fields_set__  # type: ignore[attr-defined]
        sets.setdefault(frozenset(fields), set()).add(id(fields))
        for value in model.__dict__.values():
            for item in value if isinstance(value, list) else [value]:
                if hasattr(item, "__pydantic_fields_set__"):
                    walk(item)

    for entities in loaded.entities.values():
        for e in entities:
            walk(e)
    assert models > 100
    assert all(len(ids) == 1 for ids in sets.values()), "one set object per combination of fields"


@pytest.fixture(scope="module")
def corpus():
    return load_and_check(REPO / "content").corpus


def test_exports_encoded_record_by_record_are_the_same_text(corpus) -> None:
    assert dataset_text(corpus) == records_json(dataset(corpus))
    encoded, dumps = Encoded(), {}
    for mid in sorted(corpus.meetings):
        only, scope = meeting_closure(corpus, mid), {"meeting": mid}
        assert (dataset_text(corpus, only=only, scope=scope, encoded=encoded)
                == records_json(dataset(corpus, only=only, scope=scope, dumps=dumps))), mid
    assert encoded.kept and len(encoded.kept) < len(encoded.seen)  # only records asked for again are kept


def test_export_files_are_made_one_at_a_time(corpus) -> None:
    files = export_files(Context(corpus, "ar", ""))
    assert isinstance(files, types.GeneratorType)
    assert next(files)[0] == "feed.xml"
    path, chunks = next(files)
    assert path == "exports/dataset.json" and isinstance(chunks, types.GeneratorType)  # written as it is made
    assert "".join(chunks) == records_json(dataset(corpus))
    empty = dataset_chunks(type(corpus)())
    assert "".join(empty) == records_json(dataset(type(corpus)()))


def test_a_text_in_pieces_is_written_whole_and_only_when_changed(tmp_path: Path) -> None:
    from generator.render.write import write_tree

    pieces = ["{\n", " \"a\": ", "«نص»", "\n}\n"]
    report = write_tree(tmp_path, [("x/one.json", iter(pieces)), ("two.md", "2")])
    assert (tmp_path / "x" / "one.json").read_text(encoding="utf-8") == "".join(pieces)
    assert (report.written, report.unchanged) == (2, 0)
    before = (tmp_path / "x" / "one.json").stat().st_mtime_ns
    report = write_tree(tmp_path, [("x/one.json", iter(pieces)), ("two.md", "2")])
    assert (report.written, report.unchanged) == (0, 2)
    assert (tmp_path / "x" / "one.json").stat().st_mtime_ns == before
    assert write_tree(tmp_path, [("x/one.json", iter(pieces[:2])), ("two.md", "2")]).written == 1
    assert (tmp_path / "x" / "one.json").read_text(encoding="utf-8") == "".join(pieces[:2])
    assert not [p for p in tmp_path.rglob(".tmp-*")]


def test_mkdocs_pages_keep_their_html_compressed_until_written() -> None:
    html = "<h1 id=\"x\">عنوان</h1>\n<p>نص &amp; text</p>\n" * 50
    page = types.SimpleNamespace(markdown="# عنوان\n", content=html)
    page.content = mkdocs_lean.on_page_content(html, page=page, config=None, files=None)
    assert page.content == "" and page.markdown == ""
    assert len(page._factsheets_html) < len(html.encode()) / 5
    context = {"page": page}
    assert mkdocs_lean.on_page_context(context, page=page, config=None, nav=None) is context
    assert page.content == html
    assert mkdocs_lean.on_post_page("<html>out</html>", page=page, config=None) == "<html>out</html>"
    assert page.content == "" and page._factsheets_html is None


def test_factsheets_mkdocs_configurations_list_the_hook() -> None:
    from generator.publish.builders import BUILDERS

    assert BUILDERS["mkdocs"].adapt({})["hooks"] == [str(Path(mkdocs_lean.__file__)), str(Path(mkdocs_early.__file__))]
