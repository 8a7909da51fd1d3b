"""`povmon sample` on a real DuckDB file: the draw kept, the teams' lists, the city report's section."""
from __future__ import annotations

import csv
import io
import zipfile
from contextlib import redirect_stdout

import pytest

from povmon import cli
from core import db
from core.lock import EXIT_BUSY
from core.settings import load_settings
from tests.support.store_builder import build_store, household_row, rebuild_marts, save_store, settings_with
from tests.support.processes import start_holder

PERIOD = "202009"
COUNTY, AREA = "430521", "430571"
BUNCHED, COPIED = "430521001003", "430521002005"


def city_rows() -> list[dict]:
    """A county of 14 villages of 20 households (one bunched at the line, one with copied rows) and a
    management area of 6 villages of 25."""
    rows = []
    for v in range(14):
        village = f"{COUNTY}{v // 7 + 1:03d}{v % 7 + 1:03d}"
        for h in range(1, 21):
            per_capita = 4000 + 20 * h if village == BUNCHED else 2500 + 450 * h
            amounts = {"wage": 12345.0, "business": 2345.5, "transfer": 800.0} if village == COPIED and h <= 6 \
                else {"wage": 4 * per_capita}
            rows.append(household_row(f"{village}{h:04d}", PERIOD, head_name="欧阳娜娜",
                                      head_id_number="430521199001011234", **amounts))
    for v in range(6):
        village = f"{AREA}001{v + 1:03d}"
        rows += [household_row(f"{village}{h:04d}", PERIOD, wage=4 * (3000 + 300 * h)) for h in range(1, 26)]
    return rows


@pytest.fixture
def store(tmp_path):
    """A DuckDB file with the city's returns, marts and one completed run."""
    path = tmp_path / "povmon.duckdb"
    db.connect(path).close()
    memory = build_store(city_rows())
    save_store(memory, path)
    con = db.connect(path)
    con.execute("UPDATE admin_units SET management_area = true WHERE code = ?", [AREA]).fetchall()
    rebuild_marts(con, settings_with(share_min_households=1), PERIOD)
    con.execute("INSERT INTO runs (run_id, kind, started_at, status, as_of_period) "
                "VALUES (1, 'run', now()::TIMESTAMP, 'completed', ?)", [PERIOD]).fetchall()
    con.close()
    return path


def sample(store, tmp_path, *extra: str) -> str:
    """Run `povmon sample` in-process; returns what it printed."""
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["sample", "--db", str(store), "--out", str(tmp_path / "out"), *extra]) == 0
    return out.getvalue()


def read_csv(path) -> list[dict]:
    """The rows of a UTF-8-with-BOM export."""
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_draw_kept_with_seed_settings_and_households(store, tmp_path):
    sample(store, tmp_path, "--seed", "7")
    con = db.connect(store, read_only=True)
    draw = con.execute("SELECT draw_id, seed, period, county_filter, data_run_id, settings_json, "
                       "households_count FROM sample_draws").fetchall()
    assert draw[0][:5] == (1, 7, PERIOD, None, 1) and '"min_households": 200' in draw[0][5]
    counts = dict(con.execute("SELECT county_code, count(*) FROM sample_households GROUP BY 1").fetchall())
    villages = dict(con.execute("SELECT county_code, count(DISTINCT village_code) FROM sample_households "
                                "GROUP BY 1").fetchall())
    drawn_villages = {v for (v,) in con.execute("SELECT DISTINCT village_code FROM sample_households").fetchall()}
    con.close()
    assert counts == {COUNTY: 200, AREA: 100} and draw[0][6] == 300
    assert villages[COUNTY] >= 10 and villages[AREA] >= 5
    assert {BUNCHED, COPIED} <= drawn_villages


def test_lists_masked_and_identical_for_the_same_seed(store, tmp_path):
    printed = sample(store, tmp_path, "--seed", "7")
    assert f"{COUNTY}: 200 households" in printed and "2 with bunching or identical rows" in printed
    lists = tmp_path / "out" / "exports" / "sample"
    rows = read_csv(lists / f"{COUNTY}.csv")
    assert len(rows) == 200 and rows[0]["head_name_masked"] == "欧*"
    assert "head_id_number" not in rows[0] and "1234" not in (lists / f"{COUNTY}.csv").read_text("utf-8-sig")
    bunched = [r for r in rows if r["village_code"] == BUNCHED]
    assert bunched and bunched[0]["village_signals"] == "THRESHOLD_BUNCHING"
    assert bunched[0]["reason"].startswith("村：疑似卡线、标记户占")
    book = zipfile.ZipFile(lists / f"{COUNTY}.xlsx")
    strings = book.read("xl/sharedStrings.xml").decode("utf-8")
    assert "抽取原因" in strings and "欧*" in strings and "欧阳娜娜" not in strings
    first = {p.name: p.read_bytes() for p in lists.iterdir()}
    sample(store, tmp_path, "--seed", "7")
    assert {p.name: p.read_bytes() for p in lists.iterdir()} == first
    sample(store, tmp_path, "--seed", "8")
    assert (lists / f"{COUNTY}.csv").read_bytes() != first[f"{COUNTY}.csv"]


def test_one_county_draw_keeps_the_others_in_the_report(store, tmp_path):
    sample(store, tmp_path, "--seed", "7")
    whole_city = (tmp_path / "out" / "exports" / "sample" / f"{AREA}.csv").read_bytes()
    sample(store, tmp_path, "--seed", "7", "--county", AREA)
    assert (tmp_path / "out" / "exports" / "sample" / f"{AREA}.csv").read_bytes() == whole_city
    page = (tmp_path / "out" / "reports" / "index.html").read_text("utf-8")
    section = page[page.index('<section id="sample">'):]
    assert f'href="../exports/sample/{COUNTY}.csv"' in section and f'href="../exports/sample/{AREA}.xlsx"' in section
    assert "（第1次抽取）" in section and "（第2次抽取）" in section


def test_report_says_when_no_sample_was_drawn(store, tmp_path):
    from tasks.report.pages import render_city_overview

    con = db.connect(store)
    page = render_city_overview(con, tmp_path / "reports", load_settings(environ={})).read_text("utf-8")
    con.close()
    assert "尚未抽取抽查样本" in page


def test_busy_store_answers_at_once(store, tmp_path, capsys):
    holder = start_holder(store, 60)
    try:
        assert cli.main(["sample", "--seed", "7", "--db", str(store), "--out", str(tmp_path / "out")]) == EXIT_BUSY
    finally:
        holder.kill()
        holder.wait()
    assert capsys.readouterr().err.count("\n") == 1


def test_nothing_to_sample_fails_with_one_line(tmp_path, capsys):
    empty = tmp_path / "empty.duckdb"
    db.connect(empty).close()
    assert cli.main(["sample", "--seed", "7", "--db", str(empty)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "run `povmon run` first" in err


@pytest.mark.parametrize("period, reason", [("2020-09", "must be YYYYMM"), ("202010", "up to 202009"),
                                            ("201909", "no household status for 201909")])
def test_unusable_period_fails_with_one_line(store, tmp_path, capsys, period, reason):
    assert cli.main(["sample", "--seed", "7", "--period", period, "--db", str(store),
                     "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and reason in err


def test_a_draw_whose_lists_cannot_be_written_is_not_kept(store, tmp_path, capsys):
    """The lists are written before the draw is committed: a draw kept without them made the city page name it
    and link to another draw's lists."""
    sample(store, tmp_path, "--seed", "7")
    lists = tmp_path / "out" / "exports" / "sample"
    before = (lists / f"{COUNTY}.csv").read_bytes()
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "exports").write_text("a file where the exports folder would be", encoding="utf-8")
    assert cli.main(["sample", "--db", str(store), "--out", str(blocked), "--seed", "3"]) == 1
    assert "sample failed" in capsys.readouterr().err
    con = db.connect(store, read_only=True)
    assert con.execute("SELECT seed FROM sample_draws ORDER BY draw_id").fetchall() == [(7,)]
    con.close()
    assert (lists / f"{COUNTY}.csv").read_bytes() == before
    assert not list(tmp_path.rglob("*.staging"))


@pytest.mark.parametrize("seed", ["-1", "99999999999999999999"])
def test_a_seed_the_store_cannot_keep_is_refused_by_the_option(store, tmp_path, capsys, seed):
    with pytest.raises(SystemExit) as refused:
        cli.main(["sample", "--seed", seed, "--db", str(store), "--out", str(tmp_path / "out")])
    assert refused.value.code == 2 and "--seed" in capsys.readouterr().err
    con = db.connect(store, read_only=True)
    assert con.execute("SELECT count(*) FROM sample_draws").fetchone() == (0,)
    con.close()
