"""People and organizations: registry names found in the article, and speaker candidates.

Matching runs on :func:`generator.core.arabic.normalize` keys (hamza forms, ة/ه, ى/ي, tashkeel and
tatweel folded), whole words only, with Arabic clitics allowed in front of a name:
و ف (conjunctions), ب ل ك (prepositions) and the article forms ال وال فال بال كال وبال لل ولل.
A registered name that starts with ال (الشيباني) also matches للشيباني, والشيباني, بالشيباني.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from generator.core.arabic import normalize, normalize_with_map, span_to_original
from generator.core.corpus import Corpus

W = r"[^\W_]"  # one letter or digit
PREFIX_PLAIN = r"(?:[وف]?[بلك]?)"  # never ال: السورية is "Syrian", not سورية
PREFIX_ARTICLE = r"(?:[وف]?(?:[بك]?ال|لل))"

#: Speech verbs (normalized stems); feminine/dual/plural endings and و/ف in front are allowed.
SPEECH_VERBS = ("قال", "اكد", "اضاف", "اشار", "اوضح", "شدد", "صرح", "ذكر", "وصف", "اعتبر", "اردف", "تابع",
                "لفت", "اعلن", "نفي", "دعا", "حذر", "راي", "كشف", "افاد", "اعرب", "رحب", "طالب",
                "ابدي", "نوه", "تحدث", "ابلغ", "اشاد", "صرح", "اكدت")
#: Honorifics that stand before a name and are not part of it (stripped before matching).
HONORIFICS = {normalize(w) for w in (
    "الأمير الأميرة الشيخ الشيخة السيد السيدة الدكتور الدكتورة د. د المستشار المستشارة سمو صاحب السمو "
    "معالي فخامة سعادة دولة الحاج اللواء العميد الفريق العقيد").split()}
_VERB_RE = re.compile(rf"(?<!{W})[وف]?(?:كما\s+)?(?:{'|'.join(SPEECH_VERBS)})(?:ت|ا|تا|وا)?(?!{W})")
#: Title words that may stand between the verb and the name (وزير الخارجية الروسي سيرغي لافروف).
TITLE_WORDS = {normalize(w) for w in (
    "وزير وزيرة الوزير الرئيس رئيس رئيسة نائب النائب المتحدث المتحدثة الناطق الناطقة باسم السفير سفير "
    "مستشار المستشار الأمين العام الملك الأمير ولي العهد الشيخ الدكتور د المبعوث مبعوث الخاص المندوب "
    "مندوب القائد قائد مدير المدير عضو زعيم الزعيم رئيس_الوزراء مساعد المساعد").split()} | HONORIFICS
#: Words that end the subject of a speech verb.
_STOP = {normalize(w) for w in (
    "إن أن ان إنه أنه انه إنها أنها انها بأن بان في خلال عبر على إلى الى لـ ل عن أمام امام مع من بعد قبل "
    "حول بشأن لوكالة لقناة لصحيفة").split()}
#: Generic subjects that are not names (الوزارة، اللقاء، الجانبان…).
GENERIC = {normalize(w) for w in (
    "الوزارة الوزارات اللقاء الجانبان الجانبين الطرفان الطرفين البيان المصدر المصادر الوكالة المتحدث "
    "الحكومة الرئاسة البلدان البلدين الوزيران الوزيرين المسؤول المسؤولون المسؤولين التقرير الاجتماع "
    "المحادثات الخبراء مصدر مصادر مسؤول مسؤولون هو هي هم بدوره بدورها بالقول أيضا أيضاً كذلك").split()}
_TOKEN = re.compile(rf"{W}+|[^\w\s]")


@dataclass(frozen=True)
class Mention:
    kind: str      # "person" | "organization"
    id: str
    block: int     # index into the article's blocks
    start: int     # offsets in the block's original text
    end: int
    form: str      # as written, clitics included


@dataclass(frozen=True)
class SpeakerEvent:
    """A speech verb and who it names (or None: the verb has no named subject)."""

    block: int
    start: int               # offset of the verb in the block
    kind: str | None          # "person" | "organization" | None
    id: str | None
    via: str = "name"         # "name" | "title"
    subject: str = ""         # the subject words as written


@dataclass(frozen=True)
class Candidate:
    name: str
    block: int
    context: str
    role: str = ""                                  # the title words as written (وزير الخارجية التركي)
    country: tuple[str, str, str] | None = None     # (Arabic, English, id) from the nisba, if any


class Registry:
    """Every registered name and alias, as regexes over normalized text."""

    def __init__(self, corpus: Corpus, language: str = "ar"):
        self.corpus = corpus
        self.language = language
        self.patterns: list[tuple[str, str, re.Pattern[str]]] = []
        for kind, table in (("person", corpus.people), ("organization", corpus.organizations)):
            for ent in table.values():
                names = [ent.name.ar, *ent.aliases.ar] if language == "ar" else [ent.name.en, *ent.aliases.en]
                forms = {n for n in names if n}
                forms |= {strip_honorifics(n) for n in forms}   # الشيخ عبدالله بن زايد → عبدالله بن زايد
                for name in {n for n in forms if n}:
                    key = normalize(name)
                    if len(key) < 2:
                        continue
                    if language == "ar" and key.startswith("ال") and len(key) > 3:
                        body, prefix = key[2:], PREFIX_ARTICLE
                    else:
                        body, prefix = key, (PREFIX_PLAIN if language == "ar" else "")
                    rx = re.compile(rf"(?<!{W}){prefix}{re.escape(body)}(?!{W})", re.I)
                    self.patterns.append((kind, ent.id, rx))

    def find(self, text: str, block: int) -> list[Mention]:
        """Non-overlapping mentions in one block (a longer match wins over one inside it)."""
        norm, imap = normalize_with_map(text)
        raw: list[tuple[int, int, str, str]] = []
        for kind, ident, rx in self.patterns:
            raw += [(m.start(), m.end(), kind, ident) for m in rx.finditer(norm)]
        raw.sort(key=lambda r: (r[0], -(r[1] - r[0])))
        out: list[Mention] = []
        last_end = -1
        for s, e, kind, ident in raw:
            if s < last_end:
                continue
            os_, oe = span_to_original(text, imap, s, e)
            out.append(Mention(kind, ident, block, os_, oe, text[os_:oe]))
            last_end = e
        return out

    def by_title(self, words: list[str], when: date) -> str | None:
        """The one person whose current role title contains all ``words`` (e.g. وزير الخارجية السوري)."""
        if len(words) < 2 or not (set(words) & TITLE_WORDS):
            return None
        hits = []
        for person in self.corpus.people.values():
            role = self.corpus.role_at(person.id, when)
            title = (role.title.ar if role and self.language == "ar" else role.title.en if role else None) or ""
            tokens = {_strip_wa(t) for t in normalize(title).split()}
            if tokens and all(_strip_wa(w) in tokens for w in words):
                hits.append(person.id)
        return hits[0] if len(hits) == 1 else None


def strip_honorifics(name: str) -> str:
    """A name without the honorifics in front (الأمير، الشيخ، السيد، الدكتور، المستشار…)."""
    words = name.split()
    while len(words) > 1 and normalize(words[0]) in HONORIFICS:
        words.pop(0)
    return " ".join(words)


def _strip_wa(word: str) -> str:
    return word[1:] if word.startswith("و") and len(word) > 3 else word


def speaker_events(text: str, block: int, mentions: list[Mention], registry: Registry,
                   when: date) -> tuple[list[SpeakerEvent], list[Candidate]]:
    """Speech verbs in one block, the registered speaker each names, and unregistered names."""
    norm, imap = normalize_with_map(text)
    events: list[SpeakerEvent] = []
    candidates: list[Candidate] = []
    for vm in _VERB_RE.finditer(norm):
        tokens: list[tuple[str, int, int]] = []
        ended = True  # the subject ends at a stop word, punctuation or the paragraph's end
        for tm in _TOKEN.finditer(norm, vm.end()):
            tok = tm.group()
            if tok in _STOP or not re.match(W, tok):
                break
            if len(tokens) >= 7:
                ended = False
                break
            tokens.append((tok, tm.start(), tm.end()))
        verb_at = imap[vm.start()]
        if not tokens:
            events.append(SpeakerEvent(block, verb_at, None, None))
            continue
        s, e = span_to_original(text, imap, tokens[0][1], tokens[-1][2])
        subject = text[s:e]
        first = _title_end(tokens)
        at = span_to_original(text, imap, tokens[first][1], tokens[first][2])[0] if first < len(tokens) else -1
        start0 = span_to_original(text, imap, tokens[0][1], tokens[0][2])[0]
        named = [m for m in mentions if m.start == at or (m.start <= at < m.end) or m.start == start0]
        if named:
            events.append(SpeakerEvent(block, verb_at, named[0].kind, named[0].id, "name", subject))
            continue
        words = [t for t, _, _ in tokens]
        person = registry.by_title(words, when)
        if person:
            events.append(SpeakerEvent(block, verb_at, "person", person, "title", subject))
            continue
        events.append(SpeakerEvent(block, verb_at, None, None, "name", subject))
        name = _name_after_titles(tokens)
        if ended and name:
            ns, ne = span_to_original(text, imap, name[0][1], name[-1][2])
            candidates.append(Candidate(text[ns:ne], block, subject))
    return events, candidates


def _name_after_titles(tokens: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The name part of a subject: after title words (and the ال-words that qualify them)."""
    i = _title_end(tokens)
    titled = i > 0
    rest = tokens[i:i + 4]
    if not rest or len(tokens) - i > 4 or rest[0][0] in GENERIC or any(t in GENERIC for t, _, _ in rest):
        return []
    if not titled and len(rest) == 1 and rest[0][0].startswith("ال") and len(rest[0][0]) < 5:
        return []
    return rest


def _title_end(tokens: list[tuple[str, int, int]]) -> int:
    """Index of the first token after the title words and the ال-words qualifying them."""
    i, titled = 0, False
    while i < len(tokens) and (tokens[i][0] in TITLE_WORDS or (titled and tokens[i][0].startswith(("ال", "وال")))):
        titled = titled or tokens[i][0] in TITLE_WORDS
        i += 1
    return i


_NAME_LINKS = {"بن", "بنت", "ابن", "عبد", "ابو", "ال", "ولد", "اولد"}
#: Words that follow a title but are no name (نظيره "his counterpart", weekdays, time words).
_NOT_NAMES = {normalize(w) for w in (
    "نظيره نظيرته نظيريه نظرائه نظيرها نظيرهم الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت اليوم أمس "
    "يوم مساء صباح خلال لدى وفدا وفد الذي التي الذين عن على إلى في من مع").split()}
_TITLE_HEADS = {normalize(w) for w in (
    "وزير وزيرة رئيس رئيسة نائب المتحدث المتحدثة الناطق الناطقة سفير السفير مستشار المستشار المبعوث مبعوث "
    "المندوب مندوب الأمين أمين قائد مدير ملك الملك أمير ولي الرئيس الوزير الوزيرة").split()}


def titled_people(text: str, block: int, registry: Registry, mentions: list[Mention]) -> list[Candidate]:
    """Unregistered people named after a title and (usually) a nisba anywhere in a paragraph:
    ``وزير الخارجية التركي هاكان فيدان`` → Candidate(هاكان فيدان, role وزير الخارجية التركي, Turkey)."""
    from generator.intake.gazetteer import GAZETTEER
    norm, imap = normalize_with_map(text)
    toks = [(m.group(), m.start(), m.end()) for m in re.finditer(rf"{W}+", norm)]
    known = [(m.start, m.end) for m in mentions if m.block == block]
    out: list[Candidate] = []
    i = 0
    while i < len(toks):
        tok = toks[i][0]
        head = tok[1:] if tok[:1] in "وف" and tok[1:] in _TITLE_HEADS else tok
        if head not in _TITLE_HEADS:
            i += 1
            continue
        j, country = i + 1, None
        while j < len(toks) and j - i <= 5 and (toks[j][0].startswith(("ال", "لل")) or toks[j][0] in TITLE_WORDS
                                                 or toks[j][0] == "باسم"):
            if toks[j][0] in HONORIFICS:
                j += 1
                continue
            country = country or GAZETTEER.country_of(toks[j][0])
            j += 1
        # honorifics between the title and the name
        while j < len(toks) and toks[j][0] in HONORIFICS:
            j += 1
        name: list[tuple[str, int, int]] = []
        while j < len(toks) and len(name) < 4:
            t = toks[j][0]
            family = bool(name) and t.startswith("ال") and GAZETTEER.country_of(t) is None \
                and t not in _NOT_NAMES and len(name) < 3   # a family name: الشيباني، السيسي
            if t in _STOP or t in GENERIC or t in TITLE_WORDS or t in _NOT_NAMES or _VERB_RE.fullmatch(t) or \
                    (t.startswith("ال") and t not in _NAME_LINKS and not family
                     and not (name and name[-1][0] in _NAME_LINKS)):
                break
            # a punctuation mark between two words ends the name
            if name and re.search(r"[^\s]", norm[name[-1][2]:toks[j][1]]):
                break
            name.append(toks[j])
            j += 1
        while name and name[-1][0] in _NAME_LINKS:
            name.pop()
        if len(name) >= 2 and country is not None and j - len(name) > i + 1:
            s, e = span_to_original(text, imap, name[0][1], name[-1][2])
            if not any(ks < e and s < ke for ks, ke in known):
                rs, re_ = span_to_original(text, imap, toks[i][1], toks[j - len(name) - 1][2])
                role = " ".join(w for w in text[rs:re_].split() if normalize(w) not in HONORIFICS)
                out.append(Candidate(text[s:e], block, text[rs:e], role.removeprefix("و") if role.startswith("وو")
                                     else role, country))
        i = max(j, i + 1)
    return out
