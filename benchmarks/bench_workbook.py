"""Memory and time of one large flags.xlsx (the export twin of flags.csv) written from a synthetic frame.

Usage: python benchmarks/bench_workbook.py [ROWS] [OUT.xlsx]   (default 446,000 rows: a province's flags);
prints the process's peak resident memory before and after the write, the seconds and the file's size.
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tasks.report.twins import FLAGS, write_twin  # noqa: E402


def flags_frame(count: int) -> pl.DataFrame:
    """count flagged households shaped as the flags export's rows (Chinese names, masked IDs, a long reason)."""
    number = pl.int_range(count, eager=True)
    text = {"county_name": "某某县", "township_name": "某某镇", "village_name": "某某村", "head_name_masked": "张*",
            "head_id_masked": "430101********1234", "household_type": "脱贫户", "period": "202010", "band_note": "是",
            "flags_label": "收入低于监测线、收入骤降", "flags": "BELOW_LINE,SUDDEN_DROP",
            "suggested_measure": "产业帮扶、就业帮扶",
            "reasons": "预计全年人均纯收入 3,512.00 元（区间 3,100–3,900 元）低于监测线 6,500 元；较上年同期下降 45%（估算）"}
    return pl.DataFrame({
        "county_code": (430100 + number % 100).cast(pl.String), "township_code": (430100000 + number % 1000).cast(pl.String),
        "village_code": (430100000000 + number % 14000).cast(pl.String),
        "household_id": (4301000000000000 + number).cast(pl.String), "household_size": number % 6 + 1,
        "projected_per_capita": (number % 9000).cast(pl.Float64) + 0.25, "projected_low": number % 8000,
        "projected_high": number % 10000, **{name: [value] * count for name, value in text.items()}})


def main(argv: list[str]) -> int:
    """Write the workbook and print the figures."""
    count = int(argv[0]) if argv else 446_000
    out = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp()) / "flags.xlsx"
    rows = flags_frame(count)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    write_twin(out, "flags", "202010", "监测对象", rows, FLAGS)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{count} rows: {seconds:.1f} s, peak resident {peak:.0f} MB (before the write {before:.0f} MB), "
          f"{out.stat().st_size / 1e6:.1f} MB written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
