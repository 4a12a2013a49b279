"""Write the draft: a small YAML emitter in the style of content/ and safe, atomic writes.

Every text is written in double quotes (a JSON string is a valid YAML double-quoted
scalar), ids and enums plain, short id lists in flow style, and ``# [n]`` comments give the
paragraph numbers.  The output is parsed back and compared with the data before it is
written, so the emitter cannot silently change a character of the article.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from generator.errors import FactsheetsError, UsageError

_PLAIN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
# Characters PyYAML refuses inside a document unless escaped (outside its printable set);
# U+0085, U+2028 and U+2029 are line breaks to YAML, and bidi controls would reorder the
# file as an editor shows it, so they are escaped too.
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Commented:
    """A list item preceded by a ``# comment`` line."""

    value: Any
    comment: str


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, date)):
        return value.isoformat() if isinstance(value, date) else str(value)
    s = str(value)
    if _PLAIN.fullmatch(s) and s not in _YAML_WORDS:
        return s
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(s, ensure_ascii=False))


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list, Commented))


def _emit(value: Any, indent: int, out: list[str], lead: str) -> None:
    """Append lines for ``value``; ``lead`` is what starts the first line (``key:`` or ``-``)."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        first = True
        for k, v in value.items():
            head = (lead + " " if first and lead.endswith("-") else pad) + f"{k}:"
            if first and lead and not lead.endswith("-"):
                out.append(lead)
                head = pad + f"{k}:"
            first = False
            _emit_value(v, indent, out, head)
    elif isinstance(value, list) and value:
        for item in value:
            if isinstance(item, Commented):
                out.append(f"{pad}# {item.comment}")
                item = item.value
            if _is_scalar(item):
                out.append(f"{pad}- {_scalar(item)}")
            else:
                _emit(item, indent + 2, out, f"{pad}-")
    else:
        out.append(f"{lead} {'{}' if isinstance(value, dict) else '[]' if isinstance(value, list) else _scalar(value)}")


def _emit_value(value: Any, indent: int, out: list[str], head: str) -> None:
    if _is_scalar(value) or not value:
        _emit(value, indent, out, head)
    elif isinstance(value, list) and all(_is_scalar(v) and _PLAIN.fullmatch(str(v)) for v in value) \
            and sum(len(str(v)) + 2 for v in value) < 70:
        out.append(f"{head} [{', '.join(str(v) for v in value)}]")
    elif isinstance(value, list):
        out.append(head)
        _emit(value, indent + 2, out, "")
    else:
        out.append(head)
        _emit(value, indent + 2, out, "")


def _plain(value: Any) -> Any:
    if isinstance(value, Commented):
        return _plain(value.value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def to_yaml(data: dict[str, Any], header: list[str]) -> str:
    """The YAML text of ``data`` (top-level keys separated by a blank line), checked by a round trip."""
    lines = [f"# {h}" if h else "#" for h in header]
    for key, value in data.items():
        lines.append("")
        _emit_value(value, 0, lines, f"{key}:")
    text = "\n".join(lines) + "\n"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: the same reading, much faster
    if yaml.load(text, Loader=loader) != _plain(data):  # pragma: no cover - a bug in the emitter
        raise FactsheetsError("internal error: the draft YAML does not read back as written; nothing was written")
    return text


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _temp_with(folder: Path, name: str, data: bytes) -> str:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def backup_name(path: Path, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now()).strftime("%Y%m%dT%H%M%S")
    candidate = path.with_name(f"{path.name}.bak-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.bak-{stamp}-{n}")
    return candidate


def write_new(path: Path, text: str, force: bool = False) -> Path | None:
    """Write ``text`` to ``path`` atomically (temporary file + rename) and return the backup.

    An existing file is never replaced unless ``force``; then it is first copied to
    ``<file>.bak-<timestamp>`` (also atomically).  Without ``force`` the final step is a
    hard link, which fails if the file appeared meanwhile: nothing is ever overwritten.
    """
    if path.is_dir():
        raise UsageError(f"{path} is a directory")
    exists = path.exists() or path.is_symlink()
    if exists and not force:
        raise FactsheetsError(f"{path} already exists; not overwriting it "
                              "(use --force to replace it and keep a backup, or --id to choose another id)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        backup = None
        if exists:
            backup = backup_name(path)
            tmp_b = _temp_with(path.parent, backup.name, path.read_bytes())
            os.replace(tmp_b, backup)
            shutil.copystat(path, backup, follow_symlinks=True)
        tmp = _temp_with(path.parent, path.name, text.encode("utf-8"))
        try:
            if force:
                os.replace(tmp, path)
            else:
                os.link(tmp, path)
        except FileExistsError:
            raise FactsheetsError(f"{path} appeared while writing; not overwriting it") from None
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        _fsync_dir(path.parent)
    except OSError as exc:
        raise FactsheetsError(f"cannot write {path}: {exc.strerror or exc}") from None
    return backup
