"""Build the draft's data: the source record, one stub meeting, one statement stub per quote.

Every guess carries a ``review:`` note, and English text the tool cannot write is a
placeholder in square brackets mentioned in that note, so the draft passes
`factsheets check` with warnings only and `--strict` refuses it until a human has looked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.arabic import normalize
from generator.corpus import Corpus
from generator.intake.dates import WEEKDAY_EN, DatePhrase
from generator.intake.names import Mention
from generator.intake.quotes import Anchor, Guess, Quote, anchor
from generator.intake.skeleton import Commented
from generator.intake.text import Parsed
from generator.model import ID_MAX, Source
from generator.provenance import SourceIndex

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
KIND_WORDS = (("phone-call", ("اتصال هاتفي", "اتصالا هاتفيا", "phone call")), ("summit", ("قمة", "summit")),
              ("talks", ("محادثات", "مباحثات", "talks")), ("reception", ("استقبل", "received")),
              ("press-conference", ("مؤتمر صحافي", "مؤتمر صحفي", "press conference")), ("visit", ("زيارة", "visit")))


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
            if n and normalize(n) == key and i < len(ens) and ens[i]:
                return {"ar": ar, "en": ens[i]}
    return {"ar": ar, "en": f"[translate: {ar}]"}


def _meeting_date(dates: list[DatePhrase], published: date) -> tuple[dict[str, Any], list[str]]:
    past = [d for d in dates if d.date <= published]
    if not past:
        return ({"start": published, "method": "inferred",
                 "note": {"ar": "لم يُعثر في المقال على عبارة تاريخ؛ افتُرض تاريخ النشر.",
                          "en": "No date phrase found in the article; the publication date was assumed."}},
                ["no date phrase found: the publication date is assumed"])
    first = min(past, key=lambda d: d.date)
    last = max(past, key=lambda d: d.date)
    listing = "; ".join(f"«{d.phrase}» (paragraph {d.block + 1}) → {d.date.isoformat()}: {d.rule}" for d in past)
    listing_ar = "؛ ".join(f"«{d.phrase}» (الفقرة {d.block + 1}) ← {d.date.isoformat()}" for d in past)
    out: dict[str, Any] = {"start": first.date}
    if last.date != first.date:
        out["end"] = last.date
    out.update({"method": first.method, "phrase": first.phrase, "note": {
        "ar": f"نُشر المقال في {published.isoformat()}؛ عبارات التاريخ فيه: {listing_ar}.",
        "en": f"Published {published.isoformat()} ({WEEKDAY_EN[published.weekday()]}); date phrases: {listing}."}})
    notes = [] if len({d.date for d in past}) == 1 else ["several dates: split the meeting per event"]
    future = [d for d in dates if d.date > published]
    if future:
        notes.append("dates after publication (announced events?): "
                     + ", ".join(f"«{d.phrase}» → {d.date.isoformat()}" for d in future))
    return out, notes


def _location(mentions: list[Mention], blocks: list[tuple[str, bool]], corpus: Corpus) -> dict[str, str] | None:
    for m in mentions:
        org = corpus.organizations.get(m.id)
        if m.kind == "organization" and org and org.kind == "state" and blocks[m.block][0][:m.start].endswith("في "):
            return _place(m.form, corpus)
    return None


def build_draft(parsed: Parsed, *, corpus: Corpus, source_id: str, outlet: str, url: str | None, published: date,
                language: str, mentions: list[Mention], headline_mentions: list[Mention], quotes: list[Quote],
                guesses: list[Guess],
                dates: list[DatePhrase], taken: set[str], source_notes: list[str]) -> Draft:
    text_items: list[Any] = []
    for n, (text, heading) in enumerate(parsed.blocks, start=1):
        text_items.append(Commented({"heading": text}, f"[{n}] subheading") if heading else Commented(text, f"[{n}]"))
    notes = list(source_notes)
    source: dict[str, Any] = {"id": source_id, "outlet": outlet, "url": url, "published": published,
                              "language": language, "headline": parsed.headline}
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
    parties = list(dict.fromkeys(m.id for m in mentions if m.kind == "organization" and orgs[m.id].kind == "state"))
    meet_notes = ["stub meeting for the whole article: split it into one meeting per event, and check the title, "
                  "date, location, venue, kind, parties, participants, sides and topics"]
    speakers = [g.id for g in guesses if g.kind == "person" and g.id]
    people = list(dict.fromkeys([m.id for m in headline_mentions + mentions if m.kind == "person"] + speakers))
    sides: dict[str, str | None] = {}
    for pid in people:
        role = corpus.role_at(pid, published)
        state = corpus.state_of(role.organization) if role and role.organization else None
        sides[pid] = state
        if state and state not in parties:
            parties.append(state)
    if not parties:
        parties = [outlet]
        meet_notes.append(f"no state found in the article: the outlet '{outlet}' stands in as the only party")
    participants = []
    for pid in people:
        side = sides[pid] or parties[0]
        if not sides[pid]:
            meet_notes.append(f"side of '{pid}' unknown (no current role with a state): guessed '{side}'")
        participants.append({"person": pid, "side": side})
    mdate, date_notes = _meeting_date(dates, published)
    meet_notes += date_notes
    location = _location(mentions, parsed.blocks, corpus)
    if location is None:
        location = _place(parsed.dateline.place, corpus) if parsed.dateline else {"ar": "[غير معروف]", "en": "[unknown]"}
        meet_notes.append("location not found in the text: the dateline's place (or a placeholder) stands in")
    blob = parsed.headline + " " + " ".join(t for t, _ in parsed.blocks)
    kind = next((k for k, words in KIND_WORDS if any(w in blob for w in words)), "other")
    meeting_id = unique_id(f"{source_id[:ID_MAX - 8]}-meeting", taken)
    meeting = {"id": meeting_id,
               "title": {"ar": parsed.headline, "en": f"[draft: English title of the meeting(s) in {source_id}]"},
               "date": mdate, "location": location, "kind": kind, "parties": parties,
               "participants": participants, "topics": [], "sources": [source_id], "review": meet_notes}

    # -- statement stubs ---------------------------------------------------------------------
    src_model = Source.model_validate({**source, "text": [t.value for t in text_items], "review": []})
    index = SourceIndex(src_model)
    statements = []
    draft = Draft({"source": source, "meetings": [meeting], "statements": statements}, meeting_id=meeting_id)
    norm_blocks = [normalize(t) for t, _ in parsed.blocks]
    for q, g in zip(quotes, guesses):
        needle = normalize(q.text)
        repeats = sum(b.count(needle) for b in norm_blocks) if needle else 0
        anc = anchor(q, parsed.blocks[q.block][0], index, repeats)
        if not anc.unique:
            draft.stubs.append((q, g, anc, None))
            continue
        if g.kind == "person":
            speaker, name = {"person": g.id}, corpus.people[g.id].name
        elif g.kind == "organization":
            speaker, name = {"organization": g.id}, orgs[g.id].name
        else:
            speaker, name = {"joint": parties}, None
        base, n = f"{(g.id or source_id)[:60]}-quote", 1
        while f"{base}-{n}" in taken:
            n += 1
        sid = unique_id(f"{base}-{n}", taken)
        who = g.id or "joint (no speaker found)"
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
            "summary": {"ar": f"{name.ar if name and name.ar else 'الجانبان'}: «{q.text}»",
                        "en": f"[draft: summary of what {(name.en if name and name.en else 'the sides')} said "
                              f"in paragraph {q.block + 1}]"},
            "mode": "direct-quote",
            "words": {"ar": q.text, "en": "[translate]"} if language == "ar" else {"ar": "[ترجمة]", "en": q.text},
            "provenance": provenance, "review": review})
        draft.stubs.append((q, g, anc, sid))
    return draft
