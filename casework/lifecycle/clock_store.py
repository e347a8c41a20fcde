"""The case's stored time limits: recomputed from its events and the calendar after every
event (the lifecycle is the only writer of these fields)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple, TypeAlias

from django.conf import settings

from casework.clock import ClockEvent, ClockResult, compute_clock
from casework.models import Case, Event
from casework.selectors import working_calendar_with_fingerprint

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


class ClockValues(NamedTuple):
    """The stored clock fields of a case, in the order of CLOCK_FIELDS."""

    clock_started_on: date | None
    reply_due_on: date | None
    correction_notice_due_on: date | None
    correction_deadline_on: date | None
    fee_due_on: date | None
    extension_days: int
    dates_provisional: bool


StoredValue: TypeAlias = str | int | None
"""A clock field's value as an event records it (a date as ISO text, a flag as a bool)."""

FieldChanges: TypeAlias = dict[str, list[StoredValue]]
"""What an event records of the stored fields it moves: {field: [old, new]}."""


def clock_values(result: ClockResult) -> ClockValues:
    return ClockValues(
        result.started_on,
        result.reply_due_on,
        result.correction_notice_due_on,
        result.correction_deadline_on,
        result.fee_due_on,
        result.extension_days,
        result.provisional,
    )


def clock_fields_apply(case: Case, result: ClockResult) -> list[str]:
    """Copy a ClockResult onto the case's stored fields; return the names that changed."""
    values = dict(zip(CLOCK_FIELDS, clock_values(result), strict=True))
    changed = [name for name, value in values.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, values[name])
    return changed


def _json(value: date | int | None) -> StoredValue:
    return value.isoformat() if isinstance(value, date) else value


def case_clock_with(
    case: Case, new: ClockEvent, *, ledger: Iterable[Event]
) -> tuple[ClockResult, FieldChanges]:
    """The clock replayed over the whole ledger (the case's events so far, which the
    lifecycle has already read) plus the event about to be written, and what it changes on
    the case's stored fields ({field: [old, new]}), before anything is saved."""
    events = [ClockEvent(kind=e.kind, on=e.on, payload=e.payload) for e in ledger]
    events.append(new)
    calendar, _fingerprint = working_calendar_with_fingerprint()
    result = compute_clock(events, calendar, fee_pauses_clock=settings.FEE_PAUSES_CLOCK)
    values = dict(zip(CLOCK_FIELDS, clock_values(result), strict=True))
    changes = {
        name: [_json(getattr(case, name)), _json(v)]
        for name, v in values.items()
        if getattr(case, name) != v
    }
    return result, changes


def case_clock_refresh(case: Case) -> None:
    """Recompute the case's stored due dates from its whole ledger and the calendar."""
    events = [
        ClockEvent(kind=kind, on=on, payload=payload)
        for kind, on, payload in case.events.order_by("seq").values_list("kind", "on", "payload")
    ]
    calendar, _fingerprint = working_calendar_with_fingerprint()
    result = compute_clock(events, calendar, fee_pauses_clock=settings.FEE_PAUSES_CLOCK)
    changed = clock_fields_apply(case, result)
    if changed:
        case.save(update_fields=[*changed, "updated_at"])


def internal_dues_follow(case: Case, transition: str, *, on: date) -> FieldChanges:
    """Art 30: a correction restarts the reply period, so the division's internal due date is
    set again from the restarted reply due date (DIVISION_DUE_WORKING_DAYS_BEFORE working days
    before it, never before the day the correction arrived); it never stays behind at its old
    value. Returns the change ({field: [old, new]}) for the event, after the clock fields of
    the case were updated."""
    if transition != "receive_correction" or not case.division_due_on or not case.reply_due_on:
        return {}
    new = working_days_before(
        case.reply_due_on, settings.DIVISION_DUE_WORKING_DAYS_BEFORE, on_or_after=on
    )
    old = case.division_due_on
    if new == old:
        return {}
    case.division_due_on = new
    return {"division_due_on": [_json(old), _json(new)]}


def working_days_before(day: date, n: int, *, on_or_after: date) -> date:
    """The n-th working day before `day`, but not before `on_or_after`."""
    calendar = working_calendar_with_fingerprint()[0]
    number = calendar.working_day_number(day) - n
    earlier = calendar.working_day_by_number(number) if number >= 1 else on_or_after
    return max(earlier, on_or_after)
