#!/bin/sh
# `povmon backtest --help` lists the CSV columns without `coverage`, which `--format csv` prints (and the README names).
HERE=$(cd "$(dirname "$0")/.." && pwd)
PYTHONPATH=$HERE /work/main/.venv/bin/python -m povmon.cli backtest --help | tr -d ' \n' | grep -o 'csv(income_year[^)]*)'
