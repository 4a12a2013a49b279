"""The preview's shortcuts over the Markdown and site folders (issue 22, item 3): digests kept
between builds (DigestCache) must never hide a changed file, and the faster walks must give what
the plain ones gave."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from generator.errors import FactsheetsError
from generator.publish.incremental import DigestCache, docs_digests, site_manifest
from generator.render.write import MARKER, atomic_write, write_tree


def _plain_digests(docs: Path) -> dict[str, str]:
    """What docs_digests gave before it was rewritten: every non-hidden file, sorted paths."""
    out = {}
    for path in sorted(docs.rglob("*")):
        rel = path.relative_to(docs)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            out[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _plain_manifest(site: Path) -> str:
    h = hashlib.sha256()
    for root, dirs, files in os.walk(site):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            st = os.lstat(path)
            h.update(f"{os.path.relpath(path, site)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _tree(root: Path) -> None:
    for rel, text in {"index.md": "a", "b/x.md": "x", "b/c/y.md": "y", "b-c/z.md": "z", "b.md": "b",
                      ".hidden/h.md": "h", "b/.dot.md": "d", "data/e.json": "{}"}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def _age(path: Path, seconds: int = 60) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 1_000_000_000))


def test_digests_and_manifest_as_the_plain_walks_gave(tmp_path: Path) -> None:
    _tree(tmp_path)
    got = docs_digests(tmp_path)
    assert got == _plain_digests(tmp_path)
    assert list(got) == list(_plain_digests(tmp_path))  # same order (the changed pages' list follows it)
    assert site_manifest(tmp_path) == _plain_manifest(tmp_path)
    assert site_manifest(tmp_path / "b") == _plain_manifest(tmp_path / "b")


def test_cache_reuses_unchanged_files_and_sees_every_change(tmp_path: Path) -> None:
    _tree(tmp_path)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            _age(path)
    cache = DigestCache()
    first = docs_digests(tmp_path, cache)
    assert cache.hashed == len(first) and cache.reused == 0
    assert docs_digests(tmp_path, cache) == first and cache.hashed == 0 and cache.reused == len(first)

    atomic_write(tmp_path / "b" / "x.md", b"X")       # the generator's way: a new inode
    (tmp_path / "b.md").write_text("B", encoding="utf-8")  # by hand, in place, same size
    (tmp_path / "b" / "c" / "y.md").unlink()
    (tmp_path / "new.md").write_text("n", encoding="utf-8")
    now = docs_digests(tmp_path, cache)
    assert now == _plain_digests(tmp_path)
    assert now["b/x.md"] != first["b/x.md"] and now["b.md"] != first["b.md"] and "b/c/y.md" not in now
    assert cache.hashed == 3  # the three new or changed files, nothing else

    # files modified just now were hashed but not remembered: an edit in place within the clock's
    # tick, same size, is still seen
    path = tmp_path / "b.md"
    st = path.stat()
    with open(path, "r+b") as fh:
        fh.write(b"Q")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert docs_digests(tmp_path, cache)["b.md"] == hashlib.sha256(b"Q").hexdigest()
    assert str(tmp_path / "b" / "c" / "y.md") not in cache.files  # removed files are forgotten


def test_write_tree_prunes_what_is_neither_written_nor_kept(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    write_tree(root, [("a.md", "a"), ("s/b.md", "b"), ("s/t/c.md", "c"), ("u/d.md", "d"), ("u/v/e.md", "e")])
    report = write_tree(root, [("a.md", "a2")], keep=["u/d.md", "./u/../u/v/e.md"])
    assert (report.written, report.unchanged, report.removed) == (1, 2, 2)
    left = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    assert left == [MARKER, "a.md", "u", "u/d.md", "u/v", "u/v/e.md"]  # s/ and s/t/ went once empty
    with pytest.raises(FactsheetsError, match="outside the output folder"):
        write_tree(root, [], keep=["../outside.md"])


@pytest.mark.parametrize("how", ["link_copy", "LinkCopy"])
def test_link_copy_links_files_makes_folders_and_skips_top_names(tmp_path: Path, how: str) -> None:
    """The same copy both ways: link_copy in this process, LinkCopy (GNU cp in a process of its
    own on Linux, started first and waited for after)."""
    from generator.publish.incremental import LinkCopy, link_copy

    src = tmp_path / "site"
    _tree(src)
    (src / "pagefind").mkdir()
    (src / "pagefind" / "p.js").write_text("p", encoding="utf-8")
    (src / "link.md").symlink_to("index.md")
    (src / "dirlink").symlink_to("b", target_is_directory=True)
    (src / "b" / "c").chmod(0o555)  # a read-only folder of the previous site
    try:
        dest = tmp_path / "copy"
        if how == "link_copy":
            link_copy(src, dest, {"pagefind", "b.md"})
        else:
            copy = LinkCopy(src, dest, {"pagefind", "b.md"})
            assert (copy.proc is not None) == sys.platform.startswith("linux")  # cp, beside this process
            copy.wait()
        files = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*"))
        assert "pagefind" not in files and "b.md" not in files
        assert set(files) == {p.relative_to(src).as_posix() for p in src.rglob("*")} - {"pagefind", "pagefind/p.js", "b.md"}
        assert os.path.samefile(dest / "b" / "c" / "y.md", src / "b" / "c" / "y.md")  # a hard link
        assert os.readlink(dest / "link.md") == "index.md" and os.readlink(dest / "dirlink") == "b"
        assert (dest / "b" / "c").stat().st_mode & 0o200  # the copy's folders are its own, writable
        os.unlink(dest / "b" / "c" / "y.md")
    finally:
        (src / "b" / "c").chmod(0o755)
    assert (src / "b" / "c" / "y.md").read_text(encoding="utf-8") == "y"


def test_link_copy_across_file_systems_fails_cleanly(tmp_path: Path) -> None:
    """No hard links from one file system to another: LinkCopy.wait raises OSError (the build then
    builds that language clean) and leaves no half-made copy behind."""
    from generator.publish.incremental import LinkCopy

    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("needs a second file system (/dev/shm)")
    src = tmp_path / "site"
    _tree(src)
    dest = Path(tempfile.mkdtemp(dir=shm)) / "copy"
    try:
        copy = LinkCopy(src, dest, set())
        with pytest.raises(OSError):
            copy.wait()
        assert not dest.exists() or not any(dest.rglob("*.md"))
    finally:
        shutil.rmtree(dest.parent, ignore_errors=True)
