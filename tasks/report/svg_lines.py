"""Line charts for the reports (months across, shares up): each series told apart by its dash and marker as well
as its colour, so that a black-and-white print still reads."""
from __future__ import annotations

from markupsafe import escape

from tasks.report.svg import MUTED, WIDTH, Chart, frame_svg, nice_ceiling, text, y_axis

# line styles that differ without colour: (dash pattern, marker shape)
LINE_STYLES = [("", "circle"), ("6 4", "square"), ("2 3", "triangle"), ("9 3 2 3", "diamond")]


def marker(shape: str, x: float, y: float, color: str, tip: str) -> str:
    """One data point's marker with its value as a tooltip."""
    tooltip = f"<title>{escape(tip)}</title>"
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}">{tooltip}</circle>'
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="#fff" stroke="{color}" ' \
               f'stroke-width="2">{tooltip}</rect>'
    points = [(x, y - 4.5), (x + 4.5, y + 3.5), (x - 4.5, y + 3.5)] if shape == "triangle" else \
        [(x, y - 4.5), (x + 4.5, y), (x, y + 4.5), (x - 4.5, y)]
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    return f'<polygon points="{path}" fill="{color}">{tooltip}</polygon>'


def line_chart_svg(chart_id: str, labels: list[str], series: list[tuple[str, list, str]], title: str, summary: str,
                   fmt=lambda v: f"{v:,.0f}", least_maximum: float = 5) -> Chart:
    """Lines over categories (months) for each (name, values, colour) series, each with its own dash and marker
    (shown in the legend); None values are gaps."""
    height, left, right, top, bottom = 250, 48, WIDTH - 10, 56, 214
    values = [v for _, vals, _ in series for v in vals if v is not None]
    maximum = nice_ceiling(max(values + [least_maximum]))
    step = (right - left) / max(len(labels) - 1, 1)
    keys = []
    body = y_axis(left, top, bottom, right, maximum, fmt)
    for index, label in enumerate(labels):
        body.append(text(left + index * step, bottom + 18, label, 12, "middle", MUTED))
    for (name, vals, color), (dash, shape) in zip(series, LINE_STYLES):
        keys.append((name, color))
        points = [(left + i * step, bottom - (bottom - top) * v / maximum, v) for i, v in enumerate(vals)
                  if v is not None]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2.2"{dashed}/>')
        body += [marker(shape, x, y, color, f"{name} {fmt(v)}") for x, y, v in points]
    body = [text(4, 16, title, 14, weight="bold"), *line_legend(series, 4, 38)] + body
    return frame_svg(chart_id, height, title, summary, body)


def line_legend(series: list[tuple[str, list, str]], x: float, y: float) -> list[str]:
    """The legend of a line chart: a short stretch of each line with its marker and dash, then its name."""
    parts = []
    for (name, _, color), (dash, shape) in zip(series, LINE_STYLES):
        if x + 26 + 12.5 * len(name) > WIDTH:  # a long legend wraps under itself
            x, y = 4, y + 16
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line x1="{x:.1f}" x2="{x + 22:.1f}" y1="{y - 4:.1f}" y2="{y - 4:.1f}" stroke="{color}" '
                     f'stroke-width="2.2"{dashed}/>')
        parts.append(marker(shape, x + 11, y - 4, color, name))
        parts.append(text(x + 26, y, name, 12))
        x += 40 + 12.5 * len(name)
    return parts
