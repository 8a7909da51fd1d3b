"""A filled case workbook's sheets as the import reads them: header columns, result-less formulas, merged cells."""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from tasks.cases.workbook import DECISION_COLUMNS
from tasks.ingest.xlsx_cells import formulas_without_result, merged_cells, read_sheet_xml
from tasks.ingest.xlsx_layout import sheet_parts
from tasks.validate.id_number import INVISIBLE

ZIP_MAGIC = b"PK\x03\x04"
HEADER_SEARCH_ROWS = 10
ID_COLUMN = "台账编号"
# the columns beside the 台账编号 that name its case: a row whose id was edited or pasted over names another case
SUBJECT_COLUMNS = ("户编号", "类型")
READ_COLUMNS = (ID_COLUMN, *DECISION_COLUMNS, *SUBJECT_COLUMNS)
# the columns whose cells are codes, list words or dates, read as the clerk sees them (listed_cell): not the free
# text of 核查人 and 备注, which is kept as written (and compared with what the workbook showed)
LISTED_COLUMNS = (ID_COLUMN, "核查结论", "帮扶措施", "核查日期")
HIDDEN = re.compile(f"[{INVISIBLE}]")
# the characters of the lists' words (核查结论, 帮扶措施) that traditional Chinese writes otherwise: a workbook put
# through WPS's 简繁转换, or typed with a traditional input method
SIMPLIFIED = str.maketrans("屬實風險穩崗業產幫醫療資殘補貼臨時飲", "属实风险稳岗业产帮医疗资残补贴临时饮")


class NotACaseWorkbook(Exception):
    """The file cannot be read as a case workbook at all; the message says why, in Chinese."""


def hidden_sheets(data: bytes) -> set[str]:
    """The names of a workbook's hidden (or very hidden) sheets, which the import never reads: a clerk hides a stale
    copy of the 待办 sheet (last month's decisions) rather than delete it, as department files' hidden sheets are
    never read (README). Raise NotACaseWorkbook when the workbook's sheet list cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return {name for name, state, _, _ in sheet_parts(book) if state in ("hidden", "veryHidden")}
    except (zipfile.BadZipFile, KeyError, AttributeError, OSError) as err:
        raise NotACaseWorkbook(f"Excel文件已损坏或不完整: {type(err).__name__}") from err


def header_columns(sheet: str, rows: list[list], header_index: int, header: list) -> dict[str, int]:
    """Each header name's column; one the import reads named twice is read where written (NotACaseWorkbook: both)."""
    columns: dict[str, list[int]] = {}
    for col, cell in enumerate(header):
        columns.setdefault(str(cell or "").strip(), []).append(col)
    others = [row for index, row in enumerate(rows) if index != header_index]
    names = {}
    for name, cols in columns.items():
        if len(cols) == 1 or name not in READ_COLUMNS:
            names[name] = cols[0]
            continue
        cells = {col: tuple(clean(row[col]) if col < len(row) else "" for row in others) for col in cols}
        used = [col for col in cols if any(cells[col])]
        if len({cells[col] for col in used}) > 1:
            raise NotACaseWorkbook(f"工作表“{sheet}”的表头中“{name}”出现了{len(cols)}次且填写的内容不同，无法确定读取哪一列："
                                   "请删除或改名多出的列后再导入")
        names[name] = (used or cols)[0]
    return names


def refuse_partial_header(sheet: str, rows: list[list], header_index: int, names: dict[str, int],
                          missing: list[str]) -> None:
    """Raise NotACaseWorkbook for a sheet whose header has the 台账编号 and some decision columns but not all, when
    something is written under them: its decisions cannot be read, and skipping them would lose them unsaid."""
    present = [names[c] for c in DECISION_COLUMNS if c in names]
    others = (row for index, row in enumerate(rows) if index != header_index)  # above it too: decision_rows
    if present and any(col < len(row) and clean(row[col]) for row in others for col in present):
        raise NotACaseWorkbook(f"工作表“{sheet}”的表头缺少“{'、'.join(missing)}”，其中填写的结论无法读取："
                               "请改回导出时的表头后再导入")


def unsaved_cells(data: bytes, position: int, skipped: int) -> set[tuple[int, int]]:
    """(row, column) of calamine's rows of a sheet for every formula saved without its result (a workbook written
    by a program and never saved in Excel or WPS), which calamine reads as an empty cell."""
    first_column, formulas = formulas_without_result(read_sheet_xml(data, position))
    return {(row - 1 - skipped, column - first_column) for row, column, _ in formulas}


def fill_merged(data: bytes, position: int, rows: list[list], header_index: int, skipped: int) -> None:
    """Copy each merged range below the header down its first column, as Excel shows it (calamine: first cell only)."""
    first_column, ranges = merged_cells(data, position)
    width = len(rows[0]) if rows else 0
    for top, left, bottom, _ in ranges:
        top, column = top - 1 - skipped, left - first_column
        if top <= header_index or not 0 <= column < width or top >= len(rows) or not rows[top][column]:
            continue
        for index in range(top + 1, bottom - skipped):
            if index == len(rows):  # calamine stops at the last row holding a value
                rows.append([None] * width)
            rows[index][column] = rows[top][column]


def clean(value) -> str:
    """A cell as trimmed text ('' for empty)."""
    return "" if value is None else str(value).strip()


def listed_cell(column: str, value) -> str:
    """A cell of the column as the import reads it: trimmed text, and for LISTED_COLUMNS as the clerk sees it:
    full-width forms as ASCII (NFKC: ２０２０－０４－１０, Ｋ2020…), without the characters that show as nothing (a
    zero-width space pasted from a chat), the lists' words in simplified characters, and no spaces inside one
    value (属 实; 帮扶措施 keeps them: they separate measures)."""
    text = clean(value)
    if column not in LISTED_COLUMNS or text.isascii():
        return text
    text = HIDDEN.sub("", unicodedata.normalize("NFKC", text)).translate(SIMPLIFIED).strip()
    return text if column == "帮扶措施" else re.sub(r"\s+", "", text)
