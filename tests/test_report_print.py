"""A county page of the small synthetic city in real headless Chromium: printed to PDF (a 2-page brief, then the
appendix; every page headed and numbered; no text below 7 pt; headers and tags on one line), at 390 px (no page
scroll sideways, tables scroll in their box under a header that stays), AA contrast, captions, scope, chart text.
Screenshots (1366 px, 390 px, the first printed page) are kept in tests/artifacts/ (git-ignored)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pytest

from core.settings import load_settings
from tasks.report.pages import render_reports
from tests.support.browser import CHROMIUM, Browser

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None or shutil.which("pdftotext") is None,
                                 reason="chromium or poppler-utils is not installed (.ci/run installs them)")]
COUNTY, AS_OF = "430521", "202003"
ARTIFACTS = Path(os.environ.get("POVMON_SCREENSHOTS") or Path(__file__).parent / "artifacts")
A4_WIDTH_PX = {"portrait": 718, "landscape": 1047}  # A4 less 10 mm margins each side, at 96 px per inch

# the smallest font (px) of the visible text under root: HTML text by its computed size, SVG text scaled as drawn
SMALLEST_FONT = """(root => {
  let least = 1e9, where = '';
  const seen = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  for (const el of document.querySelectorAll(root + ' *')) {
    if (!seen(el) || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    const svg = el.closest('svg');
    if (svg) size = parseFloat(el.getAttribute('font-size') || 12)
                    * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    if (size < least) { least = size; where = el.tagName + ': ' + el.textContent.trim().slice(0, 20); }
  }
  return [least, where];
})"""
# header cells and tags that wrap onto a second line (a height well over one line of their font)
BROKEN = """(root => [...document.querySelectorAll(root + ' thead th, ' + root + ' mark')].filter(el => {
  if (!el.getClientRects().length) return false;
  const style = getComputedStyle(el), font = parseFloat(style.fontSize);
  const inner = el.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  return inner > 1.9 * font + 2;
}).map(el => el.textContent.trim()))"""
# text whose contrast with its background is below WCAG AA (4.5:1, or 3:1 for large text)
LOW_CONTRAST = """(() => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const linear = x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
  const lum = c => { const v = rgb(c).slice(0, 3).map(linear); return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const background = el => { for (; el; el = el.parentElement) { const b = getComputedStyle(el).backgroundColor;
                             if (rgb(b).length < 4 || rgb(b)[3] > 0) return b; } return 'rgb(255,255,255)'; };
  const low = [];
  for (const el of document.querySelectorAll('body *')) {
    if (!el.getClientRects().length || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const style = getComputedStyle(el), inSvg = !!el.closest('svg');
    const fg = inSvg ? (el.getAttribute('fill') ? style.fill : 'rgb(28,40,51)') : style.color;
    const bg = inSvg ? 'rgb(255,255,255)' : background(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x), ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(style.fontSize), large = size >= 24 || (size >= 18.66 && style.fontWeight >= 700);
    if (ratio < (large ? 3 : 4.5)) low.push(el.textContent.trim().slice(0, 20) + ' ' + ratio.toFixed(2));
  }
  return low;
})()"""


@pytest.fixture(scope="module")
def county_page(small_city_run, tmp_path_factory) -> Path:
    """The county page of 430521 rendered from the small city's nightly run."""
    with duckdb.connect(str(small_city_run / "db.duckdb"), read_only=True) as con:
        out = render_reports(con, tmp_path_factory.mktemp("print"), AS_OF, 1, load_settings(environ={}),
                             only_counties={COUNTY}, today=date(2020, 4, 12))
    return out["counties"][COUNTY]


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module."""
    with Browser() as running:
        yield running


def open_at(browser, path: Path, width: int, media: str = "screen", mobile: bool = False):
    """A tab showing the page at a viewport width (and media type)."""
    page = browser.new_page()
    page.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1, mobile=mobile)
    page.call("Emulation.setEmulatedMedia", media=media)
    page.open(path.resolve().as_uri())
    return page


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF, laid out (pdftotext)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def test_the_county_page_prints_as_a_two_page_brief_then_the_appendix(county_page, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page()
    page.open(county_page.resolve().as_uri())
    pdf = page.print_pdf(ARTIFACTS / f"county-{COUNTY}.pdf")
    pages = pdf_pages(pdf)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert f"Pages:           {len(pages)}" in info
    total = len(pages)
    for number, text in enumerate(pages, start=1):  # every page: county, as-of month, its number
        assert "松湖县" in text and "2020年3月" in text and f"第 {number} 页 / 共 {total} 页" in text, number
    assert "附录：完整清单" not in pages[0] + pages[1] and "附录：完整清单" in pages[2]  # the brief is two pages
    assert all(chart in pages[0] for chart in ("主要指标", "农户占比逐月", "预计全年人均纯收入分布", "各乡镇标记户占比",
                                               "各村数据质量"))
    assert "重点工作清单" in pages[1] and "村级预警信号" in pages[1]
    # headers and tags are whole on their line, and nothing meant for the screen is printed
    assert re.search(r"户编号\s+户主\s+村\s+人口\s+预计人均纯收入（元）\s+标记\s+建议措施", pages[1])
    assert re.search(r"户编号\s+户主\s+身份证号\s+乡镇\s+村\s+户类型\s+人口\s+预计人均纯收入（元）", "".join(pages[2:]))
    assert "低于监测线" in pages[1] and "点击表头排序" not in "".join(pages) and "筛选：" not in "".join(pages)
    # the brief is the two pages above; the appendix holds every list in full (flagged households, the ledger,
    # department findings, data problems) and grows with them: 25 pages before the brief, 26 with the brief, the
    # ledger and the department findings
    assert 2 < total <= 30, total
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(ARTIFACTS / f"county-{COUNTY}-print-page1")], check=True)
    assert (ARTIFACTS / f"county-{COUNTY}-print-page1.png").stat().st_size > 20_000


@pytest.mark.parametrize("part,orientation", [(".brief", "portrait"), (".appendix", "landscape")])
def test_printed_text_is_at_least_7pt_and_headers_and_tags_do_not_break(county_page, browser, part, orientation):
    page = open_at(browser, county_page, A4_WIDTH_PX[orientation], media="print")
    least, where = page.evaluate(f"{SMALLEST_FONT}('{part}')")
    assert least * 0.75 >= 7 - 0.05, (least * 0.75, where)  # 96 px per inch, 72 pt per inch
    assert page.evaluate(f"{BROKEN}('{part}')") == []


def test_at_1366_px_the_page_fits_and_passes_contrast_and_structure(county_page, browser):
    page = open_at(browser, county_page, 1366)
    page.screenshot(ARTIFACTS / f"county-{COUNTY}-1366.png")
    assert page.console_errors == [] and page.requests == [county_page.resolve().as_uri()]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert page.evaluate(LOW_CONTRAST) == []
    assert page.evaluate("[...document.querySelectorAll('table')].filter(t => !t.caption).length") == 0
    assert page.evaluate("[...document.querySelectorAll('thead th')].filter(t => t.scope !== 'col').length") == 0
    charts = page.evaluate("""[...document.querySelectorAll('figure.chart')].map(f => [
        f.querySelector('svg title').textContent, f.querySelector('svg desc').textContent,
        f.querySelector('figcaption').textContent])""")
    assert len(charts) == 4 and all(title and desc and caption == desc for title, desc, caption in charts)
    assert county_page.stat().st_size < 5_000_000


def test_at_390_px_nothing_scrolls_sideways_but_the_tables_in_their_boxes(county_page, browser):
    page = open_at(browser, county_page, 390, mobile=True)
    page.screenshot(ARTIFACTS / f"county-{COUNTY}-390.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = "document.querySelector('#flagged-table').closest('.table-wrap')"
    assert page.evaluate(f"{box}.scrollWidth > {box}.clientWidth && getComputedStyle({box}).overflowX === 'auto'")
    page.evaluate(f"{box}.scrollIntoView(); {box}.scrollTop = 400")
    gap = page.evaluate(f"document.querySelector('#flagged-table thead th').getBoundingClientRect().top"
                        f" - {box}.getBoundingClientRect().top")
    assert 0 <= gap <= 2, gap  # the header row stayed at the top of its scrolled box
    heights = page.evaluate("[...document.querySelectorAll('#flagged-table tbody tr')].map(r => r.offsetHeight)")
    assert max(heights) < 150, max(heights)  # main: a flagged row was 374 px tall at 390 px
    assert page.evaluate(LOW_CONTRAST) == []


def test_every_card_compares_with_last_month_and_last_year_and_the_backtest_stays_compact(county_page, browser):
    page = open_at(browser, county_page, 390, mobile=True)  # the small city holds 30 months: every month compared
    notes = page.evaluate("[...document.querySelectorAll('#figures .card .sub')].map(e => e.textContent)")
    for when in ("较上月", "较上年同期"):  # 7 household cards and the villages that reported
        assert sum(bool(re.match(when + "[ ：]", n)) for n in notes) == 8, (when, notes)
    assert not [n for n in notes if "无可比数据" in n]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for width in (1366, 390):  # the city page: every method and the band's coverage, in a small part of the page
        city = open_at(browser, county_page.parent / "index.html", width, mobile=width == 390)
        assert city.evaluate("document.documentElement.scrollWidth") <= width
        headers = city.evaluate("[...document.querySelectorAll('#backtest-table thead th')].map(e => e.textContent)")
        assert {"本户日历", "全县曲线", "简单外推", "区间覆盖率"} <= set(headers)
        share = city.evaluate("document.querySelector('#backtest').getBoundingClientRect().height"
                              " / document.documentElement.scrollHeight")
        assert share < 0.25, share
    city.screenshot(ARTIFACTS / "city-390.png")


def test_a_long_village_name_does_not_push_the_flagged_list_off_the_printed_page(tmp_path, browser):
    """A 200-character village name wraps on paper: the flagged list's last columns (原因, 建议措施) are still printed."""
    from tests.support.report_fixture import PERIOD, build_report_db
    con = build_report_db()
    con.execute("UPDATE admin_units SET name = repeat('长', 199) || '村' WHERE code = '430521100001'")
    page_path = render_reports(con, tmp_path, PERIOD, 7, load_settings(environ={}))["counties"]["430521"]
    con.close()
    page = browser.new_page()
    page.open(page_path.resolve().as_uri())
    pages = pdf_pages(page.print_pdf(tmp_path / "long-name.pdf"))
    headers = [line for text in pages for line in text.splitlines() if re.search(r"户编号\s+户主\s+身份证号", line)]
    assert headers and all("建议措施" in line for line in headers), headers
