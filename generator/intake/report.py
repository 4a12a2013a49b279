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
    stubs = r.draft.stubs
    made = [s for s in stubs if s[3]]
    lines.append(_row("quotes", len(stubs), f"{len(made)} statement stub(s); speakers guessed: "
                      + _some([f"¶{q.block + 1} {g.id or '?'}" for q, g, _, _ in stubs], ", ")))
    skipped = [q for q, _, _, sid in stubs if sid is None]
    if skipped:
        lines.append(_row("  not stubbed", len(skipped), _some([f"«{q.text}» (repeated text)" for q in skipped], "; ")))
    lines.append(_row("dates", len(r.dates), _some([f"{d.phrase} → {d.date.isoformat()} ({d.method})"
                                                             for d in r.dates], "; ") or "none"))
    lines.append(_row("furniture dropped", len(r.parsed.furniture),
                      _some([f"{line} [{rule}]" for line, rule in r.parsed.furniture], "; ") or "none"))
    for note in r.parsed.notes:
        lines.append(f"  note: {note}")
    notes = sum(d.code == "review-pending" for d in r.diagnostics)
    other = len(r.warnings) - notes
    lines.append(f"needs a human: {notes} review note(s)" + (f", {other} other warning(s)" if other else "")
                 + f" — run `factsheets check {r.path.parent.parent}` and resolve them; "
                 "`--strict` refuses the draft until every note is deleted")
    if r.errors:
        lines.append(f"the draft has {len(r.errors)} error(s) (a bug in `factsheets new`; please report it):")
        lines += ["  " + d.format() for d in r.errors]
    if r.content_errors:
        lines.append(f"note: {r.content_errors} error(s) elsewhere in the content folder (run `factsheets check`)")
    return "\n".join(lines)
