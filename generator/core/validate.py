"""Stage 2: check the whole model at once and build the Corpus.

Cross-file rules live here: unique ids, references, organization cycles, dates against
sources, quotes against their source text, speakers against participants, translations.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from generator.outputs.briefings import load_briefings
from generator.core.corpus import JOINT, Corpus
from generator.errors import ContentError, Diagnostic, Reported, Severity, diag, did_you_mean
from generator.kinds import KINDS
from generator.core.loader import Loaded, load_content, reused_cache
from generator.core.model import Bilingual, Entity, Meeting, Statement
from generator.core.arabic import normalize
from generator.core import stances
from generator.core.provenance import SourceIndex
from generator.workers import beside

#: Dates before this year are reported as likely typos (date-implausible).
MIN_YEAR = 1900
#: Sources whose quote index (normalized text, offset maps) the check keeps at once.
INDEXES_KEPT = 16

KIND_OF: dict[type, str] = {k.model: k.name for k in KINDS}

T = TypeVar("T")


def a(kind: str) -> str:
    """'a person', 'an organization'."""
    return ("an " if kind[0] in "aeiou" else "a ") + kind


@dataclass
class Checked(Reported):
    corpus: Corpus
    diagnostics: list[Diagnostic]


class _Checker:
    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.out: list[Diagnostic] = list(loaded.diagnostics)
        self.corpus = Corpus()
        self.defined: dict[str, Entity] = {}
        self.briefing_problems: list[Diagnostic] = []
        cache = reused_cache()  # the live preview: records of unchanged files are not checked again
        self.memo = cache.checks if cache is not None else None

    def _remembered(self, check: str) -> tuple[dict[str, tuple[tuple[object, ...], Any]], dict[str, tuple[tuple[object, ...], Any]]]:
        """(the previous load's results of ``check``, this load's, to fill): the latter replaces the
        former once filled, so results of records gone are let go."""
        before = self.memo.get(check, {}) if self.memo is not None else {}
        now: dict[str, tuple[tuple[object, ...], Any]] = {}
        if self.memo is not None:
            self.memo[check] = now
        return before, now

    @staticmethod
    def _hit(before: dict[str, tuple[tuple[object, ...], Any]], key: str, objs: tuple[object, ...]) -> Any:
        """The remembered result for ``key`` if it was worked out from these very objects, else None."""
        hit = before.get(key)
        if hit is None or len(hit[0]) != len(objs):
            return None
        for old, new in zip(hit[0], objs):
            if old is not new:
                return None
        return hit[1]

    # -- helpers ---------------------------------------------------------------------------
    def at(self, entity: Entity, *field: str | int, key: bool = False) -> tuple[str, tuple[int, int]]:
        file, path = entity._origin
        return file, self.loaded.docs[file].pos(path + field, key=key)

    def add(self, entity: Entity, field: tuple, code: str, message: str, hint: str | None = None) -> None:
        file, pos = self.at(entity, *field)
        self.out.append(diag(file, pos, code, message, hint))

    def ref(self, entity: Entity, field: tuple, value: str | None, table: dict, kind: str) -> bool:
        if value is None or value in table:
            return True
        if value in self.loaded.broken_ids:
            return False  # already reported where it is defined
        if value in self.corpus.redirects and self.corpus.redirects[value] in table:
            self.add(entity, field, "ref-unknown", f"'{value}' is a previous id of {kind} '{self.corpus.redirects[value]}'",
                     f"use the current id '{self.corpus.redirects[value]}'")
            return False
        other = self.defined.get(value)
        hint = (f"'{value}' is {a(KIND_OF[type(other)])}, not {a(kind)}" if other is not None
                else did_you_mean(value, table) or f"define the {kind} first (docs/schema.md)")
        self.add(entity, field, "ref-unknown", f"unknown {kind} '{value}'", hint)
        return False

    # -- stages ----------------------------------------------------------------------------
    def run(self) -> Checked:
        self.build()
        self.report()
        return self.finish()

    def build(self) -> None:
        """The checks that make the corpus: its tables and redirects, the quotes' spans, the briefings."""
        self.collect()
        self.check_refs()
        self.check_org_cycles()
        self.check_dates()
        self.check_quotes()
        self.corpus.briefings, self.briefing_problems = load_briefings(self.loaded.root / "briefings", self.corpus)

    def report(self) -> None:
        """The checks that only report: they read the corpus :meth:`build` made and leave it as it is
        (so they can run in another process while this one goes on with it: :func:`load_and_check_beside`)."""
        self.check_stances()
        self.check_text()
        self.check_placeholders()

    def finish(self) -> Checked:
        self.mark_unknown_speakers()
        self.out += self.briefing_problems
        return Checked(self.corpus, self.out)

    #: the checks of :meth:`report` whose results are remembered, record by record
    REPORTED = ("stances", "text", "placeholders")

    def report_apart(self) -> tuple[list[Diagnostic], dict[str, list[tuple[str, list[Diagnostic]]]]]:
        """:meth:`report`, for another process: what it adds to the diagnostics, and the results it
        remembered for each record (each record's diagnostics, without the records themselves:
        :meth:`take_report` pairs them with this process's own)."""
        start = len(self.out)
        self.report()
        found = self.out[start:]
        del self.out[start:]
        kept = ({check: [(key, diags) for key, (_objs, diags) in self.memo[check].items()] for check in self.REPORTED}
                if self.memo is not None else {})
        return found, kept

    def take_report(self, report: tuple[list[Diagnostic], dict[str, list[tuple[str, list[Diagnostic]]]]]) -> None:
        """What :meth:`report_apart` found in another process, as if :meth:`report` had run here."""
        found, kept = report
        self.out += found
        if self.memo is None:
            return
        for check in self.REPORTED:
            objs = self._objs_of(check)
            self.memo[check] = {key: (objs(key), diags) for key, diags in kept.get(check, [])}

    def _objs_of(self, check: str) -> Callable[[str], tuple[object, ...]]:
        """For a check of :data:`REPORTED`: what it reads for a record, by the record's id."""
        if check == "stances":
            return lambda key: self._stance_objs(self.corpus.statements[key])
        return lambda key: self._record_objs(self.defined[key])

    def collect(self) -> None:
        tables = {k.key: getattr(self.corpus, k.plural) for k in KINDS}
        for kind, entities in self.loaded.entities.items():
            for e in entities:
                first = self.defined.get(e.id)
                if first is not None:
                    f, pos = self.at(first)
                    self.add(e, ("id",), "id-duplicate", f"id '{e.id}' is already used by {a(KIND_OF[type(first)])}",
                             f"first defined at {f}:{pos[0]}; ids are unique across all files and kinds")
                    continue
                self.defined[e.id] = e
                tables[kind][e.id] = e
        for e in list(self.defined.values()):
            for i, old in enumerate(e.previous_ids):
                if old in self.defined:
                    self.add(e, ("previous_ids", i), "id-reused",
                             f"previous id '{old}' is the current id of {a(KIND_OF[type(self.defined[old])])}",
                             "an id once published keeps pointing to its entity; choose another id")
                elif old in self.corpus.redirects:
                    self.add(e, ("previous_ids", i), "id-reused",
                             f"previous id '{old}' is also claimed by '{self.corpus.redirects[old]}'")
                else:
                    self.corpus.redirects[old] = e.id

    def check_refs(self) -> None:
        c = self.corpus
        for p in c.people.values():
            for i, r in enumerate(p.roles):
                self.ref(p, ("roles", i, "organization"), r.organization, c.organizations, "organization")
        for o in c.organizations.values():
            self.ref(o, ("parent",), o.parent, c.organizations, "organization")
        for s in c.sources.values():
            self.ref(s, ("outlet",), s.outlet, c.organizations, "organization")
        for m in c.meetings.values():
            for i, org in enumerate(m.parties):
                self.ref(m, ("parties", i), org, c.organizations, "organization")
            for i, part in enumerate(m.participants):
                self.ref(m, ("participants", i, "person"), part.person, c.people, "person")
                if part.side not in m.parties and self.ref(m, ("participants", i, "side"), part.side, c.organizations, "organization"):
                    self.add(m, ("participants", i, "side"), "ref-side", f"side '{part.side}' is not one of the meeting's parties",
                             f"parties are: {', '.join(m.parties)}")
            for i, t in enumerate(m.topics):
                self.ref(m, ("topics", i), t, c.topics, "topic")
            for i, sid in enumerate(m.sources):
                self.ref(m, ("sources", i), sid, c.sources, "source")
            self.ref(m, ("date", "basis"), m.date.basis, c.sources, "source")
            if m.host and m.host not in m.parties:
                self.add(m, ("host",), "ref-side", f"host '{m.host}' is not one of the meeting's parties",
                         f"parties are: {', '.join(m.parties)}")
        for st in c.statements.values():
            self.check_statement_refs(st)

    def check_statement_refs(self, st: Statement) -> None:
        c = self.corpus
        meeting_ok = self.ref(st, ("meeting",), st.meeting, c.meetings, "meeting")
        sp = st.speaker
        self.ref(st, ("speaker", "person"), sp.person, c.people, "person")
        self.ref(st, ("speaker", "organization"), sp.organization, c.organizations, "organization")
        for i, org in enumerate(sp.joint or []):
            self.ref(st, ("speaker", "joint", i), org, c.organizations, "organization")
        self.ref(st, ("side",), st.side, c.organizations, "organization")
        for i, t in enumerate(st.topics):
            self.ref(st, ("topics", i), t, c.topics, "topic")
        self.ref(st, ("reported_by",), st.reported_by, c.organizations, "organization")
        source_ok = self.ref(st, ("provenance", "source"), st.provenance.source, c.sources, "source")
        if not meeting_ok:
            return
        meeting = c.meetings[st.meeting]
        if sp.person and sp.person in c.people and not any(p.person == sp.person for p in meeting.participants):
            self.add(st, ("speaker", "person"), "speaker-not-participant",
                     f"'{sp.person}' is not a participant of meeting '{meeting.id}'",
                     "add the person to the meeting's participants, or check the meeting id")
        if source_ok and st.provenance.source not in meeting.sources:
            self.add(st, ("provenance", "source"), "source-not-cited",
                     f"source '{st.provenance.source}' is not among the sources of meeting '{meeting.id}'",
                     "add it to the meeting's sources")
        c.sides[st.id] = self.side_of(st, meeting)

    def side_of(self, st: Statement, meeting: Meeting) -> str:
        c = self.corpus
        if st.side:
            return st.side
        if st.speaker.joint:
            return JOINT
        if st.speaker.person:
            side = c.participant_side(meeting, st.speaker.person)
            if side:
                return side
            role = c.role_at(st.speaker.person, meeting.date.start)
            if role and role.organization:
                return c.state_of(role.organization) or role.organization
        if st.speaker.organization:
            return c.state_of(st.speaker.organization) or st.speaker.organization
        return JOINT

    def check_org_cycles(self) -> None:
        orgs = self.corpus.organizations
        reported: set[str] = set()
        for start in orgs:
            chain: list[str] = []
            cur: str | None = start
            while cur in orgs and cur not in chain:
                chain.append(cur)
                cur = orgs[cur].parent
            if cur in chain and cur not in reported:
                cycle = chain[chain.index(cur):]
                reported.update(cycle)
                self.add(orgs[cur], ("parent",), "org-cycle", "organization parents form a cycle: " + " → ".join(cycle + [cur]),
                         "one of them must have no parent, or another parent")

    def check_dates(self) -> None:
        c = self.corpus
        for m in c.meetings.values():
            if m.date.end and m.date.end < m.date.start:
                self.add(m, ("date", "end"), "date-range", f"the meeting ends ({m.date.end}) before it starts ({m.date.start})",
                         "swap start and end")
            for sid in m.sources:
                src = c.sources.get(sid)
                if src and m.date.start > src.published:
                    self.add(m, ("date", "start"), "date-after-source",
                             f"the meeting starts {m.date.start}, after source '{sid}' was published ({src.published})",
                             "a source can only report meetings that began before it was published")
        for p in c.people.values():
            for i, r in enumerate(p.roles):
                if r.start and r.end and r.end < r.start:
                    self.add(p, ("roles", i, "end"), "date-range", f"the role ends ({r.end}) before it starts ({r.start})")
        for s in c.sources.values():
            if s.retrieved and s.retrieved < s.published:
                self.add(s, ("retrieved",), "date-range", f"retrieved ({s.retrieved}) before it was published ({s.published})")
        self.check_implausible_dates()

    def check_implausible_dates(self) -> None:
        """Warn about dates that are most likely typos (2205 for 2025): before 1900, or more
        than a year after what the source could know (its publication year + 1)."""
        c = self.corpus
        this_year = date.today().year

        def warn(entity: Entity, field: tuple, when: date, why: str) -> None:
            self.add(entity, field, "date-implausible", f"{'.'.join(map(str, field))}: {when} is {why}",
                     "check the year for a typo (a date this far out is rarely right)")

        field: tuple[str, ...]
        for s in c.sources.values():
            for field, when in (("published",), s.published), (("retrieved",), s.retrieved):
                if when and when.year < MIN_YEAR:
                    warn(s, field, when, f"before {MIN_YEAR}")
                elif when and when.year > this_year + 1:
                    warn(s, field, when, f"after next year ({this_year + 1})")
        for m in c.meetings.values():
            years = [c.sources[sid].published.year for sid in m.sources if sid in c.sources]
            for field, when in (("date", "start"), m.date.start), (("date", "end"), m.date.end):
                if when is None:
                    continue
                if when.year < MIN_YEAR:
                    warn(m, field, when, f"before {MIN_YEAR}")
                elif years and when.year > max(years) + 1:
                    warn(m, field, when, f"after the year following its source's publication ({max(years)})")
        for p in c.people.values():
            for i, r in enumerate(p.roles):
                for name, when in ("start", r.start), ("end", r.end):
                    if when and when.year < MIN_YEAR:
                        warn(p, ("roles", i, name), when, f"before {MIN_YEAR}")

    def check_quotes(self) -> None:
        c = self.corpus
        # the sources' normalized text and offset maps, for the few sources used last (a source's
        # statements mostly stand together): all of them at once would hold the archive twice more
        indexes: OrderedDict[str, SourceIndex] = OrderedDict()
        before, now = self._remembered("quotes")
        for st in c.statements.values():
            src = c.sources.get(st.provenance.source)
            if src is None:
                continue
            # a statement and its source as they were: what the check found then (the lookup of a
            # span in the source's text is a function of the two records alone)
            hit = self._hit(before, st.id, (st, src, self.loaded.docs.get(st._origin[0])))
            if hit is None:
                start = len(self.out)
                self._check_quote(st, src, indexes)
                hit = (self.out[start:], c.spans.get(st.id), c.word_spans.get(st.id))
            else:
                self.out += hit[0]
                if hit[1] is not None:
                    c.spans[st.id] = hit[1]
                if hit[2] is not None:
                    c.word_spans[st.id] = hit[2]
            now[st.id] = ((st, src, self.loaded.docs.get(st._origin[0])), hit)

    def _check_quote(self, st: Statement, src: Any, indexes: OrderedDict[str, SourceIndex]) -> None:
        c = self.corpus
        index = indexes.get(src.id)
        if index is None:
            index = indexes[src.id] = SourceIndex(src)
            if len(indexes) > INDEXES_KEPT:
                indexes.popitem(last=False)
        else:
            indexes.move_to_end(src.id)
        pv = st.provenance
        if not normalize(pv.exact):
            self.add(st, ("provenance", "exact"), "quote-empty", "the quoted span is blank", "copy the words from the article")
            return
        spans = index.find(pv.exact, pv.prefix, pv.suffix)
        if not spans:
            para, excerpt = index.closest(pv.exact)
            self.add(st, ("provenance", "exact"), "quote-not-found", f"the span does not occur in source '{src.id}'",
                     f"closest match in paragraph {para}: \u00ab{excerpt}\u00bb")
            return
        if len(spans) > 1:
            paras = ", ".join(str(s.paragraph) for s in spans)
            self.add(st, ("provenance", "exact"), "quote-ambiguous",
                     f"the span occurs {len(spans)} times in source '{src.id}' (paragraphs {paras})",
                     "make it longer, or add prefix:/suffix: with the words around it")
            return
        c.spans[st.id] = spans[0]
        words = st.words.ar if st.words and src.language == "ar" else (st.words.en if st.words else None)
        if words is None:
            return
        if not normalize(words):
            self.add(st, ("words",), "quote-empty", "the quoted words are blank")
            return
        in_para = [s for s in index.find(words) if s.paragraph == spans[0].paragraph]
        if not in_para:
            para, excerpt = index.closest(words)
            self.add(st, ("words", src.language), "quote-not-found",
                     f"the quoted words do not occur in paragraph {spans[0].paragraph} of '{src.id}'",
                     f"closest match in paragraph {para}: \u00ab{excerpt}\u00bb")
        else:
            c.word_spans[st.id] = in_para[0]

    def check_stances(self) -> None:
        """:func:`generator.core.stances.check`, statement by statement: one whose record, source and
        span are those of the last check reports what it reported then."""
        c = self.corpus
        before, now = self._remembered("stances")
        memo: dict[str, frozenset[str]] = {}
        chains: dict[str, set[int]] = {}

        def warn(st: Statement, field: tuple, code: str, msg: str, hint: str) -> None:
            self.add(st, field, code, msg, hint)

        for st in c.statements.values():
            objs = self._stance_objs(st)
            found = self._hit(before, st.id, objs)
            if found is None:
                start = len(self.out)
                stances.check_one(c, st, warn, memo, chains)
                found = self.out[start:]
            else:
                self.out += found
            now[st.id] = (objs, found)

    def _stance_objs(self, st: Statement) -> tuple[object, ...]:
        """What a statement's stance check reads: the statement, its source and file, its span."""
        c = self.corpus
        return (st, c.sources.get(st.provenance.source), self.loaded.docs.get(st._origin[0]), c.spans.get(st.id))

    def _record_objs(self, e: Entity) -> tuple[object, ...]:
        """What a check of one record alone reads: the record and its file."""
        return (e, self.loaded.docs.get(e._origin[0]))

    def check_text(self) -> None:
        before, now = self._remembered("text")
        for e in self.defined.values():
            self._per_record(before, now, e, self._check_text)

    def _per_record(self, before: dict[str, tuple[tuple[object, ...], Any]], now: dict[str, tuple[tuple[object, ...], Any]],
                    e: Entity, check: Callable[[Entity], None]) -> None:
        """``check(e)``, or what it reported the last time for this very record (a check of the
        record alone: its diagnostics are all it leaves)."""
        objs = self._record_objs(e)
        found = self._hit(before, e.id, objs)
        if found is None:
            start = len(self.out)
            check(e)
            found = self.out[start:]
        else:
            self.out += found
        now[e.id] = (objs, found)

    def _check_text(self, e: Entity) -> None:
        for note_i, _ in enumerate(e.review):
            self.add(e, ("review", note_i), "review-pending", f"review note: {e.review[note_i]}",
                     "resolve it and delete the note; --strict refuses unreviewed records")
        for path, value in _bilinguals(e, ()):
            missing = [lang for lang in ("ar", "en") if not (getattr(value, lang) or "").strip()]
            for lang in missing:
                self.add(e, path, "missing-translation", f"{'.'.join(map(str, path))}: no {'Arabic' if lang == 'ar' else 'English'} text ({lang})",
                         f"add '{lang}:'")

    def check_placeholders(self) -> None:
        """The gate on drafts of `factsheets new`: every placeholder it writes is a warning
        (so an error under --strict) whether or not review notes remain; ``speaker: unknown``
        is an error (the statement has no speaker until a human sets one)."""
        before, now = self._remembered("placeholders")
        for e in self.defined.values():
            self._per_record(before, now, e, self._check_placeholders)

    def mark_unknown_speakers(self) -> None:
        """``speaker: unknown`` (a draft's placeholder) is reported as such, not as a type error."""
        for i, d in enumerate(self.out):
            if d.code == "type" and d.message.endswith(".speaker: expected a mapping, found text"):
                keys = tuple(int(k) if k.isdigit() else k for k in d.message.split(":")[0].split("."))
                if _raw(getattr(self.loaded.docs.get(d.path), "data", None), keys) == "unknown":
                    self.out[i] = Diagnostic(d.path, d.line, d.col, "placeholder",
                                             f"{d.message.split(':')[0]}: unknown (written by `factsheets new`: "
                                             "no speaker found)", "set the speaker: {person: ID}, {organization: "
                                             "ID} or {joint: [IDS]}; the statement is left out until then",
                                             Severity.ERROR)


    def _check_placeholders(self, e: Entity) -> None:
        for path, value in _strings(e, ()):
            m = PLACEHOLDER_RE.search(value)
            if m:
                self.add(e, path, "placeholder", f"{'.'.join(map(str, path))}: placeholder {m.group()!r} "
                         "written by `factsheets new`", "write the real value (docs/intake.md, the gate)")


#: Placeholders `factsheets new` writes (docs/intake.md): [translate], [translate: …], [draft: …],
#: [unknown], [غير معروف], [ترجمة].
PLACEHOLDER_RE = re.compile(r"\[(?:translate|draft|unknown|ترجمة|غير معروف)(?::[^\]]*)?\]")


def _raw(data: object, keys: tuple) -> object:
    for k in keys:
        try:
            data = data[k]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _strings(obj: BaseModel, path: tuple) -> Iterator[tuple[tuple, str]]:
    """Every text value of a record that may hold a placeholder (quick test on '[' first)."""
    for name in type(obj).model_fields:
        if name == "review":
            continue
        value = getattr(obj, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, v in items:
            p = path + ((name,) if i is None else (name, i))
            if isinstance(v, str):
                if "[" in v:
                    yield p, v
            elif isinstance(v, BaseModel):
                yield from _strings(v, p)


def _bilinguals(obj: BaseModel, path: tuple) -> Iterator[tuple[tuple, Bilingual]]:
    for name in type(obj).model_fields:
        value = getattr(obj, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, v in items:
            p = path + ((name,) if i is None else (name, i))
            if isinstance(v, Bilingual):
                yield p, v
            elif isinstance(v, BaseModel):
                yield from _bilinguals(v, p)


def check(loaded: Loaded) -> Checked:
    return _Checker(loaded).run()


def load_and_check(root: Path, strict: bool = False) -> Checked:
    """Load and validate (in one process); raise ContentError on errors (on warnings too when ``strict``)."""
    return _verdict(check(load_content(root)), strict)


def _verdict(checked: Checked, strict: bool) -> Checked:
    if checked.errors or (strict and checked.warnings):
        raise ContentError(checked.diagnostics)
    return checked


def load_and_check_beside(root: Path, meanwhile: Callable[[Corpus], T], strict: bool = False,
                          fork: bool = True) -> tuple[Checked, T]:
    """:func:`load_and_check`, and ``meanwhile(corpus)`` (the generator's plan, which needs the
    corpus but not the verdict) done here while the checks that only report run in a forked
    child (``fork``, where this process can fork; else one after the other). The same
    diagnostics, in the same order, as :func:`load_and_check`. Bad content is reported as such:
    when the checks find errors, an error ``meanwhile`` raised on that content is not raised."""
    checker = _Checker(load_content(root))
    checker.build()
    apart = beside(checker.report_apart) if fork else None
    if apart is None:
        checker.report()
        checked = _verdict(checker.finish(), strict)
        return checked, meanwhile(checked.corpus)
    failure: Exception | None = None
    try:
        made = meanwhile(checker.corpus)
    except Exception as exc:  # noqa: BLE001 - raised below unless the content is at fault
        failure = exc
    checker.take_report(apart())
    checked = _verdict(checker.finish(), strict)
    if failure is not None:
        raise failure
    return checked, made
