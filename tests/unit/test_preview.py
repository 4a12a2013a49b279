"""Live preview (generator/publish/preview.py): one save, one rebuild; editor litter ignored; the server
shows the last good site with the reload script, or an escaped error page in the page's language.

The preview is driven in this process with a recording build function (the site tool itself is
exercised by tests/browser/test_preview.py, which runs `factsheets serve --watch` for real)."""

from __future__ import annotations

import json
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.errors import ContentError, Diagnostic, FactsheetsError
from generator.core.loader import FileCache, load_content, reusing
from generator.publish.preview import SEARCH_PENDING, VERSION_PATH, Preview, Watcher, is_editor_litter, snapshot
from tests.conftest import REPO

HANG_GUARD = 60  # seconds: only against a hang, never a measure of speed


class Recorder:
    """A build function recording, per build, which files the preview said had changed."""

    def __init__(self) -> None:
        self.builds: list[list[str]] = []
        self.changes: list[str] = []
        self.done = threading.Condition()
        self.fail: Exception | None = None

    def log(self, msg: str) -> None:
        if msg.startswith("changed: "):
            self.changes = msg.removeprefix("changed: ").split(", ")

    def __call__(self) -> int:
        with self.done:
            self.builds.append([os.path.basename(p) for p in self.changes])
            self.changes = []
            self.done.notify_all()
        if self.fail is not None:
            raise self.fail
        return 1

    def wait_for(self, count: int) -> None:
        with self.done:
            assert self.done.wait_for(lambda: len(self.builds) >= count, timeout=HANG_GUARD), self.builds


@pytest.fixture()
def watched(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    (folder / "sources").mkdir(parents=True)
    (folder / "people.yaml").write_text("people: []\n", encoding="utf-8")
    (folder / "sources" / "a.yaml").write_text("id: a\n", encoding="utf-8")
    return folder


def start(watched: Path, site: Path, recorder: Recorder, templates: Path = REPO / "templates") -> Preview:
    preview = Preview(site, templates, [watched], recorder, log=recorder.log, interval=0.05, quiet=0.3)
    threading.Thread(target=preview.watch_forever, daemon=True).start()
    wait_version(preview, 1)  # the first build, at start
    return preview


def wait_version(preview: Preview, version: int) -> None:
    """Until the build numbered ``version`` is finished and published."""
    done = threading.Event()
    for _ in range(int(HANG_GUARD / 0.05)):
        if preview.current().version >= version:
            return
        done.wait(0.05)
    raise AssertionError(f"build {version} never finished: {preview.current()}")


def editor_save(path: Path, text: str) -> None:
    """A save the way Vim and many editors do it: a write test file, a backup, a temporary
    file written then renamed over the original, a swap file touched."""
    folder = path.parent
    (folder / "4913").write_text("", encoding="utf-8")
    (folder / "4913").unlink()
    (folder / (path.name + "~")).write_bytes(path.read_bytes())
    tmp = folder / f".{path.name}.tmp"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    (folder / f".{path.name}.swp").write_bytes(b"swap")


def test_editor_litter_names() -> None:
    for name in (".#a.yaml", "a.yaml~", ".a.yaml.swp", "a.yaml.swp", "a.swo", "4913", "#a.yaml#",
                 ".DS_Store", "a.yaml___jb_tmp___", "a.yaml.tmp"):
        assert is_editor_litter(name), name
    for name in ("a.yaml", "4914", "people.yaml", "brief.md"):
        assert not is_editor_litter(name), name


def test_snapshot_leaves_litter_and_hidden_folders_out(watched: Path) -> None:
    (watched / ".git").mkdir()
    (watched / ".git" / "HEAD").write_text("x", encoding="utf-8")
    (watched / "sources" / ".#a.yaml").write_text("lock", encoding="utf-8")
    (watched / "sources" / "a.yaml~").write_text("old", encoding="utf-8")
    names = sorted(os.path.relpath(p, watched) for p in snapshot([watched]))
    assert names == ["people.yaml", os.path.join("sources", "a.yaml")]


def test_watcher_reports_a_burst_once_and_stops(watched: Path) -> None:
    watcher = Watcher([watched], interval=0.05, quiet=0.3)
    stop = threading.Event()
    editor_save(watched / "sources" / "a.yaml", "id: a\nx: 1\n")
    assert watcher.wait(stop) == [str(watched / "sources" / "a.yaml")]
    threading.Timer(1.0, stop.set).start()
    assert watcher.wait(stop) is None  # nothing more happened: no second report


def test_one_save_is_one_rebuild(watched: Path, tmp_path: Path) -> None:
    recorder = Recorder()
    preview = start(watched, tmp_path / "site", recorder)
    try:
        editor_save(watched / "sources" / "a.yaml", "id: a\nsummary: changed\n")
        recorder.wait_for(2)
        # a second, different save: had the first one caused two builds, the second build
        # here would list a.yaml again instead of people.yaml
        editor_save(watched / "people.yaml", "people: [x]\n")
        recorder.wait_for(3)
        assert recorder.builds == [[], ["a.yaml"], ["people.yaml"]]
        assert preview.current().builds == 3 and preview.current().ok is True
    finally:
        preview.close()


def test_litter_alone_triggers_no_rebuild(watched: Path, tmp_path: Path) -> None:
    recorder = Recorder()
    preview = start(watched, tmp_path / "site", recorder)
    try:
        src = watched / "sources"
        for name in (".#a.yaml", "a.yaml~", ".a.yaml.swp", "4913", "#a.yaml#", ".DS_Store", "a.yaml.swx"):
            (src / name).write_text("litter", encoding="utf-8")
        (src / ".hidden").mkdir()
        (src / ".hidden" / "b.yaml").write_text("x", encoding="utf-8")
        (watched / "people.yaml").write_text("people: [y]\n", encoding="utf-8")  # the one real change
        recorder.wait_for(2)
        assert recorder.builds == [[], ["people.yaml"]]
    finally:
        preview.close()


# -- the server ---------------------------------------------------------------------------------

def fetch(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=HANG_GUARD) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode("utf-8")


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "en" / "meetings" / "m").mkdir(parents=True)
    page = "<!doctype html><html><head><title>{t}</title></head><body><p>{t}</p></body></html>"
    (site / "index.html").write_text(page.format(t="الرئيسية"), encoding="utf-8")
    (site / "404.html").write_text(page.format(t="ar-404"), encoding="utf-8")
    (site / "en" / "404.html").write_text(page.format(t="en-404"), encoding="utf-8")
    (site / "en" / "meetings" / "m" / "index.html").write_text(page.format(t="Meeting M"), encoding="utf-8")
    (site / "style.css").write_text("p{}", encoding="utf-8")
    return site


@pytest.fixture()
def served(watched: Path, site: Path) -> Iterator[tuple[Preview, Recorder, str]]:
    recorder = Recorder()
    preview = start(watched, site, recorder)
    url = preview.start_server(0)
    yield preview, recorder, url
    preview.close()


def test_pages_get_the_reload_script_when_served_never_on_disk(served, site: Path) -> None:
    _preview, _recorder, url = served
    status, ctype, body = fetch(url + "en/meetings/m/")
    assert status == 200 and ctype.startswith("text/html") and "Meeting M" in body
    assert VERSION_PATH in body and "var v=1;" in body and body.index("var v=1") < body.index("</body>")
    assert VERSION_PATH not in (site / "en" / "meetings" / "m" / "index.html").read_text(encoding="utf-8")
    status, _ctype, css = fetch(url + "style.css")
    assert (status, css) == (200, "p{}")  # assets as they are
    status, _ctype, body = fetch(url + "en/no-such-page/")
    assert status == 404 and "en-404" in body and VERSION_PATH in body
    assert json.loads(fetch(url + VERSION_PATH.lstrip("/"))[2]) == {"version": 1, "builds": 1, "ok": True,
                                                                     "search": "ready"}


def test_a_failed_build_serves_escaped_diagnostics_in_the_page_language(served, watched: Path) -> None:
    preview, recorder, url = served
    recorder.fail = ContentError([
        Diagnostic("content/sources/a.yaml", 12, 5, "ref-unknown", "unknown topic '<script>alert(1)</script>'",
                   "did you mean 'bilateral-cooperation'?"),
    ])
    (watched / "people.yaml").write_text("people: [z]\n", encoding="utf-8")
    wait_version(preview, 2)
    assert json.loads(fetch(url + VERSION_PATH.lstrip("/"))[2]) == {"version": 2, "builds": 2, "ok": False,
                                                                     "search": "ready"}
    status, _ctype, en = fetch(url + "en/meetings/m/")
    assert status == 500 and '<html lang="en" dir="ltr">' in en and "The site could not be built" in en
    assert ("content/sources/a.yaml:12:5: error[ref-unknown]: unknown topic "
            "&#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;") in en
    assert "<script>alert" not in en and "did you mean &#x27;bilateral-cooperation&#x27;?" in en
    assert 'dir="ltr"' in en.split("<ol", 1)[1][:40]
    status, _ctype, ar = fetch(url)
    assert status == 500 and '<html lang="ar" dir="rtl">' in ar and "تعذّر بناء الموقع" in ar
    assert "content/sources/a.yaml:12:5" in ar and "var v=2;" in ar
    assert fetch(url + "style.css")[:1] == (200,)  # assets stay available

    recorder.fail = FactsheetsError("MkDocs failed: <boom>")  # a failure that is not about content
    (watched / "people.yaml").write_text("people: [w]\n", encoding="utf-8")
    wait_version(preview, 3)
    assert "MkDocs failed: &lt;boom&gt;" in fetch(url + "en/")[2]

    recorder.fail = None  # fixed: the site is back
    (watched / "people.yaml").write_text("people: []\n", encoding="utf-8")
    wait_version(preview, 4)
    status, _ctype, body = fetch(url + "en/meetings/m/")
    assert status == 200 and "Meeting M" in body and "var v=4;" in body


def test_broken_catalog_falls_back_to_english_text(served, tmp_path: Path, watched: Path, site: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "i18n").mkdir(parents=True)
    (templates / "i18n" / "ar.yaml").write_text("key: [unclosed\n", encoding="utf-8")
    recorder = Recorder()
    recorder.fail = ContentError([Diagnostic("templates/i18n/ar.yaml", 1, 6, "yaml-syntax", "bad YAML")])
    preview = start(watched, site, recorder, templates=templates)
    url = preview.start_server(0)
    try:
        status, _ctype, body = fetch(url)
        assert status == 500 and "The site could not be built" in body and "error[yaml-syntax]" in body
    finally:
        preview.close()


def test_serve_watch_refuses_a_port_in_use(served, tmp_path: Path) -> None:
    from tests.conftest import run_cli

    _preview, _recorder, url = served
    port = url.rsplit(":", 1)[1].strip("/")
    proc = run_cli("serve", "--watch", "--port", port, cwd=REPO, timeout=HANG_GUARD)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"cannot serve on 127.0.0.1:{port}" in proc.stderr and "Traceback" not in proc.stderr


# -- a warm preview: content re-read only where it changed; search indexed after serving ------------

def _loaded_view(loaded) -> tuple:
    """Everything a load gives the check, comparable."""
    entities = {kind: [(e.model_dump(), e._origin) for e in items] for kind, items in loaded.entities.items()}
    docs = {name: (doc.data, doc.values, doc.keys) for name, doc in loaded.docs.items()}
    return entities, docs, sorted(loaded.broken_ids), loaded.diagnostics


def test_file_cache_rereads_only_changed_files_and_loads_the_same(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "content"
    shutil.copytree(REPO / "content", root)
    cache = FileCache()
    with reusing(cache):
        first = load_content(root)
    files = cache.read
    assert files >= 4 and cache.reused == 0
    assert _loaded_view(first) == _loaded_view(load_content(root))
    with reusing(cache):
        load_content(root)
    assert (cache.read, cache.reused) == (0, files)  # nothing changed: nothing read

    source = next((root / "sources").glob("*.yaml"))
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("bilateral cooperation", "cached-edit cooperation", 1), encoding="utf-8")
    with reusing(cache):
        edited = load_content(root)
    assert (cache.read, cache.reused) == (1, files - 1)
    assert _loaded_view(edited) == _loaded_view(load_content(root))
    assert "cached-edit cooperation" in json.dumps(_loaded_view(edited)[0], ensure_ascii=False, default=str)

    source.write_text(text + "statements: [\n", encoding="utf-8")  # a bad save: its problems, as a fresh load has them
    with reusing(cache):
        broken = load_content(root)
    assert broken.diagnostics and _loaded_view(broken) == _loaded_view(load_content(root))

    source.write_text(text, encoding="utf-8")
    (root / "topics.yaml").unlink()  # a removed file is gone from the next load
    with reusing(cache):
        removed = load_content(root)
    assert (cache.read, cache.reused) == (1, files - 2)
    assert _loaded_view(removed) == _loaded_view(load_content(root))
    with reusing(cache):
        load_content(root)
    assert (cache.read, cache.reused) == (0, files - 1)
    assert _loaded_view(load_content(root)) == _loaded_view(removed)


class FakeIndexer:
    def __init__(self) -> None:
        self.started: list = []
        self.cancelled = 0

    def start(self, done) -> None:
        self.started.append(done)

    def cancel(self) -> None:
        self.cancelled += 1


def test_search_is_pending_after_a_build_until_the_index_is_done(watched: Path, site: Path) -> None:
    recorder, indexer = Recorder(), FakeIndexer()
    preview = Preview(site, REPO / "templates", [watched], recorder, log=recorder.log, interval=0.05, quiet=0.3,
                      indexer=indexer)  # type: ignore[arg-type]
    threading.Thread(target=preview.watch_forever, daemon=True).start()
    try:
        wait_version(preview, 1)
        url = preview.start_server(0)
        assert (indexer.cancelled, len(indexer.started)) == (1, 1)  # stopped before the build, started after it
        assert json.loads(fetch(url + VERSION_PATH.lstrip("/"))[2])["search"] == "pending"
        _status, _ctype, body = fetch(url + "en/meetings/m/")
        assert json.dumps(SEARCH_PENDING["en"]) in body and "fs-search-input" in body
        _status, _ctype, body = fetch(url)
        assert json.dumps(SEARCH_PENDING["ar"]) in body
        indexer.started[0](True, "search index updated in 1.0s")
        assert json.loads(fetch(url + VERSION_PATH.lstrip("/"))[2]) == {"version": 1, "builds": 1, "ok": True,
                                                                         "search": "ready"}
        (watched / "people.yaml").write_text("people: [z]\n", encoding="utf-8")
        wait_version(preview, 2)
        assert (indexer.cancelled, len(indexer.started)) == (2, 2)
        assert preview.current().search == "pending"
        recorder.fail = ContentError([Diagnostic("content/people.yaml", 1, 1, "type", "broken")])
        (watched / "people.yaml").write_text("people: [zz]\n", encoding="utf-8")
        wait_version(preview, 3)
        assert len(indexer.started) == 2  # a failed build starts no indexing
    finally:
        preview.close()


def test_the_search_index_copy_is_hard_links_without_skipped_names(tmp_path: Path) -> None:
    """What the background indexer gives Pagefind: each stale shard's pages hard-linked into a work
    folder (a build swapping the site in meanwhile cannot change them), without the other
    language's site and the search bundles."""
    from generator.publish import search

    src = tmp_path / "site"
    for rel in ("index.html", "meetings/m/index.html", "en/index.html", "pagefind/x.html", "pagefind-shards/01/y.html"):
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(rel, encoding="utf-8")
    plan = search.Plan.make("ar", src, ["en"], None, src)
    assert plan.shards == [["index.html", "meetings/m/index.html"]] and plan.stale == [0]
    view = plan.view(0, tmp_path / "copy")
    copied = sorted(p.relative_to(view).as_posix() for p in view.rglob("*") if p.is_file())
    assert copied == ["index.html", "meetings/m/index.html"]
    assert (view / "index.html").stat().st_ino == (src / "index.html").stat().st_ino


def test_check_of_unchanged_records_is_remembered_and_finds_what_a_fresh_check_finds(tmp_path: Path) -> None:
    """The preview's check skips the per-record checks (quotes, stances, translations, placeholders) of
    records loaded unchanged: what it reports must be what a check without the cache reports."""
    import shutil

    from generator.core.validate import check

    def view(checked) -> tuple:
        c = checked.corpus
        return checked.diagnostics, dict(c.spans), dict(c.word_spans)

    root = tmp_path / "content"
    shutil.copytree(REPO / "content", root)
    cache = FileCache()
    with reusing(cache):
        first = check(load_content(root))
    assert view(first) == view(check(load_content(root)))
    assert cache.checks["quotes"] and cache.checks["text"]
    remembered = {k: dict(v) for k, v in cache.checks.items()}
    with reusing(cache):
        again = check(load_content(root))
    assert view(again) == view(first)
    for name, entries in remembered.items():  # every result reused as it was, none worked out again
        assert all(cache.checks[name][i][1] is result for i, (_objs, result) in entries.items()), name

    source = root / "sources" / "asharq-2025-12-24-russia-syria.yaml"
    text = source.read_text(encoding="utf-8")
    edited = (text.replace('exact: "أكدت موسكو ودمشق، الأربعاء، أهمية تعزيز التعاون الثنائي"',
                           'exact: "جملة لا ترد في المقال أبدا"', 1)
              .replace('      en: "', '      en: "[translate] ', 1))
    assert edited != text
    source.write_text(edited, encoding="utf-8")
    with reusing(cache):
        changed = check(load_content(root))
    fresh = check(load_content(root))
    assert view(changed) == view(fresh)
    codes = {d.code for d in changed.diagnostics}
    assert {"quote-not-found", "placeholder"} <= codes and not {"quote-not-found", "placeholder"} & {d.code for d in first.diagnostics}

    source.write_text(text.replace("stance: affirms", "stance: condemns", 1), encoding="utf-8")  # the stance check
    with reusing(cache):
        stance = check(load_content(root))
    assert view(stance) == view(check(load_content(root)))
    assert "stance-verb-mismatch" in {d.code for d in stance.diagnostics} - {d.code for d in first.diagnostics}

    source.write_text(text, encoding="utf-8")  # and back: the problems go
    with reusing(cache):
        back = check(load_content(root))
    assert view(back) == view(first)
