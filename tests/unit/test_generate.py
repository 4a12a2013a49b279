"""generate(): the two languages rendered side by side give the same tree as one after the other,
and an error in the forked worker reaches the caller as the same error, not a crash.

The parallel path forks only when no other thread runs, and this test session runs HTTP server
threads for the site tests, so each case runs in a fresh Python process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

CONTENT, TEMPLATES = REPO / "content", REPO / "templates"


def _python(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("FACTSHEETS_JOBS", None)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)


def _generate(templates: Path, docs: Path, jobs: int) -> subprocess.CompletedProcess[str]:
    code = (f"import json, os; from pathlib import Path; from generator.render.generate import generate; "
            f"from generator.errors import TemplateError\n"
            f"try:\n"
            f"    g = generate(Path({str(CONTENT)!r}), Path({str(templates)!r}), Path({str(docs)!r}), jobs={jobs})\n"
            f"    print(json.dumps({{k: [r.written, r.unchanged, r.removed] for k, r in g.report.items()}}))\n"
            f"except TemplateError as exc:\n"
            f"    print('TemplateError:', exc)\n")
    return _python(code)


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_parallel_and_sequential_generation_write_the_same_files(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    a, b = _generate(TEMPLATES, one, 1), _generate(TEMPLATES, two, 2)
    assert a.returncode == 0 and b.returncode == 0, (a.stderr, b.stderr)
    reports = json.loads(b.stdout)
    assert json.loads(a.stdout) == reports and set(reports) == {"ar", "en"} and reports["en"][0] > 0
    assert _tree(one) == _tree(two)


def test_an_error_in_the_worker_is_raised_in_the_caller(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    home = templates / "home.md.j2"
    # broken for English only, which the forked worker renders
    home.write_text(home.read_text(encoding="utf-8") + "{% if lang == 'en' %}{{ no_such_name }}{% endif %}\n",
                    encoding="utf-8")
    r = _generate(templates, tmp_path / "docs", 2)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("TemplateError:") and "no_such_name" in r.stdout, r.stdout


def test_english_is_rendered_in_a_forked_worker() -> None:
    r = _python("import json, os; from generator.render.generate import per_language; "
                "print(json.dumps(per_language(lambda lang, ready: os.getpid(), ['ar', 'en'], jobs=2)), os.getpid())")
    assert r.returncode == 0, r.stderr
    pids, me = r.stdout.split("} ")
    pids = json.loads(pids + "}")
    assert list(pids) == ["ar", "en"] and pids["ar"] == int(me) and pids["en"] != int(me)
    r = _python("import json, os; from generator.render.generate import per_language; "
                "print(json.dumps(per_language(lambda lang, ready: os.getpid(), ['ar', 'en'], jobs=1)), os.getpid())")
    pids, me = r.stdout.split("} ")
    assert set(json.loads(pids + "}").values()) == {int(me)}  # jobs=1: all in this process


def test_a_closure_reaches_the_worker_and_a_lost_worker_is_an_error() -> None:
    """The job is handed to the forked worker by the fork itself (no module-level slot, nothing
    pickled on the way there): a closure over local state works, and on_done is called for each
    language. A worker that dies without a result is a clear FactsheetsError, not a hang."""
    r = _python("import json, os\n"
                "from generator.render.generate import per_language\n"
                "secret = {'ar': 1, 'en': 2}\n"
                "done = []\n"
                "print(json.dumps(per_language(lambda lang, ready: secret[lang] * 10, ['ar', 'en'], jobs=2, on_done=done.append)))\n"
                "print(sorted(done))\n"
                "def die(lang, ready):\n"
                "    if lang == 'en':\n"
                "        os._exit(3)\n"
                "    return 0\n"
                "from generator.errors import FactsheetsError\n"
                "try:\n"
                "    per_language(die, ['ar', 'en'], jobs=2)\n"
                "except FactsheetsError as exc:\n"
                "    print('error:', exc)\n")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert json.loads(lines[0]) == {"ar": 10, "en": 20}
    assert lines[1] == "['ar', 'en']"
    assert lines[2] == "error: the worker rendering en stopped without a result (exit status 3)"


def _reads(docs: Path) -> dict[str, dict]:
    """Each language's stored map as what each file read (its table of keys is in the order the
    files were rendered, which differs when two processes share a language), and its pieces."""
    from generator.outputs.pieces import PieceMap
    from generator.publish.incremental import PageDeps

    out: dict[str, dict] = {}
    for lang in ("ar", "en"):
        deps = PageDeps.take(docs, lang)
        assert deps is not None
        pages = {p: (r.plan, r.ids, sorted(deps.keys[i] for i in r.queries)) for p, r in deps.pages.items()}
        answers = dict(zip(deps.keys, deps.answers))
        pieces = {p: [(n, key, sorted(ids), sorted(map(repr, queries))) for n, key, ids, queries in f.pieces]
                  for p, f in PieceMap.take(docs, lang).files.items()}  # (queries: in a set's order)
        out[lang] = {"pages": pages, "answers": {k: answers[k] for r in pages.values() for k in r[2]},
                     "global": deps.global_digest, "texts": deps.texts, "pieces": pieces}
    return out


def test_the_worker_stores_the_same_map_as_one_process(tmp_path: Path) -> None:
    """What the next build judges by (each file's reads, the answers, the exports' pieces) is the
    same whether English was rendered in the forked worker or in this process."""
    one, two = tmp_path / "one" / "docs", tmp_path / "two" / "docs"
    a, b = _generate(TEMPLATES, one, 1), _generate(TEMPLATES, two, 2)
    assert a.returncode == 0 and b.returncode == 0, (a.stderr, b.stderr)
    assert _tree(one) == _tree(two)
    mine, split = _reads(one), _reads(two)
    assert len(mine["ar"]["pages"]) > 50 and mine["ar"]["pieces"]
    assert mine == split


def test_each_language_is_signalled_as_soon_as_its_markdown_is_written() -> None:
    """``ready(lang)`` reaches ``on_done`` while the job still runs (its map is stored after the
    site tool has started), in this process and from the worker; a job that never calls it is
    signalled when it ends; each language once."""
    r = _python("import json, os, time, tempfile\n"
                "from pathlib import Path\n"
                "from generator.render.generate import per_language\n"
                "flags = Path(tempfile.mkdtemp())\n"
                "done = []\n"
                "def on_done(lang):\n"
                "    done.append(lang)\n"
                "    (flags / lang).touch()\n"
                "def job(lang, ready):\n"
                "    ready(lang)\n"
                "    for _ in range(200):\n"
                "        if (flags / lang).exists():\n"
                "            return 'seen before the end'\n"
                "        time.sleep(0.05)\n"
                "    return 'not seen'\n"
                "print(json.dumps(per_language(job, ['ar', 'en'], jobs=2, on_done=on_done)), sorted(done))\n"
                "done.clear()\n"
                "print(json.dumps(per_language(lambda lang, ready: lang, ['ar', 'en'], jobs=2, on_done=on_done)), sorted(done))\n")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == '{"ar": "seen before the end", "en": "seen before the end"} [\'ar\', \'en\']'
    assert lines[1] == '{"ar": "ar", "en": "en"} [\'ar\', \'en\']'


def test_pages_are_rendered_with_rarer_collections_and_the_callers_thresholds_come_back(tmp_path: Path) -> None:
    """The cyclic GC runs less often while content is loaded and pages rendered (a fifth of the
    render's time otherwise); the caller's own thresholds are back afterwards, on error too."""
    import gc

    import pytest

    from generator.render.generate import RENDER_GC_THRESHOLDS, generate

    mine = (900, 11, 12)
    assert RENDER_GC_THRESHOLDS != mine and RENDER_GC_THRESHOLDS[0] > 700 and RENDER_GC_THRESHOLDS[2] > 10
    before = gc.get_threshold()
    gc.set_threshold(*mine)
    try:
        seen: list[tuple[int, ...]] = []
        g = generate(CONTENT, TEMPLATES, tmp_path / "docs", jobs=1, on_checked=lambda: seen.append(gc.get_threshold()))
        assert g.pages > 0 and seen == [RENDER_GC_THRESHOLDS]
        assert gc.get_threshold() == mine

        def fail() -> None:
            raise RuntimeError("stopped after the check")

        with pytest.raises(RuntimeError, match="stopped after the check"):
            generate(CONTENT, TEMPLATES, tmp_path / "docs2", jobs=1, on_checked=fail)
        assert gc.get_threshold() == mine
    finally:
        gc.set_threshold(*before)


def test_an_error_the_caller_cannot_read_back_is_still_a_clear_error() -> None:
    """An error raised in the worker whose class cannot be rebuilt from its pickle (its
    ``__init__`` takes other arguments) is reported as a FactsheetsError naming the language and
    the error, not a traceback from the thread that listens to the worker."""
    r = _python("from generator.render.generate import per_language\n"
                "from generator.errors import FactsheetsError\n"
                "class Odd(Exception):\n"
                "    def __init__(self, a, b):\n"
                "        super().__init__(f'{a}/{b}')\n"
                "def job(lang, ready):\n"
                "    if lang == 'en':\n"
                "        raise Odd('x', 'y')\n"
                "    return 0\n"
                "try:\n"
                "    per_language(job, ['ar', 'en'], jobs=2)\n"
                "except FactsheetsError as exc:\n"
                "    print('error:', exc)\n")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert r.stdout.startswith("error: the worker rendering en failed with an error that could not be read back: "
                               "TypeError: "), r.stdout
