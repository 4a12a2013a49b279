"""Python-Markdown extension ``generator.publish.mdlabels``: every body cell of a wide table carries its
column's header as ``data-label`` (issue 18, phone tables).

On phones (≤ 600 px) tables of three columns or more are shown as stacked cards, one per row,
their header row hidden (overrides/assets/factsheets.css); each cell then shows its label
(``td[data-label]::before``), so a card reads "Date 24 Dec 2025 · Speaker … · Stance …" and not
a bare list of values. Fact-sheet tables are Markdown tables (fast to write, hundreds of rows),
which cannot carry attributes per cell: the labels are added here, where the table becomes HTML,
for every page and every builder that reads ``markdown_extensions`` from mkdocs.yml.

Only tables of three columns or more are labelled (narrower ones keep their layout on phones),
and only cells whose header has text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

MIN_COLUMNS = 3  # the phone layout stacks tables of this many columns or more (factsheets.css)
_STASH = re.compile("\x02[^\x03]*\x03")  # placeholders of raw HTML kept aside until output


def header_labels(table: etree.Element) -> list[str]:
    """The plain text of each header cell of a table ('' for an empty or missing one)."""
    head = table.find("thead")
    row = head.find("tr") if head is not None else None
    if row is None:
        return []
    return [" ".join(_STASH.sub("", "".join(th.itertext())).split()) for th in row.findall("th")]


class CellLabels(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            labels = header_labels(table)
            if len(labels) < MIN_COLUMNS or not any(labels):
                continue
            body = table.find("tbody")
            for tr in body.iter("tr") if body is not None else ():
                for label, td in zip(labels, tr.findall("td")):
                    if label:
                        td.set("data-label", label)


class CellLabelsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # after the inline patterns (priority 20), so header text is final
        md.treeprocessors.register(CellLabels(md), "fs_cell_labels", 5)


def makeExtension(**kwargs: object) -> CellLabelsExtension:  # noqa: N802 (Python-Markdown's name)
    return CellLabelsExtension(**kwargs)
