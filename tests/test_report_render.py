"""County pages and the city overview on a tiny hand-made store: figures, masking, scope, escaping."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from dataclasses import replace
from pathlib import Path

import pytest

from core.settings import load_settings
from tasks.report.pages import render_reports
from tests.support.report_fixture import EVIL_VILLAGE, HOUSEHOLDS, PERIOD, build_report_db

DEFAULTS = load_settings(environ={})


class PageReader(HTMLParser):
    """Collects the key-figure cards (label -> value) and the body rows of each table by id."""

    def __init__(self):
        super().__init__()
        self.cards, self.tables = {}, {}
        self.table_id, self.in_body, self.cell, self.card_part, self.label = None, False, None, None, None
        self.in_share = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table_id = attrs.get("id")
            self.tables[self.table_id] = []
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.tables[self.table_id].append([])
        elif tag in ("td", "th") and self.in_body:
            self.cell = ""
        elif tag == "span" and attrs.get("class") == "share":  # the share beside a card's count
            self.in_share = True
        elif tag == "div" and attrs.get("class") in ("label", "value"):
            self.card_part, self.text = attrs["class"], ""

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False
        elif tag == "span":
            self.in_share = False
        elif tag in ("td", "th") and self.cell is not None:
            self.tables[self.table_id][-1].append(self.cell.strip())
            self.cell = None
        elif tag == "div" and self.card_part == "label":
            self.label, self.card_part = self.text.strip(), None
        elif tag == "div" and self.card_part == "value":
            self.cards[self.label], self.card_part = self.text.strip(), None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.card_part and not self.in_share:
            self.text += data


def read_page(path: Path) -> PageReader:
    """Parse a rendered page."""
    reader = PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The reports of the fixture store, and the store itself."""
    con = build_report_db()
    out = render_reports(con, tmp_path_factory.mktemp("reports"), PERIOD, 7, DEFAULTS)
    yield con, out
    con.close()


def count_in_db(con, county_code: str, condition: str) -> int:
    """Households of a county in the as-of month meeting a fixed condition (test-side check of the page)."""
    query = f"SELECT count(*) FROM household_status WHERE county_code = ? AND period = ? AND {condition}"
    return con.execute(query, [county_code, PERIOD]).fetchall()[0][0]


def test_county_figures_match_the_database(rendered):
    con, out = rendered
    cards = read_page(out["counties"]["430521"]).cards
    expected = {"监测户数": "TRUE", "低于监测线": "is_below_line", "临界边缘": "is_near_line", "收入骤减": "is_sudden_drop",
                "脱贫不稳定": "is_unstable_lifted", "三保障及饮水问题": "has_guarantee_gap"}
    for label, condition in expected.items():
        assert cards[label] == str(count_in_db(con, "430521", condition)), label
    assert cards["本月报送村"] == "2 / 3"


def test_flagged_table_lists_the_countys_flagged_households_masked(rendered):
    con, out = rendered
    rows = read_page(out["counties"]["430521"]).tables["flagged-table"]
    expected = {hid for (hid,) in con.execute(
        "SELECT household_id FROM household_status WHERE county_code = '430521' AND period = ? AND flags <> ''",
        [PERIOD]).fetchall()}
    assert {r[0] for r in rows} == expected
    first = next(r for r in rows if r[0] == "4305211000010001")
    assert first[1:3] == ["张*", "430521********1234"]
    assert first[7].startswith("3,100")


def test_no_full_name_or_id_number_on_any_page(rendered):
    _, out = rendered
    pages = [out["index"], *out["counties"].values()]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for _, name, id_number, *_ in HOUSEHOLDS:
            assert name not in text and id_number not in text, page.name
        assert "430521199004045679" not in text  # an ID number quoted in a problem's detail
        assert "周九" not in text and "430521197709099999" not in text  # a household whose row was quarantined


def test_a_county_page_holds_only_its_own_households(rendered):
    _, out = rendered
    for county_code, page in out["counties"].items():
        ids = set(re.findall(r"\b\d{16}\b", page.read_text(encoding="utf-8")))
        assert ids, county_code
        assert all(i.startswith(county_code) for i in ids), county_code


def test_what_villages_wrote_shows_as_text(rendered):
    _, out = rendered
    text = out["counties"]["430521"].read_text(encoding="utf-8")
    assert EVIL_VILLAGE not in text and "<script>alert(2)" not in text and "<i>累计" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert text.count("<script>") == 1  # only the page's own sorting script


def test_pages_reference_no_network_resource(rendered):
    _, out = rendered
    for page in [out["index"], *out["counties"].values()]:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href|url)\s*[=(]\s*["']?\s*(https?:|//)""", text, re.I), page.name
        assert "@import" not in text


def test_city_overview_lists_every_county_with_its_figures(rendered):
    con, out = rendered
    page = out["index"].read_text(encoding="utf-8")
    assert 'href="430521.html"' in page and 'href="430522.html"' in page
    rows = {r[0][:3]: r for r in read_page(out["index"]).tables["counties-table"]}
    assert rows["邵东县"][1] == str(count_in_db(con, "430521", "TRUE"))
    assert rows["新邵县"][4] == str(count_in_db(con, "430522", "is_below_line"))
    assert rows["新邵县"][3] == f"{count_in_db(con, '430522', 'is_below_line') / count_in_db(con, '430522', 'TRUE'):.1%}"
    backtest = read_page(out["index"]).tables["backtest-table"]
    assert len(backtest) == 12  # each method's error · precision · recall, and the band's coverage, per month
    assert backtest[5] == ["6（3月）", "2", "5.2% · 80% · 70%", "7.9% · 80% · 70%", "10.5% · 80% · 70%", "80%"]
    assert out["summary"][0]["低于监测线"] == count_in_db(con, "430521", "is_below_line")


def test_missing_projection_tables_render_as_unavailable(tmp_path):
    con = build_report_db(with_projection=False)
    out = render_reports(con, tmp_path, PERIOD, 3, DEFAULTS)
    county = out["counties"]["430521"].read_text(encoding="utf-8")
    assert "暂不可用" in county and "白石村" in county
    assert "暂不可用" in out["index"].read_text(encoding="utf-8")


def test_long_tables_are_cut_with_a_note(tmp_path):
    con = build_report_db()
    out = render_reports(con, tmp_path, PERIOD, 4, replace(DEFAULTS, report_row_limits={"flagged": 2, "list": 1}))
    reader = read_page(out["counties"]["430521"])
    assert len(reader.tables["flagged-table"]) == 2
    assert len(reader.tables["problems-table"]) == 1
    assert "只列出前 2 行" in out["counties"]["430521"].read_text(encoding="utf-8")


def test_a_rerun_renders_only_its_county_and_the_overview(tmp_path):
    con = build_report_db()
    out = render_reports(con, tmp_path, PERIOD, 5, DEFAULTS, only_counties={"430522"})
    assert list(out["counties"]) == ["430522"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["430522.html", "index.html"]


def test_a_cut_flagged_list_is_headed_with_the_county_s_count_not_the_rows_shown(tmp_path):
    """A flagged list cut at its row limit says how many households are flagged, not the limit as their number."""
    con = build_report_db()
    out = render_reports(con, tmp_path, PERIOD, 4, replace(DEFAULTS, report_row_limits={"flagged": 2, "list": 1}))
    flagged = con.execute("SELECT count(*) FROM household_status WHERE county_code = '430521' AND period = ? "
                          "AND flags <> ''", [PERIOD]).fetchone()[0]
    html = out["counties"]["430521"].read_text(encoding="utf-8")
    assert flagged > 2 and f"标记户清单（共 {flagged} 户，列出前 2 户）" in html
    assert f"共 {flagged} 户，完整清单见附录" in html  # the brief's work list
