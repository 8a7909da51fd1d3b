"""The shape of department file names, `dept_<department>_<YYYYMM>[_vN|_更正].csv/.xlsx`: enough for discovery and
a rerun's scope to tell them from village returns (which departments exist is tasks.departments' table)."""
from __future__ import annotations

import re
import unicodedata

PREFIX = "dept_"
NAME_PATTERN = re.compile(
    r"^dept_(?P<department>[A-Za-z]+)_(?P<period>[0-9]{6})(?P<mark>_v(?P<v>[0-9]{1,2})|_更正)?\.(?P<ext>csv|xlsx)$",
    re.I)  # ASCII digits only, as in a return's name: \d takes ２０２００５, a period no month ever matches


def is_department_file(file_name: str) -> bool:
    """True for a name that claims to be a department file (starts with dept_), well formed or not."""
    if file_name[:1].isdigit() and file_name.isascii():  # a village return's name (NFKC leaves ASCII as it is)
        return False
    return unicodedata.normalize("NFKC", file_name).strip().lower().startswith(PREFIX)


def match_department_name(file_name: str) -> re.Match | None:
    """The name's parts (department, period, mark, v, ext) when it has the shape of a department file."""
    return NAME_PATTERN.match(unicodedata.normalize("NFC", file_name).strip())
