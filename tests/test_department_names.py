"""Department file names: ASCII digits only (as a return's), and an unknown department's problem keeps the month."""
from __future__ import annotations

import pytest

from tasks.departments.names import parse_department_name
from tasks.ingest.department_names import is_department_file


@pytest.mark.parametrize("name", ["dept_civil_２０２００５.csv", "dept_civil_٢٠٢٠٠٥.csv", "dept_civil_202005_v２.csv"])
def test_a_name_with_digits_other_than_ascii_is_invalid(name):
    assert is_department_file(name)
    parsed = parse_department_name(name)
    assert parsed.invalid_reason and parsed.period is None and parsed.department is None


def test_an_unknown_department_keeps_the_files_month_and_a_bad_month_none():
    unknown = parse_department_name("dept_tax_202005.csv")
    assert "不在部门名单中" in unknown.invalid_reason and unknown.period == "202005"
    assert parse_department_name("dept_tax_202013.csv").period is None
    known = parse_department_name("dept_civil_202005_v2.csv")
    assert (known.department, known.period, known.correction_rank, known.invalid_reason) == ("civil", "202005", 2, None)
