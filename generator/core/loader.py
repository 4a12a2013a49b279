"""Stage 1: read every YAML file under content/ into typed model objects.

Each record is validated on its own, so one bad record never hides the problems of the
others, and every pydantic error becomes a located diagnostic.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from generator.errors import CODES, Diagnostic, diag, did_you_mean
from generator.kinds import CONTENT_KEYS as ENTITY_KINDS
from generator.core.model import MAX_LIST, Entity
from generator.core.yamlload import PathKey, YamlDoc, parse_yaml, read_yaml_text

YAML_SUFFIXES = (".yaml", ".yml")
SKIP_DIRS = ("briefings",)


class Docs(Mapping[str, YamlDoc]):
    """Display path -> parsed file, for locating problems (each keeps its text, and works out
    positions from it only when asked for one)."""

    def __init__(self) -> None:
        self._entries: dict[str, YamlDoc] = {}

    def __getitem__(self, display: str) -> YamlDoc:
        return self._entries[display]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, display: str, doc: YamlDoc) -> None:
        self._entries[display] = doc


@dataclass
class Loaded:
    """Everything read from content/: records with their origin, and what went wrong."""

    root: Path
    docs: Docs = field(default_factory=Docs)
    entities: dict[str, list[Entity]] = field(default_factory=lambda: {k: [] for k in ENTITY_KINDS})
    broken_ids: set[str] = field(default_factory=set)  # ids of records that failed to validate
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: one set of field names per combination of fields given (a few dozen in all): share_fields_sets
    fields_sets: dict[frozenset[str], set[str]] = field(default_factory=dict, repr=False)


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)


#: Editor and system litter (Emacs locks ``.#x`` and backups ``x~``, Vim swap files, macOS
#: ``.DS_Store``, any hidden file or folder): never content, never reported.
def is_litter(name: str) -> bool:
    return (name.startswith(".") or name.endswith(("~", ".swp", ".swo"))
            or (name.startswith("#") and name.endswith("#")))


def discover(root: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Every content file, sorted; editor and system litter (:func:`is_litter`) is skipped;
    symlinks leading outside ``root`` are refused, and so is a folder that cannot be read (its
    files would silently be missing from the site)."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    real_root = root.resolve()

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        problems.append(diag(display_path(where), (1, 1), "unreadable",
                             f"cannot read this folder: {exc.strerror or exc}",
                             "make it readable (e.g. chmod u+rx), or move it out of the content folder"))

    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=unreadable):
        here = Path(dirpath)
        dirnames[:] = [name for name in dirnames if not is_litter(name)]  # not walked into
        if here != root and here.relative_to(root).parts[0] in SKIP_DIRS:
            continue
        for name in sorted(dirnames):
            p = here / name
            if p.is_symlink() and not inside(p, real_root):
                problems.append(diag(display_path(p), (1, 1), "symlink-outside",
                                     "this symbolic link points outside the content folder",
                                     "copy the files into content/ instead of linking to them"))
            elif name.endswith(YAML_SUFFIXES) and not p.is_symlink():
                problems.append(diag(display_path(p), (1, 1), "not-a-file",
                                     "expected a YAML file here, found a directory",
                                     "rename the directory or move its files up"))
        for name in sorted(filenames):
            if not name.endswith(YAML_SUFFIXES) or is_litter(name):
                continue
            p = here / name
            if p.is_symlink() and not p.exists():
                problems.append(diag(display_path(p), (1, 1), "not-a-file",
                                     "broken link: this symbolic link leads to nothing (a missing target, or a loop)",
                                     "remove the link, or point it at a real file inside content/"))
            elif p.is_symlink() and not inside(p, real_root):
                problems.append(diag(display_path(p), (1, 1), "symlink-outside",
                                     "this symbolic link points outside the content folder",
                                     "copy the file into content/ instead of linking to it"))
            elif not p.is_file():
                problems.append(diag(display_path(p), (1, 1), "not-a-file",
                                     "expected a YAML file, found something else (a broken link or a device)"))
            else:
                files.append(p)
    return sorted(files), problems


def inside(path: Path, real_root: Path) -> bool:
    """Whether ``path`` (links followed) lies inside ``real_root`` (a resolved folder)."""
    try:
        path.resolve().relative_to(real_root)
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def load_content(root: Path) -> Loaded:
    """Read and type-check every file under ``root``, in one process (reading half of a large
    folder in a forked worker saved under 1 % of a 1,000-meeting build: it was dropped)."""
    loaded = Loaded(root)
    if not root.is_dir():
        loaded.diagnostics.append(diag(display_path(root), (1, 1), "not-a-file",
                                       "the content folder does not exist or is not a folder"))
        return loaded
    files, problems = discover(root)
    loaded.diagnostics += problems
    _load_files(files, loaded)
    return loaded


def _load_files(files: list[Path], loaded: Loaded) -> None:
    cache = _reused.get()
    for path in files:
        if cache is not None:
            cache.load(path, loaded)
            continue
        _load_file(path, display_path(path), loaded)
    if cache is not None:
        cache.forget_missing(files)


def _load_file(path: Path, shown: str, loaded: Loaded) -> None:
    text, problems = read_yaml_text(path, shown)
    doc = None
    if text is not None:
        doc, problems = parse_yaml(text, shown)
    loaded.diagnostics += problems
    if doc is not None:
        loaded.docs.add(shown, doc)
        _load_doc(doc, loaded)
        doc.release()  # the records are read: keep the text only (to locate a problem later)


# --- re-reading only the files that changed (the live preview) ----------------------------------

class FileCache:
    """What each content file gave the last time it was loaded, kept by a long-lived process (the
    live preview, generator/publish/preview.py) between loads: a file whose (mtime, size, inode) and
    displayed path are unchanged is neither read nor parsed again, its records and problems are
    reused as they were. Entities are never changed after loading (what the check derives goes
    into the Corpus), so sharing them between loads is safe. Use it with :func:`reusing`."""

    def __init__(self) -> None:
        self._files: dict[str, tuple[tuple[int, int, int], str, Loaded]] = {}
        self.read = self.reused = 0   # files read and files reused by the last load
        #: what the per-record checks found for records loaded unchanged (generator.core.validate):
        #: check name -> id -> (the records it was worked out from, its result); an entry serves only
        #: while those are the very same objects (a reused file's), so a changed file is checked again
        self.checks: dict[str, dict[str, tuple[tuple[object, ...], Any]]] = {}
        #: the dependency maps and piece maps this process wrote last (generator.publish.incremental.PageDeps,
        #: generator.outputs.pieces.PieceMap): path -> (the file's (mtime, size, inode) once written, the
        #: map); read back from here while the file is that one
        self.maps: dict[str, tuple[tuple[int, int, int], Any]] = {}
        #: each entity's digests for the dependency map (generator.publish.incremental.Inputs.of): id() ->
        #: (the entity, (kind, id, file), struct digest, text digest, ids of its bilingual values)
        self.inputs: dict[int, tuple[Any, ...]] = {}
        #: compiled Jinja templates (generator.render.pages): checked against their source by Jinja
        self.bytecode: dict[str, bytes] = {}
        #: whether this cache stays with the process for its next build (the live preview). A build that
        #: stores it for the next process instead (generator.publish.buildcache) keeps neither the
        #: dependency maps (the next build reads their files) nor the entities' digests, and lets the
        #: loaded files go once they are stored (:meth:`let_go`)
        self.long_lived = True

    def load(self, path: Path, loaded: Loaded) -> None:
        shown = display_path(path)
        try:
            st = path.stat()
            key: tuple[int, int, int] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            key = None
        hit = self._files.get(str(path))
        if key is not None and hit is not None and hit[0] == key and hit[1] == shown:
            part = hit[2]
            self.reused += 1
        else:
            part = Loaded(loaded.root)
            _load_file(path, shown, part)
            self.read += 1
            if key is not None:
                self._files[str(path)] = (key, shown, part)
        # merged in file order, as a load without the cache would add them
        loaded.diagnostics += part.diagnostics
        for display, doc in part.docs.items():
            loaded.docs.add(display, doc)
        for kind, entities in part.entities.items():
            loaded.entities[kind] += entities
        loaded.broken_ids |= part.broken_ids

    def kept_map(self, path: Path) -> Any:
        """The map this process stored last at ``path`` (:meth:`keep_map`), let go of here, if the file
        is still the one it wrote (same modification time, size and inode); else None."""
        kept = self.maps.pop(str(path), None)
        try:
            st = path.stat()
        except OSError:
            return None
        return kept[1] if kept is not None and kept[0] == (st.st_mtime_ns, st.st_size, st.st_ino) else None

    def keep_map(self, path: Path, value: Any) -> None:
        """``value``, just written to ``path``, kept for :meth:`kept_map` (by a long-lived process only)."""
        if self.long_lived:
            st = path.stat()
            self.maps[str(path)] = ((st.st_mtime_ns, st.st_size, st.st_ino), value)

    def let_go(self) -> None:
        """Stored for the next build (a forked child writes its own view of it): this process needs
        none of it any more. The files' texts, records as loaded and check results are let go (at
        5,000 meetings they held a few hundred MB through the render); the counters stay."""
        self._files, self.checks, self.inputs, self.maps = {}, {}, {}, {}

    def forget_missing(self, files: list[Path]) -> None:
        keep = {str(p) for p in files}
        self._files = {k: v for k, v in self._files.items() if k in keep}


_reused: ContextVar[FileCache | None] = ContextVar("factsheets_file_cache", default=None)


def reused_cache() -> FileCache | None:
    """The cache of the enclosing :func:`reusing` block, if any."""
    return _reused.get()


@contextmanager
def reusing(cache: FileCache) -> Iterator[FileCache]:
    """Within this block, :func:`load_content` re-reads only the files ``cache`` has not seen
    unchanged (and remembers them for the next block)."""
    cache.read = cache.reused = 0
    token = _reused.set(cache)
    try:
        yield cache
    finally:
        _reused.reset(token)


def _load_doc(doc: YamlDoc, loaded: Loaded) -> None:
    data = doc.data
    if not isinstance(data, dict):
        loaded.diagnostics.append(diag(doc.display, doc.pos(()), "type",
                                       "a content file must be a mapping of people/organizations/topics/source/meetings/statements",
                                       "start the file with a key such as 'people:'"))
        return
    for key, value in data.items():
        if key not in ENTITY_KINDS:
            loaded.diagnostics.append(diag(doc.display, doc.pos((key,), key=True), "unknown-field",
                                           f"unknown top-level key '{key}'",
                                           did_you_mean(key, ENTITY_KINDS) or f"allowed: {', '.join(ENTITY_KINDS)}"))
            continue
        model = ENTITY_KINDS[key]
        if key == "source":
            items: list[tuple[PathKey, Any]] = [((key,), value)] if value is not None else []
        elif isinstance(value, list):
            if len(value) > MAX_LIST * 10:
                loaded.diagnostics.append(diag(doc.display, doc.pos((key,)), "too-many-items",
                                               f"'{key}' holds {len(value)} items; the limit is {MAX_LIST * 10}",
                                               "split the records over several files"))
                continue
            items = [((key, i), item) for i, item in enumerate(value)]
        elif value is None:
            items = []
        else:
            loaded.diagnostics.append(diag(doc.display, doc.pos((key,)), "type",
                                           f"'{key}' must be a list of records", f"write '{key}:' followed by '- id: …' items"))
            continue
        for path, item in items:
            try:
                entity = model.model_validate(item)
            except ValidationError as exc:
                loaded.diagnostics += errors_to_diagnostics(exc, doc, path, item, model)
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    loaded.broken_ids.add(item["id"])
                continue
            entity._origin = (doc.display, path)
            share_fields_sets(entity, loaded.fields_sets)
            loaded.entities[key].append(entity)


def share_fields_sets(model: BaseModel, table: dict[frozenset[str], set[str]]) -> None:
    """Let ``model`` and the models inside it share their sets of the fields given in the data
    (``model_fields_set``) with every other model given the same fields (``table``: the load's own). Pydantic keeps such a set
    on every model object, 200-700 bytes each: about a quarter of the loaded archive's memory.
    Nothing here reads them; ``model_copy`` copies the set before adding to it. (Assigning to a
    field of a loaded record would add its name to the shared set: records are not assigned to.)"""
    own = model.__pydantic_fields_set__
    shared = table.setdefault(frozenset(own), own)
    if shared is not own:
        object.__setattr__(model, "__pydantic_fields_set__", shared)
    for value in model.__dict__.values():
        if isinstance(value, BaseModel):
            share_fields_sets(value, table)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, BaseModel):
                    share_fields_sets(item, table)


# --- pydantic errors -> diagnostics ---------------------------------------------------------

_TYPE_WORDS = {str: "text", int: "a whole number", float: "a number", bool: "true/false",
               dict: "a mapping", list: "a list", type(None): "nothing"}


def errors_to_diagnostics(exc: ValidationError, doc: YamlDoc, base: PathKey, item: Any,
                          model: type[BaseModel]) -> list[Diagnostic]:
    seen: dict[PathKey, Diagnostic] = {}
    for err in exc.errors(include_url=False):
        path, rest = _data_path(item, tuple(err["loc"]))
        full = base + path
        d = _one(err, doc, full, path, rest, item, model)
        prev = seen.get(full + (d.code,))
        if prev is None:
            seen[full + (d.code,)] = d
    # a union of shapes reports one error per shape: a precise error at a place makes the
    # generic "wrong type" errors at that place (or around it) redundant
    precise = [k[:-1] for k, d in seen.items() if d.code != "type"]
    out: dict[tuple, Diagnostic] = {}
    for key, d in seen.items():
        place = key[:-1]
        if d.code == "type" and any(p[: len(place)] == place for p in precise):
            continue
        out.setdefault((d.line, d.col, d.code), d)
    return list(out.values())


def _data_path(item: Any, loc: tuple) -> tuple[PathKey, tuple]:
    """Split a pydantic loc into the part that exists in the data and the rest."""
    path: list[str | int] = []
    cur = item
    rest: list = []
    for part in loc:
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
            path.append(part)
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            cur = cur[part]
            path.append(part)
        else:
            rest.append(part)
    return tuple(path), tuple(rest)


def _describe(value: Any) -> str:
    return _TYPE_WORDS.get(type(value), type(value).__name__)


def _fields_at(model: type[BaseModel], path: tuple) -> list[str]:
    """Field names of the model that sits at ``path`` inside ``model``."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return []
        current = _unwrap(current.model_fields[part].annotation)
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _unwrap(tp: Any) -> Any:
    while True:
        args = [a for a in get_args(tp) if a is not type(None)]
        origin = get_origin(tp)
        if origin is None or not args:
            return tp
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        tp = models[0] if models else args[0]


def _one(err: Mapping[str, Any], doc: YamlDoc, full: PathKey, path: PathKey, rest: tuple, item: Any,
         model: type[BaseModel]) -> Diagnostic:
    etype, msg, value = err["type"], err["msg"], err.get("input")
    names = [r for r in rest if isinstance(r, str) and re.fullmatch(r"[a-z_]+", r) and r not in ("str", "int")]
    field = ".".join(str(p) for p in (*full, *names))
    where = f"{field}: " if field else ""
    if etype in CODES:
        return diag(doc.display, doc.pos(full), etype, where + msg, _hint_for(etype, err))
    if etype == "missing":
        name = rest[-1] if rest else "?"
        return diag(doc.display, doc.pos(full), "missing-field", f"{where.rstrip(': ')}: missing required field '{name}'".lstrip(": "),
                    f"add '{name}:' to this record (see docs/schema.md)")
    if etype == "extra_forbidden":
        name = path[-1] if path else (rest[-1] if rest else "?")
        parent = path[:-1] if path else ()
        fields = _fields_at(model, parent)
        return diag(doc.display, doc.pos(full, key=True), "unknown-field", f"unknown field '{name}'",
                    did_you_mean(str(name), fields) or (f"allowed here: {', '.join(fields)}" if fields else None))
    if etype == "literal_error":
        choices = re.findall(r"'([^']*)'", err.get("ctx", {}).get("expected", ""))
        return diag(doc.display, doc.pos(full), "enum", f"{where}'{value}' is not one of: {', '.join(choices)}",
                    did_you_mean(str(value), choices))
    if etype == "too_short":
        return diag(doc.display, doc.pos(full), "missing-field", f"{where}needs at least one item")
    if etype == "too_long":
        return diag(doc.display, doc.pos(full), "too-many-items", f"{where}{msg}", "split the records over several files")
    if etype == "string_pattern_mismatch":
        return diag(doc.display, doc.pos(full), "type", f"{where}'{value}' has the wrong form",
                    "a Wikidata id looks like Q12345" if field.endswith("wikidata") else None)
    expected = {"string_type": "text", "list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping",
                "bool_type": "true or false", "int_type": "a whole number", "date_type": "a date"}.get(etype)
    if expected:
        return diag(doc.display, doc.pos(full), "type", f"{where}expected {expected}, found {_describe(value)}")
    return diag(doc.display, doc.pos(full), "type", f"{where}{msg}")


def _hint_for(code: str, err: Mapping[str, Any]) -> str | None:
    return {
        "id-format": "ids are lowercase ASCII letters, digits and single hyphens, e.g. 'sergey-lavrov'",
        "id-reserved": "add a word, e.g. 'index-report' or 'en-visit'",
        "unicode-control": "retype the value; pasted text may carry invisible direction marks",
        "date-invalid": "write dates as YYYY-MM-DD, e.g. 2025-12-24",
        "url-scheme": "only web addresses (http:// or https://) are allowed",
    }.get(code)
