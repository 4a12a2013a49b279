"""The document tree of briefing snippets and its renderings (Markdown, HTML, plain text).

Split out of :mod:`generator.outputs.brief` so the Word writer (:mod:`generator.outputs.docx_brief`) and the
briefing export can use the tree without importing the snippet builder (which itself writes
Word files): no import cycle.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Union
from urllib.parse import quote

from generator.i18n import direction

# Unicode bidi controls used by the text format (UAX #9 isolates).
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")

def script_dir(text: str) -> str | None:
    """'rtl' for text with Arabic letters, 'ltr' for text with Latin letters only, else None."""
    if _ARABIC.search(text):
        return "rtl"
    if _LATIN.search(text):
        return "ltr"
    return None


def lang_dir(lang: str) -> str:
    return direction(lang)


# --- the document tree --------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """A piece of inline text with its formatting; ``href`` makes it a link."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    quote: bool = False      # put between the language's quotation marks
    href: str | None = None


def Text(text: str) -> Run:  # noqa: N802 - read like node names
    return Run(text)


def Strong(text: str) -> Run:  # noqa: N802
    return Run(text, bold=True)


def Quote(text: str) -> Run:  # noqa: N802
    return Run(text, quote=True)


def Link(text: str, href: str) -> Run:  # noqa: N802
    return Run(text, href=href)


Line = list[Run]


@dataclass
class Item:
    line: Line
    children: list[Item] = field(default_factory=list)


@dataclass
class Para:
    line: Line
    quote: bool = False       # a block quotation


@dataclass
class Heading:
    level: int
    line: Line


@dataclass
class Bullets:
    items: list[Item]
    ordered: bool = False


@dataclass
class Table:
    rows: list[list[Line]]    # the first row is the header


Node = Union[Para, Heading, Bullets, Table]


@dataclass
class Section:
    """A run of blocks in one language (one snippet, or a whole briefing)."""

    lang: str
    blocks: list[Node]
    quotes: tuple[str, str] = ("“", "”")


# --- rendering: Markdown, HTML, plain text -----------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")


def _plain(text: str) -> str:
    """Whitespace (newlines included) collapsed to single spaces, edges kept."""
    return re.sub(r"\s+", " ", text)


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _plain(text))


def safe_url(href: str) -> str:
    """A URL made safe to place in any of the formats (spaces and brackets percent-encoded)."""
    return quote(href, safe=":/?#[]@!$&'*+,;=%~.-_")


def _edges(text: str) -> tuple[str, str, str]:
    """Leading spaces, the text, trailing spaces (emphasis markers must touch the text)."""
    core = text.strip(" ")
    if not core:
        return text, "", ""
    lead = text[: len(text) - len(text.lstrip(" "))]
    return lead, core, text[len(lead) + len(core):]


def _md_run(r: Run, sec: Section) -> str:
    if r.code:
        ticks = "``" if "`" in r.text else "`"
        body = f"{ticks}{_plain(r.text)}{ticks}"
        lead = tail = ""
    else:
        lead, core, tail = _edges(_plain(r.text))
        body = _md(core)
    if r.quote:
        body = f"{sec.quotes[0]}{body}{sec.quotes[1]}"
    if r.href and body:
        body = f"[{body}](<{safe_url(r.href).replace('<', '%3C').replace('>', '%3E')}>)"
    if r.italic and body:
        body = f"*{body}*"
    if r.bold and body:
        body = f"**{body}**"
    return lead + body + tail


def _html_run(r: Run, sec: Section) -> str:
    e = lambda v: html.escape(v, quote=True)  # noqa: E731
    body = e(r.text if r.code and "\n" in r.text else _plain(r.text))
    d = script_dir(r.text)
    if d and d != lang_dir(sec.lang):
        body = f'<span dir="{d}" lang="{"ar" if d == "rtl" else "en"}">{body}</span>'
    if r.code:
        body = f"<code>{body}</code>"
    if r.quote:
        body = f"{e(sec.quotes[0])}{body}{e(sec.quotes[1])}"
    if r.italic:
        body = f"<em>{body}</em>"
    if r.bold:
        body = f"<strong>{body}</strong>"
    if r.href:
        body = f'<a href="{e(safe_url(r.href))}">{body}</a>'
    return body


def _text_run(r: Run, sec: Section) -> str:
    body = _plain(r.text)
    d = script_dir(body)
    if d and d != lang_dir(sec.lang):
        body = f"{FSI}{body}{PDI}"  # text of the other direction keeps its own order
    if r.quote:
        body = f"{sec.quotes[0]}{body}{sec.quotes[1]}"
    if r.href:
        url = f"<{safe_url(r.href)}>"
        body = f"{body} {LRI}{url}{PDI}" if sec.lang == "ar" else f"{body} {url}"
    return body


def _line(line: Line, sec: Section, fmt: str) -> str:
    one = {"md": _md_run, "html": _html_run, "text": _text_run}[fmt]
    return "".join(one(r, sec) for r in line)


def _md_table(t: Table, sec: Section) -> list[str]:
    cells = [[_line(c, sec, "md").replace("|", "\\|") for c in row] for row in t.rows]
    width = max(len(r) for r in cells)
    cells = [r + [""] * (width - len(r)) for r in cells]
    out = ["| " + " | ".join(cells[0]) + " |", "|" + " --- |" * width]
    out += ["| " + " | ".join(r) + " |" for r in cells[1:]]
    return out


def _items(items: list[Item], sec: Section, fmt: str, depth: int, ordered: bool) -> list[str]:
    out: list[str] = []
    for n, it in enumerate(items, start=1):
        mark = f"{n}." if ordered else "-"
        out.append(f"{'    ' * depth}{mark} {_line(it.line, sec, fmt)}")
        out += _items(it.children, sec, fmt, depth + 1, False)
    return out


def render_section_lines(sec: Section, fmt: str) -> str:
    """Markdown (blocks separated by blank lines) or plain text (compact, Arabic lines isolated)."""
    chunks: list[list[str]] = []
    for b in sec.blocks:
        if isinstance(b, Heading):
            chunks.append([("#" * b.level + " " if fmt == "md" else "") + _line(b.line, sec, fmt)])
        elif isinstance(b, Para):
            text = _line(b.line, sec, fmt)
            chunks.append([("> " if fmt == "md" else "    ") + text if b.quote else text])
        elif isinstance(b, Bullets):
            chunks.append(_items(b.items, sec, fmt, 0, b.ordered))
        else:
            chunks.append(_md_table(b, sec) if fmt == "md"
                          else [" | ".join(_line(c, sec, fmt) for c in row) for row in b.rows])
    if fmt == "text":
        lines = [ln for chunk in chunks for ln in chunk]
        if sec.lang == "ar":  # each line one right-to-left isolate: it keeps its order in a left-to-right editor
            lines = [f"{RLI}{ln}{PDI}" for ln in lines]
        return "\n".join(lines)
    return "\n\n".join("\n".join(chunk) for chunk in chunks)


def _html_items(items: list[Item], sec: Section, depth: int, ordered: bool) -> list[str]:
    pad, d = "  " * depth, lang_dir(sec.lang)
    tag = "ol" if ordered else "ul"
    out = [f'{pad}<{tag} dir="{d}">']
    for it in items:
        head = f'{pad}  <li dir="{d}">{_line(it.line, sec, "html")}'
        if it.children:
            out.append(head)
            out += _html_items(it.children, sec, depth + 2, False)
            out.append(f"{pad}  </li>")
        else:
            out.append(head + "</li>")
    out.append(f"{pad}</{tag}>")
    return out


def render_section_html(sec: Section, depth: int = 0) -> str:
    """An indented, well-formed HTML fragment: one <div> with ``lang`` and ``dir``, ``dir`` on every block."""
    pad, d = "  " * depth, lang_dir(sec.lang)
    out = [f'{pad}<div lang="{sec.lang}" dir="{d}">']
    for b in sec.blocks:
        if isinstance(b, Heading):
            level = min(max(b.level, 1), 6)
            out.append(f'{pad}  <h{level} dir="{d}">{_line(b.line, sec, "html")}</h{level}>')
        elif isinstance(b, Para):
            tag = "blockquote" if b.quote else "p"
            out.append(f'{pad}  <{tag} dir="{d}">{_line(b.line, sec, "html")}</{tag}>')
        elif isinstance(b, Bullets):
            out += _html_items(b.items, sec, depth + 1, b.ordered)
        else:
            out.append(f'{pad}  <table dir="{d}">')
            for i, row in enumerate(b.rows):
                cell = "th" if i == 0 else "td"
                out.append(f"{pad}    <tr>" + "".join(f"<{cell}>{_line(c, sec, 'html')}</{cell}>" for c in row)
                           + "</tr>")
            out.append(f"{pad}  </table>")
    out.append(f"{pad}</div>")
    return "\n".join(out)


def render_sections(sections: Sequence[Section], fmt: str) -> str:
    if fmt == "html":
        return "\n".join(render_section_html(s) for s in sections) + "\n"
    return "\n\n".join(render_section_lines(s, fmt) for s in sections) + "\n"
