"""Catalogs, docs and codes stay in step."""

from __future__ import annotations

import re

import yaml

from generator.errors import CODES
from generator.core.model import Mode, OrgKind, Stance, MeetingKind, DateMethod
from tests.conftest import REPO
from typing import get_args


def catalog(lang: str) -> dict[str, str]:
    return yaml.safe_load((REPO / "templates" / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8"))


def test_catalogs_have_the_same_keys() -> None:
    assert set(catalog("ar")) == set(catalog("en"))


def test_catalogs_translate_every_choice() -> None:
    for lang in ("ar", "en"):
        cat = catalog(lang)
        for prefix, choices in (("stance_", Stance), ("mode_", Mode), ("orgkind_", OrgKind),
                                ("kind_", MeetingKind), ("method_", DateMethod)):
            for value in get_args(choices):
                assert prefix + value in cat, (lang, prefix + value)


def test_arabic_catalog_is_arabic() -> None:
    ar = catalog("ar")
    assert ar["dir"] == "rtl" and catalog("en")["dir"] == "ltr"
    for key in ("home", "participants", "positions", "search", "timeline"):
        assert re.search(r"[\u0600-\u06FF]", ar[key]), key


def test_every_code_is_documented() -> None:
    doc = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    for code in CODES:
        assert f"`{code}`" in doc, code
