"""GX's expectation kwargs looked up from one configuration per call, not one per key.

GX 1.x builds an Expectation's `configuration` anew at every access (a pydantic `.dict()` and a new
ExpectationConfiguration), and its kwargs lookups access it once per key, twice in `_get_success_kwarg`: the city
increment's 93 expectation runs built it 8,814 times, more than a third of GX's time in the run's process. The four
lookups below do what GX's do (GX 1.24.1's code, kept as `ORIGINAL` and compared by tests/test_gx_kwargs.py on every
expectation of the suites), reading the configuration once; another GX version keeps its own."""
from __future__ import annotations

import logging
from importlib.metadata import version
from typing import Any

from great_expectations.expectations.expectation import Expectation, parse_result_format

WRITTEN_FOR = "1.24.1"
NAMES = ("_get_domain_kwargs", "_get_success_kwargs", "_get_success_kwarg", "_get_runtime_kwargs")
ORIGINAL = {name: getattr(Expectation, name) for name in NAMES}
logger = logging.getLogger("great_expectations.expectations.expectation")


def domain_kwargs(self: Expectation, kwargs: dict) -> dict:
    """GX's _get_domain_kwargs on a configuration's kwargs."""
    return {key: kwargs.get(key, self._get_default_value(key)) for key in self.domain_keys}


def success_kwargs(self: Expectation, kwargs: dict) -> dict:
    """GX's _get_success_kwargs on a configuration's kwargs (the domain's own lookup when a class overrides it)."""
    domain = (domain_kwargs(self, kwargs) if type(self)._get_domain_kwargs is _get_domain_kwargs
              else self._get_domain_kwargs())
    found = {key: kwargs.get(key, self._get_default_value(key)) for key in self.success_keys}
    found.update(domain)
    return found


def success_kwarg(self: Expectation, kwargs: dict, key: str, default: Any = None) -> Any:
    """GX's _get_success_kwarg on a configuration's kwargs."""
    if key in kwargs:
        return kwargs[key]
    field = self.__fields__.get(key)
    if field is not None:
        return field.default if not field.required else default
    logger.warning(f'_get_success_kwarg called with key "{key}", but it is not a known field of {type(self).__name__}')
    return default


def _get_domain_kwargs(self: Expectation) -> dict:
    return domain_kwargs(self, self.configuration.kwargs)


def _get_success_kwargs(self: Expectation) -> dict:
    return success_kwargs(self, self.configuration.kwargs)


def _get_success_kwarg(self: Expectation, key: str, default: Any = None) -> Any:
    return success_kwarg(self, self.configuration.kwargs, key, default)


def _get_runtime_kwargs(self: Expectation, runtime_configuration: dict | None = None) -> dict:
    runtime_configuration = runtime_configuration or {}
    kwargs = self.configuration.kwargs
    own = type(self)._get_success_kwargs is _get_success_kwargs and type(self)._get_success_kwarg is _get_success_kwarg
    found = success_kwargs(self, kwargs) if own else self._get_success_kwargs()
    runtime = {key: runtime_configuration.get(key, success_kwarg(self, kwargs, key) if own
                                              else self._get_success_kwarg(key)) for key in self.runtime_keys}
    runtime.update(found)
    runtime["result_format"] = parse_result_format(runtime["result_format"])
    return runtime


def install() -> bool:
    """Put the lookups in place on GX's Expectation (subclasses overriding one keep theirs); returns whether it did
    (only for the GX version they were written from)."""
    if version("great_expectations") != WRITTEN_FOR:
        return False
    for name in NAMES:
        setattr(Expectation, name, globals()[name])
    return True
