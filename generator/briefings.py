"""Briefing pages: an analyst's own Markdown under content/briefings/, with fact sheets embedded.

A briefing is ``content/briefings/<id>.md``: YAML front matter (title, lang, date), then
Markdown. A line of its own of the form

    ::: card ID            a fact-sheet card (meeting, person, organization, topic or source)
    ::: statement ID       one statement: summary, the quoted words, its permalink
    ::: positions TOPIC    a topic's positions, by side

embeds the entity; an unknown id fails the check with its ``path:line``. The analyst's
Markdown is kept, but raw HTML is shown as text and links may only be http(s) or relative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from generator.corpus import Corpus
from generator.errors import Diagnostic, diag, did_you_mean
from generator.loader import display_path
from generator.model import ID_RE
from generator.yamlload import MAX_FILE_BYTES, parse_yaml

DIRECTIVE = re.compile(r"^:::\s*(\S+)\s+(\S+)\s*$")
KINDS = {"card": ("meetings", "people", "organizations", "topics", "sources"),
         "statement": ("statements",), "positions": ("topics",)}
_LINK_DEST = re.compile(r"(\]\(\s*)([^)\s]*)")
_REF_DEF = re.compile(r"^(\s*\[[^\]]+\]:\s*)(\S+)", re.M)
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)


@dataclass(frozen=True)
class Segment:
    kind: str            # "text", "card", "statement" or "positions"
    value: str           # the Markdown text, or the embedded id


@dataclass(frozen=True)
class Briefing:
    id: str
    title: str
    lang: str
    date: date
    segments: tuple[Segment, ...]
    path: str


def sanitize(markdown: str) -> str:
    """The analyst's Markdown without raw HTML and without non-web link schemes."""
    def safe(m: re.Match[str]) -> str:
        dest = m.group(2)
        if _SCHEME.match(dest) and not re.match(r"https?:", dest, re.I):
            dest = "#"
        return m.group(1) + dest

    text = markdown.replace("&", "&amp;").replace("<", "&lt;")
    return _REF_DEF.sub(safe, _LINK_DEST.sub(safe, text))


def load_briefings(folder: Path, corpus: Corpus) -> tuple[dict[str, Briefing], list[Diagnostic]]:
    briefings: dict[str, Briefing] = {}
    problems: list[Diagnostic] = []
    if not folder.is_dir():
        return briefings, problems
    for path in sorted(folder.glob("*.md")):
        shown = display_path(path)
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            problems.append(diag(shown, (1, 1), "not-a-file", "a briefing must be a Markdown file under the size limit"))
            continue
        try:
            text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            problems.append(diag(shown, (1, 1), "encoding", "the briefing is not UTF-8 text", "save it as UTF-8"))
            continue
        b, found = _parse(path.stem, text, shown, corpus)
        problems += found
        if b is not None:
            briefings[b.id] = b
    return briefings, problems


def _parse(ident: str, text: str, shown: str, corpus: Corpus) -> tuple[Briefing | None, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    if not ID_RE.match(ident):
        problems.append(diag(shown, (1, 1), "id-format", f"the file name '{ident}' is not a lowercase ASCII slug",
                             "rename the file, e.g. 'moscow-visit-2025.md'"))
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if not m:
        return None, problems + [diag(shown, (1, 1), "missing-field", "a briefing starts with front matter",
                                      "begin with ---, title:, lang:, date:, then ---")]
    doc, found = parse_yaml(m.group(1), shown)
    if doc is None:  # positions are relative to the front matter, which starts on line 2
        return None, problems + [replace(d, line=d.line + 1) for d in found]
    meta = doc.data or {}
    if not isinstance(meta, dict):
        return None, problems + [diag(shown, (2, 1), "type", "the front matter must be a mapping")]
    for key in meta:
        if key not in ("title", "lang", "date"):
            problems.append(diag(shown, (doc.pos((key,), key=True)[0] + 1, 1), "unknown-field",
                                 f"unknown front-matter field '{key}'", did_you_mean(str(key), ("title", "lang", "date"))))
    title, lang, when = meta.get("title"), meta.get("lang"), meta.get("date")
    if not isinstance(title, str) or not title.strip():
        problems.append(diag(shown, (2, 1), "missing-field", "the briefing needs a title"))
    if lang not in ("ar", "en"):
        problems.append(diag(shown, (2, 1), "enum", f"lang '{lang}' is not one of: ar, en"))
    try:
        when = when if isinstance(when, date) else date.fromisoformat(str(when))
    except ValueError:
        problems.append(diag(shown, (2, 1), "date-invalid", f"'{when}' is not an ISO date (YYYY-MM-DD)"))
    body_start = text[: m.end()].count("\n") + 1
    segments: list[Segment] = []
    buffer: list[str] = []
    for n, line in enumerate(text[m.end():].split("\n"), start=body_start):
        d = DIRECTIVE.match(line)
        if not d:
            buffer.append(line)
            continue
        kind, target = d.groups()
        col = line.index(target) + 1
        if kind not in KINDS:
            problems.append(diag(shown, (n, 4), "briefing-unknown-id", f"unknown embed '{kind}'",
                                 did_you_mean(kind, KINDS) or "use ::: card, ::: statement or ::: positions"))
            continue
        found = corpus.kind_of(target)
        if found not in KINDS[kind]:
            pool = [i for k in KINDS[kind] for i in getattr(corpus, k)]
            hint = (f"'{target}' is one of the {found}, not what '::: {kind}' embeds" if found
                    else did_you_mean(target, pool) or "check the id in content/")
            problems.append(diag(shown, (n, col), "briefing-unknown-id", f"'{target}' is not a known {'/'.join(KINDS[kind])} id",
                                 hint))
            continue
        segments.append(Segment("text", sanitize("\n".join(buffer))))
        buffer = []
        segments.append(Segment(kind, target))
    segments.append(Segment("text", sanitize("\n".join(buffer))))
    if any(p.severity.value == "error" for p in problems):
        return None, problems
    return Briefing(ident, title.strip(), lang, when, tuple(s for s in segments if s.kind != "text" or s.value.strip()),
                    shown), problems
