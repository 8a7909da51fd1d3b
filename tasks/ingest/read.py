"""Reading one chunk of files: keep each file's bytes, check its name, parse it, frame its rows."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

from core.clock import NO_LATER_MONTH
from tasks.ingest.discover import Delivery, parse_return_name, read_bounded
from tasks.ingest.raw_packs import Member, read_member
from tasks.ingest.raw_store import RawKeeper, unpacked
from tasks.ingest.limits import DEFAULT_LIMITS, LimitExceeded, ReadLimits
from tasks.ingest.parse import RAW_SCHEMA, parse_return
from tasks.ingest.sheet_choice import named_for

ROW_SCHEMA = RAW_SCHEMA | {"file_id": pl.Int32, "village_code": pl.Utf8, "period": pl.Utf8}


@dataclass(slots=True)
class FileSlot:
    """A file to read in this run: a new one (new id, this run) or a known one re-read (its id and first run)."""

    delivery: Delivery
    file_id: int
    ingest_run_id: int
    ingested_at: datetime
    is_reread: bool = False
    same_bytes_as: tuple[str, ...] = ()  # the other names the same bytes came under
    latest_period: str = NO_LATER_MONTH  # the run's month (its --today's): a return for a later month is listed


@dataclass
class FileOutcome:
    """What reading one slot gave: why it is unavailable now, or its record, file problem and rows."""

    unavailable: str | None = None
    record: dict | None = None
    problem: tuple[str, str] | None = None
    warnings: list[tuple[str, str]] | None = None
    columns: dict[str, list] | None = None


def read_chunk(slots: list[FileSlot], village_codes: set[str], raw_store: Path,
               limits: ReadLimits = DEFAULT_LIMITS) -> tuple[list[FileOutcome], pl.DataFrame]:
    """read_one for each of a list of slots, their bytes kept as one pack of the raw store; their rows in one frame
    (tagged with file, village and period)."""
    keeper = RawKeeper(raw_store)
    try:
        outcomes = [read_one(slot, village_codes, keeper, limits) for slot in slots]
    finally:
        keeper.flush()  # before the rows are handed on: no file is loaded whose bytes are not kept
    columns: dict[str, list] = {name: [] for name in ROW_SCHEMA}
    for slot, outcome in zip(slots, outcomes):
        if outcome.columns is None:
            continue
        count = len(outcome.columns["source_row"])
        for name, values in outcome.columns.items():
            columns[name].extend(values)
        columns["file_id"].extend([slot.file_id] * count)
        columns["village_code"].extend([outcome.record["village_code"]] * count)
        columns["period"].extend([outcome.record["period"]] * count)
        outcome.columns = None  # framed: not sent back twice
    return outcomes, pl.DataFrame(columns, schema=ROW_SCHEMA)


def read_one(slot: FileSlot, village_codes: set[str], keeper: RawKeeper,
             limits: ReadLimits = DEFAULT_LIMITS) -> FileOutcome:
    """Keep one file's bytes (keeper: the chunk's raw store pack), check its name, parse it (a refused path is never
    opened: its refusal is its problem)."""
    delivery, file_id = slot.delivery, slot.file_id
    deadline = limits.deadline()
    data, why = (None, delivery.refused) if delivery.refused else read_settled_bytes(delivery, limits)
    if data is None and not delivery.refused and not why.startswith("LIMIT:"):
        return FileOutcome(unavailable=why)
    if data is not None and not delivery.from_raw_store:
        keeper.keep(data, delivery.sha256, look_in_packs=slot.is_reread)
    name = parse_return_name(delivery.file_name)
    record = {"file_id": file_id, "sha256": delivery.sha256, "file_name": delivery.file_name,
              "first_path": delivery.rel_path, "size_bytes": delivery.size_bytes,
              "village_code": name.village_code, "period": name.period,
              "correction_rank": name.correction_rank, "ingest_run_id": slot.ingest_run_id,
              "ingested_at": slot.ingested_at, "status": "rejected", "file_format": name.extension,
              "encoding": None, "header_row": None, "rows_read": 0, "rows_skipped": 0}
    if data is None:
        return FileOutcome(record=record, problem=("FILE_UNREADABLE", why.removeprefix("LIMIT:")))
    if name.invalid_reason:
        return FileOutcome(record=record, problem=("FILE_NAME_INVALID", name.invalid_reason))
    if name.village_code not in village_codes:
        return FileOutcome(record=record, problem=("FILE_UNKNOWN_VILLAGE", f"村代码{name.village_code}不在行政区划名单中"))
    parsed = parse_return(data, name.extension, limits, deadline, period=name.period)
    record.update(encoding=parsed.encoding, header_row=parsed.header_row,
                  rows_read=parsed.rows_read, rows_skipped=parsed.rows_skipped)
    if parsed.problem_code:
        return FileOutcome(record=record, problem=(parsed.problem_code, parsed.problem_detail))
    record["status"] = "loaded"
    warnings = parsed.warnings + same_bytes_warnings(name, slot.same_bytes_as, parsed.table_sheets)
    if name.period > slot.latest_period:  # loaded (its month will come), never taken as the as-of month before then
        warnings.append(("FILE_PERIOD_AHEAD", f"文件名中的年月{name.period}晚于本次运行的当月{slot.latest_period}"
                                              "：已读入，该月到来前不作为截至月份"))
    return FileOutcome(record=record, columns=parsed.columns, warnings=warnings)


def same_bytes_warnings(name, other_names: tuple[str, ...], table_sheets: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """A warning when the same bytes also came as another village's or month's return (last month re-sent under
    this month's name) and give the same table: not when, a workbook of a sheet per month (its sheets holding the
    table: table_sheets), the same village's other month reads another sheet, each file its own month's
    (FILE_OTHER_SHEETS names the sheet each read). Another village's name is said whatever sheet it reads: one
    village's workbook sent as another's."""
    read = named_for(table_sheets, name.period) or 0
    claims = {(n.village_code, n.period): other for other in other_names
              if (n := parse_return_name(other)).village_code and (n.village_code, n.period) != (name.village_code, name.period)
              and (n.village_code != name.village_code or (named_for(table_sheets, n.period) or 0) == read)}
    return [("FILE_SAME_BYTES", f"内容与“{other}”完全相同(同一份数据按另一个村或月份报送?)")
            for other in sorted(claims.values())]


def read_settled_bytes(delivery: Delivery, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[bytes | None, str | None]:
    """A file's bytes, or None and why when it is locked, gone, changed since hashed, or beyond a limit
    (that reason starts with LIMIT:)."""
    try:
        if delivery.member is not None:
            if delivery.size_bytes > limits.max_file_bytes:
                raise LimitExceeded(f"文件超过{limits.max_file_bytes}字节(设置 ingest.max_file_bytes)")
            data = read_member(Member(delivery.full_path, *delivery.member, delivery.size_bytes))
        else:
            data = read_bounded(delivery.full_path, limits)
        if delivery.packed:
            data = unpacked(data, limits)
    except LimitExceeded as err:
        return None, f"LIMIT:{err}"
    except OSError as err:
        return None, f"{type(err).__name__}: {err.strerror or err}"
    if hashlib.sha256(data).hexdigest() != delivery.sha256:
        return None, "changed while being read (still arriving?)"
    return data, None
