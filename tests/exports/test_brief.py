"""`factsheets brief`: ready-to-paste snippets with permalinks, three formats, clear errors."""

from __future__ import annotations

import html
import re
from dataclasses import fields
from html.parser import HTMLParser

import pytest

from generator.brief import brief
from generator.corpus import Corpus
from generator.errors import UsageError
from tests.conftest import REPO, run_cli

MEETING = "lavrov-shaibani-talks-2025-12-24"
STATEMENT = "shaibani-looks-forward-to-frank-discussions"
PERSON = "sergey-lavrov"
TOPIC = "syrian-sovereignty"
ORG = "syria-mfa"
SOURCE = "asharq-2025-12-24-russia-syria"
URL = "https://example.org/facts/"


def cli(*args: str):
    return run_cli("brief", *args, "--content", str(REPO / "content"), cwd=REPO)


@pytest.mark.parametrize("fmt", ["md", "html", "text"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_meeting(corpus: Corpus, fmt: str, lang: str) -> None:
    proc = cli(MEETING, "--lang", lang, "--format", fmt, "--site-url", URL)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    prefix = URL + ("en/" if lang == "en" else "")
    m = corpus.meetings[MEETING]
    assert f"{prefix}meetings/{MEETING}/" in out
    assert m.location.get(lang) in out
    assert ("2025" in out) and ("December" in out if lang == "en" else "ديسمبر" in out)
    for p in m.participants:
        assert corpus.people[p.person].name.get(lang) in html.unescape(out)
    assert re.search(rf"{re.escape(prefix)}meetings/{MEETING}/#[a-z0-9-]+", out)  # key positions, linked
    if fmt != "html":
        assert 2 <= len(out.strip().splitlines()) <= 4


def test_meeting_lines_md(corpus: Corpus) -> None:
    out = brief(corpus, [MEETING], lang="en", fmt="md")
    head, *rest = out.strip().splitlines()
    assert head.startswith(f"[{corpus.meetings[MEETING].title.en.replace('-', '-')}](<en/meetings/{MEETING}/>)")
    assert rest[0].startswith("- Participants: ")
    assert all(line.startswith("- ") for line in rest)


@pytest.mark.parametrize("fmt", ["md", "html", "text"])
def test_statement(corpus: Corpus, fmt: str) -> None:
    proc = cli(STATEMENT, "--lang", "en", "--format", fmt)
    assert proc.returncode == 0, proc.stderr
    st = corpus.statements[STATEMENT]
    out = html.unescape(proc.stdout)
    assert st.summary.en in out and st.words.ar in out and st.words.en in out
    assert f"en/meetings/{st.meeting}/#{STATEMENT}" in out  # relative to the site root without a site URL
    assert "https://" not in out


@pytest.mark.parametrize("ident,kind", [(PERSON, "people"), (TOPIC, "topics"), (ORG, "organizations")])
@pytest.mark.parametrize("fmt", ["md", "html", "text"])
def test_latest_positions(corpus: Corpus, ident: str, kind: str, fmt: str) -> None:
    proc = cli(ident, "--format", fmt, "--lang", "ar", "--site-url", URL)
    assert proc.returncode == 0, proc.stderr
    table = {"people": corpus.statements_by_person, "topics": corpus.statements_by_topic,
             "organizations": corpus.statements_by_org}[kind]
    newest = corpus.newest_first(table[ident])[:3]
    out = proc.stdout
    assert f"{URL}{kind}/{ident}/" in out
    links = re.findall(rf"{re.escape(URL)}meetings/[a-z0-9-]+/#([a-z0-9-]+)", out)
    assert links == [st.id for st in newest]
    assert "أحدث المواقف" in out


def test_source_and_several_ids(corpus: Corpus) -> None:
    proc = cli(SOURCE, PERSON, "--lang", "en", "--format", "text")
    assert proc.returncode == 0
    assert corpus.sources[SOURCE].headline in proc.stdout and f"en/people/{PERSON}/" in proc.stdout
    assert proc.stdout.count("\n\n") == 1


def test_unknown_id_names_the_closest() -> None:
    proc = cli("sergey-lavrow")
    assert proc.returncode == 2
    assert "unknown id 'sergey-lavrow'" in proc.stderr and "did you mean 'sergey-lavrov'" in proc.stderr
    assert proc.stdout == "" and "Traceback" not in proc.stderr


def test_unknown_id_among_good_ones_prints_nothing() -> None:
    proc = cli(MEETING, "no-such-thing")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "unknown id 'no-such-thing'" in proc.stderr


def test_usage_errors_exit_2() -> None:
    assert cli().returncode == 2  # no id
    assert cli(MEETING, "--format", "pdf").returncode == 2
    assert cli(MEETING, "--lang", "fr").returncode == 2


def test_bad_content_exits_1(tmp_path) -> None:
    (tmp_path / "bad.yaml").write_text("people:\n  - id: Bad Id\n", encoding="utf-8")
    proc = run_cli("brief", "x", "--content", str(tmp_path), cwd=REPO)
    assert proc.returncode == 1 and "id-format" in proc.stdout + proc.stderr


def test_previous_id_resolves(corpus: Corpus) -> None:
    c2 = Corpus(**{**{f.name: getattr(corpus, f.name) for f in fields(Corpus)}, "redirects": {"s-lavrov": PERSON}})
    assert brief(c2, ["s-lavrov"], fmt="text") == brief(corpus, [PERSON], fmt="text")
    with pytest.raises(UsageError, match="did you mean"):
        brief(corpus, ["s-lavrov"])


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_escapes_every_value(corpus: Corpus) -> None:
    evil = '<script>alert("x")</script> & <img src=x onerror=1>'
    st = corpus.statements[STATEMENT]
    bad_st = st.model_copy(update={"summary": st.summary.model_copy(update={"en": evil}),
                                   "words": st.words.model_copy(update={"en": evil})})
    p = corpus.people["asaad-al-shaibani"]
    bad_p = p.model_copy(update={"name": p.name.model_copy(update={"en": evil})})
    c2 = Corpus(**{**{f.name: getattr(corpus, f.name) for f in fields(Corpus)},
                   "statements": {**corpus.statements, STATEMENT: bad_st},
                   "people": {**corpus.people, p.id: bad_p}})
    for ident in (STATEMENT, MEETING, "asaad-al-shaibani"):
        out = brief(c2, [ident], lang="en", fmt="html", site_url='https://e.org/"><script>/')
        parser = _Collect()
        parser.feed(out)
        assert set(parser.tags) <= {"div", "p", "ul", "li", "a", "strong", "q"}, parser.tags
        assert "<script" not in out and "<img" not in out
        assert evil in "".join(parser.text)
    md = brief(c2, [STATEMENT], lang="en", fmt="md")
    assert "<script>" not in md and "\\<script\\>" in md
