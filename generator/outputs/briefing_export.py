"""`factsheets briefing ID`: a whole briefing page (content/briefings/ID.md) as Word, HTML or Markdown.

The briefing is read as the check reads it (:mod:`generator.outputs.briefings`): its title, language,
date and segments. The analyst's Markdown is turned into HTML by Python-Markdown and read back
into the document tree of :mod:`generator.outputs.brief` through an allow-list (headings, paragraphs,
lists, block quotes, tables, bold, italic, code, links): anything else keeps only its text, a
link keeps its address only when it is http(s), mailto or relative, and a relative link is
resolved against the briefing's own page, so it still leads somewhere once the text leaves
the site. Each embedded fact sheet (``::: card``, ``::: statement``, ``::: positions``) becomes
the same snippet as ``factsheets brief`` gives, in the briefing's language.
"""

from __future__ import annotations

import difflib
import html
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.outputs.brief import (Briefer, Bullets, Heading, Item, Line, Link, Node, Para, Run, Section, Table, Text,
                             check_output, lang_dir, render_section_html, render_section_lines, site_url_for,
                             write_output)
from generator.core.corpus import Corpus
from generator.errors import UsageError
from generator.urls import absolute, briefing_site_path, lang_prefix

FORMATS = ("docx", "html", "md")


def briefing_path(briefing) -> str:
    """The briefing's page, relative to the site root (in its own language)."""
    return briefing_site_path(briefing.id, briefing.lang)


class _Linker:
    """Link addresses from the analyst's Markdown, made absolute (or relative to the site root).

    A relative link is written as MkDocs reads it: relative to the briefing's Markdown file
    (``briefings/<id>.md``), usually to another Markdown file (``../meetings/ID.md``), which
    becomes that page's directory URL in the briefing's language."""

    def __init__(self, site_url: str, page: str, lang: str):
        self.site_url = site_url
        self.page = page
        self.prefix = lang_prefix(lang)

    def __call__(self, href: str | None) -> str | None:
        href = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(href or ""))
        if not href or href == "#":
            return None
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return href if parts.scheme.lower() in ("http", "https", "mailto") else None
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if not parts.path:
            return absolute(self.site_url, self.page) + fragment
        if parts.path.startswith("/"):
            return None  # MkDocs refuses these; so does the check
        target = posixpath.normpath(posixpath.join("briefings", unquote(parts.path)))
        if target.startswith(".."):
            return None
        if target.endswith(".md"):
            target = target[:-3]
            target = target[: -len("index")] if target == "index" or target.endswith("/index") else target + "/"
        elif parts.path.endswith("/") and not target.endswith("/"):
            target += "/"
        return absolute(self.site_url, self.prefix + (target if target != "./" else "")) + fragment


class _ToTree(HTMLParser):
    """Python-Markdown's HTML, read back into blocks through an allow-list."""

    def __init__(self, linker: _Linker):
        super().__init__(convert_charrefs=True)
        self.linker = linker
        self.blocks: list[Node] = []
        self.line: Line | None = None          # the paragraph or heading being read
        self.kind: tuple = ("p", False)
        self.lists: list[list] = []            # [items, current item] per open list
        self.table: Table | None = None
        self.row: list[Line] | None = None
        self.cell: Line | None = None
        self.hrefs: list[str | None] = []
        self.bold = self.italic = self.code = self.quote = self.pre = 0

    # where text goes
    def _target(self) -> Line:
        if self.cell is not None:
            return self.cell
        if self.line is not None:
            return self.line
        if self.lists and self.lists[-1][1] is not None:
            return self.lists[-1][1].line
        self.line, self.kind = [], ("p", self.quote > 0)
        return self.line

    def _end_line(self) -> None:
        line, self.line = self.line, None
        if line is None:
            return
        while line and not line[-1].text.strip():
            line.pop()
        if not any(r.text.strip() for r in line):
            return
        if self.kind[0] == "h":
            self.blocks.append(Heading(self.kind[1], line))
        else:
            self.blocks.append(Para(line, quote=self.kind[1]))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self._end_line()
            self.line, self.kind = [], ("h", int(tag[1]))
        elif tag in ("p", "pre"):
            if self.lists and self.lists[-1][1] is not None and self.cell is None:
                item_line = self.lists[-1][1].line
                if item_line and item_line[-1].text.strip():
                    item_line.append(Text(" "))
            elif self.cell is None:
                self._end_line()
                self.line, self.kind = [], ("p", self.quote > 0)
            if tag == "pre":
                self.pre += 1
                self.code += 1
        elif tag in ("ul", "ol"):
            if self.lists and self.lists[-1][1] is not None:
                self.lists.append([self.lists[-1][1].children, None])
            else:
                self._end_line()
                bullets = Bullets([], ordered=tag == "ol")
                self.blocks.append(bullets)
                self.lists.append([bullets.items, None])
        elif tag == "li" and self.lists:
            item = Item([])
            self.lists[-1][0].append(item)
            self.lists[-1][1] = item
        elif tag == "blockquote":
            self._end_line()
            self.quote += 1
        elif tag == "a":
            self.hrefs.append(self.linker(a.get("href")))
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag == "br":
            self._target().append(Text(" "))
        elif tag == "img" and a.get("alt"):
            self._add(a["alt"] or "")
        elif tag == "table":
            self._end_line()
            self.table = Table([])
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("th", "td") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag) or tag in ("p", "pre"):
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
                self.code = max(0, self.code - 1)
            if not (self.lists and self.lists[-1][1] is not None) and self.cell is None:
                self._end_line()
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "li" and self.lists:
            item = self.lists[-1][1]
            if item is not None:
                while item.line and not item.line[-1].text.strip():
                    item.line.pop()
            self.lists[-1][1] = None
        elif tag == "blockquote":
            self._end_line()
            self.quote = max(0, self.quote - 1)
        elif tag == "a" and self.hrefs:
            self.hrefs.pop()
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag == "code":
            self.code = max(0, self.code - 1)
        elif tag in ("th", "td") and self.row is not None and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.table is not None and self.row is not None:
            if self.row:
                self.table.rows.append(self.row)
            self.row = None
        elif tag == "table" and self.table is not None:
            if self.table.rows:
                self.blocks.append(self.table)
            self.table = None

    def _add(self, data: str) -> None:
        target = self._target()
        if not data.strip() and not (target and target[-1].text.strip()):
            return  # whitespace between blocks, or at the start of a line
        href = next((h for h in reversed(self.hrefs) if h), None) if self.hrefs else None
        target.append(Run(data, bold=self.bold > 0, italic=self.italic > 0, code=self.code > 0, href=href))

    def handle_data(self, data: str) -> None:
        if self.table is not None and self.cell is None:
            return  # whitespace between table cells
        if not self.line and self.cell is None and not (self.lists and self.lists[-1][1] is not None) \
                and not data.strip():
            return
        self._add(data)

    def close(self) -> None:
        super().close()
        self._end_line()


def markdown_blocks(text: str, linker: _Linker) -> list[Node]:
    import markdown

    body = markdown.markdown(text, extensions=["tables", "sane_lists", "fenced_code"])
    parser = _ToTree(linker)
    parser.feed(body)
    parser.close()
    return parser.blocks


def briefing_section(corpus: Corpus, briefing, site_url: str) -> Section:
    """The whole briefing as one section in its language: title, date and link, text and embeds."""
    b = Briefer(corpus, briefing.lang, site_url)
    page = briefing_path(briefing)
    linker = _Linker(site_url, page, briefing.lang)
    blocks: list[Node] = [Heading(1, [Text(briefing.title)]),
                          Para([Text(b.fmt_date(briefing.date, briefing.lang) + b.t["brief_dash"]),
                                Link(b.t["brief_online"], b.url(page))])]
    for seg in briefing.segments:
        if seg.kind == "text":
            blocks += markdown_blocks(seg.value, linker)
        elif seg.kind == "statement":
            blocks += b.statement(seg.value).blocks
        elif seg.kind == "positions":
            blocks += b.positions(seg.value).blocks
        else:
            blocks += b.block(seg.value).blocks
    return b.section(blocks)


def render_briefing(corpus: Corpus, briefing, fmt: str, site_url: str) -> bytes:
    sec = briefing_section(corpus, briefing, site_url)
    if fmt == "docx":
        from generator.outputs.docx_brief import sections_to_docx

        return sections_to_docx([sec], lang=briefing.lang, title=briefing.title)
    if fmt == "md":
        return (render_section_lines(sec, "md") + "\n").encode("utf-8")
    e = html.escape
    page = [
        "<!DOCTYPE html>",
        f'<html lang="{briefing.lang}" dir="{lang_dir(briefing.lang)}">',
        "<head>",
        '<meta charset="utf-8" />',
        f"<title>{e(briefing.title)}</title>",
        "</head>",
        "<body>",
        render_section_html(sec, depth=1),
        "</body>",
        "</html>",
    ]
    return ("\n".join(page) + "\n").encode("utf-8")


def find_briefing(corpus: Corpus, ident: str):
    if ident in corpus.briefings:
        return corpus.briefings[ident]
    ids = sorted(corpus.briefings)
    if not ids:
        raise UsageError(f"unknown briefing '{ident}': the content has no briefings (content/briefings/*.md)")
    close = difflib.get_close_matches(ident, ids, n=1, cutoff=0.0)
    return_hint = f"; did you mean '{close[0]}'?" if close else ""
    raise UsageError(f"unknown briefing '{ident}'{return_hint}")


def briefing_command(ident: str, *, fmt: str, content: Path, site_url: str | None, relative: bool = False,
                     output: Path | None = None, force: bool = False) -> str:
    """The briefing's text to print ('' when it was written to ``output``)."""
    from generator.core.validate import load_and_check

    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}' (choose {', '.join(FORMATS)})")
    if fmt == "docx" and output is None:
        raise UsageError("--format docx writes a Word file: give -o FILE.docx")
    url = site_url_for(site_url, relative)
    check_output(output, force)
    corpus = load_and_check(content).corpus
    data = render_briefing(corpus, find_briefing(corpus, ident), fmt, url)
    if output is None:
        return data.decode("utf-8")
    write_output(output, data, force)
    return ""
