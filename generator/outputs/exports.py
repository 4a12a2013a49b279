"""Machine-readable exports at stable URLs (docs/exports.md).

Written at the site root (for the default language only, since they do not depend on it):

    exports/dataset.json            the whole model + derived provenance (paragraph, offsets)
    exports/dataset.schema.json     its JSON Schema (also kept in the repo: schema/dataset.schema.json)
    exports/statements.csv          one row per statement, both languages
    exports/meetings/<id>.json      one meeting with everything it refers to (same schema)

and, in each language's folder, an Atom feed of the fact sheets (meetings), newest first:
``feed.xml`` (Arabic, site root) and ``en/feed.xml`` (English).

:func:`load_dataset` reads a dataset back into a :class:`~generator.core.corpus.Corpus` whose
model objects equal the originals.
"""

from __future__ import annotations

import csv
import html
import io
import json
import uuid
import xml.etree.ElementTree as ET
from datetime import date, datetime, time, timezone
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

from generator import __version__
from generator.core.arabic import strip_unsafe
from generator.core.corpus import JOINT, Corpus
from generator import urls
from generator.i18n import fmt_date, list_sep, load_catalog
from generator.kinds import BY_PLURAL, EXPORT_ORDER
from generator.core.model import ID_RE, Entity, Statement
from generator.urls import DEFAULT_LANG, LANGS, absolute
from generator.core.provenance import Span
from generator.outputs.pieces import Pieced, RecordedFile
from generator.publish.incremental import RecordedCorpus, note_id
from generator.resources import project_templates

SCHEMA_VERSION = "1.1"  # 1.1: statements.key
#: kind in the dataset -> model class, in the order they are written
KINDS: dict[str, type[Entity]] = {kind: BY_PLURAL[kind].model for kind in EXPORT_ORDER}
ATOM = "http://www.w3.org/2005/Atom"
XML_NS = "http://www.w3.org/XML/1998/namespace"

CSV_COLUMNS = ("id", "meeting", "date", "speaker_ids", "speaker_names_ar", "speaker_names_en", "side",
               "stance", "mode", "topics", "summary_ar", "summary_en", "words_ar", "words_en", "source",
               "outlet", "published", "paragraph", "start", "end", "exact", "permalink", "permalink_en")


# --- URLs -------------------------------------------------------------------------------------

def page_path(kind: str, ident: str, lang: str = DEFAULT_LANG) -> str:
    """The URL path of an entity's fact sheet, relative to the site root (directory URLs)."""
    return urls.site_path(kind, ident, lang)


def statement_path(corpus: Corpus, sid: str, lang: str = DEFAULT_LANG) -> str:
    return urls.statement_site_path(corpus.statements[sid].meeting, sid, lang)


# --- the dataset ------------------------------------------------------------------------------

def _span(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"source": span.source, "paragraph": span.paragraph, "start": span.start, "end": span.end}


def _dump(entity: Any) -> dict[str, Any]:
    return entity.model_dump(mode="json")


def dataset(corpus: Corpus, *, only: dict[str, set[str]] | None = None,
            scope: dict[str, str] | None = None,
            dumps: dict[tuple[str, str], dict[str, Any]] | None = None) -> dict[str, Any]:
    """The model as plain JSON data (entities sorted by id), with what the check derived.
    ``dumps``: a cache of entities already dumped, shared by the per-meeting exports (an
    entity appears in many of them)."""
    cache = {} if dumps is None else dumps

    def record(kind: str, entity: Entity) -> dict[str, Any]:
        if (kind, entity.id) not in cache:
            cache[kind, entity.id] = _dump(entity)
        return cache[kind, entity.id]

    return _dataset(corpus, only, scope, record)


def _dataset(corpus: Corpus, only: dict[str, set[str]] | None, scope: dict[str, str] | None,
             record: Callable[[str, Entity], Any]) -> dict[str, Any]:
    """:func:`dataset`, with each entity's record made by ``record(kind, entity)``."""
    out: dict[str, Any] = {"schema_version": SCHEMA_VERSION,
                           "generator": {"name": "factsheets", "version": __version__}}
    if scope:
        out["scope"] = scope
    stmt_ids: list[str] = []
    for kind in KINDS:
        table = getattr(corpus, kind)
        ids = sorted(table if only is None else (i for i in only.get(kind, ()) if i in table))
        out[kind] = [record(kind, table[i]) for i in ids]
        if kind == "statements":
            stmt_ids = ids
    out["derived"] = {
        "statements": {sid: {"side": corpus.sides.get(sid),
                             "span": _span(corpus.spans.get(sid)),
                             "words_span": _span(corpus.word_spans.get(sid)),
                             "path": statement_path(corpus, sid)} for sid in stmt_ids},
        "redirects": {old: new for old, new in sorted(corpus.redirects.items())
                      if only is None or any(new in ids for ids in only.values())},
    }
    return out


class _Encoded(str):
    """A record already encoded as compact JSON (written as it is by :func:`records_json`)."""

    __slots__ = ()


class Encoded:
    """Records already encoded, shared by the per-meeting exports: a record is kept once it has
    been asked for a second time (people, organizations and topics are in many exports; a
    statement or a meeting is in one, and keeping every record of the archive encoded until the
    last export is written would hold the whole dataset in memory once more)."""

    def __init__(self) -> None:
        self.kept: dict[tuple[str, str], _Encoded] = {}
        self.seen: set[tuple[str, str]] = set()

    def get(self, kind: str, entity: Entity) -> _Encoded:
        key = (kind, entity.id)
        hit = self.kept.get(key)
        if hit is None:
            hit = _Encoded(_compact(_dump(entity)))
            if key in self.seen:
                self.kept[key] = hit
            else:
                self.seen.add(key)
        return hit


def dataset_chunks(corpus: Corpus) -> Iterator[str]:
    """``records_json(dataset(corpus))`` in pieces, each record encoded as it is written: the
    whole dataset (a record per entity of the archive) is never held in memory, as text or data."""
    for text, _key in _dataset_pieces(corpus):
        yield text or ""


def _unrecorded(corpus: Any) -> Any:
    """The corpus itself, of a :class:`RecordedCorpus` or not."""
    return getattr(corpus, "unrecorded", corpus)


def _dataset_pieces(corpus: Corpus, lazy: bool = False) -> Iterator[tuple[str | None, str | None]]:
    """:func:`dataset_chunks` as pieces: the frame (ids, derived data: key None) and one record
    per entity (key ``kind/id``; :func:`_dataset_record`; ``lazy``: given as None, to be made by
    :func:`_dataset_record` of the recorded corpus)."""
    corpus = _unrecorded(corpus)  # the frame's queries are not kept (it is made again after any structural edit)
    data = _dataset(corpus, None, None, lambda _kind, _entity: None)  # the frame: ids, derived data
    yield "{\n", None
    for n, key in enumerate(data):
        yield (",\n" if n else "") + f" {_compact(key)}: ", None
        value = data[key]
        if key in KINDS and value:
            yield "[\n", None
            for i, ident in enumerate(sorted(getattr(corpus, key))):
                yield ("  " if not i else ",\n  "), None
                yield None if lazy else _dataset_record(corpus, f"{key}/{ident}"), f"{key}/{ident}"
            yield "\n ]", None
        else:
            yield records_block(value, 1), None
    yield "\n}\n", None


def _dataset_record(corpus: Corpus, key: str) -> str:
    kind, ident = key.split("/", 1)
    note_id(ident)  # a record holds its entity's text (model_dump reads it without attribute access)
    return _compact(_dump(getattr(corpus, kind)[ident]))


def dataset_pieced(corpus: Corpus) -> Pieced:
    """exports/dataset.json as a :class:`~generator.outputs.pieces.Pieced` file: one piece per record,
    each made from ``corpus`` (a :class:`RecordedCorpus`: its queries are the piece's)."""
    raw = _unrecorded(corpus)
    return Pieced(lambda: _dataset_pieces(raw, lazy=True), lambda key: _dataset_record(corpus, key),
                  lambda: {f"{kind}/{ident}" for kind in KINDS for ident in getattr(raw, kind)})


def dataset_text(corpus: Corpus, *, only: dict[str, set[str]] | None = None,
                 scope: dict[str, str] | None = None, encoded: Encoded | None = None) -> str:
    """``records_json(dataset(...))``, made without holding the records as Python data: each record
    is encoded as soon as it is dumped. ``encoded``: records shared by several exports."""
    return records_json(_dataset(corpus, only, scope, (encoded or Encoded()).get))


def meeting_closure(corpus: Corpus, meeting_id: str) -> dict[str, set[str]]:
    """The ids of a meeting, its statements and everything they refer to (transitively)."""
    c = corpus
    only: dict[str, set[str]] = {k: set() for k in KINDS}
    m = c.meetings[meeting_id]
    only["meetings"].add(m.id)
    orgs: set[str] = set(m.parties)
    people: set[str] = {p.person for p in m.participants}
    orgs |= {p.side for p in m.participants}
    topics: set[str] = set(m.topics)
    sources: set[str] = set(m.sources) | ({m.date.basis} if m.date.basis else set())
    for st in c.statements_by_meeting.get(m.id, []):
        only["statements"].add(st.id)
        people |= {st.speaker.person} if st.speaker.person else set()
        orgs |= {x for x in (st.speaker.organization, st.side, st.reported_by, c.sides.get(st.id)) if x}
        orgs |= set(st.speaker.joint or [])
        topics |= set(st.topics)
        sources.add(st.provenance.source)
    for sid in sources:
        if sid in c.sources:
            orgs.add(c.sources[sid].outlet)
    for pid in people:
        if pid in c.people:
            orgs |= {r.organization for r in c.people[pid].roles if r.organization}
    for oid in list(orgs):
        orgs |= set(c.ancestors(oid))
    only.update(people=people, organizations=orgs - {JOINT}, topics=topics, sources=sources)
    return only


def dataset_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`dataset` (committed as schema/dataset.schema.json)."""
    from pydantic.json_schema import models_json_schema

    _, defs = models_json_schema([(m, "serialization") for m in KINDS.values()], ref_template="#/$defs/{model}")
    defs = defs["$defs"]
    id_schema = {"type": "string", "pattern": ID_RE.pattern, "maxLength": 80}
    for name in (m.__name__ for m in KINDS.values()):
        props = defs[name]["properties"]
        props["id"] = {**id_schema, "title": "Id"}
        props["previous_ids"] = {**props["previous_ids"], "items": id_schema}
    defs["Span"] = {
        "title": "Span", "type": "object", "additionalProperties": False,
        "description": "Where a quote stands in its source: paragraph number (1-based, a heading counts) "
                       "and character offsets [start, end) in that paragraph's verbatim text.",
        "required": ["source", "paragraph", "start", "end"],
        "properties": {"source": id_schema, "paragraph": {"type": "integer", "minimum": 1},
                       "start": {"type": "integer", "minimum": 0}, "end": {"type": "integer", "minimum": 0}},
    }
    nullable_span = {"anyOf": [{"$ref": "#/$defs/Span"}, {"type": "null"}]}
    defs["DerivedStatement"] = {
        "title": "DerivedStatement", "type": "object", "additionalProperties": False,
        "required": ["side", "span", "words_span", "path"],
        "properties": {
            "side": {"anyOf": [{"type": "string"}, {"type": "null"}],
                     "description": "party id the statement is counted for, or 'joint'"},
            "span": {**nullable_span, "description": "where provenance.exact stands"},
            "words_span": {**nullable_span, "description": "where words.ar stands (Arabic sources)"},
            "path": {"type": "string", "description": "URL path of the statement, relative to the site root"},
        },
    }
    array = lambda name: {"type": "array", "items": {"$ref": f"#/$defs/{name}"}}  # noqa: E731
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://factsheets.invalid/schema/dataset/{SCHEMA_VERSION}",
        "title": "factsheets dataset",
        "description": "Every entity of the annotated content (docs/schema.md) with what the check derived. "
                       "See docs/exports.md.",
        "type": "object",
        "additionalProperties": False,
        "required": ["schema_version", "generator", *KINDS, "derived"],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "generator": {"type": "object", "required": ["name", "version"],
                          "properties": {"name": {"type": "string"}, "version": {"type": "string"}}},
            "scope": {"type": "object", "description": "present in a per-meeting export",
                      "properties": {"meeting": id_schema}, "additionalProperties": False},
            **{kind: array(model.__name__) for kind, model in KINDS.items()},
            "derived": {
                "type": "object", "additionalProperties": False, "required": ["statements", "redirects"],
                "properties": {
                    "statements": {"type": "object", "propertyNames": id_schema,
                                   "additionalProperties": {"$ref": "#/$defs/DerivedStatement"}},
                    "redirects": {"type": "object", "propertyNames": id_schema,
                                  "additionalProperties": id_schema,
                                  "description": "previous id -> current id"},
                },
            },
        },
        "$defs": dict(sorted(defs.items())),
    }


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _encode(value: Any) -> str:
    return str.__str__(value) if isinstance(value, _Encoded) else _compact(value)


def records_json(data: dict[str, Any]) -> str:
    """A dataset as JSON with one record per line: each top-level key on its line, and each
    member of a top-level list or object on its own. Readable and diffable line by line, and
    made by the C encoder (``indent=`` would switch json to its pure-Python encoder, which
    takes most of the export time on a large archive)."""
    return records_block(data, 0) + "\n"


def records_block(value: Any, depth: int) -> str:
    """One value of :func:`records_json` at ``depth`` (0: the dataset itself)."""
    pad = " " * depth
    if isinstance(value, dict) and value and depth < 2:
        items = [f"{pad} {_compact(k)}: {records_block(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and value and depth < 2:
        return "[\n" + ",\n".join(f"{pad} {_encode(v)}" for v in value) + "\n" + pad + "]"
    return _compact(value)


def load_dataset(data: str | bytes | dict[str, Any]) -> Corpus:
    """Read a dataset (JSON text or parsed) back into model objects, with the derived lookups."""
    if not isinstance(data, dict):
        data = json.loads(data)
    assert isinstance(data, dict)
    version = str(data.get("schema_version", ""))
    if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise ValueError(f"unsupported dataset schema_version {version!r} (this reader: {SCHEMA_VERSION})")
    corpus = Corpus()
    for kind, model in KINDS.items():
        table = getattr(corpus, kind)
        for item in data.get(kind, []):
            entity = model.model_validate(item)
            table[entity.id] = entity
    derived = data.get("derived", {})
    for sid, d in derived.get("statements", {}).items():
        if d.get("side"):
            corpus.sides[sid] = d["side"]
        for key, target in (("span", corpus.spans), ("words_span", corpus.word_spans)):
            if d.get(key):
                s = d[key]
                target[sid] = Span(s["source"], s["paragraph"], s["start"], s["end"])
    corpus.redirects.update(derived.get("redirects", {}))
    return corpus


# --- statements.csv ---------------------------------------------------------------------------

def _speaker(corpus: Corpus, st: Statement) -> tuple[list[str], list[str], list[str]]:
    ids = [st.speaker.person] if st.speaker.person else [st.speaker.organization] if st.speaker.organization \
        else list(st.speaker.joint or [])
    names = {lang: [entity_name(corpus, i, lang) for i in ids] for lang in LANGS}
    return ids, names["ar"], names["en"]


def entity_name(corpus: Corpus, ident: str, lang: str) -> str:
    return corpus.name_of(ident, lang)


def _cell(value: object) -> object:
    """Neutralize spreadsheet formulas: text starting with = + - @ (or a tab/CR) gets a leading '.
    Control characters are removed (the model already strips them from free text)."""
    if isinstance(value, str):
        value = strip_unsafe(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def statements_csv(corpus: Corpus, site_url: str = "") -> str:
    """One row per statement (oldest meeting first, then by id); lists are joined with ';'.
    UTF-8 with a byte-order mark, so spreadsheet programs read the Arabic correctly."""
    return "".join(text or "" for text, _key in _csv_pieces(corpus, site_url))


def _csv_pieces(corpus: Corpus, site_url: str, lazy: bool = False) -> Iterator[tuple[str | None, str | None]]:
    """:func:`statements_csv` as pieces: the byte-order mark and the header, then one row per
    statement (key: its id; ``lazy``: given as None, to be made by the row of the recorded corpus)."""
    corpus = _unrecorded(corpus)
    buf = io.StringIO()
    buf.write("\ufeff")
    csv.writer(buf, lineterminator="\r\n").writerow(CSV_COLUMNS)
    yield buf.getvalue(), None
    from generator.outputs.brief import Briefer  # article order, as on the pages (brief imports this module)
    article = Briefer(corpus).article_order
    order = sorted(corpus.statements.values(), key=lambda s: (corpus.meetings[s.meeting].date.start, s.meeting, *article(s)))
    row = None if lazy else _csv_row(corpus, site_url)
    for st in order:
        yield None if row is None else row(st.id), st.id


def _csv_row(corpus: Corpus, site_url: str) -> Callable[[str], str]:
    """The CSV row of one statement (its line ending included)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")

    def row(sid: str) -> str:
        st = corpus.statements[sid]
        note_id(sid)
        m = corpus.meetings[st.meeting]
        src = corpus.sources[st.provenance.source]
        span = corpus.spans.get(st.id)
        ids, names_ar, names_en = _speaker(corpus, st)
        buf.seek(0)
        buf.truncate()
        w.writerow([_cell(v) for v in [
            st.id, st.meeting, m.date.start.isoformat(), ";".join(ids), ";".join(names_ar), ";".join(names_en),
            corpus.sides.get(st.id, st.side or ""), st.stance, st.mode, ";".join(st.topics),
            st.summary.ar or "", st.summary.en or "",
            (st.words.ar or "") if st.words else "", (st.words.en or "") if st.words else "",
            src.id, src.outlet, src.published.isoformat(),
            span.paragraph if span else "", span.start if span else "", span.end if span else "",
            st.provenance.exact,
            absolute(site_url, statement_path(corpus, st.id, "ar")),
            absolute(site_url, statement_path(corpus, st.id, "en")),
        ]])
        return buf.getvalue()

    return row


def csv_pieced(corpus: Corpus, site_url: str = "") -> Pieced:
    """exports/statements.csv as a :class:`~generator.outputs.pieces.Pieced` file: one piece per row,
    each made from ``corpus`` (a :class:`RecordedCorpus`: its queries are the piece's)."""
    raw = _unrecorded(corpus)
    return Pieced(lambda: _csv_pieces(raw, site_url, lazy=True), _csv_row(corpus, site_url), lambda: set(raw.statements))


# --- Atom feeds -------------------------------------------------------------------------------

def _stamp(d: date) -> str:
    return datetime.combine(d, time(0, 0), tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")


def entry_id(lang: str, meeting_id: str) -> str:
    """A stable entry id that does not change when the site moves (RFC 4122 name-based UUID)."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"factsheets:{lang}:meetings/{meeting_id}"))


def atom_feed(corpus: Corpus, lang: str, site_url: str = "", catalog: dict[str, str] | None = None,
              templates: Path | None = None) -> str:
    """An Atom 1.0 feed (RFC 4287) of the meetings' fact sheets, newest first.

    Links are absolute under ``site_url``; without one they are relative to the feed's own
    location (``feed.xml`` sits at the root of its language), which feed readers resolve
    against the address they fetched the feed from.
    """
    return "".join(text or "" for text, _key in _Feed(corpus, lang, site_url, catalog, templates).pieces())


def feed_pieced(corpus: Corpus, lang: str, site_url: str = "", templates: Path | None = None) -> Pieced:
    """A language's feed as a :class:`~generator.outputs.pieces.Pieced` file: one piece per entry
    (key: the meeting's id), each made from ``corpus`` (a :class:`RecordedCorpus`: its queries are the piece's)."""
    feed = _Feed(corpus, lang, site_url, None, templates)
    return Pieced(lambda: feed.pieces(lazy=True), feed.entry, lambda: set(_unrecorded(corpus).meetings))


class _Feed:
    """:func:`atom_feed` in pieces: the frame (the feed's own elements: key None) and each entry,
    serialized alone (the same text as within the whole feed: entries sit at the same depth)."""

    def __init__(self, corpus: Corpus, lang: str, site_url: str, catalog: dict[str, str] | None,
                 templates: Path | None) -> None:
        self.corpus, self.lang, self.site_url = corpus, lang, site_url
        self.t = catalog or load_catalog(templates if templates is not None else project_templates(), lang)
        self.lang_root = urls.lang_prefix(lang)
        ET.register_namespace("", ATOM)

    @staticmethod
    def q(tag: str) -> str:
        return f"{{{ATOM}}}{tag}"

    def link(self, parent: ET.Element, path: str, rel: str = "alternate", type_: str = "text/html") -> None:
        href = absolute(self.site_url, path) if self.site_url else (path[len(self.lang_root):] or "./")
        ET.SubElement(parent, self.q("link"), {"rel": rel, "type": type_, "href": href})

    def root(self) -> ET.Element:
        return ET.Element(self.q("feed"), {f"{{{XML_NS}}}lang": self.lang})

    def frame(self) -> ET.Element:
        corpus, lang, t, q = _unrecorded(self.corpus), self.lang, self.t, self.q
        feed = self.root()
        ET.SubElement(feed, q("id")).text = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"factsheets:{lang}:feed"))
        ET.SubElement(feed, q("title")).text = t["site_title"]
        ET.SubElement(feed, q("subtitle")).text = t.get("feed_subtitle", t["site_title"])
        latest = max((m.date.last for m in corpus.meetings_by_date), default=date(1970, 1, 1))
        ET.SubElement(feed, q("updated")).text = _stamp(latest)
        author = ET.SubElement(feed, q("author"))
        ET.SubElement(author, q("name")).text = t["site_title"]
        ET.SubElement(feed, q("generator"), {"version": __version__}).text = "factsheets"
        self.link(feed, self.lang_root)
        if self.site_url:
            self.link(feed, urls.feed_path(lang), "self", "application/atom+xml")
        return feed

    @staticmethod
    def text(feed: ET.Element) -> str:
        ET.indent(feed)
        # ElementTree writes control characters as they are, which makes the XML ill-formed: none
        # may reach a feed, whatever the text came from (catalog, data)
        return strip_unsafe(ET.tostring(feed, encoding="unicode"))

    def pieces(self, lazy: bool = False) -> Iterator[tuple[str | None, str | None]]:
        """The frame and each entry (``lazy``: given as None, made by :meth:`entry`)."""
        meetings = _unrecorded(self.corpus).meetings_by_date
        feed = self.frame()
        if not meetings:
            yield '<?xml version="1.0" encoding="utf-8"?>\n' + self.text(feed) + "\n", None
            return
        ET.SubElement(feed, self.q("entry"))  # a stand-in: the frame's last element is indented as before an entry
        head, _, tail = self.text(feed).rpartition("<entry />")
        yield '<?xml version="1.0" encoding="utf-8"?>\n' + head, None
        for i, m in enumerate(meetings):
            if i:
                yield "\n  ", None
            yield None if lazy else self.entry(m.id), m.id
        yield tail + "\n", None

    def entry(self, meeting_id: str) -> str:
        """One entry's text, from ``<entry>`` to ``</entry>``."""
        corpus, lang, t, q = self.corpus, self.lang, self.t, self.q
        m = corpus.meetings[meeting_id]
        feed = self.root()
        e = ET.SubElement(feed, q("entry"))
        ET.SubElement(e, q("id")).text = entry_id(lang, m.id)
        ET.SubElement(e, q("title")).text = m.title.get(lang)
        ET.SubElement(e, q("published")).text = _stamp(m.date.start)
        ET.SubElement(e, q("updated")).text = _stamp(m.date.last)
        self.link(e, page_path("meetings", m.id, lang))
        for tid in m.topics:
            if tid in corpus.topics:
                ET.SubElement(e, q("category"), {"term": tid, "label": corpus.topics[tid].name.get(lang)})
        people = list_sep(t)
        participants = people.join(entity_name(corpus, p.person, lang) for p in m.participants)
        when = fmt_date(m.date.start, lang) + ("" if not m.date.is_range else " – " + fmt_date(m.date.last, lang))
        where = m.location.get(lang) + (f", {m.venue.get(lang)}" if m.venue else "")
        summary = f"{when} · {where}" + (f" · {participants}" if participants else "")
        ET.SubElement(e, q("summary")).text = summary
        positions = corpus.statements_by_meeting.get(m.id, [])
        if positions:
            items = "".join(
                f"<li>{html.escape(' / '.join(_speaker(corpus, st)[1 if lang == 'ar' else 2]))}: "
                f"{html.escape(st.summary.get(lang))}</li>" for st in sorted(positions, key=lambda s: s.id))
            body = f"<p>{html.escape(summary)}</p><ul>{items}</ul>"
            content = ET.SubElement(e, q("content"), {"type": "html"})
            content.text = body  # type="html": escaped once more by the XML writer
        text = self.text(feed)
        return text[text.index("<entry>"):text.rindex("</entry>") + len("</entry>")]


# --- the extras producer ----------------------------------------------------------------------

def export_files(ctx: Any) -> Iterator[tuple[str, str | Iterable[str]]]:
    """Listed in generator/extras.PRODUCERS: exports at the site root, a feed per language. One
    file at a time, each made only when the writer reads it (an iterator of its text): each is
    written (and let go) before the next one is made, and a file the dependency map keeps is
    never made. The whole-corpus files are also given in pieces by :func:`pieced_exports`."""
    yield urls.FEED, _later(atom_feed, ctx.corpus, ctx.lang, ctx.site_url, None, ctx.templates)
    if urls.lang_prefix(ctx.lang):  # the language-independent files are written once, at the site root
        return
    c = ctx.corpus
    yield urls.export_file("dataset.json"), dataset_chunks(c)  # in pieces: written as it is made
    yield urls.export_file("dataset.schema.json"), RecordedFile(lambda: to_json(dataset_schema()))  # reads no content
    yield urls.export_file("statements.csv"), _later(statements_csv, c, ctx.site_url)
    encoded = Encoded()
    recorded = cast(Corpus, RecordedCorpus(c))  # each meeting's export reads only its closure: a new meeting makes one more
    for mid in sorted(c.meetings):
        yield urls.meeting_export(mid), RecordedFile(_meeting_json, recorded, mid, encoded)


def pieced_exports(ctx: Any) -> dict[str, Pieced]:
    """Listed in generator/extras.PIECED: the files of :func:`export_files` that hold the whole
    archive, in pieces (the dependency map makes again only the pieces an edit reaches)."""
    recorded = cast(Corpus, RecordedCorpus(ctx.corpus))  # each keyed piece's queries are recorded (pieces.py)
    files = {urls.FEED: feed_pieced(recorded, ctx.lang, ctx.site_url, ctx.templates)}
    if not urls.lang_prefix(ctx.lang):
        files[urls.export_file("dataset.json")] = dataset_pieced(recorded)
        files[urls.export_file("statements.csv")] = csv_pieced(recorded, ctx.site_url)
    return files


def _later(make: Callable[..., str], *args: Any) -> Iterator[str]:
    """``make(*args)``, called once the writer asks for the text."""
    yield make(*args)


def _meeting_json(corpus: Corpus, mid: str, encoded: Encoded) -> str:
    """exports/meetings/<id>.json: it holds the text of every entity of the meeting's closure.
    ``corpus``: a :class:`RecordedCorpus`, whose queries record what the export is made from (the
    closure's entries, their sides and spans…); the records' text is noted by id."""
    only = meeting_closure(corpus, mid)
    for ids in only.values():
        for ident in ids:
            note_id(ident)
    return dataset_text(corpus, only=only, scope={"meeting": mid}, encoded=encoded)
