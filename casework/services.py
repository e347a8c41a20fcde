"""Writes. Every change to a case goes through a function here: one transaction, the case
row locked, the actor's permission checked, one lifecycle transition, one audit event.

Only this module reads the wall clock (`timezone.now()`), once per call, unless the caller
passes `now` (tests, imports, scheduled work).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from viewflow.fsm import TransitionNotAllowed

from casework.choices import CaseStatus
from casework.choices import Transition as T
from casework.errors import (
    InvalidInput,
    NotPermitted,
    NotVisible,
    WrongState,
    invalid_from_validation_error,
)
from casework.lifecycle import TRANSITIONS, CaseLifecycle
from casework.models import Agent, Applicant, Case, CaseNumberCounter, Organ
from casework.receipt import legal_receipt_date, validate_confirmation_date


def _now(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def _full_clean(instance: Any, *, prefix: str = "") -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        error = invalid_from_validation_error(exc)
        if prefix:
            error.errors = {f"{prefix}{k}": v for k, v in error.errors.items()}
            error.field = f"{prefix}{error.field}" if error.field else None
        raise error from None


def _next_case_number(organ: Organ, year: int) -> str:
    """Advance the organ's counter for the year under a row lock; gap-free because the
    counter and the case commit or roll back together."""
    try:
        with transaction.atomic():
            CaseNumberCounter.objects.get_or_create(organ=organ, year=year)
    except IntegrityError:
        pass  # another transaction created the row first; lock it below
    counter = CaseNumberCounter.objects.select_for_update().get(organ=organ, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return str(settings.CASE_NUMBER_FORMAT.format(year=year, seq=counter.last))


def first_open_day(today: date) -> date:
    """The first arrival date that may still be recorded: 1 January of the previous year.

    A year is closed (已结年度) once the year after it has ended: its applications were counted
    in the annual report due by 31 January of the next year (Art 49), and a case numbered in it
    now would change a published report. The previous year stays open for the late letter
    found after New Year. No setting: back-dating further is refused everywhere (the API, the
    intake form, the mail import), because the arrival date fixes the case year and number.
    """
    return date(today.year - 1, 1, 1)


@transaction.atomic
def case_receive(
    *,
    organ: Organ,
    actor: Any,
    channel: str,
    arrived_at: datetime,
    applicant: Mapping[str, Any] | Applicant,
    request: Mapping[str, Any],
    agent: Mapping[str, Any] | None = None,
    signed_on: date | None = None,
    now: datetime | None = None,
    submission_token: str | None = None,
    source_message_id: str | None = None,
    query_code_digest: str = "",
    applicant_incomplete: bool = False,
) -> Case:
    """Record a new application as received, with its legal date of receipt (Art 31).

    In person, oral and registered post fix `received_on` at once; ordinary letters, online,
    e-mail and fax wait in `received` until `confirm_receipt`. Assigns the next case number
    in the same transaction. Writes the `receive` event.
    """
    now = _now(now)
    today = timezone.localdate(now)
    if timezone.is_naive(arrived_at):
        raise InvalidInput(_("The arrival time needs a time zone."), field="arrived_at")
    arrived_on = timezone.localdate(arrived_at)
    received_on = legal_receipt_date(
        channel=channel, arrived_on=arrived_on, today=today, signed_on=signed_on
    )
    closed_before = first_open_day(today)
    if arrived_on < closed_before:
        raise InvalidInput(
            _(
                "The arrival date %(date)s falls in a closed year: applications that arrived "
                "before %(start)s cannot be recorded now."
            )
            % {"date": arrived_on.isoformat(), "start": closed_before.isoformat()},
            field="arrived_at",
        )

    if isinstance(applicant, Applicant):
        applicant_obj = applicant
    else:
        applicant_obj = Applicant(**dict(applicant), incomplete=applicant_incomplete)
        if applicant_incomplete:
            applicant_obj.save()  # a mailbox import: the office completes the details on confirmation
        else:
            _full_clean(applicant_obj, prefix="applicant.")
            applicant_obj.save()
    agent_obj = None
    if agent:
        agent_obj = Agent(**dict(agent))
        _full_clean(agent_obj, prefix="agent.")
        agent_obj.save()

    case = Case(
        organ=organ,
        year=arrived_on.year,
        number="",
        channel=channel,
        arrived_at=arrived_at,
        received_on=received_on,
        applicant=applicant_obj,
        agent=agent_obj,
        subject=str(request.get("subject", "")).strip(),
        description=str(request.get("description", "")).strip(),
        provision_form=request.get("provision_form", ""),
        delivery_method=request.get("delivery_method", ""),
        submission_token=submission_token,
        source_message_id=source_message_id,
        query_code_digest=query_code_digest,
    )
    if not case.subject:
        raise InvalidInput(_("Describe the information requested (Art 29(2))."), field="subject")
    lifecycle = CaseLifecycle(case, actor=actor, now=now, on=received_on or arrived_on)
    if lifecycle.acting_role(T.RECEIVE) is None:
        raise NotPermitted(_("You are not allowed to record applications."))
    case.number = _next_case_number(organ, case.year)
    case.status = CaseStatus.RECEIVED  # validated below, then handed back to the lifecycle
    if applicant_incomplete:
        # Imported mail: only the case's own fields are checked; the request may be free text.
        case.provision_form = case.provision_form or "electronic"
        case.delivery_method = case.delivery_method or "email"
    _full_clean(case)
    case.status = ""
    lifecycle.receive()
    return case


@transaction.atomic
def case_transition(
    *,
    number: str,
    organ: Organ | None = None,
    name: str,
    actor: Any,
    on: date | None = None,
    fields: Mapping[str, Any] | None = None,
    now: datetime | None = None,
    internal: bool = False,
) -> Case:
    """Fire the lifecycle transition `name` (DESIGN §3) on the case `number`.

    Only the transitions the table offers can be fired by name; the others (receipt, letter
    events) only by the services that own them (`internal=True`). A name that is not offered
    answers NotVisible (404), as an unknown page would.

    Locks the case row, checks the actor's role and division, validates the effective date
    `on` (not in the future, not before the case's previous event) and the transition's own
    fields, then applies it and writes exactly one event. Raises NotVisible, NotPermitted,
    WrongState or InvalidInput with a Chinese message; on any error nothing is written.
    """
    spec = TRANSITIONS.get(name)
    if spec is None or not (spec.offered or internal):
        raise NotVisible(_("There is no such action: %(name)s.") % {"name": name[:60]})
    now = _now(now)
    today = timezone.localdate(now)
    on = on or today
    qs = Case.objects.select_for_update()
    if organ is not None:
        qs = qs.filter(organ=organ)
    try:
        case = qs.get(number=number)
    except Case.DoesNotExist:
        raise NotVisible(_("No such case.")) from None
    except Case.MultipleObjectsReturned:
        raise InvalidInput(_("Name the organ of the case.")) from None

    lifecycle = CaseLifecycle(case, actor=actor, now=now, on=on)
    method = getattr(lifecycle, name)
    if lifecycle.acting_role(name) is None:
        raise NotPermitted(_("Your role does not allow this action on this case."))
    if not method.can_proceed():
        raise WrongState(
            _("This action is not possible while the case is “%(status)s”.")
            % {"status": CaseStatus(case.status).label}
        )
    if on > today:
        raise InvalidInput(_("The effective date cannot be in the future."), field="on")
    # The order the law gives (before receipt, before the step it answers …) is the
    # lifecycle's check; unrelated later events (an urge, a letter) never block a true date.
    if name == T.CONFIRM_RECEIPT:
        validate_confirmation_date(
            confirmed_on=on, arrived_on=timezone.localdate(case.arrived_at), today=today
        )
    try:
        method(**dict(fields or {}))
    except TransitionNotAllowed:
        raise WrongState(_("This action is not possible in the case's current state.")) from None
    return case
