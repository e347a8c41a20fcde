"""The state machine of one case (DESIGN §3): the ONLY code that changes a case's status or
its dates.

`CaseLifecycle` wraps one locked Case row. Each transition is declared in the table
(casework.lifecycle.table); here `@step(name)` binds a body to its declaration: viewflow.fsm
gets the source and target states and a permission that answers for the user asked; before
the body runs, the actor's role, the guards and the input form are checked. The body applies
the change and returns what the event records. `on_success` saves the case, writes exactly
one Event and recomputes the clock. Callers (casework.services) hold the transaction and
the row lock.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from viewflow import fsm

from casework.choices import CaseStatus, Disposition
from casework.choices import Transition as T
from casework.errors import InvalidInput, NotPermitted, WrongState
from casework.fees import fee_amount
from casework.ledger import event_append
from casework.lifecycle.actors import Actor, as_actor, display_name
from casework.lifecycle.clock_store import case_clock_refresh, working_days_before
from casework.lifecycle.inputs import clean_input
from casework.lifecycle.roles import acting_role, co_division_of
from casework.lifecycle.table import NEW, TRANSITIONS, TransitionSpec
from casework.models import Case, Division, Event
from casework.selectors import applicant_pieces_earlier_in_month

Body = Callable[["CaseLifecycle", dict[str, Any]], dict[str, Any]]

status_slot = fsm.State(CaseStatus, default=NEW)


def _permission(spec: TransitionSpec) -> Callable[[CaseLifecycle, Any], bool]:
    """viewflow's `has_perm(user)`: the table's role rules, for the user asked."""
    return lambda lifecycle, user: (
        acting_role(spec.roles, lifecycle.case, Actor.staff(user)) is not None
    )


def step(name: str) -> Callable[[Body], Any]:
    """Declare the body of the transition `name` from the table."""
    spec = TRANSITIONS[name]

    def decorate(body: Body) -> Any:
        def run(self: CaseLifecycle, **fields: Any) -> None:
            data = self.begin(spec, fields)
            self.payload = body(self, data) or {}

        run.__name__, run.__doc__ = body.__name__, body.__doc__
        target = {} if spec.target is None else {"target": spec.target}
        return status_slot.transition(
            source=list(spec.source), permission=_permission(spec), custom={"spec": spec}, **target
        )(run)

    return decorate


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


class CaseLifecycle:
    """The state machine of one case. `on` is the effective date of what happened in the world."""

    status = status_slot

    def __init__(self, case: Case, *, actor: Any, now: datetime, on: date) -> None:
        self.case = case
        self.actor = as_actor(actor)
        self.now = now
        self.on = on
        self.spec: TransitionSpec | None = None
        self.role = ""
        self.payload: dict[str, Any] = {}
        self.source_status = case.status  # viewflow sets the target before the body runs
        self.event: Event | None = None
        self._co_divisions: list[Division] | None = None
        self._applicant: Any = None
        self._events: list[Event] | None = None

    # --- state storage and the event ---------------------------------------------------------

    @status.getter()
    def _get_status(self) -> str:
        return self.case.status or NEW

    @status.setter()
    def _set_status(self, value: str) -> None:
        self.case.status = value

    @status.on_success()
    def _record(self, descriptor: Any, source: str, target: Any, **kwargs: Any) -> None:
        assert self.spec is not None  # noqa: S101 - begin() ran
        self.case.save()
        if self._co_divisions is not None:
            self.case.co_divisions.set(self._co_divisions)
        if self._applicant is not None:
            self._applicant.save()
        self.event = event_append(
            self.case,
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
        case_clock_refresh(self.case)

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
        return None

    def begin(self, spec: TransitionSpec, fields: dict[str, Any]) -> dict[str, Any]:
        """Role (fixed before the body changes the case), guards, then the input form."""
        self.spec = spec
        role = self.acting_role(spec.name)
        if role is None:
            raise NotPermitted(_("Your role does not allow this action on this case."))
        self.role = role
        reason = self.blocked_by(spec)
        if reason:
            raise WrongState(reason)
        return clean_input(spec.form, self.case, fields)

    # --- reads of the ledger, once per transition ----------------------------------------------

    def events(self) -> list[Event]:
        if self._events is None:
            self._events = list(self.case.events.order_by("seq")) if self.case.pk else []
        return self._events

    def has_event(self, kind: str) -> bool:
        return any(e.kind == kind for e in self.events())

    def open_consultations(self) -> dict[str, dict[str, Any]]:
        opened: dict[str, dict[str, Any]] = {}
        for event in self.events():
            if event.kind == T.OPEN_CONSULTATION:
                opened[event.payload["consultation_id"]] = {**event.payload, "sent_on": event.on}
            elif event.kind == T.CLOSE_CONSULTATION:
                opened.pop(event.payload["consultation_id"], None)
        return opened

    def actor_co_division(self) -> Division | None:
        return co_division_of(self.case, self.actor.user) if self.actor.user is not None else None

    # === received ===============================================================================

    @step(T.RECEIVE)
    def receive(self, data: dict[str, Any]) -> dict[str, Any]:
        """Record a new application (the case row is filled in by services.case_receive)."""
        return {
            "channel": self.case.channel,
            "arrived_at": self.case.arrived_at.isoformat(),
            "received_on": _iso(self.case.received_on),
            "number": self.case.number,
        }

    @step(T.CONFIRM_RECEIPT)
    def confirm_receipt(self, data: dict[str, Any]) -> dict[str, Any]:
        """Art 31(3)-(4): the confirmation date becomes the legal date of receipt."""
        self.case.received_on = self.on
        return {"received_on": self.on.isoformat(), "method": data["method"]}

    @step(T.REGISTER)
    def register(self, data: dict[str, Any]) -> dict[str, Any]:
        """Art 45: registration, once the legal date of receipt is known."""
        return {"note": data["note"]}

    @step(T.REPLY_ON_THE_SPOT)
    def reply_on_the_spot(self, data: dict[str, Any]) -> dict[str, Any]:
        """Art 33(1): an application that can be answered at the counter is answered there."""
        if self.case.received_on != self.on:
            raise WrongState(_("An on-the-spot reply is given on the day of receipt."))
        self.case.closed_on = self.on
        return self._decide(data)

    # === registered =============================================================================

    @step(T.REQUEST_CORRECTION)
    def request_correction(self, data: dict[str, Any]) -> dict[str, Any]:
        """Art 30: one notice listing everything to correct, with a reasonable deadline."""
        if data["deadline_on"] <= self.on:
            raise InvalidInput(
                _("The correction deadline must be after the notice date."), field="deadline_on"
            )
        return {"items": data["items"], "deadline_on": data["deadline_on"].isoformat()}

    @step(T.ASSIGN)
    def assign(self, data: dict[str, Any]) -> dict[str, Any]:
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

    @step(T.RECEIVE_CORRECTION)
    def receive_correction(self, data: dict[str, Any]) -> dict[str, Any]:
        """Art 30: the reply period runs again from the day the corrected application arrives."""
        return {"note": data["note"]}

    # === handling (routed to a division) ========================================================

    @step(T.CLAIM)
    def claim(self, data: dict[str, Any]) -> dict[str, Any]:
        """A liaison officer of the lead division takes the case from the division's queue."""
        self.case.assignee = self.actor.user
        return {"assignee": self.actor.name}

    @step(T.TRANSFER)
    def transfer(self, data: dict[str, Any]) -> dict[str, Any]:
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

    @step(T.GIVE_OPINION)
    def give_opinion(self, data: dict[str, Any]) -> dict[str, Any]:
        """A co-division (协办) gives its opinion; the opinions join before review."""
        division = self.actor_co_division()
        assert division is not None  # noqa: S101 - the guard opinion_owed checked it
        return {"division_id": division.pk, "division": division.name, "opinion": data["opinion"]}

    # === investigation ==========================================================================

    @step(T.RELEASE)
    def release(self, data: dict[str, Any]) -> dict[str, Any]:
        """The assignee gives the case back to the division's queue."""
        previous = display_name(self.case.assignee) if self.case.assignee else ""
        self.case.assignee = None
        return {"previous": previous, "reason": data["reason"]}

    @step(T.REASSIGN)
    def reassign(self, data: dict[str, Any]) -> dict[str, Any]:
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

    @step(T.OPEN_CONSULTATION)
    def open_consultation(self, data: dict[str, Any]) -> dict[str, Any]:
        """Art 32 (third party) / Art 34 (other organ): written consultation; the time until the
        answer (at most the party's 15 working days) is not counted (Art 33(3))."""
        return {
            "consultation_id": uuid.uuid4().hex[:8],
            "party": data["party"],
            "party_name": data["party_name"],
            "matter": data["matter"],
        }

    @step(T.CLOSE_CONSULTATION)
    def close_consultation(self, data: dict[str, Any]) -> dict[str, Any]:
        """Record the consulted party's answer (or its silence after 15 working days)."""
        opened = self.open_consultations().get(data["consultation_id"])
        if opened is None:
            raise WrongState(_("There is no open consultation with this id."))
        if self.on < opened["sent_on"]:
            raise InvalidInput(
                _("The answer cannot arrive before the consultation was sent."), field="on"
            )
        return {
            "consultation_id": data["consultation_id"],
            "party_name": opened["party_name"],
            "opinion": data["opinion"],
            "summary": data["summary"],
        }

    @step(T.REQUEST_EXTENSION)
    def request_extension(self, data: dict[str, Any]) -> dict[str, Any]:
        """The liaison officer asks the head of the OGI office to extend (Art 33(2))."""
        return {"days": data["days"], "reason": data["reason"]}

    @step(T.EXTEND)
    def extend(self, data: dict[str, Any]) -> dict[str, Any]:
        """Art 33(2): once, at most 20 working days, approved by the head of the OGI office
        before the reply is due, with a notice to the applicant."""
        return {"days": data["days"], "reason": data["reason"]}

    @step(T.NOTIFY_FEE)
    def notify_fee(self, data: dict[str, Any]) -> dict[str, Any]:
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

    @step(T.PROPOSE)
    def propose(self, data: dict[str, Any]) -> dict[str, Any]:
        """The liaison officer proposes the decision with its legal basis (Art 36–39)."""
        payload = self._decide(data)
        payload.update({key: data[key] for key in ("withheld", "searched", "found", "files")})
        return payload

    def _decide(self, data: dict[str, Any]) -> dict[str, Any]:
        self.case.disposition = data["disposition"]
        self.case.disposition_basis = data["basis"]
        return {
            "disposition": data["disposition"],
            "basis": data["basis"],
            "reasons": data["reasons"],
            "withheld": data.get("withheld", ""),
            "searched": data.get("searched", ""),
            "found": data.get("found", ""),
            "files": data.get("files", ""),
        }

    # === awaiting fee ===========================================================================

    @step(T.RECEIVE_FEE)
    def receive_fee(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"amount": f"{data['amount']:.2f}", "receipt_number": data["receipt_number"]}

    # === review =================================================================================

    @step(T.CHECK)
    def check(self, data: dict[str, Any]) -> dict[str, Any]:
        """审核: the OGI office reviewer passes the proposed decision on to sign-off."""
        return {"comment": data["comment"]}

    @step(T.RETURN_FOR_REVISION)
    def return_for_revision(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"reason": data["reason"]}

    @step(T.APPROVE)
    def approve(self, data: dict[str, Any]) -> dict[str, Any]:
        """Sign-off (审签) by the head of the OGI office."""
        return {"comment": data["comment"]}

    # === approved, replied, archived ============================================================

    @step(T.ISSUE_REPLY)
    def issue_reply(self, data: dict[str, Any]) -> dict[str, Any]:
        self.case.closed_on = self.on
        return {
            "letter": data["letter"],
            "sha256": data["sha256"],
            "disposition": self.case.disposition,
        }

    @step(T.RECORD_DELIVERY)
    def record_delivery(self, data: dict[str, Any]) -> dict[str, Any]:
        """国办公开办函〔2016〕235号: the delivery date is the signature date, or the day it is
        handed to the post office for postal delivery."""
        return {"method": data["method"], "tracking_number": data["tracking_number"]}

    @step(T.ARCHIVE)
    def archive(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"note": data["note"]}

    @step(T.RECORD_REMEDY)
    def record_remedy(self, data: dict[str, Any]) -> dict[str, Any]:
        """Reconsideration or litigation about the decision, for annual-report table 四."""
        return {
            "remedy": data["remedy"],
            "outcome": data["outcome"],
            "filed_on": data["filed_on"].isoformat(),
            "decided_on": _iso(data["decided_on"]),
            "body": data["body"],
        }

    # === any open state =========================================================================

    @step(T.WITHDRAW)
    def withdraw(self, data: dict[str, Any]) -> dict[str, Any]:
        self.case.closed_on = self.on
        return {"reason": data["reason"]}

    @step(T.ABANDON)
    def abandon(self, data: dict[str, Any]) -> dict[str, Any]:
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

    @step(T.URGE)
    def urge(self, data: dict[str, Any]) -> dict[str, Any]:
        """催办: the supervising office presses the division on a case."""
        return {"message": data["message"]}

    @step(T.UPDATE_APPLICANT)
    def update_applicant(self, data: dict[str, Any]) -> dict[str, Any]:
        """Complete or correct the applicant's details (e.g. after confirming an e-mailed
        application with the applicant, Art 31); the event keeps what changed (ID masked)."""
        from django.core.exceptions import ValidationError

        from casework.errors import invalid_from_validation_error
        from casework.validators import mask_id_number

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

    @step(T.ISSUE_LETTER)
    def issue_letter(self, data: dict[str, Any]) -> dict[str, Any]:
        """A notice (receipt, correction, extension, consultation, fee) was issued; the letters
        app numbers, renders and stores it in the same transaction."""
        return {
            "kind": data["kind"],
            "letter": data["letter"],
            "title": data["title"],
            "sha256": data["sha256"],
        }

    @step(T.VOID_LETTER)
    def void_letter(self, data: dict[str, Any]) -> dict[str, Any]:
        """An issued letter is voided (a corrected one is issued next)."""
        return {"letter": data["letter"], "reason": data["reason"]}


def transition_method(lifecycle: CaseLifecycle, name: str) -> Any:
    """The bound transition called `name`."""
    if name not in TRANSITIONS:
        raise InvalidInput(_("Unknown transition: %(name)s.") % {"name": name})
    return getattr(lifecycle, name)
