"""Whole-corpus files in the dependency map (issue 22): made again from their changed pieces only.

The dataset, the statements' CSV and the Atom feeds hold every entity of the archive, so any text
edit reaches them; but each is a frame (the same while the map's global inputs are) around one
piece per record, entry or row, and a piece reads a few entities only. A :class:`Pieced` file
says how to make all of its pieces in order (``whole``: ``(text, key)`` pairs, ``key`` None for
a piece of the frame) and how to make the piece of one key alone (``piece``). The build records
each piece's length in bytes and the ids it read (:class:`PieceMap`, stored beside the dependency
map as ``build/docs.pieces-<lang>.json``); the next build, when the map's global inputs are the
same, takes every piece that read nothing changed from the file on disk and makes only the others
again (:func:`remake`). The bytes are the same as a file made whole: each piece's text does not
depend on where it stands.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PIECES_FORMAT = 1


@dataclass(frozen=True)
class Pieced:
    """A file in pieces. ``whole()``: every piece in order, as ``(text, key)``; the reads made while
    a piece is made (between two pairs) are that piece's. ``piece(key)``: the text of one keyed
    piece, made alone (the same text ``whole()`` gives it). ``keys()``: the keys, in any order (a
    cheap check that the pieces are still the same set)."""

    whole: Callable[[], Iterator[tuple[str, str | None]]]
    piece: Callable[[str], str]
    keys: Callable[[], set[str]]

    def __iter__(self) -> Iterator[str]:  # the file's text in pieces, for writers that know nothing of the map
        return (text for text, _key in self.whole())


@dataclass
class FilePieces:
    """How a file was cut: per piece its length in bytes, its key and the ids it read."""

    pieces: list[tuple[int, str | None, list[str]]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(n for n, _k, _ids in self.pieces)

    def ids(self) -> set[str]:
        return {i for _n, _k, ids in self.pieces for i in ids}


@dataclass
class PieceMap:
    """One language's :class:`FilePieces` by path (relative to its docs folder)."""

    files: dict[str, FilePieces] = field(default_factory=dict)

    @staticmethod
    def file(docs_root: Path, lang: str) -> Path:
        return docs_root.parent / f"{docs_root.name}.pieces-{lang}.json"

    @classmethod
    def take(cls, docs_root: Path, lang: str) -> PieceMap:
        """The stored map, removed from disk (written again once the language is written: a build
        that fails half-way leaves none). Empty when there is none or it cannot be read."""
        path = cls.file(docs_root, lang)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        finally:
            path.unlink(missing_ok=True)
        try:
            if data.get("format") != PIECES_FORMAT:
                return cls()
            ids: list[str] = data["ids"]
            return cls({p: FilePieces([(int(n), k, [ids[i] for i in refs]) for n, k, refs in pieces])
                        for p, pieces in data["files"].items()})
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return cls()

    def write(self, docs_root: Path, lang: str) -> None:
        from generator.render.write import atomic_write

        ids = sorted({i for fp in self.files.values() for i in fp.ids()})
        index = {ident: i for i, ident in enumerate(ids)}
        files = {p: [[n, k, sorted(index[i] for i in refs)] for n, k, refs in fp.pieces]
                 for p, fp in sorted(self.files.items())}
        data = {"format": PIECES_FORMAT, "ids": ids, "files": files}
        atomic_write(self.file(docs_root, lang), json.dumps(data, separators=(",", ":")).encode("utf-8"))


def remake(pieced: Pieced, record: Callable[[], object], out: FilePieces, *, old: FilePieces | None = None,
           old_file: Path | None = None, changed: set[str] | None = None) -> Iterator[str]:
    """The text of ``pieced`` in pieces, each piece's reads noted in ``out``. ``record()``: a fresh
    context manager whose value is the set of ids read inside it (``Recording(inputs.owners)``).
    With ``old`` (the pieces of ``old_file``, the file as the previous build wrote it), ``changed``
    (the ids whose text changed since) and the same keys, only the pieces that read a changed id
    are made again; the others are taken from ``old_file``. Else every piece is made."""
    prev = _previous(pieced, old, old_file, changed)
    if prev is None:
        whole = pieced.whole()
        while True:
            with record() as read:  # type: ignore[attr-defined]
                try:
                    text, key = next(whole)
                except StopIteration:
                    return
            out.pieces.append((len(text.encode("utf-8")), key, sorted(read)))
            yield text
    assert old is not None and changed is not None
    at = 0
    for n, key, ids in old.pieces:
        if key is not None and not changed.isdisjoint(ids):
            with record() as read:  # type: ignore[attr-defined]
                text = pieced.piece(key)
            out.pieces.append((len(text.encode("utf-8")), key, sorted(read)))
            yield text
        else:
            out.pieces.append((n, key, ids))
            yield prev[at:at + n].decode("utf-8")
        at += n


def _previous(pieced: Pieced, old: FilePieces | None, old_file: Path | None, changed: set[str] | None) -> bytes | None:
    """The previous file's bytes when its pieces can be reused, else None."""
    if old is None or old_file is None or changed is None:
        return None
    if any(key is None and not changed.isdisjoint(ids) for _n, key, ids in old.pieces):
        return None  # the frame read a changed text: it cannot be made alone
    if {key for _n, key, _ids in old.pieces if key is not None} != pieced.keys():
        return None
    try:
        data = old_file.read_bytes()
    except OSError:
        return None
    return data if len(data) == old.size else None
