"""The checked model, with the lookups every page needs (computed once per build)."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, TypeVar
from itertools import combinations

from generator.kinds import plurals
from generator.core.model import Bilingual, Entity, Meeting, Organization, Person, Role, Source, Statement, Topic
from generator.core.provenance import Span

JOINT = "joint"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    statement: str | None = None  # the statement this highlighted span belongs to


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph (or subheading) of a source, cut into plain and annotated pieces."""

    number: int
    text: str
    heading: bool
    pieces: tuple[Piece, ...]
    statements: tuple[str, ...]


def group(items: Iterable[T], keys: Callable[[T], Iterable[str | None]]) -> dict[str, list[T]]:
    """Index items by each of their keys, in the items' order; an item counts once per key,
    and empty keys (None) are left out."""
    out: dict[str, list[T]] = defaultdict(list)
    for item in items:
        for key in dict.fromkeys(keys(item)):
            if key:
                out[key].append(item)
    return out


@dataclass
class Corpus:
    people: dict[str, Person] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    statements: dict[str, Statement] = field(default_factory=dict)
    spans: dict[str, Span] = field(default_factory=dict)        # statement id -> where `exact` stands
    word_spans: dict[str, Span] = field(default_factory=dict)   # statement id -> where `words.ar` stands
    sides: dict[str, str] = field(default_factory=dict)         # statement id -> party id, or "joint"
    redirects: dict[str, str] = field(default_factory=dict)     # previous id -> current id
    briefings: dict = field(default_factory=dict)               # briefing id -> Briefing (generator.outputs.briefings)

    def get(self, ident: str):
        """The entity with this id, of whatever kind."""
        kind = self.kind_of(ident)
        return getattr(self, kind)[ident] if kind else None

    def name_of(self, ident: str | Entity, lang: str) -> str:
        """What an entity is called in ``lang``: its name, title, summary or headline (else its id)."""
        if isinstance(ident, str):  # asked for again and again while pages render: remember the answers
            names = self._names()
            hit = names.get((ident, lang))
            if hit is None:
                hit = names[(ident, lang)] = self._name_of(ident, lang)
            return hit
        return self._name_of(ident, lang)

    def _size(self) -> tuple[int, ...]:
        return (len(self.meetings), len(self.people), len(self.organizations), len(self.topics),
                len(self.sources), len(self.statements))

    def _names(self) -> dict[tuple[str, str], str]:
        """The name cache."""
        return self._memo("_name_cache")

    def _memo(self, name: str) -> dict[Any, Any]:
        """A cache kept on the corpus under ``name``, emptied whenever the corpus has grown or
        shrunk since it was filled."""
        size = self._size()
        cache = self.__dict__.get(name)
        if cache is None or cache[0] != size:
            cache = self.__dict__[name] = (size, {})
        return cache[1]

    def _name_of(self, ident: str | Entity, lang: str) -> str:
        ent = ident if isinstance(ident, Entity) else self.get(ident)
        if ent is None:
            return str(ident)
        for attr in ("name", "title", "summary"):
            val = getattr(ent, attr, None)
            if isinstance(val, Bilingual):
                return val.get(lang) or ent.id
        return getattr(ent, "headline", None) or ent.id

    def kind_of(self, ident: str) -> str | None:
        hit = self._kinds().get(ident)
        if hit is not None and ident in getattr(self, hit):
            return hit
        for kind in plurals():  # not in the table: an unknown id
            if ident in getattr(self, kind):
                return kind
        return None

    def _kinds(self) -> dict[str, str]:
        """id -> its kind (the first kind that has it), made again whenever the corpus has grown or shrunk."""
        size = self._size()
        cache = self.__dict__.get("_kind_cache")
        if cache is None or cache[0] != size:
            table: dict[str, str] = {}
            for kind in reversed(plurals()):
                table.update(dict.fromkeys(getattr(self, kind), kind))
            cache = self.__dict__["_kind_cache"] = (size, table)
        return cache[1]

    # --- lookups ---------------------------------------------------------------------------
    @cached_property
    def meetings_by_date(self) -> list[Meeting]:
        """Newest first; ties broken by id so the order is stable."""
        return sorted(self.meetings.values(), key=lambda m: (m.date.start, m.id), reverse=True)

    @cached_property
    def statements_by_meeting(self) -> dict[str, list[Statement]]:
        return group(self.statements.values(), lambda s: [s.meeting])

    @cached_property
    def statements_by_person(self) -> dict[str, list[Statement]]:
        return group(self.statements.values(), lambda s: [s.speaker.person])

    @cached_property
    def statements_by_org(self) -> dict[str, list[Statement]]:
        """Statements made by an organization, or on its side, or jointly by it."""
        return group(self.statements.values(),
                     lambda s: [s.speaker.organization, *(s.speaker.joint or []),
                                self.sides.get(s.id) if self.sides.get(s.id) != JOINT else None])

    @cached_property
    def statements_by_topic(self) -> dict[str, list[Statement]]:
        return group(self.statements.values(), lambda s: s.topics)

    @cached_property
    def statements_by_source(self) -> dict[str, list[Statement]]:
        return group(self.statements.values(), lambda s: [s.provenance.source])

    @cached_property
    def meetings_by_person(self) -> dict[str, list[Meeting]]:
        return group(self.meetings_by_date, lambda m: [p.person for p in m.participants])

    @cached_property
    def meetings_by_org(self) -> dict[str, list[Meeting]]:
        return group(self.meetings_by_date, lambda m: m.parties)

    @cached_property
    def meetings_by_topic(self) -> dict[str, list[Meeting]]:
        return group(self.meetings_by_date, lambda m: m.topics)

    @cached_property
    def meetings_by_source(self) -> dict[str, list[Meeting]]:
        return group(self.meetings_by_date, lambda m: m.sources)

    @cached_property
    def people_by_org(self) -> dict[str, list[Person]]:
        out: dict[str, list[Person]] = defaultdict(list)
        for p in sorted(self.people.values(), key=lambda p: p.id):
            for org in dict.fromkeys(r.organization for r in p.roles if r.organization):
                for anc in self.ancestors(org):
                    if p not in out[anc]:
                        out[anc].append(p)
        return out

    def statements_by_side(self, meeting: Meeting) -> list[tuple[str, list[Statement]]]:
        """A meeting's statements grouped by side (parties in order, then joint), by speaker within."""
        groups: dict[str, list[Statement]] = {side: [] for side in [*meeting.parties, JOINT]}
        for st in self.statements_by_meeting.get(meeting.id, []):
            groups.setdefault(self.sides.get(st.id, JOINT), []).append(st)
        key = lambda st: (st.speaker.person or st.speaker.organization or "", st.id)  # noqa: E731
        return [(side, sorted(sts, key=key)) for side, sts in groups.items() if sts]

    @cached_property
    def met_across_sides(self) -> dict[tuple[str, str], list[Meeting]]:
        """Pairs of people (sorted ids) who sat on different sides of the same meeting."""
        pairs: dict[tuple[str, str], list[Meeting]] = defaultdict(list)
        for m in self.meetings.values():
            seats = {p.person: p.side for p in m.participants}
            for a, b in combinations(sorted(seats), 2):
                if seats[a] != seats[b]:
                    pairs[(a, b)].append(m)
        return pairs

    @cached_property
    def person_states(self) -> dict[str, str | None]:
        """Person id -> the state they speak for: the state of the side they sat on most often
        (ties: the first id; a side that is no state's part stands for itself), else the state
        of their latest role's organization, else None."""
        states: dict[str, str | None] = {}
        for person_id, person in self.people.items():
            sides = Counter(self.participant_side(m, person_id) for m in self.meetings_by_person.get(person_id, []))
            sides.pop(None, None)
            if sides:
                best = max(sides.values())
                side = min(s for s, n in sides.items() if n == best and s is not None)
                states[person_id] = self.state_of(side) or side
                continue
            states[person_id] = next((self.state_of(r.organization) for r in sorted(
                person.roles, key=lambda r: (r.start or date.min), reverse=True)
                if r.organization and self.state_of(r.organization)), None)
        return states

    @cached_property
    def met_by_person(self) -> dict[str, dict[str, list[Meeting]]]:
        """``met_across_sides`` by person: person id -> the other person id -> their meetings."""
        out: dict[str, dict[str, list[Meeting]]] = defaultdict(dict)
        for (a, b), ms in self.met_across_sides.items():
            out[a][b] = out[b][a] = ms
        return out

    def newest_first(self, statements: list[Statement]) -> list[Statement]:
        return sorted(statements, key=lambda st: (self.meetings[st.meeting].date.start, st.id), reverse=True)

    def group_by_topic(self, statements: list[Statement]) -> list[tuple[str | None, list[Statement]]]:
        """Statements grouped by topic (in topic-id order), newest first in each group."""
        groups: dict[str | None, list[Statement]] = defaultdict(list)
        for st in statements:
            keys: list[str | None] = [*st.topics] or [None]
            for t in keys:
                groups[t].append(st)
        return [(t, self.newest_first(groups[t])) for t in sorted(groups, key=lambda t: (t is None, t or ""))]

    def topic_by_side(self, topic_id: str) -> list[tuple[str, list[Statement]]]:
        """A topic's statements grouped by side, oldest first so positions read over time.
        Remembered (as the names are, until the corpus grows or shrinks): each part of a topic
        paged by year asks for the whole topic's groups (14 % of a topic page's render)."""
        memo = self._memo("_topic_sides")
        hit = memo.get(topic_id)
        if hit is None:
            hit = memo[topic_id] = self._topic_by_side(topic_id)
        return hit

    def _topic_by_side(self, topic_id: str) -> list[tuple[str, list[Statement]]]:
        groups: dict[str, list[Statement]] = defaultdict(list)
        for st in self.statements_by_topic.get(topic_id, []):
            groups[self.sides.get(st.id, JOINT)].append(st)
        order = sorted(groups, key=lambda s: (s == JOINT, s))
        return [(side, list(reversed(self.newest_first(groups[side])))) for side in order]

    def counterparts(self, org_id: str) -> list[tuple[str, list[Meeting]]]:
        """For a state: its meetings grouped by the other party, newest first."""
        groups: dict[str, list[Meeting]] = defaultdict(list)
        for m in self.meetings_by_org.get(org_id, []):
            for other in m.parties:
                if other != org_id:
                    groups[other].append(m)
        return sorted(groups.items())

    def source_blocks(self, source_id: str) -> list[Block]:
        """The source's paragraphs with every annotated span marked (overlaps: first one wins)."""
        src = self.sources[source_id]
        by_para: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        for st in self.statements_by_source.get(source_id, []):
            span = self.spans.get(st.id)
            if span:
                by_para[span.paragraph].append((span.start, span.end, st.id))
        blocks: list[Block] = []
        for i, item in enumerate(src.text, start=1):
            heading = not isinstance(item, str)
            text = item if isinstance(item, str) else item.heading
            spans = sorted(by_para.get(i, []))
            pieces: list[Piece] = []
            pos = 0
            for start, end, sid in spans:
                if start < pos:
                    continue
                if start > pos:
                    pieces.append(Piece(text[pos:start]))
                pieces.append(Piece(text[start:end], sid))
                pos = end
            if pos < len(text):
                pieces.append(Piece(text[pos:]))
            blocks.append(Block(i, text, heading, tuple(pieces), tuple(s for _, _, s in spans)))
        return blocks

    def ancestors(self, org_id: str) -> list[str]:
        """The organization and its parents, nearest first (cycles are refused by the check)."""
        chain: list[str] = []
        cur: str | None = org_id
        while cur and cur in self.organizations and cur not in chain:
            chain.append(cur)
            cur = self.organizations[cur].parent
        return chain

    def state_of(self, org_id: str) -> str | None:
        for anc in self.ancestors(org_id):
            if self.organizations[anc].kind == "state":
                return anc
        return None

    def _related(self, meeting: Meeting) -> Collection[Meeting]:
        """Other meetings sharing a party or a participant (in no order)."""
        people = {p.person for p in meeting.participants}
        seen: dict[str, Meeting] = {}
        for p in people:
            for m in self.meetings_by_person.get(p, []):
                seen[m.id] = m
        for org in meeting.parties:
            for m in self.meetings_by_org.get(org, []):
                seen[m.id] = m
        seen.pop(meeting.id, None)
        return seen.values()

    def nearest_related(self, meeting: Meeting, limit: int) -> tuple[list[Meeting], bool]:
        """The ``limit`` related meetings nearest in date to ``meeting`` (the closer first, then
        the later, then by id), newest first; and whether there are others. A meeting's page shows
        what happened around it, so it changes when a meeting is added near it, not whenever one
        of its parties meets again (the newest related meetings are on the parties' pages)."""
        related: Collection[Meeting] = self._related(meeting)
        more = len(related) > limit
        if more:
            when = meeting.date.start

            def distance(m: Meeting) -> tuple[int, int, str]:
                days = (m.date.start - when).days
                return abs(days), 0 if days > 0 else 1, m.id

            related = heapq.nsmallest(limit, related, key=distance)
        return sorted(related, key=lambda m: (m.date.start, m.id), reverse=True), more

    def role_at(self, person_id: str, when: date) -> Role | None:
        """The person's role on a date: the latest role that had started and not ended."""
        person = self.people.get(person_id)
        if person is None:
            return None
        current = [r for r in person.roles
                   if (r.start is None or r.start <= when) and (r.end is None or r.end >= when)]
        current.sort(key=lambda r: r.start or date.min, reverse=True)
        return current[0] if current else None

    def source_date(self, file: str) -> date | None:
        """The latest publication (or retrieval) date of the sources a content file holds."""
        return self._source_dates.get(file)

    @cached_property
    def _source_dates(self) -> dict[str, date]:
        dates: dict[str, date] = {}
        for s in self.sources.values():
            file, when = s._origin[0], s.retrieved or s.published
            dates[file] = max(when, dates.get(file, when))
        return dates

    def participant_side(self, meeting: Meeting, person_id: str) -> str | None:
        for p in meeting.participants:
            if p.person == person_id:
                return p.side
        return None
