"""Findings (departments.md): each usable department record of the as-of income year matched to a registered
household through the member roster or the head's ID number, and judged by its event's rule (events.py)."""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from tasks.departments.details import detail_of
from tasks.departments.events import EVENTS, event_rows
from tasks.validate.id_number import eighteen_digit

FINDING_SCHEMA = {
    "as_of": pl.Utf8, "county_code": pl.Utf8, "township_code": pl.Utf8, "village_code": pl.Utf8,
    "household_id": pl.Utf8, "id_number": pl.Utf8, "name": pl.Utf8, "department": pl.Utf8, "event": pl.Utf8,
    "event_date": pl.Date, "period": pl.Utf8, "amount": pl.Float64, "finding": pl.Utf8, "detail": pl.Utf8,
    "is_outside": pl.Boolean, "file_id": pl.Int32, "source_row": pl.Int32, "sheet": pl.Utf8,
}

# a record's place: the workbook's sheets in its order (they repeat row numbers); by name in rows stored before
# the order was (sheet_position null)
STORED_ORDER = ("period", "file_id", "sheet_position", "sheet", "source_row")


@dataclass(frozen=True)
class Rules:
    """The [departments] settings the rules read."""

    medical_oop_threshold: float = 20000.0
    medical_oop_share: float = 0.5
    vehicle_exempt_types: tuple[str, ...] = ("农用", "拖拉机", "三轮", "摩托")
    asset_household_types: tuple[str, ...] = ("脱贫户", "未脱贫户", "监测户", "低保户", "特困供养户")
    asset_flags: tuple[str, ...] = ("BELOW_LINE", "NEAR_LINE")


def match_people(roster: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """One row per registered ID number: its household and whether it is the head. The roster first; else the
    household whose latest usable row is the latest to name the ID as head (a head who moved is judged where they
    live now); at the same month, the smaller household number."""
    listed = roster.select(pl.col("id_number"), pl.col("household_id"), (pl.col("relation") == "户主").alias("is_head"),
                           pl.lit(1).alias("source"), pl.lit(None, pl.Utf8).alias("return_period"))
    heads = (households.join(roster.select("household_id").unique(), on="household_id", how="anti")
             .filter(pl.col("head_id_number").is_not_null())
             .select(pl.col("head_id_number").alias("id_number"), "household_id", pl.lit(True).alias("is_head"),
                     pl.lit(2).alias("source"), pl.col("return_period").cast(pl.Utf8)))
    return (pl.concat([listed, heads])
            .sort(["source", "return_period", "household_id"], descending=[False, True, False], nulls_last=True)
            .unique("id_number", keep="first", maintain_order=True).drop("source", "return_period"))


def judge(rows: pl.DataFrame, roster: pl.DataFrame, households: pl.DataFrame, flags: pl.DataFrame,
          counties: dict[str, str], rules: Rules, as_of: str) -> pl.DataFrame:
    """Every finding of the as-of month from the usable records of the income year up to it: the rules are judged
    set-wise over all records (Polars), the details written only for the findings."""
    # a person is matched, judged and kept once by the 18-digit form of their ID, whichever form each side wrote
    # (a first-generation card's 15 digits are the same person); the finding shows the ID as the record wrote it
    rows = rows.with_columns(pl.col("id_number").alias("id_written"), eighteen_digit("id_number").alias("id_number"))
    households = households.with_columns(eighteen_digit("head_id_number").alias("head_id_number"))
    people = match_people(roster.with_columns(eighteen_digit("id_number").alias("id_number")), households)
    latest = households.with_columns(
        (pl.col("insured_count") == pl.col("household_size")).alias("all_insured"),
        (pl.col("head_id_number")).alias("return_head_id"))
    table = pl.DataFrame(event_rows()).select("event", "rule")
    joined = (rows.join(table, on="event", how="inner")
              .join(people, on="id_number", how="left")
              .join(latest.drop("head_id_number"), on="household_id", how="left")
              .join(flags, on="household_id", how="left")
              .with_columns(head_now(pl.col("is_head"), pl.col("id_number"), pl.col("return_head_id"))))
    medical = joined.filter(pl.col("rule") == "medical_oop")
    eligible = [code for code, spec in EVENTS.items() if spec.get("unregistered")]
    others = joined.filter((pl.col("rule") != "medical_oop")  # an unmatched record of another event is no finding
                           & (pl.col("household_id").is_not_null() | pl.col("event").is_in(eligible)))
    judged = latest_versions(others.with_columns(_finding_expr(rules).alias("finding")))
    found = [_row(record, record["finding"], counties, rules) for record in judged.iter_rows(named=True)]
    found += _judge_medical(medical, counties, rules)
    frame = pl.DataFrame([{**f, "as_of": as_of} for f in found], schema=FINDING_SCHEMA)
    return frame.sort("county_code", "household_id", "department", "event", "event_date", "id_number", nulls_last=True)


def latest_versions(versions: pl.DataFrame) -> pl.DataFrame:
    """The findings of the latest version of each record (person, event, event date; by the file's month, then file
    and row), each in the month first seen: the earliest month of a version making the same finding."""
    key = ["id_number", "event", "event_date"]
    ordered = versions.sort(*STORED_ORDER)
    latest = ordered.unique(key, keep="last", maintain_order=True).filter(pl.col("finding").is_not_null())
    first = (ordered.join(latest.select(*key, "finding"), on=[*key, "finding"], how="semi")
             .group_by(key).agg(pl.col("period").min().alias("first_seen")))
    return (latest.join(first, on=key, how="left", maintain_order="left")
            .with_columns(pl.col("first_seen").alias("period")).drop("first_seen"))


def head_now(listed_as_head: pl.Expr, person: pl.Expr, return_head: pl.Expr) -> pl.Expr:
    """Whether the person is the household's head as its latest return names the head; the roster's relation only
    when the return names none. A head the return has already replaced is a member (departments.md: DEATH is a
    MISMATCH only while 户主 is not updated)."""
    return pl.when(return_head.is_null() | (return_head == "")).then(listed_as_head).otherwise(person == return_head)


def _finding_expr(rules: Rules) -> pl.Expr:
    """The finding each record makes by its event's rule (every rule but medical_oop), null for none: a matched
    record by the rule; an unmatched one UNREGISTERED when its event says so and it would be a clue."""
    matched = pl.col("household_id").is_not_null()
    grade = pl.col("grade").fill_null("")
    by_rule = pl.lit(None, pl.Utf8)
    for code, spec in EVENTS.items():
        rule = spec["rule"]
        if rule == "medical_oop":
            continue
        if rule in ("clue", "clue_grade"):
            outcome = pl.when(_would_be_clue(spec, grade)).then(pl.lit("CLUE"))
        elif rule == "death":
            outcome = pl.when(pl.col("is_head").fill_null(False)).then(pl.lit("MISMATCH")).otherwise(pl.lit("CLUE"))
        elif rule == "mismatch":
            column, value = spec["return_says"]
            graded = grade.str.strip_suffix("级").is_in(spec["grades"]) if "grades" in spec else pl.lit(True)
            # a blank cell says nothing either way: no contradiction, but a hardship the village has not reported
            outcome = (pl.when(graded & (pl.col(column) == value).fill_null(False)).then(pl.lit("MISMATCH"))
                       .when(graded & pl.col(column).is_null()).then(pl.lit("CLUE")))
        elif rule == "asset":
            exempt = pl.any_horizontal(grade.str.contains(w, literal=True) for w in rules.vehicle_exempt_types) \
                if spec.get("exempt") and rules.vehicle_exempt_types else pl.lit(False)
            listed = pl.col("household_type").is_in(list(rules.asset_household_types)).fill_null(False)
            marks = pl.col("flags").fill_null("").str.split(";")
            flagged = pl.any_horizontal(marks.list.contains(c) for c in rules.asset_flags) \
                if rules.asset_flags else pl.lit(False)
            outcome = pl.when((listed | flagged) & ~exempt).then(pl.lit("ASSET"))
        else:
            raise ValueError(f"rule not known: {rule}")
        unmatched = (pl.when(_would_be_clue(spec, grade)).then(pl.lit("UNREGISTERED"))
                     if spec.get("unregistered") else pl.lit(None, pl.Utf8))
        by_rule = pl.when(pl.col("event") == code).then(pl.when(matched).then(outcome).otherwise(unmatched)) \
            .otherwise(by_rule)
    return by_rule


def _would_be_clue(spec: dict, grade: pl.Expr) -> pl.Expr:
    """Whether a record of a clue event is one (clue_grade: only the listed grades)."""
    if spec["rule"] == "clue":
        return pl.lit(True)
    if spec["rule"] == "clue_grade":
        return grade.is_in(spec["grades"] + [g + "级" for g in spec["grades"]])
    return pl.lit(False)


def _judge_medical(records: pl.DataFrame, counties: dict[str, str], rules: Rules) -> list[dict]:
    """MEDICAL_OOP: each person's latest amount of the year; a household's is the sum over its members (CLUE);
    an unregistered person's own amount at the threshold (UNREGISTERED)."""
    latest = records.sort(*STORED_ORDER).unique("id_number", keep="last", maintain_order=True)
    alone = latest.filter(pl.col("household_id").is_null() & (pl.col("amount") >= rules.medical_oop_threshold))
    out = [_row(record, "UNREGISTERED", counties, rules) for record in alone.iter_rows(named=True)]
    totals = (latest.filter(pl.col("household_id").is_not_null())
              .sort("household_id", *STORED_ORDER)
              .group_by("household_id", maintain_order=True)
              .agg(pl.all().last(), pl.col("amount").fill_null(0).sum().alias("total"),
                   pl.col("projected_net_income").first().alias("income"), pl.len().alias("members")))
    by_share = (pl.col("income").is_not_null() & (pl.col("total") > 0)
                & (pl.col("total") >= rules.medical_oop_share * pl.col("income")))
    clued = totals.filter((pl.col("total") >= rules.medical_oop_threshold) | by_share)
    for record in clued.iter_rows(named=True):  # the latest amount's record, with the household's total
        out.append(_row({**record, "amount": float(record["total"]), "members": int(record["members"])},
                        "CLUE", counties, rules))
    return out


def _row(record: dict, finding: str, counties: dict[str, str], rules: Rules) -> dict:
    """A finding row: the household's units, or for an unregistered person the county of the ID (外地 when none)."""
    household_id = record["household_id"]
    county = household_id[:6] if household_id else (record["id_number"] or "")[:6]
    return {"county_code": county, "township_code": household_id[:9] if household_id else None,
            "village_code": household_id[:12] if household_id else None, "household_id": household_id,
            "id_number": record.get("id_written", record["id_number"]), "name": record["name"],
            "department": record["department"],
            "event": record["event"], "event_date": record["event_date"], "period": record["period"],
            "amount": record["amount"], "finding": finding,
            "detail": detail_of(record, finding, counties.get(county), rules),
            "is_outside": household_id is None and county not in counties,
            "file_id": record["file_id"], "source_row": record["source_row"], "sheet": record["sheet"]}
