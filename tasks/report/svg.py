"""Inline SVG charts for the reports: hand-drawn, no fonts or scripts fetched, every label escaped. Readable in
grayscale (each series has its own pattern, dash or marker, and a direct label) and when printed two to a row
(no text below 12 units of a 440-unit-wide chart)."""
from __future__ import annotations

from markupsafe import Markup, escape

FONT = "'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif"
# one meaning per colour across a page: red below the line, amber near it, the other flags their own hue
FLAG_COLORS = {"BELOW_LINE": "#b03a2e", "NEAR_LINE": "#9c5700", "SUDDEN_DROP": "#6c3483",
               "UNSTABLE_LIFTED": "#1f618d", "GUARANTEE_GAP": "#0e6655"}
OTHER = "#5d6d7e"       # households neither below nor near the line; the flagged share
QUALITY = "#34495e"     # data quality (not a flag)
GRID = "#d5d8dc"
INK = "#1c2833"
MUTED = "#4d5656"
WIDTH = 440
# fills by meaning: a colour and a pattern that still tell series apart in black and white
PATTERNS = {
    "hatch": '<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
             '<rect width="6" height="6" fill="{color}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" '
             'stroke-width="2"/></pattern>',
    "dots": '<pattern id="{id}" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" '
            'fill="{color}"/><circle cx="2.5" cy="2.5" r="1.2" fill="#fff"/></pattern>',
    "solid": None,
}


def nice_ceiling(value: float) -> float:
    """A round axis maximum at or above value (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 1.0
    while power * 10 < value:
        power *= 10
    while power > value:
        power /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value - 1e-12:
            return step * power
    return 10 * power


def text(x: float, y: float, content: object, size: int = 13, anchor: str = "start", fill: str = INK,
         weight: str = "normal") -> str:
    """One escaped SVG text element."""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
            f'font-weight="{weight}">{escape(content)}</text>')


def shorten(label: str, length: int) -> str:
    """A label cut to length characters, with an ellipsis when cut."""
    return label if len(label) <= length else label[:length - 1] + "…"


def fill_of(chart_id: str, key: str, color: str, pattern: str) -> tuple[str, str]:
    """The fill attribute of a series and its <pattern> definition ('' for a solid fill)."""
    template = PATTERNS[pattern]
    if template is None:
        return color, ""
    pattern_id = f"{chart_id}-{key}"
    return f"url(#{pattern_id})", template.format(id=pattern_id, color=color)


class Chart(Markup):
    """An SVG chart's markup, carrying its one-sentence text summary (shown beside it)."""

    summary: str = ""


def frame_svg(chart_id: str, height: int, title: str, summary: str, body: list[str], defs: list[str] = ()) -> Chart:
    """Wrap chart parts in an <svg> with the CJK font stack, its title and a text summary (desc)."""
    chart = Chart(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
                  f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" font-family="{FONT}">'
                  f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(summary)}</desc>'
                  f'<defs>{"".join(d for d in defs if d)}</defs>{"".join(body)}</svg>')
    chart.summary = summary
    return chart


def legend(items: list[tuple[str, str]], x: float, y: float) -> list[str]:
    """A one-line legend of (label, fill) swatches."""
    parts = []
    for label, fill in items:
        parts.append(f'<rect x="{x:.1f}" y="{y - 11:.1f}" width="14" height="14" fill="{fill}" stroke="{INK}" '
                     f'stroke-width="0.5"/>')
        parts.append(text(x + 18, y, label, 12))
        x += 30 + 12.5 * len(label)
    return parts


def y_axis(left: float, top: float, bottom: float, right: float, maximum: float, fmt) -> list[str]:
    """Horizontal grid lines with their values, five steps up to maximum."""
    parts = []
    for step in range(6):
        y = bottom - (bottom - top) * step / 5
        parts.append(f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(text(left - 4, y + 4, fmt(maximum * step / 5), 12, "end", MUTED))
    return parts


def x_axis(left: float, right: float, top: float, bottom: float, maximum: float) -> list[str]:
    """Vertical grid lines of a percent axis, five steps up to maximum, with their values below."""
    parts = []
    for step in range(6):
        x = left + (right - left) * step / 5
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{bottom}" stroke="{GRID}"/>')
        parts.append(text(x, bottom + 14, percent(maximum * step / 5), 12, "middle", MUTED))
    return parts


def percent(value: float) -> str:
    """A share as a percentage, one decimal below 10 %."""
    return f"{value * 100:.1f}%" if value < 0.1 and value != 0 else f"{value * 100:.0f}%"


def histogram_svg(chart_id: str, bins: list[dict], line: float, title: str, summary: str) -> Markup:
    """Households by projected per-capita income (bins a fifth of the line wide), the line drawn; each bin's
    households of each group (below, near, above the line: rows' band) stacked with the group's pattern, each
    group with a direct label of its households."""
    counts = {band: [0] * 16 for band in ("below", "near", "above")}
    for row in bins:
        counts[row["band"]][row["bin_index"]] += row["households_count"]
    height, left, right, top, bottom = 250, 46, WIDTH - 8, 52, 206
    maximum = nice_ceiling(max(max(sum(c[i] for c in counts.values()) for i in range(16)), 5))
    step = (right - left) / 16
    groups = [("below", "低于监测线", FLAG_COLORS["BELOW_LINE"], "hatch"),
              ("near", "临界边缘", FLAG_COLORS["NEAR_LINE"], "dots"),
              ("above", "其余", OTHER, "solid")]
    defs, keys = [], []
    body = y_axis(left, top, bottom, right, maximum, lambda v: f"{v:,.0f}")
    stacked = [0] * 16
    for key, label, color, pattern in groups:
        fill, definition = fill_of(chart_id, key, color, pattern)
        defs.append(definition)
        keys.append((f"{label} {sum(counts[key]):,}户", fill))
        for index, count in enumerate(counts[key]):
            if not count:
                continue
            bar, base = (bottom - top) * count / maximum, (bottom - top) * stacked[index] / maximum
            stacked[index] += count
            body.append(f'<rect x="{left + index * step + 1:.1f}" y="{bottom - base - bar:.1f}" width="{step - 2:.1f}" '
                        f'height="{bar:.1f}" fill="{fill}"><title>{escape(label)} {count:,} 户</title></rect>')
    body = [text(4, 16, title, 14, weight="bold"), *legend(keys, 4, 38)] + body
    for index in range(0, 15, 5):
        body.append(text(left + index * step, bottom + 16, f"{line * index / 5:,.0f}", 12, "middle", MUTED))
    body.append(text(right, bottom + 16, f"≥{line * 3:,.0f}", 12, "end", MUTED))
    line_x = left + 5 * step
    body.append(f'<line x1="{line_x:.1f}" x2="{line_x:.1f}" y1="{top - 4}" y2="{bottom}" stroke="{INK}" '
                f'stroke-width="2" stroke-dasharray="5 3"/>')
    body.append(text(line_x + 4, top + 10, f"监测线 {line:,.0f} 元", 12, weight="bold"))
    body.append(text((left + right) / 2, bottom + 36, "预计全年人均纯收入（元）；纵轴：户数", 12, "middle", MUTED))
    return frame_svg(chart_id, height, title, summary, body, defs)


def share_bars_svg(chart_id: str, rows: list[dict], label_key: str, title: str, summary: str,
                   outer: tuple[str, str], inner: tuple[str, str] | None = None) -> Markup:
    """Horizontal bars of shares, one per row in the given order: the outer share (key, label) as a bar, the inner
    share (a part of it) as a hatched bar inside; each row's figures written after its bar."""
    row_height, left, right, top = 24, 92, WIDTH - 112, 56
    height = top + row_height * max(len(rows), 1) + 22
    maximum = nice_ceiling(max([r[outer[0]] or 0 for r in rows] + [0.01]))
    inner_fill, definition = fill_of(chart_id, "inner", FLAG_COLORS["BELOW_LINE"], "hatch")
    keys = [(outer[1], OTHER)] + ([(inner[1], inner_fill)] if inner else [])
    body = [text(4, 16, title, 14, weight="bold"), *legend(keys, 4, 38)]
    body += x_axis(left, right, top - 4, height - 18, maximum)
    for index, row in enumerate(rows):
        y = top + index * row_height
        body.append(text(left - 6, y + 16, shorten(str(row[label_key]), 6), 12, "end"))
        share = row[outer[0]] or 0
        body.append(f'<rect x="{left}" y="{y + 3}" width="{(right - left) * share / maximum:.1f}" '
                    f'height="{row_height - 6}" fill="{OTHER}"><title>{escape(outer[1])} {percent(share)}</title></rect>')
        note = percent(share)
        if inner:
            part = row[inner[0]] or 0
            body.append(f'<rect x="{left}" y="{y + 8}" width="{(right - left) * part / maximum:.1f}" '
                        f'height="{row_height - 16}" fill="{inner_fill}"><title>{escape(inner[1])} {percent(part)}'
                        f'</title></rect>')
            note += f" · 线下 {percent(part)}"
        body.append(text(right + 4, y + 16, note, 12))
    if not rows:
        body.append(text(left, top + 16, "无数据", 13))
    return frame_svg(chart_id, height, title, summary, body, [definition])


def quality_bars_svg(chart_id: str, rows: list[dict], title: str, summary: str) -> Markup:
    """Villages' share of problem rows as bars on a percent axis; a village without a usable return gets a dashed
    empty box saying so (there is nothing to measure), never a bar."""
    row_height, left, right, top = 24, 92, WIDTH - 96, 56
    height = top + row_height * max(len(rows), 1) + 22
    maximum = nice_ceiling(max([r["problem_row_share"] or 0 for r in rows] + [0.01]))
    absent_fill, definition = fill_of(chart_id, "absent", "#d5d8dc", "hatch")
    body = [text(4, 16, title, 14, weight="bold"),
            *legend([("问题行占比（错误+警告行/全部行）", QUALITY), ("无可用报表", absent_fill)], 4, 38)]
    body += x_axis(left, right, top - 4, height - 18, maximum)
    for index, row in enumerate(rows):
        y = top + index * row_height
        body.append(text(left - 6, y + 16, shorten(str(row["village_name"]), 6), 12, "end"))
        if row["is_absent"]:
            body.append(f'<rect x="{left}" y="{y + 3}" width="{right - left}" height="{row_height - 6}" '
                        f'fill="{absent_fill}" stroke="{INK}" stroke-dasharray="4 3"/>')
            body.append(text(left + 6, y + 16, row["note"], 12, weight="bold"))
        else:
            share = row["problem_row_share"] or 0
            body.append(f'<rect x="{left}" y="{y + 3}" width="{(right - left) * share / maximum:.1f}" '
                        f'height="{row_height - 6}" fill="{QUALITY}"/>')
            body.append(text(right + 4, y + 16, row["note"], 12))
    if not rows:
        body.append(text(left, top + 16, "各村报表均无问题行", 13))
    return frame_svg(chart_id, height, title, summary, body, [definition])
