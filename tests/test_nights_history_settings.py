"""Nights in sequence against one rebuild: the history checks' warnings after their settings changed (ROW_OUTLIER's
outlier_mad_k) equal those one run over the same inbox with the new settings finds on a fresh database."""
from __future__ import annotations

from tests.support.nights import VILLAGE, fresh_copy, monthly_returns
from tests.support.returns import make_city
from tests.support.runs import problems as exported_problems, run_nightly

# ten households of one village, one earning well above the others: an outlier at k = 2, not at k = 6
WAGES = {f"{VILLAGE}{seq:04d}": 800 + 60 * seq for seq in range(1, 10)} | {f"{VILLAGE}0010": 1800}


def outliers(root) -> list[tuple[str, str, str]]:
    """The ROW_OUTLIER rows of problems.csv: file, row, household."""
    return sorted((p["file"], p["row"], p["household_id"]) for p in exported_problems(root) if p["code"] == "ROW_OUTLIER")


def test_a_changed_outlier_setting_checks_the_stored_returns_again(prefect_harness, tmp_path):
    """The city lowers outlier_mad_k: the returns already stored are judged by it, as a rebuild judges them, not
    only the returns that arrive after the change."""
    kept = tmp_path / "kept"
    make_city(kept)
    monthly_returns(kept, 2020, range(1, 4), WAGES)
    run_nightly(kept, today="2020-01-10")
    assert outliers(kept) == []
    toml = tmp_path / "povmon.toml"
    toml.write_text("[policy]\noutlier_mad_k = 2.0\n", encoding="utf-8")
    monthly_returns(kept, 2020, [4], WAGES)
    run_nightly(kept, today="2020-02-10", settings_file=toml)
    fresh = fresh_copy(kept, tmp_path / "fresh")
    run_nightly(fresh, today="2020-02-10", settings_file=toml)

    assert len(outliers(fresh)) == 4  # the household in each month's return
    assert outliers(kept) == outliers(fresh)
