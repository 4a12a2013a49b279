"""The bad-input table: one fixture directory per case, and the exact outcome it must produce.

Each fixture is ``tests/fixtures/bad/<case>/`` (see its README). A few cases are completed at
test time in a temporary copy (symlinks, a 50 MB file, a 10,000-paragraph article): see SETUPS.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "bad"


@dataclass(frozen=True)
class Case:
    """The expected outcome of ``factsheets check <fixture> --format json``.

    ``code`` None means the fixture must check clean (no diagnostic at all). Otherwise the
    report holds exactly ``count`` diagnostics, all with ``code``, and the first one (in the
    report's order) stands at ``file:line[:col]``. ``hint``/``message`` are substrings
    expected in the first diagnostic; ``{dir}`` in them is the fixture's display path.
    ``bug`` marks a known validator bug: the case is ``xfail(strict=True)`` with that reason.
    """

    code: str | None
    file: str | None = None
    line: int | None = None
    col: int | None = None
    exit: int = 1
    count: int = 1
    hint: str | None = None
    message: str | None = None
    bug: str | None = None


def clean() -> Case:
    return Case(None, exit=0)


def warning(code: str, file: str, line: int, col: int | None = None, **kw) -> Case:
    return Case(code, file, line, col, exit=0, **kw)


A, E = "article.yaml", "entities.yaml"

CASES: dict[str, Case] = {
    # --- files ------------------------------------------------------------------------------
    "tab_indentation": Case("yaml-syntax", "people.yaml", 3, 1, hint="spaces, not tabs"),
    "bad_indentation": Case("yaml-syntax", "people.yaml", 4, 4),
    "unclosed_quote": Case("yaml-syntax", "topics.yaml", 4, 11, hint="closing quote",
                           message="quoted string is not closed"),
    "duplicate_key": Case("yaml-duplicate-key", "people.yaml", 4, 5, hint="first 'name' is at line 3"),
    "non_utf8": Case("encoding", "people.yaml", 4, 29, message="0xe9"),
    "non_utf8_after_arabic": Case(
        "encoding", "people.yaml", 3, 35, message="0xe9"),
    "non_utf8_after_bom": Case(
        "encoding", "people.yaml", 4, 1, message="0xe9"),
    "control_character": Case(
        "yaml-syntax", "people.yaml", 3, 21, message="control character"),
    "utf8_bom": clean(),
    "crlf_line_endings": clean(),
    "empty_file": warning("empty-file", "empty.yaml", 1, 1),
    "comments_only": warning("empty-file", "notes.yaml", 1, 1),
    "directory_named_yaml": Case("not-a-file", "x.yaml", 1, 1, message="found a directory"),
    "symlink_outside": Case("symlink-outside", "linked.yaml", 1, 1),
    "symlink_dir_outside": Case("symlink-outside", "more", 1, 1),
    "broken_symlink": Case("not-a-file", "ghost.yaml", 1, 1, message="broken link"),
    "symlink_loop": Case(
        "not-a-file", "a.yaml", 1, 1, count=2),
    "multiple_documents": Case("yaml-syntax", "people.yaml", 5, 1, message="several"),
    "yaml_alias": Case("yaml-alias", E, 6, 11),  # where the alias *lavrov stands
    "yaml_alias_in_list": Case(
        "yaml-alias", "people.yaml", 6, 20),
    "yaml_merge_key": Case("yaml-alias", "organizations.yaml", 6, 5, message="merge keys"),
    "alias_bomb": Case(
        "yaml-alias", "people.yaml", 3, 8, count=72),
    "deep_nesting": Case(
        "yaml-syntax", "people.yaml", 1),
    "top_level_list": Case("type", "people.yaml", 1, 1, hint="people:"),
    "file_too_large": Case("file-too-large", "big.yaml", 1, 1, message="50.0 MB"),
    # --- shape ------------------------------------------------------------------------------
    "list_for_mapping": Case("type", E, 15, 11, message="expected a mapping, found a list"),
    "text_for_list": Case("type", A, 21, 14, message="expected a list, found text"),
    "number_for_text": Case("type", A, 7, 13, message="expected text, found a whole number"),
    "null_record": Case("type", E, 14, 4, message="found nothing"),
    "paragraph_not_text": Case(
        "type", A, 10, 7, message="expected text, found a whole number"),
    "heading_unknown_field": Case(
        "unknown-field", A, 10, 27, message="'level'"),
    "missing_required_field": Case("missing-field", A, 14, 5, message="'kind'", hint="add 'kind:'"),
    "source_without_paragraphs": Case("missing-field", A, 8, 9, message="at least one"),
    "unknown_field_did_you_mean": Case("unknown-field", A, 22, 5, hint="did you mean 'participants'?"),
    "enum_misspelled": Case("enum", A, 20, 11, hint="did you mean 'talks'?"),
    "unknown_top_level_key": Case("unknown-field", E, 21, 1, hint="did you mean 'organizations'?"),
    "speaker_person_and_organization": Case("missing-field", A, 32, 7, message="exactly one of"),
    "reported_without_reported_by": Case("missing-field", A, 29, 5, message="reported_by"),
    "direct_quote_without_words": Case("missing-field", A, 29, 5, message="needs words"),
    "wikidata_bad_form": Case("type", E, 16, 15, hint="Q12345"),
    # --- ids --------------------------------------------------------------------------------
    "id_duplicate_across_files": Case("id-duplicate", E, 18, 9, hint="first defined at {dir}/article.yaml:42"),
    "id_duplicate_across_kinds": Case("id-duplicate", A, 29, 9, hint="first defined at {dir}/entities.yaml:18",
                                      message="already used by a topic"),
    "id_dotdot": Case("id-format", E, 20, 9, message="'../x'"),
    "id_slash": Case("id-format", E, 20, 9, message="'a/b'"),
    "id_uppercase": Case("id-format", E, 20, 9, message="try 'syria-talks'"),
    "id_spaces": Case("id-format", E, 20, 9, message="try 'syria-talks'"),
    "id_too_long": Case("id-format", E, 20, 9),
    "id_zero_width": Case("unicode-control", E, 20, 9, message="\\u200b"),
    "id_bidi_control": Case("unicode-control", E, 20, 9, message="\\u202e"),
    **{f"id_reserved_{rid}": Case("id-reserved", E, 20, 9, message=f"'{rid}'")
       for rid in ("index", "en", "assets", "search", "404")},
    # Windows device names (issue 24): a folder meetings/con/ cannot be checked out on Windows
    **{f"id_reserved_{rid}": Case("id-reserved", E, 20, 9, message="reserved by Windows", hint="add a word")
       for rid in ("con", "nul", "com1", "lpt9")},
    "id_control_escape": Case("unicode-control", E, 20, 9, message="\\x1b"),
    "id_trailing_newline": Case("unicode-control", E, 20, 9, message="'syria-talks\\n'"),
    "previous_id_reused": Case("id-reused", E, 15, 28, message="'russia'"),
    "previous_id_claimed_twice": Case("id-reused", E, 22, 20, message="also claimed by 'syrian-sovereignty'"),
    # --- references -------------------------------------------------------------------------
    "ref_unknown_person": Case("ref-unknown", A, 32, 15, hint="did you mean 'sergey-lavrov'?"),
    "ref_unknown_organization": Case("ref-unknown", A, 21, 23, hint="did you mean 'syria'?"),
    "ref_unknown_topic": Case("ref-unknown", A, 25, 14, hint="did you mean 'syrian-sovereignty'?"),
    "ref_unknown_meeting": Case("ref-unknown", A, 30, 14, hint="did you mean 'lavrov-talks-2025-12-24'?"),
    "ref_unknown_source": Case("ref-unknown", A, 38, 15, hint="did you mean 'asharq-2025-12-24'?"),
    "ref_wrong_kind": Case("ref-unknown", A, 32, 15, hint="is a topic, not a person"),
    "ref_previous_id": Case("ref-unknown", A, 32, 15, hint="use the current id 'sergey-lavrov'"),
    "ref_side": Case("ref-side", A, 24, 15, hint="parties are: russia, syria"),
    "org_cycle_self": Case("org-cycle", E, 5, 13, message="russia → russia"),
    "org_cycle_two": Case("org-cycle", E, 5, 13, message="russia → syria → russia"),
    "org_cycle_three": Case("org-cycle", E, 5, 13, message="russia → syria → asharq → russia"),
    # --- dates ------------------------------------------------------------------------------
    "date_invalid_feb30": Case("date-invalid", A, 17, 14, message="2025-02-30"),
    "date_non_iso": Case("date-invalid", A, 17, 14, message="24/12/2025"),
    "date_range_reversed": Case("date-range", A, 18, 12),
    "date_after_source": Case("date-after-source", A, 17, 14),
    # likely typos: a warning (the Hijri date of such a date is left out, not a crash)
    "date_before_1900": warning("date-implausible", A, 17, 14, message="before 1900"),
    "date_year_typo_2205": warning("date-implausible", A, 5, 14, message="2205-12-24 is after next year"),
    "role_range_reversed": Case("date-range", E, 19, 14),
    "retrieved_before_published": Case("date-range", A, 6, 14),
    # --- quotes -----------------------------------------------------------------------------
    "quote_not_found": Case("quote-not-found", A, 39, 14, hint="paragraph 2"),
    "quote_ambiguous": Case("quote-ambiguous", A, 39, 14, message="paragraphs 2, 3", hint="prefix"),
    "quote_empty": Case("quote-empty", A, 39, 14),
    "quote_blank": Case("quote-empty", A, 39, 14),
    "quote_only_diacritics": Case(
        "quote-empty", A, 39, 14),
    "quote_normalized_match": clean(),
    "quote_prefix_disambiguated": clean(),
    "quote_suffix_disambiguated": clean(),
    "quote_words_not_in_paragraph": Case("quote-not-found", A, 37, 17, message="paragraph 2", hint="paragraph 3"),
    # --- urls -------------------------------------------------------------------------------
    "url_javascript": Case("url-scheme", A, 5, 8, message="javascript:"),
    "url_data_archive": Case("url-scheme", A, 5, 16, message="data:"),
    "url_bidi_override": Case("unicode-control", A, 5, 8, message="\\u202e"),
    "url_whitespace": Case("url-scheme", A, 5, 8, message="whitespace"),
    # --- unicode ----------------------------------------------------------------------------
    "name_bidi_override": Case("unicode-control", E, 15, 16),
    "name_zero_width_space": Case("unicode-control", E, 15, 16),
    "free_text_bidi_stripped": clean(),
    "free_text_control_stripped": clean(),
    "name_control_escape": Case("unicode-control", E, 15, 34, message="\\x1b[2J"),
    # invisible characters in a reference: the JSON report keeps them (test_bad_input.py
    # checks the text report shows them as <U+200B>)
    "ref_zero_width_shown": Case("ref-unknown", A, 32, 15, message="'sergey\u200b-lavrov'",
                                 hint="did you mean 'sergey-lavrov'?"),
    "ref_ansi_escape_shown": Case("ref-unknown", A, 32, 15, message="'\x1b[8msergey-lavrov'",
                                  hint="did you mean 'sergey-lavrov'?"),
    # a statement id equal to one of the meeting page's own ids: its anchor is st-cite
    "statement_id_page_id": clean(),
    # --- warnings (exit 0; --strict makes them errors: test_warnings.py) ---------------------
    "speaker_not_participant": warning("speaker-not-participant", A, 29, 15),
    "missing_translation": warning("missing-translation", A, 35, 14, message="no English text"),
    "review_pending": warning("review-pending", A, 21, 14, message="confirm it"),
    "source_not_cited": warning("source-not-cited", A, 38, 15),
    "stance_verb_mismatch": warning("stance-verb-mismatch", A, 35, 13, message="'seeks' is not licensed"),
    "attribution_missing": warning("attribution-missing", A, 38, 11, message="paragraph 3 carries on"),
    # --- size -------------------------------------------------------------------------------
    "article_10000_paragraphs": clean(),
    "article_10001_paragraphs": Case("too-many-items", A, 9, 5),
}

#: Codes no case here can produce, each with the reason.
NOT_COVERED: dict[str, str] = {
    # `check` skips content/briefings/ (loader.SKIP_DIRS) and nothing in the validator emits
    # this code yet: it belongs to the briefing builder, which must test it there.
    "briefing-unknown-id": "emitted by the briefing builder, not by `factsheets check`",
    # briefings (content/briefings/*.md): one fixture each in tests/fixtures/hostile_briefings/
    "briefing-link": "briefings; tested in tests/render/test_briefing_hostile.py",
    "briefing-nesting": "briefings; tested in tests/render/test_briefing_hostile.py",
    "briefing-line-too-long": "briefings; tested in tests/render/test_briefing_hostile.py",
    "briefing-brackets": "briefings; tested in tests/render/test_briefing_hostile.py",
    # `factsheets new` reports these about the article it reads; tested in tests/intake/
    "article-line-too-long": "emitted by `factsheets new`, tested in tests/intake/test_hostile.py",
    "article-too-many-paragraphs": "emitted by `factsheets new`, tested in tests/intake/test_hostile.py",
    "article-nesting": "emitted by `factsheets new`, tested in tests/intake/test_hostile.py",
    "placeholder": "the placeholders `factsheets new` writes; tested in tests/intake/test_gate.py",
    # `factsheets build` reports these about mkdocs.yml's site_dir; an unreadable folder needs a
    # user that permissions apply to (the tests run as root): all in tests/site/test_build_safety.py
    "config-moved": "emitted by `factsheets build`, tested in tests/site/test_build_safety.py",
    "site-dir-unsafe": "emitted by `factsheets build`, tested in tests/site/test_build_safety.py",
    "site-dir-foreign": "emitted by `factsheets build`, tested in tests/site/test_build_safety.py",
    "unreadable": "needs an unprivileged user; tested in tests/site/test_build_safety.py",
    # about mkdocs.yml's builder choice, reported by `factsheets build`
    "builder-unknown": "emitted by `factsheets build`, tested in tests/site/test_builders.py",
    "builder-missing": "emitted by `factsheets build` when the builder is not installed; tests/site/test_builders.py",
}


# --- cases completed at test time ---------------------------------------------------------

def _copy(name: str, tmp: Path) -> Path:
    content = tmp / "content"
    shutil.copytree(FIXTURES / name, content, symlinks=True)
    return content


def _symlink_outside(tmp: Path) -> Path:
    content = _copy("symlink_outside", tmp)
    outside = tmp / "outside.yaml"
    outside.write_text("topics:\n  - id: t\n    name: {ar: موضوع, en: Topic}\n", encoding="utf-8")
    (content / "linked.yaml").symlink_to(outside)
    return content


def _symlink_dir_outside(tmp: Path) -> Path:
    content = _copy("symlink_dir_outside", tmp)
    outside = tmp / "elsewhere"
    outside.mkdir()
    (outside / "topics.yaml").write_text("topics:\n  - id: t\n    name: {ar: موضوع, en: Topic}\n", encoding="utf-8")
    (content / "more").symlink_to(outside, target_is_directory=True)
    return content


def _broken_symlink(tmp: Path) -> Path:
    content = _copy("broken_symlink", tmp)
    (content / "ghost.yaml").symlink_to("missing.yaml")  # relative, inside content/, dangling
    return content


def _symlink_loop(tmp: Path) -> Path:
    content = _copy("symlink_loop", tmp)
    (content / "a.yaml").symlink_to("b.yaml")
    (content / "b.yaml").symlink_to("a.yaml")
    return content


def _file_too_large(tmp: Path) -> Path:
    content = _copy("file_too_large", tmp)
    line = b"# " + b"x" * 1021 + b"\n"  # 1 KiB
    with open(content / "big.yaml", "wb") as f:
        for _ in range(50 * 1024):
            f.write(line)
    return content


def long_article(paragraphs: int) -> str:
    """An article of many short paragraphs, with one statement quoting the last one."""
    lines = [
        "source:",
        "  id: long-article",
        "  outlet: asharq",
        "  published: 2025-12-24",
        "  language: ar",
        '  headline: "مقال طويل"',
        "  text:",
        *(f'    - "الفقرة رقم {i} من المقال."' for i in range(1, paragraphs + 1)),
        "meetings:",
        "  - id: long-meeting",
        "    title: {ar: لقاء, en: A meeting}",
        "    date: {start: 2025-12-24, method: stated}",
        "    location: {ar: موسكو, en: Moscow}",
        "    kind: talks",
        "    parties: [russia, syria]",
        "    participants:",
        "      - {person: sergey-lavrov, side: russia}",
        "    sources: [long-article]",
        "statements:",
        "  - id: long-statement",
        "    meeting: long-meeting",
        "    speaker: {person: sergey-lavrov}",
        "    stance: describes",
        "    summary: {ar: الفقرة الأخيرة, en: The last paragraph}",
        "    mode: paraphrase",
        "    provenance:",
        "      source: long-article",
        f'      exact: "الفقرة رقم {paragraphs} من المقال"',
    ]
    return "# generated: one long article\n" + "\n".join(lines) + "\n"


def _article(name: str, paragraphs: int) -> Callable[[Path], Path]:
    def setup(tmp: Path) -> Path:
        content = _copy(name, tmp)
        (content / "article.yaml").write_text(long_article(paragraphs), encoding="utf-8")
        return content
    return setup


SETUPS: dict[str, Callable[[Path], Path]] = {
    "symlink_outside": _symlink_outside,
    "symlink_dir_outside": _symlink_dir_outside,
    "broken_symlink": _broken_symlink,
    "symlink_loop": _symlink_loop,
    "file_too_large": _file_too_large,
    "article_10000_paragraphs": _article("article_10000_paragraphs", 10_000),
    "article_10001_paragraphs": _article("article_10001_paragraphs", 10_001),
}


def content_dir(name: str, tmp: Path) -> Path:
    """The content directory of a case: the committed fixture, or its completed temporary copy."""
    setup = SETUPS.get(name)
    return setup(tmp) if setup else FIXTURES / name
