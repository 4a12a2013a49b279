"""SVG primitives: escaping, deterministic numbers, text measuring and wrapping, the root element.

Everything that goes into a figure passes through :func:`text` or :func:`attr`, so names
holding ``<``, ``&`` or quotes stay text. Numbers are formatted with a fixed precision so
the same data always gives byte-identical files. Nothing refers to another host: a figure file
names the site's own font files (``FONT_FACES``), an inline figure uses the page's; no images.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

SVG_NS = "http://www.w3.org/2000/svg"  # a namespace name, never fetched

#: The site's self-hosted family first (overrides/assets/fonts/), then faces the reader's system
#: may have; the same stack as the site's CSS.
FONT_STACK = ('"IBM Plex Sans Arabic", "Noto Sans Arabic", "Noto Naskh Arabic", "Segoe UI", Tahoma, '
              '"DejaVu Sans", sans-serif')
#: A figure file (``<lang root>/figures/x.svg``, shown with ``<object>``) is a document of its own,
#: which does not see the page's @font-face rules: it declares the site's font files itself, by a
#: URL relative to the figures folder (same host, nothing fetched from elsewhere).
FONT_DIR = "../assets/fonts/"
_RANGES = {"arabic": "U+0600-06FF,U+0750-077F,U+0870-088E,U+0890-0891,U+0897-08E1,U+08E3-08FF,U+200C-200E,"
                     "U+2010-2011,U+204F,U+2E41,U+FB50-FDFF,U+FE70-FE74,U+FE76-FEFC",
           "latin": "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,"
                    "U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD"}
FONT_FACES = "".join(
    f'@font-face{{font-family:"IBM Plex Sans Arabic";font-weight:{w};'
    f'src:url("{FONT_DIR}ibm-plex-sans-arabic-{script}-{w}-normal.woff2") format("woff2");unicode-range:{r}}}'
    for w in (400, 700) for script, r in _RANGES.items())

INK = "#1f2328"
MUTED = "#57606a"
RULE = "#d0d7de"
PAPER = "#ffffff"

# Characters XML 1.0 does not allow at all (C0 controls except tab/newline/CR, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Bidi embedding/override/isolate controls: dropped so a name cannot reorder the rest of a label.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean(value: object) -> str:
    """One line of plain text: NFC, no control or bidi-override characters, spaces collapsed."""
    return _clean(str(value))


@lru_cache(maxsize=65536)
def _clean(value: str) -> str:  # names and labels recur in many figures
    out = unicodedata.normalize("NFC", value)
    out = _BIDI_CONTROLS.sub("", _NOT_XML.sub("", out))
    return " ".join(out.split())


def text(value: object) -> str:
    """Escaped character data."""
    return clean(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(value: object) -> str:
    """Escaped attribute value (for double- or single-quoted attributes)."""
    return text(value).replace('"', "&quot;").replace("'", "&#39;")


@lru_cache(maxsize=65536)
def num(value: float) -> str:
    """A coordinate with at most one decimal, no ``-0``, no trailing zeros: deterministic text."""
    out = f"{round(value, 1):.1f}".rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


def text_width(value: str, size: float, bold: bool = False) -> float:
    """A generous estimate of the rendered width (no font metrics at build time)."""
    return _ems(value) * size * (1.08 if bold else 1.0)


@lru_cache(maxsize=65536)
def _ems(value: str) -> float:
    total = 0.0
    for ch in value:
        if ch == " ":
            total += 0.32
        elif "\u0600" <= ch <= "\u06ff":
            total += 0.0 if unicodedata.category(ch) == "Mn" else 0.52
        elif ch.isupper() or ch in "mwMW@%":
            total += 0.72
        elif ch in "il.,:;'|!()[]":
            total += 0.3
        else:
            total += 0.58
    return total


def wrap(value: str, width: float, size: float, max_lines: int = 3, bold: bool = False) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines; an overflowing last line ends with '…'."""
    words = clean(value).split(" ")
    lines: list[str] = []
    cur = ""
    for word in words:
        cand = f"{cur} {word}" if cur else word
        if cur and text_width(cand, size, bold) > width:
            lines.append(cur)
            cur = word
        else:
            cur = cand
    if cur:
        lines.append(cur)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1] + " …"
    out = []
    for line in lines:
        while text_width(line, size, bold) > width and len(line) > 2:
            line = line[:-2].rstrip() + "…"
        out.append(line)
    return out or [""]


class Canvas:
    """Collects SVG elements laid out in *logical* coordinates (reading order left to right)
    and mirrors them horizontally when the figure is right-to-left."""

    def __init__(self, width: float, rtl: bool):
        self.width = width
        self.rtl = rtl
        self.parts: list[str] = []

    # --- coordinates -----------------------------------------------------------------------
    def x(self, x: float) -> float:
        return self.width - x if self.rtl else x

    def box_x(self, x: float, w: float) -> float:
        """Left edge, on the page, of a box starting at logical ``x`` and ``w`` wide."""
        return self.width - x - w if self.rtl else x

    # --- output ----------------------------------------------------------------------------
    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def rect(self, x: float, y: float, w: float, h: float, *, fill: str, stroke: str | None = None,
             rx: float = 0, extra: str = "") -> str:
        s = f' stroke="{stroke}"' if stroke else ""
        r = f' rx="{num(rx)}"' if rx else ""
        return (f'<rect x="{num(self.box_x(x, w))}" y="{num(y)}" width="{num(w)}" height="{num(h)}"{r} '
                f'fill="{fill}"{s}{extra}/>')

    def line(self, x1: float, y1: float, x2: float, y2: float, *, stroke: str = RULE, width: float = 1,
             extra: str = "") -> str:
        return (f'<line x1="{num(self.x(x1))}" y1="{num(y1)}" x2="{num(self.x(x2))}" y2="{num(y2)}" '
                f'stroke="{stroke}" stroke-width="{num(width)}"{extra}/>')

    def label(self, x: float, y: float, value: str, *, align: str = "start", size: float = 13,
              weight: str | None = None, fill: str = INK, extra: str = "", halo: bool = False) -> str:
        """Text placed at logical ``x``: ``align`` start/middle/end in reading direction.

        ``direction`` is given on every text, so ``text-anchor`` start/end follows the
        reading direction (SVG 2) and Arabic lines are laid out right to left.
        """
        w = f' font-weight="{weight}"' if weight else ""
        if halo:  # a white outline under the letters keeps a label legible over lines
            w += f' stroke="{PAPER}" stroke-width="4" stroke-linejoin="round" paint-order="stroke"'
        direction = "rtl" if self.rtl else "ltr"
        return (f'<text x="{num(self.x(x))}" y="{num(y)}" text-anchor="{align}" direction="{direction}" '
                f'font-size="{num(size)}" fill="{fill}"{w}{extra}>{text(value)}</text>')

    def lines(self, x: float, y: float, values: Iterable[str], *, line_height: float, **kw: object) -> str:
        return "".join(self.label(x, y + i * line_height, v, **kw) for i, v in enumerate(values))  # type: ignore[arg-type]


def document(*, width: float, height: float, lang: str, ident: str, title: str, desc: str,
             body: Iterable[str], standalone: bool, role: str = "group") -> str:
    """The ``<svg>`` element (with an XML declaration when it is a file of its own). ``role`` is
    "group" by default: every figure's marks are links, which ``role="img"`` would hide."""
    rtl = lang == "ar"
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
    labelled = f"{ident}-title {ident}-desc"
    style = "" if standalone else ' style="max-width:100%;height:auto"'
    out = [
        f'{head}<svg xmlns="{SVG_NS}" version="1.1" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" role="{role}" aria-labelledby="{attr(labelled)}" '
        f'lang="{lang}" xml:lang="{lang}" direction="{"rtl" if rtl else "ltr"}" '
        f'font-family="{attr(FONT_STACK)}" class="fs-svg"{style}>',
        f'<title id="{attr(ident)}-title">{text(title)}</title>',
        f'<desc id="{attr(ident)}-desc">{text(desc)}</desc>',
        *([f"<style>{FONT_FACES}</style>"] if standalone else []),
        f'<rect x="0" y="0" width="{num(width)}" height="{num(height)}" fill="{PAPER}"/>',
        *body,
        "</svg>",
    ]
    return "\n".join(out) + ("\n" if standalone else "")


def link(href: str, inner: str, tip: str | None = None) -> str:
    """A link around ``inner`` (``href`` is built from ids, still escaped); ``tip`` becomes its <title>."""
    t = f"<title>{text(tip)}</title>" if tip else ""
    # _top: the matrix is embedded with <object>, and a link must open in the page, not the frame
    return f'<a href="{attr(href)}" target="_top">{t}{inner}</a>'
