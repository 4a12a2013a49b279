"""Tests for generator.core.arabic: normalization rules, offset map, controls."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.core.arabic import (
    BIDI_CONTROLS,
    SOFT_HYPHEN,
    UNSAFE_CONTROLS,
    _fold_char,
    ZERO_WIDTH,
    normalize,
    normalize_with_map,
    span_to_original,
    strip_controls,
)


# --------------------------------------------------------------------------
# helpers of these tests, built on the module's public functions
# --------------------------------------------------------------------------


def find_all(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Spans in *haystack* of every (overlapping) match of ``normalize(needle)``.

    Matches that start inside a multi-character expansion (ligature, ``ß``)
    widen to the whole source character; duplicate spans are reported once.
    """
    key = normalize(needle)
    if not key:
        return []
    norm, index_map = normalize_with_map(haystack)
    spans: list[tuple[int, int]] = []
    pos = norm.find(key)
    while pos >= 0:
        span = span_to_original(haystack, index_map, pos, pos + len(key))
        if not spans or spans[-1] != span:
            spans.append(span)
        pos = norm.find(key, pos + 1)
    return spans


def has_bidi_controls(text: str) -> bool:
    """True if *text* contains a bidi embedding/override/isolate control
    (:data:`BIDI_CONTROLS`).  LRM/RLM/ALM marks are not counted."""
    return any(c in BIDI_CONTROLS for c in text)


def has_invisible(text: str) -> bool:
    """True if *text* contains a zero-width character (:data:`ZERO_WIDTH`:
    U+200B, U+200C, U+200D, U+2060, U+FEFF) or a soft hyphen U+00AD."""
    return any(c in ZERO_WIDTH or c == SOFT_HYPHEN for c in text)

# --------------------------------------------------------------------------
# normalize: one example (or parametrized set) per rule
# --------------------------------------------------------------------------


def test_nfkc_presentation_forms_and_fullwidth() -> None:
    # Presentation forms B: ﻣﺮﺣﻠﺔ -> مرحله (ة then folds to ه)
    assert normalize("\ufee3\ufeae\ufea3\ufee0\ufe94") == "مرحله"
    # Presentation forms A ligature lam-alef, and U+FDF2 -> multi-letter
    assert normalize("\ufefb") == "لا"
    assert normalize("\ufdf2") == "الله"
    # Full-width Latin and digits
    assert normalize("ＡＢＣ１２３") == "abc123"


@pytest.mark.parametrize(
    "mark",
    [chr(c) for c in [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670,
                      *range(0x06D6, 0x06DD), *range(0x06DF, 0x06E9), *range(0x06EA, 0x06EE)]],
)
def test_every_diacritic_removed(mark: str) -> None:
    assert normalize("ب" + mark + "ت") == "بت"


def test_diacritics_examples() -> None:
    assert normalize("أسعد الشّيباني") == normalize("اسعد الشيباني") == "اسعد الشيباني"
    assert normalize("وَزِيرُ الخَارِجِيَّةِ") == "وزير الخارجيه"
    assert normalize("هٰذا") == "هذا"  # superscript alef


def test_tatweel_removed() -> None:
    assert normalize("مـــرحلة") == normalize("مرحلة")


@pytest.mark.parametrize(
    "ch",
    ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d",
     "\u202e", "\u2060", "\u2061", "\u2062", "\u2063", "\u2064", "\u2066", "\u2067", "\u2068",
     "\u2069", "\u061c", "\ufeff", "\u00ad"],
)
def test_invisible_and_bidi_removed(ch: str) -> None:
    assert normalize("دم" + ch + "شق") == "دمشق"


def test_bidi_wrapped_text() -> None:
    assert normalize("\u2067بوتين\u2069 \u202bPutin\u202c") == "بوتين putin"


@pytest.mark.parametrize("ch", ["أ", "إ", "آ", "ٱ", "\u0672", "\u0673"])
def test_alef_variants(ch: str) -> None:
    assert normalize(ch + "حمد") == "احمد"


@pytest.mark.parametrize(
    ("src", "dst"),
    [("ؤ", "و"), ("ئ", "ي"), ("ى", "ي"), ("\u06cc", "ي"), ("\u06a9", "ك"), ("ة", "ه")],
)
def test_letter_folds(src: str, dst: str) -> None:
    assert normalize(src) == dst


def test_letter_fold_examples() -> None:
    assert normalize("على") == normalize("علي")
    assert normalize("مسؤول") == "مسوول"
    assert normalize("رئيس") == "رييس"
    assert normalize("وكالة") == "وكاله"
    assert normalize("\u06a9\u06cc") == "كي"


def test_hamza_kept() -> None:
    assert normalize("سماء") == "سماء"
    assert normalize("ء") == "ء"


@pytest.mark.parametrize("q", list("“”„‟«»‹›\"″‘’‚‛'`´＂"))
def test_quotes_fold_to_ascii_double(q: str) -> None:
    assert normalize(q + "x" + q) == '"x"'


def test_quote_styles_equivalent() -> None:
    assert normalize("«بيان»") == normalize("“بيان”") == normalize('"بيان"') == '"بيان"'


@pytest.mark.parametrize(
    ("src", "dst"),
    [("،", ","), ("؛", ";"), ("؟", "?"), ("٪", "%"), ("۔", "."),
     ("‐", "-"), ("‑", "-"), ("‒", "-"), ("–", "-"), ("—", "-"), ("―", "-"), ("−", "-")],
)
def test_punctuation(src: str, dst: str) -> None:
    assert normalize(src) == dst


def test_digits() -> None:
    assert normalize("٢٠٢٥") == "2025"
    assert normalize("۲۰۲۵") == "2025"
    assert normalize("٠١٢٣٤٥٦٧٨٩") == normalize("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert normalize("٥٠٪") == "50%"


def test_whitespace_collapse() -> None:
    assert normalize("  موسكو\u00a0\u00a0و\n\tدمشق \u202f ") == "موسكو و دمشق"
    assert normalize("a\r\n\u2028b") == "a b"
    assert normalize(" \n\t ") == ""
    assert normalize("") == ""


def test_casefold() -> None:
    assert normalize("Sergey LAVROV") == "sergey lavrov"
    assert normalize("Straße") == "strasse"


def test_other_characters_unchanged() -> None:
    text = "پچژگ ڤ ۀ ! ( ) [ ] ... سوريا"
    assert normalize(text) == text


# --------------------------------------------------------------------------
# normalize_with_map / span_to_original
# --------------------------------------------------------------------------


def test_map_simple() -> None:
    norm, m = normalize_with_map("  أَحمد\u00a0 علي")
    assert norm == "احمد علي"
    assert m == [2, 4, 5, 6, 7, 9, 10, 11]


def test_map_expansion() -> None:
    norm, m = normalize_with_map("ßx")
    assert norm == "ssx"
    assert m == [0, 0, 1]


def test_span_to_original_extends_over_trailing_marks() -> None:
    text = "الخارجيةُ\u200f اليوم"
    norm, m = normalize_with_map(text)
    end = norm.index(" ")
    assert span_to_original(text, m, 0, end) == (0, len("الخارجيةُ\u200f"))


def test_span_to_original_empty_and_invalid() -> None:
    text = "ab"
    _, m = normalize_with_map(text)
    assert span_to_original(text, m, 1, 1) == (1, 1)
    assert span_to_original(text, m, 2, 2) == (2, 2)
    with pytest.raises(ValueError):
        span_to_original(text, m, 1, 3)


# --------------------------------------------------------------------------
# find_all
# --------------------------------------------------------------------------


def test_find_all_diacritics_inside_original() -> None:
    text = "اجتماع وزيرَي الخارجية اليوم"
    spans = find_all(text, "وزيري الخارجية")
    assert len(spans) == 1
    s, e = spans[0]
    assert text[s:e] == "وزيرَي الخارجية"


def test_find_all_includes_trailing_diacritic() -> None:
    text = "قال الشيبانيُّ: نعم"
    [(s, e)] = find_all(text, "الشيباني")
    assert text[s:e] == "الشيبانيُّ"


def test_find_all_quotes_digits_whitespace() -> None:
    text = "قال لافروف «إن التعاون\u00a0مستمر» في ٢٠٢٥."
    [(s, e)] = find_all(text, '"ان التعاون مستمر"')
    assert text[s:e] == "«إن التعاون\u00a0مستمر»"
    [(s, e)] = find_all(text, "2025")
    assert text[s:e] == "٢٠٢٥"


def test_find_all_multiple_and_overlapping() -> None:
    assert find_all("aaa", "aa") == [(0, 2), (1, 3)]
    assert find_all("روسيا وروسيا", "روسيا") == [(0, 5), (7, 12)]


def test_find_all_blank_needle_and_no_match() -> None:
    assert find_all("دمشق", "") == []
    assert find_all("دمشق", " \u200b\u064e ") == []
    assert find_all("دمشق", "موسكو") == []


def test_find_all_inside_expansion_is_widened() -> None:
    assert find_all("Straße", "s") == [(0, 1), (4, 5)]


# --------------------------------------------------------------------------
# controls
# --------------------------------------------------------------------------


def test_constants() -> None:
    assert BIDI_CONTROLS == frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
    assert ZERO_WIDTH == frozenset("\u200b\u200c\u200d\u2060\ufeff")


def test_has_bidi_controls() -> None:
    for c in BIDI_CONTROLS:
        assert has_bidi_controls("a" + c + "b")
    assert not has_bidi_controls("بوتين Putin")
    assert not has_bidi_controls("\u200e\u200f\u061c")  # marks are not controls


def test_has_invisible() -> None:
    for c in [*ZERO_WIDTH, "\u00ad"]:
        assert has_invisible("a" + c + "b")
    assert not has_invisible("بوتين\u200f Putin\u202e")


def test_strip_controls() -> None:
    removed = "".join(sorted(BIDI_CONTROLS)) + "\u200b\u2060\ufeff"
    kept = "\u200c\u200d\u200e\u200f\u061c\u00ad"
    assert strip_controls("a" + removed + "b") == "ab"
    for c in removed:  # each one alone is found (the function first looks for any of them)
        assert strip_controls("نص" + c + "x") == "نصx", hex(ord(c))
    assert strip_controls("a" + kept + "b") == "a" + kept + "b"
    assert not has_bidi_controls(strip_controls("\u202eevil\u202c \u2067x\u2069"))


# --------------------------------------------------------------------------
# property tests
# --------------------------------------------------------------------------

PRESERVED = "بتثجحخدذرزسشصضطظعغفقكلمنهويء"
TASHKEEL = [chr(c) for c in [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670,
                             *range(0x06D6, 0x06DD), *range(0x06DF, 0x06E9), *range(0x06EA, 0x06EE)]]
FORBIDDEN = set(TASHKEEL) | BIDI_CONTROLS | set(
    "\u0640\u0623\u0625\u0622\u0671\u0672\u0673\u0649"
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹“”„‟«»‹›″‘’‚‛'`´＂\u200b\u200f\ufeff\u00ad"
)

_interesting = st.sampled_from(
    list(PRESERVED) + TASHKEEL + sorted(BIDI_CONTROLS) + sorted(ZERO_WIDTH)
    + list("اأإآٱىةؤئیک\u0640٠٩۰۹«»“”\"'، ؛؟٪۔–—\u00a0\n\t\u202f\u00adaBßİ\u00a8\u00b4\u2033")
    + ["\ufefb", "\ufdf2", "\ufe70", "\ufe8d", "\ufe94", "\uff22"]
)
texts = st.one_of(
    st.text(_interesting, max_size=40),
    st.text(max_size=40),
    st.lists(st.one_of(_interesting, st.characters()), max_size=40).map("".join),
)


@given(texts)
@settings(max_examples=400)
def test_prop_idempotent(text: str) -> None:
    n = normalize(text)
    assert normalize(n) == n


@given(texts)
@settings(max_examples=400)
def test_prop_forbidden_chars_absent(text: str) -> None:
    n = normalize(text)
    assert not FORBIDDEN & set(n)
    assert n == n.strip() and "  " not in n


@given(st.text(st.sampled_from(list(PRESERVED) + [" ", "\n", "\u00a0"]), max_size=40))
def test_prop_unfolded_letters_preserved(text: str) -> None:
    assert normalize(text) == " ".join(text.split())


@given(texts)
@settings(max_examples=400)
def test_prop_map_consistent(text: str) -> None:
    norm, m = normalize_with_map(text)
    assert norm == normalize(text)
    assert len(m) == len(norm)
    assert all(0 <= i < len(text) for i in m)
    assert all(a <= b for a, b in zip(m, m[1:]))


def _reference_with_map(text: str) -> tuple[str, list[int]]:
    """The definition, one character at a time: fold it, collapse whitespace runs (mapped to
    their first character), drop leading and trailing whitespace."""
    out: list[str] = []
    index_map: list[int] = []
    pending = -1
    for i, ch in enumerate(text):
        for c in _fold_char(ch):
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
    return "".join(out), index_map


_spacey = st.sampled_from([" ", "  ", "\n", "\u00a0", " \u064b ", "\u064b", "\u0640", "\ufdf2", "\u00a8", " \u200b"])


@given(st.one_of(texts, st.lists(st.one_of(_interesting, _spacey, st.characters()), max_size=60).map("".join)))
@settings(max_examples=600)
def test_prop_fast_paths_match_the_definition(text: str) -> None:
    """normalize() folds with str.translate and normalize_with_map() maps whole stretches at a
    time; both must give exactly what the character-by-character definition gives."""
    expected = _reference_with_map(text)
    assert normalize_with_map(text) == expected
    assert normalize(text) == expected[0]


def test_fast_paths_on_a_paragraph_with_tanween_and_double_spaces() -> None:
    text = "  قال أيضاً  إنّ الاتفاق «مهمّ» ً  جداً "
    assert normalize_with_map(text) == _reference_with_map(text)
    assert normalize(text) == "قال ايضا ان الاتفاق \"مهم\" جدا"


@given(texts, st.data())
@settings(max_examples=400)
def test_prop_find_all_substring(text: str, data: st.DataObject) -> None:
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    needle = text[a:b]
    key = normalize(needle)
    assume(key)
    spans = find_all(text, needle)
    assert spans
    assert any(normalize(text[s:e]) == key for s, e in spans)
    for s, e in spans:
        assert 0 <= s < e <= len(text)
        assert key in normalize(text[s:e])


@given(texts)
def test_prop_strip_controls(text: str) -> None:
    out = strip_controls(text)
    assert not has_bidi_controls(out)
    assert not UNSAFE_CONTROLS & set(out)
    # beyond what normalize() drops anyway, only the unsafe controls go (a carriage return is a line break)
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    assert normalize(out) == normalize("".join(ch for ch in lines if ch not in UNSAFE_CONTROLS))


def test_every_code_point_idempotent() -> None:
    """Exhaustive: normalizing any single code point is a fixed point."""
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        n = normalize(chr(cp))
        assert normalize(n) == n, hex(cp)
