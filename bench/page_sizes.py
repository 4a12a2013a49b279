"""The largest page of each kind, in Markdown, as the archive grows (issue 22, item 4).

    python bench/page_sizes.py 100 1000 5000 [--lang en] [--sample 400]

writes the synthetic corpus ``bench/corpus.py N`` (seed 8) into ``/tmp/factsheets-page-sizes/N``
unless it is there already, plans the site and renders every page of one language (meeting and
source pages, bounded by construction, are sampled: ``--sample`` of each, 0 for all), and prints
a table: page kind, then the largest page's size in bytes at each N, and its path.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from datetime import date
from pathlib import Path

from bench.corpus import write_corpus
from generator.plan import plan_pages
from generator.render import Renderer
from generator.validate import load_and_check

REPO = Path(__file__).resolve().parent.parent
CACHE = Path("/tmp/factsheets-page-sizes")


def largest(n: int, lang: str, sample: int) -> dict[str, tuple[int, str]]:
    content = CACHE / str(n)
    if not (content / "sources").is_dir():
        write_corpus(n, content, seed=8)
    corpus = load_and_check(content).corpus
    renderer = Renderer(corpus, REPO / "templates", today=date(2026, 1, 1))
    seen: dict[str, int] = defaultdict(int)
    best: dict[str, tuple[int, str]] = {}
    for page in plan_pages(corpus, (lang,)):
        kind = page.kind + ("-part" if getattr(page, "part", None) else "")
        if sample and page.kind in ("meeting", "source") and seen[kind] >= sample:
            continue
        seen[kind] += 1
        size = len(renderer.render(page).encode("utf-8"))
        if size > best.get(kind, (0, ""))[0]:
            best[kind] = (size, page.path)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--lang", default="en")
    ap.add_argument("--sample", type=int, default=400)
    args = ap.parse_args()
    results = {n: largest(n, args.lang, args.sample) for n in args.sizes}
    kinds = sorted({k for r in results.values() for k in r})
    print("| page kind | " + " | ".join(f"N = {n:,}" for n in args.sizes) + " | largest at the largest N |")
    print("| --- | " + " | ".join("---:" for _ in args.sizes) + " | --- |")
    for k in kinds:
        cells = [f"{results[n][k][0]:,}" if k in results[n] else "–" for n in args.sizes]
        print(f"| {k} | " + " | ".join(cells) + f" | `{results[args.sizes[-1]].get(k, (0, ''))[1]}` |")


if __name__ == "__main__":
    main()
