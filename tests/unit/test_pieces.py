"""Whole-corpus files made again from their changed pieces (generator/outputs/pieces.py)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from generator.outputs.pieces import FilePieces, PieceMap, Pieced, remake

ENTITIES = {"a": "«ألف»", "b": "bee", "c": "sea"}


def _file(texts: dict[str, str], made: list[str], lazy: bool = False) -> tuple[Pieced, list[str]]:
    """A file of one piece per key (``lazy``: given as None by ``whole()``); a piece reads its key's
    text (an id) and asks the query ``("get", key)``."""
    reads: list[str] = []  # every key read, in order

    def piece(key: str) -> str:
        made.append(key)
        reads.append(key)
        return f"<{texts[key]}>"

    def whole():
        yield "[", None
        for key in sorted(texts):
            yield None if lazy else piece(key), key
        yield "]\n", None

    return Pieced(whole, piece, lambda: set(texts)), reads


def _recorder(reads: list[str]):
    """Like Recording: the keys read inside the block."""
    @contextmanager
    def record():
        read = SimpleNamespace(ids=set(), queries=set())
        start = len(reads)
        yield read
        read.ids.update(reads[start:])
        read.queries.update(("get", k) for k in reads[start:])
    return record


def test_only_changed_pieces_are_made_again(tmp_path: Path) -> None:
    made: list[str] = []
    p, reads = _file(ENTITIES, made)
    first = FilePieces()
    text = "".join(remake(p, _recorder(reads), first))
    assert text == "[<«ألف»><bee><sea>]\n" and made == ["a", "b", "c"]
    assert first.size == len(text.encode()) and first.ids() == {"a", "b", "c"}
    (tmp_path / "f").write_text(text, encoding="utf-8")
    made.clear()
    edited = {**ENTITIES, "b": "بي"}
    q, reads = _file(edited, made)
    second = FilePieces()
    again = "".join(remake(q, _recorder(reads), second, old=first, old_file=tmp_path / "f", changed={"b"}))
    assert made == ["b"] and again == "[<«ألف»><بي><sea>]\n" and second.size == len(again.encode())


def test_pieces_are_not_reused_when_they_no_longer_fit(tmp_path: Path) -> None:
    made: list[str] = []
    p, reads = _file(ENTITIES, made)
    first = FilePieces()
    (tmp_path / "f").write_text("".join(remake(p, _recorder(reads), first)), encoding="utf-8")
    for texts, file_text in (({**ENTITIES, "d": "dee"}, None),            # another set of keys
                             (ENTITIES, "[<x>]\n")):                       # the file changed since
        if file_text is not None:
            (tmp_path / "f").write_text(file_text, encoding="utf-8")
        made.clear()
        q, reads = _file(texts, made)
        "".join(remake(q, _recorder(reads), FilePieces(), old=first, old_file=tmp_path / "f", changed=set()))
        assert made == sorted(texts), texts


def test_the_piece_map_is_taken_once(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    pieces = [(3, None, [], []), (5, "m1", ["m1", "p1"], [("get", "meetings", "m1"), ("call", "name_of", ("p1", "en"))])]
    PieceMap({"feed.xml": FilePieces(pieces)}).write(docs, "en")
    got = PieceMap.take(docs, "en")
    as_sets = lambda ps: [(n, k, ids, set(qs)) for n, k, ids, qs in ps]  # noqa: E731 - a piece's queries: in any order
    assert as_sets(got.files["feed.xml"].pieces) == as_sets(pieces)
    assert PieceMap.take(docs, "en").files == {}  # removed once taken: a failed build leaves none


def test_after_a_structural_edit_pieces_are_taken_by_key(tmp_path: Path) -> None:
    """A key added (a new meeting): the frame is made again, the new piece and those whose query
    answers differently are made, every other piece is taken from the old file by its key
    (wherever it now stands); the text is the file made whole."""
    made: list[str] = []
    p, reads = _file(ENTITIES, made, lazy=True)
    first = FilePieces()
    text = "".join(remake(p, _recorder(reads), first))
    assert text == "[<«ألف»><bee><sea>]\n" and made == ["a", "b", "c"] and first.queries() == {("get", k) for k in "abc"}
    (tmp_path / "f").write_text(text, encoding="utf-8")
    made.clear()
    edited = {"0": "zero", **ENTITIES, "c": "سي"}  # a key before the others; c's answer changed
    q, reads = _file(edited, made, lazy=True)
    second = FilePieces()
    again = "".join(remake(q, _recorder(reads), second, old=first, old_file=tmp_path / "f", changed=set(),
                           stale=lambda queries: ("get", "c") in queries))
    assert again == _whole(edited)
    assert sorted(made) == ["0", "c"] and second.size == len(again.encode())
    made.clear()  # a changed text is made again too; without the old file, everything is
    "".join(remake(q, _recorder(reads), FilePieces(), old=second, old_file=tmp_path / "f", changed={"a"},
                   stale=lambda queries: False))
    assert made == sorted(edited), made  # the old file is not the one ``second`` describes: made whole
    (tmp_path / "f").write_text(again, encoding="utf-8")
    made.clear()
    "".join(remake(q, _recorder(reads), FilePieces(), old=second, old_file=tmp_path / "f", changed={"a"},
                   stale=lambda queries: False))
    assert made == ["a"], made


def _whole(texts: dict[str, str]) -> str:
    return "[" + "".join(f"<{texts[k]}>" for k in sorted(texts)) + "]\n"
