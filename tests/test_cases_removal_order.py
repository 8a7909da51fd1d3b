"""A 风险消除 and an earlier-dated decision that takes away what it stood on (the 兜底保障 of a household without
labour replaced), imported in either order, end the same, a dismissal among them or not: imported after it, the
earlier decision is replayed under it and the 风险消除 no longer applies, as it is refused when it comes second."""
from __future__ import annotations

import itertools
from datetime import date

import pytest

from tasks.cases.importer import import_workbooks
from tests.support.store_builder import settings_with
from tests.test_cases_removal import assisting_store, decision_book

TODAY = date(2020, 4, 20)
ROWS = {  # K1: assisting, 兜底保障, no labour, six months above the floor (a removal candidate)
    "medical": ("属实", "医疗救助", "张三", "2020-04-08", None),       # replaces 兜底保障
    "jobs_only": (None, "稳岗就业", "钱七", "2020-04-09", None),        # measures alone, replacing 兜底保障
    "dismissed": ("不属实", None, "王五", "2020-04-10", "外出务工"),
    "removed": ("风险消除", None, "李四", "2020-04-12", "连续达标"),
    "removed_guarantee": ("风险消除", "兜底保障", "周九", "2020-04-11", "达标"),
}
COLUMNS = ("status", "conclusion", "measures", "actor", "decided_on", "closed_on", "close_reason")


def final(tmp_path, order: tuple[str, ...]) -> tuple:
    """K1's state after the rows imported one file each, in this order."""
    con = assisting_store("兜底保障", 0, [True] * 6)
    for number, name in enumerate(order):
        book = tmp_path / f"{'_'.join(order)}_{number}.xlsx"
        decision_book(book, [("K1", *ROWS[name])])
        import_workbooks(con, settings_with().with_paths(out=tmp_path), [book], TODAY)
    case = con.sql("SELECT * FROM cases WHERE case_id = 'K1'").pl().to_dicts()[0]
    return tuple(case[column] for column in COLUMNS)


@pytest.mark.parametrize("rows", [("medical", "removed"), ("medical", "removed_guarantee"),
                                  ("jobs_only", "removed_guarantee"), ("dismissed", "medical", "removed_guarantee")])
def test_a_removal_and_what_takes_away_its_ground_end_alike_in_every_order(tmp_path, rows):
    ends = {order: final(tmp_path, order) for order in itertools.permutations(rows)}
    assert len(set(ends.values())) == 1, ends
    assert next(iter(ends.values()))[0] != "closed"  # by date the 风险消除 had no ground: the case is not closed
