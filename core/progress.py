"""Progress of a run's steps: the steps report to whatever reporters the caller installed (none by default).

A step says when it starts, how far it is (files done of all, rows, ...) and what it did when it finishes; the
command line shows that on a terminal or as one plain line per step, the flow writes it to its run's logs.
State is module-wide, not per context: Prefect may run a task in a copy of the caller's context."""
from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Step:
    """One step of a run as it goes: its name, units done of the total expected (if known), counts, seconds."""

    name: str
    unit: str = "files"
    total: int | None = None
    done: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    seconds: float | None = None  # once finished
    failed: str | None = None  # the exception's type name, when the step failed
    thread: int = field(default_factory=threading.get_ident)  # the thread that runs it (steps may run side by side)

    def elapsed(self) -> float:
        """Seconds since the step started (its duration once finished)."""
        return self.seconds if self.seconds is not None else time.perf_counter() - self.started

    def tally(self) -> str:
        """What the step has done so far: `12 of 12 files, 1200 rows` (empty when nothing is counted)."""
        parts = [f"{self.done} of {self.total} {self.unit}"] if self.total is not None else []
        return ", ".join(parts + [f"{value} {key}" for key, value in self.counts.items()])

    def describe(self) -> str:
        """The step in one line: `read: 12 of 12 files, 1200 rows in 0.4 s`."""
        if self.failed:
            return f"{self.name}: failed ({self.failed}) after {self.elapsed():.1f} s"
        return f"{self.name}: {self.tally() or 'done'} in {self.elapsed():.1f} s"


class Reporter:
    """Told about each step as it starts, advances and finishes; this one does nothing with it."""

    def foreseen(self, step: Step) -> None:
        """A step will come, with this much work in all (step.total), however many times it runs (a batch each)."""

    def started(self, step: Step) -> None:
        """A step began."""

    def advanced(self, step: Step) -> None:
        """A step did more of its work (step.done, step.counts)."""

    def finished(self, step: Step) -> None:
        """A step ended (step.failed says whether it failed)."""


_reporters: list[Reporter] = []
_current: list[Step] = []
_lock = threading.Lock()


@contextmanager
def reporting(reporter: Reporter) -> Iterator[Reporter]:
    """Tell this reporter (besides those already installed) about the steps run meanwhile."""
    _reporters.append(reporter)
    try:
        yield reporter
    finally:
        _reporters.remove(reporter)


def _tell(event: str, step: Step) -> None:
    """Pass an event to every reporter; a reporter's failure never fails the run."""
    for reporter in list(_reporters):
        try:
            getattr(reporter, event)(step)
        except Exception:  # noqa: BLE001 - progress is a courtesy, the run's work is not
            pass


@contextmanager
def step(name: str, unit: str = "files", total: int | None = None) -> Iterator[Step]:
    """Report a step from start to finish; the body may set counts on the step it is given."""
    current = Step(name, unit, total)
    _current.append(current)
    _tell("started", current)
    try:
        yield current
    except BaseException as err:
        current.failed = type(err).__name__
        raise
    finally:
        _current.remove(current)
        current.seconds = time.perf_counter() - current.started
        _tell("finished", current)


def foresee(name: str, total: int, unit: str = "files") -> None:
    """A step to come will do this many units in all, in one run of it or over several (one per batch)."""
    _tell("foreseen", Step(name, unit, total))


def under_way() -> Step | None:
    """The step this thread runs (the latest it started), else the latest started by any thread (a helper
    thread's work counts toward the step that started it)."""
    mine = [s for s in _current if s.thread == threading.get_ident()]
    return mine[-1] if mine else _current[-1] if _current else None


def expect(total: int, unit: str = "files") -> None:
    """The step under way will do this many units of work (the read step: files to read)."""
    current = under_way()
    if current is not None:
        current.total, current.unit = total, unit
        _tell("advanced", current)


def advance(done: int = 1, **counts: int) -> None:
    """The step under way did `done` more units, and these counts more (rows=...)."""
    with _lock:
        current = under_way()
        if current is None:
            return
        current.done += done
        for key, value in counts.items():
            current.counts[key] = current.counts.get(key, 0) + value
    _tell("advanced", current)


def counted(items: list, unit: str = "files", every: int = 500) -> Iterator:
    """The items one by one, the step under way expecting all of them and advancing by `every` as they are done
    (a call per item would cost more than the work of many)."""
    expect(len(items), unit)
    for index, item in enumerate(items, 1):
        yield item
        if index % every == 0:
            advance(every)
    advance(len(items) % every)


def reported(name: str, counts: Callable[..., dict[str, int]] | None = None, unit: str = "files"):
    """Decorate a step's function: report it as a step named `name`, its counts at the end taken from what it
    returned (counts(result)) in addition to those it advanced by."""
    def decorate(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            with step(name, unit) as current:
                result = function(*args, **kwargs)
                try:
                    current.counts.update(counts(result) if counts else {})
                except Exception:  # noqa: BLE001 - a count that cannot be taken is left out, the result stands
                    pass
                return result
        return run
    return decorate
