"""The state machine of one case (DESIGN §3): the ONLY code that changes a case's status or
its dates, and the declaration of every transition (the table).

`CaseLifecycle` wraps one locked Case row. Each transition is declared here with
`@transition(name, ...)`, which registers it in the table (casework.lifecycle.table) and binds
its body: viewflow.fsm gets the source and target states and a permission that answers for the user asked; before
the body runs, the actor's role, the guards and the input form are checked. The body applies
the change and returns what the event records. `on_success` saves the case, writes exactly
one Event and recomputes the clock. Callers (casework.services) hold the transaction and
the row lock.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol, Unpack

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from viewflow import fsm

from casework.case_counts import CountedCase, counts_apply
from casework.catalogue.services import catalogue_cited_from_decision
from casework.choices import OPEN_STATUSES, CaseStatus, Disposition, Role
from casework.choices import Transition as T
from casework.clock import ClockEvent
from casework.decision_rules import DECISION_FACT_KEYS
from casework.errors import InvalidInput, NotPermitted, WrongState, invalid_from_validation_error
from casework.fees import fee_amount
from casework.items import record_item_decisions, record_items, registered_items
from casework.ledger import EventRow, event_append
from casework.lifecycle import decision_warnings, release_gate
from casework.lifecycle import guards as g
from casework.lifecycle import inputs as i
from casework.lifecycle import periods as p
from casework.lifecycle.actors import Actor, ActorLike, Staff, as_actor, display_name
from casework.lifecycle.clock_store import (
    case_clock_with,
    clock_fields_apply,
    internal_dues_follow,
    working_days_before,
)
from casework.lifecycle.inputs import clean_input
from casework.lifecycle.item_inputs import RegisterInput, SetItemsInput
from casework.lifecycle.roles import (
    APPLICANT,
    ASSIGNEE,
    CO_LIAISON,
    HEAD,
    LEAD_LIAISON,
    OFFICE,
    REVIEWERS,
    SYSTEM,
    acting_role,
    co_division_of,
)
from casework.lifecycle.table import (
    CLAIMS_TASK,
    CLOSED_WITH_DECISION,
    ENDS_FLOW,
    MOVES_TASK,
    NEW,
    OPEN,
    REASSIGNS_TASK,
    RELEASES_TASK,
    RETURNS_TO_TRIAGE,
    TRANSITIONS,
    TransitionOptions,
    TransitionSpec,
    event_kind_label,
    register,
)
from casework.models import Applicant, Case, Division, Event
from casework.notifications import notify_template
from casework.payloads import FormData, Payload
from casework.selectors import (
    Consultation,
    applicant_pieces_earlier_in_month,
    consultations_from,
    working_calendar_with_fingerprint,
)
from casework.validators import mask_id_number

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Body = Callable[["CaseLifecycle", FormData], Payload]


class BoundTransition(Protocol):
    """A transition of one lifecycle (viewflow's bound transition method): called with the
    step's input fields, it runs the step; `can_proceed()` says whether the state allows it."""

    def __call__(self, **fields: object) -> None: ...

    def can_proceed(self) -> bool: ...


class TransitionDescriptor(Protocol):
    """What `@transition` leaves in the class body (viewflow's transition descriptor)."""

    def __get__(
        self, instance: CaseLifecycle, owner: type[CaseLifecycle] | None = None
    ) -> BoundTransition: ...


S = CaseStatus
# The states a correction may be requested in, and returns to (Art 30).
CORRECTABLE = (
    S.RECEIVED,
    S.REGISTERED,
    S.HANDLING,
    S.INVESTIGATION,
    S.AWAITING_FEE,
    S.REVIEW,
    S.APPROVED,
)
status_slot = fsm.State(CaseStatus, default=NEW)


def _permission(spec: TransitionSpec) -> Callable[[CaseLifecycle, Staff], bool]:
    """viewflow's `has_perm(user)`: the table's role rules, for the user asked."""
    return lambda lifecycle, user: (
        acting_role(spec.roles, lifecycle.case, Actor.staff(user)) is not None
    )


def transition(
    name: str,
    *,
    label: StrOrPromise,
    source: str | list[str] | tuple[str, ...],
    target: object,
    roles: tuple[str, ...],
    form: type[i.TransitionForm],
    **options: Unpack[TransitionOptions],
) -> Callable[[Body], TransitionDescriptor]:
    """Declare a transition (registered in the table) and bind its body.

    viewflow.fsm gets the source and target states and a permission that answers for the user
    asked. Before the body runs, the actor's role, the guards and the input form are checked;
    the body applies the change and returns what the event records.
    """
    sources = tuple(source) if isinstance(source, list | tuple) else (source,)
    spec = register(
        TransitionSpec(
            name=name,
            label_text=label,
            source=sources,
            target=target,
            roles=roles,
            form=form,
            **options,
        )
    )

    def decorate(body: Body) -> TransitionDescriptor:
        def run(self: CaseLifecycle, **fields: object) -> None:
            data = self.begin(spec, fields)
            self.payload = {**(body(self, data) or {}), **self.entry_flags}

        run.__name__, run.__doc__ = body.__name__, body.__doc__
        target_state = {} if spec.target is None else {"target": spec.target}
        method: TransitionDescriptor = status_slot.transition(
            source=list(spec.source),
            permission=_permission(spec),
            custom={"spec": spec},
            **target_state,
        )(run)
        return method

    return decorate


def _confirmation_due(lc: CaseLifecycle) -> date:
    """Art 31(3)-(4): the office confirms an application that needs it promptly, within
    CONFIRMATION_WORKING_DAYS working days of its arrival."""

    arrived = timezone.localdate(lc.case.arrived_at)
    return working_calendar_with_fingerprint()[0].add_working_days(
        arrived, settings.CONFIRMATION_WORKING_DAYS
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


class CaseLifecycle:
    """The state machine of one case. `on` is the effective date of what happened in the world."""

    status = status_slot

    def __init__(self, case: Case, *, actor: ActorLike, now: datetime, on: date) -> None:
        self.case = case
        self.actor = as_actor(actor)
        self.now = now
        self.on = on
        self.spec: TransitionSpec | None = None
        self.role = ""
        self.payload: Payload = {}
        self.source_status = case.status  # viewflow sets the target before the body runs
        # What the case counts for on the dashboard now (casework.case_counts); None: a case
        # being received counts for nothing yet.
        self.counted: CountedCase | None = CountedCase.of(case) if case.pk else None
        self.event: Event | None = None
        self.entry_flags: Payload = {}  # late / backdated steps (lifecycle.periods)
        self._co_divisions: list[Division] | None = None
        self._applicant: Applicant | None = None
        self._events: list[Event] | None = None

    # --- state storage and the event ---------------------------------------------------------

    @status.getter()
    def _get_status(self) -> str:
        return self.case.status or NEW

    @status.setter()
    def _set_status(self, value: str) -> None:
        self.case.status = value

    @status.on_success()
    def _record(self, descriptor: object, source: str, target: str, **kwargs: object) -> None:
        assert self.spec is not None  # noqa: S101 - begin() ran
        # The clock replays the whole ledger with this event; when the dates move, the event
        # says so (a true date recorded late can move them), and the history shows it.
        result, changes = case_clock_with(
            self.case,
            ClockEvent(kind=self.spec.name, on=self.on, payload=self.payload),
            ledger=self.events(),
        )
        if changes and self.spec.name != T.RECEIVE:
            self.payload = {**self.payload, "clock_changes": changes}
        clock_fields_apply(self.case, result)
        if moved := internal_dues_follow(self.case, self.spec.name, on=self.on):
            self.payload["clock_changes"] = {**self.payload.get("clock_changes", {}), **moved}
        self.case.save()
        if self._co_divisions is not None:
            self.case.co_divisions.set(self._co_divisions)
        if self._applicant is not None:
            self._applicant.save()
        self.event = event_append(
            EventRow(
                case_id=self.case.pk,
                kind=self.spec.name,
                actor_user=self.actor.user,
                actor_name=self.actor.name,
                actor_role=self.role,
                on=self.on,
                entered_at=self.now,
                from_status=source or "",
                to_status=self.case.status,
                payload=self.payload,
            )
        )
        # The dashboard's counts follow in the same transaction (casework.case_counts).
        after = CountedCase.of(self.case)
        counts_apply([(self.counted, after)])
        self.counted = after

    # --- the checks every transition passes -----------------------------------------------------

    def acting_role(self, name: str) -> str | None:
        """The role under which the actor may fire `name`, or None if none applies."""
        return acting_role(TRANSITIONS[name].roles, self.case, self.actor)

    def blocked_by(self, spec: TransitionSpec) -> str | None:
        """The first guard's reason why `spec` cannot happen now, or None."""
        for guard in spec.guards:
            reason = guard(self)
            if reason:
                return str(reason)
        return p.period_refusal(self, spec)

    def begin(self, spec: TransitionSpec, fields: FormData) -> Payload:
        """Role (fixed before the body changes the case), guards and the step's period, the
        effective date's order, then the input form; a step after its period or entered for
        an earlier day records why (casework.lifecycle.periods)."""
        self.spec = spec
        role = self.acting_role(spec.name)
        if role is None:
            raise NotPermitted(_("Your role does not allow this action on this case."))
        self.role = role
        reason = self.blocked_by(spec)
        if reason:
            raise WrongState(reason)
        fields = dict(fields)
        backdate_reason = str(fields.pop("backdate_reason", "") or "")
        earliest, after = self.earliest_on(spec)
        if earliest is not None and self.on < earliest:
            raise InvalidInput(
                _("The effective date cannot be before %(what)s (%(date)s).")
                % {"what": after, "date": earliest.isoformat()},
                field="on",
            )
        data = clean_input(spec.form, self.case, fields)
        self.entry_flags = {
            **p.period_late(self, spec, data),
            **p.backdated(self, spec, backdate_reason),
        }
        return data

    def earliest_on(self, spec: TransitionSpec) -> tuple[date | None, str]:
        """The earliest effective date the law's order allows for `spec`, and what it follows.

        Nothing happens before the application arrived (nor, once fixed, before the legal date
        of receipt, Art 31); an action taken in a state cannot precede the day the case entered
        that state; an extension follows its request. Events that change no status (urges,
        letters, recomputation, opinions, consultations) never block a true date.
        """

        if spec.name == T.RECEIVE or self.case.arrived_at is None:
            return None, ""
        earliest = timezone.localdate(self.case.arrived_at)
        after = str(_("the arrival of the application"))
        if (
            self.case.received_on is not None
            and spec.name != T.CONFIRM_RECEIPT
            and self.case.received_on > earliest
        ):
            earliest, after = self.case.received_on, str(_("the date of receipt"))
        entered = next((e for e in reversed(self.events()) if e.to_status != e.from_status), None)
        if entered is not None and entered.on > earliest:
            earliest, after = entered.on, event_kind_label(entered.kind)
        if spec.name == T.EXTEND:
            asked = next(
                (e for e in reversed(self.events()) if e.kind == T.REQUEST_EXTENSION), None
            )
            if asked is not None and asked.on > earliest:
                earliest, after = asked.on, event_kind_label(asked.kind)
        return earliest, after

    # --- reads of the ledger, once per transition ----------------------------------------------

    def events(self) -> list[Event]:
        if self._events is None:
            self._events = list(self.case.events.order_by("seq")) if self.case.pk else []
        return self._events

    def has_event(self, kind: str) -> bool:
        return any(e.kind == kind for e in self.events())

    def open_consultations(self) -> dict[str, Consultation]:
        """The consultations still waiting for an answer, by id (from the cached ledger)."""
        rows = ((e.kind, e.on, e.payload) for e in self.events())
        return {c.consultation_id: c for c in consultations_from(rows) if c.closed_on is None}

    def status_before_correction(self) -> str:
        """The state the case was in when the correction was requested (registered if older
        records do not say)."""
        asked = next((e for e in reversed(self.events()) if e.kind == T.REQUEST_CORRECTION), None)
        status = asked.payload.get("from_status") if asked is not None else None
        return status if status in CORRECTABLE else str(S.REGISTERED)

    def actor_co_division(self) -> Division | None:
        return co_division_of(self.case, self.actor.user) if self.actor.user is not None else None

    # === received ===============================================================================

    @transition(
        T.RECEIVE,
        label=gettext_lazy("Receive"),
        source=NEW,
        target=S.RECEIVED,
        roles=(*OFFICE, APPLICANT, SYSTEM),
        form=i.ReceiveInput,
        article="Art 29, 31",
        offered=False,
    )
    def receive(self, data: FormData) -> Payload:
        """Record a new application (the case row is filled in by services.case_receive)."""
        return {
            "channel": self.case.channel,
            "arrived_at": self.case.arrived_at.isoformat(),
            "received_on": _iso(self.case.received_on),
            "number": self.case.number,
        }

    @transition(
        T.CONFIRM_RECEIPT,
        label=gettext_lazy("Confirm receipt"),
        source=S.RECEIVED,
        target=None,
        roles=OFFICE,
        form=i.ConfirmReceiptInput,
        article="Art 31(3)-(4)",
        guards=(g.receipt_unconfirmed,),
        # Confirmed promptly: later than CONFIRMATION_WORKING_DAYS after arrival (by the day
        # both sides confirmed, a fact in the world) only with a reason.
        period=p.Period(_confirmation_due, "Art 31(3)-(4)", late=p.REASON, by_entry=False),
    )
    def confirm_receipt(self, data: FormData) -> Payload:
        """Art 31(3)-(4): the confirmation date becomes the legal date of receipt. The office
        confirms promptly: later than CONFIRMATION_WORKING_DAYS after arrival needs a reason."""
        self.case.received_on = self.on
        return {"received_on": self.on.isoformat(), "method": data["method"]}

    @transition(
        T.REGISTER,
        label=gettext_lazy("Register"),
        source=S.RECEIVED,
        target=S.REGISTERED,
        roles=OFFICE,
        form=RegisterInput,
        article="Art 45",
        guards=(g.receipt_known,),
    )
    def register(self, data: FormData) -> Payload:
        """Art 45: registration, once the legal date of receipt is known, with the request's
        items (casework.items)."""
        return {"note": data["note"], **record_items(self.case, registered_items(self.case, data))}

    @transition(
        "set_items",
        label=gettext_lazy("Edit the items of the request"),
        source=[S.REGISTERED, S.HANDLING, S.INVESTIGATION],
        target=None,
        roles=OFFICE,
        form=SetItemsInput,
        article="Art 29",
    )
    def set_items(self, data: FormData) -> Payload:
        """Art 29(2)(2): the registrar corrects what the request asks for, item by item."""
        recorded = record_items(self.case, registered_items(self.case, data))
        return {"request_items": [], "note": data["note"], **recorded}

    @transition(
        T.REPLY_ON_THE_SPOT,
        label=gettext_lazy("Reply on the spot"),
        source=[S.RECEIVED, S.REGISTERED],
        target=S.REPLIED,
        roles=OFFICE,
        form=i.DecisionInput,
        article="Art 33(1)",
        flow=ENDS_FLOW,
        guards=(g.at_the_counter, g.on_the_day_of_receipt),
    )
    def reply_on_the_spot(self, data: FormData) -> Payload:
        """Art 33(1): an application that can be answered at the counter is answered there."""
        if self.case.received_on != self.on:
            raise WrongState(_("An on-the-spot reply is given on the day of receipt."))
        self.case.closed_on = self.on
        return self._decide(data)

    # === registered =============================================================================

    @transition(
        T.REQUEST_CORRECTION,
        label=gettext_lazy("Request correction"),
        source=[
            S.RECEIVED,
            S.REGISTERED,
            S.HANDLING,
            S.INVESTIGATION,
            S.AWAITING_FEE,
            S.REVIEW,
            S.APPROVED,
        ],
        target=S.CORRECTION,
        roles=OFFICE,
        form=i.RequestCorrectionInput,
        article="Art 30",
        guards=(g.receipt_known, g.no_correction_yet),
        # Art 30: the notice is given within 7 working days of receipt, and the reply period
        # then starts again from the corrected application. A notice after those 7 days would
        # let the organ's own delay restart its clock, so it is refused (issue 21), judged by
        # the day it is entered: the notice reaches the applicant only then. An application
        # still unclear after that is answered as it stands (Art 36, 38).
        period=p.Period(lambda lc: lc.case.correction_notice_due_on, "Art 30", late=p.REFUSED),
    )
    def request_correction(self, data: FormData) -> Payload:
        """Art 30: one notice listing everything to correct, with a reasonable deadline, within
        7 working days of receipt whatever the internal state (LAW.md §1.4); entered after
        them it is refused (the `period` above), since it would restart the reply period the
        organ let run. The case returns to the state it left when the correction arrives."""
        if data["deadline_on"] <= self.on:
            raise InvalidInput(
                _("The correction deadline must be after the notice date."), field="deadline_on"
            )
        return {
            "items": data["items"],
            "deadline_on": data["deadline_on"].isoformat(),
            "from_status": self.source_status,
        }

    @transition(
        T.ASSIGN,
        label=gettext_lazy("Assign to division"),
        source=S.REGISTERED,
        target=S.HANDLING,
        roles=OFFICE,
        form=i.AssignInput,
        completes=("triage",),
    )
    def assign(self, data: FormData) -> Payload:
        """Route the case to a lead division (主办) and optional co-divisions (协办)."""
        lead: Division = data["lead_division_id"]
        co = sorted(data["co_division_ids"], key=lambda d: d.pk)
        division_due = data["division_due_on"]
        reply_due = self.case.reply_due_on
        if division_due is None and reply_due is not None:
            division_due = working_days_before(
                reply_due, settings.DIVISION_DUE_WORKING_DAYS_BEFORE, on_or_after=self.on
            )
        elif division_due is not None and (
            division_due < self.on or (reply_due and division_due > reply_due)
        ):
            raise InvalidInput(
                _("The internal due date must fall between today and the reply due date."),
                field="division_due_on",
            )
        self.case.lead_division = lead
        self.case.division_due_on = division_due
        self._co_divisions = co
        return {
            "lead_division_id": lead.pk,
            "lead_division": lead.name,
            "co_division_ids": [d.pk for d in co],
            "co_divisions": [d.name for d in co],
            "division_due_on": _iso(division_due),
        }

    # === correction =============================================================================

    @transition(
        "submit_correction",
        label=gettext_lazy("Correction submitted online"),
        source=S.CORRECTION,
        target=None,
        roles=(APPLICANT,),
        form=i.SubmitCorrectionInput,
        article="Art 30",
        offered=False,
    )
    def submit_correction(self, data: FormData) -> Payload:
        """The applicant sends the correction from the tracking page; the office checks it and
        records its receipt (receive_correction, prefilled with it)."""
        return {"subject": data["subject"], "text": data["text"], "file_names": data["file_names"]}

    @transition(
        T.RECEIVE_CORRECTION,
        label=gettext_lazy("Receive correction"),
        source=S.CORRECTION,
        target=fsm.State.GET_STATE(
            lambda lc, *args, **kwargs: lc.status_before_correction(), states=list(CORRECTABLE)
        ),
        roles=OFFICE,
        form=i.ReceiveCorrectionInput,
        article="Art 30",
        # The applicant's deadline: judged by the day the correction arrived.
        period=p.Period(
            lambda lc: lc.case.correction_deadline_on, "Art 30", late=p.REASON, by_entry=False
        ),
    )
    def receive_correction(self, data: FormData) -> Payload:
        """Art 30: the reply period runs again from the day the corrected application arrives;
        the corrected request replaces the vague one on the case (the event keeps both)."""
        corrected = {}
        for key in ("subject", "description"):
            if data[key] and data[key] != getattr(self.case, key):
                corrected[key] = [getattr(self.case, key), data[key]]
                setattr(self.case, key, data[key])
        return {"note": data["note"], "corrected": corrected}

    # === handling (routed to a division) ========================================================

    @transition(
        T.CLAIM,
        label=gettext_lazy("Claim"),
        source=S.HANDLING,
        target=S.INVESTIGATION,
        roles=(LEAD_LIAISON,),
        form=i.ClaimInput,
        flow=CLAIMS_TASK,
    )
    def claim(self, data: FormData) -> Payload:
        """A liaison officer of the lead division takes the case from the division's queue."""
        self.case.assignee = self.actor.user
        return {"assignee": self.actor.name}

    @transition(
        T.TRANSFER,
        label=gettext_lazy("Transfer to another division"),
        source=[S.HANDLING, S.INVESTIGATION],
        target=S.HANDLING,
        roles=REVIEWERS,
        form=i.TransferInput,
        flow=MOVES_TASK,
    )
    def transfer(self, data: FormData) -> Payload:
        """The office moves the case to another lead division, with a reason."""
        division: Division = data["lead_division_id"]
        payload = {
            "from_division": self.case.lead_division.name if self.case.lead_division else "",
            "lead_division_id": division.pk,
            "lead_division": division.name,
            "reason": data["reason"],
        }
        self.case.lead_division = division
        self.case.assignee = None
        return payload

    @transition(
        T.HAND_BACK,
        label=gettext_lazy("Hand back to the office"),
        source=[S.HANDLING, S.INVESTIGATION],
        target=S.REGISTERED,
        roles=(LEAD_LIAISON, ASSIGNEE),
        form=i.HandBackInput,
        flow=RETURNS_TO_TRIAGE,
        guards=(g.not_proposed_yet, g.no_consultation_pending),
    )
    def hand_back(self, data: FormData) -> Payload:
        """退回分办: the lead division says a misrouted case is not its own and returns it to
        the OGI office with a reason, which routes it again (assign). The lead division, the
        co-divisions, the assignee and the internal due date are cleared: the office's next
        assignment decides all of them anew (opinions already given stay in the ledger). The
        statutory clock is not touched: routing inside the organ pauses nothing (Art 33)."""
        co = list(self.case.co_divisions.order_by("pk"))
        payload = {
            "from_division": self.case.lead_division.name if self.case.lead_division else "",
            "from_co_divisions": [d.name for d in co],
            "previous": display_name(self.case.assignee) if self.case.assignee else "",
            "reason": data["reason"],
        }
        self.case.lead_division = None
        self.case.assignee = None
        self.case.division_due_on = None
        self._co_divisions = []
        return payload

    @transition(
        T.GIVE_OPINION,
        label=gettext_lazy("Give co-division opinion"),
        source=[S.HANDLING, S.INVESTIGATION, S.AWAITING_FEE],
        target=None,
        roles=(CO_LIAISON,),
        form=i.GiveOpinionInput,
        completes=("co_opinion",),
        guards=(g.opinion_owed,),
    )
    def give_opinion(self, data: FormData) -> Payload:
        """A co-division (协办) gives its opinion; the opinions join before review."""
        division = self.actor_co_division()
        assert division is not None  # noqa: S101 - the guard opinion_owed checked it
        return {"division_id": division.pk, "division": division.name, "opinion": data["opinion"]}

    # === investigation ==========================================================================

    @transition(
        T.RELEASE,
        label=gettext_lazy("Release"),
        source=S.INVESTIGATION,
        target=S.HANDLING,
        roles=(ASSIGNEE, *REVIEWERS),
        form=i.ReleaseInput,
        flow=RELEASES_TASK,
    )
    def release(self, data: FormData) -> Payload:
        """The assignee gives the case back to the division's queue."""
        previous = display_name(self.case.assignee) if self.case.assignee else ""
        self.case.assignee = None
        return {"previous": previous, "reason": data["reason"]}

    @transition(
        T.REASSIGN,
        label=gettext_lazy("Reassign"),
        source=[S.INVESTIGATION, S.AWAITING_FEE, S.REVIEW],
        target=None,
        roles=(ASSIGNEE, *REVIEWERS),
        form=i.ReassignInput,
        flow=REASSIGNS_TASK,
    )
    def reassign(self, data: FormData) -> Payload:
        """Hand the case to another liaison officer of the same (lead) division."""
        user = data["assignee_id"]
        payload = {
            "previous": display_name(self.case.assignee) if self.case.assignee else "",
            "assignee_id": user.pk,
            "assignee": display_name(user),
            "reason": data["reason"],
        }
        self.case.assignee = user
        return payload

    @transition(
        T.OPEN_CONSULTATION,
        label=gettext_lazy("Open consultation"),
        source=[S.INVESTIGATION, S.REVIEW],
        target=None,
        roles=(LEAD_LIAISON, *REVIEWERS),
        form=i.OpenConsultationInput,
        article="Art 32, 34",
    )
    def open_consultation(self, data: FormData) -> Payload:
        """Art 32 (third party) / Art 34 (other organ): written consultation; the time until the
        answer (at most the party's 15 working days) is not counted (Art 33(3))."""
        return {
            "consultation_id": uuid.uuid4().hex[:8],
            "party": data["party"],
            "party_name": data["party_name"],
            "matter": data["matter"],
        }

    @transition(
        T.CLOSE_CONSULTATION,
        label=gettext_lazy("Close consultation"),
        source=[S.INVESTIGATION, S.REVIEW, S.AWAITING_FEE],
        target=None,
        roles=(LEAD_LIAISON, *REVIEWERS),
        form=i.CloseConsultationInput,
        article="Art 32, 33(3)",
        guards=(g.consultation_open,),
    )
    def close_consultation(self, data: FormData) -> Payload:
        """Record the consulted party's answer (or its silence after 15 working days)."""
        opened = self.open_consultations().get(data["consultation_id"])
        if opened is None:
            raise WrongState(_("There is no open consultation with this id."))
        if self.on < opened.sent_on:
            raise InvalidInput(
                _("The answer cannot arrive before the consultation was sent."), field="on"
            )
        return {
            "consultation_id": data["consultation_id"],
            "party_name": opened.party_name,
            "opinion": data["opinion"],
            "summary": data["summary"],
        }

    @transition(
        "record_consultation_delivery",
        label=gettext_lazy("Record receipt of the consultation letter"),
        source=[S.INVESTIGATION, S.REVIEW, S.AWAITING_FEE],
        target=None,
        roles=(LEAD_LIAISON, *REVIEWERS),
        form=i.ConsultationDeliveryInput,
        article="Art 32",
        guards=(g.consultation_open,),
    )
    def record_consultation_delivery(self, data: FormData) -> Payload:
        """Art 32: the party's 15 working days run from its receipt of the letter; until this is
        recorded its deadline is estimated from the sending day."""
        opened = self.open_consultations().get(data["consultation_id"])
        if opened is None:
            raise WrongState(_("There is no open consultation with this id."))
        if self.on < opened.sent_on:
            raise InvalidInput(_("The letter cannot be received before it was sent."), field="on")
        if any(
            e.kind == "record_consultation_delivery"
            and e.payload.get("consultation_id") == data["consultation_id"]
            for e in self.events()
        ):
            raise WrongState(_("The receipt of this consultation letter is already recorded."))
        return {
            "consultation_id": data["consultation_id"],
            "party_name": opened.party_name,
            "method": data["method"],
        }

    @transition(
        T.REQUEST_EXTENSION,
        label=gettext_lazy("Request extension"),
        source=[S.INVESTIGATION, S.REVIEW],
        target=None,
        roles=(LEAD_LIAISON,),
        form=i.ExtensionInput,
        article="Art 33(2)",
        guards=(g.not_extended, g.no_extension_pending),
        period=p.Period(lambda lc: lc.case.reply_due_on, "Art 33(2)", late=p.REFUSED),
    )
    def request_extension(self, data: FormData) -> Payload:
        """The liaison officer asks the head of the OGI office to extend (Art 33(2)); one
        request waits at a time."""
        return {"days": data["days"], "reason": data["reason"]}

    @transition(
        T.EXTEND,
        label=gettext_lazy("Extend"),
        source=[S.INVESTIGATION, S.REVIEW],
        target=None,
        roles=HEAD,
        form=i.ExtendInput,
        article="Art 33(2)",
        guards=(g.not_extended,),
        # Art 33(2): the applicant is told *within* the reply period. Entered after it ended,
        # the extension is refused outright (no reason makes it lawful), whatever `on` says.
        period=p.Period(lambda lc: lc.case.reply_due_on, "Art 33(2)", late=p.REFUSED),
    )
    def extend(self, data: FormData) -> Payload:
        """Art 33(2): once, at most 20 working days, approved by the head of the OGI office
        before the reply is due (judged by the day it is entered too, the period rule above),
        with a notice to the applicant. `reason` is the ground the
        notice states; the head's `note` stays internal."""
        ground = data["reason"].strip().rstrip("。；;，,. ")
        return {"days": data["days"], "reason": ground, "note": data["note"]}

    @transition(
        "reject_extension",
        label=gettext_lazy("Reject extension"),
        source=[S.INVESTIGATION, S.REVIEW],
        target=None,
        roles=HEAD,
        form=i.ReasonInput,
        article="Art 33(2)",
        guards=(g.extension_pending,),
    )
    def reject_extension(self, data: FormData) -> Payload:
        """The head of the OGI office refuses a pending request to extend, with a reason."""
        return {"reason": data["reason"]}

    @transition(
        T.NOTIFY_FEE,
        label=gettext_lazy("Notify fee"),
        source=S.INVESTIGATION,
        target=S.AWAITING_FEE,
        roles=(LEAD_LIAISON, *REVIEWERS),
        form=i.NotifyFeeInput,
        article="国办函〔2020〕109号",
        # 109号: the fee notice is sent within the application's reply period; after it the
        # organ can no longer charge (LAW.md §2.4), so a late notice is refused.
        period=p.Period(lambda lc: lc.case.reply_due_on, "国办函〔2020〕109号", late=p.REFUSED),
    )
    def notify_fee(self, data: FormData) -> Payload:
        """国办函〔2020〕109号: fee notice stating basis, rate and amount; the applicant pays
        within 20 working days from the day after receiving it."""
        method, quantity = data["method"], data["quantity"]
        earlier = applicant_pieces_earlier_in_month(self.case) if method == "per_piece" else 0
        computed = fee_amount(method, quantity, earlier_in_month=earlier)
        amount = data["amount"] if data["amount"] is not None else computed
        received = data["notice_received_on"]
        if received is not None and received < self.on:
            raise InvalidInput(
                _("The notice cannot be received before it was sent."), field="notice_received_on"
            )
        return {
            "method": method,
            "quantity": quantity,
            "amount": f"{amount:.2f}",
            "computed_amount": f"{computed:.2f}",
            "earlier_in_month": earlier,
            "notice_received_on": (received or self.on).isoformat(),
        }

    @transition(
        T.PROPOSE,
        label=gettext_lazy("Propose decision"),
        source=S.INVESTIGATION,
        target=S.REVIEW,
        roles=(LEAD_LIAISON,),
        form=i.ProposeInput,
        article="Art 36–39",
        completes=("investigate", "revise"),
        guards=(g.no_consultation_open,),
    )
    def propose(self, data: FormData) -> Payload:
        """The liaison officer proposes the decision with its legal basis (Art 36–39); one
        that provides information says how (Art 36(2), 37), a warned one is confirmed."""
        provision = release_gate.proposal_provision(self.case, data)
        return {**self._decide(data), **provision, **decision_warnings.overrides(self, data)}

    def _decide(self, data: FormData) -> Payload:
        payload = self._decision_payload(data)
        # Art 36(1): the catalogue items the reply points to, on the case (issue 26 figures).
        catalogue_cited_from_decision(case=self.case, payload=payload, now=self.now)
        return payload

    def _decision_payload(self, data: FormData) -> Payload:
        if data.get("items"):  # a request of several items: each decided (casework.items)
            return record_item_decisions(self.case, data)
        basis = data["basis"]  # a Basis of the disposition (the form checked it fits)
        self.case.disposition = data["disposition"]
        self.case.disposition_basis = basis.citation
        payload = {
            "disposition": data["disposition"],
            "basis": basis.citation,
            "basis_key": basis.key,
            "reasons": data["reasons"],
        }
        for key in (
            "withheld",
            "searched",
            "found",
            "files",
            "where_published",
            "responsible_organ",
            "responsible_contact",
            *DECISION_FACT_KEYS,
        ):
            if data.get(key):
                payload[key] = _iso(data[key]) if isinstance(data[key], date) else data[key]
        return payload

    # === awaiting fee ===========================================================================

    @transition(
        T.RECEIVE_FEE,
        label=gettext_lazy("Receive fee"),
        source=S.AWAITING_FEE,
        target=S.INVESTIGATION,
        roles=OFFICE,
        form=i.ReceiveFeeInput,
        article="国办函〔2020〕109号",
        # The applicant's 20 working days: judged by the day the payment arrived.
        period=p.Period(
            lambda lc: lc.case.fee_due_on, "国办函〔2020〕109号", late=p.REASON, by_entry=False
        ),
    )
    def receive_fee(self, data: FormData) -> Payload:
        """The fee arrived; after the applicant's 20 working days only with a reason (109号)."""
        return {"amount": f"{data['amount']:.2f}", "receipt_number": data["receipt_number"]}

    # === review =================================================================================

    @transition(
        T.CHECK,
        label=gettext_lazy("Review passed"),
        source=S.REVIEW,
        target=None,
        roles=REVIEWERS,
        form=i.CommentInput,
        completes=("review",),
        guards=(g.not_checked_yet, release_gate.release_approved),
    )
    def check(self, data: FormData) -> Payload:
        """审核: the OGI office reviewer passes the proposed decision on to sign-off."""
        return {"comment": data["comment"]}

    @transition(
        T.RETURN_FOR_REVISION,
        label=gettext_lazy("Return for revision"),
        source=S.REVIEW,
        target=S.INVESTIGATION,
        roles=REVIEWERS,
        form=i.ReasonInput,
        completes=("review",),
    )
    def return_for_revision(self, data: FormData) -> Payload:
        return {"reason": data["reason"]}

    @transition(
        T.APPROVE,
        label=gettext_lazy("Approve"),
        source=S.REVIEW,
        target=S.APPROVED,
        roles=HEAD,
        form=i.CommentInput,
        completes=("sign_off",),
        guards=(release_gate.release_approved,),
    )
    def approve(self, data: FormData) -> Payload:
        """Sign-off (审签) by the head of the OGI office."""
        return {"comment": data["comment"]}

    # === approved, replied, archived ============================================================

    @transition(
        T.ISSUE_REPLY,
        label=gettext_lazy("Issue reply"),
        source=S.APPROVED,
        target=S.REPLIED,
        roles=OFFICE,
        form=i.IssueReplyInput,
        article="Art 36",
        completes=("issue",),
        offered=False,
        # Art 33: a reply after its due date is still owed and lawful to give; it is issued
        # at once and flagged for supervision (a reason may be recorded, none is demanded).
        period=p.Period(lambda lc: lc.case.reply_due_on, "Art 33", late=p.FLAGGED),
    )
    def issue_reply(self, data: FormData) -> Payload:
        self.case.closed_on = self.on
        return {
            "letter": data["letter"],
            "sha256": data["sha256"],
            "disposition": self.case.disposition,
        }

    @transition(
        T.RECORD_DELIVERY,
        label=gettext_lazy("Record delivery"),
        source=[S.REPLIED, S.ARCHIVED],
        target=None,
        roles=OFFICE,
        form=i.RecordDeliveryInput,
        article="国办公开办函〔2016〕235号",
        completes=("deliver",),
    )
    def record_delivery(self, data: FormData) -> Payload:
        """国办公开办函〔2016〕235号: the delivery date is the signature date, or the day it is
        handed to the post office for postal delivery."""
        return {"method": data["method"], "tracking_number": data["tracking_number"]}

    @transition(
        T.ARCHIVE,
        label=gettext_lazy("Archive"),
        source=S.REPLIED,
        target=S.ARCHIVED,
        roles=OFFICE,
        form=i.NoteInput,
        completes=("file",),
    )
    def archive(self, data: FormData) -> Payload:
        return {"note": data["note"]}

    @transition(
        T.RECORD_REMEDY,
        label=gettext_lazy("Record remedy"),
        source=list(CLOSED_WITH_DECISION),
        target=None,
        roles=REVIEWERS,
        form=i.RecordRemedyInput,
        article="国办公开办函〔2021〕30号 table 四",
    )
    def record_remedy(self, data: FormData) -> Payload:
        """Reconsideration or litigation about the decision, for annual-report table 四."""
        return {
            "remedy": data["remedy"],
            "outcome": data["outcome"],
            "filed_on": data["filed_on"].isoformat(),
            "decided_on": _iso(data["decided_on"]),
            "body": data["body"],
        }

    # === any open state =========================================================================

    @transition(
        T.WITHDRAW,
        label=gettext_lazy("Withdraw"),
        source=list(OPEN),
        target=S.WITHDRAWN,
        roles=(*OFFICE, APPLICANT),
        form=i.OptionalReasonInput,
        flow=ENDS_FLOW,
    )
    def withdraw(self, data: FormData) -> Payload:
        self.case.closed_on = self.on
        return {"reason": data["reason"]}

    @transition(
        T.ABANDON,
        label=gettext_lazy("Deem abandoned"),
        source=[S.CORRECTION, S.AWAITING_FEE],
        target=S.ABANDONED,
        roles=(*REVIEWERS, SYSTEM),
        form=i.AbandonInput,
        article="Art 30; 国办函〔2020〕109号",
        flow=ENDS_FLOW,
        guards=(g.applicant_deadline_passed,),
    )
    def abandon(self, data: FormData) -> Payload:
        """Art 30 (no correction in time) / 109号 (fee unpaid in time): deemed abandoned."""
        if self.source_status == CaseStatus.CORRECTION:
            deadline, disposition = (
                self.case.correction_deadline_on,
                Disposition.OTHER_NO_CORRECTION,
            )
        else:
            deadline, disposition = self.case.fee_due_on, Disposition.OTHER_FEE_UNPAID
        self.case.disposition = disposition
        self.case.closed_on = self.on
        return {"disposition": disposition, "deadline_on": _iso(deadline), "reason": data["reason"]}

    @transition(
        T.MERGE_DUPLICATE,
        label=gettext_lazy("Merge into the earlier request"),
        source=[S.RECEIVED, S.REGISTERED, S.CORRECTION, S.HANDLING, S.INVESTIGATION],
        target=S.MERGED,
        roles=OFFICE,
        form=i.MergeDuplicateInput,
        article="issue 25 point 2 (not Art 36(6): the earlier request is not answered yet)",
        flow=ENDS_FLOW,
        guards=(g.earlier_request_open,),
    )
    def merge_duplicate(self, data: FormData) -> Payload:
        """The same applicant asked again for the same information before the first request
        was answered: this case closes into the earlier one, whose reply answers both; the
        clock stops and the applicant is told by e-mail."""
        earlier = (
            Case.objects.select_for_update()
            .filter(organ_id=self.case.organ_id, number=data["merged_into"])
            .first()
        )
        if earlier is None or earlier.status not in OPEN_STATUSES:  # answered meanwhile
            raise WrongState(_("The earlier request is no longer open; nothing to merge into."))
        self.case.closed_on = self.on
        notify_template(
            key=f"merged:{self.case.pk}",
            to=[self.case.applicant.email],
            case=self.case,
            template="request_merged",
            context={"earlier": earlier, "organ": self.case.organ, "on": self.on},
        )
        return {"merged_into": earlier.number, "reason": data["reason"]}

    @transition(
        T.URGE,
        label=gettext_lazy("Urge"),
        source=list(OPEN),
        target=None,
        roles=(Role.SUPERVISOR, *REVIEWERS),
        form=i.UrgeInput,
        guards=(g.not_urged_today,),
    )
    def urge(self, data: FormData) -> Payload:
        """催办: the supervising office presses the division on a case."""
        return {"message": data["message"]}

    @transition(
        T.UPDATE_APPLICANT,
        label=gettext_lazy("Complete applicant details"),
        source=list(OPEN),
        target=None,
        roles=OFFICE,
        form=i.UpdateApplicantInput,
        article="Art 31",
    )
    def update_applicant(self, data: FormData) -> Payload:
        """Complete or correct the applicant's details (e.g. after confirming an e-mailed
        application with the applicant, Art 31); the event keeps what changed (ID masked)."""

        applicant = self.case.applicant
        keys = list(data)
        before = {k: getattr(applicant, k) for k in keys}
        for key in keys:
            setattr(applicant, key, str(data[key] or "").strip())
        was_incomplete = applicant.incomplete
        applicant.incomplete = False
        try:
            applicant.full_clean()
        except ValidationError as exc:
            applicant.incomplete = was_incomplete
            raise invalid_from_validation_error(exc) from None

        def shown(key: str, value: str) -> str:
            return mask_id_number(value) if key == "id_number" and value else value

        changes = {
            k: [shown(k, before[k]), shown(k, getattr(applicant, k))]
            for k in keys
            if before[k] != getattr(applicant, k)
        }
        if not changes and not was_incomplete:
            raise InvalidInput(_("Nothing was changed."))
        self._applicant = applicant
        return {"changes": changes, "completed": was_incomplete}

    # === written by the letters service =========================================================

    @transition(
        T.ISSUE_LETTER,
        label=gettext_lazy("Issue letter"),
        # Every state a letter kind may declare (letters.registry refuses the others).
        source=[*OPEN, *CLOSED_WITH_DECISION, S.WITHDRAWN],
        target=None,
        roles=(*OFFICE, SYSTEM),
        form=i.IssueLetterInput,
        offered=False,
    )
    def issue_letter(self, data: FormData) -> Payload:
        """A notice (receipt, correction, extension, consultation, fee) was issued; the letters
        app numbers, renders and stores it in the same transaction."""
        return {
            "kind": data["kind"],
            "letter": data["letter"],
            "title": data["title"],
            "sha256": data["sha256"],
        }

    @transition(
        T.VOID_LETTER,
        label=gettext_lazy("Void letter"),
        source=[*OPEN, *CLOSED_WITH_DECISION, S.WITHDRAWN],
        target=None,
        roles=REVIEWERS,
        form=i.VoidLetterInput,
        offered=False,
    )
    def void_letter(self, data: FormData) -> Payload:
        """An issued letter is voided (a corrected one is issued next)."""
        return {"letter": data["letter"], "reason": data["reason"]}


def transition_method(lifecycle: CaseLifecycle, name: str) -> BoundTransition:
    """The bound transition called `name`."""
    if name not in TRANSITIONS:
        raise InvalidInput(_("Unknown transition: %(name)s.") % {"name": name})
    method: BoundTransition = getattr(lifecycle, name)
    return method
