"""A clean synthetic province, fast: every village's return for a span of months as plain UTF-8 CSV.

The households, their calendars, shocks, names and IDs are the synthetic city's (povmon/synth/households.py,
the same seed streams), so projection and flags have the same work to do; only the mess is left out (no
planted rows, xlsx, encodings, corrections, resends or department files) and the rows are formatted a county
at a time with Polars, one write per file. Layout as the synthetic city writes it:
  reference/admin_units.csv, inbox/<county>/<YYYYMM>/<village>_<YYYYMM>.csv (mtime = the day it was sent).
Usage: python benchmarks/bench_generate.py DIR [--scale province] [--first 201804] [--last 202010]
       [--seed 7] [--workers 2] [--counties N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from povmon.synth.households import draw_basics, draw_county_traits, draw_village  # noqa: E402
from povmon.synth.rows import report_date  # noqa: E402
from povmon.synth.schema import COLUMNS, period_index, period_of  # noqa: E402
from povmon.synth.units import City, build_city, write_admin_units  # noqa: E402

HEADER = ",".join(COLUMNS.values()) + "\n"
YES_NO = {True: "是", False: "否"}


def yuan(cents: pl.Expr) -> pl.Expr:
    """Yuan text of an amount in cents, as the synthetic city writes it: 1234, 1234.5 or 1234.05."""
    whole = (cents // 100).cast(pl.Utf8)
    rest = (cents % 100).cast(pl.Utf8).str.zfill(2).str.strip_chars_end("0")
    return pl.when(cents % 100 == 0).then(whole).otherwise(whole + "." + rest)


def village_frame(seed: int, city: City, v: int, traits, first: int, last: int) -> tuple[pl.DataFrame, list[int]]:
    """One village's rows for periods first..last (households in order within a period), and rows per period."""
    village = city.villages[v]
    data = draw_village(seed, village, draw_basics(seed, village), traits, shocks_on=True)
    n = len(data.household_ids)
    periods = np.arange(first, last + 1)
    present = data.basics.join[None, :] <= periods[:, None]  # (periods, n)
    index, household = np.nonzero(present)
    index = periods[index]
    year = index // 12
    cents = data.incomes.cents[household, index, :]
    dates = [report_date(i, int(data.report_days[i])).isoformat() for i in periods]
    static = [",".join(cells) for cells in zip(data.household_ids, data.names, data.id_numbers,
                                                 data.basics.size.astype(str), data.basics.labor.astype(str),
                                                 data.basics.types.tolist())]
    last_pc = data.last_year_pc[household, year]
    frame = pl.DataFrame({
        "static": np.array(static, dtype=object)[household].tolist(),
        **{f"a{c}": cents[:, c] for c in range(5)},
        "last_pc": np.where(np.isnan(last_pc), -1, np.round(np.nan_to_num(last_pc) * 100)).astype(np.int64),
        "housing": data.housing_safe[household, year], "water": data.water_safe[household, year],
        "dropout": data.dropout[household, year], "insured": data.insured[household, year],
        "risk": data.risk[household, year].tolist(), "date": np.array(dates, dtype=object)[index - first].tolist(),
    })
    counts = present.sum(axis=1).tolist()
    assert n >= max(counts)
    return frame, counts


def lines(frame: pl.DataFrame) -> list[str]:
    """Each row as one CSV line in the canonical column order (no cell holds a comma or a quote)."""
    yes_no = [pl.when(pl.col(c)).then(pl.lit(YES_NO[True])).otherwise(pl.lit(YES_NO[False])) for c in ("housing", "water")]
    expr = pl.concat_str([
        pl.col("static"), *[yuan(pl.col(f"a{c}")) for c in range(5)],
        pl.when(pl.col("last_pc") < 0).then(pl.lit("")).otherwise(yuan(pl.col("last_pc"))),
        *yes_no, pl.col("dropout").cast(pl.Utf8), pl.col("insured").cast(pl.Utf8), pl.col("risk"), pl.col("date"),
    ], separator=",")
    return frame.select(expr.alias("line"))["line"].to_list()


@functools.lru_cache(maxsize=2)
def city_of(seed: int, scale: str) -> City:
    """The administrative tree, drawn once per process (it takes seconds at province scale)."""
    return build_city(seed, scale)


def write_county(root: str, seed: int, scale: str, ci: int, first: int, last: int) -> dict:
    """Every return of one county's villages for periods first..last (skipped when already written: a stopped
    generation resumes); files, rows and bytes written."""
    stamp = Path(root) / "generated" / f"{ci:03d}-{first}-{last}.json"  # outside the inbox: no stray file there
    if stamp.exists():
        return json.loads(stamp.read_text())
    city = city_of(seed, scale)
    county = city.counties[ci]
    traits = draw_county_traits(seed, county)
    made = {"files": 0, "rows": 0, "bytes": 0}
    for v in county.villages:
        frame, counts = village_frame(seed, city, v, traits, first, last)
        text = lines(frame)
        code, start = city.villages[v].code, 0
        for index, count in zip(range(first, last + 1), counts):
            period = period_of(index)
            folder = Path(root) / "inbox" / county.code / period
            folder.mkdir(parents=True, exist_ok=True)
            blob = (HEADER + "\n".join(text[start:start + count]) + "\n").encode("utf-8")
            start += count
            path = folder / f"{code}_{period}.csv"
            path.write_bytes(blob)
            sent = report_date(index, 5)
            noon = dt.datetime(sent.year, sent.month, sent.day, 4, tzinfo=dt.timezone.utc).timestamp()  # UTC+8
            os.utime(path, (noon, noon))
            made["files"] += 1
            made["rows"] += count
            made["bytes"] += len(blob)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps(made))
    return made


def generate(root: Path, *, scale: str = "province", first: str = "201804", last: str = "202010", seed: int = 7,
             workers: int = 2, counties: int | None = None) -> dict:
    """Write the reference list and every county's returns (with a pool of worker processes); a summary."""
    started = time.perf_counter()
    city = city_of(seed, scale)
    write_admin_units(city, root / "reference")
    chosen = range(len(city.counties) if counties is None else min(counties, len(city.counties)))
    i, j = period_index(first), period_index(last)
    args = [(str(root), seed, scale, ci, i, j) for ci in chosen]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            parts = list(pool.map(write_county, *zip(*args)))
    else:
        parts = [write_county(*a) for a in args]
    summary = {key: sum(p[key] for p in parts) for key in ("files", "rows", "bytes")}
    summary.update(scale=scale, seed=seed, first=first, last=last, counties=len(chosen),
                   villages=sum(len(city.counties[c].villages) for c in chosen),
                   seconds=round(time.perf_counter() - started, 1))
    return summary


def main(argv: list[str] | None = None) -> int:
    """Generate and print the summary as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--scale", default="province")
    parser.add_argument("--first", default="201804")
    parser.add_argument("--last", default="202010")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--counties", type=int, default=None, help="only the first N counties (a quick look)")
    args = parser.parse_args(argv)
    summary = generate(args.dir, scale=args.scale, first=args.first, last=args.last, seed=args.seed,
                       workers=args.workers, counties=args.counties)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
