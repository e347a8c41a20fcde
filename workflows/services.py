"""Acting on a case as work: the lifecycle transition and the flow's task move together.

`case_act` is what views, the API and commands call. Inside one transaction it fires the
lifecycle transition (casework.services.case_transition: row lock, permission, one event)
and then completes, claims, releases or cancels the matching viewflow task.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.attachments import attachment_add
from casework.choices import Role
from casework.choices import Transition as T
from casework.lifecycle import TRANSITIONS, as_actor
from casework.lifecycle.actors import ActorLike, Staff
from casework.lifecycle.table import (
    CLAIMS_TASK,
    ENDS_FLOW,
    MOVES_TASK,
    REASSIGNS_TASK,
    RELEASES_TASK,
    RETURNS_TO_TRIAGE,
)
from casework.models import Case, Division, Organ
from casework.notifications import notify_template
from casework.permissions import DIVISION_PERM, division_members
from casework.services import case_receive as casework_case_receive
from casework.services import case_transition
from workflows.flows import CaseFlow
from workflows.models import CaseProcess
from workflows.viewflow_adapter import (
    HUMAN,
    OPEN_TASK,
    STATUS,
    Task,
    node_reopen,
    process_cancel,
    task_activation,
    task_cancel,
    task_claim,
    task_complete,
    task_move_to_queue,
    task_reassign,
    task_release,
)


@transaction.atomic
def case_receive(
    *,
    attachments: Sequence[tuple[str, File[bytes]]] | None = None,
    notify_office: bool = False,
    **kwargs: Any,
) -> Case:
    """Record a new application (casework.services.case_receive), store its checked uploads
    and start its flow, all in one transaction. A repeated `submission_token` (double click,
    refresh) returns the case it already made."""

    token = kwargs.get("submission_token")
    if token:
        existing = Case.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            case = casework_case_receive(**kwargs)
    except IntegrityError:
        existing = Case.objects.filter(submission_token=token).first() if token else None
        if existing is None:
            raise
        return existing  # the other request of a double submission won
    for kind, uploaded in attachments or []:
        attachment_add(case=case, kind=kind, uploaded=uploaded, actor=kwargs.get("actor"))
    CaseFlow.start.run(case=case)
    if notify_office:
        _notify_office_of_application(case)
    return case


def _notify_office_of_application(case: Case) -> None:
    emails = (
        get_user_model()
        .objects.filter(groups__name=Role.REGISTRAR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    notify_template(
        key=f"office-new:{case.pk}",
        to=list(emails),
        case=case,
        template="office_new_application",
        context={},
    )


def open_tasks(case: Case) -> list[Task]:
    return list(
        Task.objects.select_for_update(of=("self",))
        .filter(process__caseprocess__case=case, status__in=OPEN_TASK, flow_task_type=HUMAN)
        .order_by("pk")
    )


def open_tasks_of(case: Case) -> list[Task]:
    """The case's open human tasks, for reading (no lock)."""
    return list(
        Task.objects.filter(
            process__caseprocess__case=case, status__in=OPEN_TASK, flow_task_type=HUMAN
        )
        .select_related("owner")
        .order_by("pk")
    )


def _task_for(case: Case, name: str, actor: Staff | None) -> Task | None:
    nodes = TRANSITIONS[name].completes
    if not nodes:
        return None
    for task in open_tasks(case):
        if task.flow_task.name not in nodes:
            continue
        if task.flow_task.name == "co_opinion":
            from casework.permissions import user_division_ids

            if int(task.owner_permission_obj_pk or 0) not in user_division_ids(actor):
                continue
        return task
    return None


def _cancel_all(case: Case, now: datetime) -> None:
    """The flow ends with the case (withdrawn, abandoned): every open task and the process
    are cancelled through viewflow (a handful of tasks per case), finished at `now`."""
    tasks = list(
        Task.objects.select_for_update(of=("self",))
        .filter(process__caseprocess__case=case, status__in=OPEN_TASK)
        .order_by("pk")
    )
    process = CaseProcess.objects.filter(case=case, finished__isnull=True).first()
    process_cancel(process, tasks, now)


def _return_to_triage(case: Case) -> None:
    """退回分办 in the flow: the division's open work is cancelled and the office gets a new
    triage task (viewflow has no edge back, so the node's own activation creates it, after
    the cancelled investigate task, as viewflow would).

    Cancelled are the lead division's task, the co-divisions' opinion tasks and the join that
    waits for them (a started join would otherwise collect the next round's branches). The
    new triage task carries the first triage task's token, so the next split starts fresh
    branch tokens and a fresh join.
    """
    process = CaseProcess.objects.filter(case=case, finished__isnull=True).first()
    if process is None:
        return  # a case without a running flow (an import) has no task to move
    tasks = open_tasks(case)
    joins = Task.objects.select_for_update(of=("self",)).filter(
        process=process, flow_task=CaseFlow.join, status__in=OPEN_TASK
    )
    cancelled = None
    for task in [*tasks, *joins]:
        if task.flow_task.name not in ("investigate", "co_opinion", "join"):
            continue
        activation = task_cancel(task)
        if task.flow_task.name == "investigate":
            cancelled = activation
    if any(t.flow_task.name == "triage" for t in tasks):
        return
    if cancelled is None:  # no investigate task open (an older flow): follow its last task
        last = Task.objects.filter(process=process).order_by("-pk").first()
        if last is None:
            return
        cancelled = task_activation(last)
    first = Task.objects.filter(process=process, flow_task=CaseFlow.triage).order_by("pk").first()
    token = first.token if first is not None else "start"
    node_reopen(CaseFlow.triage, cancelled, token)


@transaction.atomic
def case_act(
    *,
    number: str,
    name: str,
    actor: ActorLike,
    on: date | None = None,
    fields: Mapping[str, object] | None = None,
    organ: Organ | None = None,
    now: datetime | None = None,
) -> Case:
    """Fire the lifecycle transition `name` and move the case's flow with it.

    `issue_reply` issues the reply letter (答复书) for the case's decision: the letter is
    numbered, rendered and stored in the same transaction as the transition. `archive`
    enqueues the building of the archived case file (letters.casefile) after commit.
    """
    if name == T.ISSUE_REPLY:
        from letters.services import letter_issue

        case = Case.objects.filter(number=number, **({"organ": organ} if organ else {})).first()
        if case is None:
            from casework.errors import NotVisible

            raise NotVisible(_("No such case."))
        if not case.disposition:
            from casework.errors import WrongState

            raise WrongState(_("This action is not possible in the case's current state."))
        letter = letter_issue(
            number=number, kind=f"reply.{case.disposition}", actor=actor, now=now, fire=_act
        )
        return letter.case
    before = set(
        Task.objects.filter(
            process__caseprocess__case__number=number, status__in=OPEN_TASK
        ).values_list("pk", flat=True)
    )
    case = _act(number=number, name=name, actor=actor, on=on, fields=fields, organ=organ, now=now)
    _notify_new_division_tasks(case, before)
    if name == T.URGE:
        _notify_urge(case)
    if name == T.ARCHIVE:
        # The case file (案卷) is kept with the archive: one row now, the PDF built in a worker
        # after commit (letters.casefile), never in this request.
        from letters.casefile import casefile_archive_start

        casefile_archive_start(case, now=now or timezone.now())
    return case


def _notify_urge(case: Case) -> None:
    """催办 reaches the assignee (or the lead division's liaison officers) by e-mail too."""

    event = case.events.filter(kind=T.URGE).order_by("-seq").first()
    if event is None:
        return
    notify_template(
        key=f"urge:{event.pk}",
        to=division_emails(case),
        case=case,
        template="urge",
        context={"message": event.payload.get("message", "")},
    )


def _notify_new_division_tasks(case: Case, before: set[int]) -> None:
    """E-mail the liaison officers of a division when a task lands in its queue."""

    new = Task.objects.filter(
        process__caseprocess__case=case, status=STATUS.NEW, owner_permission=DIVISION_PERM
    ).exclude(pk__in=before)
    for task in new:
        division = Division.objects.filter(pk=task.owner_permission_obj_pk).first()
        if division is None:
            continue
        emails = division_members(division).exclude(email="").values_list("email", flat=True)
        notify_template(
            key=f"task:{task.pk}",
            to=list(emails),
            case=case,
            template="division_task",
            context={"division": division, "task_title": task.flow_task.task_title},
        )


def _act(
    *,
    number: str,
    name: str,
    actor: ActorLike,
    on: date | None = None,
    fields: Mapping[str, object] | None = None,
    organ: Organ | None = None,
    now: datetime | None = None,
    internal: bool = False,
) -> Case:
    """The transition, then its effect on the flow as the transition table declares it."""
    now = now or timezone.now()
    case = case_transition(
        number=number,
        organ=organ,
        name=name,
        actor=actor,
        on=on,
        fields=fields,
        now=now,
        internal=internal,
    )
    user = as_actor(actor).user
    effect = TRANSITIONS[name].flow
    division_work = ("investigate", "revise")
    if effect == CLAIMS_TASK:
        task = next((t for t in open_tasks(case) if t.flow_task.name == "investigate"), None)
        if task is not None:
            task_claim(task, user)
    elif effect == RELEASES_TASK:
        for task in open_tasks(case):
            if task.flow_task.name in division_work and task.status == STATUS.ASSIGNED:
                task_release(task)
    elif effect == REASSIGNS_TASK:
        for task in open_tasks(case):
            if task.flow_task.name in division_work and task.owner_id:
                task_reassign(task, case.assignee)
    elif effect == MOVES_TASK:
        # The lead division's open task moves to the new division's queue, unclaimed.
        for task in open_tasks(case):
            if task.flow_task.name in division_work and case.lead_division is not None:
                task_move_to_queue(task, case.lead_division)
    elif effect == ENDS_FLOW:
        _cancel_all(case, now)
    elif effect == RETURNS_TO_TRIAGE:
        _return_to_triage(case)
    else:
        task = _task_for(case, name, user)
        if task is not None:
            task_complete(task, user)
    return case


def division_emails(case: Case) -> list[str]:
    """Who hears about a case's work: its assignee, or else the lead division's liaison officers."""

    if case.assignee and case.assignee.email:
        return [case.assignee.email]
    if case.lead_division is None:
        return []
    return list(
        division_members(case.lead_division).exclude(email="").values_list("email", flat=True)
    )
