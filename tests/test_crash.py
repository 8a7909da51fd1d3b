"""Crash safety: a run killed with SIGKILL at several points leaves each batch wholly in or out."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from tasks.ingest.batch_plan import NO_PERIOD, village_month

pytestmark = pytest.mark.slow


POVMON = ("-m", "povmon.cli")
KILLED_AT_LOAD = ("-c", "import os, signal, sys\nfrom tasks.ingest import load\n"  # SIGKILL once a batch is logged
                  "load.load_batch = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)\n"
                  "from povmon.cli import main\nsys.exit(main(sys.argv[1:]))\n")


def start_run(city: Path, work: Path, settings: Path | None = None, program: tuple[str, ...] = POVMON) -> subprocess.Popen:
    """`povmon run` over the city into work/ (with a settings file, if given), as a separate process (program:
    KILLED_AT_LOAD for one killed between its first batch's delivery log and that batch's commit)."""
    env = os.environ | {"POVMON_PREFECT_HOME": str(work.parent / "prefect"), "POVMON_SETTLE_SECONDS": "0"}
    env |= {"POVMON_SETTINGS": str(settings)} if settings else {}
    return subprocess.Popen([sys.executable, *program, "run", "--inbox", str(city / "inbox"),
                             "--reference", str(city / "reference"), "--db", str(work / "db.duckdb"),
                             "--out", str(work / "out")], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def size(path: Path) -> int:
    """A file's size, 0 when absent (a checkpoint may remove the write-ahead log between two looks)."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


KILL_POINTS = {  # name -> (condition on the database file and its write-ahead log, the first run's possible ends)
    "while starting or reading files": (lambda db, wal: size(wal) > 0, {(), ("interrupted",)}),
    "mid-load": (lambda db, wal: size(wal) > 1_000_000, {("interrupted",)}),
    "during checkpoint or exports": (lambda db, wal: size(db) > 1_000_000, {("interrupted",), ("completed",)}),
}


def kill_when(run: subprocess.Popen, db: Path, condition) -> bool:
    """SIGKILL the run as soon as the condition holds; True if it was still running then."""
    wal = Path(str(db) + ".wal")
    deadline = time.monotonic() + 240
    while run.poll() is None and time.monotonic() < deadline:
        if condition(db, wal):
            run.send_signal(signal.SIGKILL)
            run.wait()
            return True
        time.sleep(0.003)
    run.wait()
    return False


def fingerprint(db: Path) -> dict:
    """What a complete run leaves: row counts per file, problems, and the accounting check."""
    with duckdb.connect(str(db), read_only=True) as con:
        def q(sql):
            return con.execute(sql).fetchall()
        return {
            "files": q("SELECT file_name, sha256, status, rows_read, rows_skipped, rows_used, rows_quarantined "
                       "FROM source_files ORDER BY file_name, sha256"),
            "rows": q("SELECT count(*), count(DISTINCT (file_id, source_row)) FROM return_rows"),
            "rows_by_file": q("SELECT f.file_name, count(*) FROM return_rows r JOIN source_files f USING (file_id) "
                              "GROUP BY 1 ORDER BY 1"),
            "problems": q("SELECT count(*) FROM problems"),
            "unbalanced": q("SELECT count(*) FROM source_files WHERE status = 'loaded' "
                            "AND rows_read <> rows_used + rows_quarantined + rows_skipped"),
        }


@pytest.fixture(scope="module")
def reference(small_city, tmp_path_factory) -> Path:
    """The work folder of an uninterrupted run over the small city."""
    work = tmp_path_factory.mktemp("reference-run")
    assert start_run(small_city, work).wait() == 0
    return work


def test_killed_runs_leave_batches_whole(small_city, reference, tmp_path):
    expected = fingerprint(reference / "db.duckdb")
    expected_problems = (reference / "out" / "exports" / "problems.csv").read_bytes()
    assert expected["rows"][0][0] == expected["rows"][0][1] > 0 and expected["unbalanced"] == [(0,)]
    for name, (condition, first_ends) in KILL_POINTS.items():
        work = tmp_path / name.replace(" ", "-")
        assert kill_when(start_run(small_city, work), work / "db.duckdb", condition), f"run ended before {name}"
        finished = start_run(small_city, work)
        assert finished.wait() == 0, finished.stderr.read().decode()
        assert fingerprint(work / "db.duckdb") == expected, name
        assert (work / "out" / "exports" / "problems.csv").read_bytes() == expected_problems, name
        with duckdb.connect(str(work / "db.duckdb"), read_only=True) as con:
            statuses = con.execute("SELECT status FROM runs ORDER BY run_id").fetchall()
        assert statuses[-1] == ("completed",) and tuple(s for (s,) in statuses[:-1]) in first_ends, name


def logged_months(db: Path, wal: Path) -> set[str]:
    """The months of the village returns the run's delivery log holds so far (a batch logs its deliveries just
    before it commits, and the next batch's only after that)."""
    log = db.parent / "raw" / "deliveries.jsonl"
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines() if log.exists() else []
    return {record["file_name"][13:19] for record in map(_record, lines) if record}


def _record(line: str) -> dict | None:
    """One delivery of the delivery log, None for a line cut short or a marker ({"committed": N}, {"void_after": N})."""
    try:
        found = json.loads(line)
    except ValueError:
        return None
    return found if "delivery_id" in found else None


def ids_and_exports(work: Path) -> tuple[list, dict[str, bytes]]:
    """The file ids a run gave its files, and every export it wrote."""
    with duckdb.connect(str(work / "db.duckdb"), read_only=True) as con:
        ids = con.execute("SELECT file_id, file_name, sha256 FROM source_files ORDER BY file_id").fetchall()
    return ids, {p.name: p.read_bytes() for p in sorted((work / "out" / "exports").glob("*.csv"))}


def first_month_batches(city: Path, folder: Path) -> Path:
    """A settings file whose byte budget is the first month's returns: that month is the first batch alone (small
    months share a batch, the small city's would all be one)."""
    months = [village_month(p.name)[0] for p in (city / "inbox").rglob("*") if p.is_file()]
    first = min(m for m in months if m != NO_PERIOD)
    budget = sum(p.stat().st_size for p in (city / "inbox").rglob("*")
                 if p.is_file() and village_month(p.name)[0] == first)
    settings = folder / "first-month.toml"
    settings.write_text(f"[ingest]\nbatch_bytes = {budget}\n", encoding="utf-8")
    return settings


def test_a_bootstrap_killed_after_its_first_batch_resumes_where_it_stopped(small_city, reference, tmp_path):
    work = tmp_path / "killed"
    settings = first_month_batches(small_city, tmp_path)
    assert kill_when(start_run(small_city, work, settings), work / "db.duckdb",
                     lambda db, wal: len(logged_months(db, wal)) > 1)
    with duckdb.connect(str(work / "db.duckdb"), read_only=True) as con:
        kept = con.execute("SELECT DISTINCT period FROM source_files").fetchall()
        assert con.execute("SELECT status FROM runs").fetchall() == [("running",)]
    assert kept == [("201710",)]  # the first month committed, the second was cut off before its commit
    finished = start_run(small_city, work, settings)
    assert finished.wait() == 0, finished.stderr.read().decode()
    assert fingerprint(work / "db.duckdb") == fingerprint(reference / "db.duckdb")  # the reference: one batch
    assert ids_and_exports(work) == ids_and_exports(reference)


def test_ctrl_c_on_a_terminal_stops_the_run_at_once_and_leaves_no_process(small_city, tmp_path):
    """A terminal's Ctrl-C is SIGINT to the whole foreground group: the run, its reading workers and Prefect's
    server. The run says `povmon: interrupted` (130) within seconds and every process of it is gone; once the
    server died with the group and the run hung minutes on a dead API, and an interrupted worker hung the pool."""
    import psutil

    work = tmp_path / "work"
    work.mkdir()
    env = os.environ | {"POVMON_PREFECT_HOME": str(tmp_path / "prefect"), "POVMON_SETTLE_SECONDS": "0"}
    run = subprocess.Popen([sys.executable, "-m", "povmon.cli", "run", "--inbox", str(small_city / "inbox"),
                            "--reference", str(small_city / "reference"), "--db", str(work / "db.duckdb"),
                            "--out", str(work / "out")], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           start_new_session=True, text=True)
    for line in run.stderr:  # a line per step: the files are being read once discover has said its counts
        if " discover: " in line:
            break
    time.sleep(1.0)
    family = psutil.Process(run.pid).children(recursive=True)
    assert family, "the server and the reading workers run beside the run"
    os.killpg(run.pid, signal.SIGINT)
    started = time.monotonic()
    rest = run.communicate(timeout=90)[1]
    assert run.returncode == 130 and "povmon: interrupted" in rest
    assert time.monotonic() - started < 60
    _, alive = psutil.wait_procs(family, timeout=15)
    assert alive == []


def test_ctrl_c_inside_a_duckdb_query_is_an_interruption_not_a_failure():
    """DuckDB turns Ctrl-C during a query into its own InterruptException (a DatabaseError), which a step may wrap:
    the run said `povmon: run failed` and exited 1, not `interrupted` and 130."""
    from core.interrupts import interrupted
    from flows.run_log import failed_status

    con = duckdb.connect()
    timer = threading.Timer(0.3, con.interrupt)
    timer.start()
    try:
        with pytest.raises(RuntimeError) as wrapped:
            try:
                con.execute("SELECT count(*) FROM range(100000000000) a, range(10) b").fetchall()
            except duckdb.Error as err:
                raise RuntimeError("a step failed") from err
    finally:
        timer.cancel()
    assert interrupted(wrapped.value)
    assert not interrupted(RuntimeError("a step failed"))
    # and the runs table says so: it said 'failed', as for a run that broke
    assert (failed_status(wrapped.value), failed_status(RuntimeError("a step failed"))) == ("interrupted", "failed")
    with pytest.raises(duckdb.Error) as other:
        con.execute("SELECT * FROM no_such_table")
    assert not interrupted(other.value)


SIGINT_INSIDE_A_QUERY = """
import os, signal, threading, time, duckdb
from core.interrupts import interrupted
signal.signal(signal.SIGINT, signal.default_int_handler)  # as on a terminal
def ring(started):
    while time.process_time() - started < 1.0:  # DuckDB's threads busy with the query: not before it runs
        time.sleep(0.05)
    for _ in range(20):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1.0)
    os._exit(3)  # DuckDB missed every SIGINT (it does, now and then): not what is tested here
threading.Thread(target=ring, args=(time.process_time(),), daemon=True).start()
try:
    con = duckdb.connect()
    con.execute('SET enable_progress_bar = false')  # DuckDB draws it on stdout once a query runs 2 s (a busy machine)
    con.execute('SELECT count(*) FROM range(100000000000) a, range(10) b').fetchall()
except Exception as err:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        raise RuntimeError('a step failed') from err
    except RuntimeError as wrapped:
        print(type(err).__name__, interrupted(wrapped), flush=True)
        os._exit(0)
"""


def test_a_terminals_ctrl_c_inside_a_duckdb_query_is_an_interruption_not_a_failure():
    """SIGINT itself (not con.interrupt(), which the test above uses) during a query: DuckDB 2.0 raises a plain
    RuntimeError('Query interrupted'), so a run stopped by Ctrl-C in any step busy in DuckDB (the flags, the marts,
    the ledger) said `povmon: run failed: RuntimeError: Query interrupted` and exited 1, not interrupted and 130."""
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", SIGINT_INSIDE_A_QUERY], capture_output=True, text=True,
                              timeout=120)
        if done.returncode != 3:
            break
    assert done.stdout.split() == ["RuntimeError", "True"], (done.returncode, done.stdout, done.stderr[-2000:])
