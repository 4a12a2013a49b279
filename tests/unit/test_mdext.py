"""generator.publish.mdext: inline patterns a document cannot use are left out for it, and the HTML is
the same as Python-Markdown's without the extension."""

from __future__ import annotations

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.publish.mdext import NEEDS, REFERENCE_PATTERNS
from tests.conftest import REPO

GOLDEN = REPO / "tests" / "golden" / "expected"


def _site_extensions() -> tuple[list[str], dict[str, dict]]:
    """markdown_extensions as mkdocs.yml lists them (names, and their options)."""
    listed = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"]
    names, configs = [], {}
    for item in listed:
        if isinstance(item, dict):
            (name, options), = item.items()
            names.append(name)
            configs[name] = options or {}
        else:
            names.append(item)
    return names, configs


EXTENSIONS, CONFIGS = _site_extensions()
STOCK = [name for name in EXTENSIONS if name != "generator.publish.mdext"]


def convert(text: str, extensions: list[str]) -> str:
    return markdown.Markdown(extensions=extensions, extension_configs=CONFIGS).convert(text)


# the core inline patterns of this version of Python-Markdown that the tests name
STOCK_PATTERNS = {name for name in [*NEEDS, *REFERENCE_PATTERNS, "link", "html", "entity"]
                  if name in markdown.Markdown().inlinePatterns}


def used_patterns(md: markdown.Markdown) -> set[str]:
    """Names of the inline patterns the last conversion tried."""
    used = {id(p) for p in md.treeprocessors["inline"].inlinePatterns}
    return {name for name in STOCK_PATTERNS if id(md.inlinePatterns[name]) in used}


def test_the_site_configuration_uses_it() -> None:
    assert "generator.publish.mdext" in EXTENSIONS


@pytest.mark.parametrize("rel", sorted(str(p.relative_to(GOLDEN)) for p in GOLDEN.rglob("*.md")))
def test_every_generated_page_converts_to_the_same_html(rel: str) -> None:
    text = (GOLDEN / rel).read_text(encoding="utf-8")
    assert convert(text, EXTENSIONS) == convert(text, STOCK)


REFERENCES = """See [the ministry][moi], [Moi] and [moi][] in one line; ![the flag][flag] and ![flag].

[moi]: https://example.org/ministry "Ministry"
[flag]: flag.png
"""


def test_reference_links_still_work_where_they_are_defined() -> None:
    html = convert(REFERENCES, EXTENSIONS)
    assert html == convert(REFERENCES, STOCK)
    assert html.count('href="https://example.org/ministry"') == 3
    assert html.count('src="flag.png"') == 2


def test_the_patterns_are_chosen_per_document_on_a_reused_instance() -> None:
    """One Markdown instance converting a document that needs few patterns, then one that needs
    them all, then the first again: each converts as with stock Python-Markdown."""
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    plain = "A [bracket] and [a link](x.md), [moi] undefined here.\n"
    rich = REFERENCES + "`code` \\* ![i](i.png) <http://e.org> <a@b.org> line  \nbreak *em* _em_\n"
    for text, expected in ((plain, {"link", "html", "entity"}), (rich, STOCK_PATTERNS), (plain, {"link", "html", "entity"})):
        md.reset()
        assert md.convert(text) == convert(text, STOCK)
        assert used_patterns(md) == expected


@pytest.mark.parametrize("trigger,pattern", [
    ("`a`", "backtick"), ("\\*", "escape"), ("![a](b)", "image_link"), ("<http://e.org>", "autolink"),
    ("<a@b.org>", "automail"), ("a  \nb", "linebreak"), ("a\t\nb", "linebreak"), ("*a*", "em_strong"),
    ("_a_", "em_strong2" if "em_strong2" in STOCK_PATTERNS else "em_strong"),
    ("a * b", "not_strong" if "not_strong" in STOCK_PATTERNS else "em_strong")])
def test_a_pattern_is_kept_where_its_trigger_occurs(trigger: str, pattern: str) -> None:
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    text = f"<div markdown>\n\n> - {trigger}\n\n</div>\n"  # inside a block, a quote and a list
    assert md.convert(text) == convert(text, STOCK)
    assert pattern in used_patterns(md)


TOKENS = [*"ab []()!*_`<>&#\\:/@.\n|-{}\t", "[x]", "[x][y]", "[x][]", "](u)", "![", "  \n", "<http://e.org>",
          "<a@b.c>", "\n\n", "\n    ", "\n> ", "\n- ", "\n| a | b |\n| --- | --- |\n| ", "\n<div markdown>\n\n",
          "\n\n</div>\n", "<bdi>", "</bdi>", "&#42;", "{ #id }", "\n# "]


@settings(max_examples=500, deadline=None)
@given(body=st.lists(st.sampled_from(TOKENS), max_size=40).map("".join), defined=st.booleans())
def test_same_html_as_without_the_extension(body: str, defined: bool) -> None:
    text = body + ("\n\n[x]: http://example.org/x\n[y]: y.md\n" if defined else "")
    assert convert(text, EXTENSIONS) == convert(text, STOCK)


def test_the_patterns_it_knows_are_python_markdowns() -> None:
    assert {*REFERENCE_PATTERNS, "backtick", "escape", "image_link", "autolink", "automail", "linebreak",
            "em_strong"} <= STOCK_PATTERNS
