#!/bin/sh
# `povmon backtest --settings` naming other projection settings than the runs' (or run from a folder whose
# ./povmon.toml differs) drops and rebuilds every mart: household_status and village_signals are left EMPTY
# until the next nightly; `povmon sample` then fails, and the backtest's figures are those of settings the
# pipeline does not use.
set -e
HERE=$(cd "$(dirname "$0")/.." && pwd)
W=${W:-$(mktemp -d)}
P=/work/main/.venv/bin/python
export PYTHONPATH=$HERE
cd "$W"
$P -m povmon.cli demo --scale small --dir demo --quiet > /dev/null
q() { $P -c "import duckdb,sys; print(duckdb.connect(sys.argv[1], read_only=True).execute(sys.argv[2]).fetchall())" demo/data/povmon.duckdb "$1"; }
echo "before: household_status, village_signals rows:"; q "select (select count(*) from household_status), (select count(*) from village_signals)"
cp demo/povmon.toml trial.toml && printf '\n[projection]\nband_coverage = 0.7\n' >> trial.toml
$P -m povmon.cli backtest --db demo/data/povmon.duckdb --settings trial.toml > /dev/null; echo "backtest rc=$?"
echo "after backtest: household_status, village_signals rows:"; q "select (select count(*) from household_status), (select count(*) from village_signals)"
$P -m povmon.cli sample --seed 1 --db demo/data/povmon.duckdb --out demo/out || echo "sample rc=$?"
