"""When each content file last changed, from git (one `git log` for the whole folder)."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from generator.core.loader import display_path


def last_changed_dates(content: Path) -> dict[str, date]:
    """display path -> date of the last commit touching the file; {} outside git or on error."""
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=content, capture_output=True,
                             text=True, timeout=30)
        if top.returncode != 0:
            return {}
        log = subprocess.run(["git", "log", "--format=%x00%cs", "--name-only", "--", "."], cwd=content,
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return {}
    if log.returncode != 0:
        return {}
    root = Path(top.stdout.strip())
    dates: dict[str, date] = {}
    current: date | None = None
    for line in log.stdout.splitlines():
        if line.startswith("\0"):
            try:
                current = date.fromisoformat(line[1:].strip())
            except ValueError:
                current = None
        elif line.strip() and current is not None:
            dates.setdefault(display_path(root / line.strip()), current)  # newest first: keep the first
    return dates
