"""The package's source, read and parsed once per test session: the tests that grep or walk
every module (no import cycle, no table of kinds, no prefix rule, no module-level state) share it."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=None)
def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def parse(text: str) -> ast.Module:
    """``ast.parse(text)``, once per text (callers only read the tree)."""
    return ast.parse(text)
