"""Backtest: how well the projection at each month predicted the year-end outcome, beside naive 12/month."""
from __future__ import annotations

import duckdb
import polars as pl

ACCURACY_COLUMNS = ["income_year", "month", "method", "median_abs_pct_error", "below_line_precision",
                    "below_line_recall"]


def measure_projection(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """projection_accuracy (measured from projection_backtest by the projection step)."""
    return con.sql("SELECT * FROM projection_accuracy ORDER BY income_year, month, method DESC").pl()


def format_csv(accuracy: pl.DataFrame) -> str:
    """The accuracy table as CSV with exactly the backtest's columns (figures to 4 decimals)."""
    return accuracy.select(ACCURACY_COLUMNS).with_columns(pl.col(pl.Float64).round(4)).write_csv(
        line_terminator="\n", null_value="")


def format_table(accuracy: pl.DataFrame) -> str:
    """The accuracy table for reading: one line per year × month, seasonal and naive side by side."""
    header = (f"{'year':>4} {'month':>5} | {'seasonal error':>14} {'precision':>9} {'recall':>6} | "
              f"{'naive error':>11} {'precision':>9} {'recall':>6}")
    lines = [header, "-" * len(header)]
    wide = accuracy.pivot(on="method", index=["income_year", "month"],
                          values=["median_abs_pct_error", "below_line_precision", "below_line_recall"])
    for row in wide.sort("income_year", "month").iter_rows(named=True):
        seasonal = [row.get(f"{c}_seasonal") for c in ACCURACY_COLUMNS[3:]]
        naive = [row.get(f"{c}_naive") for c in ACCURACY_COLUMNS[3:]]
        lines.append(f"{row['income_year']:>4} {row['month']:>5} | {_pct(seasonal[0]):>14} {_ratio(seasonal[1]):>9} "
                     f"{_ratio(seasonal[2]):>6} | {_pct(naive[0]):>11} {_ratio(naive[1]):>9} {_ratio(naive[2]):>6}")
    if accuracy.height == 0:
        lines.append("(no complete income year with an earlier complete year to learn from)")
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    """A share as a percentage with one decimal, or '-'."""
    return "-" if value is None else f"{100 * value:.1f}%"


def _ratio(value: float | None) -> str:
    """A ratio with three decimals, or '-'."""
    return "-" if value is None else f"{value:.3f}"
