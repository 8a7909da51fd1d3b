"""The case ledger's section of docs/performance.md (issue 13), from benchmarks/data/results-ledger.json."""
from __future__ import annotations

TARGETS = (("increment", "the ledger's share of a nightly increment (update + cases.csv)", 2.0),
           ("export", "`povmon cases export` of every county (judge + workbooks + cases.csv)", 10.0),
           ("import", "`povmon cases import` of one county workbook", 5.0))


def format_ledger(results: dict) -> str:
    """The ledger's targets with wall-clock and CPU seconds and the load average they were taken under ('' when
    the ledger was not measured)."""
    ledger = results.get("ledger")
    if not ledger:
        return ""
    lines = ["## Case ledger (issue 13)", "",
             f"`python benchmarks/bench_cases.py` (run by `make bench`; alone: `python benchmarks/run_all.py "
             f"--ledger-only`): {ledger['households']:,} households in 10 counties, {ledger['flagged']:.0%} flagged "
             f"below the line with {ledger['churn']:.0%} flipping each month, generated straight into a store; "
             f"{ledger['cases']:,} cases, {ledger['workbook_rows']:,} of them waiting in {ledger['workbooks']} "
             f"county workbooks; the import applies {ledger['import_rows']:,} decision rows. One process: wall "
             "and CPU seconds (every thread, and the forked processes that write the workbooks); the load average "
             "is the machine's as the step ended (on a shared machine the wall clock mostly waits for a core).", "",
             "| step | limit | wall s | CPU s | load average | met (wall) |", "|---|---|---:|---:|---:|---|"]
    for key, label, limit in TARGETS:
        step = ledger[key]
        lines.append(f"| {label} | < {limit:.0f} s | {step['seconds']:.1f} | {step['cpu_seconds']:.1f} | "
                     f"{step['load']:.1f} | {'yes' if step['seconds'] < limit else 'NO'} |")
    flow = results.get("city", {}).get("increment", {}).get("steps", {}).get("update-cases")
    if flow is not None:
        lines += ["", f"In the city increment above (the whole pipeline), the flow's `update-cases` task took "
                      f"{flow:.1f} s."]
    return "\n".join(lines) + "\n"
