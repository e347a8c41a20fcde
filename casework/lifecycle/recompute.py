"""The bulk path of the lifecycle: recompute the stored time limits of every open case after
the calendar changed (a year loaded, a day corrected)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TypedDict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from casework.case_counts import (
    COUNTED_FIELDS,
    CountedCase,
    counts_apply,
    counts_rebuild,
)
from casework.choices import OPEN_STATUSES, SYSTEM_ROLE
from casework.choices import Transition as T
from casework.clock import CLOCK_EVENT_KINDS, ClockEvent, compute_clock
from casework.ledger import EventRow, events_append_bulk
from casework.lifecycle.clock_store import (
    CLOCK_FIELDS,
    ClockValues,
    FieldChanges,
    StoredValue,
    clock_values,
)
from casework.models import Case, ClockRecompute, Event
from casework.selectors import working_calendar_forget, working_calendar_with_fingerprint


@dataclass
class RecomputeReport:
    checked: int = 0
    changed: int = 0
    changes: list[tuple[str, FieldChanges]] | None = field(default_factory=list)


class _CountedClock(TypedDict):
    reply_due_on: date | None
    dates_provisional: bool
    clock_started_on: date | None


def _json(value: date | int | None) -> StoredValue:
    return value.isoformat() if isinstance(value, date) else value


def _counted_clock(values: ClockValues) -> _CountedClock:
    """The clock fields the dashboard's counts read, from a row of CLOCK_FIELDS values."""
    return {
        "reply_due_on": values.reply_due_on,
        "dates_provisional": values.dates_provisional,
        "clock_started_on": values.clock_started_on,
    }


def _update_sql() -> str:
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f)} = %s" for f in (*CLOCK_FIELDS, "updated_at"))
    return f"UPDATE {quote(Case._meta.db_table)} SET {assignments} WHERE id = %s"  # noqa: S608 - our own names


def cases_recompute_clocks(
    *,
    now: datetime,
    force: bool = False,
    batch_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
    keep_changes: int = 50,
) -> RecomputeReport:
    """Recompute the stored time limits of every open case, and of every closed case whose
    dates were provisional, after a calendar change.

    Per batch, one transaction with the case rows locked; a case whose dates move is updated
    (one statement for the batch, the fields the lifecycle owns) and gets a `recompute` event
    (system actor, old and new values) through the ledger. Without `force`, nothing is done
    when the last finished run used the current calendar, so a second run changes nothing.
    """
    working_calendar_forget()  # never recompute with a cached calendar
    calendar, fingerprint = working_calendar_with_fingerprint()
    report = RecomputeReport()
    last = (
        ClockRecompute.objects.filter(finished_at__isnull=False)
        .order_by("-started_at")
        .values_list("fingerprint", flat=True)
        .first()
    )
    if not force and last == fingerprint:
        return report
    run = ClockRecompute.objects.create(started_at=now, fingerprint=fingerprint, forced=force)
    # The open cases, and the closed ones whose dates were provisional: once their year is
    # loaded they are stated as exact everywhere (the applicant's page said "（暂定…）" for
    # ever otherwise; issue 24 point 10).
    recomputed = Q(status__in=OPEN_STATUSES) | Q(dates_provisional=True)
    ids = list(Case.objects.filter(recomputed).order_by("pk").values_list("pk", flat=True))
    today = timezone.localdate(now)
    update_sql = _update_sql()
    clock_kinds = sorted(CLOCK_EVENT_KINDS)
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        with transaction.atomic():
            stored = {
                row[0]: row
                for row in Case.objects.select_for_update()
                .filter(recomputed, pk__in=chunk)
                .values_list("pk", "number", "status", *CLOCK_FIELDS, *COUNTED_FIELDS)
            }
            counted: list[tuple[CountedCase, CountedCase]] = []
            events: dict[int, list[ClockEvent]] = {pk: [] for pk in stored}
            for case_id, kind, on, payload in (
                Event.objects.filter(case_id__in=list(stored), kind__in=clock_kinds)
                .order_by("case_id", "seq")
                .values_list("case_id", "kind", "on", "payload")
            ):
                events[case_id].append(ClockEvent(kind=kind, on=on, payload=payload))
            updates: list[tuple[date | int | None, ...]] = []  # clock values, now, pk
            rows: list[EventRow] = []
            for pk, row in stored.items():
                new = clock_values(
                    compute_clock(events[pk], calendar, fee_pauses_clock=settings.FEE_PAUSES_CLOCK)
                )
                old = row[3 : 3 + len(CLOCK_FIELDS)]
                if new == old:
                    continue
                diff = {
                    name: [_json(o), _json(n)]
                    for name, o, n in zip(CLOCK_FIELDS, old, new, strict=True)
                    if o != n
                }
                updates.append((*new, now, pk))
                before = CountedCase(*row[3 + len(CLOCK_FIELDS) :])
                counted.append((before, replace(before, **_counted_clock(new))))
                rows.append(
                    EventRow(
                        case_id=pk,
                        kind=T.RECOMPUTE,
                        actor_user=None,
                        actor_name=SYSTEM_ROLE,
                        actor_role=SYSTEM_ROLE,
                        on=today,
                        entered_at=now,
                        from_status=row[2],
                        to_status=row[2],
                        payload={"changes": diff},
                    )
                )
                if report.changes is not None and len(report.changes) < keep_changes:
                    report.changes.append((row[1], diff))
            if updates:
                with connection.cursor() as cursor:
                    cursor.executemany(update_sql, updates)
                events_append_bulk(rows)
                counts_apply(counted)
        report.checked += len(chunk)
        report.changed += len(updates)
        if progress is not None:
            progress(report.checked, len(ids))
    if progress is not None and not ids:
        progress(0, 0)
    # The dashboard's working days of closed cases were counted on the old calendar.
    counts_rebuild(now=now)
    run.finished_at = timezone.now()
    run.checked, run.changed = report.checked, report.changed
    run.save(update_fields=["finished_at", "checked", "changed"])
    return report
