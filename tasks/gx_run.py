"""Run an expectation suite with Great Expectations on a frame: per-expectation counts (BASIC result format)."""
from __future__ import annotations

import logging

import polars as pl

from tasks.expectation_suite import describe_expectation


class SuiteDisagreement(RuntimeError):
    """GX and the row-level interpreter counted different failing rows: trust neither."""


CHUNK_ROWS = 400_000  # GX's pandas frames cost memory and time faster than linearly beyond this


def quiet_gx_logs() -> None:
    """Keep GX's informational chatter (temporary folders, docs sites) out of the run's output."""
    for name in [n for n in logging.root.manager.loggerDict if n.startswith("great_expectations")]:
        logging.getLogger(name).setLevel(logging.WARNING)  # GX sets INFO on some of its own loggers


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
    import great_expectations as gx  # ~3 s to import: only when a batch is validated
    quiet_gx_logs()
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch_definition = (context.data_sources.add_pandas("povmon").add_dataframe_asset(suite["name"])
                        .add_batch_definition_whole_dataframe("batch"))
    expectations = [
        ExpectationConfiguration(type=e["type"], kwargs=e["kwargs"], meta=e["meta"] | {"index": i}).to_domain_obj()
        for i, e in enumerate(suite["expectations"])]
    gx_suite = gx.ExpectationSuite(name=suite["name"], expectations=expectations)
    # integers widened: GX compares int64/float64 columns vectorised but other widths value by value in Python;
    # one chunk: pandas' arrow-backed strings filter (take) a chunked array far more slowly
    widened = frame.with_columns(pl.col(pl.Int8, pl.Int16, pl.Int32, pl.UInt8, pl.UInt16, pl.UInt32).cast(pl.Int64))
    batch = batch_definition.get_batch(batch_parameters={"dataframe": widened.rechunk().to_pandas()})
    # BASIC has the counts compared; SUMMARY would add value counts of the failing values, unused here
    outcome = batch.validate(gx_suite, result_format={"result_format": "BASIC"})
    counts: list[dict | None] = [None] * len(expectations)
    for result in outcome.results:
        index = result.expectation_config.meta["index"]
        if result.exception_info.get("raised_exception"):
            raise SuiteDisagreement(f"GX could not run {describe_expectation(suite['expectations'][index])}: "
                                    f"{result.exception_info.get('exception_message')}")
        counts[index] = {"element_count": result.result.get("element_count", frame.height),
                         "missing_count": result.result.get("missing_count", 0) or 0,
                         "unexpected_count": result.result.get("unexpected_count", 0) or 0}
    return counts
