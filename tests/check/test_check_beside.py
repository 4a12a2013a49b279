"""load_and_check_beside(): the checks that only report (stances, translations, review notes,
placeholders) run in a forked child while the generator plans. It must report exactly what the
checks in one process report, in the same order; bad content must be reported as such even
when the plan fails on it; and what each record's check leaves for the next build must be this
process's own (its records, its diagnostics), as if the checks had run here.

Forking is refused while other threads run, and this test session runs server threads for the
site tests, so each case runs in a fresh Python process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.check.bad_cases import FIXTURES, SETUPS
from tests.conftest import REPO

SCRIPT = r'''
import json, sys
from pathlib import Path
from generator.core.validate import load_and_check, load_and_check_beside
from generator.errors import ContentError
from generator.workers import can_fork

def outcome(fn):
    try:
        return ["ok"] + [repr(d) for d in fn().diagnostics]
    except ContentError as exc:
        return ["error"] + [repr(d) for d in exc.diagnostics]

def planned(corpus):
    return len(corpus.statements)

out = {"fork": can_fork(), "cases": {}}
for d in sys.argv[1:]:
    root = Path(d)
    one = outcome(lambda: load_and_check(root))
    apart = outcome(lambda: load_and_check_beside(root, planned)[0])
    out["cases"][d] = {"same": one == apart, "one": one}
print(json.dumps(out))
'''


def _python(code: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def _mixed(tmp: Path) -> Path:
    """The example content with a problem for the checks that build the corpus (a quote that is
    not in its article) and for those that only report (a placeholder, a review note, a missing
    translation)."""
    content = tmp / "mixed"
    shutil.copytree(REPO / "content", content)
    source = next((content / "sources").glob("*.yaml"))
    text = source.read_text(encoding="utf-8")
    edits = [
        ('en: "Russia and Syria affirmed the importance of strengthening bilateral cooperation between the two countries."',
         'en: "[translate]"'),
        ('exact: "أكدت موسكو ودمشق، الأربعاء، أهمية تعزيز التعاون الثنائي"', 'exact: "كلمات لا ترد في المقال"'),
        ("  - id: moscow-damascus-call-for-respect-of-syrian-sovereignty\n",
         "  - id: moscow-damascus-call-for-respect-of-syrian-sovereignty\n    review: [\"check the speaker\"]\n"),
        ('      en: "Russia and Syria stressed the need to respect Syria\'s sovereignty and territorial integrity."\n', ""),
    ]
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    source.write_text(text, encoding="utf-8")
    return content


def test_the_checks_apart_report_what_the_checks_in_one_process_report(tmp_path: Path) -> None:
    cases = [str(p) for p in sorted(FIXTURES.iterdir()) if p.is_dir() and p.name not in SETUPS]
    mixed = str(_mixed(tmp_path))
    out = _python(SCRIPT, str(REPO / "content"), mixed, *cases)
    assert out["fork"] is True  # the child was forked: the comparison is of the two paths
    assert len(out["cases"]) == len(cases) + 2 > 60
    different = [d for d, r in out["cases"].items() if not r["same"]]
    assert different == []
    assert out["cases"][str(REPO / "content")]["one"] == ["ok"]
    # the mixed content has diagnostics from both kinds of check, in the order the checks run
    found = out["cases"][mixed]["one"]
    codes = [next(c for c in ("quote-not-found", "review-pending", "missing-translation", "placeholder") if c in d)
             for d in found[1:]]
    assert found[0] == "error" and codes[0] == "quote-not-found"
    assert {"review-pending", "missing-translation", "placeholder"} <= set(codes), found


MEANWHILE = r'''
import json, sys
from pathlib import Path
from generator.core.validate import load_and_check_beside
from generator.errors import ContentError

def fails(corpus):
    raise LookupError("the plan failed")

out = {}
for name, d in (("bad", sys.argv[1]), ("good", sys.argv[2])):
    try:
        load_and_check_beside(Path(d), fails, strict=True)  # strict: the warnings of the checks apart fail it
        out[name] = "no error"
    except ContentError as exc:
        out[name] = ["ContentError"] + [x.code for x in exc.diagnostics]
    except LookupError as exc:
        out[name] = ["LookupError", str(exc)]
print(json.dumps(out))
'''


def test_bad_content_is_reported_even_when_the_plan_fails_on_it() -> None:
    out = _python(MEANWHILE, str(FIXTURES / "missing_translation"), str(REPO / "content"))
    assert out["bad"] == ["ContentError", "missing-translation"]
    assert out["good"] == ["LookupError", "the plan failed"]


REMEMBERED = r'''
import json, sys
from pathlib import Path
from generator.core import validate
from generator.core.loader import FileCache, reusing
from generator.errors import ContentError

root = Path(sys.argv[1])
cache = FileCache()
with reusing(cache):
    try:
        validate.load_and_check_beside(root, lambda corpus: None)
    except ContentError:
        pass
    apart = {check: dict(cache.checks[check]) for check in ("stances", "text", "placeholders")}
    checker = validate._Checker(validate.load_content(root))  # the same records: the cache gives them again
    checker.build()
    st_hits = sum(checker._hit(apart["stances"], st.id, checker._stance_objs(st)) is not None
                  for st in checker.corpus.statements.values())
    rec_hits = {check: sum(checker._hit(apart[check], e.id, checker._record_objs(e)) is not None
                           for e in checker.defined.values()) for check in ("text", "placeholders")}
    found = {check: sorted(repr(d) for _objs, diags in apart[check].values() for d in diags) for check in apart}
    checker.report()
    again = {check: sorted(repr(d) for _objs, diags in cache.checks[check].values() for d in diags) for check in apart}
print(json.dumps({"statements": len(checker.corpus.statements), "records": len(checker.defined),
                  "stance_hits": st_hits, "record_hits": rec_hits, "same": found == again,
                  "diagnostics": sum(len(v) for v in found.values())}))
'''


def test_what_the_checks_apart_remember_is_found_again_by_the_next_load(tmp_path: Path) -> None:
    out = _python(REMEMBERED, str(_mixed(tmp_path)))
    assert out["statements"] > 10 and out["diagnostics"] >= 3
    assert out["stance_hits"] == out["statements"]
    assert out["record_hits"] == {"text": out["records"], "placeholders": out["records"]}
    assert out["same"] is True
