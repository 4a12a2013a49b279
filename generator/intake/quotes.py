"""Quoted spans (“…”, "…", «…», ‘…’), unique provenance for each, and a speaker guess."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.core.arabic import normalize
from generator.intake.limits import MAX_QUOTE_REPEATS
from generator.intake.names import GENERIC, Mention, SpeakerEvent
from generator.core.provenance import SourceIndex

#: Opening and closing marks; straight double quotes pair up in order within a paragraph.
QUOTE_PAIRS: tuple[tuple[str, str], ...] = (("“", "”"), ("«", "»"), ("‘", "’"), ('"', '"'))
_PAIR_RES = [re.compile(re.escape(o) + r"([^" + re.escape(o + c) + r"\n]+)" + re.escape(c)) for o, c in QUOTE_PAIRS]
_ATTRIBUTION = tuple(normalize(w) for w in ("بحسب", "حسب", "وفق", "وفقا ل", "وفقاً لـ", "نقلا عن", "نقلاً عن",
                                            "نقلت", "أفادت", "ذكرت"))


@dataclass(frozen=True)
class Quote:
    block: int   # index into the article's blocks
    start: int   # the quoted words, without the marks, in the block's original text
    end: int
    text: str


def find_quotes(blocks: list[tuple[str, bool]]) -> list[Quote]:
    """Every quoted span in the paragraphs (not in subheadings), in reading order."""
    found: list[Quote] = []
    for b, (text, heading) in enumerate(blocks):
        if heading:
            continue
        spans: set[tuple[int, int]] = set()
        for rx in _PAIR_RES:
            for m in rx.finditer(text):
                inner = m.group(1)
                if inner.strip():
                    lead = len(inner) - len(inner.lstrip())
                    spans.add((m.start(1) + lead, m.start(1) + len(inner.rstrip())))
        found += [Quote(b, s, e, text[s:e]) for s, e in sorted(spans)]
    return found


@dataclass(frozen=True)
class Anchor:
    exact: str
    prefix: str | None
    suffix: str | None
    unique: bool


def _words_before(text: str, pos: int, n: int) -> str:
    head = text[max(0, pos - 2000):pos]  # eight words are never that long: keeps the search linear
    cut = [m.start() for m in re.finditer(r"\s+\S", head)]
    start = cut[-n] + 1 if len(cut) >= n else 0
    return head[start:].strip()


def _words_after(text: str, pos: int, n: int) -> str:
    tail = text[pos:pos + 2000]
    cut = [m.end() for m in re.finditer(r"\S\s", tail)]
    end = cut[n - 1] - 1 if len(cut) >= n else len(tail)
    return tail[:end].strip()


def anchor(quote: Quote, block_text: str, index: SourceIndex, repeats: int = 1) -> Anchor:
    """``exact`` = the quoted words; if they occur more than once in the source, the words
    just before the opening mark (mark included) become ``prefix``, then those after the
    closing mark ``suffix``, each grown word by word until the span is unique.  Words found
    more than MAX_QUOTE_REPEATS times in the article (``repeats``) are not anchored at all."""
    if repeats > MAX_QUOTE_REPEATS:
        return Anchor(quote.text, None, None, False)
    def ok(prefix: str | None, suffix: str | None) -> bool:
        spans = index.find(quote.text, prefix, suffix)
        return len(spans) == 1 and spans[0].paragraph == quote.block + 1

    if ok(None, None):
        return Anchor(quote.text, None, None, True)
    for n in range(1, 9):
        prefix = _words_before(block_text, quote.start, n)
        if re.search(r"[^\W_]", prefix) and ok(prefix, None):
            return Anchor(quote.text, prefix, None, True)
    for n in range(1, 9):
        suffix = _words_after(block_text, quote.end, n)
        if re.search(r"[^\W_]", suffix) and ok(None, suffix):
            return Anchor(quote.text, None, suffix, True)
    return Anchor(quote.text, None, None, False)


@dataclass(frozen=True)
class Guess:
    kind: str | None   # "person" | "organization" | None
    id: str | None
    how: str            # a few words for the review note


def guess_speaker(quote: Quote, blocks: list[tuple[str, bool]], events: list[SpeakerEvent],
                  mentions: list[Mention]) -> Guess:
    """The nearest preceding speaker: the last speech verb with a registered subject before the
    quote (verbs without a named subject, or with a generic one such as الوزارة, continue the
    previous speaker; a subheading ends the search); else the source named by بحسب/نقلا عن in
    the same paragraph; else the nearest person named before the quote in the paragraph."""
    text = blocks[quote.block][0]
    # «…»، قال X / "…," X said: a speaker named right after the closing mark
    for ev in events:
        if ev.block == quote.block and quote.end < ev.start <= quote.end + 8 and ev.id \
                and not re.search(r"[^\W_]", text[quote.end:ev.start]):
            return Guess(ev.kind, ev.id, f"speech verb right after the quote «{ev.subject}»")
    after = [m for m in mentions if m.block == quote.block and m.kind == "person"
             and quote.end < m.start <= quote.end + 6 and re.match(r"\W*\s*(?:said|says|added|told)\b",
                                                                   text[m.end:m.end + 12], re.I)]
    if after:
        return Guess("person", after[0].id, f"named right after the quote «{after[0].form}»")
    earlier = sorted((e for e in events if (e.block, e.start) < (quote.block, quote.start)),
                     key=lambda e: (e.block, e.start), reverse=True)
    for ev in earlier:
        if any(blocks[b][1] for b in range(ev.block + 1, quote.block + 1)):
            break  # a subheading in between starts a new section
        if ev.id:
            return Guess(ev.kind, ev.id, f"speech verb before «{ev.subject}»" + (" (by title)" if ev.via == "title" else ""))
        words = normalize(ev.subject).split()
        if words and not all(w in GENERIC for w in words):
            return Guess(None, None, f"unregistered subject «{ev.subject}»")
    here = [m for m in mentions if m.block == quote.block]
    # "نقلت سانا عن الشيباني قوله …": the person after نقل… عن speaks (the outlet reports)
    for m in here:
        if m.kind == "person" and m.end <= quote.start and re.search(
                r"(?<![^\W_])[وف]?(?:نقلت|نقل|ونقلت|نقلا|نقلاً)\s+(?:\S+\s+){0,4}عن\s*$", text[:m.start]):
            return Guess("person", m.id, f"reported: «{text[max(0, m.start - 30):m.end].strip()}»")

    for m in here:
        if m.kind == "organization" and normalize(text[:m.start]).rstrip().endswith(_ATTRIBUTION):
            return Guess(m.kind, m.id, f"attributed to «{m.form}»")
    before = [m for m in here if m.kind == "person" and m.end <= quote.start]
    if before:
        return Guess("person", before[-1].id, f"nearest name before the quote «{before[-1].form}»")
    return Guess(None, None, "no speaker found")
