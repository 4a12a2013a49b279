"""Run LinkChecker (https://linkchecker.github.io/linkchecker/) over a served site.

Everything on the test host is "internal" (checked, recursed without limit), so a link that
leaves /REPO/ for the server root is checked too and reported broken; other hosts are
syntax-checked only (no network). The AnchorCheck plugin reports #fragments that name no
id on their page; its findings are warnings, so warnings count as failures here.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

LINKCHECKER = Path(sys.executable).with_name("linkchecker")

CONFIG = """\
[checking]
recursionlevel=-1
threads=8
timeout=30
maxrequestspersecond=1000
[filtering]
checkextern=0
internlinks=^https?://{host}(/|$)
[output]
warnings=1
[AnchorCheck]
"""


@dataclass(frozen=True)
class Row:
    url: str          # absolute URL checked (with its #fragment, if any)
    name: str         # the link as written
    parent: str       # page the link is on
    result: str
    warning: str
    info: str
    valid: bool
    line: str

    def describe(self) -> str:
        return (f"{self.name!r} on {self.parent or '(start)'} line {self.line} -> {self.url}: "
                f"{self.result} {self.warning}".strip())


def run_linkchecker(start_urls: list[str], workdir: Path) -> list[Row]:
    host = re.escape(urlsplit(start_urls[0]).netloc)
    config = workdir / "linkcheckerrc"
    config.write_text(CONFIG.format(host=host), encoding="utf-8")
    proc = subprocess.run([str(LINKCHECKER), "-f", str(config), "--no-status", "--verbose", "-o", "csv",
                           *start_urls], capture_output=True, text=True, timeout=900)
    # exit status: 0 all fine, 1 broken links or warnings, 2 LinkChecker itself failed
    assert proc.returncode in (0, 1), f"linkchecker failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
    lines = [ln for ln in proc.stdout.splitlines(keepends=True) if not ln.startswith("# ")]
    rows = list(csv.DictReader(lines, delimiter=";"))
    assert rows, "linkchecker printed no results:\n" + proc.stdout[-2000:] + proc.stderr[-2000:]
    return [Row(r["url"] or r["urlname"], r["urlname"], r["parentname"], r["result"] or "", r["warningstring"] or "",
                r["infostring"] or "", r["valid"] == "True", r["line"]) for r in rows]


def problems(rows: list[Row], host: str) -> list[str]:
    """Broken links, missing anchors, any warning, and anything on the test host left unchecked."""
    found = []
    for row in rows:
        if not row.valid or row.warning:
            found.append(row.describe())
        elif row.result == "filtered" and urlsplit(row.url).netloc == host:
            found.append(row.describe() + " (left unchecked)")
    return sorted(set(found))
