"""The files' stamps (a digest of every county × month's files, ~1 s on a province store) are taken once a run: the
project step keys the marts on them and hands them to the flag and figures steps, as nothing loads in between."""
from __future__ import annotations

import pytest

from tasks.marts import mart_keys
from tests.support.runs import run_nightly

pytestmark = pytest.mark.flow


def test_a_run_takes_the_files_stamps_once(
        small_city, prefect_harness, tmp_path, monkeypatch):
    taken: list[int] = []
    stamps_of = mart_keys.Stamps.__init__

    def counted(self, con):
        taken.append(1)
        stamps_of(self, con)

    monkeypatch.setattr(mart_keys.Stamps, "__init__", counted)
    summary = run_nightly(tmp_path, inbox=small_city / "inbox", reference=small_city / "reference")
    assert summary.files_loaded > 0
    assert len(taken) == 1
