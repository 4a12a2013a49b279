"""Arabic-aware text normalization and quote matching.

:func:`normalize` produces the *matching key* used to compare annotated quotes
with article text and to fold text for search.  :func:`normalize_with_map`
returns the same string plus an offset map back into the original text, so a
match found in normalized text can be reported as a span of the original.

Normalization is applied one original character at a time (see
:func:`_fold_char`): each character is looked up in an explicit fold table,
otherwise NFKC-normalized, case-folded and mapped through the same table
(repeated until stable).  Because NFKC runs per character, canonical
*composition across characters* (e.g. ``"e" + U+0301`` -> ``"é"``) does not
happen; this is rare in Arabic text, and it keeps every output character tied
to exactly one source character.  Case folding (``str.casefold``) applies to
every cased script, not only Latin; it does not touch Arabic.

Only the standard library is used.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "BIDI_CONTROLS",
    "ZERO_WIDTH",
    "normalize",
    "normalize_with_map",
    "span_to_original",
    "strip_controls",
    "strip_unsafe",
    "UNSAFE_CONTROLS",
]


def _chars(*ranges: tuple[int, int]) -> frozenset[str]:
    return frozenset(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))


#: Bidi embedding / override / isolate controls: LRE RLE PDF LRO RLO, LRI RLI FSI PDI.
BIDI_CONTROLS: frozenset[str] = _chars((0x202A, 0x202E), (0x2066, 0x2069))
#: Zero-width characters: ZWSP, ZWNJ, ZWJ, WORD JOINER, BOM / ZWNBSP.
ZERO_WIDTH: frozenset[str] = _chars((0x200B, 0x200D), (0x2060, 0x2060), (0xFEFF, 0xFEFF))

SOFT_HYPHEN = "\u00ad"

#: Arabic diacritics (tashkeel, Quranic marks, superscript alef).
TASHKEEL: frozenset[str] = _chars(
    (0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670),
    (0x06D6, 0x06DC), (0x06DF, 0x06E8), (0x06EA, 0x06ED),
)
TATWEEL = "\u0640"

#: Everything :func:`normalize` deletes outright.
_REMOVED: frozenset[str] = (
    TASHKEEL
    | {TATWEEL, "\u061c", "\ufeff", SOFT_HYPHEN}
    | _chars((0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x2069))
)

_FOLD: dict[str, str] = {c: "" for c in _REMOVED}
_FOLD.update({c: "ا" for c in "\u0623\u0625\u0622\u0671\u0672\u0673"})
_FOLD.update({"ؤ": "و", "ئ": "ي", "ى": "ي", "\u06cc": "ي", "\u06a9": "ك", "ة": "ه"})
_FOLD.update({c: '"' for c in "“”„‟«»‹›\"″‘’‚‛'`´＂"})
_FOLD.update({"،": ",", "؛": ";", "؟": "?", "٪": "%", "۔": "."})
_FOLD.update({c: "-" for c in "‐‑‒–—―−"})
_FOLD.update({chr(0x0660 + d): str(d) for d in range(10)})
_FOLD.update({chr(0x06F0 + d): str(d) for d in range(10)})
_TRANS = str.maketrans(_FOLD)


def _fold_char(ch: str) -> str:
    """Normalize a single original character (may return "" or several chars); the results
    are kept in ``_TABLE``, through which the module reads them.

    The fold table is consulted *before* NFKC so that characters NFKC would
    decompose (``″`` -> ``′′``, ``´`` -> space + acute) map as listed.
    """
    if ch in _FOLD:
        return _FOLD[ch]
    s = ch
    for _ in range(4):  # iterate to a fixed point (NFKC/casefold interplay)
        t = unicodedata.normalize("NFKC", s).casefold().translate(_TRANS)
        if t == s:
            break
        s = t
    return s


class _FoldTable(dict):
    """``ord(ch) -> _fold_char(ch)``, filled as characters are met (for ``str.translate``)."""

    def __missing__(self, key: int) -> str:
        ch = chr(key)
        folded = self[key] = _fold_char(ch)
        if folded == " ":
            _SPACES.add(ch)
        elif len(folded) != 1 or folded.isspace():
            _IRREGULAR.add(ch)
        return folded


#: Characters met so far whose fold is not exactly one character, or is whitespace other than " ".
_IRREGULAR: set[str] = set()
#: Characters met so far that fold to " " (the space itself, no-break spaces, ...).
_SPACES: set[str] = set()
_TABLE = _FoldTable()


@lru_cache(maxsize=256)
def _cuts_re(irregular: str, spaces: str) -> re.Pattern[str]:
    """Where a text stops being "one plain character out per character in": an irregular
    character, or a space followed by another space."""
    parts = []
    if irregular:
        parts.append("[" + "".join(re.escape(c) for c in irregular) + "]")
    if spaces:
        cls = "[" + "".join(re.escape(c) for c in spaces) + "]"
        parts.append(f"{cls}(?={cls})")
    return re.compile("|".join(parts) or "(?!)")


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Return ``(normalize(text), index_map)``.

    ``index_map[i]`` is the index in *text* of the character that produced
    normalized character ``i``; a collapsed whitespace run maps to its first
    whitespace character.  The map is non-decreasing.

    The text is cut at the few characters that do not fold to one character
    (removed marks, expansions, whitespace runs); the stretches between the cuts
    are translated and mapped in one go, and only the cut characters are walked
    one by one.
    """
    text.translate(_TABLE)  # meets every character
    cuts = _cuts_re("".join(sorted(_IRREGULAR.intersection(text))), "".join(sorted(_SPACES.intersection(text))))
    out: list[str] = []
    index_map: list[int] = []
    pending = -1  # source index of a whitespace run awaiting a following char
    last = 0
    n = len(text)
    for i in [m.start() for m in cuts.finditer(text)] + [n]:
        # text[last:i]: each character folds to one character, no two spaces in a row
        a, b = last, i
        if a < b and text[a] in _SPACES:  # a leading space joins the current run
            if pending < 0 and out:
                pending = a
            a += 1
        trailing = a < b and text[b - 1] in _SPACES
        if trailing:
            b -= 1
        if a < b:
            if pending >= 0:
                out.append(" ")
                index_map.append(pending)
                pending = -1
            out.append(text[a:b].translate(_TABLE))
            index_map.extend(range(a, b))
        if trailing and pending < 0 and out:
            pending = b
        if i == n:
            break
        for c in _TABLE[ord(text[i])]:  # the character at the cut, as the definition goes
            if c.isspace():
                if pending < 0 and out:
                    pending = i
                continue
            if pending >= 0:
                out.append(" ")
                index_map.append(pending)
                pending = -1
            out.append(c)
            index_map.append(i)
        last = i + 1
    return "".join(out), index_map


def normalize(text: str) -> str:
    """Matching/search key: NFKC, strip tashkeel/tatweel/invisibles, fold letter
    variants, quotes, punctuation and digits, collapse whitespace, casefold.

    The same string as ``normalize_with_map(text)[0]``, made without the offset map: the
    characters are folded by one ``str.translate`` and whitespace runs collapsed by
    ``split``/``join`` (both apply ``str.isspace``), so no Python loop runs per character."""
    return " ".join(text.translate(_TABLE).split())


def span_to_original(text: str, index_map: list[int], start: int, end: int) -> tuple[int, int]:
    """Convert a ``[start, end)`` span of normalized text to a span of *text*.

    The end is extended over following characters that normalize to nothing
    (diacritics, tatweel, invisible controls) so trailing marks of the last
    letter are included.
    """
    if not 0 <= start <= end <= len(index_map):
        raise ValueError(f"span [{start}, {end}) outside normalized text of length {len(index_map)}")
    if start == end:
        pos = index_map[start] if start < len(index_map) else len(text)
        return pos, pos
    s, e = index_map[start], index_map[end - 1] + 1
    while e < len(text) and _TABLE[ord(text[e])] == "":
        e += 1
    return s, e


#: Characters no export may carry: C0 controls but tab, newline and carriage return, DEL, C1
#: controls, U+FFFE/U+FFFF and lone surrogates. They make XML ill-formed (the Atom feed),
#: reach terminals and spreadsheets, and cannot all be written as UTF-8.
UNSAFE_CONTROLS: frozenset[str] = (
    _chars((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0xFFFE, 0xFFFF), (0xD800, 0xDFFF))
)

_STRIPPED: frozenset[str] = BIDI_CONTROLS | {"\u200b", "\u2060", "\ufeff"} | UNSAFE_CONTROLS
_STRIP_TABLE: dict[int, str | None] = {ord(c): None for c in _STRIPPED}
_STRIP_ANY = re.compile("[" + "".join(re.escape(c) for c in sorted(_STRIPPED | {"\r"})) + "]")
_UNSAFE_ANY = re.compile("[" + "".join(re.escape(c) for c in sorted(UNSAFE_CONTROLS)) + "]")


def strip_unsafe(text: str) -> str:
    """Remove :data:`UNSAFE_CONTROLS` (for exports: whatever reaches them is well-formed)."""
    return _UNSAFE_ANY.sub("", text) if _UNSAFE_ANY.search(text) else text


def strip_controls(text: str) -> str:
    """Neutralize text for display: remove U+202A-U+202E, U+2066-U+2069,
    U+200B, U+2060, U+FEFF and :data:`UNSAFE_CONTROLS` (C0 controls but tab and
    newline, C1 controls, U+FFFE/U+FFFF, lone surrogates); a carriage return becomes
    a newline.  ZWNJ/ZWJ (U+200C/U+200D, needed for Arabic/Persian shaping),
    LRM/RLM/ALM and the soft hyphen are kept."""
    # every free-text field passes here: searching for the few characters is much faster than
    # translating every character, and most texts have none of them
    if not _STRIP_ANY.search(text):
        return text
    if "\r" in text:  # a carriage return (CR LF or alone) is a line break, as in YAML
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_STRIP_TABLE)
