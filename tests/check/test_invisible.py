"""``has_invisible`` (generator/core/model.py) answers as the look-up per character it short-cuts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.model import _invisible, has_invisible

# every category the check looks for, the characters it names one by one, and ordinary text
SPECIAL = "\u202a\u202e\u2066\u2069\u200b\u200c\u200d\u2060\ufeff\u061c\u00ad\u00a0\u2028\u2029\t\n\x00\x7f\ue000\U000e0001\u0378"
TEXT = st.text(alphabet=st.one_of(st.sampled_from(SPECIAL), st.characters()), max_size=30)


@settings(max_examples=2000, deadline=None)
@given(TEXT, st.sampled_from(["", "\u200c\u200d"]))
def test_the_short_cut_answers_as_each_character_would(value, allowed):
    assert has_invisible(value, allowed) == any(_invisible(ch) and ch not in allowed for ch in value)


def test_it_finds_what_it_must():
    assert has_invisible("russia\u202e") and has_invisible("a\u200bb") and has_invisible("x\n")
    assert not has_invisible("russia-2026") and not has_invisible("سيرغي لافروف") and not has_invisible("a\u00a0b")
    assert not has_invisible("ب\u200cت", allowed="\u200c\u200d") and has_invisible("ب\u200cت")
