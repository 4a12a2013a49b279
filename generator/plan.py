"""Stage 3: plan every page of the site, in both languages, before anything is written.

URLs come from ids, never from titles: ``meetings/<id>.md`` becomes ``/meetings/<id>/`` in
Arabic and ``/en/meetings/<id>/`` in English.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.corpus import Corpus
from generator.kinds import PAGE_KINDS
from generator.urls import DEFAULT_LANG, LANGS, briefing_md, index_md, page_md

__all__ = ["DEFAULT_LANG", "LANGS", "Page", "plan_pages", "sheet_path"]


@dataclass(frozen=True, slots=True)
class Page:
    """One page to render: its kind (= template), language, path under docs/, subject id."""

    kind: str
    lang: str
    path: str
    subject: str | None = None  # entity id, or the entity kind for index pages

    @property
    def template(self) -> str:
        return f"{self.kind}.md.j2"


def sheet_path(kind: str, ident: str) -> str:
    return page_md(kind, ident)


def plan_pages(corpus: Corpus, langs: tuple[str, ...] = LANGS) -> list[Page]:
    """Every page of the site, in a stable order."""
    pages: list[Page] = []
    for lang in langs:
        pages.append(Page("home", lang, "index.md"))
        for kind in PAGE_KINDS:
            pages.append(Page(kind.listing, lang, index_md(kind.plural), kind.plural))
        pages.append(Page("search", lang, "search.md"))
        pages.append(Page("briefings", lang, "briefings/index.md", "briefings"))
        for ident in sorted(corpus.briefings):
            pages.append(Page("briefing", lang, briefing_md(ident), ident))
        for kind in PAGE_KINDS:
            for ident in sorted(getattr(corpus, kind.plural)):
                pages.append(Page(kind.name, lang, page_md(kind.plural, ident), ident))
    return pages
