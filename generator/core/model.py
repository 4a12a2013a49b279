"""The typed, declarative data model of annotated articles (see docs/schema.md).

Validators raise ``PydanticCustomError`` whose type is one of our diagnostic codes, so the
loader can turn any problem into ``path:line:col: error[code]``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, model_validator
from pydantic_core import PydanticCustomError

from generator.core.arabic import BIDI_CONTROLS, ZERO_WIDTH, strip_controls

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX = 80
#: Ids that would collide with the site's own paths.
RESERVED_IDS = frozenset(
    "index en ar assets search 404 pagefind exports feeds stylesheets javascripts sitemap "
    "briefings meetings people organizations topics sources timeline statements tags "
    "overrides static css js img images fonts".split()
)
#: Device names Windows reserves whatever the extension: a file or folder so named (e.g.
#: ``meetings/con/``, ``exports/meetings/aux.json``) cannot be checked out there.
WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{dev}{n}" for dev in ("com", "lpt") for n in range(10)]
)
MAX_LIST = 10_000  # no list in content may hold more items (an article of 10,000 paragraphs is fine)
#: Unicode categories never allowed in ids, names and URLs: controls, format characters (bidi
#: controls, zero-width spaces…), line/paragraph separators, surrogates, private use, unassigned.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _invisible(ch: str) -> bool:
    return ch in BIDI_CONTROLS or ch in ZERO_WIDTH or unicodedata.category(ch) in _INVISIBLE_CATEGORIES


def has_invisible(value: str, allowed: str = "") -> bool:
    """Whether ``value`` holds a character :func:`_invisible` finds, other than those in ``allowed``.
    A printable string holds none (``str.isprintable`` is false for every category above, and the
    bidi controls and zero-width characters are format characters): most ids, names and URLs are
    answered by that one call instead of a look-up per character (12,000 records at N = 1,000)."""
    return not value.isprintable() and any(_invisible(ch) and ch not in allowed for ch in value)


def _shown(value: str) -> str:
    """A value for a message, with invisible characters as escapes (\\u200b)."""
    return "".join(ch.encode("unicode_escape").decode("ascii") if _invisible(ch) else ch for ch in value)


def statement_anchor(statement_id: str) -> str:
    """The fragment of a statement on its meeting page: ``st-<id>``, a namespace of its own,
    so a statement id never collides with the page's own ids (``cite``, ``side-russia``…)."""
    return f"st-{statement_id}"


def _check_id(value: str) -> str:
    if has_invisible(value):
        raise PydanticCustomError("unicode-control", "id '{v}' holds invisible or control characters",
                                  {"v": value.encode("unicode_escape").decode()})
    # fullmatch: '$' alone would let a trailing newline through ('russia\n')
    if ID_RE.fullmatch(value) and len(value) > ID_MAX:
        raise PydanticCustomError("id-format", "id '{v}…' is longer than {n} characters", {"v": value[:40], "n": ID_MAX})
    if not ID_RE.fullmatch(value):
        slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:ID_MAX] or "my-id"
        raise PydanticCustomError("id-format", "id '{v}' is not a lowercase ASCII slug; try '{s}'",
                                  {"v": value, "s": slug})
    if value in RESERVED_IDS:
        raise PydanticCustomError("id-reserved", "id '{v}' is reserved for the site's own pages", {"v": value})
    if value in WINDOWS_RESERVED or value.split(".")[0] in WINDOWS_RESERVED:
        raise PydanticCustomError("id-reserved", "id '{v}' is a device name reserved by Windows "
                                  "(con, prn, aux, nul, com0-com9, lpt0-lpt9): its files could not be "
                                  "checked out on Windows", {"v": value})
    return value


def _clean_text(value: object) -> object:
    """Free text: stored NFC, with bidi embedding/override controls and zero-width spaces removed."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", strip_controls(value))
    return value


def _check_name(value: str) -> str:
    if has_invisible(value, allowed="\u200c\u200d"):
        raise PydanticCustomError("unicode-control", "name '{v}' holds bidi control, zero-width or control characters",
                                  {"v": _shown(value)[:80]})
    if not value.strip():
        raise PydanticCustomError("missing-field", "name is blank", {})
    return unicodedata.normalize("NFC", value)


def _check_date(value: object) -> object:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise PydanticCustomError("date-invalid", "'{v}' is not an ISO date (YYYY-MM-DD)", {"v": str(value)})
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise PydanticCustomError("date-invalid", "'{v}' is not a real date: {e}", {"v": value, "e": str(exc)}) from None


def _check_url(value: str) -> str:
    if has_invisible(value):
        # a right-to-left override in a URL shows readers another address than the one linked
        raise PydanticCustomError("unicode-control", "URL '{v}' holds bidi control, invisible or control characters",
                                  {"v": _shown(value)[:120]})
    if any(ch.isspace() for ch in value):
        raise PydanticCustomError("url-scheme", "URL '{v}' holds whitespace", {"v": _shown(value)[:120]})
    if not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", value, re.I):
        raise PydanticCustomError("url-scheme", "URL '{v}' must start with http:// or https://", {"v": value[:80]})
    return value


Id = Annotated[str, AfterValidator(_check_id)]
Ref = Annotated[str, Field(min_length=1)]
Text = Annotated[str, BeforeValidator(_clean_text)]
Name = Annotated[str, AfterValidator(_check_name)]
IsoDate = Annotated[date, BeforeValidator(_check_date)]
Url = Annotated[str, AfterValidator(_check_url)]
Wikidata = Annotated[str, Field(pattern=r"^Q[1-9][0-9]*$")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Entity(Model):
    id: Id
    previous_ids: list[Id] = Field(default_factory=list)
    review: list[Text] = Field(default_factory=list)
    _origin: tuple[str, tuple] = PrivateAttr(default=("", ()))  # (file, path) where it was defined


class Bilingual(Model):
    ar: Text | None = None
    en: Text | None = None

    @model_validator(mode="after")
    def _one_side(self) -> Bilingual:
        if not (self.ar or "").strip() and not (self.en or "").strip():
            raise PydanticCustomError("missing-field", "give the text in Arabic (ar) and English (en)", {})
        return self

    def get(self, lang: str) -> str:
        """The text in ``lang``, falling back to the other language."""
        return (getattr(self, lang) or self.en or self.ar or "").strip()


class BilingualName(Bilingual):
    ar: Name | None = None
    en: Name | None = None


class Aliases(Model):
    ar: list[Name] = Field(default_factory=list)
    en: list[Name] = Field(default_factory=list)


class Role(Model):
    title: Bilingual
    organization: Ref | None = None
    start: IsoDate | None = None
    end: IsoDate | None = None


class Person(Entity):
    name: BilingualName
    aliases: Aliases = Field(default_factory=Aliases)
    roles: list[Role] = Field(default_factory=list)
    wikidata: Wikidata | None = None


OrgKind = Literal["state", "ministry", "government-body", "agency", "news-agency", "news-outlet",
                  "armed-forces", "international-organization", "party", "other"]


class Organization(Entity):
    name: BilingualName
    aliases: Aliases = Field(default_factory=Aliases)
    kind: OrgKind
    parent: Ref | None = None
    wikidata: Wikidata | None = None


class Topic(Entity):
    name: BilingualName
    description: Bilingual | None = None


class Heading(Model):
    heading: Text


class Dateline(Model):
    text: Text
    place: Bilingual | None = None


class Source(Entity):
    outlet: Ref
    url: Url | None = None
    published: IsoDate
    language: Literal["ar", "en"]
    headline: Text
    dateline: Dateline | None = None
    text: list[Text | Heading] = Field(min_length=1, max_length=MAX_LIST)
    furniture: list[Text] = Field(default_factory=list)
    archive_url: Url | None = None
    retrieved: IsoDate | None = None


DateMethod = Literal["stated", "weekday-relative", "other-source", "inferred"]


class MeetingDate(Model):
    start: IsoDate
    end: IsoDate | None = None
    method: DateMethod
    phrase: Text | None = None
    basis: Ref | None = None
    note: Bilingual | None = None

    @property
    def last(self) -> date:
        return self.end or self.start

    @property
    def is_range(self) -> bool:
        return self.end is not None and self.end != self.start


class Participant(Model):
    person: Ref
    side: Ref
    role: Bilingual | None = None


MeetingKind = Literal["talks", "reception", "press-conference", "phone-call", "summit", "visit", "conference", "other"]


class Meeting(Entity):
    title: Bilingual
    date: MeetingDate
    location: Bilingual
    venue: Bilingual | None = None
    kind: MeetingKind
    parties: list[Ref] = Field(min_length=1)
    host: Ref | None = None  # the party that hosted it (one of the parties); JSON-LD organizer
    participants: list[Participant] = Field(default_factory=list)
    topics: list[Ref] = Field(default_factory=list)
    outcomes: list[Bilingual] = Field(default_factory=list)
    sources: list[Ref] = Field(min_length=1)


class Speaker(Model):
    person: Ref | None = None
    organization: Ref | None = None
    joint: list[Ref] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Speaker:
        given = [k for k in ("person", "organization", "joint") if getattr(self, k)]
        if len(given) != 1:
            raise PydanticCustomError("missing-field", "a speaker is exactly one of: person, organization, joint", {})
        return self


class Provenance(Model):
    source: Ref
    exact: Text
    prefix: Text | None = None
    suffix: Text | None = None


Stance = Literal["affirms", "rejects", "calls-for", "commits-to", "seeks", "describes", "agrees",
                 "condemns", "welcomes", "warns", "discussed"]
Mode = Literal["direct-quote", "paraphrase", "joint-statement", "reported"]


class Statement(Entity):
    meeting: Ref
    speaker: Speaker
    side: Ref | None = None
    topics: list[Ref] = Field(default_factory=list)
    stance: Stance
    summary: Bilingual
    mode: Mode
    reported_by: Ref | None = None
    words: Bilingual | None = None
    provenance: Provenance
    key: bool = False  # a key position of its side (`factsheets brief` and briefing cards lead with it)

    @model_validator(mode="after")
    def _mode_fields(self) -> Statement:
        if self.mode == "reported" and not self.reported_by:
            raise PydanticCustomError("missing-field", "mode 'reported' needs reported_by (the agency's id)", {})
        if self.mode == "direct-quote" and self.words is None:
            raise PydanticCustomError("missing-field", "mode 'direct-quote' needs words (the quoted words)", {})
        return self

