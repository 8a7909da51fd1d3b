"""Backtest: how well the projection at each month predicted the year-end outcome: the production method
(seasonal, each household's own calendar) beside the county's one curve (county_shares) and naive 12/month."""
from __future__ import annotations

import duckdb
import polars as pl

ACCURACY_COLUMNS = ["income_year", "month", "method", "median_abs_pct_error", "below_line_precision",
                    "below_line_recall", "coverage"]
METHODS = ["seasonal", "county_shares", "naive"]


def measure_projection(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """projection_accuracy (measured from projection_backtest by the projection step)."""
    return con.sql("SELECT * FROM projection_accuracy ORDER BY income_year, month, method DESC").pl()


def format_csv(accuracy: pl.DataFrame) -> str:
    """The accuracy table as CSV with exactly the backtest's columns (figures to 4 decimals)."""
    return accuracy.select(ACCURACY_COLUMNS).with_columns(pl.col(pl.Float64).round(4)).write_csv(
        line_terminator="\n", null_value="")


def format_table(accuracy: pl.DataFrame) -> str:
    """The accuracy table for reading: one line per year × month, the three methods side by side (error,
    precision, recall; the band's coverage beside seasonal)."""
    header = (f"{'year':>4} {'month':>5} | {'seasonal err':>12} {'prec':>5} {'recall':>6} {'cover':>6} | "
              f"{'county err':>10} {'prec':>5} {'recall':>6} | {'naive err':>9} {'prec':>5} {'recall':>6}")
    lines = [header, "-" * len(header)]
    if accuracy.height == 0:
        lines.append("(no complete income year with an earlier complete year to learn from)")
        return "\n".join(lines)
    wide = accuracy.pivot(on="method", index=["income_year", "month"], values=ACCURACY_COLUMNS[3:])
    for row in wide.sort("income_year", "month").iter_rows(named=True):
        cells = []
        for method, width in zip(METHODS, (12, 10, 9)):
            error, precision, recall, coverage = (row.get(f"{c}_{method}") for c in ACCURACY_COLUMNS[3:])
            cell = f"{_pct(error):>{width}} {_ratio(precision, 2):>5} {_ratio(recall, 2):>6}"
            cells.append(cell + (f" {_pct(coverage):>6}" if method == "seasonal" else ""))
        lines.append(f"{row['income_year']:>4} {row['month']:>5} | " + " | ".join(cells))
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    """A share as a percentage with one decimal, or '-'."""
    return "-" if value is None else f"{100 * value:.1f}%"


def _ratio(value: float | None, digits: int = 3) -> str:
    """A ratio with the digits given, or '-'."""
    return "-" if value is None else f"{value:.{digits}f}"
