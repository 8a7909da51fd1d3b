"""How the command line shows a run's steps (core.progress) on stderr: live on a terminal, else a line each."""
from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

from core import progress


class StepLines(progress.Reporter):
    """One plain line per finished step, with its counts and seconds: for a file, a pipe, cron's mail."""

    def __init__(self, stream: TextIO) -> None:
        """Write to this stream."""
        self.stream = stream

    def finished(self, step: progress.Step) -> None:
        """The step's line, stamped with the time of day."""
        self.stream.write(f"{time.strftime('%H:%M:%S')} {step.describe()}\n")
        self.stream.flush()


@dataclass
class Line:
    """A step's line on the terminal: what the step's finished runs (batches) did, and the total foreseen."""

    task: int
    foreseen: int | None = None
    done: int = 0
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def shown(self, step: progress.Step, running: bool) -> progress.Step:
        """The line's figures: its finished runs', plus the running step's when running."""
        counts = dict(self.counts)
        for key, value in (step.counts.items() if running else ()):
            counts[key] = counts.get(key, 0) + value
        total = self.total + (step.total or 0 if running else 0)
        known = step.total is not None or self.total or self.foreseen is not None
        return progress.Step(step.name, step.unit, max(total, self.foreseen or 0) if known else None,
                             self.done + (step.done if running else 0), counts)


class LiveSteps(progress.Reporter):
    """A line per step on the terminal, redrawn as it goes: a bar of files read of all, the counts so far, the
    time elapsed and an estimate of what is left (rich). A step run once per batch keeps one line, summed."""

    def __init__(self, console) -> None:
        """Draw on this rich console."""
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, \
            TimeRemainingColumn

        self.bars = Progress(SpinnerColumn(finished_text="[green]✓"), TextColumn("{task.description:<17}"),
                             BarColumn(bar_width=30), TimeElapsedColumn(), TextColumn("left"),
                             TimeRemainingColumn(), TextColumn("{task.fields[tally]}"),
                             console=console, redirect_stdout=False, redirect_stderr=False)
        self.lines: dict[str, Line] = {}
        # the seconds before the first step (Prefect's server, the libraries, the store) are shown as they pass
        self.starting: int | None = self.bars.add_task("start", total=None, tally="Prefect, libraries, store")

    def __enter__(self) -> LiveSteps:
        """Start drawing."""
        self.bars.start()
        return self

    def __exit__(self, *exc) -> None:
        """Stop drawing (a start that no step followed, a run that could not begin, is taken away)."""
        if self.starting is not None:
            self.bars.remove_task(self.starting)
        self.bars.stop()

    def foreseen(self, step: progress.Step) -> None:
        """The line of a step to come, with its total, waiting."""
        line = self.line(step, start=False)
        line.foreseen = step.total
        self.bars.update(line.task, total=step.total, tally=line.shown(step, False).tally())

    def started(self, step: progress.Step) -> None:
        """The step's line (a new one, or its earlier runs' line, its clock going again)."""
        if self.starting is not None:
            self.bars.update(self.starting, total=1, completed=1)
            self.bars.stop_task(self.starting)
            self.starting = None
        line = self.line(step, start=True)
        for task in self.bars.tasks:
            if task.id == line.task:
                task.stop_time = None  # elapsed counts on from the step's first run
        self.advanced(step)

    def advanced(self, step: progress.Step) -> None:
        """Move the step's bar and counts."""
        line = self.lines[step.name]
        shown = line.shown(step, True)
        self.bars.update(line.task, total=shown.total, completed=shown.done, tally=shown.tally())

    def finished(self, step: progress.Step) -> None:
        """Add the step's figures to its line (not a failed run's), stop its clock; its bar is full unless more
        of the work foreseen is still to come."""
        line = self.lines[step.name]
        if step.failed:
            self.bars.update(line.task, tally=f"[red]failed ({step.failed})")
        else:
            shown = line.shown(step, True)
            line.done, line.total, line.counts = shown.done, line.total + (step.total or 0), shown.counts
            whole = shown.total if shown.total and shown.done < shown.total else max(shown.done, 1)
            self.bars.update(line.task, total=whole, completed=shown.done if shown.total else whole,
                             tally=shown.tally())
        self.bars.stop_task(line.task)

    def line(self, step: progress.Step, start: bool) -> Line:
        """The step's line, added (and its clock started, when asked) the first time."""
        if step.name not in self.lines:
            self.lines[step.name] = Line(self.bars.add_task(step.name, total=None, start=start, tally=""))
        elif start:
            self.bars.start_task(self.lines[step.name].task)
        return self.lines[step.name]


@contextmanager
def showing_steps(quiet: bool = False, stream: TextIO | None = None) -> Iterator[None]:
    """Show the steps run meanwhile on stderr (live when it is a terminal), or nothing when quiet."""
    if quiet:
        yield
        return
    stream = stream or sys.stderr
    if not stream.isatty():
        with progress.reporting(StepLines(stream)):
            yield
        return
    from rich.console import Console

    with LiveSteps(Console(file=stream)) as live, progress.reporting(live):
        yield
