"""The dependency map with structural edits (issue 22, items 1 and 6): meetings, statements,
participants and people added or removed, dates, sides and roles changed, ids renamed with
``previous_ids``. Each is rendered selectively (only the pages whose recorded reads now answer
differently, plus the new ones), and after each the Markdown folder kept up to date by the map is
compared, file by file, with a full render of the same content (build/docs of both languages)."""

from __future__ import annotations

import copy
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import dump, write_corpus
from generator.errors import ContentError
from tests.site.test_dependency_map import _generate, _load, _tree_diff

N = 30


def _sources(content: Path) -> list[Path]:
    return sorted((content / "sources").glob("*.yaml"))


def _save(path: Path, header: str, doc: Any) -> None:
    path.write_text(header + "\n" + dump(doc), encoding="utf-8")


def _every_source(content: Path) -> list[tuple[Path, str, Any]]:
    return [(p, *_load(p)) for p in _sources(content)]


def _shift(day: Any, by: int) -> str:
    text = str(day)
    d = int(text[-2:])
    return text[:-2] + f"{d + by if 1 <= d + by <= 28 else d - by:02d}"


def add_meeting(content: Path, rng: random.Random) -> str:
    """A copy of a meeting under a new id, a few days earlier (no statements of its own)."""
    path, header, doc = rng.choice(_every_source(content))
    m = copy.deepcopy(rng.choice(doc["meetings"]))
    m["id"] = m["id"] + "-again"
    if any(x["id"] == m["id"] for x in doc["meetings"]):
        return "nothing"
    if isinstance(m["date"], dict):
        m["date"]["start"] = _shift(m["date"]["start"], -3)
    else:
        m["date"] = _shift(m["date"], -3)
    doc["meetings"].append(m)
    _save(path, header, doc)
    return f"meeting {m['id']} added"


def remove_statement(content: Path, rng: random.Random) -> str:
    path, header, doc = rng.choice(_every_source(content))
    if not doc.get("statements"):
        return "nothing"
    st = doc["statements"].pop(rng.randrange(len(doc["statements"])))
    _save(path, header, doc)
    return f"statement {st['id']} removed"


def add_statement(content: Path, rng: random.Random) -> str:
    """A statement copied under a new id, said by another participant of its meeting if any."""
    path, header, doc = rng.choice(_every_source(content))
    if not doc.get("statements"):
        return "nothing"
    st = copy.deepcopy(rng.choice(doc["statements"]))
    st["id"] = st["id"] + "-b"
    if any(x["id"] == st["id"] for x in doc["statements"]):
        return "nothing"
    meeting = next((m for m in doc["meetings"] if m["id"] == st["meeting"]), None)
    if meeting and meeting.get("participants"):
        st["speaker"] = {"person": rng.choice(meeting["participants"])["person"]}
    doc["statements"].append(st)
    _save(path, header, doc)
    return f"statement {st['id']} added"


def remove_participant(content: Path, rng: random.Random) -> str:
    """A participant who made no statement at the meeting leaves it."""
    path, header, doc = rng.choice(_every_source(content))
    m = rng.choice(doc["meetings"])
    spoke = {st["speaker"].get("person") for _, _, d in _every_source(content) for st in d.get("statements", [])
             if st["meeting"] == m["id"]}
    quiet = [p for p in m.get("participants", []) if p["person"] not in spoke]
    if not quiet:
        return "nothing"
    m["participants"].remove(rng.choice(quiet))
    _save(path, header, doc)
    return f"participant left {m['id']}"


def add_participant(content: Path, rng: random.Random) -> str:
    path, header, doc = rng.choice(_every_source(content))
    m = rng.choice(doc["meetings"])
    _, people = _load(content / "people.yaml")
    here = {p["person"] for p in m.get("participants", [])}
    others = [p["id"] for p in people["people"] if p["id"] not in here]
    m.setdefault("participants", []).append({"person": rng.choice(others), "side": rng.choice(m["parties"])})
    _save(path, header, doc)
    return f"participant joined {m['id']}"


def change_date(content: Path, rng: random.Random) -> str:
    path, header, doc = rng.choice(_every_source(content))
    m = rng.choice(doc["meetings"])
    if isinstance(m["date"], dict):
        m["date"]["start"] = _shift(m["date"]["start"], rng.choice([-1, -2, -6]))
    else:
        m["date"] = _shift(m["date"], -1)
    _save(path, header, doc)
    return f"date of {m['id']}"


def change_side(content: Path, rng: random.Random) -> str:
    path, header, doc = rng.choice(_every_source(content))
    m = rng.choice(doc["meetings"])
    if len(m["parties"]) < 2 or not m.get("participants"):
        return "nothing"
    p = rng.choice(m["participants"])
    p["side"] = next(s for s in m["parties"] if s != p["side"]) if p["side"] in m["parties"] else m["parties"][0]
    _save(path, header, doc)
    return f"side of {p['person']} at {m['id']}"


def change_role(content: Path, rng: random.Random) -> str:
    """A role starts later (or moves to another organization)."""
    path = content / "people.yaml"
    header, doc = _load(path)
    person = rng.choice([p for p in doc["people"] if p.get("roles")])
    role = rng.choice(person["roles"])
    if role.get("start") and rng.random() < 0.5:
        role["start"] = str(int(str(role["start"])[:4]) + 1) + str(role["start"])[4:]
    else:
        _, orgs = _load(content / "organizations.yaml")
        role["organization"] = rng.choice(orgs["organizations"])["id"]
    _save(path, header, doc)
    return f"role of {person['id']}"


def _rename(content: Path, old: str, new: str) -> None:
    for path in content.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for a, b in ((f": {old}\n", f": {new}\n"), (f"- {old}\n", f"- {new}\n")):
            text = text.replace(a, b)
        path.write_text(text, encoding="utf-8")


def rename_person(content: Path, rng: random.Random) -> str:
    """A person's id changes; the old one is kept in ``previous_ids``."""
    header, doc = _load(content / "people.yaml")
    person = rng.choice(doc["people"])
    old = person["id"]
    new = old + "-x"
    _rename(content, old, new)
    header, doc = _load(content / "people.yaml")
    entry = next(p for p in doc["people"] if p["id"] == new)
    entry["previous_ids"] = [*entry.get("previous_ids", []), old]
    _save(content / "people.yaml", header, doc)
    return f"person {old} renamed"


def remove_person(content: Path, rng: random.Random) -> str:
    """A person is removed, with their seats at meetings and their statements."""
    header, doc = _load(content / "people.yaml")
    gone = doc["people"].pop(rng.randrange(len(doc["people"])))
    _save(content / "people.yaml", header, doc)
    for path, h, d in _every_source(content):
        for m in d["meetings"]:
            m["participants"] = [p for p in m.get("participants", []) if p["person"] != gone["id"]]
        d["statements"] = [st for st in d.get("statements", []) if st["speaker"].get("person") != gone["id"]]
        _save(path, h, d)
    return f"person {gone['id']} removed"


EDITS: list[Callable[[Path, random.Random], str]] = [
    add_meeting, remove_statement, add_statement, remove_participant, add_participant, change_date,
    change_side, change_role, rename_person, remove_person]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    write_corpus(N, content, seed=6)
    return content


def _snapshot(content: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}


def _restore(content: Path, files: dict[Path, bytes]) -> None:
    for p in content.rglob("*"):
        if p.is_file() and p not in files:
            p.unlink()
    for p, data in files.items():
        p.write_bytes(data)


def test_structural_edits_are_rendered_selectively_and_exactly(corpus: Path, tmp_path: Path) -> None:
    docs, full = tmp_path / "docs", tmp_path / "full"
    _generate(corpus, docs)
    rng = random.Random(2206)
    todo = list(EDITS)  # every kind of edit once, in a random order, one or two at a time
    rng.shuffle(todo)
    applied: list[str] = []
    while todo:
        before = _snapshot(corpus)
        what = [todo.pop()(corpus, rng) for _ in range(min(len(todo), rng.choice([1, 2])))]
        try:
            said = _generate(corpus, docs)
        except ContentError:  # an edit the check refuses: undone
            _restore(corpus, before)
            _generate(corpus, docs)
            continue
        applied += what
        reached = [s for s in said if "reached by the edit" in s]
        assert len(reached) == 2, (what, said)  # both languages by the map, never a full render
        counts = [(int(s.split(": ")[1].split(" of ")[0]), int(s.split(" of ")[1].split()[0])) for s in reached]
        assert all(done < total for done, total in counts), (what, reached)
        _generate(corpus, full, reuse=False)
        assert _tree_diff(docs, full) == [], what
    assert len([w for w in applied if w != "nothing"]) >= 7, applied


def test_a_query_not_recorded_is_caught(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above can fail: with the corpus' lookups no longer recorded, a participant's
    new side leaves the pages that showed the old one stale."""
    from generator.publish import incremental
    import generator.render.figures.produce as produce

    monkeypatch.setattr(incremental, "note_query", lambda key: None)
    monkeypatch.setattr(incremental._RecordedMapping, "_one", lambda self, key: None)
    monkeypatch.setattr(produce, "note_query", lambda key: None)
    docs, full = tmp_path / "docs", tmp_path / "full"
    _generate(corpus, docs)
    what = change_side(corpus, random.Random(3))
    assert what != "nothing"
    _generate(corpus, docs)
    _generate(corpus, full, reuse=False)
    assert _tree_diff(docs, full) != []


def test_recorded_answers_are_the_same_in_every_process(corpus: Path, tmp_path: Path) -> None:
    """A digest must not depend on the process (say, on the order of a set of strings, which
    changes with the hash seed): the same content generated again in another process, with
    another hash seed, renders nothing."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO
    from tests.site.test_dependency_map import TEMPLATES

    code = ("import sys; from pathlib import Path; from generator.render.generate import generate\n"
            "generate(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), jobs=1, progress=print)\n")
    said = []
    for seed in ("1", "2"):
        proc = subprocess.run([sys.executable, "-c", code, str(corpus), str(TEMPLATES), str(tmp_path / "docs")],
                              env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)},
                              capture_output=True, text=True, check=True)
        said.append([line for line in proc.stdout.splitlines() if "reached by the edit" in line])
    assert said[0] == [] and len(said[1]) == 2, said
    assert all(": 0 of " in s and ", 0 of " in s for s in said[1]), said[1]


@pytest.mark.slow  # three renders of a 100-meeting corpus
def test_a_meeting_added_to_a_paged_topic_leaves_its_other_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A topic's part lists its own rows and reads only those (not the topic's whole list of
    meetings): a meeting added as a paged topic's newest leaves its older parts unrendered, and
    every file is what a full render writes. (With the parts reading the whole list, every part of
    the topic would be rendered again.)"""
    from generator.core.validate import load_and_check
    from generator.render.pages import Renderer
    from generator.render.plan import plan_pages

    content, docs, full = tmp_path / "content", tmp_path / "docs", tmp_path / "full"
    write_corpus(100, content, seed=6, parties=3)
    _generate(content, docs)
    corpus = load_and_check(content).corpus
    parts_of = Counter(p.subject for p in plan_pages(corpus, ("en",)) if p.kind == "topic" and p.paged)
    topic = max(parts_of, key=lambda t: (parts_of[t], t))
    newest = corpus.meetings_by_topic[topic][0]  # its copy (the same day, a later id): the topic's newest
    path, header, doc = next((p, h, d) for p, h, d in _every_source(content)
                             if any(m["id"] == newest.id for m in d.get("meetings") or []))
    m = copy.deepcopy(next(m for m in doc["meetings"] if m["id"] == newest.id))
    m["id"] += "-again"
    doc["meetings"].append(m)
    _save(path, header, doc)
    rendered: list[str] = []
    render = Renderer.render
    monkeypatch.setattr(Renderer, "render", lambda self, page: rendered.append(f"{page.lang}/{page.path}") or render(self, page))
    _generate(content, docs)
    parts = [f"en/{p.path}" for p in plan_pages(load_and_check(content).corpus, ("en",))
             if p.kind == "topic" and p.subject == topic]
    assert len(parts) > 2 and f"en/topics/{topic}.md" in rendered
    assert [p for p in parts if p not in rendered], (topic, parts)  # its older parts: not rendered again
    _generate(content, full, reuse=False)
    assert _tree_diff(docs, full) == []
