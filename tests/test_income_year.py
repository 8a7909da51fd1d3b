"""Income-year arithmetic: Python (core.income_year) and the SQL macros agree on every month of several years."""
from __future__ import annotations

import duckdb

from core import db
from core.income_year import calendar_month, income_year_month, period_of


def test_python_and_sql_agree_on_every_month():
    con = duckdb.connect()
    db.apply_schema(con)
    periods = [f"{year}{month:02d}" for year in range(2016, 2024) for month in range(1, 13)]
    in_sql = dict(con.execute("SELECT p, [income_year_of(p), income_month_of(p), calendar_month(income_month_of(p))] "
                              "FROM unnest(?) t(p)", [periods]).fetchall())
    for period in periods:
        assert list(income_year_month(period)) == in_sql[period][:2], period
        assert period_of(*income_year_month(period)) == period
        assert calendar_month(income_year_month(period)[1]) == int(period[4:]) == in_sql[period][2]


def test_october_starts_the_next_income_year():
    assert income_year_month("201910") == (2020, 1)
    assert income_year_month("202009") == (2020, 12)
    assert income_year_month("202003") == (2020, 6)
