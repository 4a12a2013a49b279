"""MkDocs hooks that let a clean build start on a language before all its files are written.

A language's Markdown pages are written first; its figures (SVG), exports (JSON, CSV) and
redirect pages come after them, and take a fifth of the language's generation. MkDocs lists the
docs folder when it starts and reads the files it lists, but it copies the files that are not
pages only after it has converted every page (a minute at N = 1,000). So ``factsheets build``
starts MkDocs as soon as the pages are written (generator/publish/site.py, ``SiteBuild.start_early``)
and tells it, through a file named by :data:`PENDING_ENV`, which files are still to come:

- ``on_files`` adds each of them to MkDocs' files, so that links to them resolve as they would
  with the file in place;
- ``on_env`` (the last event before MkDocs copies those files) waits until the build creates the
  ready mark beside that file (:func:`ready_mark`), and stops the build with a clear error if one of
  the announced files was not written, or if the build that started this MkDocs is gone.

Without the environment variable (plain ``mkdocs build``, an incremental build, the preview) the
hooks do nothing. Same HTML either way: the files are the same by the time MkDocs reads them.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

#: The environment variable naming the JSON list of files still to be written (relative to docs_dir).
PENDING_ENV = "FACTSHEETS_PENDING_FILES"
#: How often the ready mark is looked for, in seconds.
POLL = 0.02


def ready_mark(pending: Path) -> Path:
    """The file the build creates once every file listed in ``pending`` is written."""
    return pending.with_name(pending.name + ".ready")


def write_pending(pending: Path, paths: list[str]) -> None:
    """List the files still to be written (written whole before MkDocs is started)."""
    tmp = pending.with_name(pending.name + ".tmp")
    tmp.write_text(json.dumps(paths, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, pending)


def mark_ready(pending: Path) -> None:
    """Every file listed in ``pending`` is written: the MkDocs waiting for them goes on."""
    ready_mark(pending).touch()


def _pending() -> Path | None:
    raw = os.environ.get(PENDING_ENV, "")
    return Path(raw) if raw else None


def on_files(files: Any, config: Any, **_: Any) -> Any:
    """The files still to be written, added to MkDocs' list (those already there are kept as listed)."""
    pending = _pending()
    if pending is None:
        return files
    from mkdocs.structure.files import File

    for rel in json.loads(pending.read_text(encoding="utf-8")):
        if files.get_file_from_path(rel) is None:
            files.append(File(rel, config["docs_dir"], config["site_dir"], config["use_directory_urls"]))
    return files


def on_env(env: Any, config: Any, files: Any, **_: Any) -> Any:
    """Before MkDocs copies the files that are not pages: wait until they are all written."""
    pending = _pending()
    if pending is None:
        return env
    from mkdocs.exceptions import PluginError

    parent = os.getppid()
    mark = ready_mark(pending)
    if not mark.exists():
        logging.getLogger("mkdocs.factsheets").info("waiting for the files the factsheets build is still writing")
    while not mark.exists():
        if os.getppid() != parent:  # the build that started us stopped: nothing more will be written
            raise PluginError("the factsheets build that started this MkDocs stopped before its files were written")
        time.sleep(POLL)
    docs = Path(config["docs_dir"])
    missing = [rel for rel in json.loads(pending.read_text(encoding="utf-8")) if not (docs / rel).is_file()]
    if missing:
        raise PluginError(f"{len(missing)} file(s) announced by the factsheets build were not written, "
                          f"e.g. {missing[0]}")
    return env
