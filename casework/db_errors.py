"""Which database errors are a concurrent change (409: try again) and which mean the database
cannot be reached (503: the service is unavailable), issue 22: a dropped connection was
answered 409, as if another officer had changed the case at the same moment."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError

# PostgreSQL: lock_not_available (a lock wait that timed out), deadlock_detected,
# serialization_failure. SQLite says "database is locked" / "database table is locked".
CONCURRENT_SQLSTATES = frozenset({"55P03", "40P01", "40001"})


def is_concurrent_change(exc: BaseException) -> bool:
    """A lock conflict another transaction caused: retrying may succeed at once."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate:
        return str(sqlstate) in CONCURRENT_SQLSTATES
    return "locked" in str(exc).lower()


def is_database_unavailable(exc: BaseException) -> bool:
    """The connection failed, was dropped or was closed: no query can be answered now."""
    return isinstance(exc, OperationalError | InterfaceError) and not is_concurrent_change(exc)
