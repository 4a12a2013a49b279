"""Where templates, UI catalogs, theme overrides and the default MkDocs configuration come from.

The package carries them all (``generator/_data/``: in the repository, symbolic links to the
top-level ``templates/``, ``overrides/`` and ``mkdocs.yml``; in a wheel, real copies), as
defaults a project's own folders override:

- templates: per file, the project's ``templates/`` first, then the packaged ones
  (:func:`template_loader`, a Jinja ``ChoiceLoader``);
- catalogs: the project's ``templates/i18n/<lang>.yaml`` if present, else the packaged one
  (:func:`catalog_file`);
- theme overrides: the project's ``custom_dir`` (``overrides/``) if present, else the packaged
  copy (:func:`overrides_dir`);
- configuration: the project's ``mkdocs.yml`` if present, else the packaged one
  (:func:`default_config`).

Every place that locates one of these goes through this module.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader

#: The packaged copies (a folder inside the installed package).
DATA = Path(__file__).resolve().parent / "_data"
TEMPLATES = DATA / "templates"
OVERRIDES = DATA / "overrides"
DEFAULT_CONFIG = DATA / "mkdocs.yml"


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:  # pragma: no cover - unreadable path
        return False


def project_templates(root: Path | None = None) -> Path:
    """A project's own templates folder (``templates/`` of ``root``, by default the working
    folder, where ``content/`` and ``mkdocs.yml`` are looked for too); it need not exist."""
    return (root if root is not None else Path.cwd()) / "templates"


def template_dirs(templates: Path | None = None) -> list[Path]:
    """The folders templates are looked up in, first match wins: the project's, then the package's."""
    dirs: list[Path] = []
    if templates is not None and templates.is_dir() and not _same(templates, TEMPLATES):
        dirs.append(templates)
    dirs.append(TEMPLATES)
    return dirs


def template_loader(templates: Path | None = None) -> BaseLoader:
    """A Jinja loader taking each template from the project's folder if it has it, else the package's."""
    return ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs(templates)])


def catalog_file(templates: Path | None, lang: str) -> Path:
    """A language's catalog: the project's ``i18n/<lang>.yaml`` if present, else the packaged one."""
    if templates is not None:
        own = templates / "i18n" / f"{lang}.yaml"
        if own.is_file():
            return own
    return TEMPLATES / "i18n" / f"{lang}.yaml"


def overrides_dir(config_dir: Path, custom_dir: str | None = None) -> Path:
    """The theme's ``custom_dir``: the project's (relative to its configuration) if it exists,
    else the packaged overrides."""
    own = (config_dir / (custom_dir or "overrides")).resolve()
    return own if own.is_dir() else OVERRIDES


def default_config() -> Path:
    """The packaged ``mkdocs.yml``, used by ``factsheets build`` in a project that has none."""
    return DEFAULT_CONFIG


def is_default_config(config_file: Path) -> bool:
    """Whether a project runs on the packaged configuration (it has no mkdocs.yml of its own)."""
    return config_file == DEFAULT_CONFIG
