"""Read one YAML file into plain Python data plus the line:column of every value.

Uses libyaml's composer (fast, with marks) and builds the data itself, so that it can
refuse what annotated content never needs and what could hurt: duplicate keys, anchors and
aliases (the "billion laughs" bomb), oversized files, non-UTF-8 bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import yaml

from generator.errors import Diagnostic, diag

try:  # libyaml when available (it is with PyPI wheels), else the pure-Python loader
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64
Pos = tuple[int, int]
PathKey = tuple[str | int, ...]

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class YamlDoc:
    """A parsed file: its data, and where each value and key stands (1-based).

    The positions are only needed to report a problem, and a table of every value's line and
    column takes several times the memory of the text (about 65 MB for the 13.5 MB of YAML of
    the 1,000-meeting benchmark): they are worked out from the text the first time one is asked
    for. The data can be let go once its records are read (:meth:`release`); it is parsed again
    from the text if asked for after that."""

    __slots__ = ("display", "text", "_data", "_values", "_keys")

    def __init__(self, display: str, data: Any, text: str | None = None,
                 values: dict[PathKey, Pos] | None = None, keys: dict[PathKey, Pos] | None = None):
        self.display = display
        self.text = text
        self._data = data
        self._values = values
        self._keys = keys
        if text is None and values is None:  # nothing to work the positions out from
            self._values, self._keys = {}, {}

    @property
    def data(self) -> Any:
        if self._data is None and self.text is not None:
            self._locate()
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        self._data = value

    @property
    def values(self) -> dict[PathKey, Pos]:
        if self._values is None:
            self._locate()
        assert self._values is not None
        return self._values

    @property
    def keys(self) -> dict[PathKey, Pos]:
        if self._keys is None:
            self._locate()
        assert self._keys is not None
        return self._keys

    def release(self) -> None:
        """Let the data go (it is parsed again from the text if it is asked for)."""
        if self.text is not None:
            self._data = None

    def _locate(self) -> None:
        """Parse the text again, this time noting where every value and key stands."""
        located = YamlDoc(self.display, None, values={}, keys={})
        node = yaml.compose(self.text or "", Loader=_Loader)  # the text parsed before: it does again
        if node is not None:
            located.data = _Builder(located, positions=True).build(node, ())
        self._values, self._keys = located._values, located._keys
        if self._data is None:
            self._data = located.data

    def pos(self, path: PathKey, key: bool = False) -> Pos:
        """Position of the value (or key) at ``path``, or of its nearest located ancestor."""
        table = self.keys if key else self.values
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if not key and p in self.keys:
                return self.keys[p]
            p = p[:-1]
        return self.values.get((), (1, 1))


class _Builder:
    def __init__(self, doc: YamlDoc, positions: bool = False):
        self.doc = doc
        self.positions = positions  # fill doc's tables of positions (else only the data is built)
        self.seen: set[int] = set()
        self.problems: list[Diagnostic] = []

    def _mark(self, node: yaml.Node) -> Pos:
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        if len(path) > MAX_DEPTH:
            if not any(p.code == "yaml-syntax" for p in self.problems):
                self.problems.append(diag(self.doc.display, self._mark(node), "yaml-syntax",
                                          f"the data is nested more than {MAX_DEPTH} levels deep",
                                          "content records need only a few levels; check the indentation"))
            return None
        if id(node) in self.seen:
            self.problems.append(
                diag(self.doc.display, self._mark(node), "yaml-alias",
                     "YAML anchors and aliases (&name / *name) are not allowed in content",
                     "write the value out in full where it is needed")
            )
            return None
        self.seen.add(id(node))
        if self.positions:
            self.doc.values[path] = self._mark(node)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for knode, vnode in node.value:
                if not isinstance(knode, yaml.ScalarNode):
                    self.problems.append(diag(self.doc.display, self._mark(knode), "type",
                                              "a mapping key must be a plain name"))
                    continue
                key = knode.value
                if key == "<<":
                    self.problems.append(diag(self.doc.display, self._mark(knode), "yaml-alias",
                                              "YAML merge keys (<<) are not allowed in content",
                                              "write the fields out in full"))
                    continue
                if key in out:
                    first = next(self._mark(k) for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.value == key)
                    self.problems.append(diag(self.doc.display, self._mark(knode), "yaml-duplicate-key",
                                              f"key '{key}' appears twice in this mapping",
                                              f"the first '{key}' is at line {first[0]}; keep one"))
                    continue
                if self.positions:
                    self.doc.keys[path + (key,)] = self._mark(knode)
                out[key] = self.build(vnode, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return _scalar(cast(yaml.ScalarNode, node))


def _scalar(node: yaml.ScalarNode) -> Any:
    value, tag = node.value, node.tag
    if node.style:  # quoted or block scalar: always text
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if tag == _INT:
        try:
            return int(value.replace("_", ""), 10)
        except ValueError:
            return value
    if tag == _FLOAT:
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    return value  # str, timestamps (kept as text: the model parses dates) and the rest


def _decode(raw: bytes, display: str) -> tuple[str | None, list[Diagnostic]]:
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw  # a BOM is accepted and dropped
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = body[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before[before.rfind(b"\n") + 1:]
        col = len(line_start.decode("utf-8", errors="replace")) + 1  # characters, not bytes
        return None, [diag(display, (line, col), "encoding",
                           f"byte 0x{body[exc.start]:02x} is not valid UTF-8",
                           "save the file as UTF-8 (most editors: 'Save with encoding')")]
    return text, []


def _position(text: str, index: int) -> Pos:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _alias_positions(text: str) -> list[Pos]:
    """Where each alias (*name) stands; only computed when an alias was found."""
    try:
        return [(e.start_mark.line + 1, e.start_mark.column + 1)
                for e in yaml.parse(text, Loader=_Loader) if isinstance(e, yaml.AliasEvent) and e.start_mark]
    except yaml.YAMLError:  # pragma: no cover - the text composed fine just before
        return []


def parse_yaml(text: str, display: str) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Parse YAML text; return the document, or None and the diagnostics."""
    doc = YamlDoc(display, None, text)
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.reader.ReaderError as exc:
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        offset = exc.position
        if _Loader is not yaml.SafeLoader:  # libyaml counts bytes of the UTF-8 text
            offset = len(text.encode("utf-8")[: exc.position].decode("utf-8", errors="replace"))
        return None, [diag(display, _position(text, offset), "yaml-syntax",
                           f"the control character {char} is not allowed in YAML",
                           "delete it (it is often pasted in invisibly from another program)")]
    except yaml.MarkedYAMLError as exc:
        quoted = "quoted scalar" in (exc.context or "")
        mark = (exc.context_mark if quoted else None) or exc.problem_mark or exc.context_mark
        pos = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        lines = text.splitlines()
        hint = "check indentation and quotes around this line"
        if quoted:
            problem = "a quoted string is not closed"
            hint = "add the closing quote"
        elif 0 < pos[0] <= len(lines) and "\t" in lines[pos[0] - 1]:
            hint = "YAML indentation must use spaces, not tabs"
        return None, [diag(display, pos, "yaml-syntax", problem, hint)]
    except yaml.YAMLError as exc:
        return None, [diag(display, (1, 1), "yaml-syntax", str(exc).splitlines()[0])]
    if not nodes:
        return None, [diag(display, (1, 1), "empty-file", "the file holds no data", "add content or delete the file")]
    if len(nodes) > 1:
        return None, [diag(display, (nodes[1].start_mark.line + 1, 1), "yaml-syntax",
                           "a content file holds one YAML document, found several",
                           "remove the '---' separator or split the file")]
    builder = _Builder(doc)
    doc.data = builder.build(nodes[0], ())
    problems = builder.problems
    if any(p.code == "yaml-alias" and "merge" not in p.message for p in problems):
        # the composer hands back the anchored node itself: find where each alias stands
        merge_lines = {p.line for p in problems if "merge" in p.message}
        kept = [p for p in problems if p.code != "yaml-alias" or "merge" in p.message]
        aliases = [diag(display, pos, "yaml-alias", "YAML anchors and aliases (&name / *name) are not allowed in content",
                        "write the value out in full where it is needed")
                   for pos in _alias_positions(text) if pos[0] not in merge_lines]
        problems = kept + aliases
    if any(p.code in ("yaml-alias", "yaml-syntax") for p in problems):
        return None, problems
    return doc, problems


def read_yaml_text(path: Path, display: str) -> tuple[str | None, list[Diagnostic]]:
    """A content file's text (size-checked, decoded), or None and why not."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [diag(display, (1, 1), "file-too-large",
                               f"the file is {size / 1048576:.1f} MB; the limit is {MAX_FILE_BYTES // 1048576} MB",
                               "split it into several files (e.g. one per source article)")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [diag(display, (1, 1), "not-a-file", f"cannot read the file: {exc.strerror}")]
    return _decode(raw, display)
