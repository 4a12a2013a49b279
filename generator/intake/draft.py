"""Build the draft's data: the source record, one stub meeting, one statement stub per quote.

Every guess carries a ``review:`` note, and English text the tool cannot write is a
placeholder in square brackets mentioned in that note, so the draft passes
`factsheets check` with warnings only and `--strict` refuses it until a human has looked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.core.arabic import normalize, normalize_with_map, span_to_original
from generator.core.corpus import Corpus
from generator.intake.dates import WEEKDAY_EN, DatePhrase
from generator.intake.gazetteer import GAZETTEER
from generator.intake.names import Mention
from generator.intake.quotes import Anchor, Guess, Quote, anchor
from generator.intake.skeleton import Commented
from generator.intake.text import Parsed
from generator.core.model import ID_MAX, Bilingual, Source
from generator.core.provenance import SourceIndex

#: English names of common dateline places (anything else gets a placeholder and a note).
PLACES_EN = {
    "دبي": "Dubai", "ابوظبي": "Abu Dhabi", "ابو ظبي": "Abu Dhabi", "القاهره": "Cairo", "بيروت": "Beirut",
    "دمشق": "Damascus", "موسكو": "Moscow", "واشنطن": "Washington", "لندن": "London", "باريس": "Paris",
    "الرياض": "Riyadh", "جده": "Jeddah", "الدوحه": "Doha", "عمان": "Amman", "بغداد": "Baghdad", "طهران": "Tehran",
    "انقره": "Ankara", "اسطنبول": "Istanbul", "القدس": "Jerusalem", "غزه": "Gaza", "رام الله": "Ramallah",
    "الكويت": "Kuwait City", "المنامه": "Manama", "مسقط": "Muscat", "الجزائر": "Algiers", "تونس": "Tunis",
    "الرباط": "Rabat", "الخرطوم": "Khartoum", "صنعاء": "Sanaa", "طرابلس": "Tripoli", "نيويورك": "New York",
    "جنيف": "Geneva", "بروكسل": "Brussels", "برلين": "Berlin", "بكين": "Beijing", "كييف": "Kyiv", "انطاكيا": "Antakya",
}
#: Meeting kinds and the nouns/verbs that name them; the earliest one in the lede wins (then
#: the headline, then the whole text), so "مؤتمر صحفي" in the lede beats "قمة" in passing.
KIND_WORDS = (("phone-call", ("اتصال هاتفي", "اتصالا هاتفيا", "اتصالاً هاتفياً", "مكالمة هاتفية", "هاتفيا", "phone call")),
              ("press-conference", ("مؤتمر صحافي", "مؤتمر صحفي", "مؤتمرا صحفيا", "مؤتمراً صحفياً", "مؤتمر صحافي مشترك",
                                    "press conference")),
              ("summit", ("قمة", "القمة", "summit")),
              ("talks", ("محادثات", "مباحثات", "المحادثات", "المباحثات", "التقى", "يلتقي", "اجتمع", "اجتماع", "اجتماعا",
                         "اجتماعاً", "لقاء", "بحث", "يبحث", "بحثا", "talks")),
              ("reception", ("استقبل", "يستقبل", "received")),
              ("conference", ("مؤتمر", "المؤتمر", "conference")),
              ("visit", ("زيارة", "يزور", "زار", "visit")))


def guess_kind(texts: list[str]) -> str:
    for text in texts:
        norm = normalize(text)
        best: tuple[int, int, str] | None = None
        for rank, (kind, words) in enumerate(KIND_WORDS):
            for w in words:
                m = re.search(rf"(?<![^\W_])[وفب]?{re.escape(normalize(w))}(?![^\W_])", norm, re.I)
                if m and (best is None or (m.start(), rank) < best[:2]):
                    best = (m.start(), rank, kind)
        if best:
            return best[2]
    return "other"


@dataclass
class Draft:
    data: dict[str, Any]
    stubs: list[tuple[Quote, Guess, Anchor, str | None]] = field(default_factory=list)  # statement id or None
    meeting_id: str = ""


def unique_id(base: str, taken: set[str]) -> str:
    base = base[:ID_MAX].strip("-")
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base[:ID_MAX - 1 - len(str(n))].rstrip('-')}-{n}"
    taken.add(ident)
    return ident


def _place(ar: str, corpus: Corpus) -> dict[str, str]:
    key = normalize(ar)
    if key in PLACES_EN:
        return {"ar": ar, "en": PLACES_EN[key]}
    for org in corpus.organizations.values():
        names = [org.name.ar, *org.aliases.ar]
        ens = [org.name.en, *org.aliases.en]
        for i, n in enumerate(names):
            en = ens[i] if i < len(ens) else None
            if n and normalize(n) == key and en:
                return {"ar": ar, "en": en}
    return {"ar": ar, "en": f"[translate: {ar}]"}


def _meeting_date(dates: list[DatePhrase], published: date, lede: int | None) -> tuple[dict[str, Any], list[str]]:
    """The main event's date: the first date phrase of the lede (a range gives start and end);
    without one, every date on or before publication except background ones ("وكان … قد"),
    earliest to latest.  Every candidate is listed in the note with its paragraph."""
    past = [d for d in dates if d.date <= published]
    if not past:
        return ({"start": published, "method": "inferred",
                 "note": {"ar": "لم يُعثر في المقال على عبارة تاريخ؛ افتُرض تاريخ النشر.",
                          "en": "No date phrase found in the article; the publication date was assumed."}},
                ["no date phrase found: the publication date is assumed"])
    in_lede = [d for d in past if d.block == lede]
    notes: list[str] = []
    if in_lede:
        first = in_lede[0]
        last_date = first.end if first.end and first.end <= published else first.date
        how = "the lede's date"
    else:
        pool = [d for d in past if not d.background] or past
        first = min(pool, key=lambda d: d.date)
        last_date = max((d.end or d.date) for d in pool if (d.end or d.date) <= published) if pool else first.date
        how = "no date in the lede: earliest to latest"
        if len({d.date for d in pool}) > 1:
            notes.append("several dates: split the meeting per event")
    def one(d: DatePhrase, lang: str) -> str:
        span = d.date.isoformat() + (f"…{d.end.isoformat()}" if d.end else "")
        bg = (" (background)" if lang == "en" else " (خلفية)") if d.background else ""
        return (f"«{d.phrase}» (paragraph {d.block + 1}) → {span}: {d.rule}{bg}" if lang == "en"
                else f"«{d.phrase}» (الفقرة {d.block + 1}) ← {span}{bg}")
    out: dict[str, Any] = {"start": first.date}
    if last_date != first.date:
        out["end"] = last_date
    out.update({"method": first.method, "phrase": first.phrase, "note": {
        "ar": f"نُشر المقال في {published.isoformat()}؛ عبارات التاريخ فيه: {'؛ '.join(one(d, 'ar') for d in past)}.",
        "en": f"Published {published.isoformat()} ({WEEKDAY_EN[published.weekday()]}); main date: {how}; "
              f"date phrases: {'; '.join(one(d, 'en') for d in past)}."}})
    future = [d for d in dates if d.date > published]
    if future:
        notes.append("dates after publication (announced events?): "
                     + ", ".join(f"«{d.phrase}» → {d.date.isoformat()}" for d in future))
    return out, notes


_PLACE_PREP = re.compile(r"(?<![^\W_])(?:و|ف)?(?:في|الي|الى|ب|من)\s*$")


def _location(mentions: list[Mention], blocks: list[tuple[str, bool]], corpus: Corpus,
              order: list[int]) -> dict[str, str] | None:
    """The first place named after في / إلى (then بـ / من) in the lede, then in the other
    paragraphs: a city of the gazetteer (clitics allowed), or a registered state."""
    for b in order:
        text = blocks[b][0]
        norm, imap = normalize_with_map(text)
        hits: list[tuple[int, int, dict[str, str]]] = []
        for m in re.finditer(r"(?<![^\W\d_])(?=([^\W\d_]+(?:\s+[^\W\d_]+)?))", norm):  # at every word
            for words in (m.group(1), m.group(1).split()[0]):
                word = words
                for clitic in ("", "و", "ف", "ب", "وب", "ل", "ول"):
                    if clitic and not word.startswith(clitic):
                        continue
                    city = GAZETTEER.city(word[len(clitic):])
                    if city is None:
                        continue
                    before = norm[:m.start()] + (clitic if clitic in ("ب", "وب") else "")
                    prep = _PLACE_PREP.search(before)
                    if prep:
                        rank = 0 if "في" in prep.group() or "ب" in prep.group() else 1 if "ال" in prep.group() else 2
                        s_, e_ = span_to_original(text, imap, m.start() + len(clitic), m.start() + len(word))
                        hits.append((rank, m.start(), {"ar": text[s_:e_], "en": city[1]}))
                    break
        for mention in mentions:
            org = corpus.organizations.get(mention.id)
            if mention.block == b and mention.kind == "organization" and org and org.kind == "state" and \
                    _PLACE_PREP.search(normalize(text[:mention.start])):
                hits.append((0 if normalize(text[:mention.start]).rstrip().endswith("في") else 1, mention.start,
                             _place(mention.form, corpus)))
        if hits:
            return min(hits, key=lambda h: (h[0], h[1]))[2]
    return None


def build_draft(parsed: Parsed, *, corpus: Corpus, source_id: str, outlet: str, url: str | None, published: date,
                language: str, mentions: list[Mention], headline_mentions: list[Mention], quotes: list[Quote],
                guesses: list[Guess],
                dates: list[DatePhrase], taken: set[str], source_notes: list[str],
                speaker_ids: tuple[str, ...] = ()) -> Draft:
    text_items: list[Any] = []
    for n, (text, heading) in enumerate(parsed.blocks, start=1):
        text_items.append(Commented({"heading": text}, f"[{n}] subheading") if heading else Commented(text, f"[{n}]"))
    notes = list(source_notes)
    headline = parsed.headline or ("[غير معروف]" if language == "ar" else "[unknown]")
    if not parsed.headline:
        notes.append("no headline in the article: write it (or run `factsheets new` again with --headline TEXT)")
    notes += parsed.structure
    source: dict[str, Any] = {"id": source_id, "outlet": outlet, "url": url, "published": published,
                              "language": language, "headline": headline}
    if parsed.dateline:
        place = _place(parsed.dateline.place, corpus)
        if place["en"].startswith("[translate"):
            notes.append(f"dateline place: write the English name of «{parsed.dateline.place}»")
        source["dateline"] = {"text": parsed.dateline.text, "place": place}
    source["text"] = text_items
    source["furniture"] = [line for line, _ in parsed.furniture]
    source["review"] = notes

    # -- the stub meeting --------------------------------------------------------------------
    orgs = corpus.organizations
    body = [i for i, (_, heading) in enumerate(parsed.blocks) if not heading]
    lede = body[0] if body else None
    top = [m for m in headline_mentions + mentions if m.block in (-1, lede)]   # headline and lede
    states = lambda ms: [m.id for m in ms if m.kind == "organization" and orgs[m.id].kind == "state"]  # noqa: E731
    parties = list(dict.fromkeys(states(top)))
    meet_notes = ["stub meeting for the whole article: split it into one meeting per event, and check the title, "
                  "date, location, venue, kind, parties, participants, sides and topics"]
    speakers = [g.id for g in guesses if g.kind == "person" and g.id] + list(speaker_ids)
    named = list(dict.fromkeys(m.id for m in headline_mentions + mentions if m.kind == "person"))
    people = list(dict.fromkeys([m.id for m in top if m.kind == "person"] + [p for p in named if p in speakers]))
    mentioned = [p for p in named if p not in people]
    if mentioned:
        meet_notes.append("named in the article but neither in the headline or lede nor speaking, so not made "
                          "participants (add them if they took part): " + ", ".join(mentioned))
    sides: dict[str, str | None] = {}
    for pid in people:
        role = corpus.role_at(pid, published)
        state = corpus.state_of(role.organization) if role and role.organization else None
        sides[pid] = state
        if state and state not in parties:
            parties.append(state)
    if not parties:
        parties = list(dict.fromkeys(states(mentions)))
    if not parties:
        parties = [outlet]
        meet_notes.append(f"no state found in the article: the outlet '{outlet}' stands in as the only party")
    participants = []
    for pid in people:
        side = sides[pid] or parties[0]
        if not sides[pid]:
            meet_notes.append(f"side of '{pid}' unknown (no current role with a state): guessed '{side}'")
        participants.append({"person": pid, "side": side})
    mdate, date_notes = _meeting_date(dates, published, lede)
    meet_notes += date_notes
    kind = guess_kind(([parsed.blocks[lede][0]] if lede is not None else []) + [parsed.headline]
                      + [t for t, _ in parsed.blocks])
    location = _location(mentions, parsed.blocks, corpus, body)
    if location is None and kind == "phone-call":
        location = {"ar": "[غير معروف]", "en": "[unknown]"}
        meet_notes.append("a phone call: no place of meeting (the dateline's place is not it); write the places of "
                          "the two sides, or a fitting description")
    if location is None:
        location = _place(parsed.dateline.place, corpus) if parsed.dateline else {"ar": "[غير معروف]", "en": "[unknown]"}
        meet_notes.append("location not found in the text: the dateline's place (or a placeholder) stands in")
    meeting_id = unique_id(f"{source_id[:ID_MAX - 8]}-meeting", taken)
    meeting = {"id": meeting_id,
               "title": {"ar": headline, "en": f"[draft: English title of the meeting(s) in {source_id}]"},
               "date": mdate, "location": location, "kind": kind, "parties": parties,
               "participants": participants, "topics": [], "sources": [source_id], "review": meet_notes}

    # -- statement stubs ---------------------------------------------------------------------
    src_model = Source.model_validate({**source, "text": [t.value for t in text_items], "review": []})
    index = SourceIndex(src_model)
    statements: list[dict[str, Any]] = []
    draft = Draft({"source": source, "meetings": [meeting], "statements": statements}, meeting_id=meeting_id)
    norm_blocks = [normalize(t) for t, _ in parsed.blocks]
    for q, g in zip(quotes, guesses):
        needle = normalize(q.text)
        repeats = sum(b.count(needle) for b in norm_blocks) if needle else 0
        anc = anchor(q, parsed.blocks[q.block][0], index, repeats)
        if not anc.unique:
            draft.stubs.append((q, g, anc, None))
            continue
        speaker: str | dict[str, str]
        name: Bilingual | None
        if g.kind == "person" and g.id:
            speaker, name = {"person": g.id}, corpus.people[g.id].name
        elif g.kind == "organization" and g.id:
            speaker, name = {"organization": g.id}, orgs[g.id].name
        else:
            speaker, name = "unknown", None   # never a guessed side: `check` refuses it until a human sets it
        base, n = f"{(g.id or source_id)[:60]}-quote", 1
        while f"{base}-{n}" in taken:
            n += 1
        sid = unique_id(f"{base}-{n}", taken)
        who = g.id or "unknown (no speaker found: set `speaker:`)"
        review = [f"speaker guessed: {who} ({g.how}); check stance, topics, summary; "
                  "the English words and summary are placeholders"]
        if g.how.startswith("attributed"):
            review.append(f"the paragraph attributes this to {g.id}: consider mode 'reported' with reported_by")
        if any(m.block == q.block and m.start >= q.start and m.end <= q.end for m in mentions) and len(q.text.split()) <= 3:
            review.append("the quoted words are a name, perhaps not a statement: delete this stub if so")
        provenance: dict[str, Any] = {"source": source_id, "exact": anc.exact}
        if anc.prefix:
            provenance["prefix"] = anc.prefix
        if anc.suffix:
            provenance["suffix"] = anc.suffix
        statements.append({
            "id": sid, "meeting": meeting_id, "speaker": speaker, "topics": [], "stance": "describes",
            "summary": {"ar": f"{name.ar if name and name.ar else '[غير معروف]'}: «{q.text}»",
                        "en": f"[draft: summary of what {(name.en if name and name.en else 'the speaker')} said "
                              f"in paragraph {q.block + 1}]"},
            "mode": "direct-quote",
            "words": {"ar": q.text, "en": "[translate]"} if language == "ar" else {"ar": "[ترجمة]", "en": q.text},
            "provenance": provenance, "review": review})
        draft.stubs.append((q, g, anc, sid))
    return draft
