"""Quoted spans of every style, unique provenance, speaker guesses."""

from __future__ import annotations

from datetime import date

from generator.intake.quotes import anchor, find_quotes
from generator.core.model import Source
from generator.core.provenance import SourceIndex


def test_all_quote_styles():
    blocks = [('قال: “أولاً” و"ثانياً" و«ثالثاً» و‘رابعاً’ و"خامساً".', False), ("عنوان \"لا\"", True)]
    assert [q.text for q in find_quotes(blocks)] == ["أولاً", "ثانياً", "ثالثاً", "رابعاً", "خامساً"]


def test_unpaired_and_empty_quotes_are_skipped():
    assert find_quotes([('قال "  " ثم "نص بلا إغلاق.', False)]) == []


def test_repeated_quote_gets_a_prefix():
    paras = ['وصف الوزير المحادثات بأنها "جيدة".', 'وقال الرئيس إن النتائج كانت "جيدة" أيضاً.']
    src = Source.model_validate({"id": "s", "outlet": "o", "published": date(2025, 1, 1), "language": "ar",
                                 "headline": "h", "text": paras})
    index = SourceIndex(src)
    quotes = find_quotes([(p, False) for p in paras])
    anchors = [anchor(q, paras[q.block], index) for q in quotes]
    assert all(a.unique and a.exact == "جيدة" for a in anchors)
    assert anchors[0].prefix == 'بأنها "' and anchors[1].prefix == 'كانت "'
    for a, q in zip(anchors, quotes):
        spans = index.find(a.exact, a.prefix, a.suffix)
        assert len(spans) == 1 and spans[0].paragraph == q.block + 1
