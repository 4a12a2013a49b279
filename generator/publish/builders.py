"""Which program turns the generated Markdown into HTML (issue 23): MkDocs, ProperDocs or Zensical.

The generator's output is the same for all three (Markdown under ``build/docs/<lang>/``, one
configuration per language derived from ``mkdocs.yml``, the theme overrides, the assets); only
the command that builds each language, and a few settings of its configuration, differ:

- ``mkdocs``: MkDocs 1.6 (``mkdocs<2``), the default.
- ``properdocs``: ProperDocs, the maintained fork of MkDocs 1.x; reads the same configuration
  and loads Material through the same entry points.
- ``zensical``: the successor written by Material's authors. It reads ``mkdocs.yml``, but wants
  the Markdown folder inside the folder of its configuration (the build mirrors it there, with
  hard links), its own search switched off (Pagefind indexes the site), and
  ``theme.variant: classic`` for Material's look.

Chosen, first match wins, by ``factsheets build --builder NAME``, the ``FACTSHEETS_BUILDER``
environment variable, ``extra.factsheets_builder`` in ``mkdocs.yml``; else ``mkdocs``.
See docs/builders.md.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.publish import mkdocs_early, mkdocs_lean
from generator.core.loader import display_path
from generator.errors import BuildError, ContentError, UsageError, diag, did_you_mean

#: The environment variable naming the builder (wins over mkdocs.yml, loses to --builder).
ENV = "FACTSHEETS_BUILDER"
#: Where mkdocs.yml names it: ``extra: {factsheets_builder: NAME}``.
SETTING = ("extra", "factsheets_builder")
DEFAULT = "mkdocs"


@dataclass(frozen=True)
class Builder:
    name: str
    module: str            # run as ``python -m MODULE build --strict -f CONFIG``
    requirement: str       # what to pip install when it is missing
    docs_inside_config: bool = False   # the docs folder must lie in the configuration's folder
    own_search_off: bool = False       # switch its built-in search off (Pagefind indexes the site)

    @property
    def label(self) -> str:
        return {"mkdocs": "MkDocs", "properdocs": "ProperDocs", "zensical": "Zensical"}[self.name]

    def installed(self) -> bool:
        try:
            return importlib.util.find_spec(self.module) is not None
        except (ImportError, ValueError):
            return False

    def command(self, config: Path) -> list[str]:
        return [sys.executable, "-m", self.module, "build", "--strict", "-f", str(config)]

    def adapt(self, cfg: dict[str, Any]) -> dict[str, Any]:
        """This builder's changes to a per-language configuration (a new dict; ``cfg`` is kept)."""
        cfg = dict(cfg)
        if self.own_search_off:
            cfg["plugins"] = _search_off(cfg.get("plugins"))
        if self.name in ("mkdocs", "properdocs"):  # each page's HTML kept compressed until written: same HTML, less memory;
            # and a clean build may start before the figures and exports are written (inert unless told)
            cfg["hooks"] = [*(cfg.get("hooks") or []), mkdocs_lean.__file__, mkdocs_early.__file__]
        if self.name == "zensical":
            theme = dict(cfg.get("theme") or {})
            theme.setdefault("variant", "classic")  # Material's look, not Zensical's new one
            cfg["theme"] = theme
        return cfg


BUILDERS: dict[str, Builder] = {
    "mkdocs": Builder("mkdocs", "mkdocs", "mkdocs>=1.6,<2"),
    "properdocs": Builder("properdocs", "properdocs", "properdocs>=1.6.7,<2"),
    # 0.0.73 is the newest Zensical the package index serves with all its dependencies
    # (0.0.74 and later need zensical-ui); the overrides are tested against it.
    "zensical": Builder("zensical", "zensical", "zensical==0.0.73", docs_inside_config=True, own_search_off=True),
}
NAMES = tuple(BUILDERS)


def _search_off(plugins: Any) -> dict[str, Any]:
    """The plugin settings with ``search`` switched off (Zensical enables it unless told)."""
    out: dict[str, Any] = {}
    if isinstance(plugins, dict):
        out.update(plugins)
    elif isinstance(plugins, list):
        for item in plugins:
            if isinstance(item, str):
                out[item] = {}
            elif isinstance(item, dict):
                out.update(item)
    search = dict(out.get("search") or {})
    search["enabled"] = False
    out["search"] = search
    return out


@dataclass(frozen=True)
class Choice:
    builder: Builder
    origin: str            # "--builder", ENV, "mkdocs.yml" or "default"


def config_pos(config_file: Path, *keys: str) -> tuple[int, int]:
    """Line and column of the value at ``keys`` (e.g. ``"extra", "factsheets_builder"``; a list entry by its index, ``"hooks", "0"``) in a YAML
    configuration file ((1, 1) if it cannot be found)."""
    try:
        node = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return (1, 1)
    if node is None:
        return (1, 1)
    for key in keys:
        if isinstance(node, yaml.SequenceNode) and key.isdigit():  # a list entry by its index
            node = node.value[int(key)] if int(key) < len(node.value) else None
        elif isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
        else:
            return (1, 1)
        if node is None:
            return (1, 1)
    return (node.start_mark.line + 1, node.start_mark.column + 1)



def _install_hint(builder: Builder) -> str:
    return (f"install it into this environment: pip install '{builder.requirement}' "
            "(scripts/setup --builders installs every builder, pinned by constraints.txt)")


def choose(base: dict[str, Any], config_file: Path, flag: str | None = None,
           env: Mapping[str, str] | None = None) -> Choice:
    """The builder to use: ``flag`` (--builder), else $FACTSHEETS_BUILDER, else mkdocs.yml's
    ``extra.factsheets_builder``, else MkDocs. An unknown name is an error naming the choices
    (located in mkdocs.yml when it comes from there); so is a builder that is not installed,
    naming the package to install."""
    env = os.environ if env is None else env
    extra = base.get("extra")
    if not isinstance(extra, dict):
        extra = {}
    setting = extra.get(SETTING[1])
    if flag:
        name, origin = flag, "--builder"
    elif env.get(ENV, "").strip():
        name, origin = env[ENV].strip(), ENV
    elif setting is not None:
        name, origin = setting, "mkdocs.yml"
    else:
        name, origin = DEFAULT, "default"
    choices = ", ".join(NAMES)
    if not isinstance(name, str) or name.strip().lower() not in BUILDERS:
        hint = (did_you_mean(str(name).lower(), NAMES) or f"choose one of {choices}")
        if origin == "mkdocs.yml":
            raise ContentError([diag(display_path(config_file), config_pos(config_file, *SETTING), "builder-unknown",
                                     f"extra.{SETTING[1]}: {name!r} is not a site builder (one of {choices})", hint)])
        raise UsageError(f"{origin}: {name!r} is not a site builder (one of {choices}); {hint}")
    builder = BUILDERS[name.strip().lower()]
    if not builder.installed():
        message = f"the {builder.label} site builder ('{builder.name}', chosen by {origin}) is not installed"
        if origin == "mkdocs.yml":
            raise ContentError([diag(display_path(config_file), config_pos(config_file, *SETTING), "builder-missing",
                                     message, _install_hint(builder))])
        raise BuildError(f"{message}\n  = hint: {_install_hint(builder)}")
    return Choice(builder, origin)


def relative_to_config(path: Path, config_dir: Path) -> str:
    """``path`` written relative to the configuration's folder (every builder resolves relative
    paths from there; Zensical refuses an absolute docs_dir), or absolute where no relative
    path exists (another drive)."""
    try:
        return Path(os.path.relpath(path.resolve(), config_dir.resolve())).as_posix()
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path.resolve())


def docs_mirror(config_dir: Path, lang: str) -> Path:
    """Where a builder with ``docs_inside_config`` reads ``lang``'s Markdown: beside its configuration."""
    return config_dir / f"docs-{lang}"


def finish_config(cfg: dict[str, Any], config_dir: Path, lang: str, builder: Builder | None = None) -> dict[str, Any]:
    """A per-language configuration as written to ``config_dir``: docs_dir, site_dir and the
    theme's custom_dir relative to that folder (read so by MkDocs, ProperDocs and Zensical alike),
    and the builder's own settings (:meth:`Builder.adapt`). For a builder that reads its docs only
    from inside the configuration's folder, docs_dir names :func:`docs_mirror` (filled by
    :func:`mirror_docs` when the Markdown is written)."""
    cfg = dict(cfg)
    if builder is not None and builder.docs_inside_config:
        cfg["docs_dir"] = relative_to_config(docs_mirror(config_dir, lang), config_dir)
    elif cfg.get("docs_dir"):
        cfg["docs_dir"] = relative_to_config(Path(cfg["docs_dir"]), config_dir)
    if cfg.get("site_dir"):
        cfg["site_dir"] = relative_to_config(Path(cfg["site_dir"]), config_dir)
    theme = cfg.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir") and Path(theme["custom_dir"]).is_absolute():
        cfg["theme"] = {**theme, "custom_dir": relative_to_config(Path(theme["custom_dir"]), config_dir)}
    return builder.adapt(cfg) if builder is not None else cfg


def mirror_docs(src: Path, dest: Path) -> Path:
    """A copy of the generated Markdown folder ``src`` at ``dest`` made of hard links (a plain
    copy where links cannot be made, e.g. across file systems), for a builder that reads its
    docs only from inside its configuration's folder. ``src`` is left as it is."""
    def link(s: str, d: str) -> None:
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)

    shutil.copytree(src, dest, copy_function=link, symlinks=False)
    return dest
