"""The benchmark's memory cap and its page: a run over the cap is stopped and shown as a goal not met."""
from __future__ import annotations

import sys

import polars as pl
import pytest

from benchmarks.bench_measure import OverMemory, run_process
from benchmarks.bench_report import format_table


def run(seconds: float, peak: float, **extra) -> dict:
    """A measured run as run_all.py saves it."""
    return {"seconds": seconds, "peak_tree_mb": peak, "flow_seconds": seconds - 5, "steps": {},
            "counts": {"as_of": "202010", "files_new": 14912, "rows": 1_400_000}, **extra}


def test_a_measured_process_counts_the_cpu_seconds_of_its_tree():
    spin = ("import multiprocessing as m, time\n"
            "def spin():\n    end = time.process_time() + 0.6\n    while time.process_time() < end: pass\n"
            "if __name__ == '__main__':\n    p = m.get_context('fork').Process(target=spin); p.start(); spin(); p.join()")
    measured = run_process([sys.executable, "-c", spin])
    assert measured.cpu_seconds >= 1.1  # its own 0.6 s and its child's, waited for


def test_a_process_over_the_cap_is_stopped_with_its_time_and_peak():
    grow = "import time\nblocks = []\nfor _ in range(100):\n    blocks.append(bytearray(20 * 2**20))\n    time.sleep(0.05)"
    with pytest.raises(OverMemory) as stopped:
        run_process([sys.executable, "-c", grow], cap_mb=150)
    assert 150 < stopped.value.peak_mb < 600 and stopped.value.seconds < 5


def test_the_page_marks_a_stopped_bootstrap_and_measures_the_goals():
    province = {"bootstrap": run(700, 16500, stopped=True)}
    city = {"bootstrap": run(90, 3000), "increment": run(9, 1200), "rerun": run(8, 800, village="430502001001"),
            "night": run(4, 700), "floor": {"files": 1521, "rows": 150000, "floor_seconds": 0.6}}
    table = format_table({"city": city, "province": province})
    assert "| province bootstrap, peak memory (process tree), stopped over the cap | ≤ 4096 MB | 16500.0 MB | NO |" in table
    assert "| province 30-month bootstrap (stopped at the memory cap) | ≤ 900 s | not run | — |" in table
    assert "| city increment, end to end (Prefect start included) | ≤ 10 s | 9.0 s | yes |" in table
    assert "| province | bootstrap: **stopped** over the memory cap | | | 700.0 | — | 16500 |" in table
    assert "typical night: 14912 late returns on the full store" in table
    assert "typical night in serve mode (measured by the start-up work" in table


def test_steps_side_by_side_count_once_in_the_profile():
    from benchmarks.bench_report import step_time

    measured = {"steps": {"publish-exports": 1.5, "render-reports": 2.0, "flag": 1.0},
                "intervals": {"flag": [[0.0, 1.0]], "publish-exports": [[1.2, 2.7]], "render-reports": [[1.2, 3.2]]}}
    assert step_time(measured, ["publish-exports", "render-reports"]) == pytest.approx(2.0)  # overlapping: once
    assert step_time(measured, ["flag", "publish-exports", "render-reports"]) == pytest.approx(3.0)  # a gap between
    summed_only = {"steps": measured["steps"]}  # a run measured before intervals were kept
    assert step_time(summed_only, ["publish-exports", "render-reports"]) == pytest.approx(3.5)


def test_a_step_beside_an_earlier_row_counts_there_and_the_rows_add_up_to_the_wall_time():
    from benchmarks.bench_report import format_profile

    night = {"seconds": 6.0, "flow_seconds": 5.0,
             "steps": {"flag": 1.0, "update-cases-5c8": 1.0, "publish-exports": 1.5, "render-reports": 1.5},
             "intervals": {"flag": [[0.0, 1.0]], "update-cases-5c8": [[1.0, 2.0]], "publish-exports": [[1.5, 3.0]],
                           "render-reports": [[2.0, 3.5]]}}  # the exports began beside the ledger's update
    # a task run's name as Prefect gives it (the step's and three hex digits) counts as the step's
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ")[1].strip(" |")
            for line in format_profile({"city": {"night": night}}).splitlines()[2:] if line.startswith("| ")}
    assert rows["departments + ledger"] == "1.0" and rows["render"] == "1.5" and rows["flow overhead"] == "1.5"
    assert sum(float(v.strip("*")) for k, v in rows.items() if k != "**wall**") == pytest.approx(6.0)


def test_the_serve_mode_goal_is_judged_on_the_city_store_when_measured_there():
    city = {"increment": run(9, 1200), "serve_night": {"files": 10, "flow": 8.5, "process_start": 0.4,
                                                        "seconds": 8.9, "state": "COMPLETED"}}
    small = {"seconds": 2.5, "files": 20}
    table = format_table({"city": city, "serve": small})
    assert "| typical night in serve mode (10 late returns on the city's store) | ≤ 5 s | 8.9 s | NO |" in table
    assert "on a small city's store: benchmarks/bench_startup.py) | ≤ 5 s | 2.5 s | yes |" in table
    assert "| city | typical night in serve mode: the same 10 late returns, flow run + the worker's process start " \
           "(0.4 s) | 10 | | 8.9 | 8.5 | |" in table


def test_a_serve_mode_night_that_did_not_complete_measures_nothing():
    city = {"serve_night": {"files": 10, "flow": 1.2, "process_start": 0.4, "seconds": 1.6, "state": "FAILED"}}
    table = format_table({"city": city})
    assert "| typical night in serve mode (10 late returns on the city's store), flow run FAILED | ≤ 5 s | not run | — |" \
        in table


def test_a_plain_run_with_nothing_new_is_judged_cold_and_beside_serve():
    city = {"serve_night": {"files": 10, "flow": 5.0, "process_start": 0.4, "seconds": 5.4, "state": "COMPLETED",
                            "empty_run_beside_serve": {"wall": 3.6, "before_flow": 1.2, "flow": 2.3, "after_flow": 0.1}}}
    table = format_table({"city": city, "startup": run(4.6, 460)})
    assert "starting its own Prefect server (empty store: benchmarks/bench_startup.py) | ≤ 4 s | 4.6 s | NO |" in table
    assert "beside `povmon serve` (its server reused), on the city's store | ≤ 4 s | 3.6 s | yes |" in table
    assert "| plain `povmon run` with nothing new beside `povmon serve` (its server reused), on the city's store " \
           "| ≤ 4 s | not run | — |" in format_table({"city": {}})


def test_the_empty_runs_reference_list_is_one_the_pipeline_accepts(tmp_path):
    """`make bench` starts with a run on an empty inbox; a reference list naming no village is refused (exit 1),
    which stopped the whole benchmark before its first figure."""
    from benchmarks.run_all import EMPTY_RUN_UNITS
    from tasks.ingest.reference import read_admin_units

    (tmp_path / "admin_units.csv").write_text(EMPTY_RUN_UNITS, encoding="utf-8")
    assert read_admin_units(tmp_path).filter(pl.col("level") == "village").height == 1


def test_the_host_probe_times_each_workload_and_a_slower_workload_takes_longer(monkeypatch):
    from benchmarks import bench_host

    probe = bench_host.host_probe()
    assert {"python_loop_s", "duckdb_s", "polars_s", "memory_s", "taken"} <= probe.keys()
    assert all(probe[name] > 0 for name in bench_host.WORKLOADS) and len(bench_host.WORKLOADS) == 4
    quick = bench_host.fastest(bench_host.python_loop, repeats=1)
    monkeypatch.setattr(bench_host, "LOOP_STEPS", bench_host.LOOP_STEPS * 4)
    assert bench_host.fastest(bench_host.python_loop, repeats=1) > quick


def test_the_page_shows_each_scale_s_host_speed_or_that_it_was_not_probed():
    from benchmarks.bench_report import host_line

    probe = {"python_loop_s": 0.474, "duckdb_s": 0.362, "polars_s": 0.208, "memory_s": 0.9, "taken": "2026-12-07 19:18"}
    line = host_line({"scale": "city", "host": {"before": probe}, "increment": run(12.0, 1200, cpu_seconds=18.6)})
    assert "host speed for the city runs" in line
    assert "before 0.47 / 0.36 / 0.21 / 0.90 s (2026-12-07 19:18 UTC), after not probed" in line
    assert "CPU seconds of the runs' process trees: increment 18.6 (1.55 cores)" in line
    assert "before not probed, after not probed." in host_line({"scale": "province", "increment": run(70, 3000)})
