"""Great Expectations imported for this process, with scipy.stats deferred to its first use.

Importing this module imports GX (`great_expectations` and its v1 Validator): GX's own imports pull in
scipy.stats (0.6 of GX's ~2.1 s import, at the start of every run that reads files) for three
distribution expectations (KL divergence, KS tests) that the row suite never uses. Their modules read
`from scipy import stats` and touch it only inside functions, so scipy.stats is given to them as a lazy
module (importlib.util.LazyLoader): any real use loads it whole at its first attribute, so nothing
behaves differently. So is altair (0.3 s), imported by one of them for charts the suite never draws
(a stand-in module). SQLAlchemy (0.6 s), which GX imports only to offer SQL datasources and does without
when it is not installed (its compatibility module), is hidden from GX's import: the suite validates pandas
frames, never SQL (GX's SQL path on DuckDB is broken anyway), and it imports as usual once GX is in. Once GX is
in, its expectations' kwargs lookups read their configuration once per call (gx_kwargs).
Imported by name where GX was (the run's prefetch, serve's spares, gx_run)."""
from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager


def defer_submodule(package: str, name: str) -> bool:
    """Register package.name as a lazy module, set as the package's attribute so that `from package import name`
    takes it without an import (which, in Python 3.11, would load it at once by reading its __spec__); returns
    whether it was deferred (not when it is already imported, or cannot be found)."""
    try:
        parent = importlib.import_module(package)
    except ImportError:
        return False
    module = defer_module(f"{package}.{name}")
    if module is None:
        return False
    setattr(parent, name, module)
    return True


def defer_module(full: str) -> types.ModuleType | None:
    """Register a module as lazy (loaded whole at its first attribute) and return it, or None when it is already
    imported or cannot be found."""
    if full in sys.modules:
        return None
    try:
        spec = importlib.util.find_spec(full)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.loader is None:
        return None
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[full] = module
    loader.exec_module(module)
    return module


class _StandIn(types.ModuleType):
    """A module not imported yet: imported, and put in its place, at the first attribute asked of it."""

    def __getattr__(self, attr: str):
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        return getattr(importlib.import_module(name), attr)


def stand_in(name: str) -> bool:
    """Put a stand-in for a top-level module not imported yet, so `import name` costs nothing until the module is
    used (a lazy module would not do: `import name` reads its __spec__, which loads it); returns whether it did."""
    if name in sys.modules or importlib.util.find_spec(name) is None:
        return False
    sys.modules[name] = _StandIn(name)
    return True


@contextmanager
def hidden(name: str) -> Iterator[None]:
    """Within the block, importing a module not yet imported fails as if it were not installed; after it, the
    module imports as usual."""
    if name in sys.modules:
        yield
        return
    sys.modules[name] = None  # type: ignore[assignment]  # Python's own "not importable" mark
    try:
        yield
    finally:
        if sys.modules.get(name, ...) is None:
            del sys.modules[name]


def is_deferred(full_name: str) -> bool:
    """Whether a module deferred by defer_submodule is still unloaded."""
    module = sys.modules.get(full_name)
    return module is not None and isinstance(module, importlib.util._LazyModule)


defer_submodule("scipy", "stats")
stand_in("altair")

with hidden("sqlalchemy"):
    import great_expectations  # noqa: F401
    from great_expectations.validator import v1_validator  # noqa: F401

from tasks.validate import gx_kwargs  # noqa: E402  (GX's kwargs lookups, once GX is in)

gx_kwargs.install()
