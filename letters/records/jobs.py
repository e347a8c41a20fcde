"""The one place record work is started: a task of Django's tasks framework (casework.tasks)
on the long queue, enqueued after commit, so conversion, OCR and redaction run in the worker
processes (`manage.py db_worker --queue-name default,long`), never in the web request. Tests
run tasks at once (the immediate backend)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django_tasks import task

from casework.tasks import LONG, enqueue_on_commit

logger = logging.getLogger(__name__)


def _jobs() -> dict[str, Callable[[int], None]]:
    from letters.records.services import record_process, release_set_build

    return {"record_process": record_process, "release_set_build": release_set_build}


def run(name: str, object_id: int) -> None:
    """Run a job now (the job itself records failure on its row)."""
    _jobs()[name](object_id)


@task(queue_name=LONG)
def records_job(name: str, object_id: int) -> None:
    """A worker runs one record job; a failure is already recorded on the row, and logged."""
    try:
        run(name, object_id)
    except Exception:
        logger.exception("records job %s(%s) failed", name, object_id)
        raise


def enqueue(name: str, object_id: int) -> None:
    """Run job `name` on `object_id` in a worker once the current transaction has committed."""
    if name not in _jobs():
        raise ValueError(name)
    enqueue_on_commit(records_job, name, object_id)
