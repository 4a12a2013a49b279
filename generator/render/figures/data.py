"""What each figure shows, as plain data (ids, dates, counts): language-independent, computed
once from the corpus and used for both the SVG and the table beside it, so the two agree."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from generator.core.corpus import JOINT, Corpus
from generator.core.model import Meeting, Statement

# --- positions matrix ------------------------------------------------------------------------


@dataclass(frozen=True)
class Speaker:
    """Who spoke: ``kind`` is person, organization or joint; ``ids`` one id (or the joint parties)."""

    kind: str
    ids: tuple[str, ...]

    @classmethod
    def of(cls, st: Statement) -> Speaker:
        sp = st.speaker
        if sp.person:
            return cls("person", (sp.person,))
        if sp.organization:
            return cls("organization", (sp.organization,))
        return cls("joint", tuple(sp.joint or ()))


@dataclass(frozen=True)
class MatrixRow:
    side: str  # party id, or JOINT
    speaker: Speaker


@dataclass(frozen=True)
class MatrixCell:
    statement: str
    stance: str
    date: date
    meeting: str


@dataclass(frozen=True)
class Matrix:
    rows: tuple[MatrixRow, ...]
    columns: tuple[str | None, ...]  # topic ids (None: statements without a topic)
    cells: dict[tuple[int, int], tuple[MatrixCell, ...]]
    hidden_speakers: int = 0  # speakers left out to keep the figure legible (listed in the tables)

    def entries(self) -> list[tuple[MatrixRow, str | None, MatrixCell]]:
        """Every cell entry in reading order: row by row, column by column, oldest first."""
        return [(row, col, cell)
                for r, row in enumerate(self.rows) for c, col in enumerate(self.columns)
                for cell in self.cells.get((r, c), ())]


def _matrix(corpus: Corpus, statements: list[Statement], side_order: list[str],
            first_topics: list[str]) -> Matrix | None:
    if not statements:
        return None
    sides = corpus.sides
    rank = {s: i for i, s in enumerate(side_order)}

    def row_key(row: MatrixRow) -> tuple:
        return (rank.get(row.side, len(rank)), row.side == JOINT, row.side, row.speaker.kind != "person",
                row.speaker.ids)

    rows = sorted({MatrixRow(sides.get(st.id, JOINT), Speaker.of(st)) for st in statements}, key=row_key)
    seen = {t for st in statements for t in st.topics}
    columns: list[str | None] = [t for t in first_topics if t in seen]
    columns += sorted(seen - set(columns))
    if any(not st.topics for st in statements):
        columns.append(None)
    r_index = {row: i for i, row in enumerate(rows)}
    c_index = {col: i for i, col in enumerate(columns)}
    cells: dict[tuple[int, int], list[MatrixCell]] = defaultdict(list)
    for st in statements:
        r = r_index[MatrixRow(sides.get(st.id, JOINT), Speaker.of(st))]
        meeting = corpus.meetings[st.meeting]
        keys: list[str | None] = [*st.topics] or [None]
        for t in keys:
            cells[(r, c_index[t])].append(MatrixCell(st.id, st.stance, meeting.date.start, meeting.id))
    ordered = {k: tuple(sorted(v, key=lambda c: (c.date, c.statement))) for k, v in sorted(cells.items())}
    return Matrix(tuple(rows), tuple(columns), ordered)


def meeting_matrix(corpus: Corpus, meeting_id: str) -> Matrix | None:
    meeting = corpus.meetings[meeting_id]
    statements = corpus.statements_by_meeting.get(meeting_id, [])
    return _matrix(corpus, statements, [*meeting.parties, JOINT], list(meeting.topics))


MAX_TOPIC_SPEAKERS = 24


def topic_matrix(corpus: Corpus, topic_id: str) -> Matrix | None:
    """A topic's statements: who took which position on it, and on which topics tied to it.
    Only the MAX_TOPIC_SPEAKERS speakers with the most statements on it are drawn, so the figure
    (and its cost) stays bounded as the archive grows; the topic page's tables list everyone."""
    statements = corpus.statements_by_topic.get(topic_id, [])
    counts = Counter(Speaker.of(st) for st in statements)
    hidden = 0
    if len(counts) > MAX_TOPIC_SPEAKERS:
        keep = {sp for sp, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].kind, kv[0].ids))
                [:MAX_TOPIC_SPEAKERS]}
        hidden = len(counts) - len(keep)
        statements = [st for st in statements if Speaker.of(st) in keep]
    sides = sorted({corpus.sides.get(st.id, JOINT) for st in statements}, key=lambda s: (s == JOINT, s))
    m = _matrix(corpus, statements, sides, [topic_id])
    return Matrix(m.rows, m.columns, m.cells, hidden) if m and hidden else m


# --- timelines -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineRow:
    counterpart: tuple[str, ...]  # party ids; () for meetings without a counterpart
    meetings: tuple[Meeting, ...]  # oldest first


@dataclass(frozen=True)
class Timeline:
    rows: tuple[TimelineRow, ...]
    first: date
    last: date


def _oldest_first(meetings: list[Meeting]) -> tuple[Meeting, ...]:
    return tuple(sorted(dict((m.id, m) for m in meetings).values(), key=lambda m: (m.date.start, m.id)))


def _timeline(groups: dict[tuple[str, ...], list[Meeting]]) -> Timeline | None:
    if not groups:
        return None
    rows = tuple(TimelineRow(k, _oldest_first(v)) for k, v in sorted(groups.items(), key=lambda kv: (kv[0] == (), kv[0])))
    every = [m for row in rows for m in row.meetings]
    return Timeline(rows, min(m.date.start for m in every), max(m.date.last for m in every))


def org_timeline(corpus: Corpus, org_id: str) -> Timeline | None:
    """An organization's meetings, one row per other party (a state's counterparts)."""
    groups: dict[tuple[str, ...], list[Meeting]] = defaultdict(list)
    for m in corpus.meetings_by_org.get(org_id, []):
        others: list[str | None] = [p for p in m.parties if p != org_id]
        for other in others or [None]:
            groups[(other,) if other else ()].append(m)
    return _timeline(groups)


def person_timeline(corpus: Corpus, person_id: str) -> Timeline | None:
    """A person's meetings, one row per party on the other side of the table."""
    groups: dict[tuple[str, ...], list[Meeting]] = defaultdict(list)
    for m in corpus.meetings_by_person.get(person_id, []):
        mine = corpus.participant_side(m, person_id)
        others: list[str | None] = [p for p in m.parties if p != mine]
        for other in others or [None]:
            groups[(other,) if other else ()].append(m)
    return _timeline(groups)


HOME_TIMELINE_MEETINGS = 100  # the home page stays the same size as the archive grows


def home_timeline(corpus: Corpus) -> Timeline | None:
    """The latest meetings (at most HOME_TIMELINE_MEETINGS), one row per set of parties (e.g.
    Russia–Syria); the full record is on the timeline page."""
    groups: dict[tuple[str, ...], list[Meeting]] = defaultdict(list)
    for m in corpus.meetings_by_date[:HOME_TIMELINE_MEETINGS]:
        groups[tuple(sorted(dict.fromkeys(m.parties)))].append(m)
    return _timeline(groups)


# --- who met whom ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    meetings: tuple[str, ...]  # meeting ids, oldest first

    @property
    def weight(self) -> int:
        return len(self.meetings)


@dataclass(frozen=True)
class Network:
    nodes: tuple[str, ...]            # person ids, in layout order (grouped by state)
    groups: dict[str, str | None]      # person id -> state (or party) id
    edges: tuple[Edge, ...]
    centre: str | None = None          # the person a person page is about


def _network(corpus: Corpus, people: set[str], centre: str | None) -> Network | None:
    if not people:
        return None
    groups = {p: corpus.person_states[p] for p in sorted(people)}  # in a stable order (the dependency map digests it)
    order = sorted(people, key=lambda p: (groups[p] is None, groups[p] or "", p))
    met = corpus.met_by_person
    # the pairs among these people, in (a, b) order, without looking at every pair in the archive
    pairs = sorted((a, b) for a in people for b in met.get(a, ()) if a < b and b in people)
    edges = tuple(Edge(a, b, tuple(m.id for m in _oldest_first(met[a][b]))) for a, b in pairs)
    return Network(tuple(order), groups, edges, centre)


#: At most this many people in one drawing (the most-met first), so names stay legible.
MAX_PEOPLE = 40


def home_network(corpus: Corpus) -> Network | None:
    people = {p.person for m in corpus.meetings.values() for p in m.participants if p.person in corpus.people}
    if len(people) > MAX_PEOPLE:
        busiest = sorted(people, key=lambda p: (-len(corpus.meetings_by_person.get(p, [])), p))
        people = set(busiest[:MAX_PEOPLE])
    return _network(corpus, people, None)


def person_network(corpus: Corpus, person_id: str) -> Network | None:
    if not corpus.meetings_by_person.get(person_id):
        return None
    times = {other: len(ms) for other, ms in corpus.met_by_person.get(person_id, {}).items()}
    met = sorted(times, key=lambda p: (-times[p], p))[: MAX_PEOPLE - 1]
    return _network(corpus, {person_id, *met}, person_id)
