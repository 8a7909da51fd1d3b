"""A realistic month of department files for the benchmarks: 12 files (one per department that sends monthly),
200,000 records in all, most of them people of registered households whose record makes no finding.

The mix (records per event, share of people in registered households, grades, amounts) follows what line
departments push for a city of ~150,000 registered households: medical bills and vehicles are the bulk; most
bills are small, most vehicles of registered people are farm vehicles or motorbikes, most unsafe houses are
graded B; hardship events (低保, relief, disability) are few. Generated column-wise with NumPy and written with
Polars: no per-record Python."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from tasks.validate.id_number import CHECK_CHARS, WEIGHTS

HEADER = {"id_number": "身份证号", "name": "姓名", "event": "事项", "event_date": "发生日期", "amount": "金额",
          "grade": "等级", "note": "说明"}
# event -> (department, share of the month's records, share of registered people, grades and their weights)
MIX: dict[str, tuple[str, float, float, dict[str, float]]] = {
    "MEDICAL_OOP": ("medical", 0.370, 0.75, {}),
    "UNINSURED": ("medical", 0.005, 0.10, {}),
    "DIBAO_NEW": ("civil", 0.004, 0.60, {}),
    "TEKUN_NEW": ("civil", 0.001, 0.60, {}),
    "TEMP_RELIEF": ("civil", 0.010, 0.60, {}),
    "DISABILITY_NEW": ("disability", 0.015, 0.70, {"一级": 0.05, "二级": 0.10, "三级": 0.35, "四级": 0.50}),
    "DROPOUT": ("education", 0.005, 0.20, {}),
    "UNSAFE_HOUSING": ("housing", 0.040, 0.85, {"A": 0.30, "B": 0.66, "C": 0.03, "D": 0.01}),
    "WATER_UNSAFE": ("water", 0.010, 0.10, {}),
    "DEATH": ("police", 0.030, 0.05, {}),
    "DISASTER": ("emergency", 0.015, 0.20, {}),
    "ACCIDENT": ("emergency", 0.005, 0.20, {}),
    "UNEMPLOYED": ("hrss", 0.050, 0.05, {}),
    "BUSINESS": ("market", 0.120, 0.03, {}),
    "VEHICLE": ("vehicle", 0.290, 0.80, {"拖拉机": 0.20, "三轮汽车": 0.25, "两轮摩托车": 0.40, "农用运输车": 0.13,
                                         "小型轿车": 0.02}),
    "PROPERTY": ("property", 0.030, 0.02, {}),
}
OUTSIDE_SHARE = 0.10  # of the people in no registered household: IDs of another province's county


def id_numbers(rng: np.random.Generator, counties: list[str], count: int) -> np.ndarray:
    """Valid GB 11643 ID numbers of people born 1940-2009 in the given counties (a 6-digit code each)."""
    county = np.array(counties)[rng.integers(len(counties), size=count)]
    year = rng.integers(1940, 2010, size=count)
    month, day, serial = rng.integers(1, 13, size=count), rng.integers(1, 29, size=count), rng.integers(0, 1000, size=count)
    body = pl.DataFrame({"c": county, "y": year, "m": month, "d": day, "s": serial}).select(
        pl.col("c") + pl.col("y").cast(pl.Utf8) + pl.col("m").cast(pl.Utf8).str.zfill(2)
        + pl.col("d").cast(pl.Utf8).str.zfill(2) + pl.col("s").cast(pl.Utf8).str.zfill(3)).to_series()
    digits = np.frombuffer("".join(body.to_list()).encode(), dtype=np.uint8).reshape(count, 17) - 48
    check = np.array(list(CHECK_CHARS))[(digits * np.array(WEIGHTS)).sum(axis=1) % 11]
    return (body + pl.Series(check)).to_numpy()


def month_frames(people: list[str], counties: list[str], period: str, records: int = 200_000,
                 seed: int = 1) -> dict[str, pl.DataFrame]:
    """The month's records by department, as the rows of its file (text cells)."""
    rng = np.random.default_rng(seed)
    parts: dict[str, list[pl.DataFrame]] = {}
    for event, (department, share, registered, grades) in MIX.items():
        count = int(round(records * share))
        known = rng.random(count) < registered
        ids = id_numbers(rng, counties, count)
        outside = ~known & (rng.random(count) < OUTSIDE_SHARE)
        ids[outside] = id_numbers(rng, ["110101", "440305", "510104"], int(outside.sum()))
        ids[known] = np.array(people)[rng.integers(len(people), size=int(known.sum()))]
        if event == "MEDICAL_OOP":  # year to date: mostly small, a long tail (~1 % at 20,000 yuan and more)
            amount = np.round(rng.lognormal(7.6, 1.15, size=count)).astype(int).astype(str)
        elif event == "DISASTER":
            amount = rng.integers(500, 30_000, size=count).astype(str)
        else:
            amount = np.full(count, "")
        grade = (rng.choice(list(grades), size=count, p=np.array(list(grades.values())) / sum(grades.values()))
                 if grades else np.full(count, ""))
        day = rng.integers(1, 29, size=count)
        frame = pl.DataFrame({"id_number": ids, "name": np.full(count, "某某"), "event": np.full(count, event),
                              "event_date": np.char.add(f"{period[:4]}-{period[4:]}-", np.char.zfill(day.astype(str), 2)),
                              "amount": amount, "grade": grade, "note": np.full(count, "")})
        parts.setdefault(department, []).append(frame)
    return {department: pl.concat(frames) for department, frames in parts.items()}


def write_month(inbox: Path, people: list[str], counties: list[str], period: str, records: int = 200_000,
                seed: int = 1, suffix: str = "_v9") -> list[Path]:
    """The month's 12 department files as UTF-8 CSV in `inbox` (`_v9`: a correction, so they replace any version
    of the same month already there); returns their paths."""
    inbox.mkdir(parents=True, exist_ok=True)
    paths = []
    for department, frame in sorted(month_frames(people, counties, period, records, seed).items()):
        path = inbox / f"dept_{department}_{period}{suffix}.csv"
        empty_as_nothing = [pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in frame.columns]  # not ""
        frame.with_columns(empty_as_nothing).rename(HEADER).write_csv(path, line_terminator="\r\n")
        paths.append(path)
    return paths


def registered_people(con) -> list[str]:
    """Every ID number the store can match: the member roster and the heads of the returns."""
    return [i for (i,) in con.execute(
        "SELECT id_number FROM registry_members UNION SELECT head_id_number FROM households_current "
        "WHERE head_id_number IS NOT NULL ORDER BY 1").fetchall()]


def city_counties(con) -> list[str]:
    """The county codes of the city (admin_units)."""
    return [c for (c,) in con.execute("SELECT code FROM admin_units WHERE level = 'county' ORDER BY 1").fetchall()]
