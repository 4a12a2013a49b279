"""Briefing pages: an analyst's own Markdown under content/briefings/, with fact sheets embedded.

A briefing is ``content/briefings/<id>.md``: YAML front matter (title, lang, date), then
Markdown. A line of its own of the form

    ::: card ID            a fact-sheet card (meeting, person, organization, topic or source)
    ::: statement ID       one statement: summary, the quoted words, its permalink
    ::: positions TOPIC    a topic's positions, by side

embeds the entity; an unknown id fails the check with its ``path:line``.

The analyst's Markdown is untrusted (outside contributors send briefings as pull requests).
It is kept, with two layers of defence:

* here, at the Markdown level (:func:`sanitize`): ``&`` and ``<`` are escaped (raw HTML is
  shown as text), ``{`` is written ``&#123;`` (still shown as ``{``, but attribute lists,
  enabled site-wide, cannot match it), link destinations with a scheme other than
  http(s)/mailto become ``#``;
* after Markdown, on the HTML (``generator.publish.sanitize``, an nh3 allow-list): the template wraps
  each analyst segment in marker comments that analyst text cannot produce.

A briefing is also refused, with a located error, when it is a symbolic link leading out of
content/, when its id is reserved (``index`` would replace the list of briefings), when a
relative link leads to no page of the site, and when it would make Python-Markdown recurse too
deep or work for minutes (nesting, very long lines, thousands of ``[``).
"""

from __future__ import annotations

import copy
import difflib
import posixpath
import re
from dataclasses import dataclass, replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
from pydantic_core import PydanticCustomError

from generator.core.corpus import Corpus
from generator.errors import Diagnostic, diag, did_you_mean
from generator.core.loader import display_path, inside
from generator.kinds import DIRECTIVES
from generator.core.model import ID_RE, _check_id
from generator.render.plan import plan_pages
from generator.publish.sanitize import markers, url_kind
from generator import urls
from generator.urls import EXTRA_FILES, EXTRA_FOLDERS, statement_anchor
from generator.core.yamlload import MAX_FILE_BYTES, parse_yaml

DIRECTIVE = re.compile(r"^:::\s*(\S+)\s+(\S+)\s*$")
KINDS = DIRECTIVES  # ::: card|statement|positions -> the kinds each accepts (generator.kinds)
_LINK_DEST = re.compile(r"(\]\(\s*)([^)\s]*)")
# a reference definition, also inside list items and block quotes, also with an empty label
_REF_DEF = re.compile(r"^((?:[ \t]*(?:>|[-*+]|\d+\.))*[ \t]*\[[^\]]*\]:\s*)(\S+)", re.M)
_WEB = frozenset({"http", "https", "mailto", "relative", "remote"})

#: Bounds on the analyst's Markdown: beyond them Python-Markdown recurses until RecursionError
#: (nested lists) or works for minutes (its link pattern is quadratic in the ``[`` of a paragraph).
MAX_DEPTH = 20            # levels of list / block-quote nesting (4 columns of indentation count as one)
MAX_LINE = 5_000          # characters on one line
MAX_BRACKETS_LINE = 300   # '[' on one line
MAX_BRACKETS_BLOCK = 1_000  # '[' in one paragraph (lines between blank lines)
_CONTAINER = re.compile(r"[ \t]*(?:>|(?:[-*+]|\d{1,9}\.)(?=[ \t]|$))")
#: Where the generator writes files other than pages (generator.outputs.extras): a link or image may
#: point into them (their names are not checked here: MkDocs checks them when it builds).
_EXTRA_FOLDERS = EXTRA_FOLDERS
_EXTRA_FILES = EXTRA_FILES


@dataclass(frozen=True)
class Segment:
    kind: str            # "text", "card", "statement" or "positions"
    value: str           # the Markdown text, or the embedded id

    @property
    def markers(self) -> tuple[str, str]:
        """A text segment's marker comments, for the HTML sanitizer (generator.publish.sanitize)."""
        return markers(self.value)


@dataclass(frozen=True)
class Briefing:
    id: str
    title: str
    lang: str
    date: date
    segments: tuple[Segment, ...]
    path: str


def sanitize(markdown_text: str) -> str:
    """The analyst's Markdown without raw HTML, attribute lists or non-web link schemes.

    ``&`` and ``<`` become ``&amp;`` and ``&lt;`` (raw HTML is shown as text), ``{`` becomes
    ``&#123;`` (shown as ``{``; the attribute lists enabled in mkdocs.yml cannot match it), and
    a link destination (inline or in a reference definition) whose scheme, once whitespace and
    control characters are taken out, is not http(s) or mailto becomes ``#``. The HTML
    sanitizer (generator.publish.sanitize) checks the result again after Markdown."""
    def safe(m: re.Match[str]) -> str:
        dest = m.group(2)
        return m.group(1) + (dest if url_kind(dest) in _WEB else "#")

    text = markdown_text.replace("&", "&amp;").replace("<", "&lt;").replace("{", "&#123;")
    return _REF_DEF.sub(safe, _LINK_DEST.sub(safe, text))


def _site_pages(corpus: Corpus, ids: list[str]) -> frozenset[str]:
    """The paths (under docs/) of every page the site will have, briefings included."""
    planned = copy.copy(corpus)
    planned.briefings = dict.fromkeys(ids)
    return frozenset(p.path for p in plan_pages(planned, langs=("en",)))


def load_briefings(folder: Path, corpus: Corpus) -> tuple[dict[str, Briefing], list[Diagnostic]]:
    briefings: dict[str, Briefing] = {}
    problems: list[Diagnostic] = []
    if not folder.is_dir():
        return briefings, problems
    real_root = folder.parent.resolve()  # content/
    if folder.is_symlink() and not inside(folder, real_root):
        return briefings, [diag(display_path(folder), (1, 1), "symlink-outside",
                                "this symbolic link points outside the content folder",
                                "copy the briefings into content/briefings/ instead of linking to them")]
    files: list[tuple[Path, str]] = []
    for path in sorted(folder.glob("*.md")):
        shown = display_path(path)
        if path.is_symlink() and path.exists() and not inside(path, real_root):
            problems.append(diag(shown, (1, 1), "symlink-outside", "this symbolic link points outside the content folder",
                                 "copy the file into content/briefings/ instead of linking to it"))
            continue
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            problems.append(diag(shown, (1, 1), "not-a-file", "a briefing must be a Markdown file under the size limit"))
            continue
        try:
            text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            problems.append(diag(shown, (1, 1), "encoding", "the briefing is not UTF-8 text", "save it as UTF-8"))
            continue
        files.append((path, text))
    pages = _site_pages(corpus, [p.stem for p, _ in files])
    for path, text in files:
        b, found = _parse(path.stem, text, display_path(path), corpus, pages)
        problems += found
        if b is not None:
            briefings[b.id] = b
    return briefings, problems


def _parse(ident: str, text: str, shown: str, corpus: Corpus,
           pages: frozenset[str] = frozenset()) -> tuple[Briefing | None, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    if not ID_RE.fullmatch(ident):
        problems.append(diag(shown, (1, 1), "id-format", f"the file name '{ident}' is not a lowercase ASCII slug",
                             "rename the file, e.g. 'moscow-visit-2025.md'"))
    else:
        try:  # the rules of every other id: reserved names ('index' would replace the list of briefings), length
            _check_id(ident)
        except PydanticCustomError as exc:
            problems.append(diag(shown, (1, 1), exc.type, f"briefing {exc.message()} (the file name)",
                                 f"rename the file, e.g. '{ident}-briefing.md'" if exc.type == "id-reserved"
                                 else "rename the file"))
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
    body = text[m.end():].split("\n")
    bounds = _bounds(body, body_start, shown)
    if bounds:  # Python-Markdown is not run on it (not even for the link check below)
        return None, problems + bounds
    segments: list[Segment] = []
    buffer: list[str] = []
    for n, line in enumerate(body, start=body_start):
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
        found_kind = corpus.kind_of(target)
        if found_kind not in KINDS[kind]:
            pool = [i for k in KINDS[kind] for i in getattr(corpus, k)]
            hint = (f"'{target}' is one of the {found_kind}, not what '::: {kind}' embeds" if found_kind
                    else did_you_mean(target, pool) or "check the id in content/")
            problems.append(diag(shown, (n, col), "briefing-unknown-id", f"'{target}' is not a known {'/'.join(KINDS[kind])} id",
                                 hint))
            continue
        segments.append(Segment("text", sanitize("\n".join(buffer))))
        buffer = []
        segments.append(Segment(kind, target))
    segments.append(Segment("text", sanitize("\n".join(buffer))))
    if pages:
        anchors = {statement_anchor(s.value) for s in segments if s.kind == "statement"}
        problems += _check_links([s.value for s in segments if s.kind == "text"], anchors, body, body_start, shown,
                                 pages, ident)
    if any(p.severity.value == "error" for p in problems):
        return None, problems
    assert isinstance(title, str) and isinstance(lang, str) and isinstance(when, date)  # else an error above
    return Briefing(ident, title.strip(), lang, when, tuple(s for s in segments if s.kind != "text" or s.value.strip()),
                    shown), problems


def _bounds(body: list[str], first: int, shown: str) -> list[Diagnostic]:
    """Located errors for the input that would make Python-Markdown recurse too deep or work
    for minutes: nesting deeper than MAX_DEPTH, lines longer than MAX_LINE, too many ``[``."""
    problems: list[Diagnostic] = []
    block_brackets, block_line, too_deep = 0, first, False
    for n, line in enumerate(body, start=first):
        if len(line) > MAX_LINE:
            problems.append(diag(shown, (n, MAX_LINE + 1), "briefing-line-too-long",
                                 f"this line is {len(line):,} characters long; the limit is {MAX_LINE:,}",
                                 "break the paragraph into lines (a single line break does not end a paragraph)"))
            continue  # its depth and brackets are not worth counting as well
        if not line.strip():
            block_brackets, block_line = 0, n + 1
        brackets = line.count("[")
        if brackets > MAX_BRACKETS_LINE:
            col = [i for i, ch in enumerate(line) if ch == "["][MAX_BRACKETS_LINE] + 1
            problems.append(diag(shown, (n, col), "briefing-brackets",
                                 f"this line holds {brackets:,} '['; the limit is {MAX_BRACKETS_LINE} per line",
                                 "write fewer links on one line, or write a literal bracket as \\["))
        elif block_brackets <= MAX_BRACKETS_BLOCK < block_brackets + brackets:
            problems.append(diag(shown, (n, 1), "briefing-brackets",
                                 f"the paragraph that starts on line {block_line} holds more than "
                                 f"{MAX_BRACKETS_BLOCK:,} '['", "split it into paragraphs (an empty line between them)"))
        block_brackets += brackets
        depth, col = _depth(line)
        if depth > MAX_DEPTH and not too_deep:  # the first line of each run of them
            problems.append(diag(shown, (n, col), "briefing-nesting",
                                 f"lists or block quotes nested {depth} levels deep here; the limit is {MAX_DEPTH}",
                                 "flatten the list (four spaces of indentation make one more level)"))
        too_deep = depth > MAX_DEPTH
    return problems


def _depth(line: str) -> tuple[int, int]:
    """How deep a line nests lists and block quotes, as Python-Markdown reads it (every four
    columns of indentation, every '>' and list marker at its start), and the column where the
    level past MAX_DEPTH starts."""
    expanded = line.expandtabs(4)
    indent = len(expanded) - len(expanded.lstrip(" "))
    depth, pos, col = indent // 4, indent, indent + 1
    if depth > MAX_DEPTH:
        col = MAX_DEPTH * 4 + 1
    while True:
        m = _CONTAINER.match(expanded, pos)
        if not m:
            break
        depth += 1
        if depth == MAX_DEPTH + 1:
            col = m.end()
        pos = m.end()
    return depth, col


class _Links(HTMLParser):
    """The links, images and ids of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        want = {"a": "href", "img": "src"}.get(tag)
        for name, value in attrs:
            if name == want and value is not None:
                self.found.append(value)
            elif name == "id" and value:
                self.ids.add(value)


def _check_links(texts: list[str], anchors: set[str], body: list[str], first: int, shown: str,
                 pages: frozenset[str], ident: str) -> list[Diagnostic]:
    """Every relative link (and image) of the analyst's Markdown, as Python-Markdown reads it,
    must lead to a page of the site, and a link within the page to one of its ids (``anchors``:
    those of the embedded fact sheets; the headings' are worked out here, as the page's table of
    contents makes them); MkDocs would otherwise stop the build with an unlocated message. Each
    broken link is reported where its destination is written."""
    here = urls.briefing_md(ident)
    # the page's title comes first (its id is 'briefing'), then the analyst's text
    md = markdown.Markdown(extensions=["tables", "attr_list", "toc"])
    html = md.convert("# title { #briefing }\n\n" + "\n\n".join(texts))
    parser = _Links()
    parser.feed(html)
    anchors = anchors | parser.ids
    problems: list[Diagnostic] = []
    for url in dict.fromkeys(parser.found):
        problem = _link_problem(url, here, pages, anchors)
        if problem is None:
            continue
        message, hint = problem
        spots = ([(n, col) for n, line in enumerate(body, start=first) if (col := _column(line, url))]
                 or [(n, line.index(url) + 1) for n, line in enumerate(body, start=first) if url in line][:1]
                 or [(first, 1)])
        problems += [diag(shown, spot, "briefing-link", message, hint) for spot in spots]
    return problems


def _column(line: str, url: str) -> int | None:
    """Where ``url`` (as Python-Markdown read it: tabs expanded) is written on ``line`` as a
    link destination (after ``(`` or ``]:``), 1-based; None if it is not."""
    expanded = line.expandtabs(4)
    m = re.search(r"(?:\(|\]:)[ ]*(" + re.escape(url) + r")(?=[\s)]|$)", expanded)
    if m is None:
        return None
    at, width = m.start(1), 0
    for i, ch in enumerate(line):  # the column in the line as written (a tab is one character)
        if width >= at:
            return i + 1
        width = (width // 4 + 1) * 4 if ch == "\t" else width + 1
    return None


def _link_problem(url: str, here: str, pages: frozenset[str], anchors: set[str]) -> tuple[str, str] | None:
    """Why MkDocs would refuse this link from page ``here`` (a message and a hint), or None.
    (Anchors into other pages are not checked here.)"""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None  # a web address (its scheme is the HTML sanitizer's business)
    if not parts.path:
        if not parts.fragment or unquote(parts.fragment) in anchors:
            return None
        return (f"the link '{url}' leads to no place on this page",
                did_you_mean(unquote(parts.fragment), sorted(anchors))
                or "link a heading of the briefing by its id, or remove the '#'")
    folder = posixpath.dirname(here)
    kind = url_kind(url)
    if kind not in ("relative", "remote"):  # a scheme hidden by whitespace or control characters
        return (f"the link '{url}' is a '{kind}:' address written with spaces or control characters",
                "write web addresses without spaces (only http, https and mailto links are kept)")
    if url.startswith(("/", "\\")):
        target = posixpath.normpath(parts.path.lstrip("/\\")) or "index.md"
        return (f"'{url}' is an absolute link: it breaks when the site is served under a subpath",
                _closest(target, folder, pages, "write it relative to this page"))
    target = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
    if target in pages:
        return None
    if target.startswith(_EXTRA_FOLDERS) or target in _EXTRA_FILES:
        return None
    ext = posixpath.splitext(target)[1]
    if ext and ext not in (".md", ".html", ".htm"):
        return (f"the link '{url}' leads to '{target}', a file the site does not have",
                "a briefing cannot bring its own files: link a page of the site, or an http(s) address")
    return (f"the link '{url}' leads to no page of the site",
            _closest(target, folder, pages, "link a fact sheet by its Markdown file, e.g. '../meetings/ID.md'"))


def _closest(target: str, folder: str, pages: frozenset[str], fallback: str) -> str:
    """A hint naming the page the link most likely meant, written relative to ``folder``."""
    stem = target[:-5] if target.endswith(".html") else target[:-4] if target.endswith(".htm") else target
    stem = stem[:-3] if stem.endswith(".md") else stem.rstrip("/")
    for guess in (stem + ".md", posixpath.join(stem, "index.md")):
        if guess in pages:
            return f"did you mean '{posixpath.relpath(guess, folder)}'?"
    close = difflib.get_close_matches(stem + ".md", sorted(pages), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{posixpath.relpath(close[0], folder)}'?"
    return fallback
