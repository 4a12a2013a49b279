"""Positions matrix: speakers (grouped by side) down, topics across; each cell holds the stance
and date of every statement there, each a link to the statement on its meeting page.

Laid out in reading order and mirrored for Arabic, so the side and speaker columns stand on
the right and topic columns follow right to left.
"""

from __future__ import annotations

from generator.render.figures.data import Matrix, MatrixCell, MatrixRow
from generator.render.figures.labels import Labels, page_url
from generator.kinds import BY_NAME
from generator.render.figures.svg import INK, MUTED, RULE, Canvas, document, link, text_width, wrap
from generator.urls import statement_anchor

PAD = 16
SIZE = 13
LINE = 17
TOPIC_W = 140
PILL_H = 36
PILL_GAP = 6
MAX_PILLS = 6  # statements drawn in one cell (all are in the table)

#: stance -> (fill, stroke): agreement green, refusal red, asks blue, description grey.
STANCE_COLOURS = {
    "affirms": ("#e6f4ea", "#2e7d32"), "commits-to": ("#e6f4ea", "#2e7d32"),
    "agrees": ("#e6f4ea", "#2e7d32"), "welcomes": ("#e6f4ea", "#2e7d32"),
    "rejects": ("#fdecea", "#c62828"), "condemns": ("#fdecea", "#c62828"), "warns": ("#fff4e5", "#b45309"),
    "calls-for": ("#e8effc", "#1d4ed8"), "seeks": ("#e8effc", "#1d4ed8"),
    "describes": ("#f1f3f5", "#57606a"), "discussed": ("#f1f3f5", "#57606a"),
}


def render(m: Matrix, L: Labels, *, ident: str, title: str, prefix: str, standalone: bool) -> str:
    """Speakers down and topics across; transposed (topics down) when there are more topics
    than speakers, so the figure stays narrow enough for a page."""
    if len(m.columns) > max(len(m.rows), 4):
        body, width, height = _topics_down(m, L, title, prefix)
    else:
        body, width, height = _speakers_down(m, L, title, prefix)
    return document(width=width, height=height, lang=L.lang, ident=ident, title=title,
                    desc=L.t("fig_matrix_desc"), body=body, standalone=standalone,
                    role="group")  # its cells are links, so not a flat image


def _title(cv: Canvas, title: str, body: list[str]) -> float:
    lines = wrap(title, cv.width - 2 * PAD, 15, max_lines=2, bold=True)
    body.append(cv.lines(PAD, PAD + 14, lines, line_height=19, size=15, weight="bold"))
    return PAD + 19 * len(lines) + 10


def _side_link(L: Labels, side: str, inner: str, prefix: str) -> str:
    return link(prefix + page_url("organizations", side), inner, L.name(side)) if side in L.corpus.organizations else inner


def _speaker_link(L: Labels, row: MatrixRow, inner: str, prefix: str) -> str:
    kind = BY_NAME[row.speaker.kind].plural if row.speaker.kind in BY_NAME else None
    return link(prefix + page_url(kind, row.speaker.ids[0]), inner, L.speaker(row.speaker)) if kind else inner


def _topic_link(L: Labels, col: str | None, inner: str, prefix: str) -> str:
    return link(prefix + page_url("topics", col), inner, L.topic(col)) if col else inner


def _pills(cv: Canvas, L: Labels, x: float, y: float, w: float, entries: tuple[MatrixCell, ...],
           who: str, topic: str, prefix: str, body: list[str]) -> None:
    """The statements of one cell, stacked: stance (bold) over date, each a link; past
    MAX_PILLS the newest are drawn and a "+N" says how many more the table lists."""
    hidden = len(entries) - MAX_PILLS if len(entries) > MAX_PILLS else 0
    if hidden:
        entries = entries[-(MAX_PILLS - 1):]
        py = y + PILL_GAP + 2 + (MAX_PILLS - 1) * (PILL_H + PILL_GAP)
        body.append(cv.label(x + w / 2, py + 22, f"+{hidden + 1}", align="middle", size=12, weight="bold", fill=MUTED))
    for k, cell in enumerate(entries):
        py = y + PILL_GAP + 2 + k * (PILL_H + PILL_GAP)
        fill, stroke = STANCE_COLOURS.get(cell.stance, ("#f1f3f5", MUTED))
        stance, day = L.stance(cell.stance), L.day(cell.date)
        pill = "".join([
            cv.rect(x, py, w, PILL_H, fill=fill, stroke=stroke, rx=5),
            cv.label(x + w / 2, py + 15, wrap(stance, w - 8, 12, 1, True)[0], align="middle", size=12,
                     weight="bold", fill=INK),
            cv.label(x + w / 2, py + 29, day, align="middle", size=10.5, fill=MUTED),
        ])
        tip = f"{who} · {topic} · {stance} · {day}"
        body.append(link(prefix + page_url("meetings", cell.meeting, statement_anchor(cell.statement)), pill, tip))


def _cell_h(n: int) -> float:
    return min(n, MAX_PILLS) * (PILL_H + PILL_GAP) + PILL_GAP + 4


def _speakers_down(m: Matrix, L: Labels, title: str, prefix: str) -> tuple[list[str], float, float]:
    side_labels = [L.name(r.side) for r in m.rows]
    speaker_labels = [L.speaker(r.speaker) for r in m.rows]
    side_w = min(170.0, max(90.0, *(text_width(s, SIZE, True) + 20 for s in [*side_labels, L.t("side")])))
    speaker_w = min(220.0, max(120.0, *(text_width(s, SIZE) + 20 for s in [*speaker_labels, L.t("speaker")])))
    width = PAD * 2 + side_w + speaker_w + TOPIC_W * len(m.columns)
    cv = Canvas(width, L.rtl)
    body: list[str] = []
    y = _title(cv, title, body)

    x_topics = PAD + side_w + speaker_w
    heads = [wrap(L.topic(c), TOPIC_W - 14, 12, max_lines=4, bold=True) for c in m.columns]
    head_h = max(1, *(len(h) for h in heads)) * 15 + 14
    body.append(cv.rect(PAD, y, width - 2 * PAD, head_h, fill="#f6f8fa"))
    body.append(cv.label(PAD + 8, y + 20, L.t("side"), size=12, weight="bold", fill=MUTED))
    body.append(cv.label(PAD + side_w + 8, y + 20, L.t("speaker"), size=12, weight="bold", fill=MUTED))
    for i, (col, lines) in enumerate(zip(m.columns, heads)):
        cx = x_topics + i * TOPIC_W + TOPIC_W / 2
        inner = cv.lines(cx, y + 20, lines, line_height=15, align="middle", size=12, weight="bold")
        body.append(_topic_link(L, col, inner, prefix))
    top = y
    y += head_h

    prev_side: str | None = None
    for r, row in enumerate(m.rows):
        cells = [m.cells.get((r, c), ()) for c in range(len(m.columns))]
        sp_lines = wrap(speaker_labels[r], speaker_w - 16, SIZE, max_lines=3)
        sd_lines = wrap(side_labels[r], side_w - 16, SIZE, max_lines=3, bold=True)
        n = max(1, *(len(c) for c in cells))
        row_h = max(len(sp_lines) * LINE + 16, len(sd_lines) * LINE + 16, _cell_h(n))
        new_side = row.side != prev_side
        heavy = new_side and r > 0
        body.append(cv.line(PAD, y, width - PAD, y, stroke=INK if heavy else RULE, width=1.5 if heavy else 1))
        if new_side:
            body.append(_side_link(L, row.side, cv.lines(PAD + 8, y + 21, sd_lines, line_height=LINE,
                                                         weight="bold"), prefix))
        prev_side = row.side
        body.append(_speaker_link(L, row, cv.lines(PAD + side_w + 8, y + 21, sp_lines, line_height=LINE), prefix))
        for c, entries in enumerate(cells):
            _pills(cv, L, x_topics + c * TOPIC_W + 7, y, TOPIC_W - 14, entries, speaker_labels[r],
                   L.topic(m.columns[c]), prefix, body)
        y += row_h
    body.append(cv.line(PAD, y, width - PAD, y, stroke=INK, width=1.5))
    for x in [PAD + side_w, *(x_topics + i * TOPIC_W for i in range(len(m.columns) + 1))]:
        body.append(cv.line(x, top, x, y, stroke=RULE))
    return body, width, y + PAD


def _topics_down(m: Matrix, L: Labels, title: str, prefix: str) -> tuple[list[str], float, float]:
    """Topics down, speakers across under a header row of sides."""
    topic_labels = [L.topic(c) for c in m.columns]
    speaker_labels = [L.speaker(r.speaker) for r in m.rows]
    topic_w = min(230.0, max(130.0, *(text_width(s, SIZE, True) / 2 + 24 for s in topic_labels)))
    col_w = float(TOPIC_W)
    width = PAD * 2 + topic_w + col_w * len(m.rows)
    cv = Canvas(width, L.rtl)
    body: list[str] = []
    y = _title(cv, title, body)
    x_cols = PAD + topic_w

    # header: sides (spanning their speakers), then speakers
    groups: list[tuple[str, int, int]] = []  # side, first column, last column
    for i, row in enumerate(m.rows):
        if groups and groups[-1][0] == row.side:
            groups[-1] = (row.side, groups[-1][1], i)
        else:
            groups.append((row.side, i, i))
    side_lines = {g: wrap(L.name(g[0]), (g[2] - g[1] + 1) * col_w - 14, SIZE, 2, True) for g in groups}
    side_h = max(len(v) for v in side_lines.values()) * LINE + 12
    sp_lines = [wrap(s, col_w - 14, 12, 4) for s in speaker_labels]
    sp_h = max(len(v) for v in sp_lines) * 15 + 14
    head_h = side_h + sp_h
    body.append(cv.rect(PAD, y, width - 2 * PAD, head_h, fill="#f6f8fa"))
    body.append(cv.label(PAD + 8, y + side_h + 18, L.t("topic"), size=12, weight="bold", fill=MUTED))
    for g in groups:
        side, a, b = g
        cx = x_cols + (a + b + 1) * col_w / 2
        body.append(_side_link(L, side, cv.lines(cx, y + 19, side_lines[g], line_height=LINE, align="middle",
                                                 weight="bold"), prefix))
    body.append(cv.line(x_cols, y + side_h, width - PAD, y + side_h, stroke=RULE))
    for i, row in enumerate(m.rows):
        cx = x_cols + i * col_w + col_w / 2
        body.append(_speaker_link(L, row, cv.lines(cx, y + side_h + 18, sp_lines[i], line_height=15,
                                                   align="middle", size=12), prefix))
    top = y
    y += head_h

    for c, col in enumerate(m.columns):
        cells = [m.cells.get((r, c), ()) for r in range(len(m.rows))]
        t_lines = wrap(topic_labels[c], topic_w - 16, SIZE, max_lines=3, bold=True)
        n = max(1, *(len(e) for e in cells))
        row_h = max(len(t_lines) * LINE + 16, _cell_h(n))
        body.append(cv.line(PAD, y, width - PAD, y, stroke=RULE))
        body.append(_topic_link(L, col, cv.lines(PAD + 8, y + 21, t_lines, line_height=LINE, weight="bold"), prefix))
        for r, entries in enumerate(cells):
            _pills(cv, L, x_cols + r * col_w + 7, y, col_w - 14, entries, speaker_labels[r], topic_labels[c],
                   prefix, body)
        y += row_h
    body.append(cv.line(PAD, y, width - PAD, y, stroke=INK, width=1.5))
    for i in range(len(m.rows) + 1):
        x = x_cols + i * col_w
        heavy = 0 < i < len(m.rows) and m.rows[i].side != m.rows[i - 1].side
        body.append(cv.line(x, top + (0 if heavy else side_h if 0 < i < len(m.rows) else 0), x, y,
                            stroke=INK if heavy else RULE, width=1.5 if heavy else 1))
    return body, width, y + PAD
