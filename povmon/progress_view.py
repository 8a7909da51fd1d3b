"""How the command line shows a run's steps (core.progress) on stderr: live on a terminal, else a line each."""
from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


class LiveSteps(progress.Reporter):
    """A line per step on the terminal, redrawn as it goes: a bar of files read of all, the counts so far, the
    time elapsed and an estimate of what is left (rich)."""

    def __init__(self, console) -> None:
        """Draw on this rich console."""
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, \
            TimeRemainingColumn

        self.bars = Progress(SpinnerColumn(finished_text="[green]✓"), TextColumn("{task.description:<17}"),
                             BarColumn(bar_width=30), TimeElapsedColumn(), TextColumn("left"),
                             TimeRemainingColumn(), TextColumn("{task.fields[tally]}"),
                             console=console, redirect_stdout=False, redirect_stderr=False)
        self.tasks: dict[int, int] = {}  # id of a step -> its line

    def started(self, step: progress.Step) -> None:
        """A new line for the step, its bar pulsing until it knows how much there is to do."""
        self.tasks[id(step)] = self.bars.add_task(step.name, total=step.total, tally="")

    def advanced(self, step: progress.Step) -> None:
        """Move the step's bar and counts."""
        self.bars.update(self.tasks[id(step)], total=step.total, completed=step.done, tally=step.tally())

    def finished(self, step: progress.Step) -> None:
        """Fill the step's bar, stop its clock, show its counts (or that it failed)."""
        line = self.tasks.pop(id(step))
        tally = f"[red]failed ({step.failed})" if step.failed else step.tally()
        total = step.total if step.total else 1
        self.bars.update(line, total=total, completed=total, tally=tally)
        self.bars.stop_task(line)


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

    live = LiveSteps(Console(file=stream))
    with live.bars, progress.reporting(live):
        yield
