"""What `factsheets new` found, and what needs a human: a short table."""

from __future__ import annotations

from generator.intake.pipeline import IntakeResult


def _row(label: str, count: int, detail: str) -> str:
    return f"  {label:<19}{count:>3}  {detail}".rstrip()


def _some(items: list[str], sep: str, n: int = 12) -> str:
    """At most ``n`` items, then how many more (a hostile article may hold thousands)."""
    shown = sep.join(items[:n])
    return shown + (f"{sep}… and {len(items) - n} more" if len(items) > n else "")


def format_report(result: IntakeResult) -> str:
    r = result
    lines = [f"wrote {r.path}" + (f" (previous version kept as {r.backup})" if r.backup else "")]
    extractor = r.parsed.meta.get("extractor")
    if extractor:
        lines.append(f"  HTML body extracted with {extractor}")
    blocks = r.parsed.blocks
    heads = sum(h for _, h in blocks)
    lines.append(_row("paragraphs", len(blocks) - heads, f"+ {heads} subheading(s)" if heads else ""))
    lines.append(_row("people found", len(r.people), ", ".join(f"{k} ({' / '.join(v)})" for k, v in r.people.items())))
    lines.append(_row("orgs found", len(r.organizations),
                      ", ".join(f"{k} ({' / '.join(v)})" for k, v in r.organizations.items())))
    lines.append(_row("candidates", len(r.candidates),
                      "; ".join(f"{c.name} (¶{c.block + 1})" for c in r.candidates) or "none"))
    if r.proposal:
        lines.append("  ready-to-paste registry entries for the candidates (people.yaml / organizations.yaml;"
                     " write the English names, choose ids, delete the review notes):")
        lines += ["    " + line for line in r.proposal.splitlines()]
    stubs = r.draft.stubs
    made = [s for s in stubs if s[3]]
    lines.append(_row("quotes", len(stubs), f"{len(made)} statement stub(s); speakers guessed: "
                      + _some([f"¶{q.block + 1} {g.id or '?'}" for q, g, _, _ in stubs], ", ")))
    skipped = [q for q, _, _, sid in stubs if sid is None]
    if skipped:
        lines.append(_row("  not stubbed", len(skipped), _some([f"«{q.text}» (repeated text)" for q in skipped], "; ")))
    lines.append(_row("dates", len(r.dates), _some([f"¶{d.block + 1} {d.phrase} → {d.date.isoformat()}" + (f"…{d.end.isoformat()}" if d.end else "")
                                                              + f" ({d.method}{', background' if d.background else ''})"
                                                             for d in r.dates], "; ") or "none"))
    lines.append(_row("furniture dropped", len(r.parsed.furniture),
                      _some([f"{line} [{rule}]" for line, rule in r.parsed.furniture], "; ") or "none"))
    for note in r.parsed.notes:
        lines.append(f"  note: {note}")
    notes = sum(d.code == "review-pending" for d in r.diagnostics)
    other = len(r.warnings) - notes - sum(d.code == "placeholder" for d in r.warnings)
    unknown = [s for s in made if r.draft.data["statements"] and any(
        st["id"] == s[3] and st["speaker"] == "unknown" for st in r.draft.data["statements"])]
    if unknown:
        lines.append(f"  speaker unknown    {len(unknown):>3}  `speaker: unknown` in "
                     + ", ".join(str(s[3]) for s in unknown) + ": `factsheets check` refuses them until you set the speaker")
    placeholders = sum(d.code == "placeholder" and d.severity.value == "warning" for d in r.diagnostics)
    lines.append(f"needs a human: {notes} review note(s)" + (f", {other} other warning(s)" if other else "")
                 + (f", {placeholders} placeholder(s) to fill in" if placeholders else "")
                 + f" — run `factsheets check {r.path.parent.parent}` and resolve them; "
                 "`--strict` refuses the draft until every note is deleted and every placeholder filled in")
    if r.bugs:
        lines.append(f"the draft has {len(r.bugs)} error(s) (a bug in `factsheets new`; please report it):")
        lines += ["  " + d.format() for d in r.bugs]
    if r.content_errors:
        lines.append(f"note: {r.content_errors} error(s) elsewhere in the content folder (run `factsheets check`)")
    return "\n".join(lines)
