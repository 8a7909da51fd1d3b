"""Ordinary files as villages really send them (village-return.md, "How files really come"), through the real
nightly flow: each household lands with the values the clerk wrote, and nothing but a household becomes one."""
from __future__ import annotations

from tests.support.returns import HEADER, csv_bytes, household, make_city
from tests.support.runs import problems, query, run_flow

V1 = "430521001001"


def test_a_village_groups_subtotals_are_no_households(prefect_harness, tmp_path):
    """A village lists its households by 村民小组 with a subtotal under each group (一组小计, 第二组合计, 王家湾组小计):
    those rows are totals, skipped and counted like 合计, not households with errors the village cannot correct (which
    would list a phantom household 二组小计 as data missing and open a data-error case every month)."""
    inbox, _ = make_city(tmp_path)
    header = ["序号", *HEADER]
    rows = [["1", *household(V1, 1)], ["一组小计", "", "", "", "3", "1", "", "1200", "300", "", "150", "100"],
            ["2", *household(V1, 2)], ["", "第二组合计", "", "", "3", "1", "", "1200", "300", "", "150", "100"],
            ["3", *household(V1, 3)], ["", "王家湾组小计", "", "", "3", "1", "", "1200", "300", "", "150", "100"],
            ["4", *household(V1, 4)], ["", "3 组 合 计", "", "", "3", "1", "", "1200", "300", "", "150", "100"],
            ["合计", "", "", "", "12", "4", "", "4800", "1200", "", "600", "400"]]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes(rows, "gb18030", header=header))
    run_flow(tmp_path)
    assert problems(tmp_path) == []
    assert query(tmp_path, "SELECT household_id FROM households_current ORDER BY 1") == [
        (f"{V1}{i:04d}",) for i in range(1, 5)]
    assert query(tmp_path, "SELECT rows_read, rows_skipped FROM source_files") == [(9, 5)]
    assert query(tmp_path, "SELECT count(*) FROM households_data_missing") == [(0,)]

