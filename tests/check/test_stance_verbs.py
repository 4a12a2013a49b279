"""Stance labels licensed by the source's verbs, and attribution chains (issue 19):
`stance-verb-mismatch` and `attribution-missing` warnings of `factsheets check`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.core.model import Heading
from generator.core.stances import licensed, readout_paragraphs
from tests.check.bad_cases import FIXTURES, REPO
from tests.check.conftest import run_check

SEED_PARAGRAPHS = {
    # the examples: what the article's words license (besides 'describes')
    "سبل تطوير هذا التنسيق ستكون موضع نقاش": {"discussed"},
    "وأضافت الوزارة أن الوزيرين بحثا كذلك أهمية دعم الجهود": {"discussed"},
    "حيث جرى بحث سبل تعزيز التعاون العسكري": {"discussed"},
    "وتناولت المحادثات سبل تطوير الشراكة العسكرية": {"discussed"},
    "وأكدت موسكو ودمشق، الأربعاء، أهمية تعزيز التعاون": {"affirms"},
    "مع التشديد على ضرورة احترام سيادة سوريا": {"affirms"},
    "إن روسيا ملتزمة بسيادة سوريا": {"commits-to"},
    "واتفقا على تعزيز التعاون الثنائي": {"agrees"},
    "شددا على \"رفض الانتهاكات الإسرائيلية": {"affirms", "rejects"},
    "بلاده تسعى إلى الارتقاء بالعلاقات": {"seeks"},
    "دعا الوزير إلى وقف التصعيد": {"calls-for"},
    "أدانت الخارجية الهجوم": {"condemns"},
}


@pytest.mark.parametrize("text", sorted(SEED_PARAGRAPHS))
def test_verbs_license_their_stances(text):
    assert licensed(text) == SEED_PARAGRAPHS[text] | {"describes"}


def test_commits_to_needs_a_verb_of_commitment():
    # «أكد» affirms; it never licenses a commitment, nor «ستكون موضع نقاش»
    assert "commits-to" not in licensed("ومؤكداً أن سبل تطوير هذا التنسيق ستكون موضع نقاش")
    assert "calls-for" not in licensed("وأكدا ضرورة احترام القانون الدولي")


def test_stem_lookup_agrees_with_a_scan_of_every_stem():
    """``licensed`` looks words up by their first letters; a plain scan of every stem of every
    stance (the definition) must give the same answer for every word of the seed article, every
    stem itself, with each prefix, and the memo must not change an answer."""
    from generator.core.arabic import normalize
    from generator.core.loader import load_content
    from generator.core.stances import _WORD, ALWAYS, STEMS, _bare

    def scan(text: str) -> set[str]:
        found = set(ALWAYS)
        for word in _WORD.findall(normalize(text)):
            found |= {stance for stance, stems in STEMS.items()
                      if any(f.startswith(s) for f in _bare(word) for s in stems)}
        return found

    loaded = load_content(REPO / "content")
    words = {w for src in loaded.entities["source"] for block in src.text for w in str(block).split()}
    stems = {s for stems in STEMS.values() for s in stems}
    words |= stems | {p + s for s in stems for p in ("و", "وال", "بال", "ل")} | {s[:-1] for s in stems}
    memo: dict = {}
    assert len(words) > 200
    for word in sorted(words):
        assert licensed(word) == scan(word) == licensed(word, memo), word
    paragraph = " ".join(sorted(words))
    assert licensed(paragraph, memo) == scan(paragraph)


def test_readout_chain_of_the_seed_article():
    from generator.core.loader import load_content

    loaded = load_content(REPO / "content")
    src = next(s for s in loaded.entities["source"])
    chain = readout_paragraphs(list(src.text))
    assert isinstance(src.text[11], Heading)
    # [9] «وذكرت وزارة الخارجية … في بيان», [10] «وأضافت الوزارة», [11] «كما أكد اللقاء»;
    # [13] «بحسب وكالة الأنباء», [14] «بحسب الوكالة», [15] «وعلى الصعيد», [16] «كما شددا»
    assert chain == {9, 10, 11, 13, 14, 15, 16}


@pytest.mark.parametrize("name, code, line", [("stance_verb_mismatch", "stance-verb-mismatch", 35),
                                              ("attribution_missing", "attribution-missing", 38)])
def test_fixture_warns(name, code, line):
    lax = run_check(FIXTURES / name)
    strict = run_check(FIXTURES / name, "--strict")
    assert lax.exit == 0 and strict.exit == 1
    assert [(d["code"], d["line"], d["severity"]) for d in lax.diagnostics] == [(code, line, "warning")]
    text = run_check(FIXTURES / name, fmt="")
    first = text.stdout.splitlines()[0]
    assert first.startswith(f"tests/fixtures/bad/{name}/article.yaml:{line}:") and f"warning[{code}]" in first
    assert "docs/annotating.md" in text.stdout  # the hint names where the vocabulary is


def test_the_fix_the_hint_names_silences_it(tmp_path: Path):
    for name, old, new in [("stance_verb_mismatch", "stance: seeks", "stance: discussed"),
                           ("attribution_missing", "    mode: joint-statement",
                            "    mode: reported\n    reported_by: asharq")]:
        copy = tmp_path / name
        shutil.copytree(FIXTURES / name, copy)
        article = copy / "article.yaml"
        article.write_text(article.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        res = run_check(copy, "--strict")
        assert (res.exit, res.diagnostics) == (0, []), name


def test_example_content_is_clean():
    res = run_check(REPO / "content", "--strict")
    assert (res.exit, res.diagnostics) == (0, [])
