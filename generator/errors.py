"""Diagnostics and the project's own exception types.

Every problem found in content is a :class:`Diagnostic`; the CLI prints them once, at the
boundary, as ``path:line:col: error[code]: message`` followed by a hint.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


#: Every diagnostic code, with a one-line explanation (documented in docs/errors.md).
CODES: dict[str, str] = {
    "yaml-syntax": "the file is not valid YAML",
    "yaml-duplicate-key": "a key appears twice in the same mapping",
    "yaml-alias": "YAML anchors/aliases are not allowed in content",
    "encoding": "the file is not UTF-8 text",
    "empty-file": "the file holds no data",
    "not-a-file": "a content path is not a regular file",
    "symlink-outside": "a symbolic link points outside the content folder",
    "file-too-large": "the file is larger than the content size limit",
    "type": "a value has the wrong type",
    "missing-field": "a required field is missing",
    "unknown-field": "a field name is not part of the schema",
    "enum": "a value is not one of the allowed choices",
    "id-format": "an id is not a lowercase ASCII slug",
    "id-reserved": "an id collides with one of the site's own paths",
    "id-duplicate": "an id is defined more than once",
    "id-reused": "an id was used before by another entity (previous_ids)",
    "ref-unknown": "a reference names no existing entity",
    "ref-side": "a side is not one of the meeting's parties",
    "org-cycle": "organizations' parents form a cycle",
    "date-invalid": "a date is not a valid ISO date (YYYY-MM-DD)",
    "date-range": "a date range ends before it starts",
    "date-after-source": "a meeting is dated after its source was published",
    "date-implausible": "a date is before 1900, or years after its source was published (a typo?)",
    "quote-empty": "a quoted span is empty or blank",
    "quote-not-found": "a quoted span does not occur in its source",
    "quote-ambiguous": "a quoted span occurs more than once in its source",
    "url-scheme": "a URL is not http(s)",
    "unicode-control": "an id, name or URL holds bidi controls, invisible or control characters",
    "too-many-items": "a list exceeds the size limit",
    "speaker-not-participant": "a statement's speaker is not a participant of its meeting",
    "source-not-cited": "a statement rests on a source its meeting does not list",
    "missing-translation": "a bilingual text lacks one language",
    "review-pending": "a record carries review notes left for a human",
    "placeholder": "a value is still a placeholder written by `factsheets new` ([translate], [unknown], speaker: unknown…)",
    "article-line-too-long": "`factsheets new`: a line or paragraph of the article is longer than 20,000 characters",
    "article-too-many-paragraphs": "`factsheets new`: the article has more paragraphs than a source may hold (10,000)",
    "article-nesting": "`factsheets new`: the HTML page nests elements more than 200 levels deep",
    "briefing-unknown-id": "a briefing embeds an id that does not exist",
    "briefing-link": "a relative link in a briefing leads to no page of the site",
    "briefing-nesting": "a briefing nests lists or block quotes deeper than the limit",
    "briefing-line-too-long": "a line of a briefing is longer than the limit",
    "briefing-brackets": "a line or paragraph of a briefing holds too many '['",
    "unreadable": "a folder under the content folder cannot be read",
    "site-dir-unsafe": "mkdocs.yml's site_dir is, holds or lies inside a folder a build must not replace",
    "site-dir-foreign": "site_dir names an existing folder of files factsheets did not build",
    "config-moved": "mkdocs.yml names a module of factsheets by its place before generator/ was split into sub-packages",
    "builder-unknown": "mkdocs.yml's extra.factsheets_builder names no site builder (mkdocs, properdocs, zensical)",
    "builder-missing": "the site builder named in mkdocs.yml is not installed",
    "stance-verb-mismatch": "a statement's stance is not licensed by a verb of its paragraph near its span",
    "attribution-missing": "a statement in a paragraph that carries on someone's account has no attribution",
}

WARNING_CODES = frozenset(
    {"speaker-not-participant", "source-not-cited", "missing-translation", "review-pending", "empty-file",
     "date-implausible", "placeholder", "stance-verb-mismatch", "attribution-missing"}
)


def _printable(ch: str) -> str:
    """``ch``, or ``<U+XXXX>`` for a character a terminal would not show as itself: controls
    (ESC starts a terminal escape sequence), format characters (bidi controls, zero-width
    spaces), separators other than the space, surrogates, private use, unassigned."""
    return ch if ch.isprintable() else f"<U+{ord(ch):04X}>"


_SHOWN: dict[int, str] = {}


def terminal_safe(text: str) -> str:
    """Text for a terminal: every non-printing character written as ``<U+200B>``, so data
    cannot move the cursor, colour the screen or hide a difference between two ids."""
    if text.isprintable():
        return text
    return "".join(_SHOWN.get(ord(ch)) or _SHOWN.setdefault(ord(ch), _printable(ch)) for ch in text)


def json_safe(text: str) -> str:
    """JSON text with every non-printing character written as a ``\\uXXXX`` escape (valid JSON
    holding the same data; a lone surrogate can then be printed as UTF-8)."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch in "\n ":
            out.append(ch)
        elif ord(ch) > 0xFFFF:
            out.append(json.dumps(ch)[1:-1])  # a surrogate pair
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, located in a content file."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str | None = None
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        """The text form, for a terminal: control and invisible characters in the path,
        message and hint are shown as ``<U+200B>`` (see :func:`terminal_safe`)."""
        head = f"{self.path}:{self.line}:{self.col}: {self.severity.value}[{self.code}]: {self.message}"
        return terminal_safe(head) + (f"\n  = hint: {terminal_safe(self.hint)}" if self.hint else "")

    def as_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.code)


class Reported:
    """Mixin for results that carry ``diagnostics``: their errors and warnings."""

    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]


def diag(path: str, pos: tuple[int, int], code: str, message: str, hint: str | None = None) -> Diagnostic:
    """Build a diagnostic; the severity follows from the code."""
    assert code in CODES, code
    sev = Severity.WARNING if code in WARNING_CODES else Severity.ERROR
    return Diagnostic(path, pos[0], pos[1], code, message, hint, sev)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest choice, if one is close enough."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.5)
    return f"did you mean '{close[0]}'?" if close else None


class FactsheetsError(Exception):
    """Base of every error the CLI turns into a clean message."""

    exit_code = 1


class UsageError(FactsheetsError):
    exit_code = 2


class ContentError(FactsheetsError):
    """Content failed to check; carries every diagnostic found."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics = list(diagnostics)
        n = sum(d.severity is Severity.ERROR for d in self.diagnostics)
        super().__init__(f"{n} error(s) in content")


class TemplateError(FactsheetsError):
    """A template under templates/ is broken (syntax, or an undefined name)."""


class BuildError(FactsheetsError):
    """The site tool failed; the previous site is left in place."""


def format_report(diagnostics: Sequence[Diagnostic], fmt: str = "text") -> str:
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    if fmt == "json":
        return json_safe(json.dumps([d.as_dict() for d in ordered], ensure_ascii=False, indent=2))
    errors = sum(d.severity is Severity.ERROR for d in ordered)
    warnings = len(ordered) - errors
    lines = [d.format() for d in ordered]
    lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)
