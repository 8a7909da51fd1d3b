"""GX's kwargs lookups, built from one configuration per call (tasks/validate/gx_kwargs.py), give what GX's own give
for every expectation of the suites, with and without a runtime configuration."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

SUITES = sorted((Path(__file__).resolve().parents[1] / "expectations").glob("*.json"))


def expectations() -> list[dict]:
    """Every expectation of every suite, numbered as gx_run numbers them."""
    return [e | {"meta": e.get("meta", {}) | {"index": i}} for suite in SUITES
            for i, e in enumerate(json.loads(suite.read_text(encoding="utf-8"))["expectations"])]


def test_the_lookups_are_in_place():
    import tasks.validate.gx_import  # noqa: F401
    from great_expectations.expectations.expectation import Expectation

    from tasks.validate import gx_kwargs

    assert all(getattr(Expectation, name) is getattr(gx_kwargs, name) for name in gx_kwargs.NAMES)


@pytest.mark.parametrize("runtime", [None, {"result_format": "BASIC"}, {"result_format": "SUMMARY", "mostly": 0.5}])
def test_each_lookup_gives_what_gx_gives(runtime):
    import tasks.validate.gx_import  # noqa: F401
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    from tasks.validate import gx_kwargs

    checked = 0
    for e in expectations():
        expectation = ExpectationConfiguration(type=e["type"], kwargs=e["kwargs"], meta=e["meta"]).to_domain_obj()
        original = gx_kwargs.ORIGINAL
        assert expectation._get_domain_kwargs() == original["_get_domain_kwargs"](expectation)
        assert expectation._get_success_kwargs() == original["_get_success_kwargs"](expectation)
        for key in (*expectation.success_keys, *expectation.runtime_keys, *expectation.domain_keys):
            assert expectation._get_success_kwarg(key, "x") == original["_get_success_kwarg"](expectation, key, "x")
        assert (expectation._get_runtime_kwargs(runtime) == original["_get_runtime_kwargs"](expectation, runtime))
        checked += 1
    assert checked >= 30  # the three suites' expectations, every one looked at
