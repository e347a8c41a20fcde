"""The one place record work is started. For now it runs after commit, in this process (in a
background thread, or inline when RECORDS_JOBS_INLINE is set, as in tests); the lead engineer
swaps it for a django-tasks task without touching the callers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger(__name__)


def _jobs() -> dict[str, Callable[[int], None]]:
    from letters.records.services import record_process, release_set_build

    return {"record_process": record_process, "release_set_build": release_set_build}


def run(name: str, object_id: int) -> None:
    """Run a job now (the job itself records failure on its row)."""
    _jobs()[name](object_id)


def enqueue(name: str, object_id: int) -> None:
    """Run job `name` on `object_id` once the current transaction has committed."""
    if name not in _jobs():
        raise ValueError(name)

    def start() -> None:
        if settings.RECORDS_JOBS_INLINE:
            run(name, object_id)
            return

        def work() -> None:
            try:
                run(name, object_id)
            except Exception:  # the row already says "failed"; keep the thread's death quiet
                logger.exception("records job %s(%s) failed", name, object_id)
            finally:
                connection.close()  # this thread's own connection

        threading.Thread(target=work, name=f"records-{name}-{object_id}", daemon=True).start()

    transaction.on_commit(start)
