"""A return that states its amounts in 万元 (ten thousand yuan), where the contract's amounts are yuan: in a title
row (金额单位：万元), over an amount column in the header (收入情况(万元), 工资性收入(万元)) or in the units row under
it ((万元))."""
from __future__ import annotations

import re
import unicodedata

from tasks.ingest.header_rows import LEGEND_MAX_ROWS, is_legend_row

# matched on a cell NFKC-normalised (（） to (), ： to :) and spaceless: 单位:万元, 金额单位为万元, (万元), [万元], a
# units row's 万元 alone; not 人均收入不足1万元, which names an amount, not a unit
WAN_INSIDE = re.compile(r"单位[:为是]?万元|[(\[【]万元[)\]】]")
WAN_CELL = re.compile(r"[(\[【]?(?:金额)?(?:单位)?[:为是]?万元[)\]】]?")


def mentions_wan(rows: list[list[str]], header_index: int) -> bool:
    """Whether a cell of the rows wan_yuan_stated looks at (titles, header, units rows) holds 万 at all (most
    returns: none, and nothing more to look at)."""
    return any("万" in cell for row in rows[:header_index + 1 + LEGEND_MAX_ROWS] for cell in row if cell)


def wan_yuan_stated(rows: list[list[str]], header_index: int, top: int, amounts: set[int]) -> str | None:
    """The cell saying the amounts are in 万元, else None: a title row's (above the header's first row, `top`), or
    in the header and the units rows under it, one over an amount column (cell positions `amounts`); a column
    outside the contract may be in 万元 (存款(万元))."""
    columns = sum(1 for cell in rows[header_index] if cell and cell.strip())
    legend = [row for row in rows[header_index + 1:header_index + 1 + LEGEND_MAX_ROWS] if is_legend_row(row, columns)]
    for row in rows[:top]:
        if stated := next((cell for cell in row if _states_wan(cell)), None):
            return stated.strip()
    for row in [*rows[top:header_index + 1], *legend]:
        if stated := next((row[p] for p in sorted(amounts) if p < len(row) and _states_wan(row[p])), None):
            return stated.strip()
    return None


def _states_wan(cell: str) -> bool:
    """True for a cell naming 万元 as a unit (单位：万元, (万元), a units row's 万元)."""
    if not cell or "万" not in cell:
        return False
    text = "".join(unicodedata.normalize("NFKC", cell).split())
    return WAN_CELL.fullmatch(text) is not None or WAN_INSIDE.search(text) is not None
