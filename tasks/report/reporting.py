"""The reporting-rate table of a county (villages × months of the income year), as DHIS2's reporting-rate
summary: each cell on time, late, rejected or missing, and the county's rates per month."""
from __future__ import annotations

import polars as pl

from tasks.report.labels import format_period
from tasks.report.rows import Masked, esc, masked_join

CELL_TEXT = {"on_time": "✓ 按时", "late": "△ 迟{days_late}天", "rejected": "✗ 拒收", "missing": "✗ 未报"}


def cell(row: dict) -> dict:
    """One village-month: its status, the short text shown and the longer title (none for a return on time:
    a county of 600 villages has 7,200 cells, and the page must stay small)."""
    status = row["return_status"]
    due = f"应于 {row['due_date']:%Y-%m-%d} 前报送"
    if status == "on_time":
        title = ""
    elif status == "late":
        title = f"报表日期 {row['report_date']:%Y-%m-%d}，{due}"
    else:
        title = ("报送的文件均被拒收" if status == "rejected" else "未收到报表") + f"，{due}"
        if row["days_overdue"]:
            title += f"，已逾期 {row['days_overdue']} 天"
    return {"status": status, "text": CELL_TEXT[status].format(days_late=row["days_late"]), "title": title}


def village_row(village: dict) -> str:
    """One village's row of the table, its cells in month order: a county of 600 villages has 7,200 cells, which
    the template's loop printed at ~1 µs a cell more, each value passed through the page's masking."""
    cells = "".join(f'<td class="r-{esc(c["status"])}"' + (f' title="{esc(c["title"])}"' if c["title"] else "")
                    + f'>{esc(c["text"])}</td>' for c in village["cells"])
    return (f'<tr><td>{esc(village["township_name"])}</td><th scope="row">{esc(village["village_name"])}<br>'
            f'<small class="c">{esc(village["village_code"])}</small></th>{cells}</tr>\n')


def month_rates(cells: list[dict]) -> dict:
    """A month's counts by status and the county's reporting rates (reported, on time) over its villages."""
    counts = {status: sum(c["status"] == status for c in cells) for status in CELL_TEXT}
    villages = len(cells)
    reported = counts["on_time"] + counts["late"]
    return {**counts, "villages": villages, "reported": reported,
            "reported_share": reported / villages if villages else None,
            "on_time_share": counts["on_time"] / villages if villages else None}


def reporting_table(rows: list[dict] | None) -> dict | None:
    """The table's months, one row per village (township, name, cells in month order) and each month's rates;
    None when unavailable."""
    if rows is None:
        return None
    periods = sorted({r["period"] for r in rows})
    villages: dict[str, dict] = {}
    for row in rows:  # ordered by village, then period
        village = villages.setdefault(row["village_code"], {
            "village_code": row["village_code"], "village_name": row["village_name"],
            "township_name": row["township_name"], "cells": []})
        village["cells"].append(cell(row))
    columns = [[v["cells"][i] for v in villages.values()] for i in range(len(periods))]
    behind = [v for v in villages.values() if v["cells"] and v["cells"][-1]["status"] in ("missing", "rejected")]
    body = masked_join(pl.Series([village_row(v) for v in villages.values()], dtype=pl.Utf8))
    return {"months": [format_period(p) for p in periods], "villages": list(villages.values()), "body": Masked(body),
            "rates": [month_rates(c) for c in columns], "behind_count": len(behind)}
