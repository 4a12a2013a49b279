"""Locate a statement's exact words in its source text (TextQuoteSelector-style).

Matching is done on the Arabic-aware normalized key; the result is a paragraph number
and character offsets in the verbatim paragraph, derived here and never typed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from generator.core.arabic import normalize, normalize_with_map, span_to_original
from generator.core.model import Heading, Source


@dataclass(frozen=True, slots=True)
class Span:
    """Where a quote stands: paragraph number (1-based) and offsets in its verbatim text."""

    source: str
    paragraph: int
    start: int
    end: int


class SourceIndex:
    """The normalized blocks of one source, computed once and reused for every quote."""

    def __init__(self, source: Source):
        self.source = source
        self.blocks = [b.heading if isinstance(b, Heading) else b for b in source.text]
        self._norm = [normalize(b) for b in self.blocks]
        self._maps: dict[int, list[int]] = {}  # offset maps, made only for blocks a quote is found in

    def _map(self, i: int) -> list[int]:
        if i not in self._maps:
            self._maps[i] = normalize_with_map(self.blocks[i])[1]
        return self._maps[i]

    def find(self, exact: str, prefix: str | None = None, suffix: str | None = None) -> list[Span]:
        needle = normalize(exact)
        if not needle:
            return []
        npre, nsuf = normalize(prefix or ""), normalize(suffix or "")
        found: list[Span] = []
        for i, text in enumerate(self._norm):
            pos = text.find(needle)
            while pos != -1:
                end = pos + len(needle)
                if (not npre or text[:pos].rstrip().endswith(npre)) and (not nsuf or text[end:].lstrip().startswith(nsuf)):
                    s, e = span_to_original(self.blocks[i], self._map(i), pos, end)
                    found.append(Span(self.source.id, i + 1, s, e))
                pos = text.find(needle, pos + 1)
        return found

    def closest(self, exact: str) -> tuple[int, str]:
        """The paragraph whose text best resembles ``exact``, with the resembling excerpt."""
        needle = normalize(exact)
        best = (0, 1, "")
        for i, text in enumerate(self._norm):
            m = SequenceMatcher(None, needle, text, autojunk=False).find_longest_match(0, len(needle), 0, len(text))
            if m.size > best[0]:
                lo = max(0, m.b - m.a)
                hi = min(len(text), lo + len(needle) + 10)
                if hi > lo:
                    s, e = span_to_original(self.blocks[i], self._map(i), lo, hi)
                    best = (m.size, i + 1, self.blocks[i][s:e])
        return best[1], best[2]
