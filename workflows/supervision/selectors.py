"""Supervision reads (督办): the deadline dashboard's figures. A fixed number of grouped queries
whatever the number of divisions; remaining working days are computed in memory on the shared
calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.case_counts import closed_counts, counts_state, month_counts, open_counts
from casework.choices import OPEN_STATUSES, CaseStatus
from casework.choices import Transition as T
from casework.models import CalendarYear, Case, Division, Event, Organ
from casework.payloads import Payload
from casework.selectors import working_calendar
from casework.workdays import WorkingCalendar


def due_soon_until(calendar: WorkingCalendar, today: date) -> date:
    """The last due date that counts as due soon (DUE_SOON_WORKING_DAYS working days ahead)."""
    return calendar.add_working_days(today, settings.DUE_SOON_WORKING_DAYS)


@dataclass
class DivisionStat:
    division_id: int | None
    name: str
    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    urged: int = 0
    closed: int = 0
    on_time: int = 0
    avg_working_days: float | None = None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.closed, 1) if self.closed else None


def dashboard_data(*, organ: Organ, today: date, period_start: date, period_end: date) -> Payload:
    calendar = working_calendar()
    soon = due_soon_until(calendar, today)
    open_cases = Case.objects.filter(organ=organ, status__in=OPEN_STATUSES)
    # The counts come from the aggregates the lifecycle keeps with each step
    # (casework.case_counts): a few thousand rows by status, division and due date, whatever
    # the number of cases in the organ's history.
    by_status: dict[str, int] = {}
    divisions: dict[int | None, DivisionStat] = {}

    def stat_of(division_id: int | None) -> DivisionStat:
        """The division's line, made on first use (named below from the divisions table)."""
        if division_id not in divisions:
            name = "" if division_id is not None else str(_("Not routed yet"))
            divisions[division_id] = DivisionStat(division_id, name)
        return divisions[division_id]

    provisional = 0
    for row in open_counts(organ.pk, today, soon):
        by_status[row.status] = by_status.get(row.status, 0) + row.n
        provisional += row.provisional
        stat = stat_of(row.division_id)
        stat.open += row.n
        stat.overdue += row.overdue
        stat.due_soon += row.due_soon
    for division_id, n in (
        Event.objects.filter(
            case__organ=organ, kind=T.URGE, on__gte=period_start, on__lte=period_end
        )
        .values_list("case__lead_division_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        stat_of(division_id).urged = n
    # Handling time in working days, from day 0 of the (last) count to the day the case
    # closed, summed per division and day as the cases closed (casework.case_counts).
    for closed in closed_counts(organ.pk, period_start, period_end):
        if not closed.closed_timed:
            continue
        stat = stat_of(closed.division_id)
        stat.closed += closed.closed_timed
        stat.on_time += closed.on_time
        if closed.span_cases:
            stat.avg_working_days = round(closed.span_days / closed.span_cases, 1)
    for division_id, name in Division.objects.filter(organ=organ).values_list("pk", "name"):
        if division_id in divisions and not divisions[division_id].name:
            divisions[division_id].name = name
    lists = {
        "overdue": list(
            open_cases.filter(reply_due_on__lt=today)
            .select_related("lead_division", "assignee", "applicant")
            .order_by("reply_due_on")[:50]
        ),
        "due_soon": list(
            open_cases.filter(reply_due_on__gte=today, reply_due_on__lte=soon)
            .select_related("lead_division", "assignee", "applicant")
            .order_by("reply_due_on")[:50]
        ),
    }
    rows = []
    for kind, cases in lists.items():
        for case in cases:
            if case.reply_due_on is None:
                continue
            if kind == "overdue":
                remaining = -max(1, calendar.working_days_between(case.reply_due_on, today))
            else:
                remaining = calendar.working_days_between(today, case.reply_due_on)
            rows.append(
                {
                    "kind": kind,
                    "case": case,
                    "remaining": remaining,
                    "overdue_days": -remaining if remaining < 0 else 0,
                }
            )
    # Steps taken after their time limit (the organ's, or the applicant's), with the reason
    # recorded: the supervising office looks at each.
    late_acts = list(
        Event.objects.filter(
            case__organ=organ, on__gte=period_start, on__lte=period_end, payload__has_key="late"
        )
        .select_related("case")
        .order_by("-on", "-pk")[:50]
    )
    backdated_acts = backdated_steps(organ, period_start, period_end)
    next_year = today.year + 1
    calendar_missing = (
        today >= date(today.year, 11, 1)
        and not CalendarYear.objects.filter(year=next_year).exists()
    )
    # The cases not routed yet are the office's, not a division's: their line stands apart
    # from the divisions' (and out of the divisions' charts); the totals count them.
    unrouted = divisions.get(None)
    everyone = list(divisions.values())
    stats = sorted(
        (s for s in everyone if s.division_id is not None),
        key=lambda s: (-s.overdue, -s.open, s.name),
    )
    total_open = sum(by_status.values())
    return {
        "today": today,
        "soon_until": soon,
        "period_start": period_start,
        "period_end": period_end,
        "by_status": [
            (CaseStatus(s).label, s, by_status.get(s, 0))
            for s in CaseStatus.values
            if s in OPEN_STATUSES
        ],
        "total_open": total_open,
        "max_status": max(by_status.values(), default=0),
        "divisions": stats,
        "unrouted": unrouted,
        "max_division": max((s.open for s in stats), default=0),
        "overdue": [r for r in rows if r["kind"] == "overdue"],
        "due_soon": [r for r in rows if r["kind"] == "due_soon"],
        "overdue_total": sum(s.overdue for s in everyone),
        "due_soon_total": sum(s.due_soon for s in everyone),
        "provisional": provisional,
        "calendar_missing": calendar_missing,
        "next_year": next_year,
        "urged_total": sum(s.urged for s in everyone),
        "late_acts": late_acts,
        "backdated_acts": backdated_acts,
        "counts": counts_state(timezone.now()),
    }


def backdated_steps(organ: Organ, period_start: date, period_end: date) -> list[Event]:
    """补录/倒签: steps entered in the period for an effective date more than
    BACKDATE_REASON_WORKING_DAYS working days earlier, with who entered them and why
    (casework.lifecycle.periods); the supervising office looks at each. Newest entry first."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    start = timezone.make_aware(datetime.combine(period_start, time.min))
    end = timezone.make_aware(datetime.combine(period_end + timedelta(days=1), time.min))
    return list(
        Event.objects.filter(
            case__organ=organ,
            entered_at__gte=start,
            entered_at__lt=end,
            payload__has_key="backdated",
        )
        .select_related("case")
        .order_by("-entered_at", "-pk")[:50]
    )


TREND_MONTHS = 12


def _month_starts(last: date, months: int) -> list[date]:
    """The first days of the `months` calendar months ending with the month of `last`."""
    year, month = last.year, last.month
    starts = []
    for _n in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


@dataclass(frozen=True)
class MonthTrend:
    month: date  # its first day
    received: int
    closed: int


def dashboard_trends(*, organ: Organ, last: date, months: int = TREND_MONTHS) -> list[MonthTrend]:
    """Cases received (by legal date of receipt, Art 31) and closed per calendar month over
    the `months` months ending with the month of `last`: one grouped query over the day
    counts (casework.case_counts) whatever the number of months or cases."""
    starts = _month_starts(last, months)
    first = starts[0]
    after = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    counts = month_counts(organ.pk, first, after)
    return [MonthTrend(m, *counts.get(m, (0, 0))) for m in starts]
