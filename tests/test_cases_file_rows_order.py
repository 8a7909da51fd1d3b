"""The rows of one imported file end a case as the same rows imported one file each, by 核查日期: a later row is
checked against what the earlier rows of its file left, removal candidacy included."""
from __future__ import annotations

from datetime import date

import pytest

from tasks.cases.importer import import_workbooks
from tests.support.store_builder import settings_with
from tests.test_cases_removal import assisting_store, decision_book

TODAY = date(2020, 4, 20)
COLUMNS = ("status", "conclusion", "measures", "actor", "decided_on", "closed_on", "close_reason",
           "is_removal_candidate")
GUARANTEE = ("属实", "兜底保障", "张三", "2020-04-12", None)  # a household without labour: now a removal candidate
REMOVAL = ("风险消除", None, "李四", "2020-04-14", "连续达标")


def final(tmp_path, files: list[list[tuple]], measures: str = "稳岗就业") -> tuple[tuple, list[str]]:
    """K1 (assisting with these measures, no labour, six months above the floor: a candidate only with 兜底保障) after
    importing these files (each a list of rows of the five cells) in order, and the refusal codes."""
    con = assisting_store(measures, 0, [True] * 6)
    folder = tmp_path / str(len(list(tmp_path.iterdir())))
    folder.mkdir()
    codes = []
    for number, rows in enumerate(files):
        decision_book(folder / f"{number}.xlsx", [("K1", *row) for row in rows])
        result = import_workbooks(con, settings_with().with_paths(out=folder), [folder / f"{number}.xlsx"], TODAY)
        codes += [p["code"] for p in result.problems]
    case = con.sql("SELECT * FROM cases WHERE case_id = 'K1'").pl().to_dicts()[0]
    return tuple(case[column] for column in COLUMNS), codes


@pytest.mark.parametrize("rows", [[GUARANTEE, REMOVAL], [REMOVAL, GUARANTEE]])
def test_a_removal_after_a_row_of_its_file_that_made_the_case_a_candidate_is_applied_as_in_two_files(tmp_path, rows):
    """Row 1 gives the household 兜底保障 (a candidate from then on), row 2 removes the risk two days later: one file,
    its rows in either order, ends the case as the two rows imported one after the other."""
    one_file = final(tmp_path, [rows])
    in_sequence = final(tmp_path, [[GUARANTEE], [REMOVAL]])
    assert one_file == in_sequence
    assert in_sequence == (("closed", "风险消除", "兜底保障", "李四", date(2020, 4, 14), date(2020, 4, 14), "风险消除",
                            False), [])


JOBS = ("属实", "稳岗就业", "张三", "2020-04-12", None)  # replaces 兜底保障: no candidate from then on
REMOVAL_GUARANTEE = ("风险消除", "兜底保障", "李四", "2020-04-14", "连续达标")


@pytest.mark.parametrize("rows", [[JOBS, REMOVAL_GUARANTEE], [REMOVAL_GUARANTEE, JOBS]])
def test_a_removal_after_a_row_of_its_file_that_took_the_candidacy_away_is_refused_as_in_two_files(tmp_path, rows):
    """A candidate (兜底保障, no labour) whose 兜底保障 row 1 replaces: row 2's 风险消除 two days later, writing 兜底保障
    back, found no candidate, and is refused as when the rows come in two files."""
    one_file = final(tmp_path, [rows], "兜底保障")
    in_sequence = final(tmp_path, [[JOBS], [REMOVAL_GUARANTEE]], "兜底保障")
    assert one_file == in_sequence
    assert in_sequence == (("assisting", "属实", "稳岗就业", "张三", date(2020, 4, 12), None, None, False),
                           ["CASE_STATUS"])
