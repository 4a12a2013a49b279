"""Stages 1–5 as one call: content → checked Corpus → planned pages → Markdown on disk.

This is the part that does not depend on the site tool: its output is plain Markdown
under ``build/docs/<lang>/`` that MkDocs (or another builder) turns into HTML.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.corpus import Corpus
from generator.errors import Diagnostic
from generator.history import last_changed_dates
from generator.extras import Context, extra_files
from generator.plan import LANGS, plan_pages
from generator.render import Renderer
from generator.validate import load_and_check
from generator.write import WriteReport, write_tree


@dataclass(frozen=True)
class Generated:
    corpus: Corpus
    pages: int
    report: dict[str, WriteReport]
    warnings: list[Diagnostic]
    seconds: float


def generate(content: Path, templates: Path, docs_root: Path, *, strict: bool = False,
             site_url: str = "", progress: Callable[[str], None] = lambda _msg: None) -> Generated:
    """Load, check, plan, render and write both languages; raise ContentError on bad content."""
    t0 = time.perf_counter()
    checked = load_and_check(content, strict=strict)
    corpus = checked.corpus
    progress(f"checked {len(corpus.meetings)} meetings, {len(corpus.statements)} statements")
    pages = plan_pages(corpus)
    renderer = Renderer(corpus, templates, site_url, changed=last_changed_dates(content))
    reports: dict[str, WriteReport] = {}
    for lang in LANGS:
        mine = [p for p in pages if p.lang == lang]
        rendered = [(p.path, renderer.render(p)) for p in mine]
        extras = extra_files(Context(corpus, lang, site_url))
        reports[lang] = write_tree(docs_root / lang, [*rendered, *extras])
        r = reports[lang]
        progress(f"{lang}: {len(mine)} pages ({r.written} written, {r.unchanged} unchanged, {r.removed} removed)")
    return Generated(corpus, len(pages), reports, checked.warnings, time.perf_counter() - t0)
