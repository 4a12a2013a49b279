"""load_content(jobs=2): a large content folder is read by two processes (the second half of
the files by a forked worker), and the result is the same as reading it in one: the same
records in the same order, the same diagnostics in the same order, and the same located
problems from the checks that run afterwards (the worker sends its files back as text, parsed
again only to locate a problem).

Forking happens only when no other thread runs, and this test session runs HTTP server threads
for the site tests, so the comparison runs in a fresh Python process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.corpus import write_corpus
from tests.conftest import REPO

COMPARE = r"""
import json, os, sys
from pathlib import Path
import generator.loader as loader
from generator.validate import check

content, pids = Path(sys.argv[1]), Path(sys.argv[2])
original = loader._load_part

def spy(root, files):  # runs in the worker: note where
    pids.write_text(str(os.getpid()))
    return original(root, files)

loader._load_part = spy

def summary(jobs):
    loaded = loader.load_content(content, jobs=jobs)
    checked = check(loaded)
    return {"diagnostics": [d.format() for d in loaded.diagnostics],
            "checked": [d.format() for d in checked.diagnostics],
            "entities": {k: [(e.id, e._origin[0]) for e in v] for k, v in loaded.entities.items()},
            "docs": list(loaded.docs), "broken": sorted(loaded.broken_ids)}

one = summary(1)
worked_elsewhere = pids.exists()
two = summary(2)
print(json.dumps({"same": one == two, "one_process_forked": worked_elsewhere,
                  "files_with_problems": sorted({d.split(":")[0] for d in two["diagnostics"]}),
                  "checked": two["checked"],
                  "worker": int(pids.read_text()) if pids.exists() else None, "me": os.getpid(),
                  "diagnostics": len(one["diagnostics"]), "files": len(one["docs"])}))
"""


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_two_processes_read_the_same_records_and_problems_as_one(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_corpus(200, content)  # about 2.7 MB of YAML: over the threshold for a second process
    sources = sorted((content / "sources").rglob("*.yaml"))
    first, last = sources[0], sources[-1]
    _break(first, "stance: ", "stance: maybe-")            # a bad value early on (this process)
    _break(last, "  published: ", "  published: not-a-date-")  # and one at the end (the worker)
    # a problem only the checks find (an unknown topic), in a file the worker reads
    before_last = sources[-2]
    _break(before_last, "  topics:\n  - ", "  topics:\n  - no-such-topic-")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("FACTSHEETS_JOBS", None)
    r = subprocess.run([sys.executable, "-c", COMPARE, str(content), str(tmp_path / "pid")],
                       capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["same"], out
    assert out["one_process_forked"] is False            # jobs=1 never forks
    assert out["worker"] not in (None, out["me"])        # jobs=2 read part of it in another process
    assert out["diagnostics"] >= 2 and out["files"] == len(list(content.rglob("*.yaml")))
    # a problem from each half: the first file's (read here), the last file's (read by the worker)
    assert [Path(f).name for f in out["files_with_problems"]] == [first.name, last.name], out
    # the check's problem in a worker's file is located there (line and column of the bad value)
    text = before_last.read_text(encoding="utf-8").splitlines()
    found = [d for d in out["checked"] if Path(d.split(":")[0]).name == before_last.name and "no-such-topic" in d]
    assert found, out["checked"]
    line, col = (int(x) for x in found[0].split(":")[1:3])
    assert text[line - 1][col - 1:].startswith("no-such-topic-"), (found[0], text[line - 1])
