"""A settings file naming a setting the defaults do not have (a typo, a setting since renamed) is refused by name,
not silently ignored; tables keyed by year take any year."""
from __future__ import annotations

import subprocess

import pytest

from core.settings import load_settings
from tests.support.processes import POVMON


def refusal(tmp_path, text: str) -> str:
    """The message load_settings refuses a settings file of this text with."""
    path = tmp_path / "povmon.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as refused:
        load_settings(path, environ={})
    return str(refused.value)


def test_a_misspelt_setting_is_refused_by_its_dotted_name(tmp_path):
    message = refusal(tmp_path, "[policy]\nnear_line_factr = 1.6\n[cases]\nverify_days = 20\n")
    assert "policy.near_line_factr" in message and "verify_days" not in message


def test_a_renamed_setting_names_what_replaced_it(tmp_path):
    message = refusal(tmp_path, "[projection]\nband_default_relative = 0.3\n")
    assert "projection.band_default_relative (now projection.band_default_low and band_default_high)" in message


def test_a_year_s_threshold_must_be_one_that_can_change_by_year(tmp_path):
    message = refusal(tmp_path, "[policy.by_year.2022]\nnear_line_factor = 1.6\noutlier_mad_k = 5\n")
    assert "policy.by_year.2022.outlier_mad_k" in message and "near_line_factor" not in message


def test_an_unknown_table_is_refused(tmp_path):
    assert "scaleout" in refusal(tmp_path, "[scaleout]\ndask_local_workers = 2\n")


def test_a_table_written_as_a_value_or_a_value_as_a_table_is_refused_by_name(tmp_path):
    assert "policy (a table)" in refusal(tmp_path, "policy = 3\n")
    assert "ingest.settle_seconds (a value, not a table)" in refusal(tmp_path, "[ingest.settle_seconds]\nx = 1\n")
    assert "policy.by_year.2022 (a table)" in refusal(tmp_path, "[policy.by_year]\n2022 = 1.6\n")


def test_a_year_keyed_table_takes_years_only(tmp_path):
    assert "policy.line.next (not a year)" in refusal(tmp_path, "[policy.line]\nnext = 5000\n")


def test_year_keyed_tables_take_new_years(tmp_path):
    path = tmp_path / "povmon.toml"
    path.write_text("[policy.line]\n2030 = 6000\n[policy.by_year.2030]\ndrop_threshold = 0.4\n"
                    "[projection.spring_festival]\n2030 = 2030-02-03\n", encoding="utf-8")
    settings = load_settings(path, environ={})
    assert settings.line_for(2030) == 6000
    assert settings.policy_for(2031)["drop_threshold"] == 0.4
    assert str(settings.spring_festival[2030]) == "2030-02-03"


def test_povmon_run_refuses_it_in_one_line_before_touching_the_store(tmp_path):
    (tmp_path / "typo.toml").write_text("[ingest]\nsettle_secs = 0\n", encoding="utf-8")
    done = subprocess.run([*POVMON, "run", "--settings", str(tmp_path / "typo.toml"), "--db",
                           str(tmp_path / "db.duckdb")], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "ingest.settle_secs" in done.stderr
    assert not (tmp_path / "db.duckdb").exists()


def test_a_value_that_is_not_a_number_is_refused_naming_its_setting(tmp_path):
    assert "policy.drop_threshold = 'thirty' (not a number)" in refusal(tmp_path, '[policy]\ndrop_threshold = "thirty"\n')
    assert "policy.by_year.2022.bunching_min_near = True is not a whole number" in refusal(
        tmp_path, "[policy.by_year.2022]\nbunching_min_near = true\n")
    assert "projection.band_default_low = ['a'] is not a number (or a list of numbers)" in refusal(
        tmp_path, '[projection]\nband_default_low = ["a"]\n')


def test_a_setting_of_another_kind_than_its_default_is_refused_by_name(tmp_path):
    message = refusal(tmp_path, '[ingest]\nsettle_seconds = "soon"\n[spot_check]\nmin_households = true\n'
                                '[cases]\nopen_on = "BELOW_LINE"\n[policy.line]\n2020 = "four thousand"\n')
    for refused in ("ingest.settle_seconds = 'soon' (not a number)", "spot_check.min_households = True (not a number)",
                    "cases.open_on = 'BELOW_LINE' (not a list)", "policy.line.2020 = 'four thousand' (not a number)"):
        assert refused in message


def test_a_number_in_quotes_is_read_as_before(tmp_path):
    path = tmp_path / "povmon.toml"
    path.write_text('[ingest]\nsettle_seconds = "5"\n[policy.line]\n2020 = "4100"\n', encoding="utf-8")
    settings = load_settings(path, environ={})
    assert settings.settle_seconds == 5.0 and settings.line_for(2020) == 4100.0


def test_the_shipped_defaults_written_out_as_a_settings_file_pass_their_own_checks(tmp_path):
    from core.settings import DEFAULTS_FILE

    path = tmp_path / "povmon.toml"
    path.write_text(DEFAULTS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_settings(path, environ={}) == load_settings(environ={})


def test_a_date_that_is_not_one_is_refused_naming_its_setting(tmp_path):
    assert "cases.campaign.end = '2020-05-32' is not a date" in refusal(tmp_path, '[cases.campaign]\nend = "2020-05-32"\n')
    assert "projection.spring_festival.2031 = 'soon' is not a date" in refusal(
        tmp_path, '[projection.spring_festival]\n2031 = "soon"\n')


def test_a_threshold_outside_its_range_is_refused_by_name(tmp_path):
    """A line ≤ 0 flags nobody and a negative minimum draws from one county only: runs that would complete with a
    meaning nobody chose."""
    message = refusal(tmp_path, "[policy.line]\n2020 = -4000\n[spot_check]\nmin_households = -5\n"
                                "household_flag_weight = -1.0\n[policy]\ndrop_threshold = 1.5\n")
    for part in ("policy.line.2020 = -4000", "spot_check.min_households = -5", "spot_check.household_flag_weight",
                 "policy.drop_threshold = 1.5"):
        assert part in message
    path = tmp_path / "fine.toml"
    path.write_text("[spot_check]\nmin_households = 1\nsignal_weight = 0\n[policy.line]\n2022 = 4500\n")
    assert load_settings(path, environ={}).spot_check["min_households"] == 1


def test_a_year_s_threshold_outside_its_range_is_refused_by_name(tmp_path):
    """A year's own entry of policy.by_year has its default's range: a drop threshold of 1.5 from 2022 on would
    flag every household with any fall, and a near-line factor under 1 would make 临界 a band below the line."""
    message = refusal(tmp_path, "[policy.by_year.2022]\ndrop_threshold = 1.5\nnear_line_factor = 0.8\n"
                                "[policy.by_year.2023]\ndrop_threshold = 0.3\n")
    assert "policy.by_year.2022.drop_threshold = 1.5" in message
    assert "policy.by_year.2022.near_line_factor = 0.8 (needs ≥ 1)" in message and "2023" not in message
