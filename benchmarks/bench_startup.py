"""Start-up of a night: an empty `povmon run` (wall, CPU and where the seconds go) and a night under `povmon serve`
(flow run start to Completed as Prefect records it, and the worker's start of the flow run's process).

A small synthetic city (`povmon demo --no-run`) is bootstrapped without its last month; the empty runs follow on
that store; then `povmon serve` starts on it, at most 20 files of the last month are dropped in its inbox and the
nightly deployment is triggered (as tests/test_serve.py does). --project runs another checkout (e.g. /work/main,
for the figures before a change) with its own .venv.
Usage: python benchmarks/bench_startup.py [--project DIR] [--runs N] [--files N] [--work DIR] [--skip-serve]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.support.prefect_rest import api, wait_until  # noqa: E402

HELD_MONTH, AS_OF, TODAY = "202005", "202004", "2020-05-28"


def when(text: str) -> float:
    """A Prefect timestamp (API or SQLite) as seconds since the epoch."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def child_cpu() -> float:
    """User + system CPU seconds of the waited-for children so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


class Bench:
    """A checkout's povmon on a work folder: its python, its environment."""

    def __init__(self, project: Path, work: Path):
        self.project, self.work = project, work
        self.python = str(project / ".venv" / "bin" / "python")
        self.env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_HOME")}
        self.env |= {"PYTHONPATH": str(project), "POVMON_SETTLE_SECONDS": "0",
                     "POVMON_PREFECT_HOME": str(work / "prefect")}

    def povmon(self, *args: str) -> list[str]:
        """The command line of a povmon command on the work folder's store."""
        return [self.python, "-m", "povmon.cli", *args]

    def store_args(self) -> list[str]:
        """The options naming the work folder's inbox, reference, store and output."""
        w = self.work
        return ["--inbox", str(w / "inbox"), "--reference", str(w / "reference"), "--db", str(w / "povmon.duckdb"),
                "--out", str(w / "out")]

    def prepare(self, files: int) -> list[Path]:
        """Generate the city, hold back its last month (at most `files` of it kept for the night), bootstrap."""
        subprocess.run(self.povmon("demo", "--no-run", "--dir", str(self.work), "--as-of", HELD_MONTH),
                       env=self.env, cwd=self.project, check=True, capture_output=True)
        held = self.work / "held"
        held.mkdir()
        latest = sorted(p for p in (self.work / "inbox").rglob("*") if p.is_file() and p.parent.name == HELD_MONTH)
        for path in latest:
            path.rename(held / path.name)
        subprocess.run(self.povmon("run", *self.store_args(), "--as-of", AS_OF, "--today", TODAY),
                       env=self.env, cwd=self.project, check=True, capture_output=True)
        return sorted(held.iterdir())[:files]

    def empty_run(self, today: str | None = TODAY) -> dict:
        """One `povmon run` with nothing new: wall and CPU seconds, and its split from Prefect's records (today
        None: the run's own today and as-of, as the serve-mode night had them)."""
        cpu, started = child_cpu(), time.time()
        given = ["--as-of", AS_OF, "--today", today] if today else []
        done = subprocess.run(self.povmon("run", *self.store_args(), *given),
                              env=self.env, cwd=self.project, capture_output=True, text=True)
        ended = time.time()
        if done.returncode:
            raise RuntimeError(done.stdout + done.stderr)
        flow = latest_flow_run(self.work / "prefect" / "prefect.db")
        return {"wall": ended - started, "cpu": child_cpu() - cpu, "before_flow": flow["start"] - started,
                "flow": flow["end"] - flow["start"], "after_flow": ended - flow["end"], "steps": flow["steps"],
                "summary": done.stdout.splitlines()[0]}


def latest_flow_run(prefect_db: Path) -> dict:
    """The latest flow run of a Prefect home: start, end and its tasks' seconds."""
    with sqlite3.connect(prefect_db) as con:
        run_id, start, end = con.execute("SELECT id, start_time, end_time FROM flow_run WHERE start_time IS NOT NULL "
                                         "ORDER BY start_time DESC LIMIT 1").fetchone()
        tasks = con.execute("SELECT name, start_time, end_time FROM task_run WHERE flow_run_id = ? AND end_time "
                            "IS NOT NULL ORDER BY start_time", [run_id]).fetchall()
    return {"start": when(start), "end": when(end),
            "steps": {name.rsplit("-", 1)[0]: round(when(e) - when(s), 3) for name, s, e in tasks}}


def serve_night(bench: Bench, night_files: list[Path]) -> dict:
    """`povmon serve` on the store; drop the night's files, trigger the nightly deployment, read Prefect's record."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api"
    w = bench.work
    settings = w / "serve.toml"
    settings.write_text(f'[paths]\ninbox = "{w / "inbox"}"\nreference = "{w / "reference"}"\n'
                        f'db = "{w / "povmon.duckdb"}"\nout = "{w / "out"}"\n', encoding="utf-8")
    log = open(w / "serve.log", "w")
    serve = subprocess.Popen(bench.povmon("serve", "--port", str(port), "--settings", str(settings)), env=bench.env,
                             cwd=bench.project, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deployments = wait_until(lambda: len(found := api(url, "/deployments/filter", {})) == 2 and found, 300,
                               "the deployments", every=0.2)
        wait_until(lambda: api(url, "/work_pools/povmon/workers/filter", {}), 120,
                 "the worker", every=0.2)
        if (bench.project / "povmon" / "warm_start.py").exists():  # a spare process ready for the run
            wait_until(lambda: list((w / "prefect" / "warm").glob("*.sock")), 300, "a warm spare", every=0.2)
        time.sleep(3)  # let the worker settle
        for path in night_files:
            shutil.copy2(path, w / "inbox" / path.name)
        nightly = next(d for d in deployments if d["name"] == "nightly")
        run = api(url, f"/deployments/{nightly['id']}/create_flow_run", {})
        # polled once a second: the times are Prefect's own records, and each poll is work for the server beside
        # the run, which no real night has (city nights: polled every 0.1 s the server used 1.9-2.1 CPU-s during the
        # flow run and the runs took 5.8-8.7 s; every 1 s, 0.85-1.7 CPU-s and 5.3-6.5 s)
        final = wait_until(lambda: (r := api(url, f"/flow_runs/{run['id']}"))["state"]["type"]
                         in ("COMPLETED", "FAILED", "CRASHED") and r, 300, "the flow run", every=1.0)
        states = api(url, f"/flow_run_states/?flow_run_id={run['id']}")
        tasks = api(url, "/task_runs/filter", {"flow_runs": {"id": {"any_": [run["id"]]}}})
        beside = bench.empty_run(today=None)  # serve up on the same Prefect home: the run uses its server
    finally:
        os.killpg(serve.pid, signal.SIGINT)
        try:
            serve.wait(timeout=180)  # serve stops its worker and server first (15 s each, more under load)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
        log.close()
    at = {s["type"]: when(s["timestamp"]) for s in sorted(states, key=lambda s: s["timestamp"])}
    start, end = when(final["start_time"]), when(final["end_time"])
    return {"state": final["state"]["type"], "files": len(night_files), "flow": end - start,
            "process_start": start - at["PENDING"], "polling": at["PENDING"] - when(run["created"]),
            "total": end - at["PENDING"], "empty_run_beside_serve": beside,
            "steps": {t["name"].rsplit("-", 1)[0]: round(t["total_run_time"], 3) for t in
                      sorted(tasks, key=lambda t: t["start_time"] or "")}}


def save_serve_night(night: dict) -> None:
    """Keep the serve-mode night (flow run start to Completed + the worker's process start) as
    benchmarks/data/results-serve.json, the row "typical night in serve mode" of docs/performance.md."""
    data = ROOT / "benchmarks" / "data"
    data.mkdir(parents=True, exist_ok=True)
    kept = {"seconds": night["flow"] + night["process_start"], "files": night["files"], "flow": night["flow"],
            "process_start": night["process_start"], "polling": night["polling"], "state": night["state"],
            "load": os.getloadavg()[0], "measured": datetime.now().isoformat(timespec="seconds")}
    (data / "results-serve.json").write_text(json.dumps(kept, indent=1))


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--runs", type=int, default=3, help="empty runs to time (default 3)")
    parser.add_argument("--files", type=int, default=20, help="new files of the serve-mode night (default 20)")
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one, removed)")
    parser.add_argument("--skip-serve", action="store_true")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_startup_"))
    try:
        bench = Bench(args.project.resolve(), work.resolve())
        print(f"project {bench.project}, work {bench.work}; load average {os.getloadavg()[0]:.1f}", flush=True)
        night = bench.prepare(args.files)
        for number in range(args.runs):
            r = bench.empty_run()
            print(f"empty run {number + 1}: {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU (process tree) = "
                  f"{r['before_flow']:.2f} s to the flow's start (interpreter, Prefect API, imports) + "
                  f"{r['flow']:.2f} s flow + {r['after_flow']:.2f} s to exit", flush=True)
            print("  steps: " + ", ".join(f"{k} {v:.2f}" for k, v in r["steps"].items()), flush=True)
        if args.runs:
            print(f"  summary line: {r['summary']}")
        if not args.skip_serve:
            s = serve_night(bench, night)
            print(f"serve night ({s['files']} new files): {s['state']}; flow run start->Completed {s['flow']:.2f} s "
                  f"+ worker's process start (Pending->Running) {s['process_start']:.2f} s = {s['total']:.2f} s "
                  f"(worker polling, aside: {s['polling']:.2f} s)")
            print("  steps: " + ", ".join(f"{k} {v:.2f}" for k, v in s["steps"].items()))
            if bench.project == ROOT:  # this checkout's figure, for the page `make bench` writes
                save_serve_night(s)
            b = s["empty_run_beside_serve"]
            print(f"empty run beside serve (its server reused): {b['wall']:.2f} s wall, {b['cpu']:.2f} s CPU = "
                  f"{b['before_flow']:.2f} s to the flow's start + {b['flow']:.2f} s flow + {b['after_flow']:.2f} s "
                  f"to exit; {b['summary']}")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
