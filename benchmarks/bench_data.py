"""Benchmark data: a synthetic city made with `povmon demo --no-run`, and the inbox states the runs start from.

Under benchmarks/data/<scale>/:
  full/     the city up to the increment month (inbox/, reference/), generated once and reused
  work/     the inbox a run reads (hard links: all months before the increment, then the increment too),
            the store and the outputs
Months up to as_of are byte-identical whatever as_of is, so the city before the increment is the full
city without the increment month's files: those in <county>/<YYYYMM>/ and the resends of that month.
The city is the messy synthetic city (`povmon demo`); the province is its clean bench mode
(benchmarks/bench_generate.py: the same households and calendars, plain UTF-8 CSV, a county at a time).
Ten of the increment month's returns are held back from the increment and delivered the night after it:
the typical night (a few late returns on a full store).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"


@dataclass(frozen=True)
class Setup:
    """What a scale's benchmark generates: the bootstrap month and the increment month after it."""

    scale: str
    bootstrap_as_of: str
    increment_as_of: str
    history: str  # said in the printed table and docs/performance.md
    first: str = ""  # the clean generator's first month; empty = the synthetic city of `povmon demo`


SETUPS = {
    # 201710 is the first month of income year 2018: 30 months = two and a half income years
    "city": Setup("city", "202003", "202004", "30 months (201710-202003), ~4.5 million rows"),
    # 30 months ending with income year 2020, so the increment (202010) is the first month of a new income year
    "province": Setup("province", "202009", "202010", "30 months (201804-202009), ~44 million rows", "201804"),
}
NIGHT_FILES = 10  # returns of the increment month held back for the typical night


def python_env() -> dict[str, str]:
    """The environment for child processes: this checkout on PYTHONPATH, files never treated as arriving."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["POVMON_SETTLE_SECONDS"] = "0"
    env.setdefault("POVMON_PREFECT_HOME", str(DATA / "prefect_home"))
    return env


DEFAULT_SEED = 7


def generate(scale: str, folder: Path, as_of: str, seed: int = DEFAULT_SEED, first: str = "") -> dict:
    """Write a synthetic city with `povmon demo --no-run` (or the clean province from its first month) unless a
    finished one is already there."""
    stamp = folder / "generated.json"
    if stamp.exists():
        made = json.loads(stamp.read_text())
        if made.get("as_of") == as_of and made.get("seed", DEFAULT_SEED) == seed and made.get("first", "") == first:
            return made
    started = time.perf_counter()
    if first:  # niced: 420,000 files on a shared machine
        subprocess.run(["nice", "-n", "10", sys.executable, str(ROOT / "benchmarks" / "bench_generate.py"),
                        str(folder), "--scale", scale, "--first", first, "--last", as_of, "--seed", str(seed)],
                       check=True, env=python_env(), cwd=ROOT)
    else:
        subprocess.run([sys.executable, "-m", "povmon.cli", "demo", "--scale", scale, "--dir", str(folder),
                        "--as-of", as_of, "--seed", str(seed), "--no-run"], check=True, env=python_env(), cwd=ROOT)
    made = {"as_of": as_of, "seed": seed, "first": first, "seconds": round(time.perf_counter() - started, 1),
            "files": count_files(folder / "inbox"), "bytes": folder_bytes(folder / "inbox")}
    stamp.write_text(json.dumps(made))
    return made


def count_files(folder: Path) -> int:
    """Number of files under a folder."""
    return sum(len(names) for _root, _dirs, names in os.walk(folder))


def folder_bytes(folder: Path) -> int:
    """Bytes of the files under a folder."""
    return sum((Path(root) / name).stat().st_size for root, _dirs, names in os.walk(folder) for name in names)


def relative_files(folder: Path) -> list[str]:
    """Every file under a folder as a path relative to it, sorted."""
    return sorted((Path(root) / name).relative_to(folder).as_posix()
                  for root, _dirs, names in os.walk(folder) for name in names)


def is_of_month(rel_path: str, period: str) -> bool:
    """True for a file delivered for the month: in a <county>/<period>/ folder, or a resend of that month."""
    parts = rel_path.split("/")
    return period in parts[:-1] or (parts[-2] in ("resend", "misc") and f"_{period}" in parts[-1])


def fresh_work(scale_dir: Path, paths: list[str]) -> Path:
    """An empty work folder whose inbox holds the given files of the full city (mtimes kept), and its reference."""
    work = scale_dir / "work"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copytree(scale_dir / "full" / "reference", work / "reference")
    add_files(scale_dir / "full" / "inbox", work / "inbox", paths)
    return work


def add_files(source_inbox: Path, target_inbox: Path, paths: list[str]) -> None:
    """Deliver files into an inbox, keeping their mtimes (the day each village sent it)."""
    made: set[Path] = set()
    for rel in paths:
        target = target_inbox / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        _link_or_copy(source_inbox / rel, target)


def snapshot_store(work: Path, target: Path) -> None:
    """A copy of work's store to run the same night on: the DuckDB file copied, the raw store copied as
    copy_raw_store does."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy2(work / "povmon.duckdb", target / "povmon.duckdb")
    copy_raw_store(work / "raw", target / "raw")


def copy_raw_store(raw: Path, target: Path) -> None:
    """A copy of a raw store: the files in its folders (the packs of files read, never changed once written)
    hard-linked, the files at its top copied: the delivery log and the case ledger's logs, which runs append to in
    place (a link would carry one copy's lines into the other's log, and a run on the copy would void the
    original's lines above its own store's events)."""
    shutil.copytree(raw, target, copy_function=_link_or_copy)
    for part in raw.iterdir():
        if part.is_file():
            (target / part.name).unlink()
            shutil.copy2(part, target / part.name)


def _link_or_copy(source: Path, target: Path) -> None:
    """Hard-link a file (the inbox is only read), copying when links are not possible; mtime kept either way."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def scale_folder(scale: str, seed: int = DEFAULT_SEED) -> Path:
    """Where a scale's data lives: benchmarks/data/<scale>/, or <scale>-seed<N>/ for another seed's city."""
    return DATA / (scale if seed == DEFAULT_SEED else f"{scale}-seed{seed}")


def prepare(setup: Setup, seed: int = DEFAULT_SEED) -> dict:
    """Generate (or reuse) a scale's city up to the increment; its files split into history and increment."""
    scale_dir = scale_folder(setup.scale, seed)
    made = generate(setup.scale, scale_dir / "full", setup.increment_as_of, seed, setup.first)
    paths = relative_files(scale_dir / "full" / "inbox")
    month = [p for p in paths if is_of_month(p, setup.increment_as_of)]
    history = [p for p in paths if not is_of_month(p, setup.increment_as_of)]
    returns = [p for p in month if re.search(r"/\d{12}_\d{6}\.csv$", p)]
    night = returns[:: max(1, len(returns) // NIGHT_FILES)][:NIGHT_FILES]
    held = set(night)
    increment = [p for p in month if p not in held]
    return {"dir": scale_dir, "generated": made, "history": history, "increment": increment, "night": night}
