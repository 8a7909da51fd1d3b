"""Prefect artifacts of the reports: a link per page and the city summary table, keyed to version across runs."""
from __future__ import annotations

import re

from prefect.artifacts import create_link_artifact, create_table_artifact


def artifact_key(*parts: str) -> str:
    """A Prefect artifact key (lowercase letters, digits and dashes only)."""
    return re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")


def publish_report_artifacts(rendered: dict, period: str | None) -> list[str]:
    """Create the link artifacts (city overview and each county) and the city-summary table; returns their keys."""
    month = period or "none"
    keys = []
    create_link_artifact(key=artifact_key("city-report"), link=rendered["index"].resolve().as_uri(),
                         link_text="全市防返贫动态监测总览", description=f"数据截至 {month}")
    keys.append("city-report")
    for county_code, path in rendered["counties"].items():
        key = artifact_key("county-report", county_code)
        create_link_artifact(key=key, link=path.resolve().as_uri(), link_text=f"县（区）月报 {county_code}",
                             description=f"数据截至 {month}")
        keys.append(key)
    create_table_artifact(key="city-summary", table=rendered["summary"], description=f"各县（区）主要指标，数据截至 {month}")
    keys.append("city-summary")
    return keys
