"""Background jobs (Django's tasks framework, the `django_tasks` backport of Django 6's
django.tasks, run by `manage.py db_worker`; docs/DEPLOY.md).

Every job is safe to run twice or on two workers at once: e-mail is claimed row by row
(casework.notifications), run_schedule is idempotent, recomputation skips a calendar it
already used. Enqueue after commit (`enqueue_on_commit`) so a worker never looks for rows
that are not yet visible.
"""

from __future__ import annotations

import io
from typing import ParamSpec, TypeVar

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from django_tasks import task
from django_tasks.base import Task

from casework.health import heartbeat_record
from casework.notifications import notifications_send
from casework.selectors import working_calendar_forget

# Long jobs (recomputation over all open cases, PDFs, OCR, redaction) go to their own queue
# so that e-mail is never stuck behind them; start workers for both (`--queue-name default,long`).
LONG = "long"


Params = ParamSpec("Params")
Result = TypeVar("Result")


def enqueue_on_commit(
    job: Task[Params, Result], *args: Params.args, **kwargs: Params.kwargs
) -> None:
    """Enqueue `job` when the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: job.enqueue(*args, **kwargs))


@task()
def send_notifications(ids: list[int] | None = None) -> tuple[int, int]:
    """Send the queued e-mail that is due (these ids, or all); returns (sent, failed)."""

    total_sent = total_failed = 0
    while True:
        sent, failed = notifications_send(ids=ids)
        total_sent, total_failed = total_sent + sent, total_failed + failed
        if sent + failed == 0 or ids is not None:
            return total_sent, total_failed


@task()
def run_schedule() -> str:
    """The periodic work of `manage.py run_schedule` (timers, abandonment, reminders, the
    office digest, due e-mail), enqueued by the scheduler every SCHEDULE_INTERVAL_SECONDS."""

    out = io.StringIO()
    call_command("run_schedule", stdout=out)
    return out.getvalue().strip()


@task()
def heartbeat() -> str:
    """Proves a worker is alive: /healthz reports the age of the last one that ran."""

    now = timezone.now()
    heartbeat_record(now)
    return now.isoformat()


@task(queue_name=LONG)
def recompute_deadlines(force: bool = False) -> dict[str, int]:
    """Recompute the time limits of open cases after a calendar change (Art 33: working days
    follow the State Council's arrangement); each change is an event on its case."""
    from casework.lifecycle import cases_recompute_clocks

    # This worker may hold the calendar in its process cache for a while (working_calendar):
    # the change that enqueued this job must be seen now.
    working_calendar_forget()
    report = cases_recompute_clocks(now=timezone.now(), force=force)
    return {"checked": report.checked, "changed": report.changed}


@task()
def prune_results(days: int = 14) -> str:
    """Delete finished job results older than `days` (the queue table stays small)."""

    out = io.StringIO()
    call_command("prune_db_task_results", min_age_days=days, stdout=out)
    return out.getvalue().strip()
