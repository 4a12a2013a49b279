"""Warnings: reported, exit 0; `--strict` turns them into a failure (exit 1), same report."""

from __future__ import annotations

import pytest

from tests.check.bad_cases import CASES, FIXTURES
from tests.check.conftest import run_check

WARNING_CASES = sorted(name for name, case in CASES.items() if case.code and case.exit == 0)


def test_warning_cases_exist():
    codes = {CASES[n].code for n in WARNING_CASES}
    assert codes == {"speaker-not-participant", "source-not-cited", "missing-translation", "review-pending",
                     "empty-file", "date-implausible", "stance-verb-mismatch", "attribution-missing"}


@pytest.mark.parametrize("name", WARNING_CASES)
def test_strict_makes_warnings_fail(name):
    case = CASES[name]
    lax = run_check(FIXTURES / name)
    strict = run_check(FIXTURES / name, "--strict")
    assert lax.exit == 0
    assert strict.exit == 1
    assert strict.diagnostics == lax.diagnostics
    assert [(d["code"], d["line"], d["severity"]) for d in strict.diagnostics] == [(case.code, case.line, "warning")]


@pytest.mark.parametrize("name", WARNING_CASES)
def test_text_report_of_warnings(name):
    case = CASES[name]
    lax = run_check(FIXTURES / name, fmt="")
    strict = run_check(FIXTURES / name, "--strict", fmt="")
    head = f"tests/fixtures/bad/{name}/{case.file}:{case.line}:"
    # without --strict the run succeeds: the report goes to stdout
    assert lax.stdout.startswith(head) and f": warning[{case.code}]: " in lax.stdout.splitlines()[0]
    assert "0 error(s), 1 warning(s)" in lax.stdout
    # with --strict it fails: the same report goes to stderr
    assert strict.stderr.startswith(head) and f": warning[{case.code}]: " in strict.stderr.splitlines()[0]


def test_clean_fixture_passes_strict():
    res = run_check(FIXTURES / "crlf_line_endings", "--strict")
    assert (res.exit, res.diagnostics) == (0, [])
