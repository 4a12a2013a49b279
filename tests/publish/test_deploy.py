"""Issue #9: `factsheets deploy` publishes the assembled two-language site to a branch.

The remote is a bare repository in tmp_path; the project is a throwaway copy made a Git
repository with that remote. No network.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import BuiltSite, copy_project, run_cli

NO_CNAME = {"FACTSHEETS_CNAME": "", "FACTSHEETS_SITE_URL": ""}


def git(*args: str, cwd: Path) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout


@pytest.fixture()
def repo(tmp_path: Path) -> tuple[Path, Path]:
    """(project, bare remote): a project copy committed on main, with `origin` pointing at the bare repo."""
    remote = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    project = copy_project(tmp_path / "project")
    (project / ".gitignore").write_text("/site/\n/build/\n", encoding="utf-8")
    git("init", "--quiet", "-b", "main", cwd=project)
    git("config", "user.name", "Test Publisher", cwd=project)
    git("config", "user.email", "publisher@example.org", cwd=project)
    git("config", "commit.gpgsign", "false", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "--quiet", "-m", "site sources", cwd=project)
    git("remote", "add", "origin", str(remote), cwd=project)
    return project, remote


def with_built_site(project: Path, example_site: BuiltSite) -> Path:
    """Reuse the session's build (same content and configuration) instead of building again."""
    shutil.copytree(example_site.site, project / "site")
    return project / "site"


def branch_files(remote: Path, branch: str = "gh-pages") -> set[str]:
    return set(git("ls-tree", "-r", "--name-only", branch, cwd=remote).splitlines())


def branch_file(remote: Path, path: str, branch: str = "gh-pages") -> bytes:
    return subprocess.run(["git", "show", f"{branch}:{path}"], cwd=remote, capture_output=True, check=True).stdout


def commits(remote: Path, branch: str = "gh-pages") -> list[str]:
    return git("log", "--format=%s", branch, cwd=remote).splitlines()


def test_deploy_pushes_the_whole_two_language_site(repo, example_site: BuiltSite) -> None:
    project, remote = repo
    site = with_built_site(project, example_site)
    proc = run_cli("deploy", cwd=project, env=NO_CNAME)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    files = branch_files(remote)
    for required in (".nojekyll", "index.html", "en/index.html", "404.html", "en/404.html",
                     "search/index.html", "en/search/index.html", "pagefind/pagefind-ui.js", "sitemap.xml"):
        assert required in files, required
    assert "CNAME" not in files
    site_files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert files == site_files | {".nojekyll"}
    assert branch_file(remote, "en/index.html") == (site / "en" / "index.html").read_bytes()
    assert branch_file(remote, ".nojekyll") == b""
    assert "warning: the site was built without a site URL" in proc.stderr  # the session build has none
    head = git("rev-parse", "--short", "HEAD", cwd=project).strip()
    assert commits(remote) == [f"Deployed {head} with factsheets version 0.1.0"]
    # only the site branch was pushed; the project's branch and working tree are as they were
    assert git("for-each-ref", "--format=%(refname)", "refs/heads", cwd=remote).split() == ["refs/heads/gh-pages"]
    assert git("symbolic-ref", "--short", "HEAD", cwd=project).strip() == "main"
    assert git("status", "--porcelain", cwd=project) == ""


def test_redeploy_adds_a_commit_and_no_history_replaces_the_branch(repo, example_site: BuiltSite) -> None:
    project, remote = repo
    with_built_site(project, example_site)
    for message in ("first {other braces}", "second {sha}"):
        proc = run_cli("deploy", "-m", message, cwd=project, env=NO_CNAME)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    head = git("rev-parse", "--short", "HEAD", cwd=project).strip()
    assert commits(remote) == [f"second {head}", "first {other braces}"]
    proc = run_cli("deploy", "--no-history", "-m", "only", cwd=project, env=NO_CNAME)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert commits(remote) == ["only"]
    assert {"index.html", "en/index.html", ".nojekyll"} <= branch_files(remote)


def test_deploy_to_another_remote_and_branch(repo, example_site: BuiltSite, tmp_path: Path) -> None:
    project, _ = repo
    other = tmp_path / "other.git"
    git("init", "--quiet", "--bare", str(other), cwd=tmp_path)
    git("remote", "add", "pages", str(other), cwd=project)
    with_built_site(project, example_site)
    proc = run_cli("deploy", "--remote", "pages", "--branch", "site", cwd=project, env=NO_CNAME)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert {"index.html", "en/index.html", "404.html", "en/404.html", ".nojekyll"} <= branch_files(other, "site")


def test_custom_domain_from_mkdocs_yml_is_built_and_deployed(repo) -> None:
    """No site/ yet: deploy builds it first; extra.cname lands in site/CNAME and on the branch."""
    project, remote = repo
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nextra:\n" in text
    config.write_text(text.replace("\nextra:\n", "\nextra:\n  cname: facts.example.org\n", 1), encoding="utf-8")
    git("commit", "--quiet", "-am", "custom domain", cwd=project)  # deploy refuses uncommitted changes
    assert not (project / "site").exists()
    proc = run_cli("deploy", cwd=project, env=NO_CNAME)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (project / "site" / "CNAME").read_text(encoding="utf-8").strip() == "facts.example.org"
    assert branch_file(remote, "CNAME").decode().strip() == "facts.example.org"
    assert {"index.html", "en/index.html", "404.html", "en/404.html", ".nojekyll"} <= branch_files(remote)
    assert "facts.example.org" in proc.stdout


def test_custom_domain_from_the_environment(repo, example_site: BuiltSite) -> None:
    """FACTSHEETS_CNAME (as a CI secret or variable would set it) wins over extra.cname."""
    project, remote = repo
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("\nextra:\n", "\nextra:\n  cname: old.example.org\n", 1),
                      encoding="utf-8")
    git("commit", "--quiet", "-am", "custom domain", cwd=project)  # deploy refuses uncommitted changes
    with_built_site(project, example_site)
    proc = run_cli("deploy", cwd=project, env={**NO_CNAME, "FACTSHEETS_CNAME": "news.example.net"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert branch_file(remote, "CNAME").decode().strip() == "news.example.net"


def test_build_writes_cname_from_the_environment(example_site: BuiltSite, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    proc = run_cli("build", cwd=project, env={"FACTSHEETS_CNAME": " facts.example.com "})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (project / "site" / "CNAME").read_text(encoding="utf-8") == "facts.example.com\n"
    assert not (example_site.site / "CNAME").exists()  # not configured: no CNAME


def test_deploy_needs_a_git_repository_and_its_remote(repo, tmp_path: Path, example_site: BuiltSite) -> None:
    loose = copy_project(tmp_path / "loose")
    proc = run_cli("deploy", cwd=loose, env=NO_CNAME)
    assert proc.returncode == 2 and "not a Git repository" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    project, _ = repo
    with_built_site(project, example_site)
    proc = run_cli("deploy", "--remote", "nowhere", cwd=project, env=NO_CNAME)
    assert proc.returncode == 2 and "no remote named 'nowhere'" in proc.stderr, proc.stderr


def test_diverged_branch_needs_force(repo, example_site: BuiltSite, tmp_path: Path) -> None:
    """Someone else pushed to gh-pages meanwhile: deploy then builds on their commit (fetch first)."""
    project, remote = repo
    with_built_site(project, example_site)
    assert run_cli("deploy", "-m", "mine", cwd=project, env=NO_CNAME).returncode == 0
    other = tmp_path / "other-clone"
    git("clone", "--quiet", "--branch", "gh-pages", str(remote), str(other), cwd=tmp_path)
    git("-c", "user.name=x", "-c", "user.email=x@example.org", "commit", "--quiet", "--allow-empty", "-m", "theirs",
        "-m", "Factsheets-Deploy: 1", cwd=other)  # another deploy (deploy refuses a tip that is not one)
    git("push", "--quiet", "origin", "gh-pages", cwd=other)
    proc = run_cli("deploy", "-m", "mine again", cwd=project, env=NO_CNAME)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert commits(remote) == ["mine again", "theirs", "mine"]


def test_deploy_with_site_url_gives_no_warning(repo) -> None:
    project, remote = repo
    url = "https://someone.github.io/factsheets/"
    proc = run_cli("deploy", "--build", cwd=project, env={**NO_CNAME, "FACTSHEETS_SITE_URL": url})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "warning" not in proc.stderr
    assert f"<loc>{url}en/</loc>" in branch_file(remote, "en/sitemap.xml").decode()
