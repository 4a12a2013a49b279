"""Plain-text articles: headline, dateline, paragraphs, subheadings and page furniture.

The input is the article as delivered (see ``../shared/seeds``): the headline on the first
line, an optional dateline (``دبي -الشرق``), then one paragraph per line; blank lines are
ignored.  Page furniture is recognised by the documented rule list :data:`FURNITURE_RULES`
(docs/intake.md) and kept aside, never silently lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.core.arabic import normalize

#: A sentence ends with one of these; a subheading does not.
FINAL_PUNCT = tuple('.!?؟:؛;,،…"”»\')')
HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 90


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    pattern: re.Pattern[str]  # matched against the *normalized* line (see generator.core.arabic.normalize)
    max_words: int = 12       # longer lines are article text, whatever they start with
    opens_block: bool = False  # short lines after it belong to the same furniture block


def _rx(lead: tuple[str, ...] = (), label: tuple[str, ...] = ()) -> re.Pattern[str]:
    """``lead`` words start a furniture line followed by anything (اقرأ أيضاً بوتين يستقبل …);
    ``label`` words only count alone or followed by ``:`` / ``|`` / ``-`` (a bare "Related"
    is furniture, "Related talks were held" is not)."""
    def alt(words: tuple[str, ...]) -> str:
        return "|".join(re.escape(normalize(w)) for w in words) or "(?!)"
    return re.compile(rf"^(?:{alt(lead)})(?:$|[\s:,.|-])|^(?:{alt(label)})\s*(?:$|[:|-])", re.I)


_SHARE_WORDS = ["شارك", "شاركوا", "مشاركة", "شارك الخبر", "شارك المقال", "انشر", "share", "share this",
                "share this article", "share on", "facebook", "فيسبوك", "فيس بوك", "twitter", "تويتر", "اكس", "x",
                "whatsapp", "واتساب", "واتس اب", "telegram", "تلغرام", "تيليغرام", "linkedin", "لينكد ان", "email",
                "البريد الالكتروني", "نسخ الرابط", "copy link", "طباعة", "print"]
_SHARE_LABELS = sorted((normalize(w).split() for w in _SHARE_WORDS), key=len, reverse=True)

#: The furniture rule list (documented in docs/intake.md, tested in tests/intake/test_text.py).
FURNITURE_RULES: tuple[Rule, ...] = (
    Rule("categories", "category / tag lists",
         _rx(label=("تصنيفات", "التصنيفات", "التصنيف", "الأقسام", "القسم", "وسوم", "الوسوم", "كلمات مفتاحية",
                    "الكلمات المفتاحية", "categories", "category", "tags", "topics")), opens_block=True),
    Rule("related-stories", "related-story blocks",
         _rx(lead=("اقرأ أيضاً", "إقرأ أيضاً", "اقرأ أيضا", "اقرأ المزيد", "read also", "see also"),
             label=("قصص قد تهمك", "قد يهمك", "قد يعجبك", "المزيد", "المزيد من الأخبار", "أخبار ذات صلة",
                    "مواضيع ذات صلة", "مقالات ذات صلة", "ذات صلة", "الأكثر قراءة", "الأكثر مشاهدة", "read more",
                    "related", "related stories", "related articles", "you may also like", "more stories",
                    "most read")),
         max_words=25, opens_block=True),
    Rule("copyright", "copyright lines",
         re.compile(r"(?:©|\(c\)\s*\d{4}|جميع الحقوق محفوظه|حقوق النشر محفوظه|all rights reserved|^copyright\b)", re.I),
         max_words=30),
    Rule("byline", "bylines' boilerplate",
         _rx(lead=("بقلم", "كتب:", "كتبت:", "إعداد:", "تحرير:", "المحرر:", "مراسل الشرق", "reporting by",
                   "written by", "by"), label=("كتب", "إعداد", "تحرير")), max_words=6),
    Rule("timestamp", "publication and update time stamps",
         re.compile(_rx(lead=("آخر تحديث", "تاريخ النشر", "تاريخ التحديث", "نشر بتاريخ", "تم النشر", "last updated"),
                        label=("نشر في", "updated", "published")).pattern
                    + r"|^(?:updated|published|نشر في|نشر)\s*:?\s*(?:on\s+)?\d", re.I), max_words=10),
    Rule("follow", "calls to follow or subscribe",
         _rx(lead=("تابعونا", "تابعنا", "تابعوا على", "تابعوا آخر", "اشترك في النشرة", "اشترك الآن", "اشتركوا",
                   "حمّل التطبيق", "حمل تطبيق", "لمتابعة آخر الأخبار", "follow us", "subscribe to", "sign up for"),
             label=("اشترك", "subscribe", "sign up")), max_words=15),
    Rule("caption", "picture captions that start with a label",
         _rx(lead=("الصورة:", "صورة:", "مصدر الصورة:", "photo:", "image:", "file photo"),
             label=("مصدر الصورة", "صورة أرشيفية")), max_words=30),
    Rule("advertisement", "advertising labels, alone on their line",
         _rx(label=("إعلان", "محتوى مدعوم", "advertisement", "sponsored", "sponsored content"))),
)


def _share_line(norm: str) -> bool:
    """A line made only of share-button labels (longest label first), at most 12 words."""
    words = re.sub(r"[|,/•·\-]+", " ", norm).split()
    if not words or len(words) > 12:
        return False
    i = 0
    while i < len(words):
        for label in _SHARE_LABELS:
            if words[i:i + len(label)] == label:
                i += len(label)
                break
        else:
            return False
    return True


def furniture_rule(line: str) -> str | None:
    """The name of the furniture rule a line matches, or None for article text."""
    norm = normalize(line).strip()
    if not norm:
        return None
    if _share_line(norm):
        return "share"
    words = len(norm.split())
    for rule in FURNITURE_RULES:
        if words <= rule.max_words and rule.pattern.search(norm):
            return rule.name
    return None


def _opens_block(rule: str, line: str) -> bool:
    """A bare label (at most 4 words, e.g. ``قصص قد تهمك``) opens a block of link lines."""
    return len(line.split()) <= 4 and any(r.name == rule and r.opens_block for r in FURNITURE_RULES)


def is_sentence(line: str) -> bool:
    s = line.strip()
    return bool(s) and s.endswith(FINAL_PUNCT)


def looks_like_heading(line: str) -> bool:
    s = line.strip()
    return (0 < len(s) <= HEADING_MAX_CHARS and len(s.split()) <= HEADING_MAX_WORDS
            and not s.endswith(FINAL_PUNCT))


_DATELINE_RE = re.compile(
    r"^(?P<place>[^\W\d_][^\d\-–—:()]{0,40}?)\s*"
    r"(?:\((?P<o1>[^()]{1,40})\)\s*[-–—:]?|[-–—]\s*(?P<o2>[^\-–—:]{1,40}?)?)\s*[:.]?$")


@dataclass(frozen=True)
class Dateline:
    text: str
    place: str
    outlet: str | None


def parse_dateline(line: str) -> Dateline | None:
    """``دبي -الشرق`` → place دبي, outlet phrase الشرق; ``القاهرة (رويترز) -`` too."""
    s = line.strip()
    if not s or len(s.split()) > 7:
        return None
    m = _DATELINE_RE.match(s)
    if not m:
        return None
    outlet = (m.group("o1") or m.group("o2") or "").strip() or None
    return Dateline(s, m.group("place").strip(), outlet)


def _first_line_dateline(line: str) -> bool:
    """A dateline standing first (no headline above it): short parts (``دمشق - وكالات``,
    ``القاهرة (رويترز)``) and a dash set off by a space, so ``al-Shaibani meets …`` is a headline."""
    d = parse_dateline(line)
    if d is None or len(d.place.split()) > 3 or (d.outlet and len(d.outlet.split()) > 3):
        return False
    return "(" in line or bool(re.search(r"\s[-–—]|[-–—]\s|[-–—]$", line))


@dataclass
class Parsed:
    """An article split into parts; ``blocks`` are (text, is_heading) in order."""

    headline: str
    dateline: Dateline | None
    blocks: list[tuple[str, bool]]
    furniture: list[tuple[str, str]] = field(default_factory=list)  # (line, rule name)
    meta: dict[str, str] = field(default_factory=dict)              # from HTML: url, date, sitename
    notes: list[str] = field(default_factory=list)                  # for the report (not review notes)
    structure: list[str] = field(default_factory=list)              # doubts about the structure (review notes)


def split_lines(raw: str) -> list[str]:
    """One block per non-empty line (CRLF and CR are accepted; surrounding spaces stripped)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return [line.strip() for line in text.split("\n") if line.strip()]


#: A lede has more words than a headline, or ends like a sentence with more than a headline's words.
LEDE_MIN_WORDS = 25


def looks_like_lede(line: str) -> bool:
    """The article's first sentence rather than a headline: long, or a full sentence (final
    ``.``/``،``/``؛``, not a closing quote, which headlines often end with) of over 12 words."""
    s = line.strip()
    words = len(s.split())
    return words >= LEDE_MIN_WORDS or (words > HEADING_MAX_WORDS and s.endswith((".", "،", "؛", "…", "!", "؟", "?")))


def assemble(lines: list[tuple[str, bool | None]], headline: str | None = None,
             given: str | None = None) -> Parsed:
    """Common parsing of text and HTML input.

    ``lines`` are (text, heading flag); a flag of None means "unknown, decide from the text"
    (plain text), True/False come from HTML tags.  Furniture is removed first, then the
    headline (first line unless given), the dateline (first line after it, if it has the
    shape ``PLACE -OUTLET``) and subheadings (short lines without final punctuation standing
    between two paragraphs).
    """
    kept: list[tuple[str, bool | None]] = []
    furniture: list[tuple[str, str]] = []
    block_rule: str | None = None  # inside a block opened by a bare label
    for text, flag in lines:
        rule = furniture_rule(text)
        if rule is None and block_rule and not is_sentence(text) and len(text.split()) <= 15:
            rule = block_rule
        if rule:
            furniture.append((text, rule))
            block_rule = rule if _opens_block(rule, text) else block_rule
            continue
        block_rule = None
        kept.append((text, flag))
    notes: list[str] = []
    if given is not None:
        # --headline: the first line is dropped only when it *is* that headline
        headline = given
        if kept and normalize(kept[0][0]) == normalize(given):
            kept.pop(0)
    if headline is None:
        if not kept:
            return Parsed("", None, [], furniture)
        first = kept[0][0]
        if _first_line_dateline(first):
            notes.append("the article starts with its dateline: no headline found")
            headline = ""
        elif looks_like_lede(first):
            notes.append("the first line reads like the lede (a long sentence), not a headline: it is kept as the "
                         "first paragraph")
            headline = ""
        else:
            headline = kept.pop(0)[0]
            if is_sentence(headline) and not headline.endswith(('"', "”", "»", "'")):
                notes.append(f"the first line ends like a sentence but was taken as the headline: «{headline}»")
    dateline = parse_dateline(kept[0][0]) if kept else None
    if dateline:
        kept.pop(0)
    blocks: list[tuple[str, bool]] = []
    for i, (text, flag) in enumerate(kept):
        if flag is None:
            between = 0 < i < len(kept) - 1 and not (blocks and blocks[-1][1])
            flag = between and looks_like_heading(text) and is_sentence(kept[i + 1][0])
        blocks.append((text, bool(flag)))
    return Parsed(headline, dateline, blocks, furniture, structure=notes)


def parse_text(raw: str, headline: str | None = None) -> Parsed:
    """Parse a plain-text article (see the module docstring); ``headline``: --headline."""
    return assemble([(line, None) for line in split_lines(raw)], given=headline)
