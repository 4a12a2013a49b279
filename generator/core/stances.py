"""Stance labels the source's own verbs license, and attribution chains (issue 19).

A statement's ``stance`` is a claim about what was said: ``commits-to`` says more than
``affirms``, which says more than ``discussed``. The label must be licensed by a verb (or
its verbal noun) of the article, in the statement's paragraph, near its span; otherwise
``factsheets check`` warns ``stance-verb-mismatch``. The vocabulary is documented in
docs/annotating.md ("Stances and modes: the source's verbs").

A paragraph that continues an account someone else gave (``بحسب الوكالة``, ``وأضافت
الوزارة``, ``وتابع البيان``), and the paragraphs that carry it on (``كما …``, ``وعلى
الصعيد …``), report that account: their statements need an attribution (``mode: reported``
with ``reported_by``, or the issuing organization as the speaker); otherwise
``attribution-missing``.

Matching is on normalized text (generator.core.arabic.normalize: no diacritics, hamza/alef forms
folded, ة→ه, ى→ي), word by word, with the usual prefixes (و ف ب ل ك ال) taken off.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from generator.core.arabic import normalize
from generator.core.corpus import Corpus
from generator.core.model import Heading, Statement

#: stance -> the verb stems (and verbal nouns) that license it, as written in Arabic.
#: A word licenses a stance when, without its prefixes, it starts with one of the stems.
VERBS: dict[str, tuple[str, ...]] = {
    "affirms": ("أكد", "أكدت", "أكدا", "مؤكد", "تأكيد", "التأكيد", "يؤكد", "تؤكد", "شدد", "شددت", "شددا",
                "تشديد", "مشدد", "يشدد", "جدد", "جددا", "أعرب", "أعربت"),
    "discussed": ("بحث", "بحثا", "بحثت", "يبحث", "ناقش", "ناقشا", "ناقشت", "مناقش", "نقاش", "تناول", "تناولت",
                  "تناولا", "تباحث", "استعرض", "استعرضا", "تطرق", "محادثات"),
    "calls-for": ("دعا", "دعت", "دعوا", "يدعو", "تدعو", "دعوة", "طالب", "طالبت", "يطالب", "مطالب", "ناشد"),
    "commits-to": ("التزم", "التزام", "ملتزم", "يلتزم", "تلتزم", "تعهد", "تعهدت", "يتعهد", "تتعهد"),
    "rejects": ("رفض", "رفضت", "رفضا", "يرفض", "ترفض"),
    "condemns": ("أدان", "أدانت", "يدين", "تدين", "إدانة", "ندد", "نددت", "تنديد", "استنكر", "استنكار"),
    "agrees": ("اتفق", "اتفقا", "اتفقت", "اتفاق", "يتفق", "توافق", "توافقا"),
    "welcomes": ("رحب", "رحبت", "يرحب", "ترحب", "ترحيب"),
    "warns": ("حذر", "حذرت", "يحذر", "تحذر", "تحذير"),
    "seeks": ("سعى", "سعت", "سعوا", "يسعى", "تسعى", "نسعى", "سعي", "تطلع", "يتطلع", "تتطلع", "نتطلع", "يعمل", "تعمل", "نعمل",
              "يريد", "تريد", "يأمل", "تأمل", "نأمل", "الارتقاء"),
}

#: stances every report licenses (the weakest claim: someone described something).
ALWAYS = frozenset({"describes"})

#: words that mark a paragraph as carrying on someone else's account.
READOUT_MARKERS = ("بحسب", "حسب", "نقلا عن", "وأضافت", "وأضاف البيان", "وتابع", "وتابعت", "وذكرت", "وأفادت",
                   "في بيان")
#: how a paragraph opens when it goes on with the account before it.
CONTINUES = ("كما ", "وعلى الصعيد", "وأضافت", "وتابع", "وتابعت", "وفي السياق", "إلى ذلك")

#: characters before and after the span that count as "near" it.
BEFORE, AFTER = 90, 30

_PREFIXES = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_WORD = re.compile(r"[\w\u0600-\u06FF]+")


def _stems() -> dict[str, tuple[str, ...]]:
    return {stance: tuple(sorted({normalize(s) for s in stems}, key=len, reverse=True)) for stance, stems in VERBS.items()}


STEMS = _stems()


def _bare(word: str) -> set[str]:
    """The word and the word without each prefix it may carry."""
    out = {word}
    for p in _PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= 3:
            out.add(word[len(p):])
    return out


def _by_stem() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for stance, stems in STEMS.items():
        for stem in stems:
            out.setdefault(stem, set()).add(stance)
    return {stem: frozenset(stances) for stem, stances in out.items()}


#: normalized stem -> the stances it licenses, and the lengths of the stems (a word licenses a
#: stance when one of its forms starts with a stem: its first len(stem) letters are looked up).
BY_STEM = _by_stem()
STEM_LENGTHS = tuple(sorted({len(stem) for stem in BY_STEM}))


def _word_licenses(word: str) -> frozenset[str]:
    found: set[str] = set()
    for form in _bare(word):
        for n in STEM_LENGTHS:
            if n > len(form):
                break
            hit = BY_STEM.get(form[:n])
            if hit:
                found |= hit
    return frozenset(found)


def licensed(text: str, memo: dict[str, frozenset[str]] | None = None) -> set[str]:
    """The stances the words of ``text`` license. ``memo``: the answers for words already seen
    (the check passes one for the whole corpus: the same words come back in every paragraph)."""
    found: set[str] = set(ALWAYS)
    memo = {} if memo is None else memo
    for word in _WORD.findall(normalize(text)):
        hit = memo.get(word)
        if hit is None:
            hit = memo[word] = _word_licenses(word)
        found |= hit
    return found


def _paragraph_text(block: object) -> str:
    return block.heading if isinstance(block, Heading) else str(block)


@functools.cache
def _readout_patterns() -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One pattern for every readout marker, each as a whole word or phrase, and the normalized
    openings that carry an account on (made once, not for each of a thousand sources)."""
    marker = re.compile(r"(^|\W)(" + "|".join(re.escape(normalize(m)) for m in READOUT_MARKERS) + r")(\W|$)")
    return marker, tuple(normalize(c) for c in CONTINUES)


def readout_paragraphs(blocks: list) -> set[int]:
    """1-based numbers of the paragraphs that carry on someone else's account."""
    out: set[int] = set()
    marker, opens = _readout_patterns()
    chain = False
    for i, block in enumerate(blocks, start=1):
        if isinstance(block, Heading):
            chain = False
            continue
        text = normalize(str(block))
        has_marker = marker.search(text) is not None
        continues = chain and text.startswith(opens)
        if has_marker or continues:
            out.add(i)
            chain = True
        else:
            chain = False
    return out


def attributed(st: Statement) -> bool:
    return bool(st.reported_by) or bool(st.speaker.organization and st.mode != "joint-statement")


def check(corpus: Corpus, warn: Callable[[Statement, tuple, str, str, str], None]) -> None:
    """Warn ``stance-verb-mismatch`` and ``attribution-missing`` through ``warn(statement,
    field, code, message, hint)``. Uses the spans the quote check found (``corpus.spans``)."""
    chains: dict[str, set[int]] = {}
    memo: dict[str, frozenset[str]] = {}
    for st in corpus.statements.values():
        check_one(corpus, st, warn, memo, chains)


def check_one(corpus: Corpus, st: Statement, warn: Callable[[Statement, tuple, str, str, str], None],
              memo: dict[str, frozenset[str]], chains: dict[str, set[int]]) -> None:
    """:func:`check` of one statement (a function of the statement, its source and its span);
    ``memo`` and ``chains``: what the words license and the sources' readout paragraphs, shared
    between the statements of one check."""
    span = corpus.spans.get(st.id)
    src = corpus.sources.get(st.provenance.source)
    if span is None or src is None or src.language != "ar" or not 0 < span.paragraph <= len(src.text):
        return
    para = _paragraph_text(src.text[span.paragraph - 1])
    window = para[max(0, span.start - BEFORE):span.end + AFTER]
    ok = licensed(window, memo)
    if st.stance not in ok:
        fits = sorted(ok - ALWAYS) or ["describes"]
        verbs = ", ".join(f"«{v}»" for v in VERBS.get(st.stance, ())[:4]) or "none"
        warn(st, ("stance",), "stance-verb-mismatch",
             f"stance '{st.stance}' is not licensed by a verb near the span in paragraph {span.paragraph}",
             f"the words there license: {', '.join(fits)}; '{st.stance}' needs a verb such as {verbs} "
             "(docs/annotating.md, 'Stances and modes')")
    paras = chains.get(src.id)
    if paras is None:
        paras = chains[src.id] = readout_paragraphs(list(src.text))
    if span.paragraph in paras and not attributed(st):
        warn(st, ("mode",), "attribution-missing",
             f"paragraph {span.paragraph} carries on an account reported by someone else, "
             "but the statement has no attribution",
             "set mode: reported and reported_by: <the agency or ministry>, or make the issuing "
             "organization the speaker (docs/annotating.md, 'Attribution chains')")


