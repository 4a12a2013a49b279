"""Whole-corpus files made again from their changed pieces (generator/outputs/pieces.py)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from generator.outputs.pieces import FilePieces, PieceMap, Pieced, remake

ENTITIES = {"a": "«ألف»", "b": "bee", "c": "sea"}


def _file(texts: dict[str, str], made: list[str]) -> tuple[Pieced, list[str]]:
    reads: list[str] = []  # every key read, in order

    def piece(key: str) -> str:
        made.append(key)
        reads.append(key)
        return f"<{texts[key]}>"

    def whole():
        yield "[", None
        for key in sorted(texts):
            yield piece(key), key
        yield "]\n", None

    return Pieced(whole, piece, lambda: set(texts)), reads


def _recorder(reads: list[str]):
    """Like Recording: the keys read inside the block."""
    @contextmanager
    def record():
        ids: set[str] = set()
        start = len(reads)
        yield ids
        ids.update(reads[start:])
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
    PieceMap({"feed.xml": FilePieces([(3, None, []), (5, "m1", ["m1", "p1"])])}).write(docs, "en")
    got = PieceMap.take(docs, "en")
    assert got.files["feed.xml"].pieces == [(3, None, []), (5, "m1", ["m1", "p1"])]
    assert PieceMap.take(docs, "en").files == {}  # removed once taken: a failed build leaves none
