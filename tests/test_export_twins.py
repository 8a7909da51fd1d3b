"""The .xlsx twins of the CSV exports, read back with calamine (as returns are read): Chinese headers, names
beside codes, every ID and code a text cell, frozen header and filters, the same rows as the CSV."""
from __future__ import annotations

import csv
import re
import zipfile

import fastexcel

from tasks.departments.exports import write_department_checks
from tasks.report.exports import write_exports
from tests.support.store_builder import VILLAGE, build_store, linear_year, rebuild_marts, settings_with

SILENT = "430521100009"
HOUSEHOLDS = [f"{VILLAGE}{n:04d}" for n in range(1, 11)]  # ten neighbours: Excel's 4.30521E+15 made them one


def build():
    """Ten households under the line in March 2020, a bad row, and a village without a return."""
    rows = []
    for number, household_id in enumerate(HOUSEHOLDS):
        rows += linear_year(household_id, 2020, 6, wage=8000.0 + 100 * number, head_name="李四", labor_count=0,
                            head_id_number="430521199001011234")
    con = build_store(rows, villages=[SILENT])
    con.execute("INSERT INTO problems VALUES (1, 3, ?, 'ROW_ID_NUMBER', 'warning', "
                "'身份证号430521199001011235校验位不符（户编号4305211000010002）', 1)", [HOUSEHOLDS[1]])
    con.execute("INSERT INTO problems VALUES (1, NULL, NULL, 'ROW_OUTLIER', 'warning', '=HYPERLINK(\"x\")', 1)")
    con.execute("INSERT INTO problems VALUES (1, 4, NULL, 'ROW_NOT_NUMBER', 'error', ?, 1)", ["收入<b>&\x01一千</b>"])
    return con


def read_csv(path) -> list[dict]:
    """A CSV export as dicts."""
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


def read_sheet(path) -> tuple[list[str], list[dict]]:
    """The first sheet of a workbook through calamine: its header and rows (dtypes as calamine infers them)."""
    sheet = fastexcel.read_excel(str(path)).load_sheet(0).to_polars()
    return sheet.columns, sheet.to_dicts()


def sheet_xml(path) -> str:
    """The XML of the first worksheet."""
    with zipfile.ZipFile(path) as book:
        return book.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_every_csv_export_has_a_twin_with_the_same_rows(tmp_path):
    con = build()
    rebuild_marts(con, settings_with(), "202003")
    written = write_exports(con, tmp_path, "202003")
    for name in ("flags", "problems", "village_signals"):
        assert written[f"{name}_xlsx"] == tmp_path / f"{name}.xlsx"
        header, rows = read_sheet(written[f"{name}_xlsx"])
        assert len(rows) == len(read_csv(written[name])) > 0, name
        assert all(not re.search(r"[a-z]_[a-z]", title) for title in header), header  # Chinese headers
        xml = sheet_xml(written[f"{name}_xlsx"])
        assert '<pane ySplit="1"' in xml and 'state="frozen"' in xml and "<autoFilter" in xml, name
        assert re.search(r'<col min="1" max="1" width="\d', xml), name  # columns sized


def test_flags_twin_keeps_16_digit_ids_as_text_with_names_and_labels(tmp_path):
    con = build()
    rebuild_marts(con, settings_with(), "202003")
    written = write_exports(con, tmp_path, "202003")
    header, rows = read_sheet(written["flags_xlsx"])
    assert header[:7] == ["县（区）代码", "县（区）", "乡镇代码", "乡镇", "村代码", "村", "户编号"]
    assert [r["户编号"] for r in rows] == [r["household_id"] for r in read_csv(written["flags"])] == HOUSEHOLDS
    first = rows[0]
    assert (first["县（区）代码"], first["村代码"], first["村"], first["数据月份"]) == ("430521", VILLAGE, "村", "202003")
    assert first["户主身份证号"] == "430521********1234" and first["户主姓名"] == "李*"
    assert first["监测标记"] == "低于监测线" and first["标记代码"] == "BELOW_LINE"
    assert isinstance(first["家庭人口"], float) and isinstance(first["预计全年人均纯收入（元）"], float)
    # the cells themselves: the ID column (G) holds strings (shared or inline), never numbers
    id_cells = [cells[7] for cells in cells_by_column(sheet_xml(written["flags_xlsx"]))]
    assert len(id_cells) == len(HOUSEHOLDS) + 1
    assert all(re.search(r' t="(s|inlineStr)"', cell) for cell in id_cells)


def cells_by_column(xml: str) -> list[dict[int, str]]:
    """Each row's cell tags by column number (1 = A), as a reader places them: by the cell's reference `r`, or,
    without one, the column after the row's previous cell."""
    rows = []
    for row in re.findall(r"<row\b.*?</row>", xml, re.S):
        cells, column = {}, 0
        for tag in re.findall(r"<c\b[^>]*>", row):
            ref = re.search(r' r="([A-Z]+)\d+"', tag)
            column = column + 1 if ref is None else \
                sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(ref.group(1))))
            cells[column] = tag
        rows.append(cells)
    return rows


def test_problems_twin_adds_the_county_masks_ids_and_defuses_formulas(tmp_path):
    con = build()
    written = write_exports(con, tmp_path, None)
    assert list(read_csv(written["problems"])[0]) == ["file", "village_code", "period", "row", "household_id",
                                                       "code", "level", "detail"]  # the CSV contract unchanged
    header, rows = read_sheet(written["problems_xlsx"])
    assert header[:3] == ["文件名", "县（区）代码", "县（区）"]
    by_code = {r["问题代码"]: r for r in rows}
    warning = by_code["ROW_ID_NUMBER"]
    assert (warning["县（区）代码"], warning["问题"], warning["级别"]) == ("430521", "身份证号校验未通过", "警告（已采用）")
    assert warning["户编号"] == HOUSEHOLDS[1] and warning["行号（Excel中）"] == 3
    assert warning["说明"] == "身份证号430521********1235校验位不符（户编号4305211000010002）"
    assert by_code["ROW_OUTLIER"]["说明"].startswith("'=")
    assert by_code["ROW_NOT_NUMBER"]["说明"] == "收入<b>&一千</b>"  # markup kept as text; a control character dropped
    assert "<f>" not in sheet_xml(written["problems_xlsx"])


def test_twins_are_byte_identical_when_nothing_changed(tmp_path):
    con = build()
    rebuild_marts(con, settings_with(), "202003")
    first = {k: p.read_bytes() for k, p in write_exports(con, tmp_path, "202003").items() if k.endswith("_xlsx")}
    again = {k: p.read_bytes() for k, p in write_exports(con, tmp_path, "202003").items() if k.endswith("_xlsx")}
    assert first == again and len(first) == 3


def test_the_problems_twin_holds_the_department_files_problems_too(small_city_run):
    """The city's run reads department files with problems of their own: the workbook lists every CSV row."""
    exports = small_city_run / "out" / "exports"
    csv_rows = read_csv(exports / "problems.csv")
    _, rows = read_sheet(exports / "problems.xlsx")
    department = [r["file"] for r in csv_rows if r["file"].startswith("dept_")]
    assert department, "the small city has department files with problems"
    assert [r["文件名"] for r in rows] == [r["file"] for r in csv_rows]


def test_the_department_checks_twin_names_county_township_and_village_beside_their_codes(tmp_path):
    """department_checks.xlsx, like every twin, gives each place's name beside its code, rows as in the CSV."""
    con = build()
    finding = "INSERT INTO department_findings VALUES ('202003', ?, ?, ?, ?, ?, NULL, ?, ?, DATE '2020-03-02', " \
              "'202003', NULL, ?, ?, false, NULL, NULL, NULL)"
    con.execute(finding, [VILLAGE[:6], VILLAGE[:9], VILLAGE, HOUSEHOLDS[0], "430521199001011234", "civil",
                          "DIBAO_NEW", "CLUE", "民政局报新增低保"])
    con.execute(finding, [VILLAGE[:6], None, None, None, "430521198001011237", "civil", "DIBAO_NEW",
                          "UNREGISTERED", "未在册人员新增低保"])
    written = write_department_checks(con, tmp_path)
    header, rows = read_sheet(written["department_checks_xlsx"])
    assert header[:7] == ["县（区）代码", "县（区）", "乡镇代码", "乡镇", "村代码", "村", "户编号"]
    assert [(r["县（区）"], r["乡镇"], r["村"]) for r in rows] == [("县", "乡", "村"), ("县", None, None)]
    assert [r["户编号"] for r in rows] == [r["household_id"] or None for r in read_csv(written["department_checks"])]
