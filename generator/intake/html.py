"""HTML pages: find the article body without the site's chrome.

The main path uses trafilatura (a maintained main-content extractor; it runs offline on the
HTML given to it and never fetches anything).  If trafilatura is not installed, or finds
nothing, a careful lxml heuristic is used instead: drop script/style/nav/header/footer/aside
(and elements whose class or id says share, related, comments, ads…), take the ``<article>``
(else the element holding the most paragraph text), its ``<h1>`` as the headline and its
``<h2>``–``<h4>`` and ``<p>`` in document order.  Both paths then go through the same
furniture rules as plain text (:func:`generator.intake.text.assemble`).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from generator.errors import FactsheetsError
from generator.intake.limits import check_html_depth, refuse
from generator.intake.text import Parsed, assemble

#: Elements whose content is never article text: removed before any extraction, each one
#: counted in a note of the report (not an error: the draft is usable without them).
NEVER_TEXT = ("script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed", "applet",
              "svg", "math", "canvas", "video", "audio", "textarea", "select", "button")

_CHROME_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe",
                "button", "svg", "figure", "figcaption", "select", "input")
_CHROME_CLASS = re.compile(r"(?:^|[\s_-])(?:share|sharing|social|related|comment|comments|advert|ads?|promo|newsletter|"
                           r"breadcrumbs?|menu|sidebar|tags|widget|cookie|subscribe|popup|most-read)(?:$|[\s_-])", re.I)


def looks_like_html(raw: str, suffix: str = "") -> bool:
    if suffix.lower() in (".html", ".htm", ".xhtml"):
        return True
    head = raw.lstrip()[:2000].lower()
    return head.startswith(("<!doctype html", "<html")) or bool(re.search(r"<(?:body|article|p)[\s>]", head))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def extract_with_trafilatura(raw: str, given: str | None = None) -> Parsed | None:
    try:
        import trafilatura
        from lxml import etree
    except ImportError:
        return None
    xml = trafilatura.extract(raw, output_format="xml", with_metadata=True, include_comments=False,
                              include_tables=False, include_images=False, deduplicate=False)
    if not xml:
        return None
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    if main is None:
        return None
    lines: list[tuple[str, bool | None]] = []
    for el in main.iter("p", "head", "item", "quote"):
        if el.tag == "quote" and el.find("p") is not None:
            continue  # its paragraphs come on their own
        text = _clean("".join(el.itertext()))
        if text:
            lines.append((text, el.tag == "head"))
    title = _clean(root.get("title") or "")
    if lines and lines[0][1] and (not title or _clean(lines[0][0]) == title):
        title = lines.pop(0)[0]
    if not lines:
        return None
    parsed = assemble(lines, headline=title or None, given=given)
    parsed.meta = {k: root.get(k) for k in ("url", "date", "sitename", "hostname") if root.get(k)}
    parsed.meta["extractor"] = "trafilatura"
    return parsed


def extract_with_lxml(raw: str, given: str | None = None) -> Parsed | None:
    try:
        from lxml import html as lhtml
    except ImportError:
        return None
    doc = lhtml.fromstring(raw)
    meta = {}
    canon = doc.xpath('//link[@rel="canonical"]/@href') or doc.xpath('//meta[@property="og:url"]/@content')
    if canon:
        meta["url"] = canon[0].strip()
    pub = doc.xpath('//meta[@property="article:published_time"]/@content') or doc.xpath("//time/@datetime")
    if pub and re.match(r"\d{4}-\d{2}-\d{2}", pub[0].strip()):
        meta["date"] = pub[0].strip()[:10]
    for el in list(doc.iter(*_CHROME_TAGS)):
        el.drop_tree()
    for el in list(doc.xpath("//*[@class or @id]")):
        if el.getparent() is not None and el.tag not in ("html", "body", "main", "article") and \
                _CHROME_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}"):
            el.drop_tree()
    articles = doc.xpath("//article")
    if articles:
        body = max(articles, key=lambda a: len(_clean(" ".join(a.xpath(".//p//text()")))))
    else:
        candidates = doc.xpath("//*[p]") or [doc]
        body = max(candidates, key=lambda a: len(_clean(" ".join(a.xpath("./p//text()")))))
    h1 = body.xpath(".//h1") or doc.xpath("//h1")
    title = _clean(h1[0].text_content()) if h1 else _clean(" ".join(doc.xpath("//title/text()")))
    lines: list[tuple[str, bool | None]] = []
    for el in body.iter("p", "h2", "h3", "h4", "li", "blockquote"):
        if el.tag in ("li", "blockquote") and el.xpath(".//p"):
            continue
        text = _clean(el.text_content())
        if text:
            lines.append((text, el.tag in ("h2", "h3", "h4")))
    if not lines:
        return None
    parsed = assemble(lines, headline=title or None, given=given)
    parsed.meta = {**meta, "extractor": "lxml"}
    return parsed


def preclean(raw: str, article: Path | None = None) -> tuple[str, Counter[str]]:
    """The page without :data:`NEVER_TEXT` elements, comments and processing instructions,
    and how many of each were removed.  Refuses (located error) HTML nested too deep to read."""
    try:
        from lxml import etree
        from lxml import html as lhtml
    except ImportError:  # pragma: no cover - lxml comes with trafilatura
        return raw, Counter()
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", raw)  # lxml refuses str input with an encoding declaration
    try:
        doc = lhtml.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise FactsheetsError(f"the HTML page cannot be read ({exc}); save the article as plain text and run "
                              "`factsheets new` on that") from None
    refuse(check_html_depth(article or Path("article.html"), raw, doc))
    dropped: Counter[str] = Counter()
    for el in list(doc.iter(etree.Comment, etree.ProcessingInstruction)):
        if el.getparent() is not None:
            el.drop_tree()  # keeps the text after it
    for el in list(doc.iter(*NEVER_TEXT)):
        # an element inside one already dropped is gone with it
        if el.getparent() is not None and not any(a.tag in NEVER_TEXT for a in el.iterancestors()):
            dropped[el.tag] += 1
            el.drop_tree()
    return lhtml.tostring(doc, encoding="unicode"), dropped


def parse_html(raw: str, article: Path | None = None, headline: str | None = None) -> Parsed:
    """The article in an HTML page; raises FactsheetsError if no body text is found."""
    cleaned, dropped = preclean(raw, article)
    parsed = extract_with_trafilatura(cleaned, headline)
    if parsed is None:
        parsed = extract_with_lxml(cleaned, headline)
    if parsed is None:
        raise FactsheetsError("no article text found in the HTML page (is it the full page, saved after loading?); "
                              "save the article as plain text and run `factsheets new` on that")
    if dropped:
        parsed.notes.append("left out of the text (never article text): "
                            + ", ".join(f"{n} <{tag}>" for tag, n in sorted(dropped.items())))
    return parsed
