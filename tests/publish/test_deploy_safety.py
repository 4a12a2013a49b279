"""Issues #24 and #21.5: `factsheets deploy` never replaces a branch that holds anything but
the site, refuses names git would misread and a dirty working tree, and says what it published.

Real git throughout: the project is a throwaway copy made a repository, its remotes are bare
repositories in tmp_path. Every refusal is checked to leave the remote (and, for bad names,
the whole .git folder) as it was.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import BuiltSite, run_cli
from tests.publish.test_deploy import NO_CNAME, branch_files, commits, git, repo, with_built_site  # noqa: F401

VERSION_SUBJECT = "with factsheets version 0.1.0"


def refs(repository: Path) -> dict[str, str]:
    """Every ref of a repository and its commit."""
    out = git("for-each-ref", "--format=%(refname) %(objectname)", cwd=repository)
    return dict(line.split(" ", 1) for line in out.splitlines())


def snapshot(git_dir: Path) -> dict[str, tuple[int, int]]:
    """Every file under a .git folder, with its size and modification time."""
    return {p.relative_to(git_dir).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in git_dir.rglob("*") if p.is_file()}


def short_head(project: Path) -> str:
    return git("rev-parse", "--short", "HEAD", cwd=project).strip()


def message(remote: Path, branch: str = "gh-pages") -> str:
    return git("log", "-1", "--format=%B", branch, cwd=remote)


def refused(proc: subprocess.CompletedProcess[str], code: int, *texts: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    for text in texts:
        assert text in proc.stderr, (text, proc.stderr)
    assert "unexpected failure" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert "deployed" not in proc.stdout, proc.stdout


def commit_all(project: Path, msg: str) -> None:
    git("add", "-A", cwd=project)
    git("commit", "--quiet", "-m", msg, cwd=project)


def test_the_checked_out_branch_is_never_a_target(repo, example_site: BuiltSite) -> None:
    """Issue #24: `deploy --branch main` pushed a site-only commit over the project's branch."""
    project, remote = repo
    with_built_site(project, example_site)
    git("push", "--quiet", "origin", "main", cwd=project)
    before = refs(remote), refs(project)
    for extra in ((), ("--force",), ("--no-history",)):
        proc = run_cli("deploy", "--branch", "main", *extra, cwd=project, env=NO_CNAME)
        refused(proc, 2, "refusing to deploy to origin/main: 'main' is your checked-out branch",
                "--branch gh-pages")
        assert (refs(remote), refs(project)) == before
    assert (project / "content" / "people.yaml").is_file()
    assert "content/people.yaml" in branch_files(remote, "main")


def test_the_remotes_default_branch_is_refused_even_from_another_branch(repo, example_site: BuiltSite) -> None:
    project, remote = repo
    with_built_site(project, example_site)
    git("push", "--quiet", "origin", "main", cwd=project)
    git("symbolic-ref", "HEAD", "refs/heads/main", cwd=remote)  # as GitHub: main is the default branch
    git("switch", "--quiet", "-c", "work", cwd=project)
    git("branch", "-D", "main", cwd=project)  # no local main either: only the remote knows it
    before = refs(remote)
    for extra in ((), ("--force",), ("--no-history",)):
        proc = run_cli("deploy", "--branch", "main", *extra, cwd=project, env=NO_CNAME)
        refused(proc, 2, "refusing to deploy to origin/main: it is the default branch of 'origin'",
                "--force does not change this")
        assert refs(remote) == before
    assert "content/people.yaml" in branch_files(remote, "main")


def test_a_remote_branch_that_is_not_a_deploy_is_refused(repo, example_site: BuiltSite) -> None:
    project, remote = repo
    with_built_site(project, example_site)
    git("push", "--quiet", "origin", "main:docs", cwd=project)  # some branch of the project, not the default
    before = refs(remote)
    subject = git("log", "-1", "--format=%s", cwd=project).strip()
    for extra in ((), ("--force",), ("--no-history",)):
        proc = run_cli("deploy", "--branch", "docs", *extra, cwd=project, env=NO_CNAME)
        refused(proc, 2, f"refusing to deploy to origin/docs: its last commit ({short_head(project)} {subject!r}) "
                "is not a factsheets deploy", "git push origin --delete docs")
        assert refs(remote) == before
    assert "refs/heads/docs" not in refs(project)  # nothing was created locally either


def test_a_local_branch_that_is_not_a_deploy_is_refused(repo, example_site: BuiltSite) -> None:
    project, remote = repo
    with_built_site(project, example_site)
    git("branch", "notes", cwd=project)
    before = refs(project)
    proc = run_cli("deploy", "--branch", "notes", "--force", cwd=project, env=NO_CNAME)
    refused(proc, 2, "refusing to deploy to origin/notes: your local branch 'notes' exists and its last commit",
            "git branch -D notes")
    assert refs(project) == before and refs(remote) == {}


def test_a_deploy_branch_is_updated_and_older_deploys_count(repo, example_site: BuiltSite, tmp_path: Path) -> None:
    """A gh-pages branch made by an older factsheets (no trailer) is a deploy branch; so is the
    local gh-pages branch deploy leaves behind. Every new commit carries the trailer."""
    project, remote = repo
    with_built_site(project, example_site)
    old = tmp_path / "old-deployer"
    git("init", "--quiet", "-b", "gh-pages", str(old), cwd=tmp_path)
    (old / "index.html").write_text("old site", encoding="utf-8")
    git("add", "-A", cwd=old)
    git("-c", "user.name=x", "-c", "user.email=x@example.org", "commit", "--quiet",
        "-m", "Deployed 1234567 with factsheets version 0.0.9", cwd=old)
    git("push", "--quiet", str(remote), "gh-pages", cwd=old)
    proc = run_cli("deploy", cwd=project, env=NO_CNAME)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run_cli("deploy", "--force", "-m", "again {sha}", cwd=project, env=NO_CNAME)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    head = short_head(project)
    assert commits(remote) == [f"again {head}", f"Deployed {head} {VERSION_SUBJECT}",
                               "Deployed 1234567 with factsheets version 0.0.9"]
    assert "Factsheets-Deploy: 1" in message(remote) and "Factsheets-Deploy: 1" in message(remote, "gh-pages~1")
    assert refs(project)["refs/heads/gh-pages"] == refs(remote)["refs/heads/gh-pages"]
    # the site is on the branch, the project's files are not
    assert "index.html" in branch_files(remote) and "content/people.yaml" not in branch_files(remote)


def test_a_site_only_repository_whose_default_branch_is_the_site(repo, example_site: BuiltSite,
                                                                tmp_path: Path) -> None:
    """GitHub makes the first branch pushed to an empty repository its default: a repository kept
    for the site alone has gh-pages as default branch, holding only deploys, and stays deployable."""
    project, _ = repo
    pages = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", str(pages), cwd=tmp_path)
    git("remote", "add", "pages", str(pages), cwd=project)
    with_built_site(project, example_site)
    assert run_cli("deploy", "--remote", "pages", cwd=project, env=NO_CNAME).returncode == 0
    git("symbolic-ref", "HEAD", "refs/heads/gh-pages", cwd=pages)
    proc = run_cli("deploy", "--remote", "pages", cwd=project, env=NO_CNAME)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(commits(pages)) == 2


BAD_BRANCHES = {
    "": "it is empty",
    "a b": "it holds whitespace",
    "tab\there": "it holds whitespace",
    "--upload-pack=touch {marker}": "it starts with '-'",
    "-": "it starts with '-'",
    "HEAD": "it names a reference, not a branch",
    "@{-1}": "it names a reference, not a branch",
    "refs/heads/gh-pages": "it names a reference, not a branch",
    "x..y": "git does not accept it as a branch name",
    "ends.lock": "git does not accept it as a branch name",
    "trailing/": "git does not accept it as a branch name",
}
BAD_REMOTES = {
    "": "it is empty",
    "my remote": "it holds whitespace",
    "--upload-pack=touch {marker}": "it starts with '-'",
    "bad..name": "git does not accept it as a remote name",
}


def test_bad_branch_and_remote_names_are_usage_errors_that_write_nothing(repo, example_site: BuiltSite,
                                                                         tmp_path: Path) -> None:
    """They gave BrokenPipeError and left git crash reports in .git/."""
    project, remote = repo
    with_built_site(project, example_site)
    marker = tmp_path / "upload-pack-ran"
    before = snapshot(project / ".git")
    cases = [("--branch", name, "branch", why) for name, why in BAD_BRANCHES.items()]
    cases += [("--remote", name, "remote", why) for name, why in BAD_REMOTES.items()]
    for option, name, kind, why in cases:
        name = name.replace("{marker}", str(marker))
        proc = run_cli("deploy", option, name, cwd=project, env=NO_CNAME)
        refused(proc, 2, f"error: invalid {kind} name {name!r}: {why}", f"give a plain {kind} name")
    assert snapshot(project / ".git") == before
    assert not marker.exists() and refs(remote) == {}
    # both at once, in one report
    proc = run_cli("deploy", "--remote", "", "--branch", "a b", cwd=project, env=NO_CNAME)
    refused(proc, 2, "error: invalid remote name '': it is empty", "error: invalid branch name 'a b'")


def test_a_dirty_working_tree_is_refused_unless_allowed(repo, example_site: BuiltSite) -> None:
    project, remote = repo
    with_built_site(project, example_site)
    people = project / "content" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (project / "content" / "sources" / "new-article.yaml").write_text("sources: []\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text(encoding="utf-8") + "\n",
                                        encoding="utf-8")
    proc = run_cli("deploy", cwd=project, env=NO_CNAME)
    refused(proc, 1, "the working tree has uncommitted changes, so the site would match no commit: M ",
            "M content/people.yaml", "?? content/sources/new-article.yaml", "M mkdocs.yml", "--allow-dirty")
    assert refs(remote) == {}
    # a staged change is uncommitted too; with a protected branch both problems come at once
    git("add", "content/people.yaml", cwd=project)
    proc = run_cli("deploy", "--branch", "main", cwd=project, env=NO_CNAME)
    refused(proc, 2, "'main' is your checked-out branch", "M content/people.yaml")
    assert refs(remote) == {}

    proc = run_cli("deploy", "--allow-dirty", cwd=project, env=NO_CNAME)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    head = short_head(project)
    assert commits(remote) == [f"Deployed {head} (with uncommitted changes) {VERSION_SUBJECT}"]
    full = git("rev-parse", "HEAD", cwd=project).strip()
    assert f"Factsheets-Source: {full} (with uncommitted changes)" in message(remote)
    assert f"built from: {full} with uncommitted changes" in proc.stdout
    assert people.read_text(encoding="utf-8").endswith("\n\n")  # the user's edits are untouched


def test_untracked_files_outside_the_sources_do_not_count(repo, example_site: BuiltSite) -> None:
    project, remote = repo
    with_built_site(project, example_site)
    (project / "notes.txt").write_text("to do\n", encoding="utf-8")
    proc = run_cli("deploy", cwd=project, env=NO_CNAME)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert commits(remote) == [f"Deployed {short_head(project)} {VERSION_SUBJECT}"]


def test_deploy_says_what_it_published(repo, example_site: BuiltSite) -> None:
    project, remote = repo
    with_built_site(project, example_site)
    proc = run_cli("deploy", cwd=project, env=NO_CNAME)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    published = git("rev-parse", "gh-pages", cwd=remote).strip()
    full = git("rev-parse", "HEAD", cwd=project).strip()
    assert f"to origin/gh-pages ({remote})" in proc.stdout
    assert f"published commit: {published}" in proc.stdout
    assert f"built from: {full}\n" in proc.stdout
    assert "site URL: not set" in proc.stdout
    body = message(remote)
    assert f"Factsheets-Source: {full}\n" in body and "Factsheets-Version: 0.1.0\n" in body
    url = "https://someone.github.io/REPO/"
    proc = run_cli("deploy", cwd=project, env={**NO_CNAME, "FACTSHEETS_SITE_URL": url})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"site URL: {url}" in proc.stdout
    assert f"published commit: {git('rev-parse', 'gh-pages', cwd=remote).strip()}" in proc.stdout


def test_a_tag_with_the_branch_name_is_refused(repo, example_site: BuiltSite) -> None:
    project, remote = repo
    with_built_site(project, example_site)
    git("tag", "gh-pages", cwd=project)
    proc = run_cli("deploy", cwd=project, env=NO_CNAME)
    refused(proc, 2, "a tag is also named 'gh-pages'")
    assert refs(remote) == {}
