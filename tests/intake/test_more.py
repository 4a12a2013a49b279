"""Smaller cases: an English article, candidates, headline-only people, an unknown outlet."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from generator.errors import UsageError
from generator.intake.pipeline import new_article
from tests.intake.conftest import run

ENGLISH = """Lavrov and al-Shaibani meet in Moscow
MOSCOW (Reuters) -
Russian Foreign Minister Sergei Lavrov said on Wednesday that talks with Syria were "good and constructive".
Share this article
"We look forward to frank discussions," al-Shaibani said.
"""

CANDIDATE = """بوتين يتلقى اتصالاً من روبيو
شارك
وقال وزير الخارجية الأميركي ماركو روبيو إن بلاده "تدعم الحل السياسي" في سوريا، مشيراً إلى أن الاتصال جرى أمس.
وأضاف لافروف أن "الحل السياسي" هو الطريق الوحيد.
"""


def _draft(tmp_path, registries, text, **kw):
    article = tmp_path / "article.txt"
    article.write_text(text, encoding="utf-8")
    result = new_article(article, content_dir=registries, published=date(2025, 12, 24), **kw)
    return result, yaml.safe_load(result.path.read_text(encoding="utf-8"))


def test_english_article(tmp_path, registries):
    result, data = _draft(tmp_path, registries, ENGLISH, outlet="asharq")
    src = data["source"]
    assert src["language"] == "en" and src["dateline"]["text"] == "MOSCOW (Reuters) -"
    assert src["furniture"] == ["Share this article"]
    assert all(isinstance(t, str) for t in src["text"])
    assert {"sergey-lavrov", "asaad-al-shaibani"} <= set(result.people)
    assert sorted(s["words"]["en"] for s in data["statements"]) == ["We look forward to frank discussions,",
                                                                     "good and constructive"]
    assert run("check", str(registries)).returncode == 0


def test_candidates_headline_people_and_repeated_quotes(tmp_path, registries):
    result, data = _draft(tmp_path, registries, CANDIDATE, outlet="sana")
    assert [c.name for c in result.candidates] == ["ماركو روبيو"]
    assert any("ماركو روبيو" in note for note in data["source"]["review"])
    participants = [p["person"] for p in data["meetings"][0]["participants"]]
    assert "vladimir-putin" in participants                       # named only in the headline
    second = data["statements"][1]
    assert second["provenance"]["exact"] == "الحل السياسي" and second["provenance"]["prefix"] == 'أن "'
    # the first quote's speaker (Rubio) is not registered: `speaker: unknown`, never a guessed side,
    # and `check` refuses it until a human sets it (issue 20)
    assert data["statements"][0]["speaker"] == "unknown"
    checked = run("check", str(registries))
    assert checked.returncode == 1 and "error[placeholder]" in checked.stderr + checked.stdout
    assert "statements.0.speaker: unknown" in checked.stderr + checked.stdout


def test_unknown_outlet_needs_the_option(tmp_path, registries):
    with pytest.raises(UsageError, match="--outlet"):
        _draft(tmp_path, registries, "عنوان\nالقاهرة - وكالة مجهولة\nفقرة أولى.\n")


def test_control_characters_and_line_separators(tmp_path, registries):
    text = ("عنوان\u200f الخبر\n\nدبي -الشرق\n\nقال لافروف\u200b إن \"الوضع\x07 جيد\u202e جدا\" في\x0c سوريا.\n\n"
            "فقرة\x85 ثانية\u2028 هنا.\n")
    result, data = _draft(tmp_path, registries, text)
    raw = result.path.read_text(encoding="utf-8")
    assert "\u202e" not in raw and "\x07" not in raw and "\u2028" not in raw
    assert len(data["statements"]) == 1
    checked = run("check", str(registries))
    assert checked.returncode == 0 and "0 error(s)" in checked.stdout
