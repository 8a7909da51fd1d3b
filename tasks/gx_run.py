"""Run an expectation suite with Great Expectations on a frame: per-expectation counts (SUMMARY)."""
from __future__ import annotations

import logging

import polars as pl

from tasks.expectation_suite import describe_expectation


class SuiteDisagreement(RuntimeError):
    """GX and the row-level interpreter counted different failing rows: trust neither."""


def quiet_gx_logs() -> None:
    """Keep GX's informational chatter (temporary folders, docs sites) out of the run's output."""
    for name in [n for n in logging.root.manager.loggerDict if n.startswith("great_expectations")]:
        logging.getLogger(name).setLevel(logging.WARNING)  # GX sets INFO on some of its own loggers


def count_failures_with_gx(frame: pl.DataFrame, suite: dict) -> list[dict]:
    """For each expectation of the suite, in order: GX's element_count, missing_count and unexpected_count."""
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
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame.to_pandas()})
    outcome = batch.validate(gx_suite, result_format={"result_format": "SUMMARY"})
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
