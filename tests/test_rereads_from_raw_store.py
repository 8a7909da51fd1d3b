"""Files a nightly run reads again (the reference list or the read limits changed) whose inbox copy the office has
cleared since they were loaded (moved to an archive): read from the raw store, which keeps every file's bytes, with
their identity (file id, first run, first path, rank) and delivery order as they were: a re-read is no delivery."""
from __future__ import annotations

from tests.support.departments import DEPT_HEADER, dept_row, id_number, ret_row, table_csv
from tests.support.nights import VILLAGE, return_row, send
from tests.support.raw_copies import drop_copy
from tests.support.returns import UNITS, csv_bytes, household, make_city
from tests.support.runs import problems, query, run_nightly, run_rerun, settings_for

V1, V2, NEW = "430521001001", "430521001002", "430521001003"
IDENTITY = "SELECT file_id, file_name, first_path, correction_rank, ingest_run_id, sha256 FROM source_files ORDER BY 1"


def test_a_village_taken_off_the_list_is_refused_though_its_returns_left_the_inbox(prefect_harness, tmp_path):
    """Two versions of 二村's March return loaded, then cleared from the inbox; 二村 taken off the list: both are
    refused (FILE_UNKNOWN_VILLAGE), its household no longer counted nor flagged in 甲县."""
    inbox, reference = make_city(tmp_path)
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1, wage="90000")]))
    (inbox / f"{V2}_202003.csv").write_bytes(csv_bytes([household(V2, 1, wage="100")]))
    run_nightly(tmp_path, as_of="202003", today="2020-04-05")
    (inbox / f"{V2}_202003_v2.csv").write_bytes(csv_bytes([household(V2, 1, wage="200")]))
    run_nightly(tmp_path, as_of="202003", today="2020-04-06")
    assert query(tmp_path, f"SELECT count(*) FROM household_status WHERE village_code = '{V2}'") == [(1,)]
    before = query(tmp_path, IDENTITY), query(tmp_path, "SELECT * FROM deliveries ORDER BY delivery_id")
    for name in (f"{V2}_202003.csv", f"{V2}_202003_v2.csv"):
        (inbox / name).unlink()  # archived by the office after loading
    (reference / "admin_units.csv").write_text(UNITS.replace(f"{V2},二村,village,430521001,0\n", ""), encoding="utf-8")
    run_nightly(tmp_path, as_of="202003", today="2020-04-07")

    assert sorted((p["file"], p["code"]) for p in problems(tmp_path)) == [
        (f"{V2}_202003.csv", "FILE_UNKNOWN_VILLAGE"), (f"{V2}_202003_v2.csv", "FILE_UNKNOWN_VILLAGE")]
    assert query(tmp_path, f"SELECT count(*) FROM household_status WHERE village_code = '{V2}'") == [(0,)]
    assert query(tmp_path, f"SELECT DISTINCT status FROM source_files WHERE village_code = '{V2}'") == [("rejected",)]
    assert (query(tmp_path, IDENTITY), query(tmp_path, "SELECT * FROM deliveries ORDER BY delivery_id")) == before
    night = run_nightly(tmp_path, as_of="202003", today="2020-04-08")  # read once: nothing left to read again
    assert (night.files_new, night.files_reread) == (0, 0)


def test_a_return_cleared_before_its_village_is_listed_is_loaded_once_it_is(prefect_harness, tmp_path):
    """三村's return refused (not on the list) and cleared from the inbox; the list then adds 三村: the next night
    loads it from the raw store, its households counted."""
    inbox, reference = make_city(tmp_path)
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1)]))
    (inbox / f"{NEW}_202003.csv").write_bytes(csv_bytes([household(NEW, 1), household(NEW, 2)]))
    run_nightly(tmp_path, today="2020-04-06")
    assert [p["code"] for p in problems(tmp_path)] == ["FILE_UNKNOWN_VILLAGE"]
    before = query(tmp_path, IDENTITY)
    (inbox / f"{NEW}_202003.csv").unlink()
    (reference / "admin_units.csv").write_text(UNITS + f"{NEW},三村,village,430521001,0\n", encoding="utf-8")
    run_nightly(tmp_path, today="2020-04-07")

    assert problems(tmp_path) == []
    assert query(tmp_path, f"SELECT status FROM source_files WHERE village_code = '{NEW}'") == [("loaded",)]
    assert query(tmp_path, f"SELECT count(*) FROM household_status WHERE village_code = '{NEW}'") == [(2,)]
    assert query(tmp_path, IDENTITY) == before


def strict_night_then_cleared(root, name: str) -> None:
    """A night under a max_cell_chars of 20 (the file refused for it), the file then cleared from the inbox, and a
    night under the default limits."""
    strict = root.parent / "strict.toml"
    strict.write_text("[ingest]\nmax_cell_chars = 20\n", encoding="utf-8")
    run_nightly(root, today="2019-11-10", settings_file=strict)
    (root / "inbox" / name).unlink()
    run_nightly(root, today="2019-11-11")


def test_a_return_refused_for_a_limit_and_cleared_is_read_once_the_limit_is_raised(prefect_harness, tmp_path):
    """A head's name of 30 characters over a max_cell_chars of 20: refused; the return cleared from the inbox and
    the limit raised back: the next night loads it from the raw store."""
    root = tmp_path / "city"
    make_city(root)
    row = return_row(VILLAGE, 1, 900)
    row[1] = "张" * 30
    send(root, VILLAGE, "201910", [row])
    strict_night_then_cleared(root, f"{VILLAGE}_201910.csv")

    assert problems(root) == []
    assert query(root, "SELECT status, file_id, ingest_run_id FROM source_files") == [("loaded", 1, 1)]
    assert query(root, f"SELECT count(*) FROM household_status WHERE village_code = '{VILLAGE}'") == [(1,)]


def test_a_department_file_refused_for_a_limit_and_cleared_is_read_once_the_limit_is_raised(prefect_harness,
                                                                                             tmp_path):
    """The same for a department's list: its note of 30 characters refuses it; cleared and the limit raised back,
    the next night reads its record from the raw store (the finding made)."""
    root = tmp_path / "city"
    make_city(root)
    head = id_number(1)
    send(root, VILLAGE, "201910", [ret_row(VILLAGE, 1, head, wage=900)[:11]])
    (root / "inbox" / "dept_civil_201910.csv").write_bytes(
        table_csv(DEPT_HEADER, [dept_row(head, "DIBAO_NEW", "2019-10-05", note="说" * 30)]))
    strict_night_then_cleared(root, "dept_civil_201910.csv")

    assert query(root, "SELECT status FROM department_files") == [("loaded",)]
    assert query(root, "SELECT finding FROM department_findings") == [("CLUE",)]


def test_a_file_whose_raw_copy_is_gone_is_named_not_read(prefect_harness, tmp_path):
    """A raw store emptied by hand: a file out of the inbox cannot be read again; it is named (for the run log),
    and a file still in the inbox is read from there, never from the raw store."""
    import duckdb

    from tasks.ingest.raw_rereads import archived_rereads

    inbox, _ = make_city(tmp_path)
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1)]))
    (inbox / f"{V2}_202003.csv").write_bytes(csv_bytes([household(V2, 1)]))
    run_nightly(tmp_path, today="2020-04-06")
    raw_store = settings_for(tmp_path).raw_store
    gone = query(tmp_path, f"SELECT sha256 FROM source_files WHERE village_code = '{V2}'")[0][0]
    (inbox / f"{V2}_202003.csv").unlink()
    drop_copy(raw_store, gone)
    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as con:
        in_inbox = con.sql(f"SELECT sha256, file_name FROM source_files WHERE village_code = '{V1}'").pl()
        found, missing = archived_rereads(con, {f"{V1}_202003.csv", f"{V2}_202003.csv"}, [], raw_store, in_inbox)
    assert (found, missing) == ([], [f"{V2}_202003.csv"])


def test_a_rerun_reads_its_files_cleared_from_the_inbox(prefect_harness, tmp_path):
    """A rerun re-reads the files of its scope even if their hashes are known: those cleared from the inbox too.
    三村's return refused (not on the list) and cleared; the list adds 三村 and the office reruns the village: the
    return is loaded from the raw store, in place (same file id), and the other village's file is not read."""
    inbox, reference = make_city(tmp_path)
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1)]))
    (inbox / f"{NEW}_202003.csv").write_bytes(csv_bytes([household(NEW, 1), household(NEW, 2)]))
    run_nightly(tmp_path, today="2020-04-06")
    before = query(tmp_path, IDENTITY)
    for name in (f"{V1}_202003.csv", f"{NEW}_202003.csv"):
        (inbox / name).unlink()
    (reference / "admin_units.csv").write_text(UNITS + f"{NEW},三村,village,430521001,0\n", encoding="utf-8")
    summary = run_rerun(tmp_path, village=NEW)

    assert (summary.files_new, summary.files_reread) == (0, 1)
    assert problems(tmp_path) == []
    assert query(tmp_path, f"SELECT count(*) FROM household_status WHERE village_code = '{NEW}'") == [(2,)]
    assert query(tmp_path, IDENTITY) == before


def test_a_department_rerun_reads_its_files_cleared_from_the_inbox(prefect_harness, tmp_path):
    """A department's rerun re-reads its files (of the month) cleared from the inbox too, not another month's."""
    from flows.rerun import rerun

    root = tmp_path / "city"
    make_city(root)
    head = id_number(1)
    send(root, VILLAGE, "201910", [ret_row(VILLAGE, 1, head, wage=900)[:11]])
    for period in ("201910", "201911"):
        (root / "inbox" / f"dept_civil_{period}.csv").write_bytes(
            table_csv(DEPT_HEADER, [dept_row(head, "DIBAO_NEW", "2019-10-05")]))
    run_nightly(root, today="2019-11-10")
    for period in ("201910", "201911"):
        (root / "inbox" / f"dept_civil_{period}.csv").unlink()
    summary = rerun(department="civil", period="201910", settings=settings_for(root), today="2019-11-11")

    assert (summary.department_files_reread, summary.files_reread) == (1, 0)
    assert query(root, "SELECT file_name, status FROM department_files ORDER BY 1") == [
        ("dept_civil_201910.csv", "loaded"), ("dept_civil_201911.csv", "loaded")]
