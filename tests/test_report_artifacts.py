"""The report artifacts sent in a thread of their own: what stops them is told to the run, not raised in the thread."""
from __future__ import annotations

from pathlib import Path

from flows.report_artifacts import PendingArtifacts


def test_what_stops_the_artifacts_is_returned_by_wait_not_raised_in_their_thread():
    pending = PendingArtifacts({"index": Path("index.html"), "summary": []}, "202003")  # no county pages listed
    failed = pending.wait()
    assert isinstance(failed, KeyError) and failed.args == ("counties",)
    assert pending.wait() is failed  # asked again, the same answer
