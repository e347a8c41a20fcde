"""The handling flow of a case (viewflow.workflow), mirroring DESIGN §3.

Human tasks are work items in queues; each is completed by one lifecycle transition fired
through workflows.services.case_act, never by viewflow's own views. Per-division queues come
from the task's owner permission `casework.work_in_division` on the Division row (guardian).

    start → triage (office: confirm, register, correction, assign)
          → split ─ investigate (lead division: claim … propose)
                  └ co_opinion × each co-division (give_opinion)
            (hand_back: the division's tasks and the join are cancelled, a new triage opens)
          → join → review (office: check | return_for_revision)
                     ├ returned → revise (lead division: propose) → review
                     └ passed   → sign_off (head: approve) → issue (issue_reply)
                                → deliver (record_delivery) → file (archive) → end
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation

from casework.choices import Transition as T
from casework.lifecycle.actors import Staff
from casework.models import Case, Division
from casework.permissions import DIVISION_PERM
from workflows.models import CaseProcess
from workflows.viewflow_adapter import DynamicSplit

TRIAGE_PERM = "casework.triage_cases"
REVIEW_PERM = "casework.review_cases"
SIGN_OFF_PERM = "casework.sign_off_cases"


def task_view(request: HttpRequest, **kwargs: object) -> HttpResponse:
    """Tasks are worked on the case page (workbench), not in viewflow's own views."""
    return redirect("workflows:workbench")


def _lead_division(process: CaseProcess) -> Division | None:
    division: Division | None = process.case.lead_division
    return division


class CaseFlow(flow.Flow):
    """依申请公开办理

    From receipt to archive: triage by the OGI office, investigation by the lead division with
    co-division opinions, review, sign-off by the head of the office, reply, delivery, archive.
    """

    process_class = CaseProcess
    lock_impl = lock.select_for_update_lock
    process_title = "依申请公开办理"

    start = flow.StartHandle(this.start_case).Next(this.triage)

    triage = (
        flow.View(task_view).Annotation(title="登记交办").Permission(TRIAGE_PERM).Next(this.split)
    )

    split = DynamicSplit().Next(this.investigate).NextEach(this.co_opinion, this.co_division_items)

    investigate = (
        flow.View(task_view)
        .Annotation(title="调查办理")
        .Permission(DIVISION_PERM, obj=_lead_division)
        .Next(this.join)
    )

    co_opinion = (
        flow.View(task_view)
        .Annotation(title="协办意见")
        .Permission(DIVISION_PERM)
        .onCreate(this.bind_co_division)
        .Next(this.join)
    )

    join = flow.Join().Next(this.review)

    review = (
        flow.View(task_view)
        .Annotation(title="审核")
        .Permission(REVIEW_PERM)
        .Next(this.review_outcome)
    )

    review_outcome = flow.If(this.was_returned).Then(this.revise).Else(this.sign_off)

    revise = (
        flow.View(task_view)
        .Annotation(title="修改拟办意见")
        .Permission(DIVISION_PERM, obj=_lead_division)
        .Assign(this.current_assignee)
        .Next(this.review)
    )

    sign_off = (
        flow.View(task_view).Annotation(title="审签").Permission(SIGN_OFF_PERM).Next(this.issue)
    )

    issue = (
        flow.View(task_view).Annotation(title="出具答复").Permission(TRIAGE_PERM).Next(this.deliver)
    )

    deliver = flow.View(task_view).Annotation(title="送达").Permission(TRIAGE_PERM).Next(this.file)

    file = flow.View(task_view).Annotation(title="归档").Permission(TRIAGE_PERM).Next(this.end)

    end = flow.End()

    def start_case(self, activation: Activation, case: Case) -> CaseProcess:
        activation.process.case = case
        activation.process.save()
        return activation.process  # type: ignore[no-any-return]

    def co_division_items(self, activation: Activation) -> list[dict[str, int]]:
        return [{"division_id": d.pk} for d in activation.process.case.co_divisions.order_by("pk")]

    def bind_co_division(self, activation: Activation) -> None:
        task = activation.task
        task.owner_permission_obj = Division.objects.get(pk=task.data["division_id"])
        task.save()

    def was_returned(self, activation: Activation) -> bool:
        last = (
            activation.process.case.events.exclude(kind__in=[T.URGE, T.RECOMPUTE])
            .order_by("-seq")
            .first()
        )
        return bool(last and last.kind == T.RETURN_FOR_REVISION)

    def current_assignee(self, activation: Activation) -> Staff | None:
        case: Case = activation.process.case
        return case.assignee


# Which transitions complete which task, and which end the flow: declared in the transition
# table (casework.lifecycle.table), read from there.
