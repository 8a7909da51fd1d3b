"""Prefect artifacts of the reports: a link per page and the city summary table, keyed to version across runs."""
from __future__ import annotations

import asyncio
import contextvars
import re
import threading

from prefect.artifacts import acreate_link_artifact, acreate_table_artifact
from prefect.client.orchestration import get_client
from prefect.utilities.asyncutils import run_coro_as_sync

# requests in flight at once: one at a time, a province's 101 links cost 5.8 s of a night waiting on the server
CONCURRENT_REQUESTS = 8


def artifact_key(*parts: str) -> str:
    """A Prefect artifact key (lowercase letters, digits and dashes only)."""
    return re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")


def publish_report_artifacts(rendered: dict, period: str | None) -> list[str]:
    """Create the link artifacts (city overview and each county) and the city-summary table; returns their keys."""
    month = period or "none"
    links = [("city-report", rendered["index"], "全市防返贫动态监测总览")]
    links += [(artifact_key("county-report", code), path, f"县（区）月报 {code}") for code, path in rendered["counties"].items()]
    run_coro_as_sync(_create(links, rendered["summary"], f"数据截至 {month}"))
    return [key for key, _, _ in links] + ["city-summary"]


class PendingArtifacts:
    """The report artifacts being created in a thread of their own (in the flow run's context, so they are the run's),
    while the run closes its store: DuckDB's checkpoint at close and the requests to the Prefect server overlap
    (each ~0.1-0.2 s of a city night)."""

    def __init__(self, rendered: dict, period: str | None):
        self.error: BaseException | None = None
        context = contextvars.copy_context()
        self._thread = threading.Thread(target=context.run, args=(self._create, rendered, period),
                                        name="povmon-artifacts", daemon=True)
        self._thread.start()

    def _create(self, rendered: dict, period: str | None) -> None:
        try:
            publish_report_artifacts(rendered, period)
        except BaseException as err:  # told by wait(), in the flow's own thread
            self.error = err

    def wait(self) -> BaseException | None:
        """Wait until the artifacts are created; returns what stopped them, if anything did."""
        self._thread.join()
        return self.error


async def _create(links: list[tuple], summary, described: str) -> None:
    """The link artifacts and the summary table, a few requests at a time through one client."""
    gate = asyncio.Semaphore(CONCURRENT_REQUESTS)
    async with get_client() as client:
        async def link(key: str, path, text: str) -> None:
            async with gate:
                await acreate_link_artifact(key=key, link=path.resolve().as_uri(), link_text=text,
                                            description=described, client=client)

        await asyncio.gather(*(link(*each) for each in links))
        await acreate_table_artifact(key="city-summary", table=summary, description=f"各县（区）主要指标，{described}")
