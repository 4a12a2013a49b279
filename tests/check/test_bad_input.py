"""`factsheets check` on bad input: one fixture per case, exact code, file, line and column.

The table of cases and their expected outcomes is in bad_cases.py; the fixtures are in
tests/fixtures/bad/<case>/. Known validator bugs are xfail(strict=True) with the reason.
"""

from __future__ import annotations

import pytest

from generator.errors import CODES
from tests.check.bad_cases import CASES, FIXTURES, NOT_COVERED, REPO, SETUPS, content_dir
from tests.check.conftest import display, run_check

WARNING_CODES = {"speaker-not-participant", "source-not-cited", "missing-translation", "review-pending",
                 "empty-file", "date-implausible", "stance-verb-mismatch", "attribution-missing"}


def _params():
    for name, case in CASES.items():
        marks = [pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else []
        yield pytest.param(name, id=name, marks=marks)


def test_every_case_has_a_fixture():
    on_disk = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert on_disk == set(CASES), "a fixture directory without a case, or a case without a fixture"
    for name in CASES:
        assert any((FIXTURES / name).rglob("*")), f"{name}: empty fixture directory"


@pytest.mark.parametrize("name", list(_params()))
def test_bad_input(name, tmp_path):
    case = CASES[name]
    content = content_dir(name, tmp_path)
    res = run_check(content)

    assert "unexpected failure" not in res.stderr, res.stderr
    assert res.diagnostics is not None, f"no JSON report on stdout; stderr: {res.stderr}"
    found = [(d["code"], d["path"], d["line"], d["col"]) for d in res.diagnostics]
    assert res.exit == case.exit, found

    if case.code is None:
        assert res.diagnostics == []
        return

    assert [d["code"] for d in res.diagnostics] == [case.code] * case.count, found
    first = res.diagnostics[0]
    assert first["path"] == display(content / case.file)
    if name not in SETUPS:  # committed fixtures show as a plain path relative to the repo
        assert first["path"] == f"tests/fixtures/bad/{name}/{case.file}"
    assert first["line"] == case.line, found
    if case.col is not None:
        assert first["col"] == case.col, found
    assert first["severity"] == ("warning" if case.code in WARNING_CODES else "error")

    here = display(content)
    if case.hint is not None:
        assert case.hint.format(dir=here) in (first["hint"] or ""), first
    if case.message is not None:
        assert case.message.format(dir=here) in first["message"], first
    for d in res.diagnostics:  # no internals of the validation library in what users read
        assert "function-before" not in d["message"] and "function-after" not in d["message"], d


def test_alias_bomb_is_refused():
    """The 'billion laughs' bomb is never expanded: every alias is refused, and the run ends."""
    res = run_check(FIXTURES / "alias_bomb")
    assert res.exit == 1
    assert res.diagnostics and {d["code"] for d in res.diagnostics} == {"yaml-alias"}
    assert {d["path"] for d in res.diagnostics} == {"tests/fixtures/bad/alias_bomb/people.yaml"}


def test_every_code_has_a_case():
    covered = {c.code for c in CASES.values() if c.code and not c.bug}
    missing = set(CODES) - covered - set(NOT_COVERED)
    assert not missing, f"codes without a (passing) bad-input case: {sorted(missing)}"
    assert not set(NOT_COVERED) - set(CODES), "NOT_COVERED names a code that no longer exists"
    assert not set(NOT_COVERED) & covered, "a code in NOT_COVERED is covered after all: remove it"


def test_real_content_is_clean_with_strict():
    res = run_check(REPO / "content", "--strict")
    assert (res.exit, res.diagnostics) == (0, [])


def test_text_report_format():
    """The human report: `path:line:col: error[code]: message`, then `  = hint: …`, on stderr."""
    res = run_check(FIXTURES / "ref_unknown_person", fmt="")
    assert res.exit == 1
    lines = res.stderr.splitlines()
    assert lines[0] == ("tests/fixtures/bad/ref_unknown_person/article.yaml:32:15: "
                        "error[ref-unknown]: unknown person 'sergei-lavrov'")
    assert lines[1] == "  = hint: did you mean 'sergey-lavrov'?"
    assert "1 error(s), 0 warning(s)" in res.stderr


def test_free_text_bidi_controls_are_stripped():
    """Bidi controls in free text are accepted (the check is clean) and removed from the model."""
    from generator.core.validate import load_and_check

    checked = load_and_check(FIXTURES / "free_text_bidi_stripped", strict=True)
    summary = checked.corpus.statements["lavrov-committed-to-sovereignty"].summary.ar
    assert summary == "روسيا ملتزمة بسيادة سوريا"


def test_quote_matched_despite_normalization_points_at_verbatim_text():
    """Diacritics, tatweel, hamza and quote style differ, yet the span lands on paragraph 3."""
    from generator.core.validate import load_and_check

    checked = load_and_check(FIXTURES / "quote_normalized_match", strict=True)
    span = checked.corpus.spans["lavrov-committed-to-sovereignty"]
    para = checked.corpus.sources["asharq-2025-12-24"].text[span.paragraph - 1]
    assert span.paragraph == 3
    assert para[span.start:span.end] == 'على "احترام سيادة سوريا" ووحدة أراضيها'


@pytest.mark.parametrize(("name", "paragraph"), [("quote_prefix_disambiguated", 2), ("quote_suffix_disambiguated", 3)])
def test_prefix_or_suffix_picks_the_occurrence(name, paragraph):
    from generator.core.validate import load_and_check

    checked = load_and_check(FIXTURES / name, strict=True)
    assert checked.corpus.spans["lavrov-committed-to-sovereignty"].paragraph == paragraph


def test_missing_content_folder(tmp_path):
    # a folder that is not there is a usage error (exit 2), named in the message
    res = run_check(tmp_path / "nowhere")
    assert res.exit == 2
    assert "nowhere" in res.stderr and "does not exist" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.parametrize("args", [("--format", "xml"), ("--no-such-option",)])
def test_usage_errors_exit_2(args):
    res = run_check(FIXTURES / "utf8_bom", *args, fmt="")
    assert res.exit == 2
    assert "Usage" in res.stderr


def test_a_file_is_not_a_content_folder():
    res = run_check(FIXTURES / "utf8_bom" / "article.yaml", fmt="")
    assert res.exit == 2


# --- issue 24: what reaches the terminal, and what the model keeps -------------------------

@pytest.mark.parametrize(("name", "shown", "raw"), [
    ("ref_zero_width_shown", "unknown person 'sergey<U+200B>-lavrov'", "\u200b"),
    ("ref_ansi_escape_shown", "unknown person '<U+001B>[8msergey-lavrov'", "\x1b"),
])
def test_text_report_shows_invisible_characters(name, shown, raw):
    """An invisible or control character in the data is printed as <U+XXXX>, never raw: a
    zero-width space would make the id and its 'did you mean' look identical, and ESC would
    drive the terminal."""
    res = run_check(FIXTURES / name, fmt="")
    assert res.exit == 1
    first = res.stderr.splitlines()[0]
    assert first.endswith(f"error[ref-unknown]: {shown}"), first
    assert res.stderr.splitlines()[1] == "  = hint: did you mean 'sergey-lavrov'?"
    assert raw not in res.stderr
    assert all(ch.isprintable() or ch == "\n" for ch in res.stderr + res.stdout)


def test_json_report_keeps_invisible_characters_as_valid_json():
    res = run_check(FIXTURES / "ref_ansi_escape_shown")
    assert res.diagnostics[0]["message"].endswith("unknown person '\x1b[8msergey-lavrov'")
    assert "\x1b" not in res.stdout and "\\u001b" in res.stdout  # escaped in the JSON text


def test_free_text_control_characters_are_stripped():
    """C0/C1 controls, DEL and U+FFFE in free text are accepted (the check is clean) and removed."""
    from generator.core.validate import load_and_check

    checked = load_and_check(FIXTURES / "free_text_control_stripped", strict=True)
    meeting = checked.corpus.meetings["lavrov-talks-2025-12-24"]
    assert meeting.title.ar == "محادثات لافروف في موسكو"
    assert meeting.title.en == "Lavrov[31m talks in Moscow"
    summary = checked.corpus.statements["lavrov-committed-to-sovereignty"].summary.ar
    assert summary == "روسيا ملتزمة بسيادة سوريا"


def test_a_case_reported_the_same_by_a_separate_process(tmp_path):
    """The cases above run in-process; one runs as `python -m generator` to cover the real entry point."""
    name = "duplicate_key"
    in_process = run_check(content_dir(name, tmp_path))
    as_process = run_check(content_dir(name, tmp_path), subprocess_run=True)
    assert as_process.exit == in_process.exit == CASES[name].exit
    assert as_process.diagnostics == in_process.diagnostics
