"""Permalinks: a previous id keeps working through a redirect page at the old address."""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

import pytest
import yaml

from generator.outputs.redirects import redirect_page
from tests.conftest import copy_project, run_cli

SOURCE = "content/sources/asharq-2025-12-24-russia-syria.yaml"
MEETING = "lavrov-shaibani-talks-2025-12-24"
STATEMENT = "lavrov-russia-committed-to-syrian-sovereignty"


def _refresh_target(page: str) -> str:
    m = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', page)
    assert m, page
    return html.unescape(m.group(1))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("redirects") / "project")
    src = project / SOURCE
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    for m in data["meetings"]:
        if m["id"] == MEETING:
            m["previous_ids"] = ["lavrov-shaibani-moscow-talks"]
    for s in data["statements"]:
        if s["id"] == STATEMENT:
            s["previous_ids"] = ["lavrov-sovereignty"]
    src.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    people = project / "content" / "people.yaml"
    pdata = yaml.safe_load(people.read_text(encoding="utf-8"))
    pdata["people"][1]["previous_ids"] = ["sergei-lavrov", "s-lavrov"]
    assert pdata["people"][1]["id"] == "sergey-lavrov"
    people.write_text(yaml.safe_dump(pdata, allow_unicode=True, sort_keys=False), encoding="utf-8")
    proc = run_cli("build", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project / "site"


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("folder,old,new", [("meetings", "lavrov-shaibani-moscow-talks", MEETING),
                                             ("people", "sergei-lavrov", "sergey-lavrov"),
                                             ("people", "s-lavrov", "sergey-lavrov")])
def test_old_url_redirects_to_the_new_page(built: Path, prefix: str, folder: str, old: str, new: str) -> None:
    old_page = built / prefix / folder / old / "index.html"
    assert old_page.is_file()
    page = old_page.read_text(encoding="utf-8")
    target = _refresh_target(page)
    assert not target.startswith(("/", "http")), "relative, so the site works under a subpath"
    resolved = posixpath.normpath(posixpath.join(f"{prefix}{folder}/{old}", target))
    assert resolved == f"{prefix}{folder}/{new}".rstrip("/")
    assert (built / resolved / "index.html").is_file()
    assert f'<link rel="canonical" href="{target}">' in page
    assert f'<a href="{target}">' in page  # a visible link too
    assert f'lang="{prefix[:-1] or "ar"}"' in page


def test_statement_previous_id_has_no_page(built: Path) -> None:
    assert not (built / "meetings" / "lavrov-sovereignty").exists()


def test_redirect_page_is_escaped_and_canonical_is_absolute_with_site_url() -> None:
    page = redirect_page("en", "people", "sergey-lavrov", '<b>"Lavrov"</b> & co', "https://example.org/sub/")
    assert '<link rel="canonical" href="https://example.org/sub/en/people/sergey-lavrov/">' in page
    assert 'url=../sergey-lavrov/"' in page
    assert "<b>" not in page and "&lt;b&gt;&quot;Lavrov&quot;&lt;/b&gt; &amp; co" in page


def test_reused_previous_id_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    people = project / "content" / "people.yaml"
    pdata = yaml.safe_load(people.read_text(encoding="utf-8"))
    pdata["people"][1]["previous_ids"] = ["vladimir-putin"]
    people.write_text(yaml.safe_dump(pdata, allow_unicode=True, sort_keys=False), encoding="utf-8")
    proc = run_cli("check", "content", cwd=project)
    assert proc.returncode == 1 and "id-reused" in proc.stdout + proc.stderr

