"""Progress of a run's steps: a plain line per step on stderr when it is not a terminal, nothing with --quiet, rich's
live lines on a terminal, and the same lines in the flow run's Prefect logs; the summary on stdout unchanged."""
from __future__ import annotations

import io
import os
import pty
import re
import subprocess
from pathlib import Path

import pytest

from core import progress
from povmon.arguments import build_parser
from povmon.progress_view import LiveSteps, StepLines, showing_steps
from tests.support.processes import POVMON
from tests.support.returns import csv_bytes, household, make_city

STEPS = ["discover", "read", "load", "check-history", "departments", "project", "flag", "department-checks",
         "cases", "exports", "pages"]
SIDE_BY_SIDE = {"exports", "pages"}  # written at once (flows/publish.py): either may finish first
STEP_LINE = re.compile(r"^\d\d:\d\d:\d\d (?P<step>[a-z-]+): (?P<tally>.+) in (?P<seconds>\d+\.\d) s$")
SUMMARY = re.compile(r"^run \d+ completed in [\d.]+ s: as-of 202003, 3 new files \(2 loaded, 1 rejected\), 6 rows$",
                     re.MULTILINE)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Recorder(progress.Reporter):
    """Keeps what it is told, as (event, step name, tally)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, str]] = []

    def started(self, step):
        self.events.append(("started", step.name, step.tally()))

    def advanced(self, step):
        self.events.append(("advanced", step.name, step.tally()))

    def finished(self, step):
        self.events.append(("finished", step.name, step.failed or step.tally()))


class Broken(progress.Reporter):
    """A reporter that fails at every event."""

    def started(self, step):
        raise OSError("stderr closed")


def test_steps_report_their_advance_and_counts_to_every_reporter_installed():
    @progress.reported("load", lambda rows: {"loaded": rows})
    def load() -> int:
        progress.expect(2)
        progress.advance(1, rows=3)
        progress.advance(1, rows=4)
        return 7

    progress.advance(5)  # no step under way: nothing to tell
    assert list(progress.counted([1, 2, 3])) == [1, 2, 3]
    with progress.reporting(Recorder()) as recorder, progress.reporting(Broken()):
        assert load() == 7
    assert recorder.events == [("started", "load", ""), ("advanced", "load", "0 of 2 files"),
                               ("advanced", "load", "1 of 2 files, 3 rows"), ("advanced", "load", "2 of 2 files, 7 rows"),
                               ("finished", "load", "2 of 2 files, 7 rows, 7 loaded")]
    load()  # no reporter any more
    assert len(recorder.events) == 5


def test_steps_run_side_by_side_each_count_their_own_thread_s_work():
    import threading

    other_started, pages_started = threading.Event(), threading.Event()

    def exports() -> None:
        with progress.step("exports"):
            other_started.set()
            pages_started.wait(10)
            progress.expect(2)  # after pages started in the main thread: still the exports' work
            progress.advance(2)

    with progress.reporting(Recorder()) as recorder:
        helper = threading.Thread(target=exports)
        helper.start()
        other_started.wait(10)
        with progress.step("pages"):
            pages_started.set()
            list(progress.counted([1, 2, 3], "county pages", every=1))  # started last, by this thread
            helper.join(10)
    finished = {name: tally for event, name, tally in recorder.events if event == "finished"}
    assert finished == {"exports": "2 of 2 files", "pages": "3 of 3 county pages"}, recorder.events


def test_counts_that_cannot_be_taken_are_left_out_and_the_result_stands():
    stream = io.StringIO()
    with progress.reporting(StepLines(stream)):
        assert progress.reported("load", lambda rows: {"rows": rows.rows_loaded})(lambda: 6)() == 6
    assert re.fullmatch(r"\d\d:\d\d:\d\d load: done in \d+\.\d s\n", stream.getvalue())


def test_a_failed_step_is_reported_failed_and_the_error_goes_on():
    stream = io.StringIO()
    with progress.reporting(StepLines(stream)), pytest.raises(KeyError):
        with progress.step("flag"):
            raise KeyError("x")
    assert re.fullmatch(r"\d\d:\d\d:\d\d flag: failed \(KeyError\) after \d+\.\d s\n", stream.getvalue())


def test_quiet_is_an_option_of_the_commands_that_run_the_flow():
    for command in (["run"], ["rerun", "--county", "430521"], ["demo"]):
        assert build_parser().parse_args([*command, "--quiet"]).quiet
        assert not build_parser().parse_args(command).quiet
    stream = io.StringIO()
    with showing_steps(quiet=True, stream=stream), progress.step("read"):
        pass
    assert stream.getvalue() == ""


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    """Two villages' returns of 3 households and a file whose name has no valid month (rejected)."""
    root = tmp_path_factory.mktemp("progress-city")
    inbox, _ = make_city(root)
    returns = {f"{village}_202003.csv": [household(village, n) for n in (1, 2, 3)]
               for village in ("430521001001", "430521001002")}
    for name, rows in (returns | {"430521001001_202013.csv": [household("430521001001", 1)]}).items():
        (inbox / name).write_bytes(csv_bytes(rows))
    return root


def api_environment() -> dict[str, str]:
    """The environment of a povmon process that runs its flow against the test harness's Prefect API."""
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "COLUMNS": "150", "LINES": "40"}


def povmon_command(city: Path, store: str, *options: str) -> list[str]:
    """A povmon command line over the city into its own store and output folder (a folder each: the raw store
    beside a store is that store's alone)."""
    return [*POVMON, *options, "--inbox", str(city / "inbox"), "--reference", str(city / "reference"),
            "--db", str(city / store / "db.duckdb"), "--out", str(city / f"out-{store}")]


def flow_run_ids() -> set:
    """Ids of every flow run the API knows."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return {run.id for run in client.read_flow_runs(limit=200)}


def flow_run_messages(run_id) -> list[str]:
    """The log messages of a flow run, in order."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    with get_client(sync_client=True) as client:
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])), limit=200)
    return [log.message for log in sorted(logs, key=lambda log: log.timestamp)]


def summed(tallies: list[str]) -> str:
    """A step's tallies added up, number by number (a step run once per batch writes a line per batch)."""
    shapes = {re.sub(r"\d+", "#", t) for t in tallies}
    assert len(shapes) == 1, tallies
    totals = [sum(col) for col in zip(*([int(n) for n in re.findall(r"\d+", t)] for t in tallies))]
    numbers = iter(totals)
    return re.sub(r"#", lambda _: str(next(numbers)), shapes.pop())


def first_seen(names: list[str]) -> list[str]:
    """The names in the order they first appear (a step run per batch is listed once)."""
    return list(dict.fromkeys(names))


def in_order(seen: list[str]) -> bool:
    """Whether the steps came in the run's order (the last two, run side by side, in either order)."""
    return seen[:-2] == STEPS[:-2] and set(seen[-2:]) == SIDE_BY_SIDE


@pytest.mark.slow  # a povmon process
def test_redirected_run_writes_a_line_per_step_and_the_flow_run_logs_the_same(city, prefect_harness):
    before = flow_run_ids()
    done = subprocess.run(povmon_command(city, "plain", "run"), env=api_environment(), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert SUMMARY.search(done.stdout) and "read:" not in done.stdout, "progress goes to stderr, the summary stays"
    lines = [STEP_LINE.match(line) for line in done.stderr.splitlines()]
    steps = [line for line in lines if line]
    assert in_order(first_seen([s["step"] for s in steps])), done.stderr
    tally = {name: summed([s["tally"] for s in steps if s["step"] == name]) for name in STEPS}
    assert tally["read"] == "3 of 3 files, 6 rows, 2 loaded, 1 rejected"  # over the run's batches (by month)
    assert tally["load"] == "6 rows"
    assert tally["discover"] == "3 of 3 paths, 3 returns to read, 0 department files to read, 0 still arriving"
    (flow_run,) = flow_run_ids() - before
    logged = [m.removeprefix("step ") for m in flow_run_messages(flow_run) if m.startswith("step ")]
    assert in_order(first_seen([m.split(":")[0] for m in logged])), logged
    read = [re.fullmatch(r"read: (.+) in \d+\.\d s", m) for m in logged if m.startswith("read:")]
    assert summed([m.group(1) for m in read]) == "3 of 3 files, 6 rows, 2 loaded, 1 rejected", logged


@pytest.mark.slow  # a povmon process
def test_quiet_rerun_shows_no_step(city, prefect_harness):
    done = subprocess.run(povmon_command(city, "plain", "rerun", "--county", "430521", "--quiet"),
                          env=api_environment(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert re.search(r"^run \d+ \(county=430521, 2 files re-read\) completed in", done.stdout, re.MULTILINE)
    assert not [line for line in done.stderr.splitlines() if STEP_LINE.match(line)], done.stderr
    assert "read" not in done.stderr


@pytest.mark.slow  # a povmon process
def test_a_run_on_a_terminal_shows_rich_live_steps(city, prefect_harness):
    leader, follower = pty.openpty()
    with subprocess.Popen(povmon_command(city, "terminal", "run"), env=api_environment(), stdin=follower,
                          stdout=follower, stderr=follower) as process:
        os.close(follower)
        shown = bytearray()
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process has ended
                break
            if not data:
                break
            shown += data
        assert process.wait(timeout=300) == 0, shown.decode("utf-8", "replace")
    os.close(leader)
    text = shown.decode("utf-8")
    plain = ANSI.sub("", text)
    assert "\x1b[?25l" in text, "a live display hides the cursor while it redraws"
    assert re.search(r"read +━+ .*3 of 3 files, 6 rows", plain), plain
    assert all(name in plain for name in ["start", *STEPS])
    assert not [line for line in plain.splitlines() if STEP_LINE.match(line.strip())], "no plain lines on a terminal"
    assert SUMMARY.search(plain.replace("\r\n", "\n"))


def test_counted_items_advance_the_step_in_blocks_and_by_the_rest():
    with progress.reporting(Recorder()) as recorder, progress.step("discover"):
        assert list(progress.counted(list(range(7)), "paths", every=3)) == list(range(7))
    assert [tally for event, _, tally in recorder.events if event == "advanced"] == [
        "0 of 7 paths", "3 of 7 paths", "6 of 7 paths", "7 of 7 paths"]


def test_a_step_run_once_per_batch_keeps_one_live_line_summed_toward_the_total_foreseen():
    from rich.console import Console

    shown = io.StringIO()
    with LiveSteps(Console(file=shown, force_terminal=True, width=150)) as live, progress.reporting(live):
        progress.foresee("read", 5)
        for files, rows in ((2, 4), (3, 5)):
            with progress.step("read"):
                progress.expect(files)
                progress.advance(files, rows=rows)
            if files == 2:
                (line,) = [t for t in live.bars.tasks if t.description == "read"]
                assert (line.completed, line.total, line.fields["tally"]) == (2, 5, "2 of 5 files, 4 rows")
                assert not line.finished, "three files of the five foreseen are still to come"
            with progress.step("load"):
                pass
    read = [t for t in live.bars.tasks if t.description == "read"]
    assert [(t.completed, t.total, t.fields["tally"]) for t in read] == [(5, 5, "5 of 5 files, 9 rows")]
    assert [t.description for t in live.bars.tasks] == ["start", "read", "load"]
    assert "5 of 5 files, 9 rows" in ANSI.sub("", shown.getvalue())
