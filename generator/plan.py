"""Stage 3: plan every page of the site, in both languages, before anything is written.

URLs come from ids, never from titles: ``meetings/<id>.md`` becomes ``/meetings/<id>/`` in
Arabic and ``/en/meetings/<id>/`` in English.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.corpus import Corpus

LANGS = ("ar", "en")
DEFAULT_LANG = "ar"

#: entity kind -> folder of its pages
FOLDERS = {"meetings": "meetings", "people": "people", "organizations": "organizations",
           "topics": "topics", "sources": "sources"}
#: page kind of each entity's fact sheet
SHEET_KIND = {"meetings": "meeting", "people": "person", "organizations": "organization",
              "topics": "topic", "sources": "source"}


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
    return f"{FOLDERS[kind]}/{ident}.md"


def plan_pages(corpus: Corpus, langs: tuple[str, ...] = LANGS) -> list[Page]:
    """Every page of the site, in a stable order."""
    pages: list[Page] = []
    for lang in langs:
        pages.append(Page("home", lang, "index.md"))
        pages.append(Page("timeline", lang, "meetings/index.md", "meetings"))
        for kind in ("people", "organizations", "topics", "sources"):
            pages.append(Page("index", lang, f"{FOLDERS[kind]}/index.md", kind))
        pages.append(Page("search", lang, "search.md"))
        pages.append(Page("briefings", lang, "briefings/index.md", "briefings"))
        for ident in sorted(corpus.briefings):
            pages.append(Page("briefing", lang, f"briefings/{ident}.md", ident))
        for kind in FOLDERS:
            table = getattr(corpus, kind)
            for ident in sorted(table):
                pages.append(Page(SHEET_KIND[kind], lang, sheet_path(kind, ident), ident))
    return pages
