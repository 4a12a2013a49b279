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

import functools
import hashlib
import importlib.metadata
import json
import os
import secrets
import shutil
import sys
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel as _BaseModel

import generator
from generator import __version__
from generator.core.model import Bilingual as _Bilingual

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


def docs_digests(docs: Path) -> dict[str, str]:
    """``relative path -> sha256`` of every file of one language's Markdown folder (hidden ones left
    out, as MkDocs leaves them out)."""
    out = {}
    for path in sorted(docs.rglob("*")):
        rel = path.relative_to(docs)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            out[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def site_manifest(site: Path) -> str:
    """A digest of every file of a built site (path, size, modification time): a file added,
    removed or edited there after the build (by hand, by another tool) changes it, and the next
    build is then clean rather than carrying that file over (a copy that keeps times, cp -a, keeps it)."""
    h = hashlib.sha256()
    for root, dirs, files in os.walk(site):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            st = os.lstat(path)
            h.update(f"{os.path.relpath(path, site)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
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
    """``dest`` as a copy of ``src`` made of hard links (folders are new), leaving out the
    top-level names in ``skip_top``."""
    dest.mkdir(parents=True)
    for entry in os.scandir(src):
        if entry.name in skip_top:
            continue
        target = dest / entry.name
        if entry.is_dir(follow_symlinks=False):
            shutil.copytree(entry.path, target, copy_function=os.link, symlinks=True)
        elif entry.is_symlink():
            os.symlink(os.readlink(entry.path), target)
        else:
            os.link(entry.path, target)


def _unlink(path: str | Path) -> None:
    """Remove a file before writing it: in a hard-linked copy, writing in place would change the
    previous site too."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _prune_empty(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_relative_to(stop):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def run_job(config_file: Path, job_file: Path) -> int:
    """Build the pages of ``job_file`` with MkDocs into the site_dir of ``config_file``, which
    holds the hard-linked previous site. Mirrors ``mkdocs.commands.build.build`` without the
    cleaning of site_dir, reading and writing only the job's pages. Returns an exit status."""
    import logging

    from mkdocs import utils
    from mkdocs.commands import build as mk
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, BuildError
    from mkdocs.structure.files import File, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    job = json.loads(job_file.read_text(encoding="utf-8"))
    log = logging.getLogger("mkdocs")
    shown = logging.StreamHandler(sys.stderr)
    shown.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    shown.setLevel(logging.WARNING)
    log.addHandler(shown)
    log.setLevel(logging.INFO)
    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    log.addHandler(counter)
    try:
        config = load_config(config_file=str(config_file), strict=True)
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        site_dir = Path(config.site_dir)
        for rel in job["removed"]:  # first: a redirect page may take the place of a removed page
            dest = Path(File(rel, config.docs_dir, config.site_dir, config.use_directory_urls).abs_dest_path)
            _unlink(dest)
            _prune_empty(dest.parent, site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        wanted = set(job["pages"]) | {p.file.src_uri for p in nav.pages}
        todo = []
        for file in files.documentation_pages():
            if file.page is None:
                Page(None, file, config)
            if file.src_uri in wanted:
                assert file.page is not None  # set by Page(...) above
                mk._populate_page(file.page, config, files)
                todo.append(file)
        env = config.plugins.on_env(env, config=config, files=files)
        for rel in job["static"]:
            static = files.get_file_from_path(rel)
            if static is None:
                raise BuildError(f"{rel} is not among the site's files")
            _unlink(static.abs_dest_path)
            static.copy_file()
        for template in config.theme.static_templates:  # 404.html, sitemap.xml: rewritten, never in place
            _unlink(site_dir / template)
            if template == "sitemap.xml":
                _unlink(site_dir / "sitemap.xml.gz")
            mk._build_theme_template(template, env, files, config, nav)
        doc_files = files.documentation_pages()
        pages = set(job["pages"])
        for file in todo:
            if file.src_uri in pages and file.page is not None:
                _unlink(file.abs_dest_path)
                mk._build_page(file.page, config, doc_files, nav, env)
        for file in todo:
            if file.page is not None:
                file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        config.plugins.on_post_build(config=config)
        if counts := counter.get_counts():
            raise Abort("Aborted with " + ", ".join(f"{v} {k.lower()}s" for k, v in counts) + " in strict mode!")
    except (Abort, BuildError) as exc:
        print(f"incremental build failed: {exc}", file=sys.stderr)
        return 1
    print(f"INFO    -  built {len(job['pages'])} page(s), copied {len(job['static'])} file(s), "
          f"removed {len(job['removed'])}", file=sys.stderr)
    return 0


# --- which pages to render (issue 22, item 1): the dependency map ------------------------------
#
# Every build records, for each page it renders, the ids of the entities whose text the page
# read (:class:`PageDeps`, ``build/docs.deps-<lang>.json``, written once that language's
# Markdown is on disk). The next build compares fingerprints and renders only the pages that
# read an entity whose text changed; every other page keeps its Markdown file untouched.
#
# Inputs are split in two. The *text* of an entity is every bilingual value it holds (a
# meeting's title, a statement's summary, a person's name and role titles…): one digest per
# entity. Everything else is *global*: the ids, references, dates, sides, spans, article text,
# briefings, the plan of pages, the templates and catalogs, the tool's code and its libraries,
# the site URL, the digits, today's date and the files' git dates. A global change (and a missing
# or stale map, a Markdown folder changed since it was written, ``--clean``) renders everything:
# derived facts (counts, orders, related meetings, page parts) are cut from the global part only,
# so an edit that keeps it leaves them as they were.
#
# A page's reads are recorded as it renders: each bilingual value of the corpus is given a
# subclass (:class:`_TrackedBilingual`) that notes its owner on every attribute access while a
# page records; and the helpers that answer from a cache (names, links, JSON-LD nodes) note the
# id they were asked about (generator/render/pages.py).

DEPS_FORMAT = 1
@dataclass
class _Recorder:
    """What the page being rendered reads: the ids noted, and whose text each tracked value is."""

    ids: set[str]
    owners: dict[int, str]


#: The recorder of the page being rendered in this thread (None: nothing records). A context
#: variable, not a global: each thread (and each forked worker) records its own pages.
_recording: ContextVar[_Recorder | None] = ContextVar("factsheets_recording", default=None)


def _note(obj: object) -> None:
    rec = _recording.get()
    if rec is not None:
        owner = rec.owners.get(id(obj))
        if owner is not None:
            rec.ids.add(owner)


def note_id(ident: object) -> None:
    """Record that the page being rendered shows something of entity ``ident``."""
    rec = _recording.get()
    if rec is not None and isinstance(ident, str):
        rec.ids.add(ident)


class Recording:
    """``with Recording(inputs.owners) as ids:`` the ids of the entities read inside the block
    (``owners``: whose text each tracked value is, from :meth:`Inputs.of`)."""

    def __init__(self, owners: dict[int, str]) -> None:
        self.owners = owners

    def __enter__(self) -> set[str]:
        self.ids: set[str] = set()
        self.token = _recording.set(_Recorder(self.ids, self.owners))
        return self.ids

    def __exit__(self, *exc: object) -> None:
        _recording.reset(self.token)


@functools.cache
def _tracked_class(cls: type) -> type:
    """A subclass of ``cls`` whose objects note every attribute read while a page records."""
    def __getattribute__(self: Any, name: str) -> Any:
        if _recording.get() is not None:
            _note(self)
        return object.__getattribute__(self, name)

    return type(cls)(f"Tracked{cls.__name__}", (cls,), {"__getattribute__": __getattribute__,
                                                       "__module__": cls.__module__, "_factsheets_tracked": True})


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


@dataclass
class Inputs:
    """What pages are made from: one global digest, and one text digest per entity id."""

    global_digest: str
    texts: dict[str, str]
    #: id() of each bilingual value of the corpus -> the entity whose text it is (for Recording)
    owners: dict[int, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, corpus: Any, pages: list[Any], templates: Path | None, extra: str) -> Inputs:
        """Fingerprint ``corpus`` and make its bilingual values record their reads. ``pages``:
        the plan; ``extra``: whatever else the render depends on (site URL, digits, dates…)."""
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
        for kind in plurals():
            g.update(f"[{kind}]\n".encode())
            for ident, entity in getattr(corpus, kind).items():
                origin = getattr(entity, "_origin", None)
                struct: list[Any] = [ident, origin[0] if origin else ""]
                text: list[Any] = []
                _walk(entity, ident, struct, text, owners)
                g.update(repr(struct).encode())
                texts[ident] = hashlib.sha256(repr(text).encode()).hexdigest()[:16]
        for table in ("spans", "word_spans", "sides", "redirects"):
            g.update(f"[{table}]\n{sorted(getattr(corpus, table).items())!r}\n".encode())
        g.update(f"[briefings]\n{sorted(corpus.briefings.items())!r}\n".encode())
        g.update(b"[pages]\n")
        for p in pages:
            g.update(f"{p!r}\n".encode())
        return cls(g.hexdigest(), texts, owners)


@dataclass
class PageDeps:
    """One language's dependency map, as stored next to its Markdown folder."""

    global_digest: str
    texts: dict[str, str]
    pages: dict[str, list[str]]   # docs path -> ids whose text it shows
    manifest: str                 # site_manifest() of the language's Markdown folder once written

    @staticmethod
    def file(docs_root: Path, lang: str) -> Path:
        """Beside the Markdown folder, not in it (``build/docs.deps-ar.json``, next to the site's state)."""
        return docs_root.parent / f"{docs_root.name}.deps-{lang}.json"

    @classmethod
    def take(cls, docs_root: Path, lang: str) -> PageDeps | None:
        """The stored map, removed from disk (it describes the folder as it is now; once writing
        starts it no longer does, so a build that fails half-way leaves none)."""
        path = cls.file(docs_root, lang)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        finally:
            path.unlink(missing_ok=True)
        try:
            if data.get("format") != DEPS_FORMAT:
                return None
            ids: list[str] = data["ids"]
            return cls(str(data["global"]), dict(zip(ids, data["texts"])),
                       {p: [ids[i] for i in refs] for p, refs in data["pages"].items()}, str(data["manifest"]))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None

    def write(self, docs_root: Path, lang: str) -> None:
        from generator.render.write import atomic_write

        ids = sorted(self.texts)
        index = {ident: i for i, ident in enumerate(ids)}
        pages = {p: sorted(index[i] for i in refs if i in index) for p, refs in sorted(self.pages.items())}
        data = {"format": DEPS_FORMAT, "global": self.global_digest, "ids": ids,
                "texts": [self.texts[i] for i in ids], "pages": pages, "manifest": self.manifest}
        atomic_write(self.file(docs_root, lang), json.dumps(data, separators=(",", ":")).encode("utf-8"))


def pages_to_render(prev: PageDeps | None, now: Inputs, paths: list[str], folder: Path) -> set[str] | None:
    """The pages of ``paths`` an edit can reach since ``prev`` was stored; None: render them all
    (no map, another global digest, another set of pages, or the folder changed since)."""
    if prev is None or prev.global_digest != now.global_digest or set(prev.pages) != set(paths):
        return None
    if prev.texts.keys() != now.texts.keys() or prev.manifest != site_manifest(folder):
        return None
    changed = {i for i, d in now.texts.items() if prev.texts[i] != d}
    return {p for p, refs in prev.pages.items() if not changed.isdisjoint(refs)}


def job_command(config_file: Path, job_file: Path) -> list[str]:
    return [sys.executable, "-m", "generator.publish.incremental", str(config_file), str(job_file)]


if __name__ == "__main__":
    sys.exit(run_job(Path(sys.argv[1]), Path(sys.argv[2])))
