"""Stage 5: write rendered pages under an output root, safely.

Only changed files are rewritten (unchanged pages keep their modification time), every
write goes to a temporary file first and is moved into place with ``os.replace``, nothing
is written outside the root, and pages no longer planned are removed.
"""

from __future__ import annotations

import filecmp
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import FactsheetsError

#: Marks an output folder as generated (and so safe to prune).
MARKER = ".factsheets-generated"


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def safe_target(root: Path, rel: str) -> Path:
    """``root/rel``, refusing any path that would leave the root."""
    target = (root / rel).resolve()
    if not target.is_relative_to(root.resolve()):
        raise FactsheetsError(f"refusing to write outside the output folder: {rel}")
    return target


def _joined(top: str, rel: str) -> str:
    """``top/rel`` (``top`` resolved already) as a string, without resolving it; refusing a path that leaves it."""
    norm = os.path.normpath(rel)
    if os.path.isabs(norm) or norm == ".." or norm.startswith(".." + os.sep):
        raise FactsheetsError(f"refusing to write outside the output folder: {rel}")
    return os.path.join(top, norm)


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def prepare_root(root: Path) -> None:
    """Create the output root, or check that an existing one is ours to manage."""
    if root.exists() and any(root.iterdir()) and not (root / MARKER).exists():
        raise FactsheetsError(f"{root} exists and was not made by factsheets; refusing to write into it "
                              "(choose another output folder or empty this one)")
    root.mkdir(parents=True, exist_ok=True)
    if not (root / MARKER).exists():  # touching it on every build would wake `mkdocs serve` again
        (root / MARKER).touch()


def write_chunks(path: Path, chunks: Iterable[str]) -> bool:
    """Write a text given in pieces (never held whole) to ``path``, atomically; the file is left
    as it is (mtime too) when it already holds the same bytes. True when it was written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk.encode("utf-8"))
        if path.is_file() and filecmp.cmp(tmp, path, shallow=False):
            Path(tmp).unlink()
            return False
        os.replace(tmp, path)
        return True
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_files(root: Path, files: Iterable[tuple[str, str | Iterable[str]]]) -> tuple[int, int, list[str]]:
    """Write ``(relative path, text)`` pairs under ``root`` (made ready by :func:`prepare_root`),
    only files whose bytes changed; a text may come in pieces (an iterable of strings: a large
    export, written as it is made). Returns how many were written, how many were the same, and
    the paths of them all (absolute, as strings, for :func:`prune`)."""
    top = os.path.realpath(root)
    folders: dict[str, bool] = {}  # each folder's own check, once: does it resolve inside the root?
    written = unchanged = 0
    paths: list[str] = []
    for rel, text in files:
        target = Path(_inside(top, rel, folders))
        paths.append(str(target))
        if not isinstance(text, str):
            if write_chunks(target, text):
                written += 1
            else:
                unchanged += 1
            continue
        data = text.encode("utf-8")
        try:
            if target.read_bytes() == data:
                unchanged += 1
                continue
        except (FileNotFoundError, IsADirectoryError):
            pass
        atomic_write(target, data)
        written += 1
    return written, unchanged, paths


def _inside(top: str, rel: str, folders: dict[str, bool]) -> str:
    """``top/rel`` (``top`` resolved), refusing a path that leaves ``top`` as written or through a
    link on the way (its folder is resolved once; the file itself is replaced, never followed, by
    :func:`atomic_write`)."""
    path = _joined(top, rel)
    folder = os.path.dirname(path)
    ok = folders.get(folder)
    if ok is None:
        real = os.path.realpath(folder)
        ok = folders[folder] = real == top or real.startswith(top + os.sep)
    if not ok:
        raise FactsheetsError(f"refusing to write outside the output folder: {rel}")
    if os.path.islink(path):  # a link in place of a file: refused if it leads out of the root, else a file replaces it
        safe_target(Path(top), rel)
        os.unlink(path)
    return path


def prune(root: Path, keep_paths: set[str]) -> int:
    """Remove the files under ``root`` not in ``keep_paths`` (absolute, as strings; its marker is
    always kept), then the folders left empty; returns how many files were removed."""
    top = os.path.realpath(root)
    keep_paths = keep_paths | {os.path.join(top, MARKER)}
    removed = 0
    # deepest first (a folder after what is in it): files not written or kept are removed, then
    # folders left empty
    for folder, dirs, names in os.walk(top, topdown=False):
        for name in names:
            path = os.path.join(folder, name)
            if path not in keep_paths and os.path.isfile(path):
                os.unlink(path)
                removed += 1
        for name in dirs:
            path = os.path.join(folder, name)
            if os.path.isdir(path) and not os.path.islink(path) and not os.listdir(path):
                os.rmdir(path)
    return removed


def kept_paths(root: Path, keep: Iterable[str]) -> list[str]:
    """The files named in ``keep`` (relative to ``root``), as :func:`prune` compares them. Joined as
    strings, not made into Paths or resolved one by one (thousands of them after a small edit)."""
    top = os.path.realpath(root)
    return [_joined(top, rel) for rel in keep]


def write_tree(root: Path, files: Iterable[tuple[str, str | Iterable[str]]], keep: Iterable[str] = ()) -> WriteReport:
    """Write ``(relative path, text)`` pairs under ``root``; remove files not in the set, except
    those named in ``keep`` (relative paths of files left as they are, counted unchanged). A text
    may come in pieces (an iterable of strings: a large export, written as it is made)."""
    prepare_root(root)
    kept = kept_paths(root, keep)
    written, unchanged, paths = write_files(root, files)
    removed = prune(root, {*kept, *paths})
    return WriteReport(written, unchanged + len(kept), removed)
