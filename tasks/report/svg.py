"""Inline SVG charts for the reports: hand-drawn, no fonts or scripts fetched, every label escaped."""
from __future__ import annotations

from markupsafe import Markup, escape

FONT = "'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif"
FLAG_COLORS = {"BELOW_LINE": "#c0392b", "NEAR_LINE": "#e67e22", "SUDDEN_DROP": "#8e44ad",
               "UNSTABLE_LIFTED": "#2471a3", "GUARANTEE_GAP": "#148f77"}
GRID = "#d5d8dc"
INK = "#283747"


def nice_ceiling(value: float) -> float:
    """A round axis maximum at or above value (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** (len(str(int(value))) - 1) if value >= 1 else 0.1
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def text(x: float, y: float, content: object, size: int = 12, anchor: str = "start", fill: str = INK,
         weight: str = "normal") -> str:
    """One escaped SVG text element."""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
            f'font-weight="{weight}">{escape(content)}</text>')


def shorten(label: str, length: int) -> str:
    """A label cut to length characters, with an ellipsis when cut."""
    return label if len(label) <= length else label[:length - 1] + "…"


def frame_svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    """Wrap chart parts in an <svg> with the CJK font stack and an accessible title."""
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
                  f'role="img" font-family="{FONT}"><title>{escape(title)}</title>{"".join(body)}</svg>')


def legend(items: list[tuple[str, str]], x: float, y: float) -> list[str]:
    """A one-line legend of (label, colour) swatches."""
    parts = []
    for label, color in items:
        parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{color}"/>')
        parts.append(text(x + 16, y, label, 12))
        x += 30 + 13 * len(label)
    return parts


def y_axis(left: float, top: float, bottom: float, right: float, maximum: float, fmt) -> list[str]:
    """Horizontal grid lines with their values, five steps up to maximum."""
    parts = []
    for step in range(6):
        value = maximum * step / 5
        y = bottom - (bottom - top) * step / 5
        parts.append(f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(text(left - 6, y + 4, fmt(value), 11, "end"))
    return parts


def histogram_svg(bins: list[dict], line: float, title: str) -> Markup:
    """Households by projected per-capita income (bins a fifth of the line wide), the line drawn in red."""
    counts = [0] * 16
    for row in bins:
        counts[row["bin_index"]] = row["households_count"]
    width, height, left, right, top, bottom = 720, 300, 60, 700, 40, 250
    maximum = nice_ceiling(max(max(counts), 5))
    step = (right - left) / len(counts)
    body = [text(left, 20, title, 14, weight="bold")] + y_axis(left, top, bottom, right, maximum, lambda v: f"{v:,.0f}")
    for index, count in enumerate(counts):
        bar = (bottom - top) * count / maximum
        color = "#c0392b" if index < 5 else "#e67e22" if index < 8 else "#5d6d7e"
        body.append(f'<rect x="{left + index * step + 1:.1f}" y="{bottom - bar:.1f}" width="{step - 2:.1f}" '
                    f'height="{bar:.1f}" fill="{color}"><title>{count:,} 户</title></rect>')
    for index in range(0, 15, 5):
        body.append(text(left + index * step, bottom + 16, f"{line * index / 5:,.0f}", 11, "middle"))
    body.append(text(right, bottom + 16, f"≥{line * 3:,.0f}", 11, "end"))
    line_x = left + 5 * step
    body.append(f'<line x1="{line_x:.1f}" x2="{line_x:.1f}" y1="{top - 6}" y2="{bottom}" stroke="#c0392b" '
                f'stroke-width="2" stroke-dasharray="6 3"/>')
    body.append(text(line_x + 4, top + 2, f"监测线 {line:,.0f} 元", 12, fill="#c0392b", weight="bold"))
    body.append(text((left + right) / 2, bottom + 36, "预计全年人均纯收入（元）", 12, "middle"))
    body.append(text(left - 6, top - 14, "户数", 11, "end"))
    return frame_svg(width, height, title, body)


def stacked_bars_svg(rows: list[dict], label_key: str, stacks: list[tuple[str, str, str]], title: str,
                     note_key: str | None = None) -> Markup:
    """Horizontal bars, one per row, stacked from the (key, label, colour) columns; note_key text after each bar."""
    row_height, left, right, top = 24, 150, 640, 56
    width, height = 720, top + row_height * max(len(rows), 1) + 16
    totals = [sum(r[key] or 0 for key, _, _ in stacks) for r in rows]
    maximum = nice_ceiling(max(totals, default=0))
    body = [text(10, 20, title, 14, weight="bold")] + legend([(lbl, col) for _, lbl, col in stacks], 10, 42)
    for index, row in enumerate(rows):
        y = top + index * row_height
        body.append(text(left - 8, y + 16, shorten(str(row[label_key]), 11), 12, "end"))
        x = left
        for key, lbl, color in stacks:
            length = (right - left) * (row[key] or 0) / maximum
            if length > 0:
                body.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{length:.1f}" height="{row_height - 8}" '
                            f'fill="{color}"><title>{escape(lbl)} {row[key]:,}</title></rect>')
            x += length
        note = row[note_key] if note_key else f"{totals[index]:,}"
        body.append(text(x + 6, y + 16, note, 11, fill="#566573"))
    if not rows:
        body.append(text(left, top + 16, "无数据", 12))
    return frame_svg(width, height, title, body)


def line_chart_svg(labels: list[str], series: list[tuple[str, list, str]], title: str, fmt=lambda v: f"{v:,.0f}",
                   least_maximum: float = 5) -> Markup:
    """Lines over categories (periods, months) for each (name, values, colour) series; None values are skipped."""
    width, height, left, right, top, bottom = 720, 280, 70, 690, 56, 240
    values = [v for _, vals, _ in series for v in vals if v is not None]
    maximum = nice_ceiling(max(values + [least_maximum]))
    step = (right - left) / max(len(labels) - 1, 1)
    body = [text(10, 20, title, 14, weight="bold")] + legend([(n, c) for n, _, c in series], 10, 42)
    body += y_axis(left, top, bottom, right, maximum, fmt)
    for index, label in enumerate(labels):
        body.append(text(left + index * step, bottom + 18, label, 11, "middle"))
    for name, vals, color in series:
        points = [(left + i * step, bottom - (bottom - top) * v / maximum) for i, v in enumerate(vals) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2.5"/>')
        for (x, y), v in zip(points, [v for v in vals if v is not None]):
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}"><title>{escape(name)} '
                        f'{escape(fmt(v))}</title></circle>')
    return frame_svg(width, height, title, body)
