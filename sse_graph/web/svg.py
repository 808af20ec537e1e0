"""Charts, timelines and graphs drawn on the server as inline SVG.

They work without JavaScript, print, and need no library; ``static/app.js`` only adds
highlighting on hover and focus. Every drawing has a ``<title>``/``<desc>``, every mark that
stands for a resource is a focusable link, and colours meet WCAG AA against their text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

#: fill per objective (1, 2, 3); white text on each is at least 6.5:1
OBJECTIVE_COLOURS = ("#1f4e9c", "#8a3b00", "#1d6b45")
MILESTONE_COLOUR = "#6b2c91"
INK = "#1b1b1b"
MUTED = "#595959"
GRID = "#c8c8c8"


def colour(index: int) -> str:
    return OBJECTIVE_COLOURS[index % len(OBJECTIVE_COLOURS)]


def _char_em(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.56


def text_width(text: str, size: float) -> float:
    """Rough rendered width: East Asian wide characters take 1 em, others about 0.56 em."""
    return sum(_char_em(ch) for ch in text) * size


def fit(text: str, width: float, size: float) -> str:
    """``text`` cut (with an ellipsis) to fit ``width`` pixels at font size ``size``."""
    limit = width / size
    used = 0.0
    for i, ch in enumerate(text):
        used += _char_em(ch)
        if used > limit:
            # room for the ellipsis: drop characters until it fits
            cut = i
            room = limit - 0.6
            while cut > 0 and sum(_char_em(c) for c in text[:cut]) > room:
                cut -= 1
            return text[:cut].rstrip() + "…"
    return text


def _a(x: str) -> str:
    return escape(x, quote=True)


def _svg(
    width: float, height: float, title: str, desc: str, body: list[str], cls: str, ident: str
) -> Markup:
    return Markup(
        f'<svg class="chart {cls}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'role="group" aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


# ---------------------------------------------------------------------------------------------
# Bar chart (costs per objective)
# ---------------------------------------------------------------------------------------------


@dataclass
class Bar:
    code: str
    label: str
    value: float
    href: str
    colour: str
    value_text: str


def bar_chart(
    bars: list[Bar], title: str, desc: str, ident: str = "costs", width: int = 640
) -> Markup:
    label_w, pad, row_h, gap = 44, 8, 30, 14
    value_w = 120
    chart_w = width - label_w - value_w - 2 * pad
    top = 6
    height = top + len(bars) * (row_h + gap) + 4
    vmax = max((b.value for b in bars), default=1) or 1
    body: list[str] = []
    for i, b in enumerate(bars):
        y = top + i * (row_h + gap)
        w = max(2.0, chart_w * b.value / vmax)
        x0 = pad + label_w
        body.append(
            f'<a href="{_a(b.href)}" class="mark" data-node="{_a(b.code)}">'
            f"<title>{escape(b.label)}: {escape(b.value_text)}</title>"
            f'<text x="{pad}" y="{y + row_h * 0.68:.1f}" class="axis-label" '
            f'font-weight="700" fill="{INK}">{escape(b.code)}</text>'
            f'<rect x="{x0}" y="{y}" width="{w:.1f}" height="{row_h}" rx="3" fill="{b.colour}"/>'
            f'<text x="{x0 + w + 8:.1f}" y="{y + row_h * 0.68:.1f}" fill="{INK}">'
            f"{escape(b.value_text)}</text></a>"
        )
    return _svg(width, height, title, desc, body, "bar-chart", ident)


# ---------------------------------------------------------------------------------------------
# Timeline (activities 2023–2029 with ICLS milestones)
# ---------------------------------------------------------------------------------------------


@dataclass
class Span:
    code: str
    label: str
    href: str
    start: int
    end: int
    colour: str


@dataclass
class Milestone:
    year: int
    label: str
    href: str


def timeline(
    spans: list[Span],
    first: int,
    last: int,
    milestones: list[Milestone],
    title: str,
    desc: str,
    ident: str = "timeline",
    width: int = 900,
    row_h: int = 24,
    code_w: int = 64,
) -> Markup:
    pad, gap, axis_h = 8, 6, 26
    top = axis_h + 34 if milestones else axis_h + 6
    years = list(range(first, last + 1))
    plot_x = pad + code_w
    plot_w = width - plot_x - pad
    col_w = plot_w / len(years)
    height = top + len(spans) * (row_h + gap) + 8
    body: list[str] = []
    # year columns and labels
    for i, year in enumerate(years):
        x = plot_x + i * col_w
        body.append(
            f'<rect x="{x:.1f}" y="{axis_h - 2}" width="{col_w:.1f}" '
            f'height="{height - axis_h - 4}" fill="{"#f3f3f3" if i % 2 == 0 else "#ffffff"}"/>'
            f'<text x="{x + col_w / 2:.1f}" y="{axis_h - 9}" text-anchor="middle" '
            f'class="axis-label" fill="{INK}">{year}</text>'
        )
    # milestones: a dashed line through the whole chart and a flag at the top
    for m in milestones:
        if not first <= m.year <= last:
            continue
        x = plot_x + (m.year - first + 0.5) * col_w
        caption = fit(m.label, col_w * 2.2, 12)
        anchor = "start" if m.year - first < len(years) / 2 else "end"
        tx = x + 6 if anchor == "start" else x - 6
        body.append(
            f'<a href="{_a(m.href)}" class="mark milestone"><title>{escape(m.label)} '
            f"({m.year})</title>"
            f'<line x1="{x:.1f}" y1="{axis_h + 2}" x2="{x:.1f}" y2="{height - 6}" '
            f'stroke="{MILESTONE_COLOUR}" stroke-width="2" stroke-dasharray="5 4"/>'
            f'<path d="M{x:.1f},{axis_h + 4} l7,7 l-7,7 l-7,-7 z" fill="{MILESTONE_COLOUR}"/>'
            f'<text x="{tx:.1f}" y="{axis_h + 27}" text-anchor="{anchor}" font-size="12" '
            f'fill="{MILESTONE_COLOUR}" font-weight="700">{escape(caption)}</text></a>'
        )
    for i, s in enumerate(spans):
        y = top + i * (row_h + gap)
        x0 = plot_x + (max(s.start, first) - first) * col_w + 2
        x1 = plot_x + (min(s.end, last) - first + 1) * col_w - 2
        inner = fit(s.label, x1 - x0 - 12, 12)
        body.append(
            f'<a href="{_a(s.href)}" class="mark" data-node="{_a(s.code)}">'
            f"<title>{escape(s.code)} {escape(s.label)} ({s.start}–{s.end})</title>"
            f'<text x="{pad}" y="{y + row_h * 0.7:.1f}" font-size="13" font-weight="700" '
            f'fill="{INK}">{escape(s.code)}</text>'
            f'<rect x="{x0:.1f}" y="{y}" width="{max(4.0, x1 - x0):.1f}" height="{row_h}" rx="4" '
            f'fill="{s.colour}"/>'
            f'<text x="{x0 + 6:.1f}" y="{y + row_h * 0.7:.1f}" font-size="12" fill="#ffffff">'
            f"{escape(inner)}</text></a>"
        )
    return _svg(width, height, title, desc, body, "timeline", ident)


# ---------------------------------------------------------------------------------------------
# Layered graph (instrument → paragraphs → outputs → activities → points / P&B outputs)
# ---------------------------------------------------------------------------------------------


@dataclass
class Node:
    id: str
    text: str  # short text in the box (a notation)
    title: str  # full label (tooltip and accessible name)
    href: str
    cls: str = ""  # kind, for the colour
    order: tuple = ()  # tie-break within a column (display order of the resource)


@dataclass
class Column:
    heading: str
    nodes: list[Node] = field(default_factory=list)


@dataclass
class Edge:
    source: str
    target: str
    dashed: bool = False


NODE_FILL = {
    "instrument": ("#1b1b1b", "#ffffff"),
    "paragraph": ("#ffffff", "#1b1b1b"),
    "thematic-area": ("#fff4d6", "#1b1b1b"),
    "output": ("#1f4e9c", "#ffffff"),
    "activity": ("#e6eefb", "#1b1b1b"),
    "conclusion-point": ("#edf7f0", "#1b1b1b"),
    "pb-output": ("#f7ecf9", "#1b1b1b"),
}


def layered_graph(
    columns: list[Column],
    edges: list[Edge],
    title: str,
    desc: str,
    ident: str = "graph",
    node_w: int = 118,
    node_h: int = 26,
    col_gap: int = 46,
    row_gap: int = 8,
) -> Markup:
    columns = [c for c in columns if c.nodes]
    if not columns:
        return Markup("")
    # order each column by the mean position of its neighbours in the previous columns
    position: dict[str, float] = {}
    for ci, col in enumerate(columns):
        if ci > 0:

            def key(n: Node, _ci=ci) -> tuple:
                parents = [
                    position[e.source] for e in edges if e.target == n.id and e.source in position
                ]
                return (sum(parents) / len(parents) if parents else 1e9, n.order, n.text)

            col.nodes.sort(key=key)
        for ri, n in enumerate(col.nodes):
            position[n.id] = ri
    head_h, pad = 30, 6
    tallest = max(len(c.nodes) for c in columns)
    height = head_h + tallest * (node_h + row_gap) + pad
    width = pad * 2 + len(columns) * node_w + (len(columns) - 1) * col_gap
    where: dict[str, tuple[float, float]] = {}
    body: list[str] = []
    for ci, col in enumerate(columns):
        x = pad + ci * (node_w + col_gap)
        body.append(
            f'<text x="{x + node_w / 2:.1f}" y="18" text-anchor="middle" font-size="12" '
            f'font-weight="700" fill="{MUTED}">{escape(fit(col.heading, node_w + col_gap - 6, 12))}'
            f"</text>"
        )
        offset = (tallest - len(col.nodes)) * (node_h + row_gap) / 2
        for ri, n in enumerate(col.nodes):
            y = head_h + offset + ri * (node_h + row_gap)
            where[n.id] = (x, y)
    for e in edges:
        if e.source not in where or e.target not in where:
            continue
        (x0, y0), (x1, y1) = where[e.source], where[e.target]
        if x1 < x0:
            (x0, y0), (x1, y1) = (x1, y1), (x0, y0)
        sx, sy = x0 + node_w, y0 + node_h / 2
        tx, ty = x1, y1 + node_h / 2
        mid = (sx + tx) / 2
        dash = ' stroke-dasharray="5 4"' if e.dashed else ""
        body.append(
            f'<path class="edge" data-from="{_a(e.source)}" data-to="{_a(e.target)}" '
            f'd="M{sx:.1f},{sy:.1f} C{mid:.1f},{sy:.1f} {mid:.1f},{ty:.1f} {tx:.1f},{ty:.1f}" '
            f'fill="none" stroke="#7a7a7a" stroke-width="1.4"{dash}/>'
        )
    for col in columns:
        for n in col.nodes:
            x, y = where[n.id]
            fill, ink = NODE_FILL.get(n.cls, ("#ffffff", INK))
            body.append(
                f'<a href="{_a(n.href)}" class="mark node" data-node="{_a(n.id)}">'
                f"<title>{escape(n.title)}</title>"
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{node_w}" height="{node_h}" rx="5" '
                f'fill="{fill}" stroke="#1b1b1b" stroke-width="1"/>'
                f'<text x="{x + node_w / 2:.1f}" y="{y + node_h * 0.68:.1f}" text-anchor="middle" '
                f'font-size="12.5" fill="{ink}">{escape(fit(n.text, node_w - 10, 12.5))}</text></a>'
            )
    return _svg(width, height, title, desc, body, "graph", ident)
