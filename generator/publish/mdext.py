"""Python-Markdown extension ``generator.publish.mdext``: the same HTML, converted faster.

Listed under ``markdown_extensions`` in mkdocs.yml, so both `factsheets build` and a plain
`mkdocs build`/`mkdocs serve` use it.

Python-Markdown tries each of its inline patterns on every run of text: code spans, escapes,
four kinds of reference links, images, autolinks, line breaks, emphasis… On a fact sheet most
of them cannot match (no backtick, no backslash, no reference definition anywhere in the page),
yet each attempt costs a function call per text run; with hundreds of table cells and links per
page that was about a fifth of the conversion time. This extension leaves out, for one document,
the patterns whose match needs something the document does not contain:

* the reference patterns (``[text][id]``, ``[text]``, ``![alt][id]``, ``![alt]``) when the
  document defines no reference (they leave an undefined id as text);
* every other pattern in ``NEEDS`` when its trigger text does not occur in the document (after
  Python-Markdown's own whitespace normalization, before anything is taken out of it).

The text the inline patterns see is cut from the document's lines (block markers, table pipes
and indentation removed, lines joined by newlines), so a trigger without a newline inside it
that is absent from the document is absent from every text run. The output is byte-identical
either way: tests compare it with stock Python-Markdown on every golden page and on random
text. Patterns of other extensions are never left out.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

REFERENCE_PATTERNS = ("reference", "image_reference", "short_reference", "short_image_ref")
# pattern → the texts of which at least one must occur for it to match (see its regex in
# markdown/inlinepatterns.py)
NEEDS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "image_link": ("![",),
    "autolink": ("://",),
    "automail": ("@",),
    "linebreak": ("  \n",),
    "not_strong": ("*", "_"),
    "em_strong": ("*",),  # Python-Markdown 3.9+: one pattern for every emphasis delimiter (below)
    "em_strong2": ("_",),
}


def _needs(md: Markdown) -> dict[str, tuple[str, ...]]:
    needs = dict(NEEDS)
    delimiters = getattr(md, "delimiters", None)  # Python-Markdown 3.9+: "*", "_" and any added
    if delimiters is not None and getattr(delimiters, "tokens", None):
        needs["em_strong"] = tuple(delimiters.tokens)
    return needs


class _Triggers(Preprocessor):
    """Notes which patterns the document can use. Runs right after whitespace normalization
    (priority 30: tabs expanded, line ends made ``\\n``), before raw HTML is stashed."""

    def __init__(self, md: Markdown, state: dict[str, set[str]]) -> None:
        super().__init__(md)
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        self.state["unused"] = {name for name, triggers in _needs(self.md).items()
                                if not any(trigger in text for trigger in triggers)}
        return lines


class _SkipUnused(Treeprocessor):
    """Gives the inline processor only the patterns the document can use. Runs after block
    parsing (which collects reference definitions), before the inline patterns (priority 20)."""

    def __init__(self, md: Markdown, state: dict[str, set[str]]) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        registry = self.md.inlinePatterns
        unused = set(self.state.get("unused", ()))
        if not self.md.references:
            unused.update(REFERENCE_PATTERNS)
        skip = {id(registry[name]) for name in unused if name in registry}
        inline = self.md.treeprocessors["inline"]
        # set on every document: one Markdown instance may convert several
        inline.inlinePatterns = [p for p in registry if id(p) not in skip] if skip else registry


class FasterMarkdown(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        state: dict[str, set[str]] = {}
        md.preprocessors.register(_Triggers(md, state), "factsheets_triggers", 29)
        md.treeprocessors.register(_SkipUnused(md, state), "factsheets_skip_unused", 25)


def makeExtension(**kwargs: object) -> FasterMarkdown:  # noqa: N802 (Python-Markdown's entry point)
    return FasterMarkdown(**kwargs)
