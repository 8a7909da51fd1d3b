"""Reading department files: keep each file's bytes, check its name, parse it, frame its raw rows."""
from __future__ import annotations

from pathlib import Path

import polars as pl

from tasks.departments.columns import CONTRACT
from tasks.departments.fast_csv import parse_plain_csv
from tasks.ingest.limits import DEFAULT_LIMITS, ReadLimits
from tasks.departments.names import DepartmentName, parse_department_name
from tasks.departments.sheets import parse_workbook, read_for_month
from tasks.ingest.raw_store import RawKeeper
from tasks.ingest.read import FileSlot, read_settled_bytes
from tasks.ingest.parse import parse_return

RAW_SCHEMA = {"file_id": pl.Int32, "department": pl.Utf8, "period": pl.Utf8, "source_row": pl.Int32} | {
    name: pl.Utf8 for name in CONTRACT.columns} | {"sheet": pl.Utf8, "sheet_position": pl.Int32}  # when several were read
FILE_SCHEMA = {
    "file_id": pl.Int32, "sha256": pl.Utf8, "file_name": pl.Utf8, "first_path": pl.Utf8, "size_bytes": pl.Int64,
    "department": pl.Utf8, "period": pl.Utf8, "correction_rank": pl.Int32, "ingest_run_id": pl.Int32,
    "ingested_at": pl.Datetime("us"), "status": pl.Utf8, "file_format": pl.Utf8, "encoding": pl.Utf8,
    "header_row": pl.Int32, "rows_read": pl.Int32, "rows_skipped": pl.Int32,
}
PROBLEM_SCHEMA = {"file_id": pl.Int32, "source_row": pl.Int32, "code": pl.Utf8, "level": pl.Utf8, "detail": pl.Utf8}


class DepartmentBatch:
    """What one run read of department files: a record per file, their raw rows, file problems, unread paths."""

    def __init__(self) -> None:
        """An empty batch."""
        self.files: list[dict] = []
        self.raw: list[pl.DataFrame] = []
        self.problems: list[dict] = []
        self.reread_file_ids: list[int] = []
        self.unavailable: dict[str, str] = {}

    def files_frame(self) -> pl.DataFrame:
        """The file records shaped like department_files."""
        return pl.DataFrame(self.files, schema=FILE_SCHEMA)

    def raw_frame(self) -> pl.DataFrame:
        """Every raw row of the batch's readable files."""
        return pl.concat(self.raw) if self.raw else pl.DataFrame(schema=RAW_SCHEMA)

    def problems_frame(self) -> pl.DataFrame:
        """The file problems shaped like department_problems (without run_id)."""
        return pl.DataFrame(self.problems, schema=PROBLEM_SCHEMA)


def read_department_files(slots: list[FileSlot], raw_store: Path, limits: ReadLimits = DEFAULT_LIMITS
                          ) -> DepartmentBatch:
    """Keep, name-check and parse every department file of the run under the [ingest] limits (as village
    returns); a file unusable as a whole gets its FILE_* code."""
    batch, keeper = DepartmentBatch(), RawKeeper(raw_store)
    try:
        for slot in slots:
            delivery = slot.delivery
            data, why = (None, delivery.refused) if delivery.refused else read_settled_bytes(delivery, limits)
            if data is None and not delivery.refused and not why.startswith("LIMIT:"):
                batch.unavailable[delivery.rel_path] = why  # locked or still changing: the next run reads it
                continue
            if data is not None and not delivery.from_raw_store:
                keeper.keep(data, delivery.sha256, look_in_packs=slot.is_reread)
            record, problems, frame = read_one(slot, data, why, limits)
            batch.files.append(record)
            if slot.is_reread:
                batch.reread_file_ids.append(slot.file_id)
            batch.problems += [{"file_id": slot.file_id, "source_row": None, "code": code, "level": level, "detail": detail}
                               for code, level, detail in problems]
            if frame is not None:
                batch.raw.append(frame)
    finally:
        keeper.flush()  # before the records are handed on: no file is loaded whose bytes are not kept
    return batch


def read_one(slot: FileSlot, data: bytes | None, why: str | None = None, limits: ReadLimits = DEFAULT_LIMITS
             ) -> tuple[dict, list[tuple[str, str, str]], pl.DataFrame | None]:
    """One department file's record, its file problems (code, level, detail: the error rejecting it, or the
    warnings of a loaded one) and its raw rows (None when rejected); without data (a path refused, or beyond a read
    limit), FILE_UNREADABLE and why."""
    delivery = slot.delivery
    name = parse_department_name(delivery.file_name)
    record = {"file_id": slot.file_id, "sha256": delivery.sha256, "file_name": delivery.file_name,
              "first_path": delivery.rel_path, "size_bytes": delivery.size_bytes, "department": name.department,
              "period": name.period, "correction_rank": name.correction_rank, "ingest_run_id": slot.ingest_run_id,
              "ingested_at": slot.ingested_at, "status": "rejected", "file_format": name.extension,
              "encoding": None, "header_row": None, "rows_read": 0, "rows_skipped": 0}
    if data is None:
        return record, [("FILE_UNREADABLE", "error", (why or "").removeprefix("LIMIT:"))], None
    if name.invalid_reason:
        return record, [("FILE_NAME_INVALID", "error", name.invalid_reason)], None
    fast = parse_plain_csv(data, CONTRACT, limits) if name.extension == "csv" else None
    parsed = (fast[0] if fast else parse_workbook(data, name.period, limits) if name.extension == "xlsx"
              else parse_return(data, name.extension, limits, contract=CONTRACT))
    record.update(encoding=parsed.encoding, header_row=parsed.header_row, rows_read=parsed.rows_read,
                  rows_skipped=parsed.rows_skipped)
    if parsed.problem_code:
        return record, [(parsed.problem_code, "error", parsed.problem_detail)], None
    record["status"] = "loaded"
    warnings = [(code, "warning", detail) for code, detail in parsed.warnings]
    warnings += same_bytes_warnings(name, slot.same_bytes_as, parsed.table_sheets)
    if name.period > slot.latest_period:  # judged only once the as-of month reaches it: a year typed wrong is said
        warnings.append(("FILE_PERIOD_AHEAD", "warning", f"文件名中的年月{name.period}晚于本次运行的当月"
                                                         f"{slot.latest_period}：已读入，该月到来前不参与比对"))
    if fast:
        return record, warnings, fast[1].select(pl.lit(slot.file_id, pl.Int32).alias("file_id"),
                                                pl.lit(name.department).alias("department"),
                                                pl.lit(name.period).alias("period"), *fast[1].columns,
                                                pl.lit(None, pl.Utf8).alias("sheet"),
                                                pl.lit(None, pl.Int32).alias("sheet_position"))
    count = len(parsed.columns["source_row"])
    columns = {"file_id": [slot.file_id] * count, "department": [name.department] * count,
               "period": [name.period] * count, **{k: list(v) for k, v in parsed.columns.items() if k in RAW_SCHEMA}}
    columns.setdefault("sheet", [None] * count)
    columns.setdefault("sheet_position", [None] * count)
    return record, warnings, pl.DataFrame(columns, schema=RAW_SCHEMA)


def same_bytes_warnings(name: DepartmentName, other_names: tuple[str, ...], table_sheets: tuple[str, ...] = ()
                        ) -> list[tuple[str, str, str]]:
    """FILE_SAME_BYTES (warning) naming a file of another department or month these bytes also came as (last month's
    list copied as this month's: this month's never came), as for a return; not another month's name of a workbook
    of a sheet per month (table_sheets: its sheets holding the table), whose file reads that month's sheets."""
    claims: dict[tuple[str, str], str] = {}
    for other in sorted(other_names):
        known = parse_department_name(other)
        if known.department is None or (known.department, known.period) == (name.department, name.period):
            continue
        if (known.department == name.department
                and read_for_month(table_sheets, known.period) != read_for_month(table_sheets, name.period)):
            continue
        claims.setdefault((known.department, known.period), other)
    return [("FILE_SAME_BYTES", "warning", f"内容与“{other}”完全相同(同一份名单按另一个部门或月份报送?)")
            for other in claims.values()]
