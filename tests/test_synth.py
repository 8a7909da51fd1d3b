"""The synthetic city generator: deterministic, month files independent of as_of, every planted case present."""
from __future__ import annotations

import csv
import hashlib
import io
import re
import time
from collections import Counter
from pathlib import Path

import fastexcel
import pyarrow.parquet as pq
import pytest

from povmon.synth import generate_city
from povmon.synth.names import is_valid_id_number
from povmon.synth.schema import AMOUNT_COLUMNS, COLUMNS

NAME = re.compile(r"^(\d{12})_(\d{6})(_v\d+|_更正)?\.(csv|xlsx)$")
HEADER_TO_COLUMN = {zh: name for name, zh in COLUMNS.items()} | {name: name for name in COLUMNS}
FILE_CODES = {"FILE_NAME_INVALID", "FILE_UNKNOWN_VILLAGE", "FILE_UNREADABLE", "FILE_MISSING_COLUMNS"}
ROW_CODES = {"ROW_HOUSEHOLD_ID", "ROW_DUPLICATE", "ROW_MISSING_VALUE", "ROW_NOT_NUMBER", "ROW_OUT_OF_RANGE",
             "ROW_HOUSEHOLD_TYPE", "ROW_ID_NUMBER", "ROW_YTD_DECREASE", "ROW_OUTLIER"}
LINE = {"2018": 3600, "2019": 3800, "2020": 4000}


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> tuple[Path, dict]:
    """A small city generated once for the module (default seed and as_of 202003)."""
    root = tmp_path_factory.mktemp("city")
    start = time.perf_counter()
    summary = generate_city(root)
    print(f"\nsmall city: {time.perf_counter() - start:.2f}s, {summary['files']} files, {summary['rows']} rows, "
          f"{summary['households']} households")
    return root, summary


@pytest.fixture(scope="module")
def planted(city) -> list[dict]:
    """truth/planted.csv as dicts."""
    return list(csv.DictReader(io.StringIO((city[0] / "truth" / "planted.csv").read_text("utf-8"))))


@pytest.fixture(scope="module")
def truth(city) -> dict[tuple[str, str], dict]:
    """truth/households.parquet keyed by (household_id, period)."""
    rows = pq.read_table(city[0] / "truth" / "households.parquet").to_pylist()
    return {(r["household_id"], r["period"]): r for r in rows}


def hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every file under inbox/ and reference/, by relative path."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for sub in ("inbox", "reference") for p in sorted((root / sub).rglob("*")) if p.is_file()}


def decode(data: bytes) -> str:
    """CSV text the way the pipeline may decode it: UTF-8 (with or without BOM), else GB18030."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def sheet_rows(path: Path) -> list[list[str]]:
    """Every row of a return as text cells ('' for empty), row 1 first, as a clerk sees it in Excel."""
    if path.suffix == ".xlsx":
        frame = fastexcel.read_excel(path.read_bytes()).load_sheet(0, header_row=None, dtypes="string").to_polars()
        return [["" if v is None else v for v in row] for row in frame.rows()]
    return list(csv.reader(io.StringIO(decode(path.read_bytes()))))


def clean_number(text: str) -> float:
    """An amount as a village writes it (commas, spaces of any width) as a float."""
    return float(text.replace(",", "").replace("\u3000", "").strip())


def test_small_city_summary(city):
    root, summary = city
    assert summary["counties"] == 3 and 30 <= summary["villages"] <= 36
    assert 1500 <= summary["households"] <= 2100
    assert summary["periods"][0] == "201710" and summary["periods"][-1] == "202003" and len(summary["periods"]) == 30
    assert Path(summary["paths"]["planted"]).is_file() and Path(summary["paths"]["households"]).is_file()


def test_same_seed_same_bytes_and_months_do_not_depend_on_as_of(city, tmp_path):
    root, _ = city
    later = tmp_path / "later"
    generate_city(later, as_of="202004")
    before, after = hashes(root), hashes(later)
    assert {p: after.get(p) for p in before} == before  # every file of the earlier run, byte for byte
    new = set(after) - set(before)
    assert new and all("202004" in p for p in new)


def test_another_seed_gives_another_city(city, tmp_path):
    generate_city(tmp_path / "other", seed=8, as_of="201710")
    ours, theirs = hashes(city[0]), hashes(tmp_path / "other")
    assert ours["reference/admin_units.csv"] != theirs["reference/admin_units.csv"]
    october = [p for p in ours if "/201710/" in p and p in theirs]
    assert all(ours[p] != theirs[p] for p in october)


def test_admin_units_shape(city):
    rows = list(csv.DictReader(io.StringIO((city[0] / "reference" / "admin_units.csv").read_text("utf-8"))))
    assert list(rows[0]) == ["code", "name", "level", "parent_code", "management_area"]
    by_level = Counter(r["level"] for r in rows)
    assert by_level["county"] == 3 and 6 <= by_level["township"] <= 9 and 30 <= by_level["village"] <= 36
    codes = {r["code"]: r for r in rows}
    lengths = {"county": 6, "township": 9, "village": 12}
    suffixes = {"county": ("县", "区", "管理区"), "township": ("镇", "乡"), "village": ("村",)}
    for r in rows:
        assert len(r["code"]) == lengths[r["level"]] and r["code"].startswith("4305")
        assert r["name"].endswith(suffixes[r["level"]])
        if r["level"] == "county":
            assert r["parent_code"] == ""
        else:
            assert codes[r["parent_code"]]["code"] == r["code"][: lengths[r["level"]] - 3]
    areas = [r for r in rows if r["level"] == "county" and r["management_area"] == "1"]
    assert len(areas) == 1 and areas[0]["name"].endswith("管理区")


def test_every_problem_code_is_planted_and_the_as_of_month_has_each(planted):
    codes = {p["code"] for p in planted if p["kind"] in ("file", "row")}
    assert FILE_CODES | ROW_CODES <= codes
    as_of = {p["code"] for p in planted if p["period"] == "202003" and p["kind"] in ("file", "row")}
    assert FILE_CODES | ROW_CODES <= as_of
    signals = Counter(p["code"] for p in planted if p["kind"] == "signal")
    assert signals["THRESHOLD_BUNCHING"] >= 2 and signals["IDENTICAL_ROWS"] >= 2 and signals["MISSING_RETURN"] >= 2
    kinds = Counter(p["kind"] for p in planted)
    assert kinds["correction"] and kinds["resend"]
    levels = {p["code"]: p["level"] for p in planted if p["kind"] == "row"}
    assert levels["ROW_OUTLIER"] == "warning" and levels["ROW_DUPLICATE"] == "error"


def test_planted_rows_point_at_the_right_row(city, planted):
    files = {p.name: p for p in (city[0] / "inbox").rglob("*") if p.is_file()}
    for line in [p for p in planted if p["kind"] == "row"]:
        row = sheet_rows(files[line["file"]])[int(line["row"]) - 1]
        assert line["household_id"] in row, line


def test_planted_bad_files_exist_and_missing_villages_sent_nothing_usable(city, planted):
    files = {p.name: p for p in (city[0] / "inbox").rglob("*") if p.is_file()}
    for line in [p for p in planted if p["kind"] in ("file", "correction", "resend")]:
        assert line["file"] in files, line
    bad = {p["file"] for p in planted if p["kind"] == "file"}
    for line in [p for p in planted if p["code"] == "MISSING_RETURN"]:
        sent = [n for n in files if n.startswith(f"{line['village_code']}_{line['period']}")]
        assert all(n in bad for n in sent)


def test_clean_rows_in_files_match_the_truth(city, planted, truth):
    flagged = {(p["file"], int(p["row"])) for p in planted if p["kind"] == "row"}
    skip = {p["file"] for p in planted if p["kind"] == "file"}
    skip |= {re.sub(r"_(v\d+|更正)\.", ".", p["file"]) for p in planted if p["kind"] == "correction"}
    checked = 0
    for path in sorted((city[0] / "inbox").rglob("*")):
        if not path.is_file() or path.name in skip or not NAME.match(path.name):
            continue
        rows = sheet_rows(path)
        at = next(i for i, r in enumerate(rows) if {"户编号", "household_id"} & {c.strip() for c in r})
        columns = [HEADER_TO_COLUMN.get(c.strip()) for c in rows[at]]
        for number, row in enumerate(rows[at + 1:], start=at + 2):
            if not any(c.strip() for c in row) or row[0] == "合计" or (path.name, number) in flagged:
                continue
            cells = {c: v for c, v in zip(columns, row) if c}
            expected = truth[(cells["household_id"], NAME.match(path.name)[2])]
            for amount in AMOUNT_COLUMNS:
                assert clean_number(cells[amount]) == pytest.approx(expected[amount]), (path.name, number, amount)
            assert int(float(cells["household_size"])) == expected["household_size"]
            assert is_valid_id_number(cells["head_id_number"])
            checked += 1
    assert checked > 40_000


def test_ytd_never_falls_and_households_keep_their_archetypes_calendars(truth):
    by_household: dict[str, list] = {}
    for (hid, _period), r in sorted(truth.items()):
        by_household.setdefault(hid, []).append(r)
    for series in by_household.values():
        assert len({r["archetype"] for r in series}) == 1 and re.fullmatch(r"[a-z_]+/[a-z]+", series[0]["archetype"])
        for before, after in zip(series, series[1:]):
            if after["period"][4:] != "10":  # a new income year starts from zero
                for amount in AMOUNT_COLUMNS:
                    assert after[amount] >= before[amount]
    # festival migrants: most of the year's wage in the festival month (2018 February, 2019 January)
    festival = [h for h, series in by_household.items() if series[0]["archetype"].startswith("festival/")
                and (h, "201712") in truth and (h, "201909") in truth and truth[(h, "201909")]["shock"] is None
                and truth[(h, "201909")]["anomaly"] is None]
    assert len(festival) >= 100
    for household in festival:
        year = {p: truth[(household, p)]["wage_income"] for p in ("201712", "201801", "201802", "201812", "201901")}
        assert year["201802"] - year["201801"] > year["201801"] - year["201712"]  # the lump came in February
        assert year["201901"] - year["201812"] > 0.3 * truth[(household, "201909")]["wage_income"]  # in January


def test_year_end_incomes_straddle_the_line(truth):
    year_end = [r for (_, period), r in truth.items() if period == "201909"]
    per_capita = [(r["wage_income"] + r["business_income"] + r["property_income"] + r["transfer_income"]
                   - r["business_expense"]) / r["household_size"] for r in year_end]
    below = sum(pc < LINE["2019"] for pc in per_capita) / len(per_capita)
    near = sum(LINE["2019"] <= pc < 1.5 * LINE["2019"] for pc in per_capita) / len(per_capita)
    assert 0.03 <= below <= 0.10 and 0.06 <= near <= 0.20
    unstable = [r for r, pc in zip(year_end, per_capita) if r["household_type"] == "脱贫户" and pc < LINE["2020"]]
    assert len(unstable) >= 5  # UNSTABLE_LIFTED cases for income year 2020
    assert any(not r["housing_safe"] or not r["water_safe"] or r["insured_count"] < r["household_size"]
               for r in year_end)


def test_signal_villages_carry_their_signal(planted, truth):
    def per_capita(r):
        return (r["wage_income"] + r["business_income"] + r["property_income"] + r["transfer_income"]
                - r["business_expense"]) / r["household_size"]
    for line in [p for p in planted if p["code"] == "THRESHOLD_BUNCHING"]:
        year_end = [per_capita(r) / LINE["2019"] for (h, p), r in truth.items()
                    if p == "201909" and h.startswith(line["village_code"])]
        assert sum(1 <= x < 1.1 for x in year_end) >= 12 and sum(0.9 <= x < 1 for x in year_end) <= 1
    for line in [p for p in planted if p["code"] == "IDENTICAL_ROWS"]:
        figures = Counter(tuple(r[a] for a in AMOUNT_COLUMNS) for (h, p), r in truth.items()
                          if p == line["period"] and h.startswith(line["village_code"]))
        assert figures.most_common(1)[0][1] >= 6


def test_shocks_make_real_sudden_drops(truth):
    def net(r):
        return r["wage_income"] + r["business_income"] + r["property_income"] + r["transfer_income"] - r["business_expense"]
    drops = [r for (h, p), r in truth.items() if p == "202003" and (h, "201903") in truth
             and net(truth[(h, "201903")]) > 0 and net(r) <= 0.7 * net(truth[(h, "201903")])]
    assert sum(r["shock"] == "epidemic" for r in drops) >= 3


def test_a_gb18030_file_that_gbk_cannot_read_exists(city):
    for path in sorted((city[0] / "inbox").rglob("*.csv")):
        data = path.read_bytes()
        try:
            data.decode("utf-8")
            continue
        except UnicodeDecodeError:
            pass
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            continue
        try:
            data.decode("gbk")
        except UnicodeDecodeError:
            return
    pytest.fail("no GB18030 file with a character outside GBK")
