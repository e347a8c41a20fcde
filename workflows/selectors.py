"""Reads for the workbench: task queues with a plain division filter (never guardian over
big tables), sorted by urgency (unconfirmed receipts first, then the statutory due date)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar, cast, overload
from urllib.parse import quote

from django.conf import settings
from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.urls import reverse
from django.utils.translation import gettext

from viewflow.workflow.base import Node

from casework.choices import CaseStatus
from casework.choices import Transition as Tr
from casework.clock import supervision_level
from casework.lifecycle import TRANSITIONS
from casework.lifecycle.actors import Person
from casework.models import Case, Event
from casework.permissions import DIVISION_PERM, sees_all_cases, user_division_ids, user_task_perms
from casework.selectors import (
    DEADLINE_LABELS,
    DEADLINE_STATES,
    DIVISION_DUE_MET_IN_TASKS,
    case_list_visible_to,
    working_days_left,
)
from casework.text import cn_date
from casework.workdays import WorkingCalendar
from workflows.queue_facts import (
    RowFacts,
    RowFactValues,
    channel_labels,
    row_facts,
    with_row_facts,
)
from workflows.viewflow_adapter import HUMAN, STATUS, QueueTaskRow, Task

TABS = ("mine", "division", "office", "sign_off", "extensions")
EXTENSION_PERM = "casework.sign_off_cases"
SIGN_OFF_PERM = EXTENSION_PERM  # the head of the OGI office's own work: 审签 and 延期

CASE = "process__caseprocess__case"

# Art 31(3)-(4): an application by letter, online, e-mail or fax has no legal date of receipt
# until the office confirms it with the applicant, so its clock has not started: it heads the
# office's queue however new it is. Only these channels are received without a date
# (casework.receipt.legal_receipt_date), so the date's absence is the test.
UNCONFIRMED = Q(**{f"{CASE}__status": CaseStatus.RECEIVED, f"{CASE}__received_on__isnull": True})


def _priority() -> SqlCase:
    """0: receipt to confirm; 1: a running reply clock; 2: no clock (none yet, or closed)."""
    return SqlCase(
        When(UNCONFIRMED, then=Value(0)),
        When(
            Q(**{f"{CASE}__closed_on__isnull": True, f"{CASE}__reply_due_on__isnull": False}),
            then=Value(1),
        ),
        default=Value(2),
        output_field=IntegerField(),
    )


def _shorten(text: str, limit: int) -> str:
    """Truncator(text).chars(limit) without its lazy object: the first limit - 1 characters
    and "…" when longer (Truncator was a tenth of the queue page's time, issue 15)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_unconfirmed(status: str, received_on: date | None) -> bool:
    """UNCONFIRMED, on one row's values."""
    return status == CaseStatus.RECEIVED and received_on is None


class QueueValues(RowFactValues):
    """One task of a queue as task_queue selects it: the task's columns and its case's."""

    pk: int
    flow_task: Node
    urges: int | None
    status: str
    owner_permission_obj_pk: str | None
    owner_username: str | None
    owner_last_name: str | None
    owner_first_name: str | None
    case_number: str
    case_status: str
    case_reply_due_on: date | None
    case_dates_provisional: bool
    case_closed_on: date | None
    case_division_due_on: date | None
    case_correction_deadline_on: date | None
    case_fee_due_on: date | None
    case_received_on: date | None
    case_subject: str | None
    case_applicant_name: str | None
    case_lead_division_name: str | None


_M = TypeVar("_M", bound=Model)
_Row = TypeVar("_Row")


def _urgency(row: QueueValues) -> tuple[int, bool, date, int]:
    """ORDER on one row of the page (its values, in memory)."""
    due = row["case_reply_due_on"]
    if _is_unconfirmed(row["case_status"], row["case_received_on"]):
        priority = 0
    elif row["case_closed_on"] is None and due is not None:
        priority = 1
    else:
        priority = 2
    return (priority, due is None, due or date.min, row["pk"])


# Urgency, in one SQL ordering so that paging stays right: receipts to confirm, then the
# statutory reply due date (overdue first, then the fewest working days left: on one calendar
# the earlier date is never further away), then the oldest task.
ORDER = ("queue_priority", F(f"{CASE}__reply_due_on").asc(nulls_last=True), "pk")


class QueueList:
    """The rows of one workbench tab, for Paginator: COUNT on the task table alone (or the
    count tab_counts already made); a page is one query whose inner part picks the page's
    task ids in urgency order (ORDER; task → case only) and whose outer part fetches the
    shown columns of those ids alone. The former single wide query joined applicant and
    division to every open task of the tab before keeping 50."""

    ordered = True

    def __init__(
        self,
        tasks: QuerySet[Task],
        rows: QuerySet[Task, QueueValues],
        *,
        known_count: int | None = None,
        prioritised: bool = True,
        sortable: QuerySet[QueueTaskRow] | None = None,
    ) -> None:
        self.tasks = tasks
        self.rows = rows
        self.known_count = known_count  # from tab_counts, to spare the paginator its COUNT
        # False where every task's priority is 1 or 2 by the flow (the divisions' tasks: a
        # case in them is never awaiting confirmation nor closed), so that the reply due date
        # with nulls last is the same order without the CASE expression.
        self.prioritised = prioritised
        # The same tasks as QueueTaskRow (task → case process → case, one join less), for the
        # page's order where it needs only the due date.
        self.sortable = sortable

    def _ordered(self, qs: QuerySet[_M, _Row]) -> QuerySet[_M, _Row]:
        ordered: QuerySet[_M, _Row] = (
            qs.alias(queue_priority=_priority()).order_by(*ORDER)
            if self.prioritised
            else qs.order_by(*ORDER[1:])
        )
        return ordered

    def _page(self, index: slice) -> list[QueueValues]:
        page_ids: QuerySet[Model, object]  # the page's task ids, in order
        if self.sortable is not None and not self.prioritised:
            page_ids = self.sortable.order_by(
                F("process__case__reply_due_on").asc(nulls_last=True), "pk"
            ).values("pk")
        else:
            page_ids = self._ordered(self.tasks).values("pk")
        # The page's rows come unordered and are put in ORDER here (the same keys, in
        # memory): ordering the outer query too cost more than sorting 50 rows.
        return sorted(self.rows.filter(pk__in=page_ids[index]).order_by(), key=_urgency)

    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        return self.tasks.count()

    def filter(self, **lookups: object) -> QueueList:
        """The same tab limited further (e.g. to the cases a user may see)."""
        return QueueList(
            self.tasks.filter(**lookups),
            self.rows.filter(**lookups),
            prioritised=self.prioritised,
        )

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> QueueValues: ...
    @overload
    def __getitem__(self, index: slice) -> list[QueueValues]: ...
    def __getitem__(self, index: int | slice) -> QueueValues | list[QueueValues]:
        if isinstance(index, slice):
            return self._page(index)
        return self._page(slice(index, index + 1))[0]

    def __iter__(self) -> Iterator[QueueValues]:
        return iter(self._ordered(self.rows))


def _tab_filter(user: Person, tab: str) -> Q | None:
    """Which open human tasks a tab holds for `user` (None: none at all)."""
    if tab == "mine":
        return Q(owner=user, status=STATUS.ASSIGNED)
    if tab == "division":
        divisions = [str(pk) for pk in sorted(user_division_ids(user))]
        if not divisions:
            return None
        return Q(
            status=STATUS.NEW, owner_permission=DIVISION_PERM, owner_permission_obj_pk__in=divisions
        )
    if tab == "office":
        perms = sorted(user_task_perms(user))
        return Q(status=STATUS.NEW, owner_permission__in=perms) if perms else None
    if tab == "sign_off":
        # The head's sign-off tasks alone (also in the office tab, among the registration and
        # review tasks the head may take): the head lands here (issue 24 point 4).
        if SIGN_OFF_PERM not in user_task_perms(user):
            return None
        return Q(status=STATUS.NEW, owner_permission=SIGN_OFF_PERM)
    if tab == "extensions":
        # Art 33(2): requests waiting for the head of the OGI office (the open task of such
        # cases); only the head decides them, so only the head's queue lists them.
        if EXTENSION_PERM not in user_task_perms(user):
            return None
        from workflows.models import CaseProcess

        pending = Case.objects.filter(
            status__in=[CaseStatus.INVESTIGATION, CaseStatus.REVIEW],
            extension_days=0,
            events__kind=Tr.REQUEST_EXTENSION,
        ).values("pk")
        return Q(
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
            process__in=CaseProcess.objects.filter(case__in=pending).values("pk"),
        )
    return None


def tab_counts(*, user: Person, tabs: list[str]) -> dict[str, int]:
    """The number of tasks in each of `tabs`, in one COUNT query over the task table (no case
    join): the workbench shows them on its tabs and lands on the first that has work."""
    filters = {tab: q for tab in tabs if (q := _tab_filter(user, tab)) is not None}
    counts = dict.fromkeys(tabs, 0)
    if not filters:
        return counts
    any_tab = Q()
    for q in filters.values():
        any_tab |= q
    found = (
        Task.objects.filter(flow_task_type=HUMAN)
        .filter(any_tab)
        .aggregate(**{tab: Count("pk", filter=q) for tab, q in filters.items()})
    )
    counts.update({tab: found[tab] or 0 for tab in filters})
    return counts


def task_queue(*, user: Person, tab: str, known_count: int | None = None) -> QueueList:
    """Open human tasks of one workbench tab: my claimed tasks, my divisions' unclaimed
    tasks, or the office's unclaimed tasks (by the user's office roles), most urgent first.

    Rows are plain values (the columns the queue shows), not model instances: building eight
    related model objects per row cost more than the query itself (issue 15)."""
    where = _tab_filter(user, tab)
    if where is None:
        return QueueList(
            Task.objects.none(),
            cast("QuerySet[Task, QueueValues]", Task.objects.none().values("pk")),
        )
    qs = Task.objects.filter(flow_task_type=HUMAN).filter(where)
    urges = (
        Event.objects.filter(case=OuterRef(CASE), kind=Tr.URGE)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    values = qs.annotate(urges=Subquery(urges)).values(
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
        case_correction_deadline_on=F(f"{CASE}__correction_deadline_on"),
        case_fee_due_on=F(f"{CASE}__fee_due_on"),
        case_received_on=F(f"{CASE}__received_on"),
        case_channel=F(f"{CASE}__channel"),
        case_subject=F(f"{CASE}__subject"),
        case_applicant_name=F(f"{CASE}__applicant__name"),
        case_lead_division_name=F(f"{CASE}__lead_division__name"),
    )
    # channel, urge or hand-back words, consultation
    rows = with_row_facts(cast("QuerySet[Task, QueueValues]", values), CASE)
    # The office's tabs hold receipts to confirm and closed cases (delivery, archive).
    prioritised = tab not in ("division", "mine")
    sortable = (
        None if prioritised else QueueTaskRow.objects.filter(flow_task_type=HUMAN).filter(where)
    )
    return QueueList(qs, rows, known_count=known_count, prioritised=prioritised, sortable=sortable)


def tabs_for(user: Person) -> list[str]:
    """The workbench tabs that can hold tasks for `user`, in order: those _tab_filter gives a
    filter for (the one rule of what a tab holds; building it runs no query)."""
    return [t for t in TABS if _tab_filter(user, t) is not None]


def task_list_visible_to(*, user: Person, tab: str) -> QueueList:
    """One tab's tasks (task_queue), limited to the cases the user may see
    (casework.selectors.case_list_visible_to): a task never shows a case its page would hide."""

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
    flow_task: Node
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


def _badge(level: str, level_text: str) -> str:
    """The supervision badge: icon and words (classes level-overdue, level-due-soon, …)."""
    icon = {"overdue": "⚠", "due_soon": "△", "on_track": "✓"}.get(level, "")
    return f"{icon} {level_text}"


@dataclass(frozen=True)
class QueueStep:
    """The flow's next step on a row: a link to its action page, or a quick POST (claim,
    release) from the queue itself."""

    name: str
    label: str
    url: str
    quick: bool


@dataclass(frozen=True)
class QueueDeadline:
    """An internal time limit of the case beside the reply due date, with the same warning
    levels (the divisions' internal due date, the applicant's correction deadline, the fee
    payment deadline), from the columns the lifecycle stores: no ledger replay per row."""

    label: str
    due: str
    level: str
    level_text: str

    @property
    def badge(self) -> str:
        return _badge(self.level, self.level_text)

    @property
    def level_css(self) -> str:
        return self.level.replace("_", "-")


@dataclass(frozen=True)
class QueueRow:
    """One line of the workbench, every cell ready to print (no per-row lookups in the
    template: rendering 50 rows was most of the page's time)."""

    number: str
    url: str
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
    step: QueueStep | None = None  # the flow's next step for this user (the primary button)
    secondary: QueueStep | None = None  # e.g. release beside propose on my tasks
    deadlines: tuple[QueueDeadline, ...] = ()
    unconfirmed: bool = False  # Art 31(3)-(4): the receipt is still to be confirmed
    received: str = ""  # the legal date of receipt, 2026年3月5日
    facts: RowFacts = field(
        default_factory=RowFacts
    )  # channel, latest urge or hand-back reason, consultation

    @property
    def overdue_days(self) -> int:
        return -self.remaining if self.remaining is not None and self.remaining < 0 else 0

    @property
    def badge(self) -> str:
        """The supervision badge: icon and words (classes level-overdue, level-due-soon, …)."""
        return _badge(self.level, self.level_text)

    @property
    def level_css(self) -> str:
        return self.level.replace("_", "-")


_cn_date = cn_date  # 2026年3月5日 (casework.text), as the cn_date template filter


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


LETTERS = "letters"  # the next step is the reply letter, issued on the letters page


def next_steps(*, tab: str, node: str, status: str, unconfirmed: bool) -> tuple[str, ...]:
    """The transitions a queue row offers, the flow's next step first, from the task's flow
    node and the case's status alone (no lifecycle per row: the queue stays one query). Only
    a step whose table source holds the case's status is offered; its action page checks the
    user's role and the guards again. LETTERS: the reply letter on the letters page."""

    names: tuple[str, ...] = ()
    if tab == "extensions":
        names = (Tr.EXTEND,)  # Art 33(2): the head of the OGI office decides
    elif node == "triage":
        if status == CaseStatus.RECEIVED:
            # Art 31(3)-(4): confirm first where the channel needs it; then register.
            names = (Tr.CONFIRM_RECEIPT,) if unconfirmed else (Tr.REGISTER,)
        elif status == CaseStatus.REGISTERED:
            names = (Tr.ASSIGN,)
        elif status == CaseStatus.CORRECTION:
            names = (Tr.RECEIVE_CORRECTION,)
    elif node == "investigate":
        if tab == "division":
            names = (Tr.CLAIM,)
        elif tab == "mine":
            names = (Tr.PROPOSE, Tr.RELEASE)
    elif node == "co_opinion":
        names = (Tr.GIVE_OPINION,)
    elif node == "revise":
        names = (Tr.PROPOSE,)
    elif node == "review":
        names = (Tr.CHECK,)
    elif node == "sign_off":
        names = (Tr.APPROVE,)
    elif node == "issue":
        return (LETTERS,) if status == CaseStatus.APPROVED else ()
    elif node == "deliver":
        names = (Tr.RECORD_DELIVERY,)
    elif node == "file":
        names = (Tr.ARCHIVE,)
    return tuple(name for name in names if status in TRANSITIONS[name].source)


class _Steps:
    """The page's step buttons: each label and URL pattern made once per page."""

    QUICK = frozenset({Tr.CLAIM, Tr.RELEASE})  # workbench quick actions (a POST, no form)

    def __init__(self) -> None:
        self.made: dict[str, tuple[str, _UrlPattern]] = {}

    def __call__(self, name: str, number: str) -> QueueStep:
        if name not in self.made:
            from casework.lifecycle import TRANSITIONS

            if name == LETTERS:
                self.made[name] = (
                    gettext("Issue the reply letter"),
                    _UrlPattern("workflows:letter-issue"),
                )
            elif name in self.QUICK:
                self.made[name] = (
                    TRANSITIONS[name].label,
                    _UrlPattern("workflows:quick-action", name=name),
                )
            else:
                self.made[name] = (
                    TRANSITIONS[name].label,
                    _UrlPattern("workflows:case-action", name=name),
                )
        label, url = self.made[name]
        return QueueStep(name=name, label=label, url=url(number), quick=name in self.QUICK)


def queue_rows(
    tasks: list[QueueValues], *, calendar: WorkingCalendar, today: date, tab: str = ""
) -> list[QueueRow]:
    """Rows with the remaining working days and supervision level, the internal deadlines
    and the flow's next step of each task, computed in memory."""
    case_url = _UrlPattern("casework:case-detail")
    steps = _Steps()
    deadline_labels = {name: str(label) for name, label in DEADLINE_LABELS.items()}
    due_soon_within = settings.DUE_SOON_WORKING_DAYS
    channels = channel_labels()

    def deadline(name: str, due: date | None) -> QueueDeadline | None:
        if due is None:
            return None
        left = working_days_left(due, today, calendar)
        level = supervision_level(left, due_soon_within=due_soon_within)
        return QueueDeadline(
            label=deadline_labels[name],
            due=_cn_date(due),
            level=level,
            level_text=_level_text(level, left),
        )

    rows = []
    for task in tasks:
        node = task["flow_task"]
        number = task["case_number"]
        status = task["case_status"]
        remaining = (
            None
            if task["case_closed_on"]
            else working_days_left(task["case_reply_due_on"], today, calendar)
        )
        level = supervision_level(remaining, due_soon_within=due_soon_within)
        unconfirmed = _is_unconfirmed(status, task["case_received_on"])
        names = next_steps(
            tab=tab,
            node=node.name,
            status=status,
            unconfirmed=unconfirmed,
        )
        dues = {
            "division_due_on": task["case_division_due_on"],
            "correction_deadline_on": task["case_correction_deadline_on"],
            "fee_due_on": task["case_fee_due_on"],
        }
        deadlines = tuple(
            found
            for name, states in DEADLINE_STATES.items()
            if status in states
            and not (name == "division_due_on" and node.name in DIVISION_DUE_MET_IN_TASKS)
            and (found := deadline(name, dues[name]))
        )
        rows.append(
            QueueRow(
                number=number,
                url=case_url(number),
                title=str(node.task_title or node.name),
                urges=task["urges"] or 0,
                reply_due=_cn_date(task["case_reply_due_on"]),
                provisional=task["case_dates_provisional"],
                division_due=_cn_date(task["case_division_due_on"]),
                applicant_name=task["case_applicant_name"] or "",
                subject=_shorten(task["case_subject"] or "", 30),
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
                    status=status,
                    subject=task["case_subject"] or "",
                    reply_due_on=task["case_reply_due_on"],
                    applicant=QueueApplicant(task["case_applicant_name"] or ""),
                ),
                step=steps(names[0], number) if names else None,
                secondary=steps(names[1], number) if len(names) > 1 else None,
                deadlines=deadlines,
                unconfirmed=unconfirmed,
                received=_cn_date(task["case_received_on"]),
                facts=row_facts(task, node.name, channels),
            )
        )
    return rows
