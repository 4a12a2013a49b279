"""Every date phrase listed in docs/intake.md, resolved against a Wednesday publication."""

from __future__ import annotations

from datetime import date

import pytest

from generator.intake.dates import find_dates

PUB = date(2025, 12, 24)  # a Wednesday

WEEKDAYS = [("الأحد", 21), ("الاثنين", 22), ("الإثنين", 22), ("الثلاثاء", 23), ("الأربعاء", 24), ("الخميس", 18),
            ("الجمعة", 19), ("السبت", 20)]
CASES = (
    [(w, date(2025, 12, d), "weekday-relative") for w, d in WEEKDAYS]
    + [(f"يوم {w}", date(2025, 12, d), "weekday-relative") for w, d in WEEKDAYS]
    + [("الأربعاء الماضي", date(2025, 12, 17), "weekday-relative"), ("يوم الثلاثاء الماضي", date(2025, 12, 23), "weekday-relative"),
       ("الجمعة الماضية", date(2025, 12, 19), "weekday-relative"), ("الأربعاء المقبل", date(2025, 12, 31), "weekday-relative"),
       ("الخميس المقبل", date(2025, 12, 25), "weekday-relative"), ("الجمعة المقبلة", date(2025, 12, 26), "weekday-relative"),
       ("الأحد القادم", date(2025, 12, 28), "weekday-relative"),
       ("اليوم", PUB, "inferred"), ("أمس", date(2025, 12, 23), "inferred"), ("الأمس", date(2025, 12, 23), "inferred"),
       ("أول أمس", date(2025, 12, 22), "inferred"), ("أول من أمس", date(2025, 12, 22), "inferred"),
       ("غداً", date(2025, 12, 25), "inferred"), ("غدا", date(2025, 12, 25), "inferred")]
)
MONTHS = [("كانون الثاني", "يناير", 1), ("شباط", "فبراير", 2), ("آذار", "مارس", 3), ("نيسان", "أبريل", 4),
          ("أيار", "مايو", 5), ("حزيران", "يونيو", 6), ("تموز", "يوليو", 7), ("آب", "أغسطس", 8),
          ("أيلول", "سبتمبر", 9), ("تشرين الأول", "أكتوبر", 10), ("تشرين الثاني", "نوفمبر", 11),
          ("كانون الأول", "ديسمبر", 12)]
for levant, gregorian, n in MONTHS:
    for name in (levant, gregorian, f"{levant}/{gregorian}"):
        CASES.append((f"12 {name} 2025", date(2025, n, 12), "stated"))


@pytest.mark.parametrize(("phrase", "expected", "method"), CASES)
def test_phrase(phrase, expected, method):
    found = find_dates([(f"وقال الوزير {phrase}، إن الجانبين اتفقا.", False)], PUB)
    assert [(d.phrase, d.date, d.method) for d in found] == [(phrase, expected, method)]


@pytest.mark.parametrize(("text", "phrase", "expected"), [
    ("والثلاثاء، استقبل الرئيس", "الثلاثاء", date(2025, 12, 23)),
    ("وفي الأربعاء التقى", "الأربعاء", date(2025, 12, 24)),
    ("في 23 ديسمبر", "23 ديسمبر", date(2025, 12, 23)),
    ("في ٢٣ كانون الأول", "٢٣ كانون الأول", date(2025, 12, 23)),
    ("في 2 يناير", "2 يناير", date(2026, 1, 2)),         # no year: the one nearest publication
    ("في 20 من شهر ديسمبر", "20 من شهر ديسمبر", date(2025, 12, 20)),
])
def test_clitics_and_years(text, phrase, expected):
    found = find_dates([(text, False)], PUB)
    assert [(d.phrase, d.date) for d in found] == [(phrase, expected)]


@pytest.mark.parametrize("text", ["أحد المسؤولين", "الأيام المقبلة", "31 فبراير 2025", "مؤتمر يومي"])
def test_no_false_dates(text):
    assert find_dates([(text, False)], PUB) == []
