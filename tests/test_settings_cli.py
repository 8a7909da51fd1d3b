"""Settings reach the run through the command line: a --settings file, $POVMON_SETTINGS and ./povmon.toml each
change the exports, in the documented order (option > environment > ./povmon.toml > defaults)."""
from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import pytest

from core.settings import chosen_settings_file
from tests.support.processes import POVMON
from tests.support.returns import csv_bytes, household, make_city

pytestmark = pytest.mark.slow

LOW_LINE = "[policy.line]\n2019 = 100\n2020 = 100\n"      # nobody is below a line of 100 yuan
HIGH_LINE = "[policy.line]\n2019 = 20000\n2020 = 20000\n"  # everybody is
HOUSEHOLDS = 6


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    """Two villages of households whose projected per-capita is about 1,000 yuan, and two settings files."""
    root = tmp_path_factory.mktemp("settings-city")
    inbox, _ = make_city(root)
    for village in ("430521001001", "430521001002"):
        (inbox / f"{village}_202003.csv").write_bytes(csv_bytes([household(village, n) for n in (1, 2, 3)]))
    (root / "low.toml").write_text(LOW_LINE, encoding="utf-8")
    (root / "high.toml").write_text(HIGH_LINE, encoding="utf-8")
    return root


def below_line_count(city: Path, folder: Path, *options: str, povmon_toml: str | None = None,
                     env: dict | None = None) -> int:
    """`povmon run` started in folder (its store there, and a ./povmon.toml when given) with the options and
    extra environment; how many households flags.csv lists as BELOW_LINE."""
    folder.mkdir()
    if povmon_toml:
        (folder / "povmon.toml").write_text(povmon_toml, encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k != "POVMON_SETTINGS"}
    environment |= {"POVMON_PREFECT_HOME": str(city / ".prefect")} | (env or {})
    done = subprocess.run([*POVMON, "run", "--inbox", str(city / "inbox"), "--reference", str(city / "reference"),
                           "--db", str(folder / "db.duckdb"), "--out", str(folder / "out"), *options],
                          cwd=folder, env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with open(folder / "out" / "exports" / "flags.csv", encoding="utf-8-sig", newline="") as handle:
        return sum("BELOW_LINE" in row["flags"].split(";") for row in csv.DictReader(handle))


def test_defaults_flag_every_household_below_the_line(city):
    assert below_line_count(city, city / "defaults") == HOUSEHOLDS


def test_each_source_of_a_settings_file_changes_the_exports(city):
    assert below_line_count(city, city / "option", "--settings", str(city / "low.toml")) == 0
    assert below_line_count(city, city / "environment", env={"POVMON_SETTINGS": str(city / "low.toml")}) == 0
    assert below_line_count(city, city / "working-folder", povmon_toml=LOW_LINE) == 0


def test_the_option_beats_the_environment_which_beats_the_working_folder(city):
    assert below_line_count(city, city / "env-over-folder", povmon_toml=LOW_LINE,
                            env={"POVMON_SETTINGS": str(city / "high.toml")}) == HOUSEHOLDS
    assert below_line_count(city, city / "option-over-env", "--settings", str(city / "low.toml"),
                            env={"POVMON_SETTINGS": str(city / "high.toml")}) == 0


def test_the_chosen_file_is_named_absolutely_for_a_deployment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert chosen_settings_file(None, {}) is None
    (tmp_path / "povmon.toml").write_text(LOW_LINE, encoding="utf-8")
    assert chosen_settings_file(None, {}) == tmp_path / "povmon.toml"
    assert chosen_settings_file(None, {"POVMON_SETTINGS": "x.toml"}) == tmp_path / "x.toml"
    assert chosen_settings_file("y.toml", {"POVMON_SETTINGS": "x.toml"}) == tmp_path / "y.toml"
