"""The backtest: learned projection against naive 12/month on complete past years, and `povmon backtest`."""
from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest

from povmon import cli
from core import db
from tasks.marts import backtest, flag, project
from tests.support.store_builder import VILLAGE, build_store, household_row, save_store, settings_with, year_periods

WAGE_PROFILE = [0.05, 0.10, 0.15, 0.45, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.92, 1.0]
CSV_HEADER = "income_year,month,method,median_abs_pct_error,below_line_precision,below_line_recall,coverage"


def seasonal_city(db_path) -> None:
    """40 households over three complete income years (2018–2020) and half of 2021, incomes around the line."""
    rows = []
    for n in range(1, 41):
        annual = 4 * (2500 + 100 * n)  # per capita 2600 … 6500
        for year in (2018, 2019, 2020, 2021):
            months = year_periods(year, 6 if year == 2021 else 12)
            rows += [household_row(f"{VILLAGE}{n:04d}", p, wage=annual * WAGE_PROFILE[m]) for m, p in enumerate(months)]
    memory = build_store(rows)
    save_store(memory, db_path)


@pytest.fixture
def store(tmp_path):
    """A DuckDB file holding the seasonal city."""
    path = tmp_path / "povmon.duckdb"
    db.connect(path).close()
    seasonal_city(path)
    return path


def test_backtest_covers_every_complete_year_with_history_and_beats_naive(store):
    con = db.connect(store)
    project.project_household_income(con, settings_with(share_min_households=1))
    accuracy = backtest.measure_projection(con)
    assert sorted(set(accuracy["income_year"])) == [2019, 2020]  # 2018 has nothing earlier; 2021 is not complete
    assert accuracy.height == 2 * 11 * 3  # seasonal, county_shares, naive
    seasonal = accuracy.filter(method="seasonal")
    naive = accuracy.filter(method="naive")
    assert seasonal["median_abs_pct_error"].max() == pytest.approx(0.0, abs=1e-9)  # same profile every year
    assert naive.filter(month=4)["median_abs_pct_error"].min() > 0.1
    assert seasonal.filter(month=3)["below_line_recall"].to_list() == [1.0, 1.0]
    assert naive.filter(month=3)["below_line_precision"].to_list()[0] < 1.0  # 12/month calls too many below


def test_povmon_backtest_prints_csv_with_exact_columns(store):
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["backtest", "--db", str(store), "--format", "csv"]) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == CSV_HEADER
    assert lines[1].startswith("2019,1,seasonal,")
    assert len(lines) == 1 + 66


def test_povmon_backtest_table_shows_the_three_methods_and_coverage(store):
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["backtest", "--db", str(store)]) == 0
    text = out.getvalue()
    assert "seasonal err" in text and "county err" in text and "naive err" in text and "cover" in text
    assert len([line for line in text.splitlines() if line.startswith("2020 ")]) == 11


def test_povmon_backtest_without_a_database_fails_with_one_line(tmp_path, capsys):
    assert cli.main(["backtest", "--db", str(tmp_path / "none.duckdb")]) == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_povmon_backtest_with_other_settings_than_the_runs_leaves_the_flags_alone(store, tmp_path, capsys):
    """A backtest under other projection settings is refused: rebuilding the marts would empty the runs' flags."""
    con = db.connect(store)
    settings = settings_with()
    project.project_household_income(con, settings)
    flag.flag_households(con, settings, "202103")
    flagged = db.scalar(con, "SELECT count(*) FROM household_status")
    con.close()
    trial = tmp_path / "trial.toml"
    trial.write_text("[projection]\nband_coverage = 0.7\n", encoding="utf-8")
    assert cli.main(["backtest", "--db", str(store), "--settings", str(trial)]) == 1
    assert "other settings" in capsys.readouterr().err
    with db.connect(store) as con:
        assert db.scalar(con, "SELECT count(*) FROM household_status") == flagged > 0
    assert cli.main(["backtest", "--db", str(store)]) == 0  # the runs' own settings measure as before


def test_povmon_backtest_help_names_every_csv_column(capsys):
    """`povmon backtest --help` lists the CSV's columns as --format csv prints them."""
    with pytest.raises(SystemExit):
        cli.main(["backtest", "--help"])
    assert CSV_HEADER in "".join(capsys.readouterr().out.split())
