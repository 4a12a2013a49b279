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

A keyed piece also notes the queries it asked of the corpus (its records are made from the
recorded view the pages use, :class:`~generator.publish.incremental.RecordedCorpus`), so a
structural edit (a meeting added, a date moved) is selective too: the frame is then made afresh
(it lists every id), and each keyed piece is taken from the old file by its key unless it is new,
read a changed text, or asked a query that now answers differently.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PIECES_FORMAT = 2  # 2: a keyed piece's queries


@dataclass(frozen=True)
class Pieced:
    """A file in pieces. ``whole()``: every piece in order, as ``(text, key)``; the reads made while
    a piece is made (between two pairs) are that piece's; a keyed piece's text may be given as
    None, to be made by ``piece(key)`` only if it cannot be taken from the previous file.
    ``piece(key)``: the text of one keyed piece, made alone (the same text ``whole()`` gives it).
    ``keys()``: the keys, in any order (a cheap check that the pieces are still the same set)."""

    whole: Callable[[], Iterator[tuple[str | None, str | None]]]
    piece: Callable[[str], str]
    keys: Callable[[], set[str]]

    def __iter__(self) -> Iterator[str]:  # the file's text in pieces, for writers that know nothing of the map
        for text, key in self.whole():
            yield self.piece(key) if text is None and key is not None else text or ""


class RecordedFile:
    """A file's text made when the writer reads it (an iterable of one text, ``make(*args)``) that
    records its own reads: it is made from the recorded view of the corpus
    (:class:`~generator.publish.incremental.RecordedCorpus`) and notes the ids whose text it holds,
    so the dependency map makes it again only when one of those reads changed. (A lazy file given
    otherwise is taken to read the whole corpus's structure.)"""

    __slots__ = ("make", "args")

    def __init__(self, make: Callable[..., str], *args: Any) -> None:
        self.make, self.args = make, args

    def __iter__(self) -> Iterator[str]:
        yield self.make(*self.args)


#: One piece as stored: its length in bytes, its key (None: a piece of the frame), the ids whose
#: text it read and (a keyed piece) the queries it asked.
Piece = tuple[int, str | None, list[str], list[tuple]]


@dataclass
class FilePieces:
    """How a file was cut: per piece its length in bytes, its key, the ids it read and the queries
    it asked (a keyed piece's only: the frame is made again after any structural edit)."""

    pieces: list[Piece] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(p[0] for p in self.pieces)

    def ids(self) -> set[str]:
        return {i for p in self.pieces for i in p[2]}

    def queries(self) -> set[tuple]:
        return {q for p in self.pieces for q in p[3]}


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
        from generator.core.loader import reused_cache

        path = cls.file(docs_root, lang)
        cache = reused_cache()
        kept = cache.kept_map(path) if cache is not None else None
        try:
            if kept is not None:
                return kept  # the live preview: the map it wrote last, still the file on disk
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        finally:
            path.unlink(missing_ok=True)
        try:
            if data.get("format") != PIECES_FORMAT:
                return cls()
            ids: list[str] = data["ids"]
            keys = [_key(k) for k in data["keys"]]
            return cls({p: FilePieces([(int(n), k, [ids[i] for i in refs], [keys[i] for i in asked])
                                       for n, k, refs, asked in pieces])
                        for p, pieces in data["files"].items()})
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return cls()

    def write(self, docs_root: Path, lang: str) -> None:
        from generator.core.loader import reused_cache
        from generator.render.write import atomic_write

        ids = sorted({i for fp in self.files.values() for i in fp.ids()})
        index = {ident: i for i, ident in enumerate(ids)}
        keys = list(dict.fromkeys(q for fp in self.files.values() for q in fp.queries()))
        kindex = {k: i for i, k in enumerate(keys)}
        files = {p: [[n, k, sorted(index[i] for i in refs), sorted(kindex[q] for q in asked)] for n, k, refs, asked in fp.pieces]
                 for p, fp in sorted(self.files.items())}
        data = {"format": PIECES_FORMAT, "ids": ids, "keys": keys, "files": files}
        path = self.file(docs_root, lang)
        atomic_write(path, json.dumps(data, separators=(",", ":")).encode("utf-8"))
        cache = reused_cache()
        if cache is not None:  # kept by the live preview, as the dependency map is
            cache.keep_map(path, self)


def _key(value: Any) -> Any:
    """A query key read back from JSON: its lists become the tuples they were."""
    return tuple(_key(v) for v in value) if type(value) is list else value


def remake(pieced: Pieced, record: Callable[[], Any], out: FilePieces, *, old: FilePieces | None = None,
           old_file: Path | None = None, changed: set[str] | None = None,
           stale: Callable[[Iterable[tuple]], bool] | None = None) -> Iterator[str]:
    """The text of ``pieced`` in pieces, each piece's reads noted in ``out``. ``record()``: a fresh
    context manager whose value has the ids whose text was read inside it (``.ids``) and the
    queries asked (``.queries``): ``Recording(inputs.owners)``. With ``old`` (the pieces of
    ``old_file``, the file as the previous build wrote it) and ``changed`` (the ids whose text
    changed since):

    - ``stale`` None (the corpus's structure is the same) and the same keys: only the pieces that
      read a changed id are made again; the others are taken from ``old_file`` where they stand;
    - ``stale`` given (a structural edit; ``stale(queries)``: whether one of them answers
      differently now): the frame is made again, and each keyed piece ``whole()`` gives as None
      is taken from ``old_file`` by its key unless it is new, read a changed id or asked a stale query.

    Else every piece is made."""
    if stale is not None:
        yield from _by_key(pieced, record, out, _index(old, old_file, changed), changed or set(), stale)
        return
    prev = _previous(pieced, old, old_file, changed)
    if prev is None:
        yield from _by_key(pieced, record, out, None, set(), lambda _q: True)
        return
    assert old is not None and changed is not None
    at = 0
    for n, key, ids, queries in old.pieces:
        if key is not None and not changed.isdisjoint(ids):
            with record() as read:
                text = pieced.piece(key)
            out.pieces.append((len(text.encode("utf-8")), key, sorted(read.ids), list(read.queries)))
            yield text
        else:
            out.pieces.append((n, key, ids, queries))
            yield prev[at:at + n].decode("utf-8")
        at += n


def _by_key(pieced: Pieced, record: Callable[[], Any], out: FilePieces, index: dict[str, tuple[bytes, Piece]] | None,
            changed: set[str], stale: Callable[[Iterable[tuple]], bool]) -> Iterator[str]:
    """Every piece of ``whole()`` in order, a keyed one given as None taken from ``index`` (its
    bytes and entry in the previous file, by key) when what it read is the same."""
    whole = pieced.whole()
    while True:
        kept = None
        with record() as read:
            try:
                text, key = next(whole)
            except StopIteration:
                return
            if text is None and key is not None:
                hit = index.get(key) if index is not None else None
                if hit is not None and changed.isdisjoint(hit[1][2]) and not stale(hit[1][3]):
                    kept = hit
                else:
                    text = pieced.piece(key)
        if kept is not None:
            out.pieces.append(kept[1])
            yield kept[0].decode("utf-8")
            continue
        assert text is not None
        out.pieces.append((len(text.encode("utf-8")), key, sorted(read.ids), [] if key is None else list(read.queries)))
        yield text


def _index(old: FilePieces | None, old_file: Path | None, changed: set[str] | None) -> dict[str, tuple[bytes, Piece]] | None:
    """The previous file's keyed pieces by key (their bytes and entries), or None when it cannot be read as cut."""
    if old is None or old_file is None or changed is None:
        return None
    try:
        data = old_file.read_bytes()
    except OSError:
        return None
    if len(data) != old.size:
        return None
    out: dict[str, tuple[bytes, Piece]] = {}
    at = 0
    for p in old.pieces:
        if p[1] is not None:
            out[p[1]] = (data[at:at + p[0]], p)
        at += p[0]
    return out


def _previous(pieced: Pieced, old: FilePieces | None, old_file: Path | None, changed: set[str] | None) -> bytes | None:
    """The previous file's bytes when its pieces can be reused where they stand, else None."""
    if old is None or old_file is None or changed is None:
        return None
    if any(key is None and not changed.isdisjoint(ids) for _n, key, ids, _q in old.pieces):
        return None  # the frame read a changed text: it cannot be made alone
    if {key for _n, key, _ids, _q in old.pieces if key is not None} != pieced.keys():
        return None
    try:
        data = old_file.read_bytes()
    except OSError:
        return None
    return data if len(data) == old.size else None
