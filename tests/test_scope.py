"""Which file names a rerun's scope re-reads."""
from __future__ import annotations

from tasks.ingest.scope import Scope


def test_nightly_scope_rereads_nothing():
    assert not Scope().covers("430502001001_202003.csv")


def test_village_county_and_period_scopes():
    village = Scope(village="430502001001")
    assert village.covers("430502001001_202003.csv") and village.covers(" 430502001001_202003_v2.xlsx")
    assert village.covers("430502001001_202003_更正.csv")
    assert not village.covers("430502001002_202003.csv")
    assert not village.covers("430502001001_2020.csv")  # an unusable name is never a scope's file
    county = Scope(county="430502", period="202003")
    assert county.covers("430502009001_202003.csv")
    assert not county.covers("430502009001_202002.csv") and not county.covers("430503009001_202003.csv")


def test_a_rerun_of_an_unknown_county_village_or_department_is_refused():
    """It would re-read nothing and publish unchanged exports as if it had worked (a county's code given as a
    village, or a township's as a county, too)."""
    import polars as pl
    import pytest

    from tasks.departments.events import DEPARTMENTS

    units = pl.DataFrame({"code": ["430521", "430521001", "430521001001"],
                          "level": ["county", "township", "village"]})
    Scope(county="430521").check_known(units, DEPARTMENTS)
    Scope(department="CIVIL").check_known(units, DEPARTMENTS)  # names are matched case-blind
    for scope, says in ((Scope(county="999999"), "county 999999"), (Scope(village="430521001009"), "village"),
                        (Scope(village="430521"), "village 430521"), (Scope(county="430521001"), "county 430521001"),
                        (Scope(department="civill"), "department civill")):
        with pytest.raises(ValueError, match=says):
            scope.check_known(units, DEPARTMENTS)
