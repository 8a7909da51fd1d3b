"""The rest of the audit of a county page (charts' data, lists, the ledger's cards) and of the city page; each
function takes the Audit (tests/support/page_audit.py) and notes what differs."""
from __future__ import annotations

import re
from collections import Counter

from tests.support.html_tree import Element, table_rows

SHARE = re.compile(r"([\d.]+)%")


def near(shown: str, stored: float) -> bool:
    """Whether a share shown as a percentage of 1–3 significant digits is the stored share, to its rounding."""
    value = float(SHARE.search(shown).group(1))
    decimals = len(shown.split("%")[0].split(".")[1]) if "." in shown.split("%")[0] else 0
    return abs(value - stored * 100) <= 0.5 * 10 ** -decimals + 1e-9


def trend_chart(audit, county: str, doc: Element) -> None:
    """The trend chart's points of this income year: the share below the line and flagged, month by month."""
    svg = doc.find("section", id="charts").find("svg")
    titles = [t.text() for t in svg.iter("title")]
    months = [p for (p,) in audit.rows("SELECT DISTINCT period FROM household_status WHERE county_code = ? AND "
                                       "income_year = ? AND period <= ? ORDER BY period",
                                       [county, audit.income_year(), audit.period])]
    for label, column in (("低于线·本年 ", "is_below_line"), ("标记户·本年 ", "flags <> ''")):
        shown = [t[len(label):] for t in titles if t.startswith(label) and t != label.strip()]
        stored = [audit.rows(f"SELECT count(*) FILTER (WHERE {column}) / count(*) FROM household_status "
                             "WHERE county_code = ? AND period = ?", [county, p])[0][0] for p in months]
        audit.checked["trend"] += 1
        if len(shown) != len(stored) or not all(near(s, v) for s, v in zip(shown, stored)):
            audit.found.append(f"{county} trend {label.strip()}: shown {shown}, store {stored}")


def histogram(audit, county: str, doc: Element) -> None:
    """The income distribution's households per group against the flags."""
    svgs = doc.find("section", id="charts").find_all("svg")
    titles = [t.text() for svg in svgs if "收入分布" in svg.find("title").text() for t in svg.iter("title")]
    shown = Counter()
    for title in titles:
        match = re.fullmatch(r"(低于监测线|临界边缘|其余) ([\d,]+) 户", title)
        if match:
            shown[match.group(1)] += int(match.group(2).replace(",", ""))
    below, near_line, projected = audit.rows(
        "SELECT count(*) FILTER (WHERE is_below_line), count(*) FILTER (WHERE is_near_line), count(*) "
        "FROM household_status WHERE county_code = ? AND period = ? AND projected_per_capita IS NOT NULL",
        [county, audit.period])[0]
    audit.differs(f"{county} histogram", dict(shown),
                  {k: v for k, v in {"低于监测线": below, "临界边缘": near_line,
                                     "其余": projected - below - near_line}.items() if v})


def case_cards(audit, county: str, doc: Element) -> None:
    """The ledger's cards: cases not done, overdue, removal candidates."""
    section = doc.find("section", id="cases")
    if section is None:
        return
    cards = {c.find("div", class_="label").text(): c.find("div", class_="value").text()
             for c in section.find_all("div", class_="card")}
    stored = audit.rows("SELECT count(*) FILTER (WHERE status IN ('open', 'confirmed', 'assisting')), "
                        "count(*) FILTER (WHERE overdue_days > 0), count(*) FILTER (WHERE is_removal_candidate) "
                        "FROM cases WHERE county_code = ?", [county])[0]
    shown = tuple(int(cards[k].replace(",", "")) for k in ("未办结", "逾期", "可申请风险消除"))
    audit.differs(f"{county} case cards", shown, stored)


def problems_list(audit, county: str, doc: Element) -> None:
    """The data problems of the month: rows, codes and files against problems and history_problems."""
    section = doc.find("section", id="problems")
    table = section.find("table")
    if table is None or section.find("p", class_="cut"):
        return
    _, rows = table_rows(table)
    stored = audit.rows(
        "SELECT count(*) FROM (SELECT file_id FROM problems UNION ALL SELECT file_id FROM history_problems) p "
        "JOIN problem_files f USING (file_id) WHERE f.period = ? AND left(f.village_code, 6) = ?",
        [audit.period, county])[0][0]
    audit.differs(f"{county} problems listed", len(rows), stored)


def missing_list(audit, county: str, doc: Element) -> None:
    """Households whose data is missing: each listed household's rows all quarantined in that month's file."""
    table = doc.find("section", id="missing").find("table")
    if table is None:
        return
    _, rows = table_rows(table)
    for row in rows:
        if row[2] in ("", "—", "（户编号无效）") or "*" in row[2]:  # no 户编号, or a person's ID written in its place (masked)
            continue
        held = audit.rows("SELECT count(*) FROM households_data_missing WHERE household_id = ? AND period = ?",
                          [row[2], row[3]])[0][0]
        good = audit.rows("SELECT count(*) FROM household_months WHERE household_id = ? AND period >= ? "
                          "AND period <= ?", [row[2], row[3], audit.period])[0][0]
        if not held or good:
            audit.found.append(f"{county} missing list {row[2]} {row[3]}: store missing {held}, good rows {good}")


def department_list(audit, county: str, doc: Element) -> None:
    """The 部门比对 findings listed: as many as the store holds for the county (unless cut)."""
    section = doc.find("section", id="departments")
    table = section and section.find("table", id="department-findings-table")
    if table is None or section.find("p", class_="cut"):
        return
    _, rows = table_rows(table)
    stored = audit.rows("SELECT count(*) FROM department_findings WHERE county_code = ? AND as_of = ? "
                        "AND NOT is_outside", [county, audit.period])[0][0]
    audit.differs(f"{county} department findings listed", len(rows), stored)


def reporting_month(audit, county: str, doc: Element) -> None:
    """The reporting table's column of the as-of month agrees with the villages' table and the card."""
    header, rows = table_rows(doc.find("table", id="reporting-table"))
    usable = sum(1 for r in rows if r[-1].startswith(("✓", "△")))
    reported, _ = audit.reported(county, audit.period)
    audit.differs(f"{county} reporting table usable returns of the month", usable, reported)


def city_page(audit, doc: Element) -> None:
    """The city page: totals, each county's row, the ledger and department tables."""
    _, rows = table_rows(doc.find("table", id="counties-table"))
    for row, county in zip(rows, [c for c in audit.counties if audit.status_counts(c, audit.period)]):
        stored = audit.status_counts(county, audit.period)
        shown = [int(row[i].replace(",", "")) for i in (1, 4, 5, 6, 7, 8, 9)]
        audit.differs(f"city row {county}", shown, [stored[k] for k in (
            "监测户数", "低于监测线", "临界边缘", "收入骤减", "脱贫不稳定", "三保障及饮水问题", "标记户")])
        reported, villages = audit.reported(county, audit.period)
        audit.differs(f"city row {county} 本月报送村", row[10], f"{reported} / {villages}")
    cards = {c.find("div", class_="label").text(): c.find("div", class_="value").children[0].strip()
             for c in doc.find("section", id="totals").find_all("div", class_="card")}
    total = audit.rows("SELECT count(*), count(*) FILTER (WHERE flags <> '') FROM household_status WHERE period = ?",
                       [audit.period])[0]
    audit.differs("city cards", (int(cards["监测户数"].replace(",", "")), int(cards["标记户"].replace(",", ""))), total)
    names = dict(audit.rows("SELECT name, code FROM admin_units WHERE level = 'county'"))
    for row in table_rows(doc.find("table", id="cases-city-table"))[1]:
        stored = audit.rows("SELECT count(*) FILTER (WHERE status IN ('open', 'confirmed', 'assisting')), "
                            "count(*) FILTER (WHERE overdue_days > 0), count(*) FILTER (WHERE is_removal_candidate) "
                            "FROM cases WHERE county_code = ?", [names[row[0]]])[0]
        audit.differs(f"city cases {row[0]}", (int(row[1]), int(row[2]), int(row[4])), stored)
    table = doc.find("table", id="department-city-table")
    if table is not None:
        _, rows = table_rows(table)
        stored = dict(audit.rows("SELECT CASE WHEN is_outside THEN '外地' ELSE county_code END, count(*) "
                                 "FROM department_findings WHERE as_of = ? GROUP BY 1", [audit.period]))
        shown = {("外地" if r[0] == "外地" else r[0][-6:]): int(r[-1]) for r in rows}
        audit.differs("city department findings", shown, stored)
