"""The HTML reports: one page per county and the city overview, self-contained and offline."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import duckdb
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from core import db, progress
from core.files import write_text_atomically
from core.income_year import calendar_month, income_year_month
from core.settings import Settings
from core.project import TEMPLATES_DIR
from tasks.report import labels as fmt
from tasks.report.changes import reported_notes, sum_changes, year_notes
from tasks.report.figures import backtest_charts, county_charts, county_rate_chart, key_cards
from tasks.report.data import fetch_city, fetch_counties
from tasks.report.reporting import cell_html, reporting_table
from tasks.report.rows import FRAME_BUILDERS, Masked, build_table_bodies
from tasks.report.template_cache import template_cache
from tasks.validate.id_number import mask_id_shaped

PROBLEM_CODES = [c for c in fmt.LABELS if c.startswith(("FILE_", "ROW_"))]
BRIEF = {"rows": 20, "signals": 10}  # flagged households and signals in the printed brief
FLAGGED_COLUMNS = [("户编号", "text"), ("户主", "text"), ("身份证号", "text"), ("乡镇", "text"), ("村", "text"),
                   ("户类型", "text"), ("人口", "num"), ("预计人均纯收入（元）", "num"), ("标记", "text"), ("原因", "text"),
                   ("建议措施", "text")]
# the HTML of each row, made in one pass over every county's rows: the long lists' and the reporting table's cells
ROW_HTML = {**FRAME_BUILDERS, "reporting": cell_html}
TOTAL_KEYS = ["households_count", "people_count", "flagged_count", "below_line_count", "near_line_count",
              "sudden_drop_count", "unstable_lifted_count", "guarantee_gap_count"]


def build_environment(cache_dir: str | Path | None = None) -> Environment:
    """The Jinja2 environment: autoescape on every template (.html.j2 included), report filters; templates compiled
    once per machine and user, kept in cache_dir (default: Jinja's temporary folder; template_cache.py)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True, finalize=shown,
                      bytecode_cache=template_cache(Path(__file__), cache_dir))
    env.filters.update(label=fmt.label_code, num=fmt.format_count, pct=fmt.format_percent,
                       month=fmt.format_period, when=fmt.format_time,
                       calendar_month=lambda m: f"{calendar_month(int(m))}月", css_string=css_string)
    env.globals["labels"] = fmt.LABELS
    return env


def css_string(value: object) -> Markup:
    """Text to put inside a double-quoted CSS string in a <style> element: quotes, backslashes, line breaks and
    '<' (which could close the element) written as CSS escapes."""
    return Markup("".join(f"\\{ord(ch):x} " if ch in '\\"<>\n\r' else ch for ch in str(value)))


def shown(value):
    """Every value a page prints, ID-shaped text masked (policy.md, Privacy), whichever column it came from;
    pre-escaped HTML (table bodies, charts, JSON for scripts) stays marked safe, masking adds no markup; the long
    lists' bodies come masked (rows.Masked)."""
    if isinstance(value, Masked):
        return value
    if isinstance(value, Markup):
        return Markup(mask_id_shaped(str(value)))
    if isinstance(value, str):
        return mask_id_shaped(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 16:
        return mask_id_shaped(str(value))
    return value


def sum_city(counties: list[dict]) -> dict:
    """City totals of the county figures and village counts."""
    totals = {key: sum((c["figures"] or {}).get(key) or 0 for c in counties) for key in TOTAL_KEYS}
    totals["villages_count"] = sum(c["villages_count"] for c in counties)
    totals["villages_reported_count"] = sum(c["villages_reported_count"] for c in counties)
    return totals


@lru_cache(maxsize=1)
def shared_environment() -> Environment:
    """This process's Jinja2 environment: templates are compiled once per process, not once per page."""
    return build_environment()


def compile_templates() -> int:
    """Compile every report template into this process's environment ahead of a run (a `povmon serve` spare does,
    while it waits); returns how many."""
    env = shared_environment()
    names = [name for name in env.list_templates() if name.endswith(".j2")]
    for name in names:
        env.get_template(name)
    return len(names)


def render_county_html(county: dict, period: str | None, run: dict, data: dict, policy: dict) -> str:
    """The HTML of one county's dashboard from its fetched data and the policy of its income year (thresholds
    the labels quote); no store needed: may run on a Dask worker."""
    line = (county["figures"] or {}).get("line")
    changes = data.get("changes")
    charts = county_charts(data, line, policy.get("near_line_factor"))
    return shared_environment().get_template("county.html.j2").render(
        county=county, period=period, run=run, data=data, policy=policy, charts=charts,
        cards=key_cards(county["figures"], changes, policy), reported_notes=reported_notes(county, changes),
        reporting=reporting_table(data.get("reporting")),
        rows=build_table_bodies(data, BRIEF["rows"]), flag_codes=fmt.FLAG_CODES, problem_codes=PROBLEM_CODES,
        flagged_columns=FLAGGED_COLUMNS, brief_rows=BRIEF["rows"], brief_signals=BRIEF["signals"])


def fetch_pages(con: duckdb.DuckDBPyConnection, counties: list[dict], period: str | None, run: dict,
                city: dict, settings: Settings) -> Iterator[dict]:
    """Each county's page data (county, period, run, data, policy) in order: every section is one query for all
    the counties (a query per county would scan the province-wide marts once a county), those the city overview
    fetched (fetch_city) taken from it."""
    policy = policy_of(settings, period)
    returns = {"due_day": run["due_day"], "today": run["today"], "near_line_factor": policy["near_line_factor"]}
    fetched = fetch_counties(con, [c["county_code"] for c in counties], period, city["relations"],
                             settings.report_row_limits, ROW_HTML, returns, city["sections"])
    for county in counties:
        yield {"county": county, "period": period, "run": run, "data": fetched.pop(county["county_code"]),
               "policy": policy}


def policy_of(settings: Settings, period: str | None) -> dict:
    """The policy of the as-of month's income year (the latest one configured without an as-of month)."""
    return settings.policy_for(income_year_month(period)[0] if period else max(settings.lines))


def render_here(pages: Iterable[dict]) -> Iterator[str]:
    """Render county pages one after the other in this process, as their data is fetched."""
    return (render_county_html(**page) for page in pages)


def render_reports(con: duckdb.DuckDBPyConnection, reports_dir: Path, period: str | None, run_id: int,
                   settings: Settings, only_counties: set[str] | None = None,
                   render_pages: Callable[[Iterable[dict]], Iterable[str]] = render_here,
                   today: date | None = None) -> dict:
    """Render the county pages (all, or only_counties after a rerun) and the city overview; returns their
    paths and the city summary rows. The store is read and the files written here; render_pages turns each
    county's fetched data (county, period, run, data) into its HTML, in order. today: the entry point's date,
    that overdue returns count to (the day of generation when not given)."""
    generated_at = datetime.now()
    run = {"run_id": run_id, "generated_at": generated_at, "today": today or generated_at.date(),
           "due_day": settings.returns_due_day}
    city = fetch_city(con, period)
    chosen = [c for c in city["counties"] if only_counties is None or c["county_code"] in only_counties]
    for county in chosen:
        county["figures_available"] = city["figures_available"]
    pages = fetch_pages(con, chosen, period, run, city, settings)
    counties = {county["county_code"]: write_text_atomically(reports_dir / f"{county['county_code']}.html", html)
                for county, html in zip(progress.counted(chosen, "county pages", every=1), render_pages(pages),
                                        strict=True)}
    totals = sum_city(city["counties"])
    changes = sum_changes(city["counties"], TOTAL_KEYS)
    for county in city["counties"]:
        county["year_notes"] = year_notes(county, ["flagged", "below_line"])
    index_html = shared_environment().get_template("index.html.j2").render(
        city=city, totals=totals, period=period, run=run, cards=key_cards(totals, changes, policy_of(settings, period)),
        reported_notes=reported_notes(totals, changes),
        backtest_charts=backtest_charts(city["backtest"]), county_chart=county_rate_chart(city["counties"]),
        band_coverage=settings.band_coverage, band_label=band_label(settings.band_coverage))
    index = write_text_atomically(reports_dir / "index.html", index_html)
    return {"index": index, "counties": counties, "summary": summarize_city(city["counties"])}


def band_label(coverage: float) -> str:
    """The band's percentiles as the page names them: '10–90%' for a coverage of 0.8."""
    tail = (1 - coverage) / 2
    return f"{tail * 100:g}–{(1 - tail) * 100:g}%"


def render_city_overview(con: duckdb.DuckDBPyConnection, reports_dir: Path, settings: Settings,
                         counties: set[str] | None = None, today: date | None = None) -> Path:
    """Re-render index.html (e.g. after a spot-check draw) and these counties' pages (after a case command changed
    their cases), as of the latest completed run; today: the command's, that overdue returns count to."""
    run_id, as_of = con.execute(db.sql_text("reports/latest_run")).fetchall()[0]
    return render_reports(con, reports_dir, as_of, run_id or 0, settings, only_counties=counties or set(),
                          today=today)["index"]


def summarize_city(counties: list[dict]) -> list[dict]:
    """One plain row per county (Chinese column names) for the Prefect table artifact."""
    return [{"县（区）代码": c["county_code"], "县（区）": c["county_name"],
             **{fmt.SUMMARY_LABELS[k]: (c["figures"] or {}).get(k) for k in TOTAL_KEYS},
             "按期报送村": c["villages_reported_count"], "村总数": c["villages_count"]} for c in counties]
