"""Every numeric setting has a range, the default shares a shape and the coded lists their codes: a settings file
or POVMON_* variable outside them is refused by name when settings load, before a run touches the store."""
from __future__ import annotations

import hashlib
import subprocess
import tomllib

import duckdb
import pytest

from core.settings import DEFAULTS_FILE, load_settings
from tests.support.processes import POVMON


def refusal(tmp_path, text: str, environ: dict | None = None) -> str:
    """The message load_settings refuses a settings file of this text (and the environment given) with."""
    path = tmp_path / "povmon.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as refused:
        load_settings(path, environ=environ or {})
    return str(refused.value)


def loaded(tmp_path, text: str):
    """The settings of a settings file of this text."""
    path = tmp_path / "fine.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path, environ={})


@pytest.mark.parametrize(("entry", "named"), [
    ("[projection]\nband_coverage = 1.5", "projection.band_coverage = 1.5 (needs > 0 and < 1)"),
    ("[projection]\nshare_min = 0", "projection.share_min = 0 (needs > 0 and < 1)"),
    ("[projection]\nfestival_lump_min = 1.2", "projection.festival_lump_min = 1.2"),
    ("[projection]\nlast_year_weight = 0", "projection.last_year_weight = 0 (needs > 0)"),
    ("[projection]\nband_years = 0", "projection.band_years = 0 (needs a whole number ≥ 1)"),
    ("[projection]\nfestival_lead_days = -3", "projection.festival_lead_days = -3"),
    ("[policy]\noutlier_mad_k = 0", "policy.outlier_mad_k = 0 (needs > 0)"),
    ("[ingest]\nmax_file_bytes = 0", "ingest.max_file_bytes = 0"),
    ("[departments]\nmedical_oop_threshold = -1", "departments.medical_oop_threshold = -1"),
])
def test_a_projection_or_other_number_outside_its_range_is_refused_by_name(tmp_path, entry, named):
    assert named in refusal(tmp_path, entry + "\n")


@pytest.mark.parametrize("shares", ["[0.1, 0.2]", "[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2]",
                                    '["a", 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.0, 1.0]'])
def test_default_shares_not_twelve_shares_from_0_to_1_are_refused_by_name(tmp_path, shares):
    message = refusal(tmp_path, f"[projection.default_share]\nwage_income = {shares}\n")
    assert "projection.default_share.wage_income" in message and "needs 12 shares from 0 to 1" in message
    fine = loaded(tmp_path, "[projection.default_share]\nwage_income = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]\n")
    assert fine.default_shares["wage_income"][-1] == 1.0


@pytest.mark.parametrize(("entry", "named"), [
    ("[report]\nflagged_row_limit = -5", "report.flagged_row_limit = -5 (needs a whole number ≥ 1)"),
    ("[report]\nlist_row_limit = 0", "report.list_row_limit = 0"),
    ("[report]\nreturns_due_day = 0", "report.returns_due_day = 0 (needs a whole number ≥ 1 and ≤ 28)"),
    ("[report]\nreturns_due_day = 31", "report.returns_due_day = 31"),
    ("[spot_check]\nmin_households = 200.7", "spot_check.min_households = 200.7 (not a whole number)"),
    ('[spot_check]\nmin_households = "200.5"', "spot_check.min_households = '200.5' (not a whole number)"),
    ("[cases]\nverify_days = 15.5", "cases.verify_days = 15.5 (not a whole number)"),
    ("[cases]\nverify_days = 10000000", "cases.verify_days = 10000000 (needs a whole number ≥ 1 and ≤ 3660)"),
    ("[cases]\nremoval_months = 5000", "cases.removal_months = 5000 (needs a whole number ≥ 1 and ≤ 120)"),
    ("[ingest]\nbatch_bytes = 1000.5", "ingest.batch_bytes = 1000.5 (not a whole number)"),
    ("[policy.by_year.2022]\nbunching_min_near = 10.5", "policy.by_year.2022.bunching_min_near = 10.5 (not a whole"),
    ("[scale_out]\ndask_local_workers = -1", "scale_out.dask_local_workers = -1"),
    ("[paths]\ninbox = 5", "paths.inbox = 5 (not text)"),
    ("[store]\nmemory_limit = 2", "store.memory_limit = 2 (not text)"),
    ('[departments]\nvehicle_exempt_types = ["摩托", 3]', "departments.vehicle_exempt_types = ['摩托', 3] (not a list"),
])
def test_a_limit_day_or_whole_number_of_another_kind_is_refused_by_name(tmp_path, entry, named):
    message = refusal(tmp_path, entry + "\n")
    assert named in message and "\n" not in message


def test_whole_numbers_may_be_written_in_quotes_or_with_a_zero_fraction(tmp_path):
    settings = loaded(tmp_path, '[spot_check]\nmin_households = "200"\n[cases]\nverify_days = 20.0\n'
                                '[report]\nreturns_due_day = 28\n[cases.campaign]\nend = 2020-05-30\n')
    assert (settings.spot_check["min_households"], settings.cases.verify_days) == (200, 20)
    assert isinstance(settings.cases.verify_days, int) and settings.returns_due_day == 28


@pytest.mark.parametrize(("variable", "value", "named"), [
    ("POVMON_SETTLE_SECONDS", "abc", "POVMON_SETTLE_SECONDS = 'abc' (not a number)"),
    ("POVMON_SETTLE_SECONDS", "-1", "POVMON_SETTLE_SECONDS = '-1' (needs ≥ 0)"),
    ("POVMON_DASK_LOCAL_WORKERS", "two", "POVMON_DASK_LOCAL_WORKERS = 'two' (not a number)"),
    ("POVMON_DASK_LOCAL_WORKERS", "1.5", "POVMON_DASK_LOCAL_WORKERS = '1.5' (not a whole number)"),
])
def test_a_numeric_environment_variable_is_refused_by_its_name(variable, value, named):
    with pytest.raises(ValueError, match="settings refused") as refused:
        load_settings(None, environ={variable: value})
    assert named in str(refused.value)
    assert load_settings(None, environ={"POVMON_SETTLE_SECONDS": "0", "POVMON_DASK_LOCAL_WORKERS": "2"}) \
        .dask_local_workers == 2


@pytest.mark.parametrize("section", ["cases]\nopen_on", "departments]\nasset_flags"])
def test_a_flag_list_naming_an_unknown_flag_is_refused_by_name(tmp_path, section):
    message = refusal(tmp_path, f'[{section} = ["BELOW_LNE", "SUDDEN_DROP"]\n')
    name = section.replace("]\n", ".")
    assert f"{name} = ['BELOW_LNE', 'SUDDEN_DROP'] (not a household flag: 'BELOW_LNE';" in message
    assert "SUDDEN_DROP," not in message.split("the household flags are")[0]
    fine = loaded(tmp_path, f'[{section} = ["BELOW_LINE", "NEAR_LINE", "SUDDEN_DROP"]\n')
    assert "NEAR_LINE" in (fine.cases.open_on if "cases" in section else fine.departments["asset_flags"])


def test_an_asset_household_type_list_naming_an_unknown_type_is_refused_by_name(tmp_path):
    """A type written otherwise (traditional 戶, a typo) would silently stop ASSET findings for its households."""
    message = refusal(tmp_path, '[departments]\nasset_household_types = ["脱贫戶", "低保户"]\n')
    assert "departments.asset_household_types = ['脱贫戶', '低保户'] (not a household type: '脱贫戶';" in message
    assert "脱贫户, 未脱贫户" in message
    fine = loaded(tmp_path, '[departments]\nasset_household_types = ["边缘户", "低保户"]\n')
    assert fine.departments["asset_household_types"] == ("边缘户", "低保户")


def test_the_household_types_settings_are_checked_against_are_the_ones_the_rows_are():
    from core.flag_codes import HOUSEHOLD_TYPES
    from tasks.validate.expectation_suite import load_suite
    from tasks.validate.columns import HOUSEHOLD_TYPES as ROW_TYPES

    suite = load_suite("village_return_rows")
    sets = [e["kwargs"]["value_set"] for e in suite["expectations"]
            if e["kwargs"].get("column") == "household_type" and "value_set" in e["kwargs"]]
    assert sets and all(set(s) == set(HOUSEHOLD_TYPES) for s in sets) and list(HOUSEHOLD_TYPES) == ROW_TYPES


def test_the_flag_codes_settings_are_checked_against_are_the_ones_the_pages_show():
    from core.flag_codes import HOUSEHOLD_FLAGS
    from tasks.report.labels import FLAG_CODES

    assert list(HOUSEHOLD_FLAGS) == FLAG_CODES


def test_every_number_of_the_defaults_has_a_range():
    """A setting added to the defaults without one would be taken whatever its value."""
    from core.settings_ranges import RANGES

    defaults = tomllib.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
    numbers = {f"{section}.{key}" for section, table in defaults.items() if isinstance(table, dict)
               for key, value in table.items() if isinstance(value, (int, float)) and not isinstance(value, bool)}
    checked_elsewhere = {"projection.band_history_prior"}  # one number or 11 (checked_band_defaults)
    assert numbers - checked_elsewhere - set(RANGES) == set()


@pytest.mark.parametrize("text", ["[projection]\nband_coverage = 1.5\n",
                                  "[projection.default_share]\nwage_income = [0.1, 0.2]\n"])
def test_povmon_run_refuses_a_value_out_of_range_in_one_line_leaving_the_store_as_it_was(tmp_path, text):
    """These passed the load and failed the run after it had dropped the marts (household_status emptied)."""
    store = tmp_path / "db.duckdb"
    with duckdb.connect(str(store)) as con:
        con.execute("CREATE TABLE kept AS SELECT 1 AS x")
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    (tmp_path / "bad.toml").write_text(text, encoding="utf-8")
    done = subprocess.run([*POVMON, "run", "--settings", str(tmp_path / "bad.toml"), "--db", str(store),
                           "--inbox", str(tmp_path / "inbox"), "--as-of", "202005"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "projection." in done.stderr, done.stderr
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before
