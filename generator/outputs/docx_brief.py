"""Word (.docx) output of briefing snippets and briefings (python-docx).

Renders the document tree of :mod:`generator.outputs.brief` (sections of headings, paragraphs, bullet
lists and tables made of runs). An Arabic section gets right-to-left paragraphs (``w:bidi``),
tables (``w:bidiVisual``) and, for an Arabic document, a right-to-left page (``w:bidi`` in the
section properties); each run holding Arabic (or, in Arabic, holding no Latin letter) is a
right-to-left run (``w:rtl``) with its bold/italic also set for complex scripts and its
language marked ``ar``. Links are real hyperlinks: a ``w:hyperlink`` whose ``r:id`` names an
external relationship to the URL.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run as DocxRun

from generator.outputs.brief_doc import Bullets, Heading, Item, Line, Para, Run, Section, Table, safe_url, script_dir

LINK_COLOR = RGBColor(0x05, 0x63, 0xC1)

# Children of w:pPr that come after w:bidi (ECMA-376 order), so w:bidi is inserted in its place.
_AFTER_BIDI = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
               "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
               "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
               "w:pPrChange")
# Children of w:rPr that come after w:lang.
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
# Children of w:sectPr that come after w:bidi.
_SECT_AFTER_BIDI = ("w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
# Children of w:tblPr that come after w:bidiVisual.
_TBL_AFTER_BIDI = ("w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
                   "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
                   "w:tblPrChange")


def _set_bidi(paragraph: Paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:bidi")) is None:
        ppr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)


def _is_rtl_run(text: str, lang: str) -> bool:
    d = script_dir(text)
    return d == "rtl" or (d is None and lang == "ar")


def _format(run: DocxRun, r: Run, lang: str, text: str) -> None:
    font = run.font
    if r.bold:
        font.bold = True
    if r.italic:
        font.italic = True
    if r.code:
        font.name = "Courier New"
    if _is_rtl_run(text, lang):
        font.rtl = True
        if r.bold:
            font.cs_bold = True
        if r.italic:
            font.cs_italic = True
        if script_dir(text) == "rtl":
            rpr = run._r.get_or_add_rPr()
            el = OxmlElement("w:lang")
            el.set(qn("w:bidi"), "ar-SA")
            rpr.insert_element_before(el, *_AFTER_LANG)


def _add_run(paragraph: Paragraph, r: Run, sec: Section) -> None:
    text = " ".join(r.text.split()) if r.text.strip() else r.text
    text = (" " if r.text[:1].isspace() and not text.startswith(" ") else "") + text
    text += " " if r.text[-1:].isspace() and not text.endswith(" ") else ""
    if r.quote:
        text = f"{sec.quotes[0]}{text}{sec.quotes[1]}"
    run = paragraph.add_run(text)
    _format(run, r, sec.lang, text)
    if r.href:
        url = safe_url(r.href)
        rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rid)
        link.set(qn("w:history"), "1")
        run._r.addprevious(link)
        link.append(run._r)
        run.font.underline = True
        run.font.color.rgb = LINK_COLOR


def _fill(paragraph: Paragraph, line: Line, sec: Section) -> Paragraph:
    if sec.lang == "ar":
        _set_bidi(paragraph)
    for r in line:
        if r.text:
            _add_run(paragraph, r, sec)
    return paragraph


def _bullets(doc, items: list[Item], sec: Section, depth: int, ordered: bool) -> None:
    kind = "List Number" if ordered else "List Bullet"
    style = kind if depth == 0 else f"{kind} {min(depth + 1, 3)}"
    for it in items:
        _fill(doc.add_paragraph(style=style), it.line, sec)
        _bullets(doc, it.children, sec, depth + 1, False)


def _table(doc, t: Table, sec: Section) -> None:
    width = max(len(r) for r in t.rows)
    table = doc.add_table(rows=len(t.rows), cols=width)
    table.style = "Table Grid"
    if sec.lang == "ar":
        tblpr = table._tbl.tblPr
        tblpr.insert_element_before(OxmlElement("w:bidiVisual"), *_TBL_AFTER_BIDI)
    for i, row in enumerate(t.rows):
        for j, cell_line in enumerate(row):
            par = table.cell(i, j).paragraphs[0]
            line = [Run(r.text, bold=True, italic=r.italic, code=r.code, quote=r.quote, href=r.href) if i == 0 else r
                    for r in cell_line]
            _fill(par, line, sec)


def add_section(doc, sec: Section) -> None:
    for b in sec.blocks:
        if isinstance(b, Heading):
            _fill(doc.add_paragraph(style="Title" if b.level == 0 else f"Heading {min(b.level, 9)}"), b.line, sec)
        elif isinstance(b, Para):
            _fill(doc.add_paragraph(style="Quote" if b.quote else None), b.line, sec)
        elif isinstance(b, Bullets):
            _bullets(doc, b.items, sec, 0, b.ordered)
        elif isinstance(b, Table):
            _table(doc, b, sec)


def sections_to_docx(sections: Sequence[Section], *, lang: str, title: str = "") -> bytes:
    """A Word document of ``sections`` (its page right-to-left when ``lang`` is Arabic)."""
    doc = Document()
    props = doc.core_properties
    props.title = title
    props.language = "ar-SA" if lang == "ar" else "en"
    props.author = props.last_modified_by = "factsheets"
    if lang == "ar":
        sect = doc.sections[0]._sectPr
        if sect.find(qn("w:bidi")) is None:
            sect.insert_element_before(OxmlElement("w:bidi"), *_SECT_AFTER_BIDI)
    for n, sec in enumerate(sections):
        if n and not (sec.blocks and isinstance(sec.blocks[0], Heading)):
            doc.add_paragraph()  # a blank line between snippets
        add_section(doc, sec)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
