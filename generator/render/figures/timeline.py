"""Timeline: meetings over time, one row per counterpart.

Time runs in the reading direction: left to right in English, right to left in Arabic (the
whole layout is mirrored), with counterpart names at the start of each row.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from generator.render.figures.data import Timeline
from generator.render.figures.labels import Labels, page_url
from generator.render.figures.svg import MUTED, RULE, Canvas, document, link, num, text_width, wrap

PAD = 16
SIZE = 13
PLOT_W = 560
LANE = 20
MARK = "#3056d3"
MAX_TICKS = 8


def _months(d: date) -> int:
    return d.year * 12 + d.month - 1


def ticks(d0: date, d1: date) -> tuple[str, list[date]]:
    """Tick dates between d0 and d1 at a round step giving at most MAX_TICKS ticks."""
    span = (d1 - d0).days
    for step in (1, 2, 3, 7, 14):
        if span / step <= MAX_TICKS:
            return "day", [d0 + timedelta(days=i) for i in range(0, span, step)]
    for step in (1, 2, 3, 6):
        if (_months(d1) - _months(d0)) / step <= MAX_TICKS:
            out = []
            m = _months(d0) + 1
            while m <= _months(d1):
                if m % step == 0:
                    out.append(date(m // 12, m % 12 + 1, 1))
                m += 1
            return "month", out
    years = d1.year - d0.year
    step = next(s for s in (1, 2, 5, 10, 25, 50, 100, 250, 500, 1000) if years / s <= MAX_TICKS)
    return "year", [date(y, 1, 1) for y in range(d0.year + 1, d1.year + 1) if y % step == 0]


def render(tl: Timeline, L: Labels, *, ident: str, title: str, prefix: str, standalone: bool) -> str:
    labels = [L.names(row.counterpart) for row in tl.rows]
    label_w = min(220.0, max(100.0, *(text_width(s, SIZE, True) + 24 for s in labels)))
    width = PAD * 2 + label_w + PLOT_W + 20
    cv = Canvas(width, L.rtl)
    body: list[str] = []

    title_lines = wrap(title, width - 2 * PAD, 15, max_lines=2, bold=True)
    body.append(cv.lines(PAD, PAD + 14, title_lines, line_height=19, size=15, weight="bold"))
    y = PAD + 19 * len(title_lines) + 12

    # time scale (a little room either side; at least a week shown)
    span = max((tl.last - tl.first).days, 0)
    pad = max(3, math.ceil(span * 0.06))
    d0, d1 = tl.first - timedelta(days=pad), tl.last + timedelta(days=pad + 1)
    total = (d1 - d0).days
    x0 = PAD + label_w + 10

    def x_of(d: date) -> float:
        return x0 + (d - d0).days / total * PLOT_W

    unit, marks = ticks(d0, d1)
    axis_y = y + 18
    def tick_labels(marks: list[date]) -> list[str]:
        """Tick labels; a day's label carries its year the first time that year is shown."""
        return [L.tick(d, unit, with_year=i == 0 or d.year != marks[i - 1].year) for i, d in enumerate(marks)]

    tick_text = tick_labels(marks)
    if len(marks) > 1:  # keep every k-th tick so labels never run into each other
        gap = x_of(marks[1]) - x_of(marks[0])
        k = math.ceil((max(text_width(t, 11) for t in tick_text) + 12) / max(gap, 1))
        marks = marks[::k]
        tick_text = tick_labels(marks)
    rows_top = axis_y + 10

    # rows, each with marks stacked in lanes when they would overlap
    row_parts: list[str] = []
    ry = rows_top
    for row, label in zip(tl.rows, labels):
        lanes: list[float] = []  # right-most logical x used in each lane
        placed: list[tuple[int, float, float]] = []
        for m in row.meetings:
            xa, xb = x_of(m.date.start), x_of(m.date.last + timedelta(days=1))
            if m.date.last == m.date.start or xb - xa < 14:  # a dot at the middle of its day
                xa, xb = (xa + xb) / 2 - 8, (xa + xb) / 2 + 8
            lane = next((i for i, end in enumerate(lanes) if xa > end + 3), len(lanes))
            if lane == len(lanes):
                lanes.append(xb)
            else:
                lanes[lane] = xb
            placed.append((lane, xa, xb))
        name_lines = wrap(label, label_w - 16, SIZE, max_lines=2, bold=True)
        row_h = max(len(lanes) * LANE + 16, len(name_lines) * 17 + 14)
        row_parts.append(cv.line(PAD, ry, width - PAD, ry, stroke=RULE))
        inner = cv.lines(PAD + 6, ry + 21, name_lines, line_height=17, weight="bold")
        if len(row.counterpart) == 1 and row.counterpart[0] in L.corpus.organizations:
            inner = link(prefix + page_url("organizations", row.counterpart[0]), inner, label)
        row_parts.append(inner)
        for m, (lane, xa, xb) in zip(row.meetings, placed):
            cy = ry + 8 + lane * LANE + LANE / 2
            if m.date.last != m.date.start:
                shape = cv.rect(xa, cy - 6, xb - xa, 12, fill=MARK, rx=6, extra=' stroke="#ffffff"')
            else:
                shape = (f'<circle cx="{num(cv.x((xa + xb) / 2))}" cy="{num(cy)}" r="7" fill="{MARK}" '
                         f'stroke="#ffffff" stroke-width="1.5"/>')
            tip = f"{L.name(m.id)} · {L.when(m.date.start, m.date.last)}"
            row_parts.append(link(prefix + page_url("meetings", m.id), shape, tip))
        ry += row_h
    row_parts.append(cv.line(PAD, ry, width - PAD, ry, stroke=RULE))

    # grid and axis (drawn first so the marks sit on top)
    for d, label in zip(marks, tick_text):
        x = x_of(d) + (PLOT_W / total / 2 if unit == "day" else 0)  # a day's tick at its middle
        body.append(cv.line(x, axis_y + 4, x, ry, stroke="#eaeef2"))
        body.append(cv.label(x, axis_y, label, align="middle", size=11, fill=MUTED))
    body.append(cv.line(x0, axis_y + 4, x0 + PLOT_W, axis_y + 4, stroke=MUTED))
    # an arrow at the end of the axis shows which way time runs
    tip_x = x0 + PLOT_W + 8
    body.append(f'<path d="M{num(cv.x(tip_x - 8))} {num(axis_y)} L{num(cv.x(tip_x))} {num(axis_y + 4)} '
                f'L{num(cv.x(tip_x - 8))} {num(axis_y + 8)} Z" fill="{MUTED}"/>')
    body += row_parts
    height = ry + PAD
    return document(width=width, height=height, lang=L.lang, ident=ident, title=title,
                    desc=L.t("fig_timeline_desc"), body=body, standalone=standalone)
