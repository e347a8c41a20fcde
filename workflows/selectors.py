"""Reads for the workbench: task queues with a plain division filter (never guardian over
big tables), sorted by the statutory due date."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, overload
from urllib.parse import quote

from django.conf import settings
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext

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
# Statutory reply due date first (cases without one last), then the oldest task.
ORDER = (F(f"{CASE}__reply_due_on").asc(nulls_last=True), "pk")


class QueueList:
    """The rows of one workbench tab, for Paginator: COUNT on the task table alone; a page is
    one query whose inner part picks the page's task ids in due-date order (task → case only)
    and whose outer part fetches the shown columns of those ids alone. The former single wide
    query joined applicant and division to every open task of the tab before keeping 50."""

    ordered = True

    def __init__(self, tasks: QuerySet[Task], rows: QuerySet[Task, dict[str, Any]]) -> None:
        self.tasks = tasks
        self.rows = rows

    def _page(self, index: slice) -> list[dict[str, Any]]:
        page_ids = self.tasks.order_by(*ORDER).values("pk")[index]
        return list(self.rows.filter(pk__in=page_ids))

    def count(self) -> int:
        return self.tasks.count()

    def filter(self, **lookups: Any) -> QueueList:
        """The same tab limited further (e.g. to the cases a user may see)."""
        return QueueList(self.tasks.filter(**lookups), self.rows.filter(**lookups))

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return self._page(index)
        return self._page(slice(index, index + 1))[0]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)


def task_queue(*, user: Any, tab: str) -> QueueList:
    """Open human tasks of one workbench tab: my claimed tasks, my divisions' unclaimed
    tasks, or the office's unclaimed tasks (by the user's office roles).

    Rows are plain values (the columns the queue shows), not model instances: building eight
    related model objects per row cost more than the query itself (issue 15)."""
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
            return QueueList(Task.objects.none(), Task.objects.none().values("pk"))
        pending = Case.objects.filter(
            status__in=[CaseStatus.INVESTIGATION, CaseStatus.REVIEW],
            extension_days=0,
            events__kind=Tr.REQUEST_EXTENSION,
        ).values("pk")
        qs = qs.filter(
            status__in=[STATUS.NEW, STATUS.ASSIGNED], process__caseprocess__case__in=pending
        )
    else:
        qs = Task.objects.none()
    urges = (
        Event.objects.filter(case=OuterRef(CASE), kind=Tr.URGE)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        qs.annotate(urges=Subquery(urges))
        .values(
            "pk",
            "flow_task",
            "urges",
            "status",
            "owner_permission_obj_pk",
            owner_username=F("owner__username"),
            owner_last_name=F("owner__last_name"),
            owner_first_name=F("owner__first_name"),
            case_number=F(f"{CASE}__number"),
            case_status=F(f"{CASE}__status"),
            case_reply_due_on=F(f"{CASE}__reply_due_on"),
            case_dates_provisional=F(f"{CASE}__dates_provisional"),
            case_closed_on=F(f"{CASE}__closed_on"),
            case_division_due_on=F(f"{CASE}__division_due_on"),
            case_subject=F(f"{CASE}__subject"),
            case_applicant_name=F(f"{CASE}__applicant__name"),
            case_lead_division_name=F(f"{CASE}__lead_division__name"),
        )
        .order_by(*ORDER)
    )
    return QueueList(qs, rows)


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


def task_list_visible_to(*, user: Any, tab: str) -> QueueList:
    """One tab's tasks (task_queue), limited to the cases the user may see
    (casework.selectors.case_list_visible_to): a task never shows a case its page would hide."""
    from casework.permissions import sees_all_cases
    from casework.selectors import case_list_visible_to

    tasks = task_queue(user=user, tab=tab)
    if sees_all_cases(user):
        return tasks
    return tasks.filter(**{f"{CASE}__in": case_list_visible_to(user=user).values("pk")})


@dataclass(frozen=True)
class QueuePerson:
    """The task's owner as the API shows it (display_name reads these)."""

    username: str
    last_name: str
    first_name: str

    def get_username(self) -> str:
        return self.username


@dataclass(frozen=True)
class QueueApplicant:
    name: str


@dataclass(frozen=True)
class QueueTask:
    """The task's fields the API's task list reads (workflows/api/views.py)."""

    pk: int
    flow_task: Any
    status: str
    owner: QueuePerson | None
    owner_permission_obj_pk: str | None
    urges: int


@dataclass(frozen=True)
class QueueCase:
    """The case's fields the API's task list reads."""

    number: str
    status: str
    subject: str
    reply_due_on: date | None
    applicant: QueueApplicant

    def get_status_display(self) -> str:
        return str(CaseStatus(self.status).label)


@dataclass(frozen=True)
class QueueRow:
    """One line of the workbench, every cell ready to print (no per-row lookups in the
    template: rendering 50 rows was most of the page's time)."""

    number: str
    url: str
    claim_url: str  # quick actions on an investigate task (division tab / my tasks)
    release_url: str
    node: str  # the flow node's name, e.g. "investigate"
    title: str
    urges: int
    reply_due: str  # 2026年3月5日, or "" when there is none
    provisional: bool
    division_due: str
    applicant_name: str
    subject: str
    lead_division_name: str
    remaining: int | None
    level: str
    level_text: str
    task: QueueTask
    case: QueueCase

    @property
    def overdue_days(self) -> int:
        return -self.remaining if self.remaining is not None and self.remaining < 0 else 0

    @property
    def badge(self) -> str:
        """The supervision badge: icon and words (classes level-overdue, level-due-soon, …)."""
        icon = {"overdue": "⚠", "due_soon": "△", "on_track": "✓"}.get(self.level, "")
        return f"{icon} {self.level_text}"

    @property
    def level_css(self) -> str:
        return self.level.replace("_", "-")


def _remaining(calendar: WorkingCalendar, today: date, due: date | None) -> int | None:
    if due is None:
        return None
    if due >= today:
        return calendar.working_days_between(today, due)
    # Overdue: at least one working day late once the due date has passed.
    return -max(1, calendar.working_days_between(due, today))


def _cn_date(value: date | None) -> str:
    """2026年3月5日 (GB/T 9704 7.3.5.4), as the cn_date template filter."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _level_text(level: str, remaining: int | None) -> str:
    """The supervision badge's words (the same messages as casework/_supervision.html)."""
    if level == "overdue" and remaining is not None:
        return gettext("Overdue by %(n)s working days") % {"n": -remaining}
    if level == "due_soon":
        return gettext("Due soon: %(n)s working days left") % {"n": remaining}
    if level == "on_track":
        return gettext("On track: %(n)s working days left") % {"n": remaining}
    return ""


class _UrlPattern:
    """reverse() once per page with a placeholder, then fill in each case number (reverse
    per row and per link was a tenth of the page's time)."""

    MARK = "0MARK0"

    def __init__(self, route: str, **kwargs: str) -> None:
        self.template = reverse(route, kwargs={"number": self.MARK, **kwargs})

    def __call__(self, number: str) -> str:
        return self.template.replace(self.MARK, quote(number, safe="!$&'()*+,;=:@~"))


def queue_rows(
    tasks: list[dict[str, Any]], *, calendar: WorkingCalendar, today: date
) -> list[QueueRow]:
    """Rows with the remaining working days and supervision level, computed in memory."""
    case_url = _UrlPattern("casework:case-detail")
    claim_url = _UrlPattern("workflows:quick-action", name=Tr.CLAIM)
    release_url = _UrlPattern("workflows:quick-action", name=Tr.RELEASE)
    due_soon_within = settings.DUE_SOON_WORKING_DAYS
    rows = []
    for task in tasks:
        node = task["flow_task"]
        number = task["case_number"]
        remaining = (
            None
            if task["case_closed_on"]
            else _remaining(calendar, today, task["case_reply_due_on"])
        )
        level = supervision_level(remaining, due_soon_within=due_soon_within)
        rows.append(
            QueueRow(
                number=number,
                url=case_url(number),
                claim_url=claim_url(number),
                release_url=release_url(number),
                node=node.name,
                title=str(node.task_title or node.name),
                urges=task["urges"] or 0,
                reply_due=_cn_date(task["case_reply_due_on"]),
                provisional=task["case_dates_provisional"],
                division_due=_cn_date(task["case_division_due_on"]),
                applicant_name=task["case_applicant_name"] or "",
                subject=Truncator(task["case_subject"] or "").chars(30),
                lead_division_name=task["case_lead_division_name"] or "",
                remaining=remaining,
                level=level,
                level_text=_level_text(level, remaining),
                task=QueueTask(
                    pk=task["pk"],
                    flow_task=node,
                    status=task["status"],
                    owner=QueuePerson(
                        task["owner_username"],
                        task["owner_last_name"] or "",
                        task["owner_first_name"] or "",
                    )
                    if task["owner_username"]
                    else None,
                    owner_permission_obj_pk=task["owner_permission_obj_pk"],
                    urges=task["urges"] or 0,
                ),
                case=QueueCase(
                    number=number,
                    status=task["case_status"],
                    subject=task["case_subject"] or "",
                    reply_due_on=task["case_reply_due_on"],
                    applicant=QueueApplicant(task["case_applicant_name"] or ""),
                ),
            )
        )
    return rows
