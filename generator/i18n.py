"""The languages' words and grammar, in one module (issue 17, item 3).

Every user-visible string comes from the per-language catalogs ``templates/i18n/<lang>.yaml``
(loaded here, once per templates folder and file version); dates (Babel/CLDR, and the Hijri
date), numbers (Western or Arabic-Indic digits), plural forms (CLDR), separators and language
names are formatted here. Pages, feeds, briefs, redirect pages and figures all ask this module;
it imports nothing else of the package but :mod:`generator.resources` (where the catalogs
are), so no import cycle can go through it.
"""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml
from babel import Locale
from babel.dates import format_date
from hijridate import Gregorian

from generator.resources import TEMPLATES, catalog_file  # where the catalogs are: the project's, else the packaged ones

def load_catalog(templates: Path | None, lang: str) -> dict[str, str]:
    """A language's UI strings. A plural entry (``n_*``) maps CLDR plural forms (zero, one, two,
    few, many, other) to strings holding ``{n}``: it stays a mapping (see :func:`count_text`).
    Read once per file version (path, size, modification time); each call gets its own copy."""
    path = catalog_file(templates, lang)
    st = os.stat(path)
    return dict(_read_catalog(str(path), st.st_mtime_ns, st.st_size))


@lru_cache(maxsize=32)
def _read_catalog(path: str, _mtime: int, _size: int) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return {str(k): ({str(f): str(x) for f, x in v.items()} if isinstance(v, dict) else str(v))
                for k, v in yaml.safe_load(fh).items()}


def load_catalogs(templates: Path | None = TEMPLATES, langs: tuple[str, ...] = ("ar", "en")) -> dict[str, dict[str, str]]:
    return {lang: load_catalog(templates, lang) for lang in langs}


def text(catalog: Mapping[str, str], key: str, **kw: object) -> str:
    """A catalog string, its ``{placeholders}`` filled."""
    s = catalog[key]
    return s.format(**kw) if kw else s


# --- separators and direction ------------------------------------------------------------------

def list_sep(catalog: Mapping[str, str]) -> str:
    """Between items of a list: «، » / ", "."""
    return catalog["brief_sep"]


def and_sep(catalog: Mapping[str, str]) -> str:
    """Before the last of several names: « و» / " and "."""
    return catalog["brief_and"]


def names_sep(catalog: Mapping[str, str]) -> str:
    """Between the names of a figure's row (a counterpart of several parties)."""
    return catalog["names_sep"]


def direction(lang: str) -> str:
    """The writing direction of a language code: "rtl" or "ltr" (CLDR character order)."""
    try:
        return "rtl" if Locale.parse(lang).character_order == "right-to-left" else "ltr"
    except (ValueError, TypeError, LookupError):
        return "ltr"


# --- dates and numbers --------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def fmt_date(d: date, lang: str, fmt: str = "long") -> str:
    """A date with the language's month names (Babel/CLDR), day first in both languages, as the
    data spells it: 23 ديسمبر 2025, 23 December 2025 (not CLDR en's US "December 23, 2025").
    Remembered: the same dates come back on every page that lists a meeting, and Babel works each
    one out afresh."""
    if lang == "en" and fmt == "long":
        fmt = "d MMMM y"
    return format_date(d, fmt, locale=lang)


@lru_cache(maxsize=4096)
def fmt_pattern(d: date, lang: str, pattern: str) -> str:
    """A date in a CLDR pattern or format name, as CLDR gives it (figures' ticks and tooltips)."""
    return format_date(d, pattern, locale=lang)


_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def arabic_digits(s: str) -> str:
    return s.translate(_ARABIC_INDIC)


def digits(s: str, lang: str, style: str = "western") -> str:
    """Digits as the setting asks: Arabic-Indic on Arabic pages with ``arabic-indic``."""
    return arabic_digits(s) if lang == "ar" and style == "arabic-indic" else s


def count_text(forms: dict[str, str] | str, n: int, lang: str) -> str:
    """The form of a plural catalog entry for ``n`` (CLDR plural rules through Babel); ``{n}`` is
    left for the caller. A plain string is used for every count."""
    if isinstance(forms, str):
        return forms
    form = Locale.parse(lang).plural_form(n)
    return forms.get(form) or forms["other"]


@lru_cache(maxsize=64)
def language_name(code: str, in_lang: str) -> str:
    """The name of language ``code`` written in ``in_lang`` (CLDR via Babel); the code if unknown."""
    try:
        return Locale.parse(code).get_language_name(in_lang) or code
    except (ValueError, TypeError, LookupError):
        return code


#: The dates the Umm al-Qura calendar of hijridate covers (1 Muharram 1343 – 29 Dhu al-Hijjah 1500).
HIJRI_RANGE = (date(1924, 8, 1), date(2077, 11, 16))


def hijri(d: date, lang: str = "ar", catalog: Mapping[str, Any] | None = None) -> str:
    """The Hijri (Umm al-Qura) date written as the catalog's ``hijri_date`` says (the packaged
    catalog's when ``catalog`` has none), or "" for a date outside :data:`HIJRI_RANGE` (the page
    then shows the Gregorian date only)."""
    parts = _hijri_parts(d, lang)
    if parts is None:
        return ""
    pattern = (catalog or {}).get("hijri_date") or load_catalog(None, lang)["hijri_date"]
    day, month, year = parts
    return str(pattern).format(day=day, month=month, year=year)


@lru_cache(maxsize=4096)
def _hijri_parts(d: date, lang: str) -> tuple[int, str, int] | None:
    """Day, month name in ``lang`` (hijridate's) and year of ``d`` in the Umm al-Qura calendar."""
    if not HIJRI_RANGE[0] <= d <= HIJRI_RANGE[1]:
        return None
    try:
        h = Gregorian(d.year, d.month, d.day).to_hijri()
    except (OverflowError, ValueError):  # the table's bounds, should they ever differ from HIJRI_RANGE
        return None
    return h.day, h.month_name("ar" if lang == "ar" else "en"), h.year
