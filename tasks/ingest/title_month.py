"""A return whose title row names another month than its file name (一村2020年2月收入月报表 in …_202003.csv): a file
renamed by hand for the wrong month, loaded as its name says and listed for the village to check."""
from __future__ import annotations

import re
import unicodedata

from tasks.ingest.sheet_choice import other_month

# a full date in a title (填报日期：2020年4月5日, 2020-04-05) is the day it was filled in, no month of its figures
FULL_DATE = re.compile(r"[0-9]{4}(?:年[0-9]{1,2}月[0-9]{1,2}[日号]|[-/.][0-9]{1,2}[-/.][0-9]{1,2})")
SHOWN_TITLE_CHARS = 40


def title_month_warning(titles: list[list[str]], period: str | None) -> list[tuple[str, str]]:
    """FILE_TITLE_MONTH when a title cell names one month, not the file's (YYYYMM), as other_month reads a sheet's
    name (a range, a list of months or the file's month with another names none); else nothing."""
    for row in titles if period else ():
        for cell in row:
            if not cell or "月" not in cell:
                continue
            text = FULL_DATE.sub("", "".join(unicodedata.normalize("NFKC", cell).split()))
            if named := other_month(text, period):
                month = f"{period[:4]}年{int(period[4:6])}月"
                return [("FILE_TITLE_MONTH", f"表格标题“{cell.strip()[:SHOWN_TITLE_CHARS]}”为{named}，文件名为{month}："
                                             f"已作为{month}的数据读入，请核对所填是否为{month}的数据(套用旧表时请一并改标题)")]
    return []
