"""Writes. Every change to a case goes through a function here: one transaction, the case
row locked, the actor's permission checked, one lifecycle transition, one audit event.

Only this module reads the wall clock (`timezone.now()`), once per call, unless the caller
passes `now` (tests, imports, scheduled work).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from viewflow.fsm import TransitionNotAllowed

from casework.choices import CaseStatus, Role
from casework.choices import Transition as T
from casework.errors import (
    InvalidInput,
    NotPermitted,
    NotVisible,
    WrongState,
    invalid_from_validation_error,
)
from casework.lifecycle import TRANSITIONS, CaseLifecycle
from casework.lifecycle.actors import ActorLike, Staff, display_name
from casework.models import (
    NOTE_MAX_LENGTH,
    Agent,
    Applicant,
    Case,
    CaseNote,
    CaseNumberCounter,
    Division,
    Organ,
)
from casework.notifications import notify_template
from casework.permissions import division_members
from casework.receipt import legal_receipt_date, validate_confirmation_date
from casework.selectors import case_get_for_user, case_note_divisions, case_note_users

Mentioned = TypeVar("Mentioned")


def _now(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def _full_clean(instance: Model, *, prefix: str = "") -> None:
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
    actor: ActorLike,
    channel: str,
    arrived_at: datetime,
    applicant: Mapping[str, object] | Applicant,
    request: Mapping[str, str],
    agent: Mapping[str, object] | None = None,
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
    actor: ActorLike,
    on: date | None = None,
    fields: Mapping[str, object] | None = None,
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


# --- case notes --------------------------------------------------------------------------------


def _mentioned_in_text(text: str, candidates: Mapping[str, Mentioned]) -> list[Mentioned]:
    """`@name` in the text, for each candidate name (longest first, so "@安置处二科" is not
    also "@安置处"); an @ inside a word (an e-mail address) mentions nobody."""

    found: list[Mentioned] = []
    rest = text
    for name in sorted(candidates, key=len, reverse=True):
        if not name:
            continue
        pattern = re.compile(r"(?:^|(?<=[\s，。、；：（(]))@" + re.escape(name))
        if pattern.search(rest):
            found.append(candidates[name])
            rest = pattern.sub(" ", rest)
    return found


@transaction.atomic
def case_note_add(
    *,
    number: str,
    actor: Staff,
    text: str,
    user_ids: Iterable[int | str] = (),
    division_ids: Iterable[int | str] = (),
    now: datetime | None = None,
) -> CaseNote:
    """Add an internal note (案件备注) to a case the actor can see, with its mentions.

    Mentions are picked from the lists (`user_ids`, `division_ids`) or written `@用户名` /
    `@处室名` in the text; only people and divisions that can see the case may be mentioned.
    Each mentioned user, and each liaison officer of a mentioned division, gets one e-mail
    (queued here, sent by the worker after commit) and sees the note on the workbench.
    Notes change no status, so they are no event of the ledger: they are their own
    append-only records (casework.models.CaseNote).
    """

    case = case_get_for_user(user=actor, number=number)  # NotVisible: missing or forbidden
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Write the note."), field="text")
    if len(text) > NOTE_MAX_LENGTH:
        raise InvalidInput(
            _("A note has at most %(n)d characters.") % {"n": NOTE_MAX_LENGTH}, field="text"
        )
    allowed_users = {u.pk: u for u in case_note_users(case)}
    allowed_divisions = {d.pk: d for d in case_note_divisions(case)}
    try:
        wanted_users = {int(pk) for pk in user_ids or ()}
        wanted_divisions = {int(pk) for pk in division_ids or ()}
    except (TypeError, ValueError):
        raise InvalidInput(_("Choose from the list."), field="mentioned_users") from None
    if wanted_users - allowed_users.keys():
        raise InvalidInput(
            _("Only people who can see this case can be mentioned."), field="mentioned_users"
        )
    if wanted_divisions - allowed_divisions.keys():
        raise InvalidInput(
            _("Only the divisions handling this case can be mentioned."),
            field="mentioned_divisions",
        )
    users = {pk: allowed_users[pk] for pk in wanted_users}
    divisions = {pk: allowed_divisions[pk] for pk in wanted_divisions}
    names: dict[str, Staff | Division] = {}
    for user in allowed_users.values():
        names[user.get_username()] = user
        names.setdefault(display_name(user), user)
    for division in allowed_divisions.values():
        names[division.name] = division
    for item in _mentioned_in_text(text, names):
        if isinstance(item, Division):
            divisions[item.pk] = item
        else:
            users[item.pk] = item
    note = CaseNote.objects.create(case=case, author=actor, text=text, created_at=_now(now))
    note.mentioned_users.set(users.values())
    note.mentioned_divisions.set(divisions.values())
    recipients = {u.pk: u for u in users.values()}
    for division in divisions.values():
        for member in division_members(division).filter(groups__name=Role.LIAISON):
            recipients[member.pk] = member
    recipients.pop(actor.pk, None)
    notify_template(
        key=f"note:{note.pk}",
        to=[u.email for u in recipients.values() if u.email],
        case=case,
        template="case_note",
        context={"note": note, "author": display_name(actor)},
    )
    return note
