"""Stage 3: plan every page of the site, in both languages, before anything is written.

URLs come from ids, never from titles: ``meetings/<id>.md`` becomes ``/meetings/<id>/`` in
Arabic and ``/en/meetings/<id>/`` in English.

Bounded pages (issue 22, item 4): a fact sheet that lists meetings (person, organization, topic)
shows its newest meetings up to ``Kind.rows`` table rows (a meeting and its statements on the
subject) and is divided into pages by year, each year's meetings in parts of at most that many rows (``topics/<id>/2023/``, ``topics/<id>/2023-2/``, oldest first, so
a part's address keeps its meetings as the archive grows); the timeline and the index pages
likewise, by year or by first letter (``meetings/by/2023/``, ``people/by/b/``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from generator.core.corpus import Corpus
from generator.kinds import PAGE_KINDS, Kind
from generator import urls
from generator.urls import DEFAULT_LANG, LANGS, briefing_md, index_md, page_md, part_md

__all__ = ["DEFAULT_LANG", "LANGS", "Page", "plan_pages", "split_parts"]

T = TypeVar("T")

#: the pager of a paged page (issue 22, item 4): the groups (years) either side of the current one
#: it names, and the parts either side of the current one within its group (see Page.pager_window)
PAGER_GROUPS = 2
PAGER_PARTS = 2


@dataclass(frozen=True, slots=True)
class PagerEntry:
    """One group in a pager: its label (a year or letter), its first part's key, and, for the
    current group when it has more than one part, the parts it names (``(number, key)``, ``None``
    for a gap)."""

    group: str
    first: str
    parts: tuple[tuple[int, str] | None, ...] | None


@dataclass(frozen=True, slots=True)
class Page:
    """One page to render: its kind (= template), language, path under docs/, subject id; a paged
    page also has the ids it lists (``rows``), its part's key (``""``: the page itself, which
    shows the newest or first rows) and every part's key, in order (``parts``)."""

    kind: str
    lang: str
    path: str
    subject: str | None = None  # entity id, or the entity kind for index pages
    part: str = ""
    rows: tuple[str, ...] | None = None
    parts: tuple[str, ...] = ()
    base: str = ""  # a part's page itself (the docs path its parts hang from); "" for the page itself

    @property
    def template(self) -> str:
        return f"{self.kind}.md.j2"

    @property
    def paged(self) -> bool:
        return self.rows is not None

    def part_md(self, key: str) -> str:
        """The docs path of the part ``key`` of this page ("" for the page itself)."""
        return part_md(self.base or self.path, key)

    def pick(self, table: Mapping[str, T]) -> list[T]:
        """The entities this page lists, from ``table`` (ids to entities), in the page's order."""
        return [table[i] for i in self.rows or ()]

    def keep(self, items: Iterable[Any], attr: str = "id") -> list[Any]:
        """The items whose ``attr`` (an id) this page lists; all of them on a page that is not paged."""
        if self.rows is None:
            return list(items)
        rows = set(self.rows)
        return [x for x in items if getattr(x, attr) in rows]

    def year_parts(self) -> list[tuple[str, list[str]]]:
        """The parts grouped by year or letter, in order: ``[("2023", ["2023", "2023-2"]), …]``."""
        groups: dict[str, list[str]] = {}
        for key in self.parts:
            groups.setdefault(key.split("-")[0], []).append(key)
        return list(groups.items())

    def pager_window(self, groups: int | None = PAGER_GROUPS, parts: int = PAGER_PARTS) -> list[PagerEntry | None]:
        """What the pager lists, bounded however long the archive (issue 22, item 4): the first and
        last group (year or letter), the ``groups`` either side of the current one (``None``:
        every group; letters are bounded by the alphabet), ``None`` for a gap between them. The
        current group (the part's own; on the page itself, the last part's, as in
        :meth:`neighbours`) names its parts: its first and last and the ``parts`` either side of
        the current one; any other group is one link, to its first part. Every part stays within
        reach: each group's first part is linked from some page, and each part from its group's."""
        grouped = self.year_parts()
        if not grouped:
            return []
        centre = self.part or self.parts[-1]
        at = next(i for i, (_, keys) in enumerate(grouped) if centre in keys)
        out: list[PagerEntry | None] = []
        for i, (group, keys) in enumerate(grouped):
            if groups is not None and 0 < i < len(grouped) - 1 and abs(i - at) > groups:
                if out and out[-1] is not None:
                    out.append(None)
                continue
            if i != at or len(keys) == 1:
                out.append(PagerEntry(group, keys[0], None))
                continue
            j = keys.index(centre)
            shown: list[tuple[int, str] | None] = []
            for n, key in enumerate(keys):
                if 0 < n < len(keys) - 1 and abs(n - j) > parts:
                    if shown and shown[-1] is not None:
                        shown.append(None)
                    continue
                shown.append((n + 1, key))
            out.append(PagerEntry(group, keys[0], tuple(shown)))
        return out

    def neighbours(self) -> tuple[str | None, str | None]:
        """The parts before and after this one (``None`` at either end); from the page itself,
        the last part is the one before (it shows the newest rows) and there is none after."""
        if not self.part:
            return (self.parts[-1] if self.parts else None), None
        i = self.parts.index(self.part)
        return (self.parts[i - 1] if i else None), (self.parts[i + 1] if i + 1 < len(self.parts) else None)


def _one(_item: Any) -> int:
    return 1


def head(items: Sequence[T], bound: int, weight: Callable[[T], int] = _one) -> list[T]:
    """The first of ``items`` whose weights add up to at most ``bound`` (at least one)."""
    total = 0
    for n, item in enumerate(items):
        total += weight(item)
        if total > bound and n:
            return list(items[:n])
    return list(items)


def split_parts(items: Sequence[T], key: Callable[[T], str], bound: int,
                weight: Callable[[T], int] = _one) -> list[tuple[str, list[T]]]:
    """``items`` (in order: oldest or first first) grouped by ``key`` (a year, a letter), each group
    cut, in order, into parts weighing at most ``bound`` (an item weighs ``weight(item)``, one
    by default): keys ``k``, ``k-2``, ``k-3``, … Adding items after the last changes no part
    but the last of its group."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    out: list[tuple[str, list[T]]] = []
    for k, group in groups.items():
        n = 0
        while group:
            part = head(group, bound, weight)
            group = group[len(part):]
            n += 1
            out.append((k if n == 1 else f"{k}-{n}", part))
    return out


def _dated(entity: Any) -> date:
    published = getattr(entity, "published", None)
    return published if published is not None else entity.date.start


def _paged(kind: str, lang: str, path: str, subject: str, newest: Sequence[Any], bound: int,
           key: Callable[[Any], str], by_date: bool, weight: Callable[[Any], int] = _one) -> list[Page]:
    """A page listing ``newest`` (its order on the page: newest first ``by_date``, else first
    letter first) bounded to ``bound`` rows, and its parts (cut by ``key`` from the oldest or
    first), each listing its rows in the page's order."""
    first = head(newest, bound, weight)
    if len(first) == len(newest):
        return [Page(kind, lang, path, subject)]
    parts = split_parts(newest[::-1] if by_date else newest, key, bound, weight)
    keys = tuple(k for k, _ in parts)
    pages = [Page(kind, lang, path, subject, "", tuple(e.id for e in first), keys)]
    for k, group in parts:
        rows = tuple(e.id for e in (reversed(group) if by_date else group))
        pages.append(Page(kind, lang, part_md(path, k), subject, k, rows, keys, path))
    return pages


def _year(entity: Any) -> str:
    return str(_dated(entity).year)


def _letter(entity: Any) -> str:
    return str(entity.id[0])


def _listing(corpus: Corpus, kind: Kind, lang: str) -> list[Page]:
    table = getattr(corpus, kind.plural)
    path = index_md(kind.plural)
    if kind.listing_by == "year":
        newest = sorted(table.values(), key=lambda e: (_dated(e), e.id), reverse=True)
        if kind.plural == "meetings":
            newest = list(corpus.meetings_by_date)
        return _paged(kind.listing, lang, path, kind.plural, newest, kind.listing_rows, _year, True)
    first = sorted(table.values(), key=lambda e: e.id)
    return _paged(kind.listing, lang, path, kind.plural, first, kind.listing_rows, _letter, False)


def _sheets(corpus: Corpus, kind: Kind, lang: str) -> list[Page]:
    pages: list[Page] = []
    lookup = getattr(corpus, kind.meetings_by) if kind.rows else {}
    for ident in sorted(getattr(corpus, kind.plural)):
        path = page_md(kind.plural, ident)
        if not kind.rows:
            pages.append(Page(kind.name, lang, path, ident))
            continue
        said = Counter(st.meeting for st in getattr(corpus, kind.statements_by).get(ident, []))
        pages += _paged(kind.name, lang, path, ident, lookup.get(ident, []), kind.rows, _year, True,
                        lambda m, said=said: 1 + said[m.id])  # type: ignore[misc]
    return pages


def plan_pages(corpus: Corpus, langs: tuple[str, ...] = LANGS) -> list[Page]:
    """Every page of the site, in a stable order."""
    pages: list[Page] = []
    for lang in langs:
        pages.append(Page("home", lang, urls.HOME_MD))
        for kind in PAGE_KINDS:
            pages += _listing(corpus, kind, lang)
        pages.append(Page("search", lang, urls.SEARCH_MD))
        pages.append(Page("briefings", lang, urls.briefings_index_md(), "briefings"))
        for ident in sorted(corpus.briefings):
            pages.append(Page("briefing", lang, briefing_md(ident), ident))
        for kind in PAGE_KINDS:
            pages += _sheets(corpus, kind, lang)
    return pages
