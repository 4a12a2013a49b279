"""`factsheets new ARTICLE`: read, recognise, draft, write, check (the library behind the command)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.core.arabic import normalize
from generator.errors import Diagnostic, FactsheetsError, Reported, Severity, UsageError, did_you_mean
from generator.intake.dates import DatePhrase, find_dates
from generator.intake.draft import Draft, build_draft
from generator.intake.html import looks_like_html, parse_html
from generator.intake.limits import MAX_QUOTES, check_paragraphs, check_text_lines, refuse, safe_name
from generator.intake.names import Candidate, Mention, Registry, speaker_events, titled_people
from generator.intake.quotes import find_quotes, guess_speaker
from generator.intake.skeleton import to_yaml, write_new
from generator.intake.text import Parsed, parse_text
from generator.core.loader import load_content
from generator.core.model import ID_MAX, ID_RE, RESERVED_IDS
from generator.core.validate import check

MAX_ARTICLE_BYTES = 5 * 1024 * 1024


@dataclass
class IntakeResult(Reported):
    path: Path
    backup: Path | None
    source_id: str
    parsed: Parsed
    draft: Draft
    people: dict[str, list[str]] = field(default_factory=dict)         # id -> forms as written
    organizations: dict[str, list[str]] = field(default_factory=dict)
    candidates: list[Candidate] = field(default_factory=list)
    dates: list[DatePhrase] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)       # `check` of the new file
    content_errors: int = 0                                           # errors elsewhere in content/
    proposal: str = ""                                                # registry YAML for the candidates

    @property
    def bugs(self) -> list[Diagnostic]:
        """Errors in the draft other than the ``speaker: unknown`` placeholders written on purpose."""
        return [d for d in self.errors if d.code != "placeholder"]


def read_article(article: Path) -> tuple[str, bool]:
    """The article's text and whether it is HTML."""
    if not article.is_file():
        raise UsageError(f"no such article file: {article}")
    raw = article.read_bytes()
    if len(raw) > MAX_ARTICLE_BYTES:
        raise FactsheetsError(f"{article} is larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MiB; is it an article?")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FactsheetsError(f"{article} is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                              "save it as UTF-8") from None
    # Control characters are not text: vertical tab, form feed and NEL end a line, the rest go.
    text = re.sub(r"[\x0b\x0c\x85]", "\n", text)
    text = re.sub(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", "", text)
    if not text.strip():
        raise FactsheetsError(f"{article} is empty")
    return text, looks_like_html(text, article.suffix)


def detect_language(blocks: list[tuple[str, bool]]) -> str:
    sample = " ".join(t for t, _ in blocks)
    arabic = len(re.findall(r"[\u0600-\u06ff]", sample))
    latin = len(re.findall(r"[A-Za-z]", sample))
    return "ar" if arabic >= latin else "en"


def _outlet_from(phrases: list[str | None], registry: Registry) -> str | None:
    orgs = registry.corpus.organizations
    for phrase in filter(None, phrases):
        key = normalize(phrase)
        hits = [o.id for o in orgs.values()
                if key in {normalize(n) for n in (o.name.ar, o.name.en, *o.aliases.ar, *o.aliases.en) if n}]
        hits.sort(key=lambda i: orgs[i].kind not in ("news-outlet", "news-agency"))
        if hits:
            return hits[0]
    return None


def _register_outlet(ident: str | None, phrase: str | None, content_dir: Path) -> str:
    """How to register an outlet: the YAML to add to organizations.yaml (made by a YAML emitter)."""
    import yaml
    entry = {"id": ident or slug(phrase or "") or "new-outlet-id",
             "name": {"ar": phrase or "[الاسم بالعربية]", "en": "[English name]"}, "kind": "news-outlet"}
    text = yaml.safe_dump({"organizations": [entry]}, allow_unicode=True, sort_keys=False, default_flow_style=False)
    body = "\n".join("    " + line for line in text.splitlines()[1:])
    return (f"  to register it, add to {content_dir / 'organizations.yaml'} (under `organizations:`), with the "
            f"English name{' and an id of your choosing' if not ident else ''}:\n{body}")


def propose(candidates: list[Candidate], corpus, article: Path, published: date) -> str:
    """Ready-to-paste registry YAML for unregistered people (and their states), made by a YAML
    emitter.  The English name and the id are left for a human: each entry carries a review note."""
    import yaml
    people, states = [], {}
    used: set[str] = set(corpus.people) | set(corpus.organizations)
    for n, c in enumerate(candidates, start=1):
        country = c.country[2] if c.country else None
        if c.country and country and country not in corpus.organizations and country not in states:
            states[country] = {"id": country, "name": {"ar": c.country[0], "en": c.country[1]}, "kind": "state",
                               "review": ["proposed by `factsheets new` (not in organizations.yaml): check it"]}
        base = f"{country or 'person'}-counterpart-{n}"
        ident = base
        while ident in used:
            ident += "-x"
        used.add(ident)
        entry: dict = {"id": ident, "name": {"ar": c.name, "en": f"[translate: {c.name}]"}}
        if c.role:
            role: dict = {"title": {"ar": c.role, "en": f"[translate: {c.role}]"}}
            if country:
                role["organization"] = country
            role["start"] = published
            entry["roles"] = [role]
        entry["review"] = [f"proposed by `factsheets new` from {safe_name(article.name)}, paragraph {c.block + 1} "
                           f"(«{c.context}»): write the English name, then choose the id from it; check the role "
                           "(its start is only the article's date)"]
        people.append(entry)
    parts = []
    if states:
        parts.append(yaml.safe_dump({"organizations": list(states.values())}, allow_unicode=True, sort_keys=False))
    if people:
        parts.append(yaml.safe_dump({"people": people}, allow_unicode=True, sort_keys=False))
    return "".join(parts)


def fingerprint(texts: list[str]) -> str:
    """The article's identity: its paragraphs, normalized (diacritics, hamza forms, spaces…)."""
    import hashlib
    norm = " ".join(" ".join(normalize(t).split()) for t in texts if t.strip())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def slug(text: str, limit: int = 40) -> str:
    """A lowercase ASCII slug of a file name (``-a: b # [c].txt`` → ``a-b-c``): ids taken
    from file names are always slugs; a name without ASCII letters or digits gives ''."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-")


def _check_id(value: str, what: str) -> str:
    if not ID_RE.match(value) or len(value) > ID_MAX or value in RESERVED_IDS:
        raise UsageError(f"{what} '{value}' is not a usable id (lowercase ASCII slug, at most {ID_MAX} characters, "
                         "not a reserved word)")
    return value


def new_article(article: Path, *, content_dir: Path = Path("content"), published: date | None = None,
                outlet: str | None = None, url: str | None = None, source_id: str | None = None,
                force: bool = False, headline: str | None = None) -> IntakeResult:
    """Draft ``content_dir/sources/<id>.yaml`` from ``article`` (plain text or HTML); see docs/intake.md."""
    if not content_dir.is_dir():
        raise UsageError(f"content folder not found: {content_dir}")
    raw, is_html = read_article(article)
    if not is_html:
        refuse(check_text_lines(article, raw))
    if headline is not None and not headline.strip():
        raise UsageError("--headline is empty")
    headline = re.sub(r"\s+", " ", headline).strip() if headline else None
    parsed = parse_html(raw, article, headline) if is_html else parse_text(raw, headline)
    refuse(check_paragraphs(article, raw, parsed.blocks, is_html))
    if not any(not h for _, h in parsed.blocks):
        raise FactsheetsError(f"no article found in {article}: it needs at least one paragraph")

    loaded = load_content(content_dir)
    checked = check(loaded)
    corpus = checked.corpus
    language = detect_language(parsed.blocks)
    registry = Registry(corpus, language)

    from_meta = False
    if published is None and parsed.meta.get("date"):
        try:
            published, from_meta = date.fromisoformat(parsed.meta["date"][:10]), True
        except ValueError:
            pass
    if published is None:
        raise UsageError("the publication date is not in the article: give --published YYYY-MM-DD")
    url = url or parsed.meta.get("url")
    if url and not re.match(r"^https?://\S+$", url, re.I):
        raise UsageError(f"--url must start with http:// or https:// (got {url!r})")

    outlet_guessed = False
    if outlet is not None:
        if outlet not in corpus.organizations:
            hint = did_you_mean(outlet, corpus.organizations)
            raise UsageError(f"--outlet '{outlet}' is not a registered organization" + (f"; {hint}" if hint else "")
                             + "\n" + _register_outlet(outlet, None, content_dir))
    else:
        outlet = _outlet_from([parsed.dateline.outlet if parsed.dateline else None, parsed.meta.get("sitename")],
                              registry)
        outlet_guessed = True
        if outlet is None:
            known = ", ".join(o.id for o in corpus.organizations.values() if o.kind in ("news-outlet", "news-agency"))
            phrase = (parsed.dateline.outlet if parsed.dateline else None) or parsed.meta.get("sitename")
            raise UsageError("cannot tell the outlet from the dateline: give --outlet ID"
                             + (f" (registered outlets: {known})" if known else "")
                             + "\n" + _register_outlet(None, phrase, content_dir))

    mentions: list[Mention] = []
    for i, (text, _) in enumerate(parsed.blocks):
        mentions += registry.find(text, i)
    headline_mentions = registry.find(parsed.headline, -1)

    sources_dir = content_dir / "sources"
    mine = fingerprint([t for t, _ in parsed.blocks])
    same = []
    for src in corpus.sources.values():
        texts = [t if isinstance(t, str) else getattr(t, "heading", "") or "" for t in src.text]
        if fingerprint(texts) == mine:
            same.append(src._origin[0])
    if same and not force:
        raise FactsheetsError(f"this article is already drafted in {same[0]} (same text, normalized); not writing "
                              "it again (use --force to write a second draft beside it; the existing file is never "
                              "touched)")

    def defined_elsewhere(path: Path) -> set[str]:
        ids = set(loaded.broken_ids) | set(corpus.redirects)
        for ents in loaded.entities.values():
            ids |= {e.id for e in ents}
        if path.exists() or path.is_symlink():
            ids.add(path.stem)      # a file of that name exists (perhaps broken): never written over
        return ids

    if source_id is not None:
        _check_id(source_id, "--id")
        target = sources_dir / f"{source_id}.yaml"
        if source_id in defined_elsewhere(target):
            raise UsageError(f"id '{source_id}' is already used in {content_dir}; choose another --id")
    else:
        states = [m.id for m in headline_mentions + mentions
                  if m.kind == "organization" and corpus.organizations[m.id].kind == "state"]
        words = list(dict.fromkeys(states))[:3] or [slug(article.stem) or "article"]
        base = f"{outlet}-{published.isoformat()}-{'-'.join(words)}"[:ID_MAX].rstrip("-")
        source_id, n = base, 1
        while source_id in defined_elsewhere(sources_dir / f"{source_id}.yaml"):
            n += 1
            source_id = f"{base[:ID_MAX - 4]}-{n}"
        target = sources_dir / f"{source_id}.yaml"
    taken = defined_elsewhere(target) | {source_id}

    events, candidates = [], []
    for i, (text, heading) in enumerate(parsed.blocks):
        if not heading:
            ev, ca = speaker_events(text, i, [m for m in mentions if m.block == i], registry, published)
            events += ev
            candidates += ca
    for i, (text, heading) in enumerate(parsed.blocks):
        if not heading:
            candidates += titled_people(text, i, registry, mentions)
    seen_names: dict[str, Candidate] = {}
    for c in candidates:  # one per name; the one with a role and country wins
        key = normalize(c.name)
        if key not in seen_names or (c.country and not seen_names[key].country):
            seen_names[key] = c
    candidates = list(seen_names.values())
    quotes = find_quotes(parsed.blocks)
    if len(quotes) > MAX_QUOTES:
        parsed.notes.append(f"{len(quotes)} quoted spans: only the first {MAX_QUOTES} were stubbed (from "
                            f"paragraph {quotes[MAX_QUOTES].block + 1} on, add statements by hand)")
        quotes = quotes[:MAX_QUOTES]
    guesses = [guess_speaker(q, parsed.blocks, events, mentions) for q in quotes]
    dates = find_dates(parsed.blocks, published)

    notes = [f"draft made by `factsheets new` from {safe_name(article.name)}: check the headline, dateline, paragraphs, "
             "subheadings and furniture against the original"]
    if outlet_guessed:
        notes.append(f"outlet '{outlet}' recognised from the dateline or site name: check it")
    if from_meta:
        notes.append(f"publication date {published.isoformat()} taken from the page's metadata: check it")
    if candidates:
        notes.append("speakers not in the registry (add them to people.yaml or organizations.yaml): "
                     + "; ".join(f"{c.name} (paragraph {c.block + 1})" for c in candidates))
    draft = build_draft(parsed, corpus=corpus, source_id=source_id, outlet=outlet, url=url, published=published,
                        language=language, mentions=mentions, headline_mentions=headline_mentions, quotes=quotes,
                        guesses=guesses, dates=dates,
                        taken=taken, source_notes=notes,
                        speaker_ids=tuple(e.id for e in events if e.kind == "person" and e.id))
    header = [f"Draft made by `factsheets new` from {safe_name(article.name)} (published {published.isoformat()}).",
              "Every `review:` note is a question for a human: resolve it, then delete the note.",
              "Schema: docs/schema.md. Guide: docs/annotating.md. This tool: docs/intake.md."]
    backup = write_new(target, to_yaml(draft.data, header))

    after = check(load_content(content_dir))
    shown = {str(target), str(target.resolve())}
    own = [d for d in after.diagnostics if d.path in shown or Path(d.path).resolve() == target.resolve()]
    result = IntakeResult(target, backup, source_id, parsed, draft, candidates=candidates, dates=dates,
                          proposal=propose(candidates, corpus, article, published),
                          diagnostics=own, content_errors=len(after.errors) - sum(d.severity is Severity.ERROR
                                                                                  for d in own))
    for m in mentions + headline_mentions:
        table = result.people if m.kind == "person" else result.organizations
        forms = table.setdefault(m.id, [])
        if m.form not in forms:
            forms.append(m.form)
    if outlet not in result.organizations:
        result.organizations[outlet] = [(parsed.dateline.outlet if parsed.dateline else None) or "dateline"
                                        if outlet_guessed else "--outlet"]
    return result
