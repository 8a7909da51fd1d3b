"""County pages fetched in one query per section for many counties: each county gets exactly its own rows, the
same as when it is fetched alone, and as many as a direct count of the store says (none dropped, none moved)."""
from __future__ import annotations

import re
import shutil

import polars as pl
import pytest

from core import db
from core.db import relations
from tasks.report.data import CITY_SECTIONS, fetch_city, fetch_counties
from tasks.report.rows import FRAME_BUILDERS, build_frame_rows

LIMITS = {"flagged": 6000, "list": 2500}
SMALL_LIMITS = {"flagged": 3, "list": 2}


@pytest.fixture(scope="module")
def city_store(small_city_run, tmp_path_factory):
    """A copy of the small city's store after its nightly run, with its as-of month, counties and relations."""
    copy = tmp_path_factory.mktemp("batch") / "db.duckdb"
    shutil.copy(small_city_run / "db.duckdb", copy)
    con = db.connect(copy, read_only=True)
    _, period = con.execute(db.sql_text("reports/latest_run")).fetchall()[0]
    codes = [c for (c,) in con.execute("SELECT code FROM admin_units WHERE level = 'county' ORDER BY code").fetchall()]
    yield con, period, codes, relations(con)
    con.close()


def plain(pages: dict[str, dict]) -> dict[str, dict]:
    """Pages' data with each frame (a long list's, a whole section's) as a list of dicts (frames do not compare with ==)."""
    def rows(value):
        return value.to_dicts() if isinstance(value, pl.DataFrame) else value

    return {code: {key: {k: rows(v) for k, v in section.items()} if isinstance(section, dict) else rows(section)
                   for key, section in page.items()} for code, page in pages.items()}


def fetch_plain(con, codes, period, relations, limits, row_html=None) -> dict[str, dict]:
    """fetch_counties with the long lists as lists of dicts."""
    return plain(fetch_counties(con, codes, period, relations, limits, row_html))


# households whose every row of their latest quarantined month up to $2 was quarantined, with no good row since
MISSING_UNTIL_A_GOOD_ROW = """
    WITH listed AS (  -- a 户编号 of another village is no household of the file's village
        SELECT * REPLACE (CASE WHEN household_id LIKE village_code || '%' THEN household_id END AS household_id)
        FROM households_data_missing)
    SELECT count(*) FROM listed m
    WHERE m.county_code = $1 AND m.period <= $2
      AND (m.period = $2 AND (m.household_id IS NULL OR m.household_id NOT IN (
               SELECT household_id FROM household_months WHERE period < $2))
           OR m.household_id IN (SELECT household_id FROM household_months h WHERE h.period < m.period)
              AND NOT EXISTS (SELECT 1 FROM listed l
                              WHERE l.household_id = m.household_id AND l.period > m.period AND l.period <= $2)
              AND NOT EXISTS (SELECT 1 FROM household_months h
                              WHERE h.household_id = m.household_id AND h.period > m.period AND h.period <= $2))"""


def direct_count(con, query: str, county_code: str, period: str) -> int:
    """A count straight from the store's tables for one county (test-side, independent of sql/reports/)."""
    return con.execute(query, [county_code, period]).fetchall()[0][0]


def test_the_small_city_has_rows_in_every_long_list(city_store):
    con, period, codes, relations = city_store
    fetched = fetch_plain(con, codes, period, relations, LIMITS)
    assert len(codes) > 1
    for key in ("flagged", "problems", "missing"):
        assert sum(len(fetched[c][key]["rows"]) > 0 for c in codes) > 1, key  # several counties, or the test is weak


@pytest.mark.parametrize("limits", [LIMITS, SMALL_LIMITS], ids=["full", "cut"])
def test_each_county_gets_what_it_gets_when_fetched_alone(city_store, limits):
    con, period, codes, relations = city_store
    together = fetch_plain(con, codes, period, relations, limits, FRAME_BUILDERS)  # as pages are fetched
    assert list(together) == codes
    for code in codes:
        alone = fetch_plain(con, [code], period, relations, limits, FRAME_BUILDERS)[code]
        assert together[code] == alone, code


def test_the_sections_pages_take_from_the_city_overview_are_what_they_fetch_themselves(city_store):
    con, period, codes, relations = city_store
    city = fetch_city(con, period)
    fetched = fetch_plain(con, codes[1:], period, relations, LIMITS)  # a rerun's counties: some of the city's
    for code in codes[1:]:
        for key in CITY_SECTIONS:
            assert city["sections"][key][code] == fetched[code][key], (code, key)
    assert any(city["sections"][key][code] for key in CITY_SECTIONS for code in codes)  # or the test is weak


def test_rows_belong_to_their_county_and_none_are_dropped(city_store):
    con, period, codes, relations = city_store
    fetched = fetch_plain(con, codes, period, relations, LIMITS)
    for code in codes:
        page = fetched[code]
        flagged = {r["household_id"] for r in page["flagged"]["rows"]}
        expected = {h for (h,) in con.execute("SELECT household_id FROM household_status WHERE county_code = ? "
                                              "AND period = ? AND flags <> ''", [code, period]).fetchall()}
        assert flagged == expected and not page["flagged"]["is_cut"], code
        villages = {r["village_code"] for r in page["villages"]}
        assert villages == {v for (v,) in con.execute(
            "SELECT v.code FROM admin_units v JOIN admin_units t ON t.code = v.parent_code "
            "WHERE v.level = 'village' AND t.parent_code = ?", [code]).fetchall()}, code
        assert len(page["problems"]["rows"]) == direct_count(
            con, "SELECT count(*) FROM (SELECT file_id FROM problems UNION ALL SELECT file_id FROM history_problems) "
                 "JOIN problem_files f USING (file_id) WHERE left(f.village_code, 6) = ? AND f.period = ?",
            code, period), code
        assert len(page["missing"]["rows"]) == direct_count(con, MISSING_UNTIL_A_GOOD_ROW, code, period)
        households = direct_count(con, "SELECT count(*) FROM household_status WHERE county_code = ? AND period = ?",
                                  code, period)
        assert sum(r["households_count"] for r in page["townships"]) == households, code
        assert sum(r["households_count"] for r in page["histogram"]) == households, code
        latest = [r["households_count"] for r in page["trend"] if r["period"] == period]
        assert latest == ([households] if households else []), code
        listed = page["signals"] + page["problems"]["rows"] + page["missing"]["rows"]
        assert {r["village_code"][:6] for r in listed} <= {code}, code


def test_a_cut_list_holds_the_first_rows_of_its_own_county(city_store):
    con, period, codes, relations = city_store
    full = fetch_plain(con, codes, period, relations, LIMITS)
    cut = fetch_plain(con, codes, period, relations, SMALL_LIMITS)
    for code in codes:
        for key, limit in (("flagged", 3), ("problems", 2), ("missing", 2)):
            rows = full[code][key]["rows"]
            assert cut[code][key]["rows"] == rows[:limit], (code, key)
            assert cut[code][key]["is_cut"] == (len(rows) > limit), (code, key)


def test_the_income_chart_counts_below_and_near_as_the_households_flags_do(city_store):
    """The chart's groups are household_status's own: near is the line up to line × near_line_factor (a bin of a
    fifth of the line across that edge is split), as the 临界边缘 key figure counts it."""
    from tasks.report.figures import histogram_chart

    con, period, codes, found = city_store
    fetched = fetch_plain(con, codes, period, found, LIMITS)
    for code in codes:
        below, near, line = con.execute(
            "SELECT count(*) FILTER (projected_per_capita < line), count(*) FILTER (is_near_line), any_value(line) "
            "FROM household_status WHERE county_code = ? AND period = ? AND projected_per_capita IS NOT NULL",
            [code, period]).fetchone()
        chart = str(histogram_chart(fetched[code]["histogram"], line, 1.5))
        assert f"低于监测线 {below:,}户" in chart and f"临界边缘 {near:,}户" in chart, code
        assert f"{near:,} 户在监测线至其1.5倍之间" in chart, code


def test_the_flagged_table_shows_the_bands_yuan_whole_at_both_ends(city_store):
    """household_status writes the band as （区间1965.79–2307.45元）: the page rounds both ends to whole yuan."""
    con, period, codes, found = city_store
    fetched = fetch_plain(con, codes, period, found, LIMITS)
    reasons = [r["reasons"] for code in codes for r in fetched[code]["flagged"]["rows"] if "区间" in (r["reasons"] or "")]
    assert reasons
    assert all(re.search(r"区间[0-9,]+元–[0-9,]+元", text) and not re.search(r"区间[0-9,]*\.", text) for text in reasons)


# the page's rewording of the exports' reasons as the flagged list did it before household_status wrote page_reasons,
# each figure to the fen rounded half up (四舍五入; the flagged list rounded halves to even)
REWORDED = r"""
SELECT household_id, period, page_reasons,
       array_to_string(list_transform(
           regexp_extract_all(regexp_replace(regexp_replace(reasons, '【[^】]*】', '', 'g'),
                                             '区间([0-9]+\.[0-9]+)–', '区间\1元–', 'g'),
                              '[0-9]+\.[0-9]+元|[^0-9]+|[0-9.]+'),
           lambda piece: CASE WHEN regexp_full_match(piece, '[0-9]+\.[0-9]+元')
                              THEN format('{:,.0f}元', round(CAST(rtrim(piece, '元') AS DOUBLE))) ELSE piece END), '')
           AS reworded
FROM household_status WHERE flags <> ''
"""


def below_its_limit(page: str, reworded: str) -> bool:
    """Whether the page's reasons are the rewording but for a figure shown a yuan under a limit it quotes (监测线 or
    its multiple), where rounding half up would have made a figure below the limit read as the limit itself."""
    limits = {int(n.replace(",", "")) for n in re.findall(r"(?:监测线|倍（)([0-9,]+)元", page)}
    return any(page.replace(f"{limit - 1:,}元", f"{limit:,}元", 1) == reworded for limit in limits)


def test_the_pages_reasons_are_the_exports_reasons_reworded(city_store):
    """household_status writes each flagged household's reasons twice from the same figures: for the exports (with
    their 【label】, yuan to the fen) and for the pages (page_reasons: no label, whole yuan with separators); the
    latter is the former reworded, in every flagged row of every month of the city's run; the figures in whole
    yuan are the exports' to the fen rounded half up, but where that would make a figure below a limit read as the
    limit (5999.50 below 6000: 5,999, not 6,000)."""
    con = city_store[0]
    rows = con.execute(REWORDED).fetchall()
    kinds = con.execute("SELECT DISTINCT unnest(string_split(flags, ';')) FROM household_status").fetchall()
    assert len(rows) > 1000 and {k for (k,) in kinds} >= {"BELOW_LINE", "NEAR_LINE", "SUDDEN_DROP", "GUARANTEE_GAP"}
    assert [row for row in rows if row[2] != row[3] and not below_its_limit(row[2], row[3])] == []
    assert not [row for row in rows if "【" in row[2] or re.search(r"[0-9]\.[0-9]+元", row[2])]
    halves = con.execute("SELECT count(*) FROM household_status WHERE flags <> '' AND regexp_matches(reasons, "
                         "'[0-9]\\.50元')").fetchone()[0]
    assert halves > 0  # a figure of x.50 yuan is among them (rounded up)


def test_a_quarantined_household_stays_listed_until_a_good_row_arrives():
    """policy.md: a quarantined household does not vanish. Its August row quarantined and September's return
    leaving it out, the September page listed it nowhere (the list held September's quarantined rows only)."""
    from tests.support.store_builder import build_store, household_row, rebuild_marts, settings_with

    village = "430521001001"
    rows = [household_row(f"{village}{n:04d}", p, wage=9000.0, is_quarantined=(n, p) in bad)
            for bad in [{(2, "202008"), (3, "202008"), (4, "202009"), (5, "202008")}]
            for n, p in [(1, "202007"), (2, "202007"), (3, "202007"), (4, "202007"),
                         (1, "202008"), (2, "202008"), (3, "202008"), (4, "202008"), (5, "202008"),
                         (1, "202009"), (3, "202009"), (4, "202009")]]
    con = build_store(rows)
    quarantined = con.execute("SELECT file_id, source_row, household_id FROM return_rows WHERE is_quarantined").fetchall()
    con.executemany("INSERT INTO problems VALUES (?, ?, ?, 'ROW_OUT_OF_RANGE', 'error', '工资性收入为负', 1)",
                    quarantined)
    db.run(con, "schema/backfill/file_missing_households")  # what the load notes of rows and problems it writes
    rebuild_marts(con, settings_with(share_min_households=1), "202009")
    page = fetch_plain(con, ["430521"], "202009", relations(con), LIMITS)["430521"]
    listed = [(r["household_id"], r["period"]) for r in page["missing"]["rows"]]
    # 0002: quarantined in August, absent in September; 0003: a good row in September; 0004: quarantined now;
    # 0005: first seen in August, quarantined (a wrong 户编号 names no household a later row brings back)
    assert listed == [(f"{village}0004", "202009"), (f"{village}0002", "202008")]
    assert len(listed) == direct_count(con, MISSING_UNTIL_A_GOOD_ROW, "430521", "202009")
    frame = fetch_counties(con, ["430521"], "202009", relations(con), LIMITS)["430521"]["missing"]["rows"]
    html = build_frame_rows(frame, FRAME_BUILDERS["missing"])
    assert f"{village}0002</td><td class=\"c\">202008</td>" in html
