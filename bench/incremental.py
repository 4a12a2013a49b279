"""Incremental builds against clean ones (issue 22.6), measured in pairs on one host.

    .venv/bin/python -m bench.incremental --n 1000 --pairs 2      # results in bench/out/incremental-<N>.json

For the synthetic project bench/out/p<N>/ (bench/run.py's make_project), K times:

1. a clean build (``build(project, clean=True)``);
2. one statement's summary changed (ar and en), incremental build;
3. a meeting added (a copy of a meeting of one source, under a new id), incremental build;

each in a fresh process that calls generator.build.build() and prints its stage times (the
``timings`` hook of the real build: load+check, plan, render+write, html, search, swap) and the
pages the dependency map rendered (its progress lines; none: every page was rendered); wall
time, CPU time and peak RSS (largest process of the tree) from ``os.wait4`` (bench/run.py's
``measured``). Ratios are taken within each triple: the host's speed drifts between runs minutes
apart, and the machine is shared (the load average is recorded before and after each run).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpus import dump, mark_statement  # noqa: E402
from bench.run import OUT, PY, make_project, measured  # noqa: E402


def one_build(project: Path, clean: bool) -> dict:
    """`build()` in a fresh interpreter: its stage times, and wall/CPU/peak RSS of the whole tree."""
    code = ("import json, sys; from pathlib import Path; from generator.build import build; "
            "from generator.publish.site import Project\n"
            f"p = Project.at(Path({str(project)!r}))\n"
            "stages = {}; rendered = []\n"
            f"r = build(p, clean={clean}, allow_shrink=True, timings=lambda s, t: stages.__setitem__(s, round(t, 3)),\n"
            "          progress=lambda m: rendered.append(m) if 'reached by the edit' in m else None)\n"
            "print(json.dumps({'stages': stages, 'pages': r.pages, 'changed': len(r.changed), "
            "'incremental': r.incremental, 'rendered': rendered}))\n")
    r = measured([PY, "-c", code], cwd=REPO)
    result = json.loads(r["output"].strip().splitlines()[-1])
    result.update({k: r[k] for k in ("wall_s", "cpu_s", "peak_rss_mb", "load_before", "load_after")})
    return result


def add_meeting(project: Path, marker: str) -> str:
    """Add a copy of the first meeting of the first source file (new id); return the id."""
    path = sorted((project / "content" / "sources").rglob("*.yaml"))[0]
    header, _, body = path.read_text(encoding="utf-8").partition("\n")
    doc = yaml.safe_load(body)
    meeting = copy.deepcopy(doc["meetings"][0])
    meeting["id"] = f"{meeting['id']}-added-{marker}"
    doc["meetings"].append(meeting)
    path.write_text(header + "\n" + dump(doc), encoding="utf-8")
    return meeting["id"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--pairs", type=int, default=2)
    args = ap.parse_args()
    project = make_project(args.n, args.seed)
    runs = []
    for i in range(args.pairs):
        clean = one_build(project, clean=True)
        src = sorted((project / "content" / "sources").rglob("*.yaml"))[len(runs) + 1]
        mark_statement(src, None, f"bench-{i}")
        summary = one_build(project, clean=False)
        added = add_meeting(project, str(i))
        meeting = one_build(project, clean=False)
        run = {"clean": clean, "summary": summary, "meeting": meeting, "added_meeting": added,
               "summary_ratio": round(summary["wall_s"] / clean["wall_s"], 3),
               "meeting_ratio": round(meeting["wall_s"] / clean["wall_s"], 3)}
        runs.append(run)
        print(f"triple {i + 1}/{args.pairs}: clean {clean['wall_s']:.1f} s ({clean['peak_rss_mb']} MB); "
              f"summary edit {summary['wall_s']:.1f} s = {run['summary_ratio']:.3f}x "
              f"({summary['changed']} pages, incremental={summary['incremental']}, {summary['rendered']}); "
              f"new meeting {meeting['wall_s']:.1f} s = {run['meeting_ratio']:.3f}x "
              f"({meeting['changed']} pages, incremental={meeting['incremental']}, {meeting['rendered']}); "
              f"load {clean['load_before']}→{meeting['load_after']}", flush=True)
        for key in ("clean", "summary", "meeting"):
            print(f"  {key}: {run[key]['stages']}", flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"incremental-{args.n}.json").write_text(json.dumps({"n": args.n, "runs": runs}, indent=1),
                                                    encoding="utf-8")


if __name__ == "__main__":
    main()
