"""Who met whom: people as points on a circle, grouped by state, a line for each pair who sat
on opposite sides of a meeting, thicker (and, from two meetings on, numbered) the more often
they met.

The layout is computed, not simulated: points are evenly spaced on a circle in a fixed order
(state, then id), with a gap between states; on a person's page that person is at the
centre. Same data, same bytes. Mirrored for Arabic (the circle then runs anticlockwise).
"""

from __future__ import annotations

import math

from generator.render.figures.data import Network
from generator.render.figures.labels import Labels, page_url
from generator.render.figures.svg import INK, MUTED, Canvas, attr, document, link, num, text, text_width, wrap

PAD = 16
SIZE = 13
PALETTE = ("#3056d3", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#be185d")
NO_GROUP = "#8c959f"
EDGE = "#8c959f"


def group_colours(net: Network) -> dict[str | None, str]:
    groups = sorted({g for g in net.groups.values() if g is not None})
    out: dict[str | None, str] = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
    out[None] = NO_GROUP
    return out


def positions(net: Network, cx: float, cy: float, r: float) -> dict[str, tuple[float, float, float]]:
    """person -> (x, y, angle) in logical coordinates; a gap slot after each state's group."""
    ring = [p for p in net.nodes if p != net.centre]
    out: dict[str, tuple[float, float, float]] = {}
    if net.centre:
        out[net.centre] = (cx, cy, math.pi / 2)
    if not ring:
        return out
    slots: list[str | None] = []
    multi = len({net.groups[p] for p in ring}) > 1
    for i, p in enumerate(ring):
        if multi and i and net.groups[p] != net.groups[ring[i - 1]]:
            slots.append(None)
        slots.append(p)
    if multi:
        slots.append(None)
    if len(slots) == 1 and not net.centre:
        return {slots[0]: (cx, cy, math.pi / 2)}  # type: ignore[dict-item]
    for i, slot in enumerate(slots):
        if slot is None:
            continue
        p = slot
        # the whole network starts at the top; around a person, at the side (clear of their label)
        a = (0.0 if net.centre else -math.pi / 2) + 2 * math.pi * i / len(slots)
        if len(slots) == 2 and not net.centre:
            a = math.pi * i  # two people: side by side
        out[p] = (cx + r * math.cos(a), cy + r * math.sin(a), a)
    return out


def render(net: Network, L: Labels, *, ident: str, title: str, prefix: str, standalone: bool) -> str:
    names = {p: L.name(p) for p in net.nodes}
    label_space = min(190.0, max(60.0, *(text_width(n, SIZE) + 18 for n in names.values())))
    ring = len([p for p in net.nodes if p != net.centre])
    r = max(90.0, min(380.0, 60.0 + ring * 14.0))
    width = 2 * (PAD + label_space + r + 12)
    cv = Canvas(width, L.rtl)
    body: list[str] = []
    title_lines = wrap(title, width - 2 * PAD, 15, max_lines=2, bold=True)
    body.append(cv.lines(PAD, PAD + 14, title_lines, line_height=19, size=15, weight="bold"))
    top = PAD + 19 * len(title_lines) + 24
    cx, cy = width / 2, top + r + 12
    pos = positions(net, cx, cy, r)
    # fit the drawing to the points actually used (a person met by two people is one line)
    shift = top + 12 - min(y for _, y, _ in pos.values())
    pos = {p: (x, y + shift, a) for p, (x, y, a) in pos.items()}
    bottom = max(y for _, y, _ in pos.values())
    colours = group_colours(net)
    heaviest = max((e.weight for e in net.edges), default=1)

    for e in net.edges:
        (xa, ya, _), (xb, yb, _) = pos[e.a], pos[e.b]
        w = 1.5 + 5.5 * (e.weight - 1) / max(1, heaviest - 1) if heaviest > 1 else 2
        tip = f"{names[e.a]} — {names[e.b]}: {e.weight}"
        mx, my = xa + (xb - xa) * 0.4, ya + (yb - ya) * 0.4  # off-centre: crossing lines keep their numbers apart
        badge = "" if e.weight < 2 else (  # single meetings: the line alone (the count is in its title)
            f'<circle cx="{num(cv.x(mx))}" cy="{num(my)}" r="9" fill="#ffffff" stroke="{EDGE}"/>'
            + cv.label(mx, my + 4, str(e.weight), align="middle", size=11, fill=INK))
        body.append(f"<g><title>{text(tip)}</title>{cv.line(xa, ya, xb, yb, stroke=EDGE, width=w)}{badge}</g>")

    for p in net.nodes:
        x, y, a = pos[p]
        colour = colours[net.groups[p]]
        rad = 12 if p == net.centre else 9
        dot = (f'<circle cx="{num(cv.x(x))}" cy="{num(y)}" r="{rad}" fill="{attr(colour)}" '
               f'stroke="#ffffff" stroke-width="2"/>')
        c = math.cos(a)
        if p == net.centre or (len(pos) == 1):
            w = text_width(names[p], SIZE, True) * 1.25 + 14
            lab = (cv.rect(x - w / 2, y + rad + 3, w, 19, fill="#ffffff", rx=4, extra=' fill-opacity="0.9"')
                   + cv.label(x, y + rad + 17, names[p], align="middle", weight="bold"))
        else:
            dx, dy = (rad + 6) * c, (rad + 6) * math.sin(a)
            align = "start" if c > 0.25 else "end" if c < -0.25 else "middle"
            lab = cv.label(x + dx, y + dy + (4 if align != "middle" else (14 if dy > 0 else -4)),
                           names[p], align=align, weight="bold" if p == net.centre else None, halo=True)
        body.append(link(prefix + page_url("people", p), dot + lab, names[p]))

    # legend: one swatch per state
    ly = bottom + 56
    lx: float = PAD
    used = [g for g in dict.fromkeys(net.groups[p] for p in net.nodes)]
    for g in used:
        label = L.name(g) if g else L.t("fig_other")
        w = text_width(label, 12) + 34
        if lx + w > width - PAD:
            lx, ly = PAD, ly + 22
        sw = f'<circle cx="{num(cv.x(lx + 7))}" cy="{num(ly - 4)}" r="6" fill="{attr(colours[g])}"/>'
        body.append(sw + cv.label(lx + 18, ly, label, size=12, fill=MUTED))
        lx += w
    height = ly + PAD
    return document(width=width, height=height, lang=L.lang, ident=ident, title=title,
                    desc=L.t("fig_network_desc"), body=body, standalone=standalone)
