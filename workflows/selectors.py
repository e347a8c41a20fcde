"""Reads for the workbench: task queues with a plain division filter (never guardian over
big tables), sorted by the statutory due date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, F, OuterRef, QuerySet, Subquery

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.choices import CaseStatus
from casework.choices import Transition as Tr
from casework.clock import supervision_level
from casework.models import Case, Event
from casework.permissions import DIVISION_PERM, user_division_ids, user_task_perms
from casework.workdays import WorkingCalendar

TABS = ("mine", "division", "office", "extensions")
EXTENSION_PERM = "casework.sign_off_cases"

CASE = "process__caseprocess__case"


def task_queue(*, user: Any, tab: str) -> QuerySet[Task]:
    """Open human tasks of one workbench tab: my claimed tasks, my divisions' unclaimed
    tasks, or the office's unclaimed tasks (by the user's office roles)."""
    qs = Task.objects.filter(flow_task_type="HUMAN")
    if tab == "mine":
        qs = qs.filter(owner=user, status=STATUS.ASSIGNED)
    elif tab == "division":
        divisions = [str(pk) for pk in sorted(user_division_ids(user))]
        qs = qs.filter(
            status=STATUS.NEW, owner_permission=DIVISION_PERM, owner_permission_obj_pk__in=divisions
        )
    elif tab == "office":
        qs = qs.filter(status=STATUS.NEW, owner_permission__in=sorted(user_task_perms(user)))
    elif tab == "extensions":
        # Art 33(2): requests waiting for the head of the OGI office (the open task of such
        # cases); only the head decides them, so only the head's queue lists them.
        if EXTENSION_PERM not in user_task_perms(user):
            return Task.objects.none()  # type: ignore[no-any-return]
        pending = Case.objects.filter(
            status__in=[CaseStatus.INVESTIGATION, CaseStatus.REVIEW],
            extension_days=0,
            events__kind=Tr.REQUEST_EXTENSION,
        ).values("pk")
        qs = qs.filter(
            status__in=[STATUS.NEW, STATUS.ASSIGNED], process__caseprocess__case__in=pending
        )
    else:
        return Task.objects.none()  # type: ignore[no-any-return]
    urges = (
        Event.objects.filter(case=OuterRef(CASE), kind=Tr.URGE)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (  # type: ignore[no-any-return]
        qs.select_related(
            "owner", f"{CASE}__applicant", f"{CASE}__lead_division", f"{CASE}__assignee"
        )
        .annotate(urges=Subquery(urges))
        .order_by(F(f"{CASE}__reply_due_on").asc(nulls_last=True), "pk")
    )


def tabs_for(user: Any) -> list[str]:
    """The workbench tabs that can hold tasks for `user`, in order."""
    perms = user_task_perms(user)
    return [
        t
        for t in TABS
        if (t != "division" or user_division_ids(user))
        and (t != "office" or perms)
        and (t != "extensions" or EXTENSION_PERM in perms)
    ]


def task_list_visible_to(*, user: Any, tab: str) -> QuerySet[Task]:
    """One tab's tasks (task_queue), limited to the cases the user may see
    (casework.selectors.case_list_visible_to): a task never shows a case its page would hide."""
    from casework.permissions import sees_all_cases
    from casework.selectors import case_list_visible_to

    tasks = task_queue(user=user, tab=tab)
    if sees_all_cases(user):
        return tasks
    return tasks.filter(**{f"{CASE}__in": case_list_visible_to(user=user).values("pk")})


@dataclass(frozen=True)
class QueueRow:
    task: Task
    case: Any
    title: str
    remaining: int | None
    level: str

    @property
    def overdue_days(self) -> int:
        return -self.remaining if self.remaining is not None and self.remaining < 0 else 0


def _remaining(calendar: WorkingCalendar, today: date, due: date | None) -> int | None:
    if due is None:
        return None
    if due >= today:
        return calendar.working_days_between(today, due)
    # Overdue: at least one working day late once the due date has passed.
    return -max(1, calendar.working_days_between(due, today))


def queue_rows(tasks: list[Task], *, calendar: WorkingCalendar, today: date) -> list[QueueRow]:
    """Rows with the remaining working days and supervision level, computed in memory."""
    rows = []
    for task in tasks:
        case = task.process.caseprocess.case
        remaining = None if case.closed_on else _remaining(calendar, today, case.reply_due_on)
        rows.append(
            QueueRow(
                task=task,
                case=case,
                title=str(task.flow_task.task_title or task.flow_task.name),
                remaining=remaining,
                level=supervision_level(remaining, due_soon_within=settings.DUE_SOON_WORKING_DAYS),
            )
        )
    return rows
