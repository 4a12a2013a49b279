"""The words inside a figure, in one language: names from the corpus, UI strings from the
catalog (templates/i18n/<lang>.yaml), dates in the language's own month names (CLDR)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator import urls
from generator.core.corpus import JOINT, Corpus
from generator.render.figures.data import Speaker
from generator.i18n import and_sep, direction, names_sep
from generator.i18n import fmt_pattern as _fmt


@dataclass(frozen=True)
class Labels:
    corpus: Corpus
    lang: str
    catalog: dict[str, str]

    @property
    def rtl(self) -> bool:
        return self.catalog.get("dir", direction(self.lang)) == "rtl"

    def t(self, key: str, **kw: str) -> str:
        text = self.catalog[key]
        return text.format(**kw) if kw else text

    def name(self, ident: str | None) -> str:
        if ident is None:
            return self.t("fig_other")
        if ident == JOINT:
            return self.t("joint")
        return self.corpus.name_of(ident, self.lang)

    def names(self, idents: tuple[str, ...] | list[str]) -> str:
        if not idents:
            return self.t("fig_other")
        return names_sep(self.catalog).join(self.name(i) for i in idents)

    def speaker(self, sp: Speaker) -> str:
        if sp.kind == "joint":
            return and_sep(self.catalog).join(self.name(i) for i in sp.ids)
        return self.name(sp.ids[0])

    def topic(self, ident: str | None) -> str:
        return self.name(ident) if ident else self.t("fig_no_topic")

    def stance(self, stance: str) -> str:
        return self.t(f"stance_{stance}")

    def day(self, d: date) -> str:
        """A full date, day first in both languages as on the pages: 23 ديسمبر 2025 / 23 Dec 2025."""
        return _fmt(d, self.lang, self.catalog["fig_date_format"])

    def when(self, start: date, last: date) -> str:
        if last != start:
            return self.t("date_range", start=self.day(start), end=self.day(last))
        return self.day(start)

    def tick(self, d: date, unit: str, with_year: bool) -> str:
        if unit == "year":
            return _fmt(d, self.lang, "y")
        if unit == "month":
            return _fmt(d, self.lang, "MMM y")
        return _fmt(d, self.lang, "d MMM y" if with_year else "d MMM")


def page_url(kind: str, ident: str, anchor: str = "") -> str:
    """The URL of an entity's page relative to the language root (directory URLs)."""
    return urls.page_url(kind, ident, anchor)
