"""Issue #9: the GitHub Actions workflow that publishes the site (checked offline, as data)."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from tests.conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def wf() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(job: dict) -> list[dict]:
    return job["steps"]


def uses(job: dict, action: str) -> dict:
    found = [s for s in steps(job) if s.get("uses", "").startswith(action + "@")]
    assert len(found) == 1, f"{action} used {len(found)} times"
    return found[0]


def test_triggers(wf: dict) -> None:
    assert wf["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in wf["on"] and "pull_request" in wf["on"]


def test_official_actions_at_major_version_tags(wf: dict) -> None:
    for name, job in wf["jobs"].items():
        for step in steps(job):
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), (name, step["uses"])


def test_build_job_builds_for_the_pages_address_and_uploads_site(wf: dict) -> None:
    job = wf["jobs"]["build"]
    assert job["permissions"]["pages"] == "write" and job["permissions"]["id-token"] == "write"
    assert "concurrency" in job
    assert uses(job, "actions/setup-python")["with"]["python-version"] == "3.11"
    names = [s.get("uses", s.get("run", "")).split("@")[0] for s in steps(job)]
    order = ["actions/checkout", "actions/setup-python", "actions/configure-pages", "scripts/build-example",
             "actions/upload-pages-artifact"]
    assert [n for n in names if n in order] == order
    pages_id = uses(job, "actions/configure-pages")["id"]
    build = next(s for s in steps(job) if s.get("run") == "scripts/build-example")
    assert build["env"]["FACTSHEETS_SITE_URL"] == "${{ steps.%s.outputs.base_url }}" % pages_id
    site_dir = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8")).get("site_dir", "site")
    assert uses(job, "actions/upload-pages-artifact")["with"]["path"].rstrip("/") == site_dir.rstrip("/")


def test_deploy_job(wf: dict) -> None:
    job = wf["jobs"]["deploy"]
    assert job["needs"] == "build"
    assert job["permissions"] == {"pages": "write", "id-token": "write"}
    assert job["environment"]["name"] == "github-pages"
    assert job["concurrency"]["group"] and job["concurrency"]["cancel-in-progress"] is False
    step = uses(job, "actions/deploy-pages")
    assert job["environment"]["url"] == "${{ steps.%s.outputs.page_url }}" % step["id"]
    for name in ("build", "deploy"):
        assert wf["jobs"][name]["if"] == "github.event_name != 'pull_request'"


def test_pull_requests_run_the_test_command(wf: dict) -> None:
    job = wf["jobs"]["test"]
    assert job["if"] == "github.event_name == 'pull_request'"
    assert "pages" not in job.get("permissions", {}) and "pages" not in wf.get("permissions", {})
    run = next(s for s in steps(job) if "run" in s)
    assert run["env"]["CI"] == "true"
    assert "bash scripts/test" in run["run"]


def test_the_scripts_it_runs_exist() -> None:
    for script in ("scripts/build-example", "scripts/test", "scripts/setup"):
        path = REPO / script
        assert path.is_file() and os.access(path, os.X_OK), script
    assert "factsheets build" in (REPO / "scripts" / "build-example").read_text(encoding="utf-8")
    assert "CI" in (REPO / "scripts" / "test").read_text(encoding="utf-8")


def test_the_pages_base_url_form_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    """configure-pages gives base_url without the final slash; English lives one level down."""
    from generator.publish.site import Project, language_settings

    monkeypatch.setenv("FACTSHEETS_SITE_URL", "https://someone.github.io/factsheets")
    project = Project.at(REPO)
    base = project.base_config()
    assert project.site_url(base) == "https://someone.github.io/factsheets/"
    assert language_settings(project, base, "ar")["site_url"] == "https://someone.github.io/factsheets/"
    assert language_settings(project, base, "en")["site_url"] == "https://someone.github.io/factsheets/en/"
