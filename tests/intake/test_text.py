"""Plain-text parsing: headline, dateline, subheadings and the furniture rule list."""

from __future__ import annotations

import pytest

from generator.intake.text import FURNITURE_RULES, furniture_rule, parse_dateline, parse_text

FURNITURE = [
    ("تصنيفات", "categories"), ("التصنيفات: سياسة، سوريا", "categories"), ("وسوم", "categories"), ("Tags", "categories"),
    ("قصص قد تهمك", "related-stories"), ("اقرأ أيضاً: بوتين يستقبل الشيباني في الكرملين", "related-stories"),
    ("إقرأ أيضا", "related-stories"), ("اقرأ المزيد", "related-stories"), ("أخبار ذات صلة", "related-stories"),
    ("Read also", "related-stories"), ("You may also like", "related-stories"),
    ("شارك", "share"), ("مشاركة", "share"), ("Share", "share"), ("شارك الخبر", "share"),
    ("Facebook | Twitter | WhatsApp", "share"), ("فيسبوك تويتر واتساب نسخ الرابط", "share"),
    ("© 2025 الشرق للأخبار", "copyright"), ("جميع الحقوق محفوظة لقناة الشرق", "copyright"),
    ("Copyright 2025 Asharq News. All rights reserved.", "copyright"),
    ("بقلم محمد العلي", "byline"), ("كتب: أحمد سعيد", "byline"), ("آخر تحديث: 24 ديسمبر 2025", "timestamp"),
    ("By John Smith", "byline"), ("Updated 24 December 2025", "timestamp"), ("نشر في 24/12/2025 - 10:30", "timestamp"),
    ("تابعونا على تطبيقات التواصل", "follow"), ("اشترك في النشرة البريدية", "follow"), ("Follow us", "follow"),
    ("الصورة: وزير الخارجية الروسي (رويترز)", "caption"), ("إعلان", "advertisement"), ("Advertisement", "advertisement"),
]
NOT_FURNITURE = [
    "شارك في الاجتماع وزراء الخارجية العرب، وبحثوا تطورات الأوضاع في المنطقة.",
    "وقال لافروف إن روسيا ملتزمة بسيادة سوريا.",
    "لقاء روسي سوري في موسكو",
    "كتب الوزير في منشور على منصة إكس أن بلاده ستواصل دعم جهود إعادة الإعمار في سوريا والمنطقة.",
    "إعلان دمشق",
    "Related talks were held in Geneva on Monday.",
    "اشترك في المؤتمر وزراء خارجية عشر دول.",
    "By the end of the talks, both sides had agreed on a plan.",
    "المزيد من التعاون بين البلدين هو الهدف، بحسب الوزير.",
    "لمتابعة تنفيذ الاتفاق، شكل الجانبان لجنة مشتركة.",
    "تابعوا المفاوضات حتى ساعة متأخرة من الليل.",
]


@pytest.mark.parametrize(("line", "rule"), FURNITURE)
def test_furniture_rules(line, rule):
    assert furniture_rule(line) == rule


@pytest.mark.parametrize("line", NOT_FURNITURE)
def test_article_text_is_not_furniture(line):
    assert furniture_rule(line) is None


def test_every_rule_is_documented_and_tested():
    doc = (__import__("pathlib").Path(__file__).resolve().parents[2] / "docs" / "intake.md").read_text(encoding="utf-8")
    tested = {rule for _, rule in FURNITURE}
    for rule in FURNITURE_RULES:
        assert rule.name in tested
        assert f"`{rule.name}`" in doc
    assert "`share`" in doc and "share" in tested


ARTICLE = """عنوان الخبر هنا

موسكو - رويترز

الفقرة الأولى من الخبر تنتهي بنقطة.

عنوان فرعي قصير

الفقرة الثانية بعد العنوان الفرعي.
شارك
قصص قد تهمك
خبر جانبي أول
خبر جانبي ثان
"""


def test_parse_text_blocks_and_furniture_block():
    p = parse_text(ARTICLE.replace("\n", "\r\n"))
    assert p.headline == "عنوان الخبر هنا"
    assert p.dateline and (p.dateline.place, p.dateline.outlet) == ("موسكو", "رويترز")
    assert p.blocks == [("الفقرة الأولى من الخبر تنتهي بنقطة.", False), ("عنوان فرعي قصير", True),
                        ("الفقرة الثانية بعد العنوان الفرعي.", False)]
    assert [line for line, _ in p.furniture] == ["شارك", "قصص قد تهمك", "خبر جانبي أول", "خبر جانبي ثان"]


def test_short_last_line_is_not_a_heading():
    p = parse_text("عنوان\n\nفقرة أولى.\n\nسطر أخير قصير")
    assert p.blocks[-1] == ("سطر أخير قصير", False)


@pytest.mark.parametrize(("line", "place", "outlet"), [
    ("دبي -الشرق", "دبي", "الشرق"), ("دبي - الشرق", "دبي", "الشرق"), ("دمشق – سانا", "دمشق", "سانا"),
    ("القاهرة (رويترز) -", "القاهرة", "رويترز"), ("واشنطن —", "واشنطن", None),
])
def test_datelines(line, place, outlet):
    d = parse_dateline(line)
    assert d is not None and (d.place, d.outlet, d.text) == (place, outlet, line)


@pytest.mark.parametrize("line", ["تدخل العلاقات السورية الروسية مرحلة جديدة من التنسيق والتعاون - كما قال الوزير.",
                                  "لقاء روسي سوري في موسكو"])
def test_not_datelines(line):
    assert parse_dateline(line) is None
