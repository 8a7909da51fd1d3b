"""What was planted and what is true: truth/planted.csv and truth/households.parquet."""
from __future__ import annotations

import csv
import io
from dataclasses import astuple, dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from povmon.synth.households import VillageData
from povmon.synth.schema import AMOUNT_COLUMNS, period_of

PLANTED_COLUMNS = ["kind", "file", "village_code", "period", "row", "household_id", "code", "level"]
KIND_ORDER = {"file": 0, "row": 1, "correction": 2, "resend": 3, "signal": 4}


@dataclass(frozen=True)
class Planted:
    """One line of planted.csv."""

    kind: str
    file: str = ""
    village_code: str = ""
    period: str = ""
    row: int | None = None
    household_id: str = ""
    code: str = ""
    level: str = ""

    def sort_key(self) -> tuple:
        """Period, kind, village, file, row: the order lines are written in."""
        return (self.period, KIND_ORDER[self.kind], self.village_code, self.file, self.row or 0, self.code)


def planted_csv(lines: list[Planted]) -> bytes:
    """planted.csv as UTF-8 bytes, sorted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PLANTED_COLUMNS)
    for line in sorted(lines, key=Planted.sort_key):
        writer.writerow(["" if v is None else v for v in astuple(line)])
    return out.getvalue().encode("utf-8")


HOUSEHOLD_SCHEMA = pa.schema([
    ("household_id", pa.string()), ("village_code", pa.string()), ("county_code", pa.string()),
    ("period", pa.string()), ("household_size", pa.int16()), ("labor_count", pa.int16()),
    ("household_type", pa.string()),
    *[(name, pa.float64()) for name in AMOUNT_COLUMNS],
    ("last_year_per_capita", pa.float64()), ("housing_safe", pa.bool_()), ("water_safe", pa.bool_()),
    ("dropout_count", pa.int16()), ("insured_count", pa.int16()), ("risk_causes", pa.string()),
    ("shock", pa.string()), ("anomaly", pa.string()), ("archetype", pa.string()),
])


def village_truth(data: VillageData, last_index: int, anomaly: str) -> pa.Table:
    """Clean values of every household of a village for every period up to last_index (before any mess)."""
    n = len(data.household_ids)
    hh, idx = np.meshgrid(np.arange(n), np.arange(last_index + 1), indexing="ij")
    keep = data.basics.join[hh] <= idx
    hh, idx = hh[keep], idx[keep]
    year = idx // 12
    cents = data.incomes.cents[hh, idx, :]
    periods = np.array([period_of(i) for i in range(last_index + 1)], dtype=object)
    marked = np.zeros(n, dtype=bool)
    marked[data.special_households] = True
    shock = data.incomes.shock[hh, year]
    columns = {
        "household_id": np.array(data.household_ids, dtype=object)[hh],
        "village_code": np.full(len(hh), data.village.code, dtype=object),
        "county_code": np.full(len(hh), data.village.county_code, dtype=object),
        "period": periods[idx],
        "household_size": data.basics.size[hh].astype(np.int16),
        "labor_count": data.basics.labor[hh].astype(np.int16),
        "household_type": data.basics.types[hh],
        **{name: cents[:, i] / 100 for i, name in enumerate(AMOUNT_COLUMNS)},
        "last_year_per_capita": data.last_year_pc[hh, year],
        "housing_safe": data.housing_safe[hh, year],
        "water_safe": data.water_safe[hh, year],
        "dropout_count": data.dropout[hh, year].astype(np.int16),
        "insured_count": data.insured[hh, year].astype(np.int16),
        "risk_causes": data.risk[hh, year],
        "shock": np.where(shock == "", None, shock),
        "anomaly": np.where(marked[hh], anomaly or None, None),
        "archetype": data.incomes.archetype[hh] if data.incomes.archetype is not None else np.full(len(hh), None),
    }
    arrays = [pa.array(columns[f.name], type=f.type, from_pandas=True) for f in HOUSEHOLD_SCHEMA]
    return pa.Table.from_arrays(arrays, schema=HOUSEHOLD_SCHEMA)


class HouseholdTruth:
    """Writes households.parquet one county (row group) at a time."""

    def __init__(self, path: Path):
        """Open the parquet file for writing."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.writer = pq.ParquetWriter(path, HOUSEHOLD_SCHEMA, compression="zstd")
        self.pending: list[pa.Table] = []
        self.rows = 0

    def add(self, table: pa.Table) -> None:
        """Queue one village's truth."""
        self.pending.append(table)
        self.rows += table.num_rows

    def flush(self) -> None:
        """Write the queued villages as one row group."""
        if self.pending:
            self.writer.write_table(pa.concat_tables(self.pending), row_group_size=10_000_000)
            self.pending = []

    def close(self) -> None:
        """Flush and close the file."""
        self.flush()
        self.writer.close()
