"""exports/statements.csv: one row per statement, both languages, with provenance and permalinks."""

from __future__ import annotations

import csv
import io
from dataclasses import fields

from generator.core.corpus import Corpus
from generator.outputs.exports import CSV_COLUMNS, statements_csv
from tests.conftest import BuiltSite

REQUIRED = ["id", "meeting", "date", "speaker_ids", "speaker_names_ar", "speaker_names_en", "side", "stance",
            "mode", "topics", "summary_ar", "summary_en", "words_ar", "words_en", "source", "outlet", "published",
            "paragraph", "start", "end", "exact", "permalink"]


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_columns_and_one_row_per_statement(corpus: Corpus) -> None:
    text = statements_csv(corpus)
    assert text.startswith("\ufeff")  # the byte-order mark spreadsheet programs look for
    header = next(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert header == list(CSV_COLUMNS) and header[: len(REQUIRED)] == REQUIRED
    data = rows(text)
    assert sorted(r["id"] for r in data) == sorted(corpus.statements)


def test_values_match_the_model(corpus: Corpus) -> None:
    for r in rows(statements_csv(corpus)):
        st = corpus.statements[r["id"]]
        m = corpus.meetings[st.meeting]
        span = corpus.spans[st.id]
        assert r["meeting"] == m.id and r["date"] == m.date.start.isoformat()
        assert r["summary_ar"] == st.summary.ar and r["summary_en"] == st.summary.en
        assert r["words_ar"] == ((st.words.ar or "") if st.words else "")
        assert r["side"] == corpus.sides[st.id]
        assert r["topics"].split(";") == st.topics or (r["topics"] == "" and not st.topics)
        assert (int(r["paragraph"]), int(r["start"]), int(r["end"])) == (span.paragraph, span.start, span.end)
        assert r["exact"] == st.provenance.exact
        src = corpus.sources[st.provenance.source]
        block = src.text[span.paragraph - 1]
        assert isinstance(block, str) and block[span.start:span.end]
        assert r["source"] == src.id and r["outlet"] == src.outlet and r["published"] == src.published.isoformat()
        assert r["permalink"] == f"meetings/{m.id}/#st-{st.id}"
        assert r["permalink_en"] == f"en/meetings/{m.id}/#st-{st.id}"
        ids = r["speaker_ids"].split(";")
        assert len(ids) == len(r["speaker_names_ar"].split(";")) == len(r["speaker_names_en"].split(";"))


def test_absolute_permalinks_with_site_url(corpus: Corpus) -> None:
    r = rows(statements_csv(corpus, "https://example.org/facts/"))[0]
    assert r["permalink"].startswith("https://example.org/facts/meetings/")
    assert r["permalink_en"].startswith("https://example.org/facts/en/meetings/")


def test_quotes_commas_and_newlines_survive(corpus: Corpus) -> None:
    sid = next(iter(sorted(corpus.statements)))
    st = corpus.statements[sid]
    tricky = st.model_copy(update={"summary": st.summary.model_copy(update={"en": 'a, "b"\nc =1+1'})})
    c2 = Corpus(**{**{f.name: getattr(corpus, f.name) for f in fields(Corpus)},
                   "statements": {**corpus.statements, sid: tricky}})
    got = {r["id"]: r for r in rows(statements_csv(c2))}
    assert got[sid]["summary_en"] == 'a, "b"\nc =1+1'


def test_built_csv_permalinks_resolve(example_site: BuiltSite, corpus: Corpus) -> None:
    text = (example_site.site / "exports" / "statements.csv").read_text(encoding="utf-8")
    for r in rows(text):
        for col in ("permalink", "permalink_en"):
            path, anchor = r[col].split("#")
            page = (example_site.site / path / "index.html").read_text(encoding="utf-8")
            assert f'id="{anchor}"' in page, (col, r[col])


def test_formulas_are_neutralized() -> None:
    from generator.outputs.exports import _cell

    assert [_cell(v) for v in ("=HYPERLINK(1)", "+1", "-2", "@x", "plain", 3)] == ["'=HYPERLINK(1)", "'+1", "'-2", "'@x", "plain", 3]
