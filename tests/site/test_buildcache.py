"""What a build leaves for the next one in the build folder (generator/publish/buildcache.py):
the next `factsheets build`, a new process, reuses the loaded archive of the files whose text
is unchanged, never serves a stale file, and never unpickles a cache it did not sign."""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from pathlib import Path

import pytest

from generator.core.model import Bilingual
from generator.publish.buildcache import FORMAT, NAME, BuildCache, signing_key, tool_digest
from generator.publish.incremental import _tracked_class
from tests.conftest import copy_project, run_cli

SOURCE = "content/sources/asharq-2025-12-24-russia-syria.yaml"
MEETING = "site/en/meetings/lavrov-shaibani-talks-2025-12-24/index.html"
REUSED = re.compile(r"\((\d+) of (\d+) content files read, the others as loaded before\)")

def _build(project: Path, *args: str) -> str:
    proc = run_cli("build", *args, cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("reuse") / "p")
    first = _build(project)
    assert REUSED.search(first) is None  # nothing to reuse yet
    assert (project / "build" / NAME).is_file()
    return project


def test_the_next_build_reads_no_unchanged_file(project: Path) -> None:
    m = REUSED.search(_build(project))
    assert m is not None
    assert m.group(1) == "0" and int(m.group(2)) > 1


def test_an_edit_that_keeps_size_and_time_is_still_seen(project: Path) -> None:
    """The text decides, not the timestamps: an edit of the same length with the modification time
    put back (same inode, as an editor writing in place) is read again and published."""
    path = project / SOURCE
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    old = "Lavrov said Russia is committed to Syria's sovereignty."
    assert old in text
    path.write_text(text.replace(old, old.replace("is committed", "IS committed"), 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns, path.stat().st_ino) == (st.st_size, st.st_mtime_ns, st.st_ino)
    m = REUSED.search(_build(project))
    assert m is not None and m.group(1) == "1"
    assert "IS committed" in (project / MEETING).read_text(encoding="utf-8")


def test_clean_reads_nothing_stored(project: Path) -> None:
    assert REUSED.search(_build(project, "--clean")) is None
    assert REUSED.search(_build(project)) is not None  # and it left the cache for the next build


class _Planted:
    """What a hostile pickle does when it is read: here, create a file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (open, (str(self.marker), "w"))


@pytest.mark.parametrize("how", ["another key", "no signature", "another tool"])
def test_a_cache_this_user_did_not_sign_is_never_unpickled(project: Path, tmp_path: Path, how: str) -> None:
    """A contributor can commit a file into build/: a pickle there runs code when read. Only a file
    signed with this user's own key (outside the project) for this very tool is unpickled."""
    marker = tmp_path / "ran"
    payload = pickle.dumps(_Planted(marker))
    key = signing_key(create=True)
    assert key is not None
    tool = tool_digest()

    def signed(k: bytes, t: str) -> bytes:
        return hashlib.blake2b(t.encode() + b"\0" + payload, key=k, digest_size=32).hexdigest().encode()

    head = b"factsheets-reuse %d %s" % (FORMAT, tool.encode())
    if how == "another key":
        body = payload + signed(os.urandom(32), tool)
    elif how == "no signature":
        body = payload
    else:  # signed by this user, for another version of the tool: its classes may not be these
        head, body = b"factsheets-reuse %d %s" % (FORMAT, b"0" * 64), payload + signed(key, "0" * 64)
    (project / "build" / NAME).write_bytes(head + b"\n" + body)
    err = _build(project)
    assert not marker.exists()
    assert REUSED.search(err) is None  # ignored: everything loaded afresh
    # and replaced by this build's own, which the next build uses
    assert REUSED.search(_build(project)) is not None
    assert not marker.exists()


def test_the_signed_cache_round_trips(tmp_path: Path) -> None:
    """A good cache is read back; the same bytes with one byte of the payload changed are not."""
    from generator.core.loader import FileCache

    cache = BuildCache(tmp_path)
    files = FileCache()
    files.bytecode["x"] = b"compiled"
    cache._write(files)
    back = cache._unpickle()
    assert back is not None and back.bytecode == {"x": b"compiled"}
    raw = bytearray((tmp_path / NAME).read_bytes())
    raw[-80] ^= 1  # in the pickle, before the signature
    (tmp_path / NAME).write_bytes(bytes(raw))
    assert BuildCache(tmp_path)._unpickle() is None


def test_a_tracked_value_is_pickled_as_the_plain_class() -> None:
    """The dependency map swaps each bilingual value's class for a tracked one while a build runs;
    the stored cache holds the plain class (the next process tracks its own values)."""
    value = Bilingual(ar="نص", en="text")
    object.__setattr__(value, "__class__", _tracked_class(Bilingual))
    assert type(value) is not Bilingual
    back = pickle.loads(pickle.dumps([value, value]))
    assert type(back[0]) is Bilingual and back[0] is back[1]
    assert (back[0].ar, back[0].en) == ("نص", "text")
