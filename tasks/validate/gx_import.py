"""Great Expectations imported for this process, with scipy.stats deferred to its first use.

Importing this module imports GX (`great_expectations` and its v1 Validator): GX's own imports pull in
scipy.stats (0.6 of GX's ~2.1 s import, at the start of every run that reads files) for three
distribution expectations (KL divergence, KS tests) that the row suite never uses. Their modules read
`from scipy import stats` and touch it only inside functions, so scipy.stats is given to them as a lazy
module (importlib.util.LazyLoader): any real use loads it whole at its first attribute, so nothing
behaves differently. Imported by name where GX was (the run's prefetch, serve's spares, gx_run)."""
from __future__ import annotations

import importlib
import importlib.util
import sys


def defer_submodule(package: str, name: str) -> bool:
    """Register package.name as a lazy module, set as the package's attribute so that `from package import name`
    takes it without an import (which, in Python 3.11, would load it at once by reading its __spec__); returns
    whether it was deferred (not when it is already imported, or cannot be found)."""
    full = f"{package}.{name}"
    if full in sys.modules:
        return False
    try:
        parent = importlib.import_module(package)
        spec = importlib.util.find_spec(full)
    except ImportError:
        return False
    if spec is None or spec.loader is None:
        return False
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[full] = module
    setattr(parent, name, module)
    loader.exec_module(module)
    return True


def is_deferred(full_name: str) -> bool:
    """Whether a module deferred by defer_submodule is still unloaded."""
    module = sys.modules.get(full_name)
    return module is not None and isinstance(module, importlib.util._LazyModule)


defer_submodule("scipy", "stats")

import great_expectations  # noqa: E402,F401
from great_expectations.validator import v1_validator  # noqa: E402,F401
