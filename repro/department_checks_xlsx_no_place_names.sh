#!/bin/sh
# interface.md: each CSV export's .xlsx twin has "township and village names beside their codes".
# department_checks.xlsx has the codes only (flags/problems/village_signals.xlsx have the names).
set -e
HERE=$(cd "$(dirname "$0")/.." && pwd)
W=${W:-$(mktemp -d)}
P=/work/main/.venv/bin/python
export PYTHONPATH=$HERE
cd "$W"
[ -d demo ] || $P -m povmon.cli demo --scale small --dir demo --quiet > /dev/null
$P - <<'PY'
import openpyxl
for name in ("flags", "department_checks"):
    sheet = openpyxl.load_workbook(f"demo/out/exports/{name}.xlsx", read_only=True).worksheets[0]
    header = next(sheet.iter_rows(values_only=True))
    print(f"{name}.xlsx:", header[:7], "names beside codes:", "乡镇" in header and "村" in header)
PY
