"""Publish the built two-language site to a Git branch (GitHub Pages' "deploy from a branch").

`mkdocs gh-deploy` builds one MkDocs configuration, so it would publish the Arabic site
only. This does what it does for the whole assembled site/ (Arabic at the root, English
under en/, the Pagefind index, both 404 pages): ghp-import (a dependency of MkDocs)
commits the folder as the single tree of the branch, adds ``.nojekyll`` (so GitHub serves
folders starting with ``_`` as they are) and the ``CNAME`` of a custom domain, and pushes.

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
from generator.errors import BuildError, UsageError
from generator.site import Project

DEFAULT_MESSAGE = "Deployed {sha} with factsheets version {version}"


@dataclass(frozen=True)
class Deployed:
    site: Path
    remote: str
    branch: str
    message: str
    cname: str | None
    warnings: tuple[str, ...] = ()


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)


def _require_repo(root: Path, remote: str) -> None:
    if _git(root, "rev-parse", "--git-dir").returncode != 0:
        raise UsageError(f"{root} is not a Git repository: `factsheets deploy` pushes to a branch of its remote")
    if _git(root, "remote", "get-url", remote).returncode != 0:
        raise UsageError(f"the Git repository has no remote named {remote!r} (see `git remote -v`)")


def built_for(site: Path) -> str | None:
    """The site URL the site in ``site`` was built for (its sitemap's first address), if any."""
    try:
        text = (site / "sitemap.xml").read_text(encoding="utf-8")
    except OSError:
        return None
    m = re.search(r"<loc>\s*([^<\s]+)\s*</loc>", text)
    return m.group(1) if m and m.group(1).startswith(("http://", "https://")) else None


def _current_sha(root: Path) -> str:
    proc = _git(root, "rev-parse", "--short", "HEAD")
    return proc.stdout.strip() if proc.returncode == 0 else "(no commit)"


def deploy(project: Project, *, remote: str = "origin", branch: str = "gh-pages", message: str | None = None,
           no_history: bool = False, force: bool = False, build: bool = False,
           build_site=None) -> Deployed:
    """Push ``site/`` to ``remote``/``branch``. ``build_site()`` is called when there is no
    built site yet or when ``build`` is true; it must build into the configured site_dir."""
    import ghp_import  # a dependency of MkDocs

    base = project.base_config()
    root = project.config_file.parent
    site = project.site_dir(base)
    _require_repo(root, remote)
    if build or not (site / "index.html").is_file():
        if build_site is None:
            raise UsageError(f"no built site in {site}/: run `factsheets build` first")
        build_site()
    for required in ("index.html", "en/index.html"):
        if not (site / required).is_file():
            raise BuildError(f"{site}/ holds no {required}: it is not a complete factsheets build")
    warnings = []
    if built_for(site) is None:
        warnings.append("the site was built without a site URL (site_url in mkdocs.yml or FACTSHEETS_SITE_URL): "
                        "its 404 pages link to the domain's root, which is wrong for a project site such as "
                        "https://USER.github.io/REPO/ (set it and deploy with --build)")
    cname = project.cname(base)  # FACTSHEETS_CNAME, else extra.cname
    if cname is None and (site / "CNAME").is_file():
        cname = (site / "CNAME").read_text(encoding="utf-8").strip() or None
    text = (message or DEFAULT_MESSAGE).replace("{sha}", _current_sha(root)).replace("{version}", __version__)
    # Bring the remote branch's tip in, so the new commit follows it (unless history is dropped).
    if not no_history:
        _git(root, "fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
    try:
        with contextlib.chdir(root):  # ghp-import runs git in the current directory
            ghp_import.ghp_import(str(site), mesg=text, remote=remote, branch=branch, push=True,
                                  force=force, no_history=no_history, nojekyll=True, cname=cname)
    except ghp_import.GhpError as exc:
        raise BuildError(f"deploy failed: {exc.message}") from None
    except subprocess.CalledProcessError as exc:
        raise BuildError(f"deploy failed: `{' '.join(map(str, exc.cmd))}` exited with {exc.returncode}"
                         " (use --force to overwrite a branch that has diverged)") from None
    return Deployed(site, remote, branch, text, cname, tuple(warnings))
