"""Incremental site builds (issue 22): render only the Markdown an edit can reach (the dependency
map, at the end of this module), and rebuild only the HTML of the pages whose Markdown changed.

A build may reuse the previous site when nothing but page Markdown (and the files beside it)
changed since that site was built. What else a page's HTML depends on is fingerprinted and
stored with the Markdown digests in ``build/incremental.json`` (:class:`State`): the tool's
version and code, mkdocs.yml, the templates (catalog strings included), the theme overrides, the
builder and the versions of MkDocs, Material, Pagefind and Python-Markdown, and the site URL
and custom domain from the environment. The state also names the site it describes (a token
written in the site's mark), so a site replaced by other means is never patched.

What forces a clean build (each language is decided on its own):

- ``--clean``; no state, or a state of another site (token), or a different fingerprint;
- a site changed since it was built (a file added, removed or edited there: :func:`site_manifest`);
- a builder other than MkDocs (ProperDocs and Zensical are always built clean);
- a previous site without that language's part;
- more than three quarters of the language's pages changed (a clean build is then about as fast).

Pages added or removed do not force one: the sidebar lists sections and index pages only
(:func:`generator.publish.site.nav_for`, its titles from the catalog, which is fingerprinted), so a new
or removed fact sheet changes no other page's HTML except those whose Markdown changes with it
(index pages, pages linking to it), and those are rebuilt.

The reuse itself is MkDocs' own machinery, in a child process per language
(``python -m generator.publish.incremental CONFIG JOB``): the configuration is loaded, every file and
the navigation are collected as in ``mkdocs build``, and only the pages listed in the job are
read, rendered and written, into a copy of the previous site made of hard links. A hard-linked
file is always unlinked before it is written, so the site being served is never touched; the
copy then goes through Pagefind, assembly and the swap like a clean build's.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from array import array
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel as _BaseModel

import generator
from generator import __version__
from generator.core.model import Bilingual as _Bilingual
from generator.core.model import Entity as _Entity

STATE_FILE = "incremental.json"
STATE_FORMAT = 1
#: Files a build always writes itself into each language's part (never hard-linked from the
#: previous site): the Pagefind bundle, the sitemaps, the mark and the custom domain.
#: (The search bundles the build does not index again are hard-linked from the previous site by
#: ``generator.publish.search``, by shard.)
NOT_REUSED = {"pagefind", "pagefind-shards", "sitemap.xml", "sitemap.xml.gz", ".factsheets-site", "CNAME"}
#: Above this share of changed pages, a language is built clean.
MAX_CHANGED_SHARE = 0.75
_PACKAGES = ("mkdocs", "mkdocs-material", "pagefind", "pagefind-bin", "markdown", "pymdown-extensions", "jinja2")


def _hash_tree(h: Any, folder: Path, label: str) -> None:
    h.update(f"[{label}]\n".encode())
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")


#: The whole package (not this module's sub-package): a change to any of its code makes the next build clean.
TOOL_ROOT = Path(generator.__file__).resolve().parent


def fingerprint(project: Any, base: dict[str, Any], builder: str) -> str:
    """A digest of everything a page's HTML depends on besides its own Markdown."""
    h = hashlib.sha256()
    h.update(f"factsheets {__version__}\nbuilder {builder}\npython {sys.version}\n".encode())
    for name in _PACKAGES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{name} {version}\n".encode())
    for var in ("FACTSHEETS_SITE_URL", "FACTSHEETS_CNAME", "SOURCE_DATE_EPOCH", "FACTSHEETS_SEARCH_SHARD_PAGES"):
        h.update(f"{var}={os.environ.get(var, '')}\n".encode())
    h.update(project.config_file.read_bytes())
    _hash_tree(h, project.templates, "templates")
    _hash_tree(h, project.overrides(base), "overrides")
    _hash_tree(h, TOOL_ROOT, "generator")  # the tool's own code, every sub-package (a dev tree keeps its version)
    return h.hexdigest()


class DigestCache:
    """The digests :func:`docs_digests` worked out, kept by a long-lived process (the live preview)
    between builds: a file whose path, (mtime, size, inode) are those it had when it was hashed is
    not read and hashed again (the same test as :func:`site_manifest`'s, which guards the site
    against hand edits). The generator writes every file through a new inode (``os.replace``), so
    its own writes are always seen; a file modified less than :attr:`SETTLE_NS` before it was
    hashed is not remembered (an edit in place within the file system's clock tick, with the same
    size, could otherwise go unseen)."""

    SETTLE_NS = 2_000_000_000

    def __init__(self) -> None:
        self.files: dict[str, tuple[tuple[int, int, int], str]] = {}
        self.hashed = self.reused = 0  # by the last docs_digests() call

    def digest(self, path: str) -> str:
        st = os.stat(path)
        key = (st.st_mtime_ns, st.st_size, st.st_ino)
        hit = self.files.get(path)
        if hit is not None and hit[0] == key:
            self.reused += 1
            return hit[1]
        with open(path, "rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
        self.hashed += 1
        if st.st_mtime_ns < time.time_ns() - self.SETTLE_NS:
            self.files[path] = (key, digest)
        else:
            self.files.pop(path, None)
        return digest


def docs_digests(docs: Path, cache: DigestCache | None = None) -> dict[str, str]:
    """``relative path -> sha256`` of every file of one language's Markdown folder (hidden ones left
    out, as MkDocs leaves them out), in the order of the sorted paths. ``cache``: the digests of
    files unchanged since a previous call are not worked out again."""
    cache = DigestCache() if cache is None else cache
    cache.hashed = cache.reused = 0
    top = os.fspath(docs)
    found: list[tuple[list[str], str, str]] = []  # (parts, relative path, full path)
    seen: set[str] = set()
    for root, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel_root = os.path.relpath(root, top)
        parts = [] if rel_root == "." else rel_root.split(os.sep)
        for name in files:
            if name.startswith("."):
                continue
            full = os.path.join(root, name)
            if os.path.isfile(full):
                found.append(([*parts, name], "/".join([*parts, name]), full))
                seen.add(full)
    out = {rel: cache.digest(full) for _parts, rel, full in sorted(found, key=lambda f: f[0])}
    gone = [path for path in cache.files if path not in seen and path.startswith(top + os.sep)]
    for path in gone:
        del cache.files[path]
    return out


def site_manifest(site: Path) -> str:
    """A digest of every file of a built site (path, size, modification time): a file added,
    removed or edited there after the build (by hand, by another tool) changes it, and the next
    build is then clean rather than carrying that file over (a copy that keeps times, cp -a, keeps it)."""
    h = hashlib.sha256()
    top = os.fspath(site)
    for root, dirs, files in os.walk(top):
        dirs.sort()
        rel = os.path.relpath(root, top)  # once a folder, not once a file (56,000 relpath calls took 2.9 s)
        prefix = "" if rel == "." else rel + os.sep
        lines = []
        for name in sorted(files):
            st = os.lstat(os.path.join(root, name))
            lines.append(f"{prefix}{name}\0{st.st_size}\0{st.st_mtime_ns}\n")
        h.update("".join(lines).encode())
    return h.hexdigest()


@dataclass
class State:
    """What the current site was built from."""

    fingerprint: str
    token: str                                              # also in the site's mark
    docs: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> path -> digest
    site: str = ""                                          # site_manifest() of the site once in place
    search: dict[str, dict[str, Any]] = field(default_factory=dict)  # lang -> what its search bundles were made from

    @staticmethod
    def new_token() -> str:
        return secrets.token_hex(8)

    @classmethod
    def read(cls, build_folder: Path) -> State | None:
        try:
            data = json.loads((build_folder / STATE_FILE).read_text(encoding="utf-8"))
            if data.get("format") != STATE_FORMAT:
                return None
            return cls(str(data["fingerprint"]), str(data["token"]),
                       {str(k): {str(p): str(d) for p, d in v.items()} for k, v in data["docs"].items()},
                       str(data["site"]), dict(data.get("search") or {}))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def write(self, build_folder: Path) -> None:
        from generator.render.write import atomic_write

        data = {"format": STATE_FORMAT, "fingerprint": self.fingerprint, "token": self.token, "docs": self.docs,
                "site": self.site, "search": self.search}
        atomic_write(build_folder / STATE_FILE, json.dumps(data, sort_keys=True).encode("utf-8"))


@dataclass(frozen=True)
class Job:
    """What one language's incremental build writes (paths relative to its docs folder)."""

    pages: list[str]      # Markdown pages to render (changed or new)
    static: list[str]     # other files to copy (changed or new)
    removed: list[str]    # files no longer generated: their output is deleted

    @classmethod
    def between(cls, before: dict[str, str], now: dict[str, str]) -> Job:
        changed = sorted(p for p, d in now.items() if before.get(p) != d)
        return cls([p for p in changed if p.endswith(".md")], [p for p in changed if not p.endswith(".md")],
                   sorted(set(before) - set(now)))

    def worth_it(self, total_pages: int) -> bool:
        return len(self.pages) <= MAX_CHANGED_SHARE * max(total_pages, 1)

    def dump(self, path: Path) -> None:
        path.write_text(json.dumps({"pages": self.pages, "static": self.static, "removed": self.removed}),
                        encoding="utf-8")


def link_copy(src: Path, dest: Path, skip_top: set[str]) -> None:
    """``dest`` as a copy of ``src`` made of hard links (folders are new, made with the default
    modes as a clean build's are; symbolic links copied as links), leaving out the top-level names
    in ``skip_top``. One walk, no copying of folder modes and times (shutil.copytree took 0.9 s a
    language at N = 1,000, a third of it on those)."""
    dest.mkdir(parents=True)
    top, out = os.fspath(src), os.fspath(dest)
    for root, dirs, files in os.walk(top):
        rel = os.path.relpath(root, top)
        here = out if rel == "." else os.path.join(out, rel)
        if rel == ".":
            dirs[:] = [d for d in dirs if d not in skip_top]
            files = [f for f in files if f not in skip_top]
        for name in dirs:
            path = os.path.join(root, name)
            if os.path.islink(path):  # not walked into (os.walk does not follow links)
                os.symlink(os.readlink(path), os.path.join(here, name))
            else:
                os.mkdir(os.path.join(here, name))
        for name in files:
            path = os.path.join(root, name)
            if os.path.islink(path):
                os.symlink(os.readlink(path), os.path.join(here, name))
            else:
                os.link(path, os.path.join(here, name))


class LinkCopy:
    """:func:`link_copy` started now and finished by :meth:`wait`: on Linux by GNU cp (``cp -R -P
    -l``) in a process of its own, so that the copy runs on another CPU while this process loads and
    renders (in a thread of this process it held the interpreter lock and slowed both: 2-3 s
    against 0.4 s alone, at N = 1,000); elsewhere, or when cp fails, by :func:`link_copy` itself
    when waited for. The result is the same: folders made new, files hard-linked, symbolic links
    copied as links, the top-level names in ``skip_top`` left out."""

    def __init__(self, src: Path, dest: Path, skip_top: set[str]) -> None:
        self.src, self.dest, self.skip_top = src, dest, skip_top
        self.proc: subprocess.Popen[bytes] | None = None
        self.made = False  # nothing to copy: made once the folder is
        cp = shutil.which("cp") if sys.platform.startswith("linux") else None
        if cp is None:
            return
        try:
            names = sorted(n for n in os.listdir(src) if n not in skip_top)
            dest.mkdir(parents=True)
        except OSError:  # link_copy, when waited for, says why
            return
        if names:
            self.proc = subprocess.Popen([cp, "-R", "-P", "-l", "--no-preserve=mode", "--", *(os.path.join(src, n) for n in names),
                                          os.fspath(dest)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)
        else:
            self.made = True

    def wait(self) -> None:
        """The copy, made; OSError when it cannot be (e.g. another file system: no hard links)."""
        if self.made or (self.proc is not None and self.proc.wait() == 0):
            return
        if self.proc is not None or self.dest.exists():
            shutil.rmtree(self.dest, ignore_errors=True)
        link_copy(self.src, self.dest, self.skip_top)

    def stop(self) -> None:
        """Stopped (the build is over): the process is ended, its folder left to the caller."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


# --- which pages to render (issue 22, items 1 and 6): the dependency map ----------------------
#
# Every build records, for each page (and figure file) it renders, every read of corpus data
# (:class:`PageDeps`, ``build/docs.deps-<lang>.json``, written once that language's Markdown is on
# disk); the next build checks each recorded read against the new corpus and renders only the
# pages one of whose reads now answers differently. Every other page keeps its Markdown untouched.
#
# A page's reads are of two sorts:
#
# - *text*: the bilingual values of an entity (a meeting's title, a statement's summary, a
#   person's name…), one digest per entity id. Each bilingual value of the corpus is given a
#   subclass (:class:`_TrackedBilingual`) that notes its owner on every attribute access while a
#   page records.
# - *queries*: every lookup of the corpus the page makes, through :class:`RecordedCorpus` (the
#   renderer's view of the corpus): a table entry (``meetings[id]``, ``statements_by_person[p]``),
#   a whole table iterated (``("all", "meetings")``), a method called (``nearest_related(m, 20)``,
#   ``role_at(p, d)``, ``name_of(i, lang)``…), the data of a figure. Each is stored as a key with
#   a digest of its answer (:class:`Answers`): entities in an answer stand for their id and
#   their *struct* digest (ids, references, dates, sides, spans: all but the text), the rest for
#   its value. On the next build each stored key is asked again of the new corpus (once per
#   build) and the digests compared.
#
# A page is rendered again iff it is new, its own plan entry (its :class:`Page`: rows, parts,
# pager) changed, one of its entities' text changed, or one of its queries answers differently.
# Pages no longer planned are removed. Whatever is not a read of the corpus is *global*: the
# templates and catalogs, the tool's code and its libraries, the site URL, the digits, today's
# date and the files' git dates; a global change (and a missing or stale map, a Markdown folder
# changed since it was written, ``--clean``) renders everything. The renderer's caches (links,
# names) replay on a hit the reads they made on the miss (:class:`Capture`), so a cached answer
# is recorded as if it had been worked out again.

DEPS_FORMAT = 3


class _Recorder:
    """What the page being rendered reads: the ids whose text it read, the queries it asked, and
    whose text each tracked value is."""

    __slots__ = ("ids", "owners", "queries")

    def __init__(self, ids: set[str], owners: dict[int, str]) -> None:
        self.ids = ids
        self.owners = owners
        self.queries: set[tuple] = set()


#: The recorder of the page being rendered in this thread (None: nothing records). A context
#: variable, not a global: each thread (and each forked worker) records its own pages.
_recording: ContextVar[_Recorder | None] = ContextVar("factsheets_recording", default=None)
_get_recording = _recording.get


def _note(obj: object) -> None:
    rec = _recording.get()
    if rec is not None:
        owner = rec.owners.get(id(obj))
        if owner is not None:
            rec.ids.add(owner)


def note_id(ident: object) -> None:
    """Record that the page being rendered shows something of entity ``ident``'s text."""
    rec = _recording.get()
    if rec is not None and isinstance(ident, str):
        rec.ids.add(ident)


def note_query(key: tuple) -> None:
    """Record that the page being rendered asked the query ``key`` (see :class:`Answers`)."""
    rec = _recording.get()
    if rec is not None:
        rec.queries.add(key)


class Recording:
    """``with Recording(inputs.owners) as rec:`` what is read inside the block: ``rec.ids`` (whose
    text) and ``rec.queries`` (``owners``: whose text each tracked value is, from :meth:`Inputs.of`)."""

    def __init__(self, owners: dict[int, str]) -> None:
        self.owners = owners

    def __enter__(self) -> _Recorder:
        self.rec = _Recorder(set(), self.owners)
        self.token = _recording.set(self.rec)
        return self.rec

    def __exit__(self, *exc: object) -> None:
        _recording.reset(self.token)


class Capture(Recording):
    """Like :class:`Recording`, and what was read is passed on to the page recording around it, if
    any: a cache fills an entry inside one and :func:`replay` s its reads on every later hit."""

    def __enter__(self) -> _Recorder:
        self.outer = _recording.get()
        return super().__enter__()

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)
        if self.outer is not None:
            self.outer.ids |= self.rec.ids
            self.outer.queries |= self.rec.queries


def replay(ids: Iterable[str], queries: Iterable[tuple]) -> None:
    """Record again, for the page being rendered, what a :class:`Capture` recorded (kept by the
    cache as tuples: a cache entry holds no sets)."""
    rec = _recording.get()
    if rec is not None:
        rec.ids.update(ids)
        rec.queries.update(queries)


@functools.cache
def _tracked_class(cls: type) -> type:
    """A subclass of ``cls`` whose objects note every attribute read while a page records."""
    def __getattribute__(self: Any, name: str) -> Any:
        if _get_recording() is not None:
            _note(self)
        return object.__getattribute__(self, name)

    def __reduce_ex__(self: Any, protocol: Any) -> tuple[Any, ...]:
        # pickled as the plain class (generator/publish/buildcache.py): the next process tracks it anew
        return _untracked, (cls, self.__getstate__())

    return type(cls)(f"Tracked{cls.__name__}", (cls,), {"__getattribute__": __getattribute__, "__reduce_ex__": __reduce_ex__,
                                                       "__module__": cls.__module__, "_factsheets_tracked": True})


def _untracked(cls: Any, state: Any) -> Any:
    """A tracked value unpickled: an object of the plain class it was made from."""
    obj = cls.__new__(cls)
    obj.__setstate__(state)
    return obj


def _walk(value: Any, owner: str, struct: list[Any], text: list[Any], owners: dict[int, str]) -> None:
    """Split an entity's data: bilingual values into ``text`` (and made to note their reads, on
    behalf of ``owner``), everything else, with the field names, into ``struct``."""
    if isinstance(value, _Bilingual):
        d = value.__dict__
        text.append((d.get("ar"), d.get("en")))
        struct.append(0)
        owners[id(value)] = owner
        cls = type(value)
        if not getattr(cls, "_factsheets_tracked", False):
            object.__setattr__(value, "__class__", _tracked_class(cls))
    elif isinstance(value, _BaseModel):
        d = value.__dict__
        for name in type(value).model_fields:
            struct.append(name)
            _walk(d.get(name), owner, struct, text, owners)
    elif isinstance(value, (list, tuple)):
        if all(type(item) is str for item in value):
            struct.append(tuple(value))
        else:
            struct.append(len(value))
            for item in value:
                _walk(item, owner, struct, text, owners)
    else:
        struct.append(value)


# --- the corpus as pages read it ------------------------------------------------------------

class _Opaque(Exception):
    """An argument the map cannot write down: the query is recorded as one on the whole corpus."""


class _Gone(Exception):
    """An entity a stored query was asked about is no longer in the corpus."""


def _encode(value: Any) -> Any:
    """A query's argument as a JSON-able, hashable key part (entities by id, dates by day)."""
    if type(value) is str or value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, _Entity):
        return ("E", value.id)
    if isinstance(value, _date):
        return ("D", value.isoformat())
    if isinstance(value, (list, tuple)):
        return ("L", *map(_encode, value))
    raise _Opaque(type(value).__name__)


def _decode(corpus: Any, value: Any) -> Any:
    if not isinstance(value, tuple):
        return value
    if value[0] == "E":
        ent = corpus.get(value[1])
        if ent is None:
            raise _Gone(value[1])
        return ent
    if value[0] == "D":
        return _date.fromisoformat(value[1])
    return tuple(_decode(corpus, v) for v in value[1:])


def _tuples(value: Any) -> Any:
    """A key read back from JSON: its lists become the tuples they were."""
    if type(value) is not list:
        return value
    return tuple([_tuples(v) if type(v) is list else v for v in value])  # no call per plain item: 58,000 keys a language


def _note_opaque() -> None:
    note_query(("corpus",))


class _RecordedMapping:
    """A table of the corpus (``meetings``, ``statements_by_person``…) that records what is read:
    one entry (``("get", name, key)``), or the whole table (``("all", name)``)."""

    __slots__ = ("_name", "_data")

    def __init__(self, name: str, data: Any) -> None:
        self._name = name
        self._data = data

    def _one(self, key: Any) -> None:
        rec = _recording.get()
        if rec is not None:
            try:
                rec.queries.add(("get", self._name, key if type(key) is str else _encode(key)))
            except _Opaque:
                _note_opaque()

    def _all(self) -> None:
        note_query(("all", self._name))

    def __getitem__(self, key: Any) -> Any:
        self._one(key)
        return self._data[key]

    def get(self, key: Any, default: Any = None) -> Any:
        self._one(key)
        return self._data.get(key, default)

    def __contains__(self, key: Any) -> bool:
        self._one(key)
        return key in self._data

    def __iter__(self) -> Any:
        self._all()
        return iter(self._data)

    def __len__(self) -> int:
        self._all()
        return len(self._data)

    def __bool__(self) -> bool:
        self._all()
        return bool(self._data)

    def keys(self) -> Any:
        self._all()
        return self._data.keys()

    def values(self) -> Any:
        self._all()
        return self._data.values()

    def items(self) -> Any:
        self._all()
        return self._data.items()


class RecordedCorpus:
    """The corpus as the renderer hands it to pages: the same answers, and each lookup recorded
    for the page being rendered (nothing is recorded outside a :class:`Recording`). Tables come
    back as :class:`_RecordedMapping`, methods record their arguments, any other value is
    recorded whole (``("all", name)``). ``unrecorded`` is the corpus itself."""

    def __init__(self, corpus: Any) -> None:
        self.unrecorded = corpus

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self.unrecorded, name)
        if callable(value):
            def call(*args: Any, _name: str = name, _fn: Any = value, **kw: Any) -> Any:
                rec = _recording.get()
                if rec is not None:
                    plain = not kw
                    for a in args:  # (a loop, not all() over a generator: a few hundred thousand calls a language)
                        if type(a) is not str:
                            plain = False
                            break
                    if plain:  # most calls: ids and a language
                        rec.queries.add(("call", _name, args))
                    else:
                        try:
                            if kw:
                                raise _Opaque("keywords")
                            rec.queries.add(("call", _name, tuple(a if type(a) is str else _encode(a) for a in args)))
                        except _Opaque:
                            _note_opaque()
                return _fn(*args, **kw)
            out: Any = call
        elif isinstance(value, dict):
            out = _RecordedMapping(name, value)
        else:  # a list (meetings_by_date) or a value: read whole
            note_query(("all", name))
            return value
        self.__dict__[name] = out  # the corpus does not change while pages render
        return out


_MISSING = ("missing",)


class Answers:
    """What each recorded query answers for one corpus, as a digest (memoised for the build).
    ``structs``: each entity's struct digest (:meth:`Inputs.of`); ``figures``: the build's
    :class:`~generator.render.figures.Figures` (its data is the answer of a figure query)."""

    def __init__(self, corpus: Any, structs: dict[str, str], figures: Any = None) -> None:
        self.corpus = getattr(corpus, "unrecorded", corpus)
        self.structs = structs
        self.figures = figures
        self._memo: dict[tuple, str] = {}

    def digest(self, key: tuple) -> str:
        hit = self._memo.get(key)
        if hit is None:
            if key == WHOLE:
                hit = self._whole()
            else:
                hit = hashlib.sha256(repr(self._shape(self._answer(key))).encode()).hexdigest()[:16]
            self._memo[key] = hit
        return hit

    def _whole(self) -> str:
        """The digest of :data:`WHOLE`, worked out a table entry at a time: its answer as one value
        would be the shape of every entity at once (hundreds of MB at N = 5,000)."""
        h = hashlib.sha256()
        answer = self._answer(WHOLE)
        for name, table in answer if isinstance(answer, list) else [("", answer)]:
            h.update(f"\0{name}\0{type(table).__name__}\n".encode())
            items = table.items() if isinstance(table, dict) else table if isinstance(table, (list, tuple)) else [table]
            for item in items:
                h.update(repr(self._shape(item)).encode())
                h.update(b"\n")
        return h.hexdigest()[:16]

    def _answer(self, key: tuple) -> Any:
        c = self.corpus
        try:
            op = key[0]
            if op == "get":
                table = getattr(c, key[1])
                k = _decode(c, key[2])
                return table[k] if k in table else _MISSING
            if op == "all":
                return getattr(c, key[1])
            if op == "call":
                return getattr(c, key[1])(*[_decode(c, a) for a in key[2]])
            if op == "figure":
                return self.figures.data(*key[1:])
            if op == "corpus":
                from generator.kinds import plurals
                return [(k, getattr(c, k)) for k in (*plurals(), "spans", "word_spans", "sides", "redirects",
                                                      "briefings")]
        except _Gone as gone:
            return ("gone", str(gone))
        except Exception as exc:  # noqa: BLE001 - an answer like any other (the page raised it too)
            return ("raised", type(exc).__name__, str(exc))
        return ("unknown query", secrets.token_hex(8))  # never the same: the page is rendered again

    def _shape(self, value: Any) -> Any:
        """A value as plain data for its digest: an entity is its id and struct digest (its text
        is recorded apart, by the reads of its bilingual values)."""
        if value is None or isinstance(value, (str, int, float, bool, _date)):
            return value
        if isinstance(value, _Entity):
            return ("E", value.id, self.structs.get(value.id))
        if isinstance(value, _Bilingual):
            d = value.__dict__
            return ("B", d.get("ar"), d.get("en"))
        if isinstance(value, _BaseModel):
            d = value.__dict__
            return (type(value).__name__, *[(n, self._shape(d.get(n))) for n in type(value).model_fields])
        if isinstance(value, dict):
            return ("{", *[(self._shape(k), self._shape(v)) for k, v in value.items()])
        if isinstance(value, (list, tuple)):
            return tuple(self._shape(v) for v in value)
        if isinstance(value, (set, frozenset)):
            return ("set", *sorted(repr(self._shape(v)) for v in value))
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return (type(value).__name__, *[(f.name, self._shape(getattr(value, f.name)))
                                            for f in dataclasses.fields(value)])
        return (type(value).__name__, repr(value))


@dataclass
class Inputs:
    """What pages are made from: one global digest, and one text and one struct digest per entity id."""

    global_digest: str
    texts: dict[str, str]
    structs: dict[str, str] = field(default_factory=dict)
    #: id() of each bilingual value of the corpus -> the entity whose text it is (for Recording)
    owners: dict[int, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, corpus: Any, templates: Path | None, extra: str) -> Inputs:
        """Fingerprint ``corpus`` and make its bilingual values record their reads. ``extra``:
        whatever else the render depends on (site URL, digits, dates…)."""
        from generator.core.loader import reused_cache
        from generator.kinds import plurals
        from generator.resources import template_dirs

        owners: dict[int, str] = {}
        if "name_of" not in vars(corpus):  # names are answered from a cache: note whose name was asked
            answer = corpus.name_of

            def name_of(ident: Any, lang: str) -> str:
                note_id(ident if isinstance(ident, str) else getattr(ident, "id", None))
                return answer(ident, lang)

            corpus.name_of = name_of
        g = hashlib.sha256()
        g.update(f"deps {DEPS_FORMAT}\nfactsheets {__version__}\npython {sys.version}\n{extra}\n".encode())
        for name in (*_PACKAGES, "babel", "pydantic"):
            try:
                version = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                version = "-"
            g.update(f"{name} {version}\n".encode())
        for i, folder in enumerate(template_dirs(templates)):
            _hash_tree(g, folder, f"templates {i}")
        _hash_tree(g, TOOL_ROOT, "generator")
        texts: dict[str, str] = {}
        structs: dict[str, str] = {}
        # the live preview keeps each entity's digests for the next build: an entity of a file loaded
        # unchanged is the very same object then (generator.core.loader.FileCache; entities are never
        # changed once loaded), and its digests are those worked out before
        cache = reused_cache()
        before = cache.inputs if cache is not None else {}
        now: dict[int, tuple[Any, ...]] = {}
        for kind in plurals():
            for ident, entity in getattr(corpus, kind).items():
                origin = getattr(entity, "_origin", None)
                where = origin[0] if origin else ""
                hit = before.get(id(entity))
                if hit is not None and hit[0] is entity and hit[1] == (kind, ident, where):
                    owners.update(dict.fromkeys(hit[4], ident))
                    structs[ident], texts[ident] = hit[2], hit[3]
                else:
                    struct: list[Any] = [kind, ident, where]
                    text: list[Any] = []
                    mine: dict[int, str] = {}
                    _walk(entity, ident, struct, text, mine)
                    owners.update(mine)
                    structs[ident] = hashlib.sha256(repr(struct).encode()).hexdigest()[:16]
                    texts[ident] = hashlib.sha256(repr(text).encode()).hexdigest()[:16]
                    hit = (entity, (kind, ident, where), structs[ident], texts[ident], tuple(mine))
                now[id(entity)] = hit
        if cache is not None and cache.long_lived:
            cache.inputs = now
        return cls(g.hexdigest(), texts, structs, owners)


def plan_digest(entry: Any) -> str:
    """The digest of a page's own plan entry (its :class:`Page`, or a figure file's subject)."""
    return hashlib.sha256(repr(entry).encode()).hexdigest()[:16]


@dataclass
class PageReads:
    """One page's entry in the map: its plan entry's digest, the ids whose text it read, the
    queries it asked (as indexes into its map's table of keys, :attr:`PageDeps.keys`)."""

    plan: str
    ids: tuple[str, ...]
    queries: array[int]


@dataclass
class PageDeps:
    """One language's dependency map, as stored next to its Markdown folder. Each query key is
    held once (``keys``, with the digest of its answer at the same index in ``answers``); a page
    names its queries by index (at N = 5,000, about 15,000 pages a language ask 1.5 million
    queries between them, of about 300,000 different keys)."""

    global_digest: str
    texts: dict[str, str]
    keys: list[tuple]             # query keys
    answers: list[str]            # the digest of each one's answer
    pages: dict[str, PageReads]   # docs path -> what it read
    manifest: str                 # site_manifest() of the language's Markdown folder once written

    @property
    def structure(self) -> str | None:
        """The digest of :data:`WHOLE` (the corpus's structure) when this map was stored."""
        return self.answers[0] if self.keys and self.keys[0] == WHOLE else None

    @staticmethod
    def file(docs_root: Path, lang: str) -> Path:
        """Beside the Markdown folder, not in it (``build/docs.deps-ar.json``, next to the site's state)."""
        return docs_root.parent / f"{docs_root.name}.deps-{lang}.json"

    @classmethod
    def take(cls, docs_root: Path, lang: str) -> PageDeps | None:
        """The stored map, removed from disk (it describes the folder as it is now; once writing
        starts it no longer does, so a build that fails half-way leaves none)."""
        from generator.core.loader import reused_cache

        path = cls.file(docs_root, lang)
        cache = reused_cache()
        kept = cache.kept_map(path) if cache is not None else None
        try:
            if kept is not None:
                return kept  # the live preview: the map it wrote last, still the file on disk
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        finally:
            path.unlink(missing_ok=True)
        try:
            if data.get("format") != DEPS_FORMAT:
                return None
            ids: list[str] = data["ids"]
            keys = [_tuples(k) for k in data["keys"]]
            answers = [str(a) for a in data["answers"]]
            if len(answers) != len(keys) or not keys or keys[0] != WHOLE:
                return None
            pages = {}
            for p, (plan, refs, asked) in data.pop("pages").items():
                reads = PageReads(str(plan), tuple([ids[i] for i in refs]), array("I", asked))
                if reads.queries and reads.queries[-1] >= len(keys):
                    return None
                pages[p] = reads
            return cls(str(data["global"]), dict(zip(ids, data["texts"], strict=True)), keys, answers, pages,
                       str(data["manifest"]))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError):
            return None

    def write(self, docs_root: Path, lang: str) -> None:
        """Written a page at a time (never the whole map as one string). A long-lived process (the
        live preview: :func:`generator.core.loader.reusing`) also keeps it, for :meth:`take` to
        use while the file is the one written here."""
        from generator.core.loader import reused_cache
        from generator.render.write import write_chunks

        ids = sorted(self.texts)
        index = {ident: i for i, ident in enumerate(ids)}
        dumps = functools.partial(json.dumps, separators=(",", ":"))

        def chunks() -> Iterable[str]:
            yield (f'{{"format":{DEPS_FORMAT},"global":{dumps(self.global_digest)},"manifest":{dumps(self.manifest)},'
                   f'"ids":{dumps(ids)},"texts":{dumps([self.texts[i] for i in ids])},')
            yield f'"answers":{dumps(self.answers)},"keys":['
            for start in range(0, len(self.keys), 4096):
                yield ("," if start else "") + dumps(self.keys[start:start + 4096])[1:-1]
            yield '],"pages":{'
            sep = ""
            for p, r in sorted(self.pages.items()):  # plan digests are hex, indexes numbers: no escaping
                refs = sorted(index[i] for i in r.ids if i in index)
                yield f'{sep}{dumps(p)}:["{r.plan}",[{",".join(map(str, refs))}],[{",".join(map(str, r.queries))}]]'
                sep = ","
            yield "}}"

        path = self.file(docs_root, lang)
        write_chunks(path, chunks())
        cache = reused_cache()
        if cache is not None:
            cache.keep_map(path, self)


#: The query on the whole corpus: its answer is every entity's struct digest and the tables of
#: spans, sides, redirects and briefings — the corpus's structure.
WHOLE = ("corpus",)


def same_structure(prev: PageDeps | None, answers: Answers) -> bool:
    """Whether the corpus's structure is what it was when ``prev`` was stored. Derived facts (counts,
    orders, related meetings, page parts, figures' data) are cut from the structure only (ids,
    references, dates, sides, spans), never from text; so while it is the same, every recorded
    query answers as before but for the text inside its answer, and a page that shows text read it
    by id (the reads of bilingual values and ``name_of``). The queries need not be asked again
    then: at N = 1,000 that is 58,000 answers a language, about 4.5 s."""
    return prev is not None and prev.structure is not None and prev.structure == answers.digest(WHOLE)


class MapBuilder:
    """One language's new map, filled as its files are written: each file's reads are made compact
    at once (ids as a tuple, queries as indexes into one table of keys), so no page's recording
    sets are held until the language ends. ``prev``: the stored map. Its table of keys is where the
    new one starts (new keys are added at its end), so a file kept as it was keeps its entry as it
    is, indexes and all; keys no file asks any more are dropped once they are a quarter of the
    table. While the structure is the same, the digests of the previous answers are carried over."""

    def __init__(self, prev: PageDeps | None, answers: Answers) -> None:
        self.prev = prev
        self.answers = answers
        # WHOLE always first: its digest is the map's structure (a stored map starts with it too)
        self.keys: list[tuple] = list(prev.keys) if prev is not None else [WHOLE]
        self._index: dict[tuple, int] = {k: i for i, k in enumerate(self.keys)}
        self.pages: dict[str, PageReads] = {}

    def add(self, path: str, plan: str, ids: Iterable[str], queries: Iterable[tuple]) -> None:
        """What the file at ``path`` (its plan entry's digest: ``plan``) read, as just recorded."""
        index, keys = self._index, self.keys
        at = []
        for k in queries if isinstance(queries, (set, frozenset)) else dict.fromkeys(queries):  # (written out: a call a key is about a second a language at N = 1,000)
            i = index.get(k)
            if i is None:
                i = index[k] = len(keys)
                keys.append(k)
            at.append(i)
        at.sort()
        self.pages[path] = PageReads(plan, tuple(sorted(ids)), array("I", at))

    def keep(self, path: str) -> None:
        """The file at ``path`` was left as it was: its entry in the previous map, carried over."""
        assert self.prev is not None
        self.pages[path] = self.prev.pages[path]

    def _compact(self, carried: list[str]) -> list[str]:
        """Drop the keys no file asks when they are a quarter of the table or more (each page's
        indexes renumbered, in the same order). ``carried``: the digests of the first keys, from
        the previous map; returns those of the keys left."""
        used: set[int] = {0}
        for r in self.pages.values():
            used.update(r.queries)
        if 4 * (len(self.keys) - len(used)) < len(self.keys):
            return carried
        order = sorted(used)
        remap = array("I", bytes(4 * len(self.keys)))
        for new, old in enumerate(order):
            remap[old] = new
        self.pages = {p: PageReads(r.plan, r.ids, array("I", [remap[i] for i in r.queries]))
                      for p, r in self.pages.items()}
        self.keys = [self.keys[i] for i in order]
        self._index = {}
        return [carried[i] for i in order if i < len(carried)]

    def finish(self, global_digest: str, texts: dict[str, str], manifest: str) -> PageDeps:
        """The map to store: each key's answer digest, carried over from the previous map while the
        structure is the same (see :func:`same_structure`), else asked of the new corpus. A carried
        digest may hold text older than the corpus's, which can only make a later comparison
        differ, so a page is rendered again rather than left stale."""
        prev, answers = self.prev, self.answers
        carried = list(prev.answers) if prev is not None and same_structure(prev, answers) else []
        digests = self._compact(carried) or [""]
        digests[0] = answers.digest(WHOLE)
        digests.extend(answers.digest(k) for k in self.keys[len(digests):])
        return PageDeps(global_digest, texts, self.keys, digests, self.pages, manifest)


def pages_to_render(prev: PageDeps | None, now: Inputs, plan: dict[str, str], folder: Path,
                    answers: Answers) -> set[str] | None:
    """The pages of ``plan`` (docs path -> :func:`plan_digest`) an edit can reach since ``prev``
    was stored: new ones, those whose plan entry changed, and those with a read that now answers
    differently (``answers``: of the new corpus); None: render them all (no map, another global
    digest, or the folder changed since)."""
    if prev is None or prev.global_digest != now.global_digest or prev.manifest != site_manifest(folder):
        return None
    changed = {i for i, d in prev.texts.items() if now.texts.get(i) != d}
    if same_structure(prev, answers):
        asked: set[int] = set()  # no derived answer can differ: only text changed, and text is read by id
    else:
        asked = {n for n, (k, d) in enumerate(zip(prev.keys, prev.answers)) if answers.digest(k) != d}
    todo: set[str] = set()
    for path, digest in plan.items():
        old = prev.pages.get(path)
        if old is None or old.plan != digest or not changed.isdisjoint(old.ids) or not asked.isdisjoint(old.queries):
            todo.add(path)
    return todo
