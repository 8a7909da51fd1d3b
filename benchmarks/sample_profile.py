"""A sampling profile of one povmon command: every thread's stack every 0.1 s, attributed to our own code.

python benchmarks/sample_profile.py rerun --village 430102001002 --inbox ... --db ...   (any povmon arguments)
prints, at the end, the lines of core/ flows/ tasks/ povmon/ where the samples fell (innermost own frame) and the
process's memory at each step's end; no change to the run itself. SAMPLE_INTERVAL=0.02 samples more often."""
from __future__ import annotations

import collections
import os
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
OWN = tuple(str(ROOT / part) + os.sep for part in ("core", "flows", "tasks", "povmon"))
INTERVAL = float(os.environ.get("SAMPLE_INTERVAL", "0.1"))


DB_MODULE = str(ROOT / "core" / "db.py")


def own_frame(frame) -> str | None:
    """The innermost frame of our own code in a stack, as `path:line function`; a statement of sql/ run through
    core/db.py is named with its caller: `caller [sql name]`."""
    statement = ""
    while frame is not None:
        path = frame.f_code.co_filename
        if path == DB_MODULE:
            name = frame.f_locals.get("name")
            statement = statement or (f" [{name}]" if isinstance(name, str) else " [inline SQL]")
        elif path.startswith(OWN):
            return f"{os.path.relpath(path, ROOT)}:{frame.f_lineno} {frame.f_code.co_name}{statement}"
        frame = frame.f_back
    return None


def sample(counts: collections.Counter, peaks: dict, stop: threading.Event) -> None:
    """Count each thread's innermost own frame, and the largest resident memory seen at each frame."""
    me = threading.get_ident()
    process = psutil.Process()
    while not stop.wait(INTERVAL):
        rss = process.memory_info().rss
        peaks["(process tree)"] = max(peaks.get("(process tree)", 0), rss + sum(_rss(c) for c in process.children(True)))
        for ident, frame in sys._current_frames().items():
            if ident == me:
                continue
            where = own_frame(frame)
            if where:
                counts[where] += 1
                peaks[where] = max(peaks.get(where, 0), rss)


def _rss(process: psutil.Process) -> int:
    """A process's resident memory, 0 when it is gone."""
    try:
        return process.memory_info().rss
    except psutil.Error:
        return 0


def report(counts: collections.Counter, peaks: dict, started: float) -> None:
    """The 40 lines with the most samples: seconds, share and the process's largest memory there."""
    total = sum(counts.values()) or 1
    out = sys.__stderr__
    print(f"\n--- sampling profile: {time.perf_counter() - started:.1f} s wall, {total} samples, peak of the process "
          f"tree {peaks.get('(process tree)', 0) / 2**30:.2f} GB (the Prefect server and reading workers included) ---",
          file=out)
    for where, n in counts.most_common(40):
        print(f"{n * INTERVAL:7.1f} s {100 * n / total:5.1f} %  {peaks[where] / 2**30:5.2f} GB  {where}", file=out)


def main() -> None:
    """Run povmon's command line under the sampler."""
    counts, peaks, stop = collections.Counter(), {}, threading.Event()
    started = time.perf_counter()
    threading.Thread(target=sample, args=(counts, peaks, stop), daemon=True).start()
    from povmon import cli, fast_exit
    try:
        code = cli.main(sys.argv[1:])
    finally:
        stop.set()
        report(counts, peaks, started)
    fast_exit.end_process(code)


if __name__ == "__main__":
    main()
