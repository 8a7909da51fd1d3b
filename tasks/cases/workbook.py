"""The township workbook exports/cases/<county>.xlsx: sheet 待办 (cases to verify and decide) and 说明."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import xlsxwriter

from core import db
from core.files import atomic_path
from core.settings import Settings
from tasks.cases import rules
from tasks.cases.forked import run_forked
from tasks.report.cells import safe_text

COLUMNS = ("台账编号", "乡镇", "村", "户编号", "户主", "类型", "依据", "发现月份", "发现日期", "期限", "状态", "逾期天数",
           "核查结论", "帮扶措施", "核查人", "核查日期", "备注")
DECISION_COLUMNS = COLUMNS[-5:]
OVERDUE = COLUMNS.index("逾期天数")
WIDTHS = (22, 10, 10, 19, 7, 14, 50, 9, 11, 11, 8, 8, 10, 24, 9, 11, 30)
GUIDE = [
    "本表为问题台账待办清单（防返贫动态监测），请乡镇核查后填写最后五列，再交回市办导入（povmon cases import）。",
    "台账编号至状态各列由系统生成，请勿修改；可调整列宽、排序或增加工作表，不影响导入。",
    "核查结论：属实（风险存在）、不属实（须在备注说明理由）、风险消除（仅限标为“可申请风险消除”的帮扶中户）。",
    "帮扶措施：" + "、".join(rules.MEASURES) + "；可填多项，用“、”分隔；须核查属实后填写。",
    "核查人：必填。核查日期：格式2020-04-10或2020/4/10，不得早于发现日期、不得晚于今天。",
    "已有结论的行为原样保留时视为未变更；同一台账两次结论以核查日期较晚者为准。",
    "逾期天数：状态为待核查且已过期限的天数（数据错误待更正类至销号为止）。",
]


def export_workbooks(con: duckdb.DuckDBPyConnection, settings: Settings, today: date,
                     county: str | None = None) -> list[Path]:
    """Write exports/cases/<county>.xlsx for each county (or the one given), as of the today the cases table was
    last derived with (tasks.cases.run.judge_as_of); returns their paths."""
    if not db.has_table(con, "household_status"):
        raise ValueError("no run has flagged households in this store yet (run `povmon run` first)")
    counties = [c for (c,) in con.execute("SELECT code FROM admin_units WHERE level = 'county' ORDER BY code")
                .fetchall() if county in (None, c)]
    if county and not counties:
        raise ValueError(f"county {county} is not in the reference list")
    folder = Path(settings.out) / "exports" / "cases"
    found = db.frame(con, "cases/workbook_rows", {"county_code": county})  # every county at once: one scan
    by_county = {key: part for (key,), part in found.partition_by("county_code", as_dict=True).items()}
    jobs = [([column.to_list() for column in sheet_cells(by_county.get(c, found.clear())).get_columns()],
             folder / f"{c}.xlsx", c, today, guide_lines(c, today, settings)) for c in counties]
    return run_forked(write_workbook, jobs)  # xlsxwriter is pure Python: the counties' books share the cores


def sheet_cells(cases: pl.DataFrame) -> pl.DataFrame:
    """The 待办 sheet's cells of one county's cases (workbook_rows), column by column as COLUMNS: text (empty:
    nothing to write) and 逾期天数 as a number; every text but the 台账编号 as the other exports show it (safe_text)."""
    kinds = {kind: rules.kind_label(kind) for kind in cases["kind"].unique().to_list()}
    removal = pl.when(pl.col("is_removal_candidate")).then(pl.lit("（可申请风险消除）")).otherwise(pl.lit(""))
    cells = cases.select(
        "case_id", "township_name", "village_name", "household_id", "head_name_masked",
        pl.col("kind").replace_strict(kinds, return_dtype=pl.Utf8), "detail",
        "opened_period", "opened_on", "deadline",
        pl.col("status").replace_strict(rules.STATUS_LABELS, return_dtype=pl.Utf8) + removal,
        "overdue_days", "conclusion", "measures", "actor", "decided_on", "note",
    )
    # the import looks cases up by their 台账编号: kept exact (safe_text leaves a case id unmasked, and one never
    # starts like a formula, but the key need not rely on that)
    return cells.select("case_id").hstack(safe_text(cells.drop("case_id")))


def write_workbook(columns: list[list], path: Path, county: str, today: date, guide: list[str]) -> Path:
    """One county's workbook from its cells (sheet_cells, column by column) and the 说明 sheet's lines, written
    atomically; fixed properties, so the same ledger gives the same bytes. Kept in memory until closed: xlsxwriter
    writes a shared-strings cell faster than constant_memory's inline one."""
    with atomic_path(path) as partial:  # named by the writer's pid, so a killed writer's is swept by the next run
        write_book(columns, partial, county, today, guide)
    return path


def write_book(columns: list[list], partial: Path, county: str, today: date, guide: list[str]) -> None:
    """The workbook's sheets written to the temporary file write_workbook puts in place."""
    book = xlsxwriter.Workbook(str(partial), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "strings_to_numbers": False})
    book.set_properties({"title": f"问题台账 {county}", "author": "povmon", "company": "",
                         "created": datetime(today.year, today.month, today.day)})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    text = book.add_format({"num_format": "@"})
    late = book.add_format({"num_format": "0", "font_color": "#C00000", "bold": True})
    sheet = book.add_worksheet("待办")
    for col, (title, width) in enumerate(zip(COLUMNS, WIDTHS)):
        sheet.write_string(0, col, title, header)
        sheet.set_column(col, col, width, None if title == "逾期天数" else text)
    write_cells(sheet, columns, late)
    height = len(columns[0])
    last = max(height, 1) + 500  # room for rows pasted below
    sheet.data_validation(1, 12, last, 12, {"validate": "list", "source": list(rules.CONCLUSIONS),
                                            "error_title": "核查结论", "error_message": "请选择：属实、不属实、风险消除"})
    sheet.data_validation(1, 13, last, 13, {"validate": "list", "source": list(rules.MEASURES), "show_error": False,
                                            "input_title": "帮扶措施", "input_message": "可多项，用“、”分隔"})
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, max(height, 1), len(COLUMNS) - 1)
    guide_sheet = book.add_worksheet("说明")
    guide_sheet.set_column(0, 0, 110)
    for row, line in enumerate(guide):
        guide_sheet.write_string(row, 0, line)
    book.close()


def write_cells(sheet, columns: list[list], late) -> None:
    """The case rows under the header, column by column: the column's text format covers a text cell, empty
    ones are left out, 逾期天数 is a number (red when overdue)."""
    write_string, write_number = sheet.write_string, sheet.write_number
    for col, values in enumerate(columns):
        if col == OVERDUE:
            for row, days in enumerate(values, start=1):
                write_number(row, col, days, late if days else None)
            continue
        for row, value in enumerate(values, start=1):
            if value:
                write_string(row, col, value)


def guide_lines(county: str, today: date, settings: Settings) -> list[str]:
    """The 说明 sheet's lines: how to fill the workbook in, and the deadlines in force."""
    cases = settings.cases
    lines = [f"问题台账（县代码{county}），导出日期{today.isoformat()}", *GUIDE,
             f"期限：发现日期起{cases.verify_days}天内核查（数据错误{cases.fix_days}天内更正）。"]
    if cases.campaign_end:
        lines.append(f"专项行动“{cases.campaign_name or '专项行动'}”：{cases.campaign_end.isoformat()}前发现的问题，"
                     f"期限不晚于{cases.campaign_end.isoformat()}。")
    return lines
