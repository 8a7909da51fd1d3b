"""Department rows: cleaned and typed, checked by the suite expectations/department_rows.json (GX counts agreeing),
errors quarantined."""
from __future__ import annotations

import polars as pl

from tasks.departments.events import EVENTS, event_lookup
from tasks.departments.read import PROBLEM_SCHEMA
from tasks.ingest.load import mark_quarantine
from tasks.validate.checks import RESULT_COLUMNS, _shown_where, run_suite
from tasks.validate.clean import _date, _id_code, _normalised, nfkc, number_series
from tasks.validate.expectation_suite import load_suite
from tasks.validate.id_number import eighteen_digit, id_number_reason, mask_id_text

SUITE = "department_rows"
ROW_COLUMNS = {"file_id": pl.Int32, "source_row": pl.Int32, "department": pl.Utf8, "period": pl.Utf8,
               "id_number": pl.Utf8, "name": pl.Utf8, "event": pl.Utf8, "event_text": pl.Utf8,
               "event_date": pl.Date, "amount": pl.Float64, "grade": pl.Utf8, "note": pl.Utf8,
               "is_quarantined": pl.Boolean, "sheet": pl.Utf8, "sheet_position": pl.Int32}
ALLOWED = {d: "、".join(s["label"] for s in EVENTS.values() if s["department"] == d)
           for d in {s["department"] for s in EVENTS.values()}}
TEXT = ["id_number", "name", "event", "event_date", "amount", "grade", "note"]


def clean_rows(raw: pl.DataFrame) -> pl.DataFrame:
    """Typed columns (ID upper-cased, event as its code, date, amount) beside their raw text (<name>__text)."""
    fixed = raw.with_columns([nfkc(raw.get_column(c)).alias(c) for c in TEXT])
    normal = fixed.with_columns([_normalised(c).alias(f"{c}__text") for c in TEXT])
    lookup = pl.DataFrame([{"department": d, "event_key": t, "event_code": c} for (d, t), c in event_lookup().items()])
    typed = normal.with_columns(
        _id_code("id_number__text").alias("id_number"), pl.col("name__text").alias("name"),
        pl.col("event__text").str.replace_all(r"\s+", "").alias("event_key"),
        _date("event_date__text").alias("event_date"),
        number_series(normal.get_column("amount__text")).alias("amount"),
        pl.col("grade__text").str.replace_all(r"\s+", "").str.to_uppercase().alias("grade"),
        pl.col("note__text").alias("note"))
    return typed.join(lookup, on=["department", "event_key"], how="left", maintain_order="left")


def prepare_checks(cleaned: pl.DataFrame) -> pl.DataFrame:
    """The cleaned rows plus the computed columns the suite checks."""
    needs_amount = [code for code, spec in EVENTS.items() if spec.get("amount_required")]
    month_end = pl.col("period").str.strptime(pl.Date, "%Y%m", strict=False).dt.month_end()
    checks = cleaned.with_columns(eighteen_digit("id_number").alias("id_number__key")).with_columns(
        pl.lit(None, pl.Utf8).alias("household_id"),
        # nobody is born after the month; a first-generation ID (15 digits) is a person's number, matched in its
        # 18-digit form: its date checked, its check character made
        id_number_reason("id_number__key", month_end).alias("id_number__reason"),
        pl.when(pl.col("event__text").is_not_null()).then(pl.col("event_code").is_not_null()).alias("event__is_known"),
        pl.when(pl.col("amount").is_null()).then(pl.col("amount__text")).alias("amount__unparsed"),
        pl.when(pl.col("event_code").is_in(needs_amount)).then(pl.col("amount__text").is_not_null())
        .alias("amount__is_given"),
        pl.when(pl.col("event_date__text").is_null()).then(None)
        .when(pl.col("event_date").is_null()).then(pl.lit("不是有效日期"))
        .when(pl.col("event_date") > month_end).then(pl.lit("晚于文件所属月份"))
        .alias("event_date__problem"),
        pl.coalesce("event_code", "event_key").alias("event__key"),
        pl.col("department").replace_strict(ALLOWED, default="").alias("department__events"),
    )
    key = ["file_id", "id_number", "event__key", "event_date"]
    repeated = pl.all_horizontal(pl.col(k).is_not_null() for k in key) & (pl.len().over(key) > 1)
    checks = checks.with_columns(
        pl.when(pl.col("id_number").is_not_null()).then(pl.col("id_number__reason").is_null())
        .alias("id_number__is_valid"), repeated.alias("__repeated"))
    # the masked ID and a duplicate's rows are shown only in the details of the (few) failing rows
    shown = pl.col("id_number__reason").is_not_null() | pl.col("__repeated")
    place = (pl.when(pl.col("sheet").is_null()).then(pl.col("excel_row").cast(pl.Utf8))
             .otherwise(pl.format("工作表“{}”第{}行", "sheet", "excel_row")))
    duplicates = (checks.filter(pl.col("__repeated")).group_by(key)
                  .agg(place.sort_by("source_row").str.join("、").alias("__places"),
                       pl.col("sheet").is_null().all().alias("__one_sheet"))
                  .select(*key, pl.when("__one_sheet").then(pl.format("第{}行", "__places")).otherwise("__places")
                          .alias("duplicate__rows")))
    checks = checks.with_columns(_shown_where(checks, shown, mask_id_text("id_number")).alias("id_number__shown"))
    return checks.join(duplicates, on=key, how="left", maintain_order="left").drop("__repeated")


def check_rows(raw: pl.DataFrame, with_gx: bool = True) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Clean and check a batch's raw department rows: (rows as loaded, quarantine marked; row problems, a row of a
    file read from several sheets naming its sheet; per-expectation counts)."""
    if raw.height == 0:
        return pl.DataFrame(schema=ROW_COLUMNS), pl.DataFrame(schema=PROBLEM_SCHEMA), pl.DataFrame(schema=RESULT_COLUMNS)
    # checked by their place in the batch: the sheets of one workbook repeat Excel's row numbers
    keyed = raw.with_columns(pl.col("source_row").alias("excel_row"), pl.int_range(pl.len(), dtype=pl.Int32).alias("source_row"))
    checks = prepare_checks(clean_rows(keyed))
    outcome = run_suite(checks, load_suite(SUITE), with_gx)
    rows = checks.select(*[c for c in ROW_COLUMNS if c not in ("event", "event_text", "is_quarantined")], "excel_row",
                         pl.coalesce("event_code", "event__text").alias("event"), pl.col("event__text").alias("event_text"))
    rows = mark_quarantine(rows, outcome.problems).with_columns(pl.col("excel_row").alias("source_row"))
    in_sheet = pl.when(pl.col("sheet").is_not_null()).then(pl.format("工作表“{}”：{}", "sheet", "detail")).otherwise("detail")
    problems = (outcome.problems.join(checks.select("file_id", "source_row", "excel_row", "sheet"), on=["file_id", "source_row"],
                                      how="left", maintain_order="left")
                .select("file_id", pl.col("excel_row").alias("source_row"), "code", "level", in_sheet.alias("detail")))
    return rows.select(ROW_COLUMNS.keys()), problems, outcome.results
