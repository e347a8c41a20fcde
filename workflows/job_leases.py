"""Leases of the long jobs (issue 22, point 8): a job whose worker died is taken up again.

django-tasks-db marks a job RUNNING, with its `started_at`, when a worker claims it, and
nothing changes it again if that worker is killed (kill -9, out of memory, a reboot): the
record stays "生成中", the case file "正在生成". A job's lease ends at
`started_at + JOB_LEASE_SECONDS` (far longer than any live job takes; a live worker finishes
first). The scheduler's round (workflows.schedule.schedule_run) calls `expired_jobs_retry`:

- every RUNNING job whose lease has ended is closed as failed (`LeaseExpired`), under the
  row's lock, so two rounds at once close it once;
- when it is one of the record and case-file jobs (LEASED) and its row is still in progress,
  the same job is enqueued again, at most JOB_LEASE_MAX_RETRIES times for that row; after
  that the row is marked failed with the reason in Chinese, and the office retries it by hand.

/healthz counts the jobs past their lease (casework.health).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Model, QuerySet

from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from letters.models import CaseFile
from letters.records.models import Record, ReleaseSet
from letters.records.services import audit

logger = logging.getLogger(__name__)


class LeaseExpired(Exception):
    """The worker running the job stopped before it finished (its lease ended)."""


LEASE_EXPIRED = f"{LeaseExpired.__module__}.{LeaseExpired.__qualname__}"
GIVEN_UP = "处理进程意外中断，已自动重试 {n} 次仍未完成，请重新处理。"


JobArgs = list[str | int]
"""A leased job's positional arguments as stored (JSON): a job name and row ids."""


@dataclass(frozen=True)
class LeasedJob:
    """A domain job: its rows still "in progress" for these arguments, and how to mark them
    failed once the retries are spent."""

    in_progress: Callable[[JobArgs], QuerySet[Model]]
    give_up: Callable[[JobArgs, str], None]


def _record_rows(args: JobArgs) -> QuerySet[Record] | QuerySet[ReleaseSet]:
    name, object_id = args[0], args[1]
    if name == "record_process":
        return Record.objects.filter(
            pk=object_id, status__in=[Record.Status.PENDING, Record.Status.PROCESSING]
        )
    return ReleaseSet.objects.filter(pk=object_id, status=ReleaseSet.Status.BUILDING)


def _record_give_up(args: JobArgs, error: str) -> None:
    for row in _record_rows(args).select_related("case"):
        if isinstance(row, Record):
            Record.objects.filter(pk=row.pk).update(status=Record.Status.FAILED, error=error)
            audit(row.case, "record_failed", None, record=row, error=error)
        else:
            ReleaseSet.objects.filter(pk=row.pk).update(
                status=ReleaseSet.Status.FAILED, error=error
            )
            audit(row.case, "release_set_failed", None, release_set=row, error=error)


def _casefile_rows(args: JobArgs) -> QuerySet[CaseFile]:
    return CaseFile.objects.filter(pk=args[0], status=CaseFile.Status.BUILDING)


def _casefile_give_up(args: JobArgs, error: str) -> None:
    _casefile_rows(args).update(status=CaseFile.Status.FAILED, error=error)


LEASED: dict[str, LeasedJob] = {
    "letters.records.jobs.records_job": LeasedJob(_record_rows, _record_give_up),
    "letters.casefile.casefile_build": LeasedJob(_casefile_rows, _casefile_give_up),
}


def jobs_past_lease(now: datetime) -> QuerySet[DBTaskResult[..., object]]:
    """Jobs marked running whose lease has ended (their worker is gone, or far too slow)."""
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING,
        started_at__lt=now - timedelta(seconds=settings.JOB_LEASE_SECONDS),
    )


def _earlier_expiries(result: DBTaskResult[..., object]) -> int:
    """How many times this job, with these arguments, has already lost its worker."""
    earlier = DBTaskResult.objects.filter(
        task_path=result.task_path, exception_class_path=LEASE_EXPIRED
    ).exclude(pk=result.pk)
    return sum(
        1 for args in earlier.values_list("args_kwargs", flat=True) if args == result.args_kwargs
    )


def _enqueue_again(result: DBTaskResult[..., object]) -> Callable[[], None]:
    task = result.task
    args = list(result.args_kwargs.get("args", []))
    kwargs = dict(result.args_kwargs.get("kwargs", {}))

    def enqueue() -> None:
        task.enqueue(*args, **kwargs)

    return enqueue


@dataclass(frozen=True)
class LeaseReport:
    expired: int
    retried: int
    given_up: int


def expired_jobs_retry(*, now: datetime) -> LeaseReport:
    """Close every job past its lease; enqueue again the record and case-file jobs whose rows
    are still in progress (bounded), else mark those rows failed. Safe to run twice at once."""
    expired = retried = given_up = 0
    for pk in list(jobs_past_lease(now).values_list("pk", flat=True)):
        with transaction.atomic():
            result = jobs_past_lease(now).filter(pk=pk).select_for_update(skip_locked=True).first()
            if result is None:
                continue  # finished meanwhile, or another round holds it
            result.set_failed(
                LeaseExpired(
                    f"lease of {settings.JOB_LEASE_SECONDS}s since {result.started_at} "
                    f"ended (workers {result.worker_ids})"
                )
            )
            expired += 1
            job = LEASED.get(result.task_path)
            args = list(result.args_kwargs.get("args", []))
            if job is None or not job.in_progress(args).exists():
                continue
            attempts = _earlier_expiries(result) + 1
            if attempts > settings.JOB_LEASE_MAX_RETRIES:
                job.give_up(args, GIVEN_UP.format(n=attempts - 1))
                given_up += 1
                logger.error(
                    "job %s%s given up after %s lost workers", result.task_path, args, attempts
                )
                continue
            transaction.on_commit(_enqueue_again(result))
            retried += 1
            logger.warning(
                "job %s%s lost its worker; enqueued again (%s)", result.task_path, args, attempts
            )
    return LeaseReport(expired=expired, retried=retried, given_up=given_up)
