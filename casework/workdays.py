"""The working-day calendar (工作日) behind every statutory period (DESIGN §4, LAW §4).

Pure: no ORM, no clock, no settings (only the message of `OutsideCalendar` is translated, as
the clock's texts are). The DB layer hands over a `CalendarData`; years without an
official State Council notice fall back to weekends plus the statutory holidays of
《全国年节及纪念日放假办法》 (estimated with the `holidays` package) and are flagged provisional.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

from django.utils.translation import gettext

import holidays as holidays_lib

from casework.errors import InvalidInput

__all__ = [
    "FIRST_CALENDAR_YEAR",
    "FIRST_SUPPORTED_YEAR",
    "LAST_SUPPORTED_YEAR",
    "MAX_WORKING_DAYS",
    "CalendarData",
    "OutsideCalendar",
    "WorkingCalendar",
    "estimated_holidays",
    "statutory_holidays",
]

# Saturday and Sunday are the weekly rest days of state organs (《国务院关于职工工作时间的规定》 Art 7).
_SATURDAY = 5
_SUNDAY = 6
# The largest period this module accepts: 20 + 20 working days plus exclusions never come close;
# anything above is a bug upstream, not a deadline.
MAX_WORKING_DAYS = 2000
# The `holidays` package knows China from 1950 and the lunar calendar up to 2099.
FIRST_SUPPORTED_YEAR = 1950
LAST_SUPPORTED_YEAR = 2099
_LAST_SUPPORTED_ORDINAL = date(LAST_SUPPORTED_YEAR, 12, 31).toordinal()
# The first year the calendar prepares: chinesecalendar's first year, well before the OGI
# Regulations took effect (2008-05-01), so no case date needs an earlier one.
FIRST_CALENDAR_YEAR = 2004


class OutsideCalendar(InvalidInput, ValueError):
    """A date outside the years the working-day calendar covers.

    An InvalidInput (the faces show its Chinese message: a form error, a 400, a CommandError)
    and a ValueError (what the pure calendar has always raised for it).
    """

    def __init__(self, day: date, first_year: int, last_year: int) -> None:
        super().__init__(
            gettext(
                "The date %(date)s is outside the working-day calendar (%(first)d-01-01 to"
                " %(last)d-12-31): working days cannot be counted there. Check the date."
            )
            % {"date": day.isoformat(), "first": first_year, "last": last_year}
        )
        self.day = day


@dataclass(frozen=True, slots=True)
class CalendarData:
    """The special days of the calendar, as the DB layer hands them over.

    `holidays` are the days off of the State Council's annual notice (国务院办公厅关于部分节假日安排的
    通知) — weekdays inside a holiday block, weekend days may be listed too; `makeup_workdays`
    are the weekend days declared working days (调休上班); `official_years` are the years whose
    arrangement was loaded from an official notice. Rows for other years are still applied,
    but those years stay provisional.
    """

    holidays: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()
    official_years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        clash = self.holidays & self.makeup_workdays
        if clash:
            days = ", ".join(sorted(d.isoformat() for d in clash))
            raise ValueError(f"days both off and make-up working days: {days}")


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> Mapping[date, str]:
    """Statutory holidays of 《全国年节及纪念日放假办法》 for `year`, with their Chinese names,
    without any State Council swap.

    For 2025 onwards (4th revision, 2024-11-10): 元旦 1, 春节 4 (除夕 and 正月初一–初三), 清明 1,
    劳动节 2, 端午 1, 中秋 1, 国庆 3 — 13 days; earlier years follow the rules then in force, as the
    `holidays` package encodes them. No 调休 (swapped days) and no 补假 (substitute day for a
    holiday on a weekend): which days those are is only known from the notice.
    """
    if not FIRST_SUPPORTED_YEAR <= year <= LAST_SUPPORTED_YEAR:
        raise ValueError(
            f"no holiday estimate for {year}: supported {FIRST_SUPPORTED_YEAR}–{LAST_SUPPORTED_YEAR}"
        )
    cn = holidays_lib.country_holidays("CN", observed=False, language="zh_CN")
    # Statutory rules only: the package also carries the State Council's swaps (调休) and one-off
    # days off for the years it knows; those are exactly what an estimate must not contain.
    cn.has_special_holidays = False
    _ = date(year, 1, 1) in cn  # expand=True: looking a date up populates its year
    return MappingProxyType(
        {day: str(name) for day, name in sorted(cn.items()) if day.year == year}
    )


def estimated_holidays(year: int) -> frozenset[date]:
    """The days of `statutory_holidays(year)`: the days off of a year without a notice.

    A deadline computed on an estimate can be off by a few days either way (the notice adds
    swapped days and substitute days), hence provisional.
    """
    return frozenset(statutory_holidays(year))


class _Tables(NamedTuple):
    """Prepared lookup arrays over [first_ordinal, last_ordinal] (proleptic Gregorian ordinals)."""

    first_ordinal: int
    last_ordinal: int
    # cumulative[i]: working days d with first_ordinal <= d <= first_ordinal + i.
    cumulative: list[int]
    # working_ordinals[k - 1]: ordinal of the k-th working day of the range (k >= 1).
    working_ordinals: list[int]


class WorkingCalendar:
    """Which days are working days, with O(1) counting over a prepared range of years.

    Working day (LAW §4.1): Monday–Friday, minus the days off of the State Council's notice, plus
    its make-up working days (调休上班), which count like any working day. Every period of the OGI
    Regulations is counted on this calendar: correction notice (Art 30), consultation (Arts 32,
    34), reply (Art 33) and the fee payment period (国办函〔2020〕109号).

    Two integer arrays are built once over [first_year, last_year]: the cumulative number of
    working days per calendar day and the ordinal of the k-th working day, so adding or counting
    working days is two list look-ups. Dates after `last_year` extend the range lazily (up to
    2099; years without an official notice are estimated and provisional); dates before
    `first_year` or after 2099 raise OutsideCalendar (a ValueError with a Chinese message).
    """

    def __init__(
        self,
        data: CalendarData,
        *,
        first_year: int = FIRST_CALENDAR_YEAR,
        last_year: int | None = None,
    ) -> None:
        if last_year is None:
            # Never past the last supported year, even when that year itself is official.
            last_year = min(max(data.official_years, default=first_year) + 1, LAST_SUPPORTED_YEAR)
        if not FIRST_SUPPORTED_YEAR <= first_year <= last_year <= LAST_SUPPORTED_YEAR:
            raise ValueError(
                f"calendar years must satisfy {FIRST_SUPPORTED_YEAR} <= first_year <= last_year"
                f" <= {LAST_SUPPORTED_YEAR}, got {first_year}–{last_year}"
            )
        self.data = data
        self.first_year = first_year
        self._official_years = data.official_years
        self._off = frozenset(d.toordinal() for d in data.holidays)
        self._makeup = frozenset(d.toordinal() for d in data.makeup_workdays)
        self._lock = threading.Lock()
        self._tables = self._build(first_year, last_year)

    # -- preparation ------------------------------------------------------------------------

    @property
    def last_year(self) -> int:
        """The last year currently prepared (grows when later dates are asked for)."""
        return date.fromordinal(self._tables.last_ordinal).year

    def _build(self, first_year: int, last_year: int) -> _Tables:
        first = date(first_year, 1, 1).toordinal()
        last = date(last_year, 12, 31).toordinal()
        off = set(self._off)
        for year in range(first_year, last_year + 1):
            if year not in self._official_years:
                off.update(d.toordinal() for d in estimated_holidays(year))
        makeup = self._makeup
        cumulative = [0] * (last - first + 1)
        working_ordinals: list[int] = []
        count = 0
        for i, ordinal in enumerate(range(first, last + 1)):
            # date.fromordinal(1) is a Monday, so (ordinal - 1) % 7 is date.weekday().
            weekday = (ordinal - 1) % 7
            if ordinal in makeup or (
                weekday != _SATURDAY and weekday != _SUNDAY and ordinal not in off
            ):
                count += 1
                working_ordinals.append(ordinal)
            cumulative[i] = count
        return _Tables(first, last, cumulative, working_ordinals)

    def _extend_to(self, ordinal: int) -> _Tables:
        """Prepare the range up to the year after `ordinal`'s year; return the new tables."""
        if ordinal > _LAST_SUPPORTED_ORDINAL:
            raise OutsideCalendar(date.fromordinal(ordinal), self.first_year, LAST_SUPPORTED_YEAR)
        year = date.fromordinal(ordinal).year
        with self._lock:
            tables = self._tables
            if ordinal > tables.last_ordinal:
                tables = self._build(self.first_year, min(year + 1, LAST_SUPPORTED_YEAR))
                self._tables = tables  # one attribute swap: readers see old or new, never half
            return tables

    def _tables_for(self, ordinal: int) -> _Tables:
        tables = self._tables
        if ordinal < tables.first_ordinal:
            raise OutsideCalendar(date.fromordinal(ordinal), self.first_year, LAST_SUPPORTED_YEAR)
        if ordinal > tables.last_ordinal:
            tables = self._extend_to(ordinal)
        return tables

    # -- queries ----------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """True for Mon–Fri outside the days off, and for make-up working days (调休上班)."""
        ordinal = day.toordinal()
        tables = self._tables_for(ordinal)
        i = ordinal - tables.first_ordinal
        previous = tables.cumulative[i - 1] if i else 0
        return tables.cumulative[i] != previous

    def is_provisional(self, day: date) -> bool:
        """True when `day`'s year has no official notice loaded (weekends + estimated holidays)."""
        return day.year not in self._official_years

    def spans_provisional(self, start: date, end: date) -> bool:
        """True when any year from `start` to `end` (either order) is provisional."""
        low, high = (start.year, end.year) if start <= end else (end.year, start.year)
        official = self._official_years
        if low == high:  # the common case, kept cheap for the clock
            return low not in official
        return any(year not in official for year in range(low, high + 1))

    def working_day_number(self, day: date) -> int:
        """The number of working days from the calendar's start up to and including `day`.

        Numbers are only meaningful relative to each other: `working_day_number(b) -
        working_day_number(a)` is the number of working days after `a` up to and including `b`.
        """
        ordinal = day.toordinal()
        first, last, cumulative, _ = self._tables
        if first <= ordinal <= last:  # fast path: one list look-up
            return cumulative[ordinal - first]
        tables = self._tables_for(ordinal)
        return tables.cumulative[ordinal - tables.first_ordinal]

    def working_day_by_number(self, number: int) -> date:
        """The working day whose `working_day_number` is `number` (>= 1)."""
        ordinals = self._tables[3]
        if 0 < number <= len(ordinals):  # fast path: one list look-up
            return date.fromordinal(ordinals[number - 1])
        return date.fromordinal(self._ordinal_of_number(number))

    def _ordinal_of_number(self, number: int) -> int:
        if number < 1:
            raise ValueError(f"working-day numbers start at 1, got {number}")
        tables = self._tables
        while number > len(tables.working_ordinals):
            # About 250 working days a year: extend one more year at a time until covered.
            tables = self._extend_to(tables.last_ordinal + 1)
        return tables.working_ordinals[number - 1]

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start`; `start` itself is day 0 (n = 0 returns `start`).

        The receipt day is not counted and day 1 is the first working day after it, whatever
        kind of day the receipt day is (LAW §4.1; Arts 30, 33).
        """
        if n < 0:
            raise ValueError(f"cannot add a negative number of working days ({n})")
        if n > MAX_WORKING_DAYS:
            raise ValueError(f"refusing to add {n} working days (more than {MAX_WORKING_DAYS})")
        if n == 0:
            return start
        return date.fromordinal(self._ordinal_of_number(self.working_day_number(start) + n))

    def nth_working_day_after(self, start: date, n: int) -> date:
        """Alias of `add_working_days`, named after how the statute reads."""
        return self.add_working_days(start, n)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day` (day 1 of a count starting on `day`)."""
        return self.add_working_days(day, 1)

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days d with a < d <= b (0 when b <= a)."""
        if b <= a:
            return 0
        return self.working_day_number(b) - self.working_day_number(a)

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar({self.first_year}–{self.last_year},"
            f" official={sorted(self._official_years)})"
        )
