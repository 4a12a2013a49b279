"""Issue 20: --headline, the outlet error's registry YAML, the candidates' registry YAML, ranges."""

from __future__ import annotations

from datetime import date

import yaml

from generator.intake.dates import find_dates
from generator.intake.pipeline import new_article
from tests.intake.accuracy import ARTICLES
from tests.intake.conftest import run


def test_headline_option(tmp_path, registries):
    out = run("new", str(ARTICLES / "01-lede-no-headline.txt"), "--published", "2025-12-24", "--outlet", "asharq",
              "--headline", "لافروف: مباحثات مثمرة مع الشيباني", "--content", str(registries))
    assert out.returncode == 0, out.stderr
    data = yaml.safe_load(next((registries / "sources").glob("*.yaml")).read_text(encoding="utf-8"))
    assert data["source"]["headline"] == "لافروف: مباحثات مثمرة مع الشيباني"
    assert data["source"]["text"][0].startswith("صرح وزير الخارجية الروسي")     # the lede stays in the body
    assert len(data["source"]["text"]) == 3


def test_no_headline_is_a_placeholder(tmp_path, registries):
    result = new_article(ARTICLES / "02-dateline-first.txt", content_dir=registries, published=date(2025, 12, 24),
                         outlet="asharq")
    data = yaml.safe_load(result.path.read_text(encoding="utf-8"))
    assert data["source"]["headline"] == "[غير معروف]" and data["source"]["dateline"]["text"] == "دمشق - وكالات"
    assert any("--headline" in n for n in data["source"]["review"])


def test_unregistered_outlet_shows_the_yaml(tmp_path, registries):
    article = tmp_path / "a.txt"
    article.write_text("عنوان الخبر\nالقاهرة - وكالة النيل\nقال الشيباني إن اللقاء كان مثمراً.\n", encoding="utf-8")
    out = run("new", str(article), "--published", "2025-12-24", "--content", str(registries))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "organizations.yaml" in out.stderr
    snippet = out.stderr[out.stderr.index("    - id:"):]
    entry = yaml.safe_load("\n".join(line[4:] for line in snippet.splitlines()))[0]
    assert entry["name"]["ar"] == "وكالة النيل" and entry["kind"] == "news-outlet"
    out = run("new", str(article), "--published", "2025-12-24", "--outlet", "nile-news", "--content", str(registries))
    assert out.returncode == 2 and "id: nile-news" in out.stderr


def test_candidates_as_registry_yaml(tmp_path, registries):
    result = new_article(ARTICLES / "03-unknown-counterpart.txt", content_dir=registries,
                         published=date(2025, 12, 24), outlet="asharq")
    proposal = yaml.safe_load(result.proposal)
    assert [o["id"] for o in proposal["organizations"]] == ["turkey"]           # the state is not registered
    person = proposal["people"][0]
    assert person["name"]["ar"] == "هاكان فيدان" and person["name"]["en"].startswith("[translate")
    assert person["roles"][0]["title"]["ar"] == "وزير الخارجية التركي"
    assert person["roles"][0]["organization"] == "turkey" and person["review"]
    # pasted as is, the registries load: the review notes and placeholders keep them from --strict
    (registries / "people.yaml").write_text((registries / "people.yaml").read_text(encoding="utf-8") + "\n" + "\n".join(
        line for line in yaml.safe_dump({"people": proposal["people"]}, allow_unicode=True).splitlines()[1:]) + "\n",
        encoding="utf-8")
    (registries / "extra.yaml").write_text(yaml.safe_dump({"organizations": proposal["organizations"]},
                                                          allow_unicode=True), encoding="utf-8")
    checked = run("check", str(registries))
    assert "error[" not in checked.stdout.replace("error[placeholder]", ""), checked.stdout


def test_ranges_and_background():
    found = find_dates([("عقد المؤتمر من 3 إلى 5 ديسمبر في جنيف.", False),
                        ("وكان الوزير قد زار أنقرة الأحد الماضي.", False)], date(2025, 12, 24))
    assert [(d.date, d.end, d.background) for d in found] == [
        (date(2025, 12, 3), date(2025, 12, 5), False), (date(2025, 12, 21), None, True)]
