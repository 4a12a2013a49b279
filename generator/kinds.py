"""The page kinds: one registry (issue 17, item 1).

Every kind of entity the content holds is one :class:`Kind` row below: its singular name (the
page kind, the template's name, the card's kind), its plural (the corpus attribute, the dataset
key, the folder of its pages), the key a content file gives it, its model class, and whether it
has a page of its own, is listed in the dataset exports or can be embedded as a card in a
briefing. Every other module asks this table (``KINDS``, ``BY_PLURAL``, ``BY_NAME``), so
adding a kind means adding a row here (and a template; the loader's content keys follow from
the row).

Paths and links built from a kind's folder live in :mod:`generator.urls`.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.core.model import Entity, Meeting, Organization, Person, Source, Statement, Topic


@dataclass(frozen=True, slots=True)
class Kind:
    name: str           #: singular: the page kind and template name ("meeting")
    plural: str         #: the corpus attribute, dataset key and kind_of() answer ("meetings")
    key: str            #: its key in a content file ("meetings"; a file holds one "source")
    model: type[Entity]  #: the pydantic model class
    folder: str | None  #: the folder of its pages under each language root; None: no page
    card: bool = True   #: may be embedded with ``::: card ID`` in a briefing
    listing: str = "index"  #: the template of its folder's index page
    #: bounded pages (issue 22, item 4): a fact sheet lists at most ``rows`` table rows (0: all),
    #: each of its meetings counting one plus its statements on the subject (``statements_by``);
    #: the rest are on its pages by year, ``<folder>/<id>/<year>/``
    rows: int = 0
    #: its index page lists at most ``listing_rows`` entries; the rest are on pages by year
    #: (``"year"``, for dated kinds) or by first letter of the id (``"letter"``): ``<folder>/by/<key>/``
    listing_rows: int = 100
    listing_by: str = "letter"
    #: the corpus lookup of an entity's meetings (newest first), which its pages by year divide
    meetings_by: str = ""
    #: the corpus lookup of an entity's statements (which weigh its meetings' rows)
    statements_by: str = ""

    @property
    def template(self) -> str | None:
        """The Jinja template of its fact sheets (None for a kind without pages)."""
        return f"{self.name}.md.j2" if self.folder else None

    @property
    def has_page(self) -> bool:
        return self.folder is not None


#: Every kind, in the order lookups try them (``Corpus.kind_of``) and pages are planned.
#: kinds-table: the one table of page kinds (tests/unit/test_kinds_urls_i18n.py checks no other module has one)
KINDS: tuple[Kind, ...] = (
    Kind("meeting", "meetings", "meetings", Meeting, "meetings", listing="timeline", listing_by="year"),
    Kind("person", "people", "people", Person, "people", rows=50, meetings_by="meetings_by_person",
         statements_by="statements_by_person"),
    Kind("organization", "organizations", "organizations", Organization, "organizations", rows=150,
         meetings_by="meetings_by_org", statements_by="statements_by_org"),
    Kind("topic", "topics", "topics", Topic, "topics", rows=80, meetings_by="meetings_by_topic",
         statements_by="statements_by_topic"),
    Kind("source", "sources", "source", Source, "sources", listing_by="year"),
    Kind("statement", "statements", "statements", Statement, None, card=False),
)

BY_PLURAL: dict[str, Kind] = {k.plural: k for k in KINDS}
BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}

#: The kinds with a fact sheet of their own (statements are anchors on their meeting's page).
PAGE_KINDS: tuple[Kind, ...] = tuple(k for k in KINDS if k.has_page)
#: The order the dataset export writes its tables in (referenced kinds before those referring).
EXPORT_ORDER: tuple[str, ...] = ("people", "organizations", "topics", "sources", "meetings", "statements")
#: content-file key -> model class (the loader's table)
CONTENT_KEYS: dict[str, type[Entity]] = {k.key: k.model for k in sorted(KINDS, key=lambda k: EXPORT_ORDER.index(k.plural))}
#: ``::: card|statement|positions ID`` in a briefing -> the kinds it accepts
DIRECTIVES: dict[str, tuple[str, ...]] = {"card": tuple(k.plural for k in KINDS if k.card),
                                          "statement": ("statements",), "positions": ("topics",)}


#: The home page, as a subject of figures (it has no id).
HOME = "home"
#: figure -> the page kinds it is drawn for, in the order they are drawn (generator.render.figures)
FIGURES: dict[str, tuple[str, ...]] = {"matrix": ("meeting", "topic"), "timeline": ("organization", "person", HOME),
                                       "network": ("person", HOME)}


#: the kinds' plurals (corpus attributes), in order: asked for on every lookup of an id
_PLURALS: tuple[str, ...] = tuple(k.plural for k in KINDS)


def plurals() -> tuple[str, ...]:
    return _PLURALS
