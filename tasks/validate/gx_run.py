"""Run an expectation suite with Great Expectations on a frame: per-expectation counts (BASIC result format)."""
from __future__ import annotations

import json
import logging
import threading
from functools import lru_cache

import polars as pl

from tasks.validate.expectation_suite import describe_expectation


class SuiteDisagreement(RuntimeError):
    """GX and the row-level interpreter counted different failing rows: trust neither."""


CHUNK_ROWS = 400_000  # GX's pandas frames cost memory and time faster than linearly beyond this


def quiet_gx_logs() -> None:
    """Keep GX's informational chatter (temporary folders, docs sites) out of the run's output."""
    for name in [n for n in logging.root.manager.loggerDict if n.startswith("great_expectations")]:
        logging.getLogger(name).setLevel(logging.WARNING)  # GX sets INFO on some of its own loggers


def warm_up(suite: dict | None = None) -> threading.Thread:
    """Import Great Expectations (~3 s) and make the suite's GX objects (~1 s) in a daemon thread, while the files
    it will check are read; an import of it elsewhere waits for this one, and so does _prepared."""
    def load() -> None:
        try:
            import tasks.validate.gx_import  # noqa: F401  (GX itself)

            if suite is not None:
                _prepared(suite)
        except Exception:  # the validating step reports a real error itself
            return
    thread = threading.Thread(target=load, name="povmon-gx-import", daemon=True)
    thread.start()
    return thread


def count_failures_with_gx(frame: pl.DataFrame, suite: dict) -> list[dict]:
    """For each expectation of the suite, in order: GX's element_count, missing_count and unexpected_count,
    summed over chunks of whole files (a row's checks never look beyond its own file)."""
    totals: list[dict] | None = None
    for chunk in file_chunks(frame, CHUNK_ROWS):
        counts = _count_chunk(chunk, suite)
        totals = counts if totals is None else [{k: t[k] + c[k] for k in t} for t, c in zip(totals, counts)]
    return totals or _count_chunk(frame, suite)


def file_chunks(frame: pl.DataFrame, rows: int) -> list[pl.DataFrame]:
    """The frame cut into pieces of about `rows` rows, never splitting one file's rows."""
    if frame.height <= rows or "file_id" not in frame.columns:
        return [frame]
    sizes = frame.group_by("file_id", maintain_order=True).len()
    piece = (sizes["len"].cum_sum() - 1) // rows
    pieces = frame.join(sizes.select("file_id", piece.alias("__piece")), on="file_id", how="left")
    return [part.drop("__piece") for part in pieces.partition_by("__piece", maintain_order=True)]


def _count_chunk(frame: pl.DataFrame, suite: dict) -> list[dict]:
    """GX's counts for every expectation of the suite on one frame."""
    counts: list[dict | None] = [None] * len(suite["expectations"])
    for columns, batch_definition, gx_suite in _prepared(suite):
        # integers widened: GX compares int64/float64 columns vectorised but other widths value by value in Python;
        # one chunk: pandas' arrow-backed strings filter (take) a chunked array far more slowly
        part = frame.select(columns)
        widened = part.with_columns(pl.col(pl.Int8, pl.Int16, pl.Int32, pl.UInt8, pl.UInt16, pl.UInt32).cast(pl.Int64))
        # the v1 Validator fetches the batch once (Batch.validate fetches, and fingerprints, it twice);
        # BASIC has the counts compared; SUMMARY would add value counts of the failing values, unused here
        from great_expectations.validator.v1_validator import Validator  # imported by _prepared (gx_import)

        validator = Validator(batch_definition=batch_definition, result_format={"result_format": "BASIC"},
                              batch_parameters={"dataframe": widened.rechunk().to_pandas()})
        for result in validator.validate_expectation_suite(gx_suite).results:
            index = result.expectation_config.meta["index"]
            if result.exception_info.get("raised_exception"):
                raise SuiteDisagreement(f"GX could not run {describe_expectation(suite['expectations'][index])}: "
                                        f"{result.exception_info.get('exception_message')}")
            counts[index] = {"element_count": result.result.get("element_count", frame.height),
                             "missing_count": result.result.get("missing_count", 0) or 0,
                             "unexpected_count": result.result.get("unexpected_count", 0) or 0}
    return counts


_PREPARED: dict[str, list[tuple]] = {}  # suite JSON -> its expectation groups, made once per process
_PREPARING = threading.Lock()


def _prepared(suite: dict) -> list[tuple]:
    """The suite as GX objects: (columns, batch definition, GX suite) per group of expectations (see
    _make_groups), made once per process and suite."""
    key = json.dumps(suite, sort_keys=True, ensure_ascii=False)
    with _PREPARING:
        if key not in _PREPARED:
            _PREPARED[key] = _make_groups(suite, f"povmon{len(_PREPARED)}")
        return _PREPARED[key]


NULL_CHECKS = ("expect_column_values_to_not_be_null", "expect_column_values_to_be_null")


def _make_groups(suite: dict, source: str) -> list[tuple]:
    """GX objects for three groups of the suite's expectations, each run on a frame of only its columns: GX
    drops the rows an expectation skips (nulls, or ignore_row_if) from the whole frame it is given, every
    column copied; the null checks skip nothing and share one frame, the others copy only a few columns."""
    import tasks.validate.gx_import  # noqa: F401  (~1.5 s to import GX: only when a batch is validated)
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    asset = _context().data_sources.add_pandas(source).add_dataframe_asset(suite["name"])
    numbered = list(enumerate(suite["expectations"]))
    parts = ([(i, e) for i, e in numbered if e["type"] in NULL_CHECKS],
             [(i, e) for i, e in numbered if e["type"] not in NULL_CHECKS and "column" in e["kwargs"]],
             [(i, e) for i, e in numbered if "column" not in e["kwargs"]])
    groups = []
    for part, members in enumerate(parts):
        if not members:
            continue
        expectations = [ExpectationConfiguration(type=e["type"], kwargs=e["kwargs"], meta=e["meta"] | {"index": i})
                        .to_domain_obj() for i, e in members]
        groups.append((columns_used([e for _, e in members]),
                       asset.add_batch_definition_whole_dataframe(f"part{part}"),
                       gx.ExpectationSuite(name=f"{suite['name']}.{part}", expectations=expectations)))
    return groups


@lru_cache(maxsize=1)
def _context():
    """One ephemeral GX context per process, progress bars off (made by _make_groups, after gx_import)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from great_expectations.execution_engine import pandas_execution_engine

    quiet_gx_logs()
    # GX hashes every cell of a batch under 1 GB for a fingerprint it only records as batch metadata (~4 CPU-s
    # of a province month); the counts do not depend on it
    pandas_execution_engine.HASH_THRESHOLD = 0
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def columns_used(expectations: list[dict]) -> list[str]:
    """Every column an expectation's kwargs name, in order of first mention."""
    names: list[str] = []
    for e in expectations:
        kw = e["kwargs"]
        for name in kw.get("column_list", []) + [kw[k] for k in ("column", "column_A", "column_B") if k in kw]:
            if name not in names:
                names.append(name)
    return names
