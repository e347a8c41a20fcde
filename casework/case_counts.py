"""The supervision dashboard's counts, kept as each step happens (issue 27): the dashboard and
its overdue list read a few thousand aggregate rows instead of every case of the organ's
history.

Two tables, both changed only here:

- `OpenCaseCount`: how many open cases share (organ, status, lead division, reply due date,
  provisional dates). "Open" is the lifecycle's `OPEN_STATUSES`: any other status — a new
  terminal one included — leaves the table without a change here. Overdue and due-soon
  counts are sums over the due dates, so the rows do not age with the day.
- `CaseDayCount`: per (organ, lead division, day) the cases received that day (legal date of
  receipt), closed that day, closed with a reply due date, closed on time, and the working
  days these took (clock start to close, on the calendar of the moment they were counted).

The one writer of events keeps them: the lifecycle's `_record` (each transition, in the
transaction that saves the case and appends its event, under the case's row lock) and the
bulk recompute of due dates apply the difference between what the case counted before and
after (`counts_apply`). `seed_bench` adds its bulk-made cases the same way.
`case_counts_rebuild` recounts everything from the cases (after a migration, a restore of an
old backup, or a calendar change, which the recompute run does itself); `counts_verify` is the
full recount the tests compare with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.choices import OPEN_STATUSES
from casework.models import Division, Organ

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

    from casework.models import Case

# What a case contributes to the counts (the fields read, in this order).
COUNTED_FIELDS = (
    "organ_id",
    "status",
    "lead_division_id",
    "reply_due_on",
    "dates_provisional",
    "received_on",
    "closed_on",
    "clock_started_on",
)


class OpenCaseCount(models.Model):
    """Open cases of an organ sharing a status, lead division, reply due date and provisional
    flag (casework.case_counts)."""

    key = models.CharField(max_length=100, unique=True)
    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)
    division = models.ForeignKey(Division, on_delete=models.CASCADE, null=True, related_name="+")
    reply_due_on = models.DateField(null=True)
    provisional = models.BooleanField(default=False)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("open case count")
        verbose_name_plural = _("open case counts")
        indexes = [models.Index(fields=["organ", "reply_due_on"], name="open_count_due_idx")]

    def __str__(self) -> str:
        return f"{self.key}: {self.n}"


class CaseDayCount(models.Model):
    """Cases of an organ's lead division received and closed on one day (casework.case_counts)."""

    key = models.CharField(max_length=100, unique=True)
    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="+")
    division = models.ForeignKey(Division, on_delete=models.CASCADE, null=True, related_name="+")
    day = models.DateField()
    received = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    closed_timed = models.IntegerField(default=0)  # closed with a reply due date
    on_time = models.IntegerField(default=0)  # closed on or before it
    span_cases = models.IntegerField(default=0)  # closed timed, with a clock start
    span_days = models.IntegerField(default=0)  # their working days, summed

    class Meta:
        verbose_name = _("case day count")
        verbose_name_plural = _("case day counts")
        indexes = [models.Index(fields=["organ", "day"], name="day_count_day_idx")]

    def __str__(self) -> str:
        return self.key


class CaseCountsRebuild(models.Model):
    """When the counts were last recounted from the cases (case_counts_rebuild)."""

    finished_at = models.DateTimeField()
    cases = models.IntegerField()
    corrected = models.IntegerField(default=0)  # rows the recount found different

    class Meta:
        verbose_name = _("case counts recount")
        verbose_name_plural = _("case counts recounts")

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M} ({self.cases})"


DAY_COLUMNS = ("received", "closed", "closed_timed", "on_time", "span_cases", "span_days")


@dataclass(frozen=True)
class CountedCase:
    """A case as the counts see it (COUNTED_FIELDS)."""

    organ_id: int
    status: str
    lead_division_id: int | None
    reply_due_on: date | None
    dates_provisional: bool
    received_on: date | None
    closed_on: date | None
    clock_started_on: date | None

    @classmethod
    def of(cls, case: Case) -> CountedCase:
        return cls(*(getattr(case, name) for name in COUNTED_FIELDS))


OpenKey = tuple[int, str, int | None, date | None, bool]
DayKey = tuple[int, int | None, date]


class Deltas:
    """Changes to the counts, gathered and then written in one go (`write`)."""

    def __init__(self, span: Callable[[date, date], int] | None = None) -> None:
        self.open: Counter[OpenKey] = Counter()
        self.days: dict[DayKey, list[int]] = {}
        self._span = span

    def span(self, start: date, end: date) -> int:
        if self._span is None:
            from casework.selectors import working_calendar

            self._span = working_calendar().working_days_between
        return self._span(start, end)

    def add(self, case: CountedCase | None, sign: int = 1) -> None:
        if case is None:
            return
        division = case.lead_division_id
        if case.status in OPEN_STATUSES:
            key = (
                case.organ_id,
                case.status,
                division,
                case.reply_due_on,
                bool(case.dates_provisional),
            )
            self.open[key] += sign
        if case.received_on is not None:
            self._day(case.organ_id, division, case.received_on, 0, sign)
        if case.closed_on is not None:
            end = case.closed_on
            self._day(case.organ_id, division, end, 1, sign)
            if case.reply_due_on is not None:
                self._day(case.organ_id, division, end, 2, sign)
                if end <= case.reply_due_on:
                    self._day(case.organ_id, division, end, 3, sign)
                if case.clock_started_on is not None:
                    span = self.span(case.clock_started_on, end)
                    self._day(case.organ_id, division, end, 4, sign)
                    self._day(case.organ_id, division, end, 5, sign * span)

    def _day(self, organ_id: int, division: int | None, day: date, column: int, n: int) -> None:
        row = self.days.setdefault((organ_id, division, day), [0] * len(DAY_COLUMNS))
        row[column] += n

    def change(self, before: CountedCase | None, after: CountedCase | None) -> None:
        if before == after:
            return
        self.add(before, -1)
        self.add(after, +1)

    def write(self) -> None:
        """Add the gathered changes to the tables (keys in order: concurrent steps of
        different cases lock shared rows in the same order)."""
        opens = sorted(
            ((k, n) for k, n in self.open.items() if n), key=lambda item: _open_key(item[0])
        )
        days = sorted(
            ((k, v) for k, v in self.days.items() if any(v)), key=lambda item: _day_key(item[0])
        )
        if not opens and not days:
            return
        o, d = OpenCaseCount._meta.db_table, CaseDayCount._meta.db_table
        with connection.cursor() as cursor:
            if opens:
                cursor.executemany(
                    f"INSERT INTO {o} (key, organ_id, status, division_id, reply_due_on, "  # noqa: S608
                    f"provisional, n) VALUES (%s, %s, %s, %s, %s, %s, %s) "
                    f"ON CONFLICT (key) DO UPDATE SET n = {o}.n + EXCLUDED.n",
                    [(_open_key(k), *k, n) for k, n in opens],
                )
                keys = [_open_key(k) for k, n in opens if n < 0]
                if keys:  # a row that may have dropped to nought
                    _delete_empty(cursor, o, "n = 0", keys)
            if days:
                columns = ", ".join(DAY_COLUMNS)
                marks = ", ".join(["%s"] * len(DAY_COLUMNS))
                sums = ", ".join(f"{c} = {d}.{c} + EXCLUDED.{c}" for c in DAY_COLUMNS)
                cursor.executemany(
                    f"INSERT INTO {d} (key, organ_id, division_id, day, {columns}) "  # noqa: S608
                    f"VALUES (%s, %s, %s, %s, {marks}) ON CONFLICT (key) DO UPDATE SET {sums}",
                    [(_day_key(k), *k, *v) for k, v in days],
                )
                keys = [_day_key(k) for k, v in days if any(n < 0 for n in v)]
                if keys:
                    empty = " AND ".join(f"{c} = 0" for c in DAY_COLUMNS)
                    _delete_empty(cursor, d, empty, keys)
        self.open.clear()
        self.days.clear()


def _open_key(k: OpenKey) -> str:
    organ, status, division, due, provisional = k
    return f"{organ}|{status}|{division or 0}|{due.isoformat() if due else '-'}|{int(provisional)}"


def _day_key(k: DayKey) -> str:
    organ, division, day = k
    return f"{organ}|{division or 0}|{day.isoformat()}"


def _delete_empty(cursor: CursorWrapper, table: str, empty: str, keys: list[str]) -> None:
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(f"DELETE FROM {table} WHERE {empty} AND key IN ({marks})", chunk)  # noqa: S608


def counts_apply(changes: Iterable[tuple[CountedCase | None, CountedCase | None]]) -> None:
    """Apply what each (before, after) pair changes; in the caller's transaction."""
    deltas = Deltas()
    for before, after in changes:
        deltas.change(before, after)
    deltas.write()


# --- the full recount ---------------------------------------------------------------------


def counted_cases(**filters: Any) -> Iterable[CountedCase]:
    from casework.models import Case

    for row in (
        Case.objects.filter(**filters)
        .order_by()
        .values_list(*COUNTED_FIELDS)
        .iterator(chunk_size=5000)
    ):
        yield CountedCase(*row)


def recount(
    *,
    progress: Callable[[int, int], None] | None = None,
    span: Callable[[date, date], int] | None = None,
) -> tuple[Counter[OpenKey], dict[DayKey, list[int]], int]:
    """The counts as a full recount of every case gives them (grouped in the database for the
    open ones and the receipts; the closed cases read one by one for their working days)."""
    from django.db.models import Count

    from casework.models import Case

    deltas = Deltas(span)
    for *key, n in (
        Case.objects.filter(status__in=OPEN_STATUSES)
        .values_list("organ_id", "status", "lead_division_id", "reply_due_on", "dates_provisional")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        deltas.open[(key[0], key[1], key[2], key[3], bool(key[4]))] += n
    for organ_id, division, day, n in (
        Case.objects.filter(received_on__isnull=False)
        .values_list("organ_id", "lead_division_id", "received_on")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        deltas._day(organ_id, division, day, 0, n)
    closed = Case.objects.filter(closed_on__isnull=False)
    total = closed.count()
    for done, case in enumerate(counted_cases(closed_on__isnull=False), start=1):
        # received was counted above: count only the closing here
        deltas.add(
            CountedCase(
                case.organ_id,
                "",  # not open
                case.lead_division_id,
                case.reply_due_on,
                case.dates_provisional,
                None,
                case.closed_on,
                case.clock_started_on,
            )
        )
        if progress is not None and done % 5000 == 0:
            progress(done, total)
    if progress is not None:
        progress(total, total)
    cases = Case.objects.count()
    return deltas.open, deltas.days, cases


def stored() -> tuple[Counter[OpenKey], dict[DayKey, list[int]]]:
    opens: Counter[OpenKey] = Counter()
    for organ_id, status, division_id, due, provisional, n in OpenCaseCount.objects.values_list(
        "organ_id", "status", "division_id", "reply_due_on", "provisional", "n"
    ):
        if n:
            opens[(organ_id, status, division_id, due, bool(provisional))] = n
    days: dict[DayKey, list[int]] = {}
    for organ_id, division, day, *values in CaseDayCount.objects.values_list(
        "organ_id", "division_id", "day", *DAY_COLUMNS
    ):
        if any(values):
            days[(organ_id, division, day)] = list(values)
    return opens, days


def counts_verify() -> list[str]:
    """Where the stored counts differ from a full recount (empty: they agree)."""
    want_open, want_days, _cases = recount()
    want_open = Counter({k: n for k, n in want_open.items() if n})
    want_days = {k: v for k, v in want_days.items() if any(v)}
    have_open, have_days = stored()
    problems = [
        f"open {k}: stored {have_open.get(k, 0)}, recount {want_open.get(k, 0)}"
        for k in sorted(set(want_open) | set(have_open), key=_open_key)
        if have_open.get(k, 0) != want_open.get(k, 0)
    ]
    zero = [0] * len(DAY_COLUMNS)
    problems += [
        f"day {k}: stored {have_days.get(k, zero)}, recount {want_days.get(k, zero)}"
        for k in sorted(set(want_days) | set(have_days), key=_day_key)
        if have_days.get(k, zero) != want_days.get(k, zero)
    ]
    return problems


def counts_rebuild(
    *, now: datetime | None = None, progress: Callable[[int, int], None] | None = None
) -> CaseCountsRebuild:
    """Recount every case and replace the stored counts. The tables are locked for the while
    (on PostgreSQL): a step that commits meanwhile waits to add its change on top."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"LOCK TABLE {OpenCaseCount._meta.db_table}, "
                    f"{CaseDayCount._meta.db_table} IN EXCLUSIVE MODE"
                )
        want_open, want_days, cases = recount(progress=progress)
        have_open, have_days = stored()
        corrected = sum(
            1 for k in set(want_open) | set(have_open) if want_open.get(k, 0) != have_open.get(k, 0)
        )
        zero = [0] * len(DAY_COLUMNS)
        corrected += sum(
            1
            for k in set(want_days) | set(have_days)
            if want_days.get(k, zero) != have_days.get(k, zero)
        )
        OpenCaseCount.objects.all().delete()
        CaseDayCount.objects.all().delete()
        deltas = Deltas()
        deltas.open, deltas.days = want_open, want_days
        deltas.write()
        return CaseCountsRebuild.objects.create(
            finished_at=now or timezone.now(), cases=cases, corrected=corrected
        )


# --- reads ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenRow:
    status: str
    division_id: int | None
    n: int
    overdue: int  # due before `today`
    due_soon: int  # due from `today` to `soon`
    provisional: int


def open_counts(organ_id: int, today: date, soon: date) -> list[OpenRow]:
    """The organ's open cases by status and lead division, with how many are overdue, due
    soon and provisional: one grouped query over the kept counts (a few thousand rows, by
    due date, whatever the history), a row per status and division out."""
    from django.db.models import Q, Sum

    rows = (
        OpenCaseCount.objects.filter(organ_id=organ_id)
        .values_list("status", "division_id")
        .annotate(
            total=Sum("n"),
            overdue=Sum("n", filter=Q(reply_due_on__lt=today)),
            due_soon=Sum("n", filter=Q(reply_due_on__gte=today, reply_due_on__lte=soon)),
            provisional_n=Sum("n", filter=Q(provisional=True)),
        )
        .order_by()
    )
    return [
        OpenRow(status, division, n or 0, overdue or 0, due_soon or 0, provisional or 0)
        for status, division, n, overdue, due_soon, provisional in rows
        if n
    ]


@dataclass(frozen=True)
class ClosedRow:
    division_id: int | None
    closed_timed: int
    on_time: int
    span_cases: int
    span_days: int


def closed_counts(organ_id: int, start: date, end: date) -> list[ClosedRow]:
    """Per lead division, the cases closed from `start` to `end` (with a reply due date)."""
    from django.db.models import Sum

    return [
        ClosedRow(*row)
        for row in CaseDayCount.objects.filter(organ_id=organ_id, day__gte=start, day__lte=end)
        .values_list("division_id")
        .annotate(Sum("closed_timed"), Sum("on_time"), Sum("span_cases"), Sum("span_days"))
        .order_by()
    ]


def month_counts(organ_id: int, first: date, after: date) -> dict[date, tuple[int, int]]:
    """(received, closed) per calendar month from `first` to before `after`."""
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth

    rows = (
        CaseDayCount.objects.filter(organ_id=organ_id, day__gte=first, day__lt=after)
        .annotate(m=TruncMonth("day"))
        .values_list("m")
        .annotate(Sum("received"), Sum("closed"))
        .order_by()
    )
    return {
        (m.date() if hasattr(m, "date") else m).replace(day=1): (r or 0, c or 0) for m, r, c in rows
    }


@dataclass(frozen=True)
class CountsState:
    """What the dashboard says about its counts: read now (kept with every step), the last
    full recount, and whether a database with cases was never recounted (after 0021)."""

    as_of: datetime
    last_recount: datetime | None
    never_counted: bool


def counts_state(now: datetime) -> CountsState:
    from casework.models import Case

    last = (
        CaseCountsRebuild.objects.order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    return CountsState(now, last, last is None and Case.objects.exists())
