"""Publish the built two-language site to a Git branch (GitHub Pages' "deploy from a branch").

`mkdocs gh-deploy` builds one MkDocs configuration, so it would publish the Arabic site
only. This does what it does for the whole assembled site/ (Arabic at the root, English
under en/, the Pagefind index, both 404 pages): ghp-import commits the folder as the single
tree of the branch, adds ``.nojekyll`` (so GitHub serves folders starting with ``_`` as
they are) and the ``CNAME`` of a custom domain, and the branch is pushed.

Such a commit replaces every file of the branch, so it must never land on a branch that
holds anything but a published site. Before anything is written, the target branch is
refused when it is the checked-out branch (of any worktree), a local branch whose tip is
not a deploy commit, the remote's default branch (unless that branch already holds only
deploy commits: a repository kept for the site alone), or a remote branch whose tip is not
a deploy commit. Deploy commits carry the trailer ``Factsheets-Deploy: 1``; commits of
older versions ("Deployed <sha> with factsheets version ...") and of ``mkdocs gh-deploy``
("Deployed <sha> with MkDocs version: ...") count too. ``--force`` does not lift this:
it only replaces the deploy commit that was inspected (``--force-with-lease``).

The site is built first when site/ holds none (or when asked to), so the published site
is exactly what ``factsheets build`` gives with the same configuration and environment.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.errors import BuildError, FactsheetsError, UsageError
from generator.publish.site import Project

DEFAULT_MESSAGE = "Deployed {sha} with factsheets version {version}"
TRAILER = "Factsheets-Deploy: 1"
DIRTY = "with uncommitted changes"
#: Subjects of deploy commits made before the trailer existed (factsheets) or by `mkdocs gh-deploy`.
_OLD_DEPLOY = re.compile(r"^Deployed \S+ with (factsheets version \S+|MkDocs version:? \S+)")
_TRAILER_LINE = re.compile(r"^Factsheets-Deploy:\s*1\s*$", re.MULTILINE)
_SHOWN_PATHS = 5


@dataclass(frozen=True)
class Deployed:
    site: Path
    remote: str
    branch: str
    message: str
    cname: str | None
    warnings: tuple[str, ...] = ()
    commit: str = ""          # the published commit (full sha)
    remote_url: str = ""
    source: str = ""          # the project's commit the site was built from (full sha)
    dirty: bool = False
    site_url: str = ""        # site_url / FACTSHEETS_SITE_URL, "" when not set


class DeployRefused(FactsheetsError):
    """Deploying would lose work (a dirty tree, a branch that is not a deploy branch)."""

    def __init__(self, problems: list[str], exit_code: int):
        self.problems = problems
        self.exit_code = exit_code
        super().__init__("\nerror: ".join(problems))  # the CLI prints "error: " before the first


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # --no-optional-locks: reading commands (status) do not refresh the index behind our back
    return subprocess.run(["git", "--no-optional-locks", *args], cwd=root, capture_output=True, text=True)


def _bad_name(kind: str, name: str, why: str, hint: str) -> str:
    return f"invalid {kind} name {name!r}: {why}\n  = hint: {hint}"


def check_names(root: Path, remote: str, branch: str) -> None:
    """Refuse names git would take for options or cannot use, before any other git command runs."""
    problems = []
    for kind, name, example in (("remote", remote, "origin"), ("branch", branch, "gh-pages")):
        hint = f"give a plain {kind} name, such as {example!r}"
        if not name:
            problems.append(_bad_name(kind, name, "it is empty", hint))
        elif name.startswith("-"):
            problems.append(_bad_name(kind, name, "it starts with '-' (git would read it as an option)", hint))
        elif any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in name):
            problems.append(_bad_name(kind, name, "it holds whitespace or control characters", hint))
        elif kind == "branch" and (name == "HEAD" or name.startswith("refs/") or "@{" in name):
            problems.append(_bad_name(kind, name, "it names a reference, not a branch", hint))
        else:
            if kind == "branch":
                proc = _git(root, "check-ref-format", "--branch", name)
                ok = proc.returncode == 0 and proc.stdout.strip() == name
            else:  # git's own rule for remote names
                ok = _git(root, "check-ref-format", f"refs/remotes/{name}/x").returncode == 0
            if not ok:
                problems.append(_bad_name(kind, name, f"git does not accept it as a {kind} name "
                                          "(see `git help check-ref-format`)", hint))
    if problems:
        raise UsageError("\nerror: ".join(problems))


def _require_repo(root: Path, remote: str) -> str:
    if _git(root, "rev-parse", "--git-dir").returncode != 0:
        raise UsageError(f"{root} is not a Git repository: `factsheets deploy` pushes to a branch of its remote")
    proc = _git(root, "remote", "get-url", "--", remote)
    if proc.returncode != 0:
        raise UsageError(f"the Git repository has no remote named {remote!r} (see `git remote -v`)")
    return proc.stdout.strip()


def built_for(site: Path) -> str | None:
    """The site URL the site in ``site`` was built for (its sitemap's first address), if any."""
    try:
        text = (site / "sitemap.xml").read_text(encoding="utf-8")
    except OSError:
        return None
    m = re.search(r"<loc>\s*([^<\s]+)\s*</loc>", text)
    return m.group(1) if m and m.group(1).startswith(("http://", "https://")) else None


def _rev(root: Path, ref: str) -> str | None:
    proc = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    return proc.stdout.strip() if proc.returncode == 0 else None


def is_deploy_commit(root: Path, sha: str) -> bool:
    """Whether commit ``sha`` (present locally) was made by a deploy: our trailer, or an old deploy subject."""
    proc = _git(root, "log", "-1", "--format=%B", sha, "--")
    if proc.returncode != 0:
        return False
    text = proc.stdout
    return bool(_TRAILER_LINE.search(text) or _OLD_DEPLOY.match(text))


def _subject(root: Path, sha: str) -> str:
    return _git(root, "log", "-1", "--format=%s", sha, "--").stdout.strip()


def _porcelain_paths(out: str) -> list[str]:
    """Entries of `git status --porcelain -z`, as 'XY path' (renames give their new path)."""
    items, tokens = [], out.split("\0")
    i = 0
    while i < len(tokens):
        entry = tokens[i]
        i += 1
        if len(entry) < 4:
            continue
        items.append(entry)
        if entry[0] in "RC":
            i += 1  # the rename's source path follows
    return items


def _inside(path: Path, top: Path) -> str | None:
    try:
        return path.resolve().relative_to(top).as_posix()
    except ValueError:
        return None


def uncommitted(project: Project, root: Path, site: Path, base: dict) -> list[str]:
    """Changes the commit does not hold: tracked files anywhere (but the outputs), and new,
    unignored files among the sources of the site (content, templates, theme overrides, config)."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").stdout.strip()).resolve()
    excludes = [f":(top,exclude){rel}" for p in (site, project.build) if (rel := _inside(p, top))]
    tracked = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=no", "--", ":/", *excludes)
    changes = _porcelain_paths(tracked.stdout)
    sources = [project.content, project.templates, project.overrides(base), project.config_file]
    specs = [f":(top){rel}" for p in sources if p.exists() and (rel := _inside(p, top)) is not None]
    if specs:
        new = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *specs)
        changes += [e for e in _porcelain_paths(new.stdout) if e.startswith("??")]
    return changes


def _ls_remote(root: Path, remote: str, branch: str) -> tuple[str | None, str | None]:
    """(the remote's default branch, the tip of its ``branch``), read without writing anything."""
    proc = _git(root, "ls-remote", "--symref", remote, "HEAD", f"refs/heads/{branch}")
    if proc.returncode != 0:
        raise BuildError(f"cannot read the branches of remote {remote!r}: {_last_line(proc.stderr)}")
    default = tip = None
    for line in proc.stdout.splitlines():
        head, _, ref = line.partition("\t")
        if head.startswith("ref: refs/heads/") and ref == "HEAD":
            default = head[len("ref: refs/heads/"):]
        elif ref == f"refs/heads/{branch}":
            tip = head.strip()
    return default, tip


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else "(no message from git)"


def _checked_out(root: Path) -> set[str]:
    """Branches checked out in this repository's worktrees (the current one first of all)."""
    out = _git(root, "worktree", "list", "--porcelain").stdout
    names = {line[len("branch refs/heads/"):] for line in out.splitlines() if line.startswith("branch refs/heads/")}
    current = _git(root, "symbolic-ref", "--quiet", "HEAD").stdout.strip()  # also an unborn branch
    if current.startswith("refs/heads/"):
        names.add(current[len("refs/heads/"):])
    return names


_DELETE_HINT = ("if that branch really holds nothing but an old copy of the site, delete it yourself "
                "and deploy again")


def protect_branch(root: Path, remote: str, branch: str) -> str | None:
    """Refuse a target that is not a deploy branch; return the remote tip (fetched, inspected) or None."""
    problems = []
    target = f"{remote}/{branch}"
    if branch in _checked_out(root):
        problems.append(f"refusing to deploy to {target}: {branch!r} is your checked-out branch; deploying "
                        f"would replace its files by the site\n  = hint: publish to a branch of its own "
                        f"(the default is gh-pages): `factsheets deploy --branch gh-pages`")
    local = _rev(root, f"refs/heads/{branch}")
    if local and not is_deploy_commit(root, local) and not problems:
        problems.append(f"refusing to deploy to {target}: your local branch {branch!r} exists and its last commit "
                        f"({local[:7]} {_subject(root, local)!r}) is not a factsheets deploy\n  = hint: choose "
                        f"another --branch; {_DELETE_HINT} (`git branch -D {branch}`)")
    if _rev(root, f"refs/tags/{branch}"):
        problems.append(f"refusing to deploy to {target}: a tag is also named {branch!r}, so the name is "
                        f"ambiguous\n  = hint: choose another --branch")
    default, tip = _ls_remote(root, remote, branch)
    tip_is_deploy = False
    if tip:
        fetch = _git(root, "fetch", "--quiet", "--no-write-fetch-head", "--no-tags", remote, f"refs/heads/{branch}")
        if fetch.returncode != 0 or _rev(root, tip) is None:
            raise BuildError(f"cannot fetch {target} to inspect it: {_last_line(fetch.stderr)}")
        tip_is_deploy = is_deploy_commit(root, tip)
    # The remote's default branch is where a project lives, unless it holds nothing but deploy
    # commits (a repository kept for the site alone: GitHub makes its first pushed branch the default).
    if default == branch and not tip_is_deploy:
        problems.append(f"refusing to deploy to {target}: it is the default branch of {remote!r}, where the "
                        f"project itself lives, and deploying would replace its files by the site (--force does "
                        f"not change this)\n  = hint: publish to a branch of its own: `factsheets deploy "
                        f"--branch gh-pages`")
    elif tip and not tip_is_deploy:
        problems.append(f"refusing to deploy to {target}: its last commit ({tip[:7]} {_subject(root, tip)!r}) "
                        f"is not a factsheets deploy, and deploying would replace its files by the site "
                        f"(--force does not change this)\n  = hint: choose another --branch; {_DELETE_HINT} "
                        f"(`git push {remote} --delete {branch}`)")
    if problems:
        raise DeployRefused(problems, exit_code=2)
    return tip


def _message(message: str | None, sha: str, full_sha: str, dirty: bool) -> str:
    shown = f"{sha} ({DIRTY})" if dirty else sha
    text = (message or DEFAULT_MESSAGE).replace("{sha}", shown).replace("{version}", __version__).rstrip()
    source = (full_sha or "(no commit)") + (f" ({DIRTY})" if dirty else "")
    return f"{text}\n\nFactsheets-Source: {source}\nFactsheets-Version: {__version__}\n{TRAILER}\n"


def deploy(project: Project, *, remote: str = "origin", branch: str = "gh-pages", message: str | None = None,
           no_history: bool = False, force: bool = False, build: bool = False, allow_dirty: bool = False,
           build_site=None) -> Deployed:
    """Push ``site/`` to ``remote``/``branch``. ``build_site()`` is called when there is no
    built site yet or when ``build`` is true; it must build into the configured site_dir."""
    import ghp_import

    root = project.config_dir
    check_names(root, remote, branch)  # before any other git command
    base = project.base_config()
    site = project.site_dir(base)
    remote_url = _require_repo(root, remote)
    changes = uncommitted(project, root, site, base)
    problems, exit_code = [], 1
    if changes and not allow_dirty:
        shown = ", ".join(f"{c[:2].strip()} {c[3:]}" for c in changes[:_SHOWN_PATHS])
        if len(changes) > _SHOWN_PATHS:
            shown += f" (and {len(changes) - _SHOWN_PATHS} more)"
        problems.append(f"the working tree has uncommitted changes, so the site would match no commit: "
                        f"{shown}\n  = hint: commit them first (`git status` lists them all), or deploy "
                        f"anyway with --allow-dirty (the commit message then says '{DIRTY}')")
    remote_tip = None
    try:
        remote_tip = protect_branch(root, remote, branch)
    except DeployRefused as exc:  # reported together with a dirty tree
        problems, exit_code = exc.problems + problems, exc.exit_code
    if problems:
        raise DeployRefused(problems, exit_code)

    if build or not (site / "index.html").is_file():
        if build_site is None:
            raise UsageError(f"no built site in {site}/: run `factsheets build` first")
        build_site()
    for required in ("index.html", "en/index.html"):
        if not (site / required).is_file():
            raise BuildError(f"{site}/ holds no {required}: it is not a complete factsheets build")
    warnings = []
    site_url = project.site_url(base)
    made_for = built_for(site)
    if made_for is None:
        warnings.append("the site was built without a site URL (site_url in mkdocs.yml or FACTSHEETS_SITE_URL): "
                        "its 404 pages link to the domain's root, which is wrong for a project site such as "
                        "https://USER.github.io/REPO/ (set it and deploy with --build)")
    elif site_url and not made_for.startswith(site_url):
        warnings.append(f"site/ was built for {made_for}, not for the configured {site_url} (deploy with --build)")
    cname = project.cname(base)  # FACTSHEETS_CNAME, else extra.cname
    if cname is None and (site / "CNAME").is_file():
        cname = (site / "CNAME").read_text(encoding="utf-8").strip() or None
    source = _rev(root, "HEAD") or ""
    dirty = bool(changes)
    text = _message(message, source[:7] or "(no commit)", source, dirty)

    # The new commit follows the inspected remote tip (or the local deploy branch when the remote has none).
    ref = f"refs/heads/{branch}"
    local = _rev(root, ref)
    parent = None if no_history else (remote_tip or local)
    if local != parent:  # the local branch is absent or a deploy commit (protect_branch)
        move = (_git(root, "update-ref", "-d", ref, local or "") if parent is None
                else _git(root, "update-ref", ref, parent, local or ""))
        if move.returncode != 0:
            raise BuildError(f"cannot update the local branch {branch!r}: {_last_line(move.stderr)}")
    try:
        with contextlib.chdir(root):  # ghp-import runs git in the current directory
            ghp_import.run_import(ghp_import.Git(), str(site), branch=branch, mesg=text, prefix=None,
                                  followlinks=False, nojekyll=True, cname=cname)
    except (OSError, TypeError, ghp_import.GhpError) as exc:  # TypeError: ghp-import's own report of a
        # failed fast-import writes bytes to sys.stdout; the check below then says what happened
        raise BuildError(f"deploy failed while committing the site: {getattr(exc, 'message', exc)}") from None
    commit = _rev(root, ref)
    if commit is None or commit == parent or (parent and _rev(root, f"{commit}^") != parent):
        raise BuildError(f"deploy failed: git fast-import did not commit {site}/ to {branch!r} (see its message above)")

    push = ["push", "--porcelain", remote, f"{ref}:{ref}"]
    if force or no_history:  # replace only the tip that was inspected (or create the branch)
        push.insert(1, f"--force-with-lease={ref}:{remote_tip or ''}")
    proc = _git(root, *push)
    if proc.returncode != 0:
        raise BuildError(f"deploy failed: pushing to {remote}/{branch} was rejected: {_last_line(proc.stderr)}\n"
                         f"  = hint: someone else pushed to {remote}/{branch} meanwhile; run `factsheets deploy` "
                         f"again (the site is committed on the local branch {branch!r})")
    return Deployed(site, remote, branch, text, cname, tuple(warnings), commit=commit, remote_url=remote_url,
                    source=source, dirty=dirty, site_url=site_url)
