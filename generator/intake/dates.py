"""Date phrases resolved against the publication date.

Recognised (whole words, on normalized text; و/ف/ب/في may stand in front):
- weekdays الأحد … السبت, optionally after يوم and before الماضي / المقبل / القادم:
  a bare weekday is the most recent such day on or before publication (الأربعاء on a
  Wednesday = that day); with الماضي the most recent one strictly before; with المقبل or
  القادم the next one strictly after.  Method ``weekday-relative``.
- اليوم (publication day), أمس / الأمس (the day before), أول أمس / أول من أمس (two days
  before), غداً / غدا (the day after).  Method ``inferred`` (docs/annotating.md §8).
- a day number with a month in either series, optionally with a year: ``23 ديسمبر``,
  ``23 كانون الأول``, ``23 كانون الأول/ديسمبر 2025``.  Without a year, the year that puts the
  date nearest to the publication date.  Method ``stated``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from datetime import date as Date  # the type, where a field is named "date"

from generator.core.arabic import normalize, normalize_with_map, span_to_original

W = r"[^\W_]"
WEEKDAYS = {"الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6}
WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS: dict[str, int] = {}
for _n, _names in enumerate((
        ("كانون الثاني", "يناير", "جانفي"), ("شباط", "فبراير", "فيفري"), ("آذار", "مارس"), ("نيسان", "أبريل", "ابريل", "افريل"),
        ("أيار", "مايو", "ماي"), ("حزيران", "يونيو", "يونيه", "جوان"), ("تموز", "يوليو", "يوليه", "جويلية"),
        ("آب", "أغسطس", "اغسطس", "أوت"), ("أيلول", "سبتمبر"), ("تشرين الأول", "أكتوبر"), ("تشرين الثاني", "نوفمبر"),
        ("كانون الأول", "ديسمبر")), start=1):
    for _name in _names:
        MONTHS[normalize(_name)] = _n
RELATIVE = {"اليوم": 0, "امس": -1, "الامس": -1, "اول امس": -2, "اول من امس": -2, "غدا": 1}

_PRE = r"(?<!" + W + r")(?:[وفب]|في\s+)?"
_MONTH_ALT = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_WEEKDAY_RE = re.compile(_PRE + r"(?P<phrase>(?:يوم\s+)?(?P<day>" + "|".join(WEEKDAYS) +
                         r")(?:\s+(?P<rel>الماضيه|الماضي|المقبله|المقبل|القادمه|القادم))?)(?!" + W + ")")
_RELATIVE_RE = re.compile(_PRE + r"(?P<phrase>" + "|".join(sorted(RELATIVE, key=len, reverse=True)) + r")(?!" + W + ")")
_STATED_RE = re.compile(r"(?<![\w/])(?P<phrase>(?P<d>[0-3]?\d)\s+(?:من\s+)?(?:شهر\s+)?(?P<m>" + _MONTH_ALT + r")"
                        r"(?:\s*/\s*(?:" + _MONTH_ALT + r"))?(?:\s+(?:من\s+)?(?:عام\s+|العام\s+)?(?P<y>(?:19|20)\d\d))?)"
                        r"(?!" + W + ")")


_RANGE_RE = re.compile(r"(?<![\w/])(?P<phrase>(?:(?:من|بين)\s+)?(?P<d1>[0-3]?\d)(?:\s+(?P<m1>" + _MONTH_ALT + r"))?"
                       r"\s*(?:الي|الى|حتي|حتى|و|-|–)\s*(?P<d2>[0-3]?\d)\s+(?:من\s+)?(?:شهر\s+)?(?P<m>" + _MONTH_ALT + r")"
                       r"(?:\s*/\s*(?:" + _MONTH_ALT + r"))?(?:\s+(?:من\s+)?(?:عام\s+|العام\s+)?(?P<y>(?:19|20)\d\d))?)"
                       r"(?!" + W + ")")
#: Words that mark background (pluperfect, earlier events): "وكان … قد", "سبق أن", "في وقت سابق".
_BACKGROUND_RE = re.compile(r"(?<!" + W + r")(?:وكان|كان|وكانت|كانت|سبق|وسبق|سابق)(?!" + W + ")")


@dataclass(frozen=True)
class DatePhrase:
    phrase: str      # as written in the article (clitics and في left out)
    block: int
    start: int
    date: date
    method: str      # weekday-relative | inferred | stated
    rule: str        # a short English explanation
    end: Date | None = None      # a range's last day ("من 3 إلى 5 ديسمبر")
    background: bool = False     # in a sentence about an earlier event ("وكان … قد التقى")


def resolve_weekday(day: int, published: date, rel: str | None) -> date:
    back = (published.weekday() - day) % 7
    if rel == "الماضي":
        return published - timedelta(days=back or 7)
    if rel in ("المقبل", "القادم"):
        return published + timedelta(days=(day - published.weekday()) % 7 or 7)
    return published - timedelta(days=back)


def _nearest_year(day: int, month: int, published: date) -> date | None:
    options = []
    for y in (published.year - 1, published.year, published.year + 1):
        try:
            options.append(date(y, month, day))
        except ValueError:
            continue
    return min(options, key=lambda d: abs((d - published).days)) if options else None


def find_dates(blocks: list[tuple[str, bool]], published: date) -> list[DatePhrase]:
    """Every date phrase in the blocks, resolved, in reading order."""
    out: list[DatePhrase] = []
    for b, (text, _) in enumerate(blocks):
        norm, imap = normalize_with_map(text)
        hits: list[tuple[int, int, date, str, str]] = []
        for m in _WEEKDAY_RE.finditer(norm):
            day, rel = WEEKDAYS[m.group("day")], (m.group("rel") or "").removesuffix("ه") or None
            d = resolve_weekday(day, published, rel)
            how = {"الماضي": "previous", "المقبل": "next", "القادم": "next"}.get(rel or "", "most recent on or before")
            hits.append((m.start("phrase"), m.end("phrase"), d, "weekday-relative",
                         f"{WEEKDAY_EN[day]}, {how} publication ({published.isoformat()}, {WEEKDAY_EN[published.weekday()]})"))
        for m in _RELATIVE_RE.finditer(norm):
            offset = RELATIVE[m.group("phrase")]
            hits.append((m.start("phrase"), m.end("phrase"), published + timedelta(days=offset), "inferred",
                         f"{offset:+d} day(s) from publication ({published.isoformat()})"))
        for m in _STATED_RE.finditer(norm):
            day, month = int(m.group("d")), MONTHS[m.group("m")]
            if m.group("y"):
                try:
                    d = date(int(m.group("y")), month, day)
                except ValueError:
                    continue
                why = "date stated in full"
            else:
                d = _nearest_year(day, month, published)  # type: ignore[assignment]  # None: no such day
                why = "day and month stated; year nearest to publication"
            if d is not None:
                hits.append((m.start("phrase"), m.end("phrase"), d, "stated", why))
        ends: dict[int, date] = {}
        for m in _RANGE_RE.finditer(norm):
            month2, month1 = MONTHS[m.group("m")], MONTHS[m.group("m1")] if m.group("m1") else MONTHS[m.group("m")]
            d1, d2 = int(m.group("d1")), int(m.group("d2"))
            end: date | None
            first: date | None
            try:
                if m.group("y"):
                    end = date(int(m.group("y")), month2, d2)
                    first = date(end.year - (month1 > month2), month1, d1)
                else:
                    end = _nearest_year(d2, month2, published)
                    first = date(end.year - (month1 > month2), month1, d1) if end else None
            except ValueError:
                continue
            if end is None or first is None or first >= end:
                continue
            ends[m.start("phrase")] = end
            hits.append((m.start("phrase"), m.end("phrase"), first, "stated", "a range of days: its first day"))
        taken: list[tuple[int, int]] = []
        for s, e, d, method, why in sorted(hits, key=lambda h: (h[0], -(h[1] - h[0]))):
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            os_, oe = span_to_original(text, imap, s, e)
            sentence = norm[max(norm.rfind(".", 0, s), norm.rfind("،", 0, s) - 80, 0):s]
            out.append(DatePhrase(text[os_:oe], b, os_, d, method, why, ends.get(s),
                                  bool(_BACKGROUND_RE.search(sentence))))
    return sorted(out, key=lambda p: (p.block, p.start))
