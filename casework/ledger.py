"""The event ledger: the one way an audit Event is written (DESIGN §3).

The lifecycle appends one event per transition; the bulk recompute appends many in one
statement. Both number events per case with `seq` (unique per case), under the case's row
lock held by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Max

from casework.models import Case, Event


@dataclass(frozen=True)
class EventRow:
    """One event to append to the ledger of case `case_id`."""

    case_id: int
    kind: str
    actor_user: Any | None
    actor_name: str
    actor_role: str
    on: date
    entered_at: datetime
    from_status: str
    to_status: str
    payload: dict[str, Any]


def _event(row: EventRow, seq: int) -> Event:
    return Event(
        case_id=row.case_id,
        seq=seq,
        kind=row.kind,
        actor=row.actor_user,
        actor_name=row.actor_name,
        actor_role=row.actor_role,
        on=row.on,
        entered_at=row.entered_at,
        from_status=row.from_status,
        to_status=row.to_status,
        payload=row.payload,
    )


def event_append(case: Case, **fields: Any) -> Event:
    """Append one event to the case's ledger (the caller holds the case's row lock)."""
    last = case.events.order_by("-seq").values_list("seq", flat=True).first() or 0
    event = _event(EventRow(case_id=case.pk, **fields), last + 1)
    event.save()
    return event


def events_append_bulk(rows: list[EventRow], *, batch_size: int = 1000) -> None:
    """Append many events (at most one per case) in one statement per batch; the caller holds
    the row locks of their cases."""
    if not rows:
        return
    last = dict(
        Event.objects.filter(case_id__in=[r.case_id for r in rows])
        .values("case_id")
        .annotate(m=Max("seq"))
        .values_list("case_id", "m")
    )
    Event.objects.bulk_create(
        [_event(r, last.get(r.case_id, 0) + 1) for r in rows], batch_size=batch_size
    )
