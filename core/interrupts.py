"""Telling Ctrl-C apart from a failure: DuckDB reports a SIGINT met inside a query as an error of its own."""
from __future__ import annotations


def interrupted(err: BaseException | None) -> bool:
    """Whether an error is Ctrl-C met inside a DuckDB query: DuckDB turns the signal into its InterruptException
    (con.interrupt()) or, in 2.0, a plain RuntimeError('Query interrupted') (not a KeyboardInterrupt), which the
    run's steps may wrap in their own errors."""
    import duckdb  # only after an error: already imported by the step that raised it

    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        if isinstance(err, duckdb.InterruptException) or is_query_interrupted(err):
            return True
        seen.add(id(err))
        err = err.__cause__ or err.__context__
    return False


def is_query_interrupted(err: BaseException) -> bool:
    """Whether an error is DuckDB's report of a SIGINT met during a query: DuckDB 2.0 raises a plain RuntimeError
    for it (InterruptException is for con.interrupt())."""
    return type(err) is RuntimeError and str(err) == "Query interrupted"
