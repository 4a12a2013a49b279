"""What one build leaves in the build folder for the next one (issue 22): the loaded archive and
the Markdown digests, so that a build in a new process starts where the last one ended.

The live preview keeps two caches in memory between its builds: the content files it loaded
(:class:`generator.core.loader.FileCache`: each file's records and problems, the per-record
check results, the compiled templates, each entity's digests for the dependency map) and the
digests of the Markdown files (:class:`generator.publish.incremental.DigestCache`). A
`factsheets build` is a new process: without them it loads and checks the whole archive again
(5–7 s of a 25 s summary edit at 1,000 meetings) and hashes every Markdown file again (about 1 s).
This module stores both in the build folder after a build and reads them back in the next:

- ``build/reuse.bin``: the FileCache, pickled (without the entities' digests and the maps: those
  are kept by the identity of objects, which unpickled ones do not keep). A pickle can run code when it is read, and the
  build folder is inside the project, where a contributor's change could put a file: it is
  signed (keyed BLAKE2b) with a secret made for this user (``$XDG_CACHE_HOME/factsheets/build-cache.key``,
  mode 0600, never in the project), and a file without a valid signature, from another version
  of the tool (code, Python, libraries) or of another format is not unpickled, only ignored (and
  replaced by the next save). A cached file is used only while its text is the text it was
  parsed from (compared in full, not by its timestamps), so an edit that keeps a file's size
  and modification time, a checkout or a copy never serve stale records.
- ``build/reuse-digests.json``: the Markdown digests (plain JSON: path, (mtime, size, inode),
  sha256), trusted on the same terms as in the preview (see DigestCache).

``--clean`` reads neither (it still leaves them for the next build). Saving the pickle takes
about a second at 1,000 meetings: it is done by a forked child at low priority while MkDocs and
Pagefind run, and the build waits for it before it releases its lock.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import importlib.metadata
import json
import os
import pickle
import secrets
import sys
from pathlib import Path
from typing import Any

from generator import __version__
from generator.core.loader import FileCache
from generator.core.yamlload import read_yaml_text
from generator.publish.incremental import TOOL_ROOT, DigestCache, _hash_tree
from generator.workers import can_fork

FORMAT = 1
NAME = "reuse.bin"
DIGESTS = "reuse-digests.json"
KEY_NAME = "build-cache.key"
_MAGIC = b"factsheets-reuse"


def key_path() -> Path:
    """Where this user's signing key is kept (outside every project)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "factsheets" / KEY_NAME


def signing_key(create: bool) -> bytes | None:
    """This user's key (made on first use when ``create``), or None if it cannot be read or made."""
    path = key_path()
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
        if not create:
            return None
    except OSError:
        if not create:
            return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{KEY_NAME}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
        try:
            os.link(tmp, path)  # never replaces a key another process made meanwhile
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
        key = path.read_bytes()
        return key if len(key) == 32 else None
    except OSError:
        return None


def tool_digest() -> str:
    """The tool's code and what the pickle's classes come from: another one makes the cache void."""
    h = hashlib.sha256(f"reuse {FORMAT}\nfactsheets {__version__}\npython {sys.version}\n".encode())
    for name in ("pydantic", "pydantic-core", "pyyaml", "jinja2", "babel"):
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{name} {version}\n".encode())
    _hash_tree(h, TOOL_ROOT, "generator")
    return h.hexdigest()


def _signer(key: bytes, tool: str) -> Any:
    """The keyed hash a file's payload is signed with (for this tool: a file of another cannot pass)."""
    h = hashlib.blake2b(key=key, digest_size=32)
    h.update(tool.encode() + b"\0")
    return h


_SIG = 64  # hex digits of the signature, the file's last bytes


class _Signing:
    """A file the pickle is written to, that signs what goes through it."""

    def __init__(self, fh: Any, signer: Any):
        self.fh, self.signer = fh, signer

    def write(self, data: Any) -> int:
        self.signer.update(data)
        return int(self.fh.write(data))


class BuildCache:
    """The caches of one project's build folder (see the module's docstring)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / NAME
        self.digests_path = folder / DIGESTS
        self._tool: str | None = None
        self._child: int | None = None

    @property
    def tool(self) -> str:
        if self._tool is None:
            self._tool = tool_digest()
        return self._tool

    # -- reading ---------------------------------------------------------------------------
    def files(self) -> FileCache:
        """The content files the last build loaded, those whose text is unchanged (an empty
        cache when there is none, or it is not this user's, this tool's or valid)."""
        cache = self._unpickle()
        if cache is None:
            return FileCache()
        _keep_unchanged(cache)
        return cache

    def _unpickle(self) -> FileCache | None:
        """``<magic> <format> <tool digest>\n``, the pickle, its signature: unpickled only when signed
        with this user's key for this tool."""
        key = signing_key(create=False)
        if key is None:
            return None
        try:
            raw = self.path.read_bytes()
        except OSError:
            return None
        end = raw.find(b"\n", 0, 256)
        if end < 0 or len(raw) < end + 1 + _SIG or raw[:end] != self._head():
            return None
        payload = memoryview(raw)[end + 1:len(raw) - _SIG]
        signer = _signer(key, self.tool)
        signer.update(payload)
        if not hmac.compare_digest(raw[len(raw) - _SIG:], signer.hexdigest().encode()):
            return None
        enabled = gc.isenabled()
        gc.disable()  # a few million small objects: the cyclic GC would walk them again and again (4× slower)
        try:
            cache = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - signed by us, so only a bug or a truncated write: rebuild it
            return None
        finally:
            if enabled:
                gc.enable()
        if not isinstance(cache, FileCache):
            return None
        cache.inputs = {}  # kept by the identity of objects (the entities, their bilingual values): worked out again
        cache.maps = {}
        return cache

    def docs_digests(self) -> DigestCache:
        """The Markdown digests of the last build (an empty cache when there are none)."""
        cache = DigestCache()
        try:
            data = json.loads(self.digests_path.read_text(encoding="utf-8"))
            if data.get("format") == FORMAT:
                cache.files = {str(p): ((int(k[0]), int(k[1]), int(k[2])), str(d)) for p, (k, d) in data["files"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError):
            cache.files = {}
        return cache

    # -- writing ---------------------------------------------------------------------------
    def save_files(self, cache: FileCache) -> None:
        """Store ``cache``, in a forked child when this process can fork (the build goes on; :meth:`wait`
        before the build's lock is let go), else here and now. Never fails the build."""
        self.wait()
        self._head()  # the tool's digest, worked out once, here
        if can_fork():
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid:
                self._child = pid
                return
            code = 1
            try:
                _close_inherited()  # the build's lock and the pipes of its MkDocs and Pagefind
                os.nice(10)         # the build's own stages come first
                self._write(cache)
                code = 0
            finally:
                os._exit(code)
        self._write(cache)

    def _head(self) -> bytes:
        return b" ".join((_MAGIC, str(FORMAT).encode(), self.tool.encode()))

    def _write(self, cache: FileCache) -> None:
        """Pickled straight into the file (no copy of it in memory), signed as it goes."""
        key = signing_key(create=True)
        if key is None:
            return
        # the dependency maps are read from their own files; the entities' digests are kept by the
        # identity of objects, which unpickled ones do not keep
        maps, inputs = cache.maps, cache.inputs
        cache.maps, cache.inputs = {}, {}
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(self._head() + b"\n")
                signer = _signer(key, self.tool)
                pickle.dump(cache, _Signing(fh, signer), protocol=pickle.HIGHEST_PROTOCOL)
                fh.write(signer.hexdigest().encode())
            os.replace(tmp, self.path)
        except Exception:  # noqa: BLE001 - no cache then (a value that cannot be pickled, a full disk): the next build loads all
            tmp.unlink(missing_ok=True)
        finally:
            cache.maps, cache.inputs = maps, inputs

    def save_docs_digests(self, cache: DigestCache) -> None:
        files = {p: [list(k), d] for p, (k, d) in sorted(cache.files.items())}
        text = json.dumps({"format": FORMAT, "files": files}, separators=(",", ":"))
        _write_atomic(self.digests_path, [text.encode()])

    def wait(self) -> None:
        """Until the forked save (if any) has ended."""
        if self._child is not None:
            try:
                os.waitpid(self._child, 0)
            except ChildProcessError:
                pass
            self._child = None


def _keep_unchanged(cache: FileCache) -> None:
    """Keep the entries of files whose text is the one they were parsed from, under their
    current (mtime, size, inode) (so FileCache.load reuses them); drop the others."""
    kept: dict[str, Any] = {}
    for path, (_key, shown, part) in cache._files.items():
        docs = list(part.docs.values())
        if len(docs) != 1 or docs[0].text is None:
            continue
        try:
            before = os.stat(path)
            text, _problems = read_yaml_text(Path(path), shown)
            after = os.stat(path)
        except OSError:
            continue
        sig = (after.st_mtime_ns, after.st_size, after.st_ino)
        if text == docs[0].text and sig == (before.st_mtime_ns, before.st_size, before.st_ino):
            kept[path] = (sig, shown, part)
    cache._files = kept


def _close_inherited() -> None:
    try:
        fds = [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 1024))
    for fd in fds:
        if fd > 2:
            try:
                os.close(fd)
            except OSError:
                pass


def _write_atomic(path: Path, chunks: list[bytes]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
