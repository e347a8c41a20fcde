"""Benchmark: full case clocks for synthetic cases versus a day-by-day loop over
chinese_calendar.is_workday (what a developer would write with the package).

    manage.py bench_clock --cases 100000

Prints cases per second for both, their ratio, and checks that every due date agrees.
"""

import gc
import random
import time
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.clock import ClockEvent, compute_clock, explain
from casework.workdays import CalendarData, WorkingCalendar

YEARS = range(2004, 2027)


def package_calendar() -> WorkingCalendar:
    import chinese_calendar

    return WorkingCalendar(
        CalendarData(
            holidays=frozenset(d for d in chinese_calendar.constants.holidays if d.year in YEARS),
            makeup_workdays=frozenset(
                d for d in chinese_calendar.constants.workdays if d.year in YEARS
            ),
            official_years=frozenset(YEARS),
        )
    )


def synthetic_case(rng: random.Random) -> list[ClockEvent]:
    """Receipt in 2025–2026 (due dates stay within 2026), with corrections, overlapping
    consultations (some still open), fee notices, extensions and replies."""
    receipt = date(2025, 1, 1) + timedelta(days=rng.randrange(640))
    events = [
        ClockEvent("receive", receipt, {"received_on": receipt.isoformat()}),
        ClockEvent("register", receipt, {}),
    ]
    day = receipt
    if rng.random() < 0.15:
        notice = day + timedelta(days=rng.randrange(1, 8))
        events.append(
            ClockEvent(
                "request_correction", notice, {"deadline_on": (notice + timedelta(15)).isoformat()}
            )
        )
        day = notice + timedelta(days=rng.randrange(1, 15))
        events.append(ClockEvent("receive_correction", day, {}))
    events.append(ClockEvent("claim", day + timedelta(days=1), {}))
    later: list[ClockEvent] = []
    for i in range(rng.choice((0, 0, 0, 1, 1, 2))):
        sent = day + timedelta(days=rng.randrange(2, 20))
        later.append(
            ClockEvent(
                "open_consultation",
                sent,
                {"consultation_id": f"c{i}", "party": rng.choice(("third_party", "other_organ"))},
            )
        )
        if rng.random() < 0.8:
            later.append(
                ClockEvent(
                    "close_consultation",
                    sent + timedelta(days=rng.randrange(0, 25)),
                    {"consultation_id": f"c{i}"},
                )
            )
    if rng.random() < 0.05:
        notice = day + timedelta(days=rng.randrange(3, 15))
        later.append(
            ClockEvent(
                "notify_fee", notice, {"notice_received_on": (notice + timedelta(2)).isoformat()}
            )
        )
        if rng.random() < 0.7:
            later.append(
                ClockEvent("receive_fee", notice + timedelta(days=rng.randrange(1, 20)), {})
            )
    if rng.random() < 0.1:
        later.append(ClockEvent("extend", day + timedelta(days=20), {"days": rng.randrange(1, 21)}))
    later.sort(key=lambda e: (e.on, e.kind != "open_consultation"))
    events.extend(later)
    if rng.random() < 0.5:
        events.append(
            ClockEvent(
                "issue_reply", max(e.on for e in events) + timedelta(days=rng.randrange(1, 30)), {}
            )
        )
    return events


def due_by_package(events: list[ClockEvent], *, fee_pauses: bool = True) -> date | None:
    """The reply due date counted day by day with chinese_calendar.is_workday."""
    from chinese_calendar import is_workday

    def nth_after(start: date, n: int) -> date:
        day = start
        while n:
            day += timedelta(days=1)
            if is_workday(day):
                n -= 1
        return day

    start: date | None = None
    extension = 0
    periods: list[tuple[date, date | None, date]] = []  # (sent, answered, cap)
    opened: dict[str, int] = {}
    for e in events:
        if e.kind == "receive":
            start = date.fromisoformat(str(e.payload["received_on"]))
        elif e.kind == "receive_correction":
            start, periods, opened, extension = e.on, [], {}, 0
        elif e.kind == "open_consultation":
            opened[str(e.payload["consultation_id"])] = len(periods)
            periods.append((e.on, None, nth_after(e.on, 15)))
        elif e.kind == "close_consultation":
            i = opened[str(e.payload["consultation_id"])]
            periods[i] = (periods[i][0], e.on, periods[i][2])
        elif e.kind == "notify_fee" and fee_pauses:
            opened["fee"] = len(periods)
            periods.append(
                (
                    e.on,
                    None,
                    nth_after(date.fromisoformat(str(e.payload["notice_received_on"])), 20),
                )
            )
        elif e.kind == "receive_fee" and fee_pauses:
            i = opened["fee"]
            periods[i] = (periods[i][0], e.on, periods[i][2])
        elif e.kind == "extend":
            days = e.payload["days"]
            extension = days if isinstance(days, int) else int(str(days))
        elif e.kind in ("issue_reply", "reply_on_the_spot", "withdraw", "abandon"):
            break
    if start is None:
        return None
    excluded: set[date] = set()
    for sent, answered, cap in periods:
        end = min(answered, cap) if answered else cap
        day = sent
        while day < end:
            day += timedelta(days=1)
            excluded.add(day)
    n = 20 + extension
    day = start
    while n:
        day += timedelta(days=1)
        if is_workday(day) and day not in excluded:
            n -= 1
    return day


class Command(BaseCommand):
    help = "Benchmark the case clock against a day-by-day chinese_calendar loop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, cases: int, seed: int, **options: Any) -> None:
        if not 1 <= cases <= 10_000_000:
            raise CommandError("--cases 须在 1 至 10,000,000 之间。")
        rng = random.Random(seed)
        histories = [synthetic_case(rng) for _ in range(cases)]
        t0 = time.perf_counter()
        calendar = package_calendar()
        build = time.perf_counter() - t0
        self.stdout.write(
            f"cases: {cases:,}  events: {sum(map(len, histories)):,}  calendar build: {build * 1000:.0f} ms"
        )

        gc.collect()
        dues: list[date | None] = []
        t0 = time.perf_counter()
        for events in histories:
            dues.append(compute_clock(events, calendar).reply_due_on)
        ours = time.perf_counter() - t0

        sample = histories[: max(1, cases // 10)]
        t0 = time.perf_counter()
        for events in sample:
            explain(compute_clock(events, calendar))
        explained = time.perf_counter() - t0

        loop_n = min(cases, 20_000)
        t0 = time.perf_counter()
        package_dues = [due_by_package(events) for events in histories[:loop_n]]
        loop = time.perf_counter() - t0

        mismatches = [i for i in range(loop_n) if package_dues[i] != dues[i]]
        ours_rate = cases / ours
        loop_rate = loop_n / loop
        self.stdout.write(
            f"clock (with its segment timeline): {ours:.3f} s  → {ours_rate:,.0f} cases/s"
        )
        self.stdout.write(
            f"clock + Chinese explanation text ({len(sample):,} cases): {len(sample) / explained:,.0f} cases/s"
        )
        self.stdout.write(
            f"chinese_calendar.is_workday day-by-day loop ({loop_n:,} cases): {loop_rate:,.0f} cases/s"
        )
        self.stdout.write(f"ratio: {ours_rate / loop_rate:.1f}×")
        self.stdout.write(f"due dates compared: {loop_n:,}, disagreements: {len(mismatches)}")
        if mismatches:
            i = mismatches[0]
            raise CommandError(
                f"first disagreement at case {i}: clock {dues[i]} vs package {package_dues[i]}: {histories[i]}"
            )
