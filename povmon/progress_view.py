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

    def started(self, step: progress.Step) -> None:
        """A new line for the step, its bar pulsing until it knows how much there is to do."""
        if self.starting is not None:
            self.bars.update(self.starting, total=1, completed=1)
            self.bars.stop_task(self.starting)
            self.starting = None
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

    with LiveSteps(Console(file=stream)) as live, progress.reporting(live):
        yield
