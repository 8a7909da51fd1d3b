"""Python's cycle collector paused over imports: they make millions of objects and no garbage, and the collector's
passes over them cost about a second of a Prefect server's boot (benchmarks/performance_notes.md, twenty-fifth
round)."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off for the block; after it, every object then alive frozen (out of later collections'
    walks, never collected) and the collector on again."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
