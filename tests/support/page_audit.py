"""An audit of the pages and exports against the store: every figure they show recomputed from the DuckDB tables
(README documents them) independently of sql/reports/, and what differs listed in words. Used by
tests/test_pages_true_to_store.py and by benchmarks/audit_pages.py on a demo folder."""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import duckdb

from tests.support import export_audit
from tests.support import page_audit_more as more
from tests.support import privacy_audit
from tests.support.html_tree import Element, parse_html, table_rows

FLAG_CARDS = {"低于监测线": "is_below_line", "临界边缘": "is_near_line", "收入骤减": "is_sudden_drop",
              "脱贫不稳定": "is_unstable_lifted", "三保障及饮水问题": "has_guarantee_gap"}
STATUS_COLUMNS = {"待核查": "open", "已核实": "confirmed", "帮扶中": "assisting", "不属实": "dismissed", "已销号": "closed"}
FINDING_COLUMNS = {"风险线索": "CLUE", "信息不一致": "MISMATCH", "财产核查": "ASSET", "疑似漏评": "UNREGISTERED"}
ID_SHAPED = re.compile(r"(?<![\dK])\d{17}[\dXx](?!\d)|(?<![\dK])\d{15}(?!\d)")  # K…: a case's 台账编号
HOUSEHOLD_ID = re.compile(r"(?<![\dK*])\d{16}(?![\d*])")  # K…: a case's 台账编号


def number(text: str) -> int:
    """A whole number as a page writes it (thousands commas, a − for minus)."""
    return int(text.replace(",", "").replace("−", "-").strip())


def mask_name(name: str | None) -> str:
    """A name as policy.md masks it: its first character and *."""
    return "" if not name else name[0] + "*"


def mask_id(id_number: str | None) -> str:
    """An ID as policy.md masks it: first 6 and last 4, stars between."""
    return "" if not id_number else id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


class Audit:
    """The store and the outputs of one run, and the differences found between them."""

    def __init__(self, db_path: Path, out: Path):
        self.con = duckdb.connect(str(db_path), read_only=True)
        self.out = out
        self.found: list[str] = []
        self.checked: Counter = Counter()  # comparisons made, by what was compared (an audit that compared nothing is no pass)
        self.period = self.con.execute(
            "SELECT as_of_period FROM runs WHERE status = 'completed' ORDER BY run_id DESC LIMIT 1").fetchall()[0][0]
        self.counties = [c for (c,) in self.con.execute(
            "SELECT code FROM admin_units WHERE level = 'county' ORDER BY code").fetchall()]

    def differs(self, where: str, shown, stored) -> None:
        """Note a figure that is not the store's."""
        self.checked[next(w for w in where.split(" ") if not w[:1].isdigit())] += 1  # by its first word not a code
        if shown != stored:
            self.found.append(f"{where}: shown {shown!r}, store {stored!r}")

    def relations(self) -> set[str]:
        """The store's tables and views."""
        return {n for (n,) in self.rows("SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views()")}

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        """The store's rows."""
        return self.con.execute(sql, params or []).fetchall()

    def status_counts(self, county: str, period: str) -> dict | None:
        """A county's key figures of a month counted from household_status (None when it holds no row)."""
        flags = ", ".join(f"count(*) FILTER (WHERE {c})" for c in FLAG_CARDS.values())
        row = self.rows(f"SELECT count(*), sum(household_size), count(*) FILTER (WHERE flags <> ''), {flags} "
                        "FROM household_status WHERE county_code = ? AND period = ?", [county, period])[0]
        if not row[0]:
            return None
        return dict(zip(["监测户数", "people", "标记户", *FLAG_CARDS], row))

    def run(self) -> list[str]:
        """Every check; the differences found."""
        for county in self.counties:
            page = self.out / "reports" / f"{county}.html"
            if page.exists():
                self.county_page(county, parse_html(page.read_text(encoding="utf-8")))
        city = parse_html((self.out / "reports" / "index.html").read_text(encoding="utf-8"))
        more.city_page(self, city)
        export_audit.sample_links(self, city)
        self.flags_export()
        export_audit.exports(self)
        export_audit.case_workbooks(self)
        privacy_audit.privacy(self)
        return self.found

    # --- a county page -------------------------------------------------------------------------------------------

    def county_page(self, county: str, doc: Element) -> None:
        """Every figure and list of a county page against the store."""
        self.cards(county, doc)
        self.flagged_list(county, doc)
        self.signals(county, doc)
        self.cases_townships(county, doc)
        self.department_counts(county, doc)
        self.villages(county, doc)
        self.only_its_county(county, doc)
        for check in (more.trend_chart, more.histogram, more.case_cards, more.problems_list, more.missing_list,
                      more.department_list, more.reporting_month):
            check(self, county, doc)

    def cards(self, county: str, doc: Element) -> None:
        """The key-figure cards: counts, shares and changes from last month."""
        cards = {}
        for card in doc.find("section", id="figures").find_all("div", class_="card"):
            value = card.find("div", class_="value")
            share = value.find("span", class_="share")
            subs = [s.text() for s in card.find_all("div", class_="sub")]
            cards[card.find("div", class_="label").text()] = (value.children[0].strip(), share and share.text(), subs)
        stored = self.status_counts(county, self.period)
        if stored:
            for label in ["监测户数", "标记户", *FLAG_CARDS]:
                self.differs(f"{county} card {label}", number(cards[label][0]), stored[label])
                if label != "监测户数":
                    self.differs(f"{county} card {label} share", cards[label][1],
                                 f"占 {stored[label] / stored['监测户数'] * 100:.1f}%")
            self.differs(f"{county} card people", cards["监测户数"][2][0], f"涉及人口 {stored['people']:,} 人")
            self.month_changes(county, cards, stored)
        reported, villages = self.reported(county, self.period)
        self.differs(f"{county} card 本月报送村", cards["本月报送村"][0], f"{reported} / {villages}")

    def month_changes(self, county: str, cards: dict, stored: dict) -> None:
        """较上月 under each card, against household_status of the month before in the same income year."""
        before_period = self.rows("SELECT strftime(strptime(? || '01', '%Y%m%d') - INTERVAL 1 MONTH, '%Y%m')",
                                  [self.period])[0][0]
        if self.period[4:] == "10":
            return  # the month before is last income year's: household_status no longer holds it
        before = self.status_counts(county, before_period)
        for label in ["监测户数", "标记户", *FLAG_CARDS]:
            note = next((n for n in cards[label][2] if n.startswith("较上月")), None)
            if before is None:
                continue
            change = stored[label] - before[label]
            expected = "较上月 持平" if change == 0 else f"较上月 {'+' if change > 0 else '−'}{abs(change):,}户"
            self.differs(f"{county} card {label} 较上月", note and note.split("（")[0], expected)

    def reported(self, county: str, period: str) -> tuple[int, int]:
        """Villages of the county with a usable return of the month (a current file with a used row), and all."""
        return self.rows(
            "SELECT count(DISTINCT f.village_code) FILTER (WHERE f.rows_used > 0), count(DISTINCT v.code) "
            "FROM admin_units v JOIN admin_units t ON t.code = v.parent_code "
            "LEFT JOIN current_files f ON f.village_code = v.code AND f.period = ? "
            "WHERE v.level = 'village' AND t.parent_code = ?", [period, county])[0]

    def flagged_list(self, county: str, doc: Element) -> None:
        """The flagged households' list: its count, households, masked names and IDs."""
        section = doc.find("section", id="appendix-flagged")
        stored = {r[0]: r[1:] for r in self.rows(
            "SELECT household_id, head_name, head_id_number FROM household_status "
            "WHERE county_code = ? AND period = ? AND flags <> ''", [county, self.period])}
        title = section.find("h2").text()
        self.differs(f"{county} flagged title", title, f"标记户清单（{len(stored):,} 户）")
        header, rows = table_rows(section.find("table"))
        at = {name: header.index(name) for name in ("户编号", "户主", "身份证号") if name in header}
        for row in rows:
            household = row[at["户编号"]]
            if household not in stored:
                self.found.append(f"{county} flagged list: {household} not flagged in the store")
                continue
            name, id_number = stored[household]
            self.differs(f"{county} flagged {household} name", row[at["户主"]], mask_name(name))
            self.differs(f"{county} flagged {household} ID", row[at["身份证号"]], mask_id(id_number))
        if not section.find("p", class_="cut"):
            self.differs(f"{county} flagged list households", sorted(r[at["户编号"]] for r in rows), sorted(stored))

    def signals(self, county: str, doc: Element) -> None:
        """The village signals table against village_signals of the month."""
        _, rows = table_rows(doc.find("table", id="signals-table"))
        shown = sorted((r[0], r[4]) for r in rows)
        stored = sorted(self.rows("SELECT village_code, detail FROM village_signals WHERE county_code = ? "
                                  "AND period = ?", [county, self.period]))
        self.differs(f"{county} signals", shown, stored)

    def cases_townships(self, county: str, doc: Element) -> None:
        """The 待办台账 counts by township against the cases table."""
        header, rows = table_rows(doc.find("table", id="cases-townships-table"))  # no table: no rows
        names = dict(self.rows("SELECT code, name FROM admin_units WHERE level = 'township'"))
        for row in rows:
            township = next((c for c, n in names.items() if n == row[0] and c.startswith(county)), row[0])
            stored = dict(zip(["open", "confirmed", "assisting", "dismissed", "closed", "overdue", "removal"], self.rows(
                "SELECT " + ", ".join(f"count(*) FILTER (WHERE status = '{s}')" for s in STATUS_COLUMNS.values())
                + ", count(*) FILTER (WHERE overdue_days > 0), count(*) FILTER (WHERE is_removal_candidate) "
                "FROM cases WHERE county_code = ? AND township_code = ? AND (status IN ('open','confirmed','assisting')"
                " OR (CASE WHEN right(opened_period, 2) >= '10' THEN left(opened_period, 4)::INT + 1 "
                "ELSE left(opened_period, 4)::INT END) = ?)", [county, township, self.income_year()])[0]))
            for label, value in zip(header[1:], row[1:]):
                key = STATUS_COLUMNS.get(label) or {"逾期": "overdue", "可申请风险消除": "removal"}[label]
                self.differs(f"{county} cases {row[0]} {label}", number(value), stored[key])

    def income_year(self) -> int:
        """The as-of month's income year (October starts the next year's)."""
        year, month = int(self.period[:4]), int(self.period[4:])
        return year + 1 if month >= 10 else year

    def department_counts(self, county: str, doc: Element) -> None:
        """部门比对 counts per department × finding against department_findings."""
        header, rows = table_rows(doc.find("table", id="department-counts-table"))  # no table: no rows
        labels = dict(self.rows("SELECT label, code FROM department_labels WHERE kind = 'department'"))
        for row in rows:
            if row[0] in ("合计", "总计"):
                continue
            counts = Counter(dict(self.rows(
                "SELECT finding, count(*) FROM department_findings WHERE county_code = ? AND as_of = ? "
                "AND NOT is_outside AND department = ? GROUP BY finding", [county, self.period, labels[row[0]]])))
            for label, value in zip(header[1:], row[1:]):
                stored = counts.total() if label == "合计" else counts[FINDING_COLUMNS[label]]
                self.differs(f"{county} departments {row[0]} {label}", number(value), stored)

    def villages(self, county: str, doc: Element) -> None:
        """Each village's return of the month: used and quarantined rows of its current file."""
        _, rows = table_rows(doc.find("table", id="villages-table"))
        stored = {v: (used, quarantined) for v, used, quarantined in self.rows(
            "SELECT village_code, rows_used, rows_quarantined FROM current_files WHERE period = ? "
            "AND left(village_code, 6) = ?", [self.period, county])}
        for row in rows:
            used, quarantined = stored.get(row[0], (0, 0))
            self.differs(f"{county} village {row[0]} rows", (number(row[4]), number(row[5])), (used, quarantined))

    def only_its_county(self, county: str, doc: Element) -> None:
        """No household number of another county, and no ID-shaped text, anywhere in the page's text."""
        texts = [c for e in doc.iter() for c in e.children if isinstance(c, str)]  # each text apart: cells not run together
        for household in {h for t in texts for h in HOUSEHOLD_ID.findall(t)}:
            if not household.startswith(county):
                self.found.append(f"{county} page shows another county's household {household}")
        for whole in {i for t in texts for i in ID_SHAPED.findall(t)}:
            self.found.append(f"{county} page shows an unmasked ID-shaped number {whole[:6]}…")

    # --- exports -------------------------------------------------------------------------------------------------

    def flags_export(self) -> None:
        """flags.csv: one row per flagged household of the as-of month, its flags and masked head."""
        path = self.out / "exports" / "flags.csv"
        with path.open(encoding="utf-8-sig", newline="") as f:
            shown = {r["household_id"]: r for r in csv.DictReader(f)}
        stored = {r[0]: r[1:] for r in self.rows(
            "SELECT household_id, head_name, head_id_number, flags, county_code FROM household_status "
            "WHERE period = ? AND flags <> ''", [self.period])}
        self.differs("flags.csv households", sorted(shown), sorted(stored))
        for household, row in shown.items():
            if household in stored:
                name, id_number, flags, county = stored[household]
                self.differs(f"flags.csv {household}",
                             (row["head_name_masked"], row["head_id_masked"], row["flags"], row["county_code"]),
                             (mask_name(name), mask_id(id_number), ";".join(sorted(flags.split(";"))), county))
