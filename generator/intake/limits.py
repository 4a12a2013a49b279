"""Bounds on what `factsheets new` accepts, checked before anything is written.

A hostile or broken article (a 2 MB line, 10,001 paragraphs, HTML nested thousands of levels
deep, thousands of quote marks) gets located diagnostics — ``ARTICLE:line:col:
error[code]: message`` with a hint, every problem at once — instead of a traceback, an
invalid draft or a run that never ends.  Each bound keeps every later step linear.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import ContentError, Diagnostic, diag
from generator.core.model import MAX_LIST

#: Longest paragraph (or line of a plain-text article) accepted, in characters.  Wire copy
#: paragraphs are a few hundred characters; 20,000 is several pages.
MAX_PARAGRAPH_CHARS = 20_000
#: A source holds at most this many paragraphs (the loader's list limit, generator.core.model).
MAX_PARAGRAPHS = MAX_LIST
#: HTML deeper than this is refused: lxml (libxml2) silently drops what lies below 255 levels.
MAX_HTML_DEPTH = 200
#: At most this many quoted spans become statement stubs; the rest are listed in a note.
MAX_QUOTES = 300
#: A quoted span found more often than this in the article is not stubbed (a stray mark
#: pairing up single letters), which keeps the uniqueness search linear.
MAX_QUOTE_REPEATS = 20


def _loc(raw: str, offset: int) -> tuple[int, int]:
    line = raw.count("\n", 0, offset) + 1
    return line, offset - (raw.rfind("\n", 0, offset) + 1) + 1


def _line_hits(raw: str) -> list[tuple[int, str]]:
    """Non-empty lines of a plain-text article with their 1-based line numbers (as split_lines)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return [(n, line.strip()) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]


def check_text_lines(article: Path, raw: str) -> list[Diagnostic]:
    """Plain text: every line longer than :data:`MAX_PARAGRAPH_CHARS`."""
    out = []
    for n, line in _line_hits(raw):
        if len(line) > MAX_PARAGRAPH_CHARS:
            out.append(diag(str(article), (n, 1), "article-line-too-long",
                            f"line {n} holds {len(line):,} characters; a paragraph may hold at most "
                            f"{MAX_PARAGRAPH_CHARS:,}",
                            "split it into paragraphs (one per line), or check that the file is the article's text"))
    return out


def check_paragraphs(article: Path, raw: str, blocks: list[tuple[str, bool]], is_html: bool) -> list[Diagnostic]:
    """Too many paragraphs, or (HTML) a paragraph longer than the bound; located in the file."""
    out = []
    if is_html:
        for text, _ in blocks:
            if len(text) > MAX_PARAGRAPH_CHARS:
                at = raw.find(text[:40])
                out.append(diag(str(article), _loc(raw, at) if at >= 0 else (1, 1), "article-line-too-long",
                                f"a paragraph of {len(text):,} characters (starting «{text[:40]}…»); a paragraph may "
                                f"hold at most {MAX_PARAGRAPH_CHARS:,}",
                                "save the article as plain text, one paragraph per line, and run `factsheets new` "
                                "on that"))
    if len(blocks) > MAX_PARAGRAPHS:
        first_extra = blocks[MAX_PARAGRAPHS][0]
        if is_html:
            at = raw.find(first_extra[:40])
            pos = _loc(raw, at) if at >= 0 else (1, 1)
        else:
            # the first line holding the 10,001st paragraph, counted from the start
            count, pos = 0, (1, 1)
            wanted = {t for t, _ in blocks}
            for n, line in _line_hits(raw):
                if line in wanted:
                    count += 1
                    if count == MAX_PARAGRAPHS + 1:
                        pos = (n, 1)
                        break
        out.append(diag(str(article), pos, "article-too-many-paragraphs",
                        f"the article has {len(blocks):,} paragraphs and subheadings; a source holds at most "
                        f"{MAX_PARAGRAPHS:,} (this is paragraph {MAX_PARAGRAPHS + 1:,})",
                        "split the article into several source files (e.g. one per part), or check that the file "
                        "is one article; nothing was written"))
    return out


def html_depth(doc) -> tuple[int, int]:
    """The deepest nesting of an lxml tree and the source line of the first element that deep."""
    best, line = 0, 1
    stack = [(doc, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > best:
            best, line = depth, getattr(el, "sourceline", None) or line
        stack.extend((child, depth + 1) for child in el)
    return best, line


def check_html_depth(article: Path, raw: str, doc) -> list[Diagnostic]:
    depth, line = html_depth(doc)
    if depth < MAX_HTML_DEPTH:
        return []
    # lxml stops at 255 levels and reports the deepest element it kept; point at its line
    return [diag(str(article), (line, 1), "article-nesting",
                 f"the HTML nests elements {depth}{'+' if depth >= 255 else ''} levels deep; more than "
                 f"{MAX_HTML_DEPTH} cannot be read reliably (text below that depth would be lost)",
                 "save the article as plain text, one paragraph per line, and run `factsheets new` on that")]


def refuse(diagnostics: list[Diagnostic]) -> None:
    """Raise every diagnostic at once (the CLI prints them, exit 1); nothing has been written."""
    if diagnostics:
        raise ContentError(diagnostics)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def safe_name(name: str) -> str:
    """A file name fit for a YAML comment or a one-line message: control characters, line
    breaks and bidi controls shown as ``\\uXXXX``."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", name)
