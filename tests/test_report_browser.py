"""The reports in real headless Chromium from file://: no console error, no request, sorting and filtering work."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.settings import load_settings
from tasks.report.pages import render_reports
from tests.support.browser import CHROMIUM, Browser
from tests.support.report_fixture import PERIOD, build_report_db

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")]

COLUMN_VALUES = """Array.from(document.querySelectorAll('#flagged-table tbody tr'))
  .map(r => parseFloat(r.cells[7].getAttribute('data-v')))"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The fixture store's reports, rendered once."""
    con = build_report_db()
    out = render_reports(con, tmp_path_factory.mktemp("reports"), PERIOD, 7, load_settings(environ={}))
    con.close()
    return out


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module."""
    with Browser() as running:
        yield running


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    """Where screenshots go: $POVMON_SCREENSHOTS when set, else a temporary folder."""
    folder = Path(os.environ.get("POVMON_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_every_page_loads_offline_without_console_errors(reports, browser, screenshots):
    for path in [reports["index"], *reports["counties"].values()]:
        page = browser.new_page()
        page.open(path.resolve().as_uri())
        assert page.console_errors == [], path.name
        assert page.requests == [path.resolve().as_uri()], path.name
        assert page.evaluate("document.querySelectorAll('svg').length") >= 1
        shot = page.screenshot(screenshots / f"{path.stem}.png")
        assert shot.stat().st_size > 10_000


def test_clicking_a_header_sorts_the_table(reports, browser):
    page = browser.new_page()
    page.open(reports["counties"]["430521"].resolve().as_uri())
    header = "document.querySelectorAll('#flagged-table thead th')[7]"
    page.evaluate(f"{header}.click()")
    ascending = page.evaluate(COLUMN_VALUES)
    assert ascending == sorted(ascending) and len(ascending) == 4
    page.evaluate(f"{header}.click()")
    assert page.evaluate(COLUMN_VALUES) == sorted(ascending, reverse=True)
    assert page.evaluate(f"{header}.getAttribute('aria-sort')") == "descending"


def test_filter_box_and_flag_select_hide_other_rows(reports, browser):
    page = browser.new_page()
    page.open(reports["counties"]["430521"].resolve().as_uri())
    visible = "Array.from(document.querySelectorAll('#flagged-table tbody tr')).filter(r => r.style.display !== 'none').length"
    page.evaluate("""(() => { const box = document.querySelector('input[data-filter="flagged-table"]');
        box.value = '白石村'; box.dispatchEvent(new Event('input')); })()""")
    assert page.evaluate(visible) == 2
    page.evaluate("""(() => { const box = document.querySelector('input[data-filter="flagged-table"]');
        box.value = ''; box.dispatchEvent(new Event('input'));
        const pick = document.querySelector('select[data-filter="flagged-table"]');
        pick.value = 'BELOW_LINE'; pick.dispatchEvent(new Event('change')); })()""")
    assert page.evaluate(visible) == 2
    assert page.evaluate("document.querySelector('[data-shown=\"flagged-table\"]').textContent") == "显示 2 行"


def test_injected_markup_stays_text_in_the_browser(reports, browser):
    page = browser.new_page()
    page.open(reports["counties"]["430521"].resolve().as_uri())
    assert page.evaluate("document.querySelectorAll('img, [onerror], table b, table i, table script').length") == 0
    assert "<img src=x onerror=alert(1)>" in page.evaluate("document.querySelector('#villages-table').innerText")
    assert not any(e.get("method") == "Page.javascriptDialogOpening" for e in page.events)


def test_the_print_layout_repeats_table_headers(reports, browser, screenshots):
    page = browser.new_page()
    page.call("Emulation.setEmulatedMedia", media="print")
    page.open(reports["counties"]["430521"].resolve().as_uri())
    assert page.evaluate("getComputedStyle(document.querySelector('thead')).display") == "table-header-group"
    assert page.evaluate("getComputedStyle(document.querySelector('.tools')).display") == "none"
    pdf = page.print_pdf(screenshots / "430521-print.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_browser_helper_sees_errors_and_requests(tmp_path, browser):
    bad = tmp_path / "bad.html"
    bad.write_text('<script>console.error("boom")</script><img src="http://192.0.2.1/x.png">', encoding="utf-8")
    page = browser.new_page()
    page.open(bad.as_uri())
    assert "boom" in " ".join(page.console_errors)
    assert "http://192.0.2.1/x.png" in page.requests


def test_a_count_with_thousands_separators_sorts_as_a_number(tmp_path, browser):
    """Sorting the city's county table by 监测户 orders 1,000 and more after 999, not by the digits before the comma."""
    con = build_report_db()
    con.execute("UPDATE county_month_figures SET households_count = households_count + 1000 "
                "WHERE county_code = '430522'")
    index = render_reports(con, tmp_path, PERIOD, 7, load_settings(environ={}))["index"]
    con.close()
    page = browser.new_page()
    page.open(index.resolve().as_uri())
    header = "document.querySelectorAll('#counties-table thead th')[1]"
    cells = "Array.from(document.querySelectorAll('#counties-table tbody tr')).map(r => r.cells[1].textContent)"
    page.evaluate(f"{header}.click()")
    ascending = [int(v.replace(",", "")) for v in page.evaluate(cells)]
    assert max(ascending) >= 1000 and ascending == sorted(ascending)
    page.evaluate(f"{header}.click()")
    assert [int(v.replace(",", "")) for v in page.evaluate(cells)] == sorted(ascending, reverse=True)
