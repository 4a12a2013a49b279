"""The Arabic `factsheets brief --format text` keeps its reading order when pasted into a
left-to-right composer: rendered by Debian's Chromium (playwright) as one text inside a
``dir="ltr"`` element, each line's first word stands to the right of its last word.

The same text with its bidi isolates removed is rendered too, to show the check can fail:
there a line ending in a URL runs left to right, the URL at its right end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from generator.outputs.brief import LRI, PDI, RLI, FSI, brief
from generator.core.corpus import Corpus

URL = "https://example.org/facts/"
CONTROLS = LRI + RLI + FSI + PDI
WORD = re.compile(rf"[^\s{CONTROLS}]*\w[^\s{CONTROLS}]*")

# The page measures each word with a Range over the single text node (no markup per line).
MEASURE = """
([text, spans]) => {
  const box = document.getElementById('paste');
  box.textContent = text;
  const node = box.firstChild;
  return spans.map(([start, end]) => {
    const r = document.createRange();
    r.setStart(node, start);
    r.setEnd(node, end);
    const rect = r.getBoundingClientRect();
    return [rect.left + rect.width / 2, rect.top + rect.height / 2];
  });
}
"""


@pytest.fixture(scope="module")
def chromium_page(browser) -> Iterator[object]:
    """A page of the session's one Chromium (tests/conftest.py) holding the paste target."""
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.set_content('<!DOCTYPE html><html lang="en" dir="ltr"><body>'
                     '<div id="paste" dir="ltr" style="white-space: pre; font: 16px sans-serif; '
                     'width: max-content"></div></body></html>')
    yield page
    page.close()


def first_and_last_words(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """Per line: the character spans of its first and last words (bullets and marks left out)."""
    spans: list[tuple[int, int]] = []
    lines: list[str] = []
    pos = 0
    for line in text.split("\n"):
        words = [m for m in WORD.finditer(line)]
        if len(words) >= 2:
            spans += [(pos + words[0].start(), pos + words[0].end()), (pos + words[-1].start(), pos + words[-1].end())]
            lines.append(line)
        pos += len(line) + 1
    return spans, lines


def measure(page, text: str) -> list[tuple[str, tuple[float, float], tuple[float, float]]]:
    spans, lines = first_and_last_words(text)
    points = page.evaluate(MEASURE, [text, spans])
    return [(line, points[2 * i], points[2 * i + 1]) for i, line in enumerate(lines)]


def test_arabic_text_keeps_its_order_in_a_left_to_right_composer(corpus: Corpus, chromium_page) -> None:
    ids = [*sorted(corpus.meetings), "shaibani-looks-forward-to-frank-discussions", "sergey-lavrov"]
    text = brief(corpus, ids, lang="ar", fmt="text", site_url=URL).rstrip("\n")
    rows = measure(chromium_page, text)
    assert len(rows) >= 10 and sum("https://" in line for line, _, _ in rows) >= 5
    for line, first, last in rows:
        assert abs(first[1] - last[1]) < 1, line            # one visual line each
        assert first[0] > last[0], line                     # right to left: the first word on the right


def test_without_isolates_the_same_text_is_scrambled(corpus: Corpus, chromium_page) -> None:
    text = brief(corpus, sorted(corpus.meetings), lang="ar", fmt="text", site_url=URL).rstrip("\n")
    bare = re.sub(f"[{CONTROLS}]", "", text)
    rows = measure(chromium_page, bare)
    wrong = [line for line, first, last in rows if first[0] < last[0]]
    assert wrong and all("https://" in line for line in wrong)


def test_english_text_reads_left_to_right(corpus: Corpus, chromium_page) -> None:
    text = brief(corpus, sorted(corpus.meetings), lang="en", fmt="text", site_url=URL).rstrip("\n")
    rows = measure(chromium_page, text)
    assert rows and all(first[0] < last[0] for _, first, last in rows)
