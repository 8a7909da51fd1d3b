"""A tiny hand-made city for policy.md boundary checks: one county (430521), one township, two villages.

Usage from a repro script:  from mini import City;  c = City(tmpdir); c.write(village, period, rows); c.run(as_of, today)
rows are dicts with the contract's Chinese headers (missing keys get defaults)."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
PY = "/work/main/.venv/bin/python"
COUNTY, TOWNSHIP = "430521", "430521001"
VILLAGES = ["430521001001", "430521001002"]
HEADERS = ["户编号", "户主姓名", "户主身份证号", "家庭人口数", "劳动力人数", "户类型", "工资性收入", "生产经营性收入",
           "财产性收入", "转移性收入", "生产经营性支出", "上年人均纯收入", "住房安全", "饮水安全",
           "义务教育阶段失学辍学人数", "参加基本医疗保险人数", "风险原因", "填报日期"]
WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def id_number(seq: int) -> str:
    """A valid GB 11643 ID of the county, born 1970-01-01 + seq days-ish."""
    first17 = f"{COUNTY}1970{1 + seq % 12:02d}{1 + seq % 28:02d}{seq % 1000:03d}"
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def row(village: str, seq: int, **cells) -> dict:
    """A household row with defaults (size 1, labour 1, 脱贫户, all amounts 0, safe, insured)."""
    base = {"户编号": f"{village}{seq:04d}", "户主姓名": f"张{seq}", "户主身份证号": id_number(seq),
            "家庭人口数": 1, "劳动力人数": 1, "户类型": "边缘户", "工资性收入": 0, "生产经营性收入": 0,
            "财产性收入": 0, "转移性收入": 0, "生产经营性支出": 0, "上年人均纯收入": "", "住房安全": "是",
            "饮水安全": "是", "义务教育阶段失学辍学人数": 0, "参加基本医疗保险人数": None, "风险原因": "",
            "填报日期": ""}
    base.update(cells)
    if base["参加基本医疗保险人数"] is None:
        base["参加基本医疗保险人数"] = base["家庭人口数"]
    return base


class City:
    def __init__(self, root: str | Path, villages=VILLAGES, settings: str = ""):
        self.root = Path(root)
        for d in ("inbox", "reference", "data", "out"):
            (self.root / d).mkdir(parents=True, exist_ok=True)
        with open(self.root / "reference" / "admin_units.csv", "w", encoding="utf-8") as f:
            f.write("code,name,level,parent_code,management_area\n")
            f.write(f"{COUNTY},测试县,county,,0\n{TOWNSHIP},测试镇,township,{COUNTY},0\n")
            for i, v in enumerate(villages):
                f.write(f"{v},测试{i}村,village,{TOWNSHIP},0\n")
        self.settings = self.root / "povmon.toml"
        self.settings.write_text(settings, encoding="utf-8")

    def write(self, village: str, period: str, rows: list[dict], suffix: str = "", headers=HEADERS) -> Path:
        path = self.root / "inbox" / f"{village}_{period}{suffix}.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(headers)
            for r in rows:
                w.writerow([r.get(h, "") for h in headers])
        old = 1_500_000_000  # older than settle_seconds
        os.utime(path, (old, old))
        return path

    def run(self, as_of: str, today: str = "2020-10-20") -> subprocess.CompletedProcess:
        env = {**os.environ, "PYTHONPATH": str(REPO), "POVMON_SETTLE_SECONDS": "0"}
        cmd = [PY, "-m", "povmon.cli", "run", "--inbox", str(self.root / "inbox"),
               "--reference", str(self.root / "reference"), "--db", str(self.root / "data" / "povmon.duckdb"),
               "--out", str(self.root / "out"), "--as-of", as_of, "--today", today, "--quiet",
               "--settings", str(self.settings)]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=self.root)
        if p.returncode != 0:
            print(p.stdout, p.stderr, file=sys.stderr)
        return p

    def q(self, sql: str):
        con = duckdb.connect(str(self.root / "data" / "povmon.duckdb"), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def export(self, name: str) -> list[dict]:
        with open(self.root / "out" / "exports" / name, encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
