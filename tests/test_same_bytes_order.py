"""FILE_SAME_BYTES names both files whatever order they came in: the file that came first is read again when its
bytes come under another village's or month's name, so a night at a time gives what one night with both (or a
store rebuilt from the inbox) gives."""
from __future__ import annotations

import pytest

from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import run_nightly

V1, V2 = "430521001001", "430521001002"
pytestmark = pytest.mark.usefixtures("prefect_harness")


def same_bytes(root) -> set[tuple[str, str]]:
    """(file, the other name) of every FILE_SAME_BYTES standing in the store."""
    import duckdb

    with duckdb.connect(str(root / "db.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT f.file_name, p.detail FROM problems p JOIN source_files f USING (file_id) "
                           "WHERE p.code = 'FILE_SAME_BYTES'").fetchall()
    return {(name, next(n for n in (f"{V1}_202003.csv", f"{V2}_202003.csv", f"{V1}_202002.csv") if n in detail))
            for name, detail in rows}


@pytest.mark.parametrize("first, second", [
    (f"{V1}_202003.csv", f"{V2}_202003.csv"),  # another village's name
    (f"{V1}_202002.csv", f"{V1}_202003.csv"),  # last month re-sent as this month's
])
def test_both_files_are_named_whether_they_came_the_same_night_or_one_after_the_other(tmp_path, first, second):
    data = csv_bytes([household(V1, 1), household(V1, 2)])
    for root, nights in ((tmp_path / "apart", [[first], [second]]), (tmp_path / "together", [[first, second]])):
        inbox, _ = make_city(root)
        for names in nights:
            for name in names:
                (inbox / name).write_bytes(data)
            run_nightly(root, today="2020-04-20")
    expected = {(first, second), (second, first)}
    assert same_bytes(tmp_path / "together") == expected
    assert same_bytes(tmp_path / "apart") == expected


def test_a_file_re_sent_under_its_own_name_or_an_unusable_one_reads_nothing_again(tmp_path):
    """The same bytes under the same name (copied into two folders) is one file, and a copy under a name that is no
    return's (FILE_NAME_INVALID) claims no village: nothing to say, nothing re-read."""
    inbox, _ = make_city(tmp_path)
    data = csv_bytes([household(V1, 1)])
    (inbox / f"{V1}_202003.csv").write_bytes(data)
    run_nightly(tmp_path, today="2020-04-20")
    (inbox / "copy").mkdir()
    (inbox / "copy" / f"{V1}_202003.csv").write_bytes(data)
    (inbox / "copy" / f"{V1}_202003 - 副本.csv").write_bytes(data)
    summary = run_nightly(tmp_path, today="2020-04-21")
    assert same_bytes(tmp_path) == set()
    assert summary.files_reread == 0


def test_a_broken_file_many_villages_sent_reads_none_of_its_known_copies_again(tmp_path):
    """Refused copies say nothing of their twins (FILE_SAME_BYTES is a loaded file's warning): another copy of an
    empty file reads itself alone, not every copy that came before it (which grew with every month of history)."""
    inbox, _ = make_city(tmp_path)
    for village in (V1, V2):
        (inbox / f"{village}_202002.csv").write_bytes(b"")
    run_nightly(tmp_path, today="2020-03-20")
    (inbox / f"{V1}_202003.csv").write_bytes(b"")
    summary = run_nightly(tmp_path, today="2020-04-20")
    assert (summary.files_reread, summary.files_rejected) == (0, 1)
    assert same_bytes(tmp_path) == set()
