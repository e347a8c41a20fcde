"""The transition table: every transition of a case declared once (DESIGN §3).

One `TransitionSpec` per transition says its name and label, the states it leaves and enters,
who may fire it, the form of its input, what its event records, which flow task it completes
and which letters it enables. From this table come the lifecycle's checks (casework.lifecycle
.machine), the staff pages' forms, the API request bodies and their OpenAPI schema, the history
labels, the actions offered to a user (`available_actions`) and the flow's task mapping.

`manage.py transitions` prints it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from casework.choices import OPEN_STATUSES, CaseStatus, Role
from casework.choices import Transition as T
from casework.lifecycle import guards as g
from casework.lifecycle import inputs as i
from casework.lifecycle.roles import (
    APPLICANT,
    ASSIGNEE,
    CO_LIAISON,
    HEAD,
    LEAD_LIAISON,
    OFFICE,
    REVIEWERS,
    SYSTEM,
)

if TYPE_CHECKING:
    from casework.lifecycle.machine import CaseLifecycle

NEW = ""  # a case being received has no status yet
OPEN: tuple[str, ...] = tuple(s for s in CaseStatus.values if s in OPEN_STATUSES)
CLOSED_WITH_DECISION: tuple[str, ...] = (
    CaseStatus.REPLIED,
    CaseStatus.ARCHIVED,
    CaseStatus.ABANDONED,
)

# What a transition does to the case's flow (workflows.services), beyond completing a task.
CLAIMS_TASK = "claim"
RELEASES_TASK = "release"
REASSIGNS_TASK = "reassign"
MOVES_TASK = "transfer"
ENDS_FLOW = "end"

Guard = Callable[["CaseLifecycle"], Any]


@dataclass(frozen=True)
class TransitionSpec:
    name: str
    source: tuple[str, ...]
    target: str | None  # None: the status stays
    roles: tuple[str, ...]
    form: type[i.TransitionForm]
    article: str = ""  # where the rule comes from, for the docs and `manage.py transitions`
    completes: tuple[str, ...] = ()  # flow tasks it completes (claiming them first)
    flow: str = ""  # one of the *_TASK / ENDS_FLOW effects above
    offered: bool = True  # False: fired only by a service (receipt, letters), never by name
    letters: tuple[str, ...] = ()  # letter kinds this step enables
    guards: tuple[Guard, ...] = field(default=())  # each returns a reason it cannot happen now

    @property
    def label(self) -> str:
        return str(T(self.name).label)

    def payload_labels(self) -> dict[str, Any]:
        labels: dict[str, Any] = {key: f.label for key, f in self.form.base_fields.items()}
        labels.update(self.form.records)
        return labels


def _spec(
    name: str,
    source: Any,
    target: str | None,
    roles: tuple[str, ...],
    form: type[i.TransitionForm],
    **kw: Any,
) -> TransitionSpec:
    src = tuple(source) if isinstance(source, list | tuple) else (source,)
    return TransitionSpec(name=name, source=src, target=target, roles=roles, form=form, **kw)


S = CaseStatus
TRANSITIONS: dict[str, TransitionSpec] = {
    spec.name: spec
    for spec in [
        # --- receipt and registration (Art 29–31, 45) ------------------------------------
        _spec(
            T.RECEIVE,
            NEW,
            S.RECEIVED,
            (*OFFICE, APPLICANT, SYSTEM),
            i.ReceiveInput,
            article="Art 29, 31",
            offered=False,
            letters=("acknowledgement",),
        ),
        _spec(
            T.CONFIRM_RECEIPT,
            S.RECEIVED,
            None,
            OFFICE,
            i.ConfirmReceiptInput,
            article="Art 31(3)-(4)",
            guards=(g.receipt_unconfirmed,),
        ),
        _spec(
            T.REGISTER,
            S.RECEIVED,
            S.REGISTERED,
            OFFICE,
            i.NoteInput,
            article="Art 45",
            guards=(g.receipt_known,),
        ),
        _spec(
            T.REPLY_ON_THE_SPOT,
            [S.RECEIVED, S.REGISTERED],
            S.REPLIED,
            OFFICE,
            i.DecisionInput,
            article="Art 33(1)",
            flow=ENDS_FLOW,
            guards=(g.at_the_counter,),
        ),
        _spec(
            T.REQUEST_CORRECTION,
            S.REGISTERED,
            S.CORRECTION,
            OFFICE,
            i.RequestCorrectionInput,
            article="Art 30",
            letters=("correction",),
            guards=(g.no_correction_yet,),
        ),
        _spec(
            T.RECEIVE_CORRECTION, S.CORRECTION, S.REGISTERED, OFFICE, i.NoteInput, article="Art 30"
        ),
        _spec(T.ASSIGN, S.REGISTERED, S.HANDLING, OFFICE, i.AssignInput, completes=("triage",)),
        # --- the division's work -------------------------------------------------------------
        _spec(
            T.CLAIM, S.HANDLING, S.INVESTIGATION, (LEAD_LIAISON,), i.ClaimInput, flow=CLAIMS_TASK
        ),
        _spec(
            T.GIVE_OPINION,
            [S.HANDLING, S.INVESTIGATION, S.AWAITING_FEE],
            None,
            (CO_LIAISON,),
            i.GiveOpinionInput,
            completes=("co_opinion",),
            guards=(g.opinion_owed,),
        ),
        _spec(
            T.RELEASE,
            S.INVESTIGATION,
            S.HANDLING,
            (ASSIGNEE, *REVIEWERS),
            i.ReleaseInput,
            flow=RELEASES_TASK,
        ),
        _spec(
            T.REASSIGN,
            [S.INVESTIGATION, S.AWAITING_FEE, S.REVIEW],
            None,
            (ASSIGNEE, *REVIEWERS),
            i.ReassignInput,
            flow=REASSIGNS_TASK,
        ),
        _spec(
            T.TRANSFER,
            [S.HANDLING, S.INVESTIGATION],
            S.HANDLING,
            REVIEWERS,
            i.TransferInput,
            flow=MOVES_TASK,
        ),
        _spec(
            T.OPEN_CONSULTATION,
            [S.INVESTIGATION, S.REVIEW],
            None,
            (LEAD_LIAISON, *REVIEWERS),
            i.OpenConsultationInput,
            article="Art 32, 34",
            letters=("consultation_third_party", "consultation_organ", "consultation_notice"),
        ),
        _spec(
            T.CLOSE_CONSULTATION,
            [S.INVESTIGATION, S.REVIEW, S.AWAITING_FEE],
            None,
            (LEAD_LIAISON, *REVIEWERS),
            i.CloseConsultationInput,
            article="Art 32, 33(3)",
            guards=(g.consultation_open,),
        ),
        _spec(
            T.REQUEST_EXTENSION,
            [S.INVESTIGATION, S.REVIEW],
            None,
            (LEAD_LIAISON,),
            i.ExtensionInput,
            article="Art 33(2)",
            guards=(g.not_extended,),
        ),
        _spec(
            T.EXTEND,
            [S.INVESTIGATION, S.REVIEW],
            None,
            HEAD,
            i.ExtensionInput,
            article="Art 33(2)",
            letters=("extension",),
            guards=(g.not_extended, g.reply_not_overdue),
        ),
        _spec(
            T.NOTIFY_FEE,
            S.INVESTIGATION,
            S.AWAITING_FEE,
            (LEAD_LIAISON, *REVIEWERS),
            i.NotifyFeeInput,
            article="国办函〔2020〕109号",
            letters=("fee_notice",),
        ),
        _spec(
            T.RECEIVE_FEE,
            S.AWAITING_FEE,
            S.INVESTIGATION,
            OFFICE,
            i.ReceiveFeeInput,
            article="国办函〔2020〕109号",
        ),
        _spec(
            T.PROPOSE,
            S.INVESTIGATION,
            S.REVIEW,
            (LEAD_LIAISON,),
            i.ProposeInput,
            article="Art 36–39",
            completes=("investigate", "revise"),
            guards=(g.no_consultation_open,),
        ),
        # --- review and sign-off ------------------------------------------------------------
        _spec(T.CHECK, S.REVIEW, None, REVIEWERS, i.CommentInput, completes=("review",)),
        _spec(
            T.RETURN_FOR_REVISION,
            S.REVIEW,
            S.INVESTIGATION,
            REVIEWERS,
            i.ReasonInput,
            completes=("review",),
        ),
        _spec(T.APPROVE, S.REVIEW, S.APPROVED, HEAD, i.CommentInput, completes=("sign_off",)),
        # --- reply and after -----------------------------------------------------------------
        _spec(
            T.ISSUE_REPLY,
            S.APPROVED,
            S.REPLIED,
            OFFICE,
            i.IssueReplyInput,
            article="Art 36",
            completes=("issue",),
            offered=False,
        ),
        _spec(
            T.RECORD_DELIVERY,
            [S.REPLIED, S.ARCHIVED],
            None,
            OFFICE,
            i.RecordDeliveryInput,
            article="国办公开办函〔2016〕235号",
            completes=("deliver",),
        ),
        _spec(T.ARCHIVE, S.REPLIED, S.ARCHIVED, OFFICE, i.NoteInput, completes=("file",)),
        _spec(
            T.RECORD_REMEDY,
            list(CLOSED_WITH_DECISION),
            None,
            REVIEWERS,
            i.RecordRemedyInput,
            article="国办公开办函〔2021〕30号 table 四",
        ),
        # --- any open state ------------------------------------------------------------------
        _spec(
            T.WITHDRAW,
            list(OPEN),
            S.WITHDRAWN,
            (*OFFICE, APPLICANT),
            i.OptionalReasonInput,
            flow=ENDS_FLOW,
        ),
        _spec(
            T.ABANDON,
            [S.CORRECTION, S.AWAITING_FEE],
            S.ABANDONED,
            (*REVIEWERS, SYSTEM),
            i.AbandonInput,
            article="Art 30; 国办函〔2020〕109号",
            flow=ENDS_FLOW,
            guards=(g.applicant_deadline_passed,),
        ),
        _spec(T.URGE, list(OPEN), None, (Role.SUPERVISOR, *REVIEWERS), i.UrgeInput),
        _spec(
            T.UPDATE_APPLICANT, list(OPEN), None, OFFICE, i.UpdateApplicantInput, article="Art 31"
        ),
        # --- written by the letters service only ---------------------------------------------
        _spec(
            T.ISSUE_LETTER,
            [*OPEN, *CLOSED_WITH_DECISION],
            None,
            (*OFFICE, SYSTEM),
            i.IssueLetterInput,
            offered=False,
        ),
        _spec(
            T.VOID_LETTER,
            [*OPEN, *CLOSED_WITH_DECISION, S.WITHDRAWN],
            None,
            REVIEWERS,
            i.VoidLetterInput,
            offered=False,
        ),
    ]
}

# Flow task → the transitions that complete it (workflows.flows reads this).
TASK_COMPLETED_BY: dict[str, tuple[str, ...]] = {}
for _spec_ in TRANSITIONS.values():
    for _task in _spec_.completes:
        TASK_COMPLETED_BY[_task] = (*TASK_COMPLETED_BY.get(_task, ()), _spec_.name)


def transition_spec(name: str) -> TransitionSpec | None:
    return TRANSITIONS.get(name)


def offered_transitions() -> list[TransitionSpec]:
    """The transitions a user may fire by name (pages and API), in the table's order."""
    return [spec for spec in TRANSITIONS.values() if spec.offered]
