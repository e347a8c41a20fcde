"""The case lifecycle (DESIGN §3): the ONLY code that changes a case's status or its dates.

`CaseLifecycle` wraps one locked Case row. Each transition validates its own fields, applies
the change, and `on_success` saves the case, writes exactly one Event and recomputes the
clock from the events. Callers (casework.services) hold the transaction and the row lock and
check `has_perm` first: viewflow treats a permission as a query, not a gate.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

from viewflow import fsm

from casework.choices import (
    CHANNELS_NEEDING_CONFIRMATION,
    CHANNELS_ON_THE_SPOT,
    OPEN_STATUSES,
    SYSTEM_ROLE,
    CaseStatus,
    ConsultationParty,
    DeliveryMethod,
    Disposition,
    RemedyKind,
    RemedyOutcome,
    Role,
)
from casework.choices import Transition as T
from casework.clock import ClockEvent, ClockResult, compute_clock
from casework.errors import InvalidInput, WrongState
from casework.fees import fee_amount
from casework.models import Case, Division, Event
from casework.permissions import OFFICE_ROLES, user_division_ids, user_roles
from casework.selectors import working_calendar_with_fingerprint

NEW = ""  # a case being received has no status yet

APPLICANT_ROLE = "申请人"


def display_name(user: Any) -> str:
    """A person's name the Chinese way: family name first, no space (王登记)."""
    full = f"{getattr(user, 'last_name', '')}{getattr(user, 'first_name', '')}".strip()
    return full or str(user.get_username())


@dataclass(frozen=True)
class Actor:
    """Who fires a transition: a staff user, the applicant (online portal), or the system."""

    user: Any | None
    kind: str  # "staff" | "applicant" | "system"

    @classmethod
    def staff(cls, user: Any) -> Actor:
        return cls(user=user, kind="staff")

    @property
    def name(self) -> str:
        if self.user is not None:
            return display_name(self.user)
        return APPLICANT_ROLE if self.kind == "applicant" else SYSTEM_ROLE


APPLICANT = Actor(user=None, kind="applicant")
SYSTEM = Actor(user=None, kind="system")


def as_actor(actor: Any) -> Actor:
    return actor if isinstance(actor, Actor) else Actor.staff(actor)


# Who may fire each transition. "lead_liaison" means a liaison officer of the case's lead
# division; "applicant"/"system" are the non-staff actors.
LEAD_LIAISON = "lead_liaison"
CO_LIAISON = "co_liaison"
ASSIGNEE = "assignee"
OFFICE = tuple(sorted(OFFICE_ROLES))
ALLOWED: dict[str, tuple[str, ...]] = {
    T.RECEIVE: (*OFFICE, "applicant", "system"),
    T.CONFIRM_RECEIPT: OFFICE,
    T.REGISTER: OFFICE,
    T.REQUEST_CORRECTION: OFFICE,
    T.RECEIVE_CORRECTION: OFFICE,
    T.ASSIGN: OFFICE,
    T.CLAIM: (LEAD_LIAISON,),
    T.OPEN_CONSULTATION: (LEAD_LIAISON, Role.REVIEWER, Role.OFFICE_HEAD),
    T.CLOSE_CONSULTATION: (LEAD_LIAISON, Role.REVIEWER, Role.OFFICE_HEAD),
    # Art 33(2): an extension needs the consent of the head of the OGI office.
    T.EXTEND: (Role.OFFICE_HEAD,),
    T.NOTIFY_FEE: (LEAD_LIAISON, Role.REVIEWER, Role.OFFICE_HEAD),
    T.RECEIVE_FEE: OFFICE,
    T.PROPOSE: (LEAD_LIAISON,),
    T.RETURN_FOR_REVISION: (Role.REVIEWER, Role.OFFICE_HEAD),
    T.APPROVE: (Role.OFFICE_HEAD,),
    T.ISSUE_REPLY: OFFICE,
    T.REPLY_ON_THE_SPOT: OFFICE,
    T.RECORD_DELIVERY: OFFICE,
    T.ARCHIVE: OFFICE,
    T.WITHDRAW: (*OFFICE, "applicant"),
    T.ABANDON: (Role.REVIEWER, Role.OFFICE_HEAD, "system"),
    T.URGE: (Role.SUPERVISOR, Role.REVIEWER, Role.OFFICE_HEAD),
    T.RECORD_REMEDY: (Role.REVIEWER, Role.OFFICE_HEAD),
    T.RECOMPUTE: ("system",),
    T.GIVE_OPINION: (CO_LIAISON,),
    T.ISSUE_LETTER: (*OFFICE, "system"),
    T.UPDATE_APPLICANT: OFFICE,
    T.VOID_LETTER: (Role.REVIEWER, Role.OFFICE_HEAD),
    T.CHECK: (Role.REVIEWER, Role.OFFICE_HEAD),
    T.RELEASE: (ASSIGNEE, Role.REVIEWER, Role.OFFICE_HEAD),
    T.REASSIGN: (ASSIGNEE, Role.REVIEWER, Role.OFFICE_HEAD),
    T.TRANSFER: (Role.REVIEWER, Role.OFFICE_HEAD),
    T.REQUEST_EXTENSION: (LEAD_LIAISON,),
}

OPEN = sorted(OPEN_STATUSES)
CLOSED_WITH_DECISION = [CaseStatus.REPLIED, CaseStatus.ARCHIVED, CaseStatus.ABANDONED]


# --- field parsing helpers: each raises InvalidInput naming the field ------------------------


def _require_text(
    fields: Mapping[str, Any], name: str, label: str, *, max_length: int = 2000
) -> str:
    value = fields.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(_("Please fill in: %(label)s.") % {"label": label}, field=name)
    value = value.strip()
    if len(value) > max_length:
        raise InvalidInput(
            _("%(label)s is too long (at most %(n)d characters).")
            % {"label": label, "n": max_length},
            field=name,
        )
    return value


def _optional_text(fields: Mapping[str, Any], name: str, *, max_length: int = 2000) -> str:
    value = fields.get(name) or ""
    if not isinstance(value, str):
        raise InvalidInput(_("This field must be text."), field=name)
    if len(value) > max_length:
        raise InvalidInput(
            _("The text is too long (at most %(n)d characters).") % {"n": max_length}, field=name
        )
    return value.strip()


def _parse_date(
    fields: Mapping[str, Any], name: str, label: str, *, required: bool = True
) -> date | None:
    value = fields.get(name)
    if value in (None, ""):
        if required:
            raise InvalidInput(_("Please fill in: %(label)s.") % {"label": label}, field=name)
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(
            _("%(label)s is not a valid date (YYYY-MM-DD).") % {"label": label}, field=name
        ) from None


def _require_date(fields: Mapping[str, Any], name: str, label: str) -> date:
    value = _parse_date(fields, name, label, required=True)
    if value is None:  # _parse_date raised already; this keeps the type narrow
        raise InvalidInput(_("Please fill in: %(label)s.") % {"label": label}, field=name)
    return value


def _parse_choice(fields: Mapping[str, Any], name: str, label: str, choices: Iterable[str]) -> str:
    value = fields.get(name)
    if value in (None, ""):
        raise InvalidInput(_("Please choose: %(label)s.") % {"label": label}, field=name)
    if value not in set(choices):
        raise InvalidInput(
            _("%(label)s: unknown value %(value)s.") % {"label": label, "value": value}, field=name
        )
    return str(value)


def _parse_int(fields: Mapping[str, Any], name: str, label: str, *, low: int, high: int) -> int:
    value = fields.get(name)
    try:
        number = int(value)  # type: ignore[arg-type]
        if isinstance(value, float | bool) or str(number) != str(value).strip():
            raise ValueError
    except (TypeError, ValueError):
        raise InvalidInput(
            _("%(label)s must be a whole number.") % {"label": label}, field=name
        ) from None
    if not low <= number <= high:
        raise InvalidInput(
            _("%(label)s must be between %(low)d and %(high)d.")
            % {"label": label, "low": low, "high": high},
            field=name,
        )
    return number


def _parse_amount(fields: Mapping[str, Any], name: str, label: str) -> str:
    value = fields.get(name)
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            _("%(label)s must be an amount in yuan.") % {"label": label}, field=name
        ) from None
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidInput(_("%(label)s must be an amount in yuan.") % {"label": label}, field=name)
    return f"{amount:.2f}"


class CaseLifecycle:
    """The state machine of one case. `on` is the effective date of what happened in the world."""

    status = fsm.State(CaseStatus, default=NEW)

    def __init__(self, case: Case, *, actor: Any, now: datetime, on: date) -> None:
        self.case = case
        self.actor = as_actor(actor)
        self.now = now
        self.on = on
        self._payload: dict[str, Any] = {}
        self._kind = ""
        self._role = ""
        self._co_divisions: list[Division] | None = None
        self._applicant: Any = None
        self._events_cache: list[Event] | None = None
        # viewflow sets the target state before the transition body runs; keep the source.
        self.source_status = case.status
        self.event: Event | None = None

    # --- state storage ---------------------------------------------------------------------

    @status.getter()
    def _get_status(self) -> str:
        return self.case.status or NEW

    @status.setter()
    def _set_status(self, value: str) -> None:
        self.case.status = value

    @status.on_success()
    def _record(self, descriptor: Any, source: str, target: Any, **kwargs: Any) -> None:
        # The caller holds transaction.atomic() and the row lock; save, audit, recompute.
        self.case.save()
        if self._co_divisions is not None:
            self.case.co_divisions.set(self._co_divisions)
        if self._applicant is not None:
            self._applicant.save()
        last_seq = self.case.events.order_by("-seq").values_list("seq", flat=True).first() or 0
        self.event = Event.objects.create(
            case=self.case,
            seq=last_seq + 1,
            kind=self._kind,
            actor=self.actor.user,
            actor_name=self.actor.name,
            actor_role=self._role,
            on=self.on,
            entered_at=self.now,
            from_status=source or "",
            to_status=self.case.status,
            payload=self._payload,
        )
        case_clock_refresh(self.case)

    # --- permission ------------------------------------------------------------------------

    def acting_role(self, transition: str) -> str | None:
        """The role under which the actor may fire `transition`, or None if none applies."""
        allowed = ALLOWED[transition]
        if self.actor.kind != "staff":
            return (
                (APPLICANT_ROLE if self.actor.kind == "applicant" else SYSTEM_ROLE)
                if self.actor.kind in allowed
                else None
            )
        user = self.actor.user
        roles = user_roles(user)
        for role in allowed:
            if role == LEAD_LIAISON:
                if Role.LIAISON in roles and self.case.lead_division_id in user_division_ids(user):
                    return str(Role.LIAISON)
            elif role == ASSIGNEE:
                if self.case.assignee_id is not None and self.case.assignee_id == getattr(
                    user, "pk", None
                ):
                    return str(Role.LIAISON)
            elif role == CO_LIAISON:
                if Role.LIAISON in roles and self._co_division_of(user) is not None:
                    return str(Role.LIAISON)
            elif role in roles:
                return role
        return None

    def _co_division_of(self, user: Any) -> Division | None:
        """The first co-division of the case that the user works in."""
        if not self.case.pk:
            return None
        mine = user_division_ids(user)
        return next((d for d in self.case.co_divisions.all() if d.pk in mine), None)

    # --- transitions -----------------------------------------------------------------------
    # Each names its audit kind first, then validates its fields (raising InvalidInput before
    # anything changes), then applies the change. JSON-safe payloads only.

    def _begin(self, kind: str, payload: dict[str, Any] | None = None) -> None:
        self._kind = kind
        self._payload = payload or {}
        # The role is fixed before the body changes the case (release clears the assignee).
        self._role = self.acting_role(kind) or ""

    @status.transition(
        source=NEW,
        target=CaseStatus.RECEIVED,
        permission=lambda self, u: self.acting_role(T.RECEIVE) is not None,
    )
    def receive(self, **fields: Any) -> None:
        """Record a new application (the case row is filled in by services.case_receive)."""
        self._begin(
            T.RECEIVE,
            {
                "channel": self.case.channel,
                "arrived_at": self.case.arrived_at.isoformat(),
                "received_on": self.case.received_on.isoformat() if self.case.received_on else None,
                "number": self.case.number,
            },
        )

    def _needs_confirmation(self) -> bool:
        return self.case.received_on is None

    @status.transition(
        source=CaseStatus.RECEIVED,
        permission=lambda self, u: self.acting_role(T.CONFIRM_RECEIPT) is not None,
    )
    def confirm_receipt(self, **fields: Any) -> None:
        """Art 31(3)-(4): the confirmation date becomes the legal date of receipt."""
        self._begin(T.CONFIRM_RECEIPT)
        if (
            self.case.channel not in CHANNELS_NEEDING_CONFIRMATION
            or self.case.received_on is not None
        ):
            raise WrongState(_("The date of receipt of this application is already fixed."))
        method = _optional_text(fields, "method", max_length=200)
        self.case.received_on = self.on
        self._payload = {"received_on": self.on.isoformat(), "method": method}

    @status.transition(
        source=CaseStatus.RECEIVED,
        target=CaseStatus.REGISTERED,
        permission=lambda self, u: self.acting_role(T.REGISTER) is not None,
    )
    def register(self, **fields: Any) -> None:
        """Art 45: registration. Only once the legal date of receipt is known."""
        self._begin(T.REGISTER, {"note": _optional_text(fields, "note")})
        if self.case.received_on is None:
            raise WrongState(
                _("Confirm the receipt with the applicant before registering (Art 31).")
            )

    @status.transition(
        source=CaseStatus.REGISTERED,
        target=CaseStatus.CORRECTION,
        permission=lambda self, u: self.acting_role(T.REQUEST_CORRECTION) is not None,
    )
    def request_correction(self, **fields: Any) -> None:
        """Art 30: one notice listing everything to correct, with a reasonable deadline."""
        self._begin(T.REQUEST_CORRECTION)
        items = _require_text(fields, "items", _("items to correct"))
        deadline = _require_date(fields, "deadline_on", _("correction deadline"))
        if deadline <= self.on:
            raise InvalidInput(
                _("The correction deadline must be after the notice date."), field="deadline_on"
            )
        if any(e.kind == T.REQUEST_CORRECTION for e in self._events()):
            # Art 30 allows one notice that lists everything (一次性告知).
            raise WrongState(_("A correction can be requested only once (Art 30)."))
        self._payload = {"items": items, "deadline_on": deadline.isoformat()}

    @status.transition(
        source=CaseStatus.CORRECTION,
        target=CaseStatus.REGISTERED,
        permission=lambda self, u: self.acting_role(T.RECEIVE_CORRECTION) is not None,
    )
    def receive_correction(self, **fields: Any) -> None:
        """Art 30: the reply period runs again from the day the corrected application arrives."""
        self._begin(T.RECEIVE_CORRECTION, {"note": _optional_text(fields, "note")})

    @status.transition(
        source=CaseStatus.REGISTERED,
        target=CaseStatus.HANDLING,
        permission=lambda self, u: self.acting_role(T.ASSIGN) is not None,
    )
    def assign(self, **fields: Any) -> None:
        """Route the case to a lead division (主办) and optional co-divisions (协办)."""
        self._begin(T.ASSIGN)
        lead_id = fields.get("lead_division_id")
        co_ids = fields.get("co_division_ids") or []
        if not isinstance(co_ids, list | tuple):
            raise InvalidInput(_("Co-divisions must be a list."), field="co_division_ids")
        divisions = {
            d.pk: d
            for d in Division.objects.filter(
                organ_id=self.case.organ_id, is_active=True, pk__in=[lead_id, *co_ids]
            )
        }
        try:
            lead = divisions[int(lead_id)]  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError):
            raise InvalidInput(
                _("Choose an active lead division of this organ."), field="lead_division_id"
            ) from None
        co: list[Division] = []
        for raw in co_ids:
            try:
                division = divisions[int(raw)]
            except (KeyError, TypeError, ValueError):
                raise InvalidInput(_("Unknown co-division."), field="co_division_ids") from None
            if division.pk == lead.pk:
                raise InvalidInput(
                    _("The lead division cannot also be a co-division."), field="co_division_ids"
                )
            co.append(division)
        division_due = _parse_date(
            fields, "division_due_on", _("internal due date"), required=False
        )
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
        self._payload = {
            "lead_division_id": lead.pk,
            "lead_division": lead.name,
            "co_division_ids": [d.pk for d in co],
            "co_divisions": [d.name for d in co],
            "division_due_on": division_due.isoformat() if division_due else None,
        }

    @status.transition(
        source=CaseStatus.HANDLING,
        target=CaseStatus.INVESTIGATION,
        permission=lambda self, u: self.acting_role(T.CLAIM) is not None,
    )
    def claim(self, **fields: Any) -> None:
        """A liaison officer of the lead division takes the case from the division's queue."""
        self._begin(T.CLAIM)
        self.case.assignee = self.actor.user
        self._payload = {"assignee": self.actor.name}

    def _events(self) -> list[Event]:
        """The case's events before this transition, read once per transition."""
        if self._events_cache is None:
            self._events_cache = list(self.case.events.order_by("seq")) if self.case.pk else []
        return self._events_cache

    def open_consultations(self) -> dict[str, dict[str, Any]]:
        opened: dict[str, dict[str, Any]] = {}
        for event in self._events():
            if event.kind == T.OPEN_CONSULTATION:
                opened[event.payload["consultation_id"]] = event.payload
            elif event.kind == T.CLOSE_CONSULTATION:
                opened.pop(event.payload["consultation_id"], None)
        return opened

    @status.transition(
        source=[CaseStatus.INVESTIGATION, CaseStatus.REVIEW],
        permission=lambda self, u: self.acting_role(T.OPEN_CONSULTATION) is not None,
    )
    def open_consultation(self, **fields: Any) -> None:
        """Art 32 (third party) / Art 34 (other organ): written consultation; the time until the
        answer (at most the party's 15 working days) is not counted (Art 33(3))."""
        self._begin(T.OPEN_CONSULTATION)
        party = _parse_choice(fields, "party", _("consulted party"), ConsultationParty.values)
        party_name = _require_text(
            fields, "party_name", _("name of the consulted party"), max_length=200
        )
        matter = _optional_text(fields, "matter")
        self._payload = {
            "consultation_id": uuid.uuid4().hex[:8],
            "party": party,
            "party_name": party_name,
            "matter": matter,
        }

    @status.transition(
        source=[CaseStatus.INVESTIGATION, CaseStatus.REVIEW, CaseStatus.AWAITING_FEE],
        permission=lambda self, u: self.acting_role(T.CLOSE_CONSULTATION) is not None,
    )
    def close_consultation(self, **fields: Any) -> None:
        """Record the consulted party's answer (or its silence after 15 working days)."""
        self._begin(T.CLOSE_CONSULTATION)
        key = _require_text(fields, "consultation_id", _("consultation"), max_length=40)
        opened = self.open_consultations()
        if key not in opened:
            raise WrongState(_("There is no open consultation with this id."))
        sent_on = next(
            e.on
            for e in self._events()
            if e.kind == T.OPEN_CONSULTATION and e.payload["consultation_id"] == key
        )
        if self.on < sent_on:
            raise InvalidInput(
                _("The answer cannot arrive before the consultation was sent."), field="on"
            )
        opinion = _parse_choice(
            fields, "opinion", _("opinion"), ("agree", "object", "no_answer", "other")
        )
        self._payload = {
            "consultation_id": key,
            "party_name": opened[key]["party_name"],
            "opinion": opinion,
            "summary": _optional_text(fields, "summary"),
        }

    @status.transition(
        source=[CaseStatus.INVESTIGATION, CaseStatus.REVIEW],
        permission=lambda self, u: self.acting_role(T.EXTEND) is not None,
    )
    def extend(self, **fields: Any) -> None:
        """Art 33(2): once, at most 20 working days, approved by the head of the OGI office before
        the reply is due, with a notice to the applicant."""
        self._begin(T.EXTEND)
        days = _parse_int(fields, "days", _("extension days"), low=1, high=20)
        reason = _require_text(fields, "reason", _("reason for the extension"))
        if self.case.extension_days or any(e.kind == T.EXTEND for e in self._events()):
            raise WrongState(_("The reply period can be extended only once (Art 33)."))
        if self.case.reply_due_on is not None and self.on > self.case.reply_due_on:
            raise WrongState(
                _("The reply period has already run out; it can no longer be extended.")
            )
        self._payload = {"days": days, "reason": reason}

    @status.transition(
        source=CaseStatus.INVESTIGATION,
        target=CaseStatus.AWAITING_FEE,
        permission=lambda self, u: self.acting_role(T.NOTIFY_FEE) is not None,
    )
    def notify_fee(self, **fields: Any) -> None:
        """国办函〔2020〕109号: fee notice stating basis, rate and amount; the applicant pays within
        20 working days from the day after receiving it."""
        self._begin(T.NOTIFY_FEE)
        method = _parse_choice(fields, "method", _("charging method"), ("per_piece", "per_page"))
        quantity = _parse_int(fields, "quantity", _("quantity"), low=1, high=1_000_000)
        earlier = self._pieces_earlier_in_month() if method == "per_piece" else 0
        computed = fee_amount(method, quantity, earlier_in_month=earlier)
        amount = (
            _parse_amount(fields, "amount", _("amount"))
            if fields.get("amount") not in (None, "")
            else f"{computed:.2f}"
        )
        received = _parse_date(
            fields, "notice_received_on", _("date the notice was received"), required=False
        )
        if received is not None and received < self.on:
            raise InvalidInput(
                _("The notice cannot be received before it was sent."), field="notice_received_on"
            )
        self._payload = {
            "method": method,
            "quantity": quantity,
            "amount": amount,
            "computed_amount": f"{computed:.2f}",
            "earlier_in_month": earlier,
            "notice_received_on": (received or self.on).isoformat(),
        }

    def _pieces_earlier_in_month(self) -> int:
        """109号 Art 4: the applicant's applications received earlier in the same calendar month."""
        received = self.case.received_on
        if received is None:
            return 0
        applicant = self.case.applicant
        # The same applicant is the same identity document or credit code, not the same row
        # (every intake records the applicant afresh).
        if applicant.credit_code:
            same = models.Q(applicant__credit_code=applicant.credit_code)
        elif applicant.id_number:
            same = models.Q(
                applicant__id_type=applicant.id_type, applicant__id_number=applicant.id_number
            )
        else:
            same = models.Q(applicant_id=applicant.pk)
        return (
            Case.objects.filter(
                same, received_on__year=received.year, received_on__month=received.month
            )
            .filter(
                models.Q(received_on__lt=received)
                | models.Q(received_on=received, pk__lt=self.case.pk)
            )
            .count()
        )

    @status.transition(
        source=CaseStatus.AWAITING_FEE,
        target=CaseStatus.INVESTIGATION,
        permission=lambda self, u: self.acting_role(T.RECEIVE_FEE) is not None,
    )
    def receive_fee(self, **fields: Any) -> None:
        self._begin(T.RECEIVE_FEE)
        self._payload = {
            "amount": _parse_amount(fields, "amount", _("amount paid")),
            "receipt_number": _optional_text(fields, "receipt_number", max_length=100),
        }

    def _disposition_payload(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        disposition = _parse_choice(fields, "disposition", _("disposition"), Disposition.values)
        basis = _require_text(fields, "basis", _("legal basis"), max_length=200)
        reasons = _optional_text(fields, "reasons")
        withheld = _optional_text(fields, "withheld")
        if disposition == Disposition.PARTIAL and not withheld:
            # Art 37: the withheld part must be explained.
            raise InvalidInput(
                _("For partial disclosure, state what is withheld and why (Art 37)."),
                field="withheld",
            )
        if disposition.startswith(("refused.", "unable.", "not_processed.")) and not reasons:
            raise InvalidInput(_("State the reasons for this decision (Art 36)."), field="reasons")
        self.case.disposition = disposition
        self.case.disposition_basis = basis
        return {
            "disposition": disposition,
            "basis": basis,
            "reasons": reasons,
            "withheld": withheld,
            "searched": _optional_text(fields, "searched"),
            "found": _optional_text(fields, "found"),
            "files": _optional_text(fields, "files"),
        }

    @status.transition(
        source=CaseStatus.INVESTIGATION,
        target=CaseStatus.REVIEW,
        permission=lambda self, u: self.acting_role(T.PROPOSE) is not None,
    )
    def propose(self, **fields: Any) -> None:
        """The liaison officer proposes the decision with its legal basis (Art 36–39)."""
        self._begin(T.PROPOSE)
        if self.open_consultations():
            raise WrongState(_("Close the open consultations before proposing a decision."))
        self._payload = self._disposition_payload(fields)

    @status.transition(
        source=CaseStatus.REVIEW,
        target=CaseStatus.INVESTIGATION,
        permission=lambda self, u: self.acting_role(T.RETURN_FOR_REVISION) is not None,
    )
    def return_for_revision(self, **fields: Any) -> None:
        self._begin(
            T.RETURN_FOR_REVISION,
            {"reason": _require_text(fields, "reason", _("reason for returning"))},
        )

    @status.transition(
        source=CaseStatus.REVIEW,
        target=CaseStatus.APPROVED,
        permission=lambda self, u: self.acting_role(T.APPROVE) is not None,
    )
    def approve(self, **fields: Any) -> None:
        """Sign-off (审签) by the head of the OGI office."""
        self._begin(T.APPROVE, {"comment": _optional_text(fields, "comment")})

    @status.transition(
        source=CaseStatus.APPROVED,
        target=CaseStatus.REPLIED,
        permission=lambda self, u: self.acting_role(T.ISSUE_REPLY) is not None,
    )
    def issue_reply(self, **fields: Any) -> None:
        self._begin(
            T.ISSUE_REPLY,
            {
                "letter": _optional_text(fields, "letter", max_length=100),
                "sha256": _optional_text(fields, "sha256", max_length=64),
                "disposition": self.case.disposition,
            },
        )
        self.case.closed_on = self.on

    @status.transition(
        source=[CaseStatus.RECEIVED, CaseStatus.REGISTERED],
        target=CaseStatus.REPLIED,
        permission=lambda self, u: self.acting_role(T.REPLY_ON_THE_SPOT) is not None,
    )
    def reply_on_the_spot(self, **fields: Any) -> None:
        """Art 33(1): an application that can be answered at the counter is answered there."""
        self._begin(T.REPLY_ON_THE_SPOT)
        if self.case.channel not in CHANNELS_ON_THE_SPOT:
            raise WrongState(
                _("Only applications handed in at the counter can be answered on the spot.")
            )
        if self.case.received_on != self.on:
            raise WrongState(_("An on-the-spot reply is given on the day of receipt."))
        self._payload = self._disposition_payload(fields)
        self.case.closed_on = self.on

    @status.transition(
        source=[CaseStatus.REPLIED, CaseStatus.ARCHIVED],
        permission=lambda self, u: self.acting_role(T.RECORD_DELIVERY) is not None,
    )
    def record_delivery(self, **fields: Any) -> None:
        """国办公开办函〔2016〕235号: the delivery date is the signature date, or the day it is
        handed to the post office for postal delivery."""
        self._begin(T.RECORD_DELIVERY)
        method = _parse_choice(fields, "method", _("delivery method"), DeliveryMethod.values)
        self._payload = {
            "method": method,
            "tracking_number": _optional_text(fields, "tracking_number", max_length=100),
        }

    @status.transition(
        source=CaseStatus.REPLIED,
        target=CaseStatus.ARCHIVED,
        permission=lambda self, u: self.acting_role(T.ARCHIVE) is not None,
    )
    def archive(self, **fields: Any) -> None:
        self._begin(T.ARCHIVE, {"note": _optional_text(fields, "note")})

    @status.transition(
        source=OPEN,
        target=CaseStatus.WITHDRAWN,
        permission=lambda self, u: self.acting_role(T.WITHDRAW) is not None,
    )
    def withdraw(self, **fields: Any) -> None:
        self._begin(T.WITHDRAW, {"reason": _optional_text(fields, "reason")})
        self.case.closed_on = self.on

    @status.transition(
        source=[CaseStatus.CORRECTION, CaseStatus.AWAITING_FEE],
        target=CaseStatus.ABANDONED,
        permission=lambda self, u: self.acting_role(T.ABANDON) is not None,
    )
    def abandon(self, **fields: Any) -> None:
        """Art 30 (no correction in time) / 109号 (fee unpaid in time): deemed abandoned."""
        self._begin(T.ABANDON)
        if self.source_status == CaseStatus.CORRECTION:
            deadline, disposition = (
                self.case.correction_deadline_on,
                Disposition.OTHER_NO_CORRECTION,
            )
        else:
            deadline, disposition = self.case.fee_due_on, Disposition.OTHER_FEE_UNPAID
        if deadline is None or self.on <= deadline:
            raise WrongState(_("The applicant's deadline has not passed yet."))
        self.case.disposition = disposition
        self.case.closed_on = self.on
        self._payload = {
            "disposition": disposition,
            "deadline_on": deadline.isoformat(),
            "reason": _optional_text(fields, "reason"),
        }

    @status.transition(
        source=[CaseStatus.HANDLING, CaseStatus.INVESTIGATION, CaseStatus.AWAITING_FEE],
        permission=lambda self, u: self.acting_role(T.GIVE_OPINION) is not None,
    )
    def give_opinion(self, **fields: Any) -> None:
        """A co-division (协办) gives its opinion on the case; the opinions join before review."""
        self._begin(T.GIVE_OPINION)
        division = self._co_division_of(self.actor.user)
        if division is None:
            raise WrongState(_("Your division is not a co-division of this case."))
        given = {e.payload.get("division_id") for e in self._events() if e.kind == T.GIVE_OPINION}
        if division.pk in given:
            raise WrongState(_("Your division has already given its opinion."))
        self._payload = {
            "division_id": division.pk,
            "division": division.name,
            "opinion": _require_text(fields, "opinion", _("opinion")),
        }

    @status.transition(
        source=CaseStatus.REVIEW, permission=lambda self, u: self.acting_role(T.CHECK) is not None
    )
    def check(self, **fields: Any) -> None:
        """审核: the OGI office reviewer passes the proposed decision on to sign-off."""
        self._begin(T.CHECK, {"comment": _optional_text(fields, "comment")})

    @status.transition(
        source=CaseStatus.INVESTIGATION,
        target=CaseStatus.HANDLING,
        permission=lambda self, u: self.acting_role(T.RELEASE) is not None,
    )
    def release(self, **fields: Any) -> None:
        """The assignee gives the case back to the division's queue."""
        self._begin(
            T.RELEASE,
            {
                "previous": display_name(self.case.assignee) if self.case.assignee else "",
                "reason": _optional_text(fields, "reason"),
            },
        )
        self.case.assignee = None

    @status.transition(
        source=[CaseStatus.INVESTIGATION, CaseStatus.AWAITING_FEE, CaseStatus.REVIEW],
        permission=lambda self, u: self.acting_role(T.REASSIGN) is not None,
    )
    def reassign(self, **fields: Any) -> None:
        """Hand the case to another liaison officer of the same (lead) division."""
        from django.contrib.auth import get_user_model

        self._begin(T.REASSIGN)
        try:
            user = get_user_model().objects.get(pk=int(fields.get("assignee_id")), is_active=True)  # type: ignore[arg-type]
        except (TypeError, ValueError, get_user_model().DoesNotExist):
            raise InvalidInput(
                _("Choose a liaison officer of the lead division."), field="assignee_id"
            ) from None
        if Role.LIAISON not in user_roles(
            user
        ) or self.case.lead_division_id not in user_division_ids(user):
            raise InvalidInput(
                _("Choose a liaison officer of the lead division."), field="assignee_id"
            )
        if user.pk == self.case.assignee_id:
            raise InvalidInput(
                _("The case is already assigned to this officer."), field="assignee_id"
            )
        self._payload = {
            "previous": display_name(self.case.assignee) if self.case.assignee else "",
            "assignee_id": user.pk,
            "assignee": display_name(user),
            "reason": _optional_text(fields, "reason"),
        }
        self.case.assignee = user

    @status.transition(
        source=[CaseStatus.HANDLING, CaseStatus.INVESTIGATION],
        target=CaseStatus.HANDLING,
        permission=lambda self, u: self.acting_role(T.TRANSFER) is not None,
    )
    def transfer(self, **fields: Any) -> None:
        """The office moves the case to another lead division, with a reason."""
        self._begin(T.TRANSFER)
        reason = _require_text(fields, "reason", _("reason for the transfer"))
        try:
            division = Division.objects.get(
                pk=int(fields.get("lead_division_id")),  # type: ignore[arg-type]
                organ_id=self.case.organ_id,
                is_active=True,
            )
        except (TypeError, ValueError, Division.DoesNotExist):
            raise InvalidInput(
                _("Choose an active lead division of this organ."), field="lead_division_id"
            ) from None
        if division.pk == self.case.lead_division_id:
            raise InvalidInput(
                _("The case is already with this division."), field="lead_division_id"
            )
        self._payload = {
            "from_division": self.case.lead_division.name if self.case.lead_division else "",
            "lead_division_id": division.pk,
            "lead_division": division.name,
            "reason": reason,
        }
        self.case.lead_division = division
        self.case.assignee = None

    @status.transition(
        source=[CaseStatus.INVESTIGATION, CaseStatus.REVIEW],
        permission=lambda self, u: self.acting_role(T.REQUEST_EXTENSION) is not None,
    )
    def request_extension(self, **fields: Any) -> None:
        """The liaison officer asks the head of the OGI office to extend (Art 33(2))."""
        self._begin(T.REQUEST_EXTENSION)
        if self.case.extension_days:
            raise WrongState(_("The reply period can be extended only once (Art 33)."))
        self._payload = {
            "days": _parse_int(fields, "days", _("extension days"), low=1, high=20),
            "reason": _require_text(fields, "reason", _("reason for the extension")),
        }

    @status.transition(
        source=OPEN, permission=lambda self, u: self.acting_role(T.UPDATE_APPLICANT) is not None
    )
    def update_applicant(self, **fields: Any) -> None:
        """Complete or correct the applicant's details (e.g. after confirming an e-mailed
        application with the applicant, Art 31); the event keeps what changed (ID masked)."""
        from django.core.exceptions import ValidationError

        from casework.errors import invalid_from_validation_error
        from casework.validators import mask_id_number

        self._begin(T.UPDATE_APPLICANT)
        applicant = self.case.applicant
        keys = [
            "category",
            "name",
            "id_type",
            "id_number",
            "credit_code",
            "contact_person",
            "phone",
            "email",
            "address",
            "postal_code",
        ]
        before = {k: getattr(applicant, k) for k in keys}
        for key in keys:
            if key in fields:
                setattr(applicant, key, str(fields[key] or "").strip())
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
        self._payload = {"changes": changes, "completed": was_incomplete}

    @status.transition(
        source=[*OPEN, *CLOSED_WITH_DECISION],
        permission=lambda self, u: self.acting_role(T.ISSUE_LETTER) is not None,
    )
    def issue_letter(self, **fields: Any) -> None:
        """A notice (receipt, correction, extension, consultation, fee) was issued; the letters
        app numbers, renders and stores it in the same transaction."""
        self._begin(
            T.ISSUE_LETTER,
            {
                "kind": _require_text(fields, "kind", _("letter kind"), max_length=60),
                "letter": _require_text(fields, "letter", _("document number"), max_length=60),
                "title": _optional_text(fields, "title", max_length=100),
                "sha256": _optional_text(fields, "sha256", max_length=64),
            },
        )

    @status.transition(
        source=[*OPEN, *CLOSED_WITH_DECISION, CaseStatus.WITHDRAWN],
        permission=lambda self, u: self.acting_role(T.VOID_LETTER) is not None,
    )
    def void_letter(self, **fields: Any) -> None:
        """An issued letter is voided (a corrected one is issued next)."""
        self._begin(
            T.VOID_LETTER,
            {
                "letter": _require_text(fields, "letter", _("document number"), max_length=60),
                "reason": _require_text(fields, "reason", _("reason"), max_length=300),
            },
        )

    @status.transition(source=OPEN, permission=lambda self, u: self.acting_role(T.URGE) is not None)
    def urge(self, **fields: Any) -> None:
        """催办: the supervising office presses the division on a case."""
        self._begin(T.URGE, {"message": _require_text(fields, "message", _("message"))})

    @status.transition(
        source=CLOSED_WITH_DECISION,
        permission=lambda self, u: self.acting_role(T.RECORD_REMEDY) is not None,
    )
    def record_remedy(self, **fields: Any) -> None:
        """Reconsideration or litigation about the decision, for annual-report table 四."""
        self._begin(T.RECORD_REMEDY)
        kind = _parse_choice(fields, "remedy", _("remedy"), RemedyKind.values)
        outcome = _parse_choice(fields, "outcome", _("outcome"), RemedyOutcome.values)
        filed_on = _require_date(fields, "filed_on", _("filing date"))
        decided_on = _parse_date(
            fields, "decided_on", _("decision date"), required=outcome != RemedyOutcome.PENDING
        )
        if decided_on is not None and decided_on < filed_on:
            raise InvalidInput(
                _("The decision date cannot be before the filing date."), field="decided_on"
            )
        self._payload = {
            "remedy": kind,
            "outcome": outcome,
            "filed_on": filed_on.isoformat(),
            "decided_on": decided_on.isoformat() if decided_on else None,
            "body": _optional_text(fields, "body", max_length=200),
        }


def working_days_before(day: date, n: int, *, on_or_after: date) -> date:
    """The n-th working day before `day`, but not before `on_or_after`."""
    calendar = working_calendar_with_fingerprint()[0]
    number = calendar.working_day_number(day) - n
    earlier = calendar.working_day_by_number(number) if number >= 1 else on_or_after
    return max(earlier, on_or_after)


# The stored clock fields of a case, in the order of clock_values().
CLOCK_FIELDS = (
    "clock_started_on",
    "reply_due_on",
    "correction_notice_due_on",
    "correction_deadline_on",
    "fee_due_on",
    "extension_days",
    "dates_provisional",
)


def case_clock_refresh(case: Case) -> None:
    """Recompute the case's stored due dates from its events and the calendar.

    Called after every event; the lifecycle is the only writer of these fields.
    """
    events = [
        ClockEvent(kind=kind, on=on, payload=payload)
        for kind, on, payload in case.events.order_by("seq").values_list("kind", "on", "payload")
    ]
    calendar, _fingerprint = working_calendar_with_fingerprint()
    result = compute_clock(events, calendar, fee_pauses_clock=settings.FEE_PAUSES_CLOCK)
    changed = clock_fields_apply(case, result)
    if changed:
        case.save(update_fields=[*changed, "updated_at"])


def clock_fields_apply(case: Case, result: ClockResult) -> list[str]:
    """Copy a ClockResult onto the case's stored fields; return the names that changed."""
    values = dict(zip(CLOCK_FIELDS, clock_values(result), strict=True))
    changed = [name for name, value in values.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, values[name])
    return changed


TRANSITION_NAMES: tuple[str, ...] = tuple(T.values)


def transition_method(lifecycle: CaseLifecycle, name: str) -> Any:
    """The bound transition called `name` (one of DESIGN §3's names)."""
    if name not in TRANSITION_NAMES:
        raise InvalidInput(_("Unknown transition: %(name)s.") % {"name": name})
    return getattr(lifecycle, name)


@dataclass
class RecomputeReport:
    checked: int = 0
    changed: int = 0
    changes: list[tuple[str, dict[str, list[Any]]]] | None = None


def cases_recompute_clocks(
    *,
    now: datetime,
    force: bool = False,
    batch_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
    keep_changes: int = 50,
) -> RecomputeReport:
    """Recompute the stored time limits of every open case after a calendar change.

    The bulk path of the lifecycle: per batch, one transaction with the case rows locked; a
    case whose dates move is updated and gets a `recompute` event (system actor, old and new
    values) in the same transaction. Without `force`, nothing is done when the last finished
    run used the current calendar (one query), so a second run changes nothing.
    """
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from casework.choices import SYSTEM_ROLE
    from casework.clock import CLOCK_EVENT_KINDS
    from casework.models import ClockRecompute
    from casework.selectors import working_calendar_forget

    working_calendar_forget()  # never recompute with a cached calendar
    calendar, fingerprint = working_calendar_with_fingerprint()
    report = RecomputeReport(changes=[])
    last = (
        ClockRecompute.objects.filter(finished_at__isnull=False)
        .order_by("-started_at")
        .values_list("fingerprint", flat=True)
        .first()
    )
    if not force and last == fingerprint:
        return report
    run = ClockRecompute.objects.create(started_at=now, fingerprint=fingerprint, forced=force)
    ids = list(
        Case.objects.filter(status__in=OPEN_STATUSES).order_by("pk").values_list("pk", flat=True)
    )
    today = timezone.localdate(now)
    table = Case._meta.db_table
    update_sql = (
        f"UPDATE {connection.ops.quote_name(table)} SET "  # noqa: S608 - names from our own model
        + ", ".join(f"{connection.ops.quote_name(f)} = %s" for f in (*CLOCK_FIELDS, "updated_at"))
        + " WHERE id = %s"
    )
    clock_kinds = sorted(CLOCK_EVENT_KINDS)
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        with transaction.atomic():
            stored = {
                row[0]: row
                for row in Case.objects.select_for_update()
                .filter(pk__in=chunk, status__in=OPEN_STATUSES)
                .values_list("pk", "number", "status", *CLOCK_FIELDS)
            }
            events: dict[int, list[ClockEvent]] = {pk: [] for pk in stored}
            for case_id, kind, on, payload in (
                Event.objects.filter(case_id__in=list(stored), kind__in=clock_kinds)
                .order_by("case_id", "seq")
                .values_list("case_id", "kind", "on", "payload")
            ):
                events[case_id].append(ClockEvent(kind=kind, on=on, payload=payload))
            updates: list[tuple[Any, ...]] = []
            diffs: dict[int, dict[str, list[Any]]] = {}
            for pk, row in stored.items():
                result = compute_clock(
                    events[pk], calendar, fee_pauses_clock=settings.FEE_PAUSES_CLOCK
                )
                new = clock_values(result)
                old = row[3:]
                if new == old:
                    continue
                diffs[pk] = {
                    name: [_json(o), _json(n)]
                    for name, o, n in zip(CLOCK_FIELDS, old, new, strict=True)
                    if o != n
                }
                updates.append((*new, now, pk))
            if updates:
                with connection.cursor() as cursor:
                    cursor.executemany(update_sql, updates)
                last_seq = dict(
                    Event.objects.filter(case_id__in=list(diffs))
                    .values("case_id")
                    .annotate(m=Max("seq"))
                    .values_list("case_id", "m")
                )
                Event.objects.bulk_create(
                    [
                        Event(
                            case_id=pk,
                            seq=last_seq.get(pk, 0) + 1,
                            kind=T.RECOMPUTE,
                            actor=None,
                            actor_name=SYSTEM_ROLE,
                            actor_role=SYSTEM_ROLE,
                            on=today,
                            entered_at=now,
                            from_status=stored[pk][2],
                            to_status=stored[pk][2],
                            payload={"changes": diff},
                        )
                        for pk, diff in diffs.items()
                    ],
                    batch_size=1000,
                )
                if report.changes is not None:
                    room = keep_changes - len(report.changes)
                    report.changes.extend(
                        (stored[pk][1], diff) for pk, diff in list(diffs.items())[: max(room, 0)]
                    )
        report.checked += len(chunk)
        report.changed += len(updates)
        if progress is not None:
            progress(report.checked, len(ids))
    if progress is not None and not ids:
        progress(0, 0)
    run.finished_at = timezone.now()
    run.checked, run.changed = report.checked, report.changed
    run.save(update_fields=["finished_at", "checked", "changed"])
    return report


def clock_values(result: ClockResult) -> tuple[Any, ...]:
    return (
        result.started_on,
        result.reply_due_on,
        result.correction_notice_due_on,
        result.correction_deadline_on,
        result.fee_due_on,
        result.extension_days,
        result.provisional,
    )


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


NOT_OFFERED = frozenset({T.RECEIVE, T.RECOMPUTE, T.ISSUE_LETTER, T.VOID_LETTER, T.ISSUE_REPLY})


def available_transitions(case: Case, user: Any, *, now: datetime) -> list[str]:
    """The transitions `user` may fire on `case` in its current state (for the case page)."""
    from django.utils import timezone

    lifecycle = CaseLifecycle(case, actor=user, now=now, on=timezone.localdate(now))
    return [
        name
        for name in TRANSITION_NAMES
        if name not in NOT_OFFERED
        and lifecycle.acting_role(name) is not None
        and getattr(lifecycle, name).can_proceed()
    ]
