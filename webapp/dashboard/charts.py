"""Charts as SVG drawn on the server: they print, need no script and no network, and go
into the report's PDF unchanged.

A few lines of Python each, rather than a chart library: the markup stays small and
predictable (one <polyline> per series, one <rect> per bar), every chart carries a
<title> and a <desc> read out by screen readers (`role="img"`, `aria-labelledby`), and
every <text> names the PDFs' font (pdf.SVG_FONT_FAMILY) so WeasyPrint embeds that one
face for the Chinese labels (a <text> naming no font made it embed DejaVu Sans and Noto
Sans CJK JP). The page puts the same numbers in a table beside each chart
(templates/dashboard/_chart.html), for screen readers and for print.
"""
from markupsafe import Markup, escape

from ..pdf import SVG_FONT_FAMILY as FONT
INK, GRID, MUTED = "#222", "#d9d9d9", "#555"
COLOURS = ("#b71c1c", "#1f5fa8", "#2e7d32", "#8e5b00")


def _text(x, y, s, size=11, anchor="start", fill=INK, weight=None):
    extra = f' font-weight="{weight}"' if weight else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}"{extra}>{escape(s)}</text>')


def _open(chart_id, title, desc, width, height):
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
            f'font-family="{FONT}">',
            f'<title id="{chart_id}-t">{escape(title)}</title>',
            f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>']


def axis(value):
    """(top, step) of a value axis with whole, round ticks: 7 → (8, 2), 112 → (120, 20)."""
    value = max(value, 0)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000):
        if value <= step * 5:
            return max(step, -(-value // step) * step), step
    return value or 1, value or 1


def line_chart(chart_id, title, labels, series, width=560, height=220, unit=""):
    """A trend: `labels` along the bottom (months), `series` a list of (name, values)
    with None for a month without a figure. The <desc> reads every value."""
    pad_l, pad_r, pad_t, pad_b = 40, 12, 14, 34
    values = [v for _, vs in series for v in vs if v is not None]
    top, tick = axis(max(values) if values else 0)
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    n = max(len(labels) - 1, 1)
    x = lambda i: pad_l + plot_w * i / n  # noqa: E731
    y = lambda v: pad_t + plot_h * (1 - v / top)  # noqa: E731
    desc = "；".join(f"{name}：" + "，".join(f"{lab}{'无数据' if v is None else f'{v:g}{unit}'}"
                                            for lab, v in zip(labels, vs)) for name, vs in series)
    parts = _open(chart_id, title, desc, width, height)
    for k in range(int(top // tick) + 1):
        v = k * tick
        parts.append(f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{GRID}"/>')
        parts.append(_text(pad_l - 4, y(v) + 4, f"{v:g}", 10, "end", MUTED))
    step = max(1, len(labels) // 6)
    for i, lab in enumerate(labels):
        if i % step == 0 or i == len(labels) - 1:
            anchor = "start" if i == 0 else "end" if i == len(labels) - 1 else "middle"
            parts.append(_text(x(i), height - pad_b + 16, lab, 10, anchor, MUTED))
    for s, (name, vs) in enumerate(series):
        colour = COLOURS[s % len(COLOURS)]
        points = [(x(i), y(v)) for i, v in enumerate(vs) if v is not None]
        if len(points) > 1:
            parts.append(f'<polyline points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in points)}" fill="none" '
                         f'stroke="{colour}" stroke-width="2"/>')
        parts.extend(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="2.5" fill="{colour}"/>' for a, b in points)
        if len(series) > 1:
            parts.append(f'<rect x="{pad_l + 4 + s * 120}" y="{height - 12}" width="10" height="4" fill="{colour}"/>')
            parts.append(_text(pad_l + 18 + s * 120, height - 7, name, 10, "start", INK))
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(chart_id, title, labels, values, width=560, unit="", bar=18):
    """Horizontal bars, one per label (categories, communities), value at the bar's end."""
    pad_l, pad_r, pad_t = 120, 48, 8
    height = pad_t * 2 + len(labels) * (bar + 8) or 40
    top, _ = axis(max(values) if values else 0)
    plot_w = width - pad_l - pad_r
    desc = "，".join(f"{lab}{v:g}{unit}" for lab, v in zip(labels, values)) or "无数据"
    parts = _open(chart_id, title, desc, width, height)
    for i, (lab, v) in enumerate(zip(labels, values)):
        top_y = pad_t + i * (bar + 8)
        w = plot_w * v / top if top else 0
        parts.append(_text(pad_l - 6, top_y + bar - 5, lab[:9], 11, "end", INK))
        parts.append(f'<rect x="{pad_l}" y="{top_y}" width="{w:.1f}" height="{bar}" fill="{COLOURS[0]}"/>')
        parts.append(_text(pad_l + w + 4, top_y + bar - 5, f"{v:g}", 11, "start", INK))
    parts.append("</svg>")
    return Markup("".join(parts))
