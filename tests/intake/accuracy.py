"""The accuracy set of `factsheets new`: articles written like Arabic wire copy
(tests/intake/fixtures/articles/*.txt) and the facts a draft should get right
(expected.yaml): date, participants, parties, speakers, place, kind, headline, candidates, outlet.

``python -m tests.intake.accuracy`` prints the fact-by-fact table (docs/intake.md holds it,
before and after issue 20).  It only calls ``new_article`` with arguments every version
has, so it also runs against an older checkout (PYTHONPATH=<checkout>).
"""

from __future__ import annotations

import inspect
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "fixtures" / "articles"
PUBLISHED = date(2025, 12, 24)


def registries(dest: Path, repo: Path) -> Path:
    content = dest / "content"
    content.mkdir(parents=True)
    for f in (repo / "content").glob("*.yaml"):
        shutil.copy2(f, content / f.name)
    shutil.copy2(ARTICLES / "registry.yaml", content / "accuracy-registry.yaml")
    return content


def facts(name: str, expected: dict, result, data: dict) -> list[tuple[str, object, object]]:
    """(fact, expected, got) for one article."""
    meeting = data["meetings"][0]
    got_date = [meeting["date"]["start"]] + ([meeting["date"]["end"]] if meeting["date"].get("end") else [])
    out: list[tuple[str, object, object]] = [
        ("date", [date.fromisoformat(str(d)) for d in expected["date"]], got_date),
        ("participants", sorted(expected["participants"]), sorted(p["person"] for p in meeting["participants"])),
        ("place", expected["place"], meeting["location"]["ar"] if expected["place"] is not None or
         not meeting["location"]["ar"].startswith("[") else None),
        ("kind", expected["kind"], meeting["kind"]),
        ("outlet", expected["outlet"], data["source"]["outlet"]),
    ]
    if expected["place"] is None and meeting["location"]["ar"].startswith("["):
        out[2] = ("place", None, None)
    if "parties" in expected:
        out.append(("parties", sorted(expected["parties"]), sorted(meeting["parties"])))
    if "headline" in expected:
        head = data["source"]["headline"]
        out.append(("headline", expected["headline"], None if head.startswith("[") else head))
    by_words = {s["words"]["ar"]: s["speaker"] for s in data["statements"]}
    for words, who in expected["speakers"].items():
        sp = by_words.get(words)
        got = "unknown" if sp == "unknown" else (sp.get("person") or sp.get("organization")
                                                    or f"joint {sp.get('joint')}") if isinstance(sp, dict) else sp
        out.append((f"speaker «{words}»", who, got))
    for cname, country in (expected.get("candidates") or {}).items():
        hits = [c for c in result.candidates if c.name == cname]
        got_c = (getattr(hits[0], "country", None) or (None, None, None))[2] if hits else None
        out.append((f"candidate {cname}", country, got_c if hits else "not proposed"))
    return out


def evaluate(repo: Path) -> list[tuple[str, str, object, object]]:
    from generator.intake.pipeline import new_article
    expected_all = yaml.safe_load((ARTICLES / "expected.yaml").read_text(encoding="utf-8"))
    rows = []
    accepts_force = "force" in inspect.signature(new_article).parameters
    with tempfile.TemporaryDirectory() as tmp:
        content = registries(Path(tmp), repo)
        for name, expected in expected_all.items():
            kw = {"force": True} if accepts_force else {}
            if name != "13-reception-reuters.txt":
                kw["outlet"] = expected["outlet"]
            try:
                result = new_article(ARTICLES / name, content_dir=content, published=PUBLISHED,
                                     source_id=Path(name).stem.split("-", 1)[1][:40] + "-" + name[:2], **kw)
                data = yaml.safe_load(result.path.read_text(encoding="utf-8"))
                rows += [(name, *f) for f in facts(name, expected, result, data)]
            except Exception as exc:  # an older version may fail on an article: every fact is a miss
                rows.append((name, "draft", "written", f"failed: {type(exc).__name__}: {exc}"[:80]))
    return rows


def table(rows: list[tuple[str, str, object, object]]) -> str:
    lines = ["| article | fact | expected | got | ok |", "| --- | --- | --- | --- | --- |"]
    for name, fact, exp, got in rows:
        lines.append(f"| {name[:2]} | {fact} | {exp} | {got} | {'✓' if exp == got else '✗'} |")
    ok = sum(exp == got for _, _, exp, got in rows)
    lines.append(f"\n{ok} of {len(rows)} facts right ({100 * ok / len(rows):.0f} %)")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    repo = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[1]
    print(table(evaluate(repo)))
