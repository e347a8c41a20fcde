"""The working-day calendar (casework.workdays): pure, no database.

Calendars are built here the way the DB layer builds them: from the State Council arrangements
in LAW.md §4.2–4.3 (the JSON block, copied below) or from the `chinesecalendar` seed.
"""

from collections.abc import Iterable
from datetime import date, timedelta

import chinese_calendar
import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.errors import InvalidInput
from casework.workdays import (
    MAX_WORKING_DAYS,
    CalendarData,
    OutsideCalendar,
    WorkingCalendar,
    estimated_holidays,
)

# LAW.md §4.2 (国办发明电〔2024〕12号) and §4.3 (2026 notice of 2025-11-04), machine-readable block.
LAW_ARRANGEMENTS = {
    "2025": {
        "off": [
            ["2025-01-01", "2025-01-01"],
            ["2025-01-28", "2025-02-04"],
            ["2025-04-04", "2025-04-06"],
            ["2025-05-01", "2025-05-05"],
            ["2025-05-31", "2025-06-02"],
            ["2025-10-01", "2025-10-08"],
        ],
        "work": ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    },
    "2026": {
        "off": [
            ["2026-01-01", "2026-01-03"],
            ["2026-02-15", "2026-02-23"],
            ["2026-04-04", "2026-04-06"],
            ["2026-05-01", "2026-05-05"],
            ["2026-06-19", "2026-06-21"],
            ["2026-09-25", "2026-09-27"],
            ["2026-10-01", "2026-10-07"],
        ],
        "work": [
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        ],
    },
}


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def law_calendar_data() -> CalendarData:
    """2025 and 2026 exactly as LAW.md §4.2–4.3 give them; every other year is provisional."""
    off: set[date] = set()
    work: set[date] = set()
    for arrangement in LAW_ARRANGEMENTS.values():
        for first, last in arrangement["off"]:
            off.update(_days(date.fromisoformat(first), date.fromisoformat(last)))
        work.update(date.fromisoformat(day) for day in arrangement["work"])
    return CalendarData(
        holidays=frozenset(off),
        makeup_workdays=frozenset(work),
        official_years=frozenset({2025, 2026}),
    )


def law_calendar() -> WorkingCalendar:
    """The LAW.md calendar over 2025–2027 (2027 estimated, provisional)."""
    return WorkingCalendar(law_calendar_data(), first_year=2025)


def seed_calendar_data(years: Iterable[int]) -> CalendarData:
    """What the DB seed loads from chinesecalendar 1.11 (2004–2026), as CalendarData."""
    wanted = frozenset(years)
    return CalendarData(
        holidays=frozenset(d for d in chinese_calendar.constants.holidays if d.year in wanted),
        makeup_workdays=frozenset(
            d for d in chinese_calendar.constants.workdays if d.year in wanted
        ),
        official_years=wanted,
    )


SEED_YEARS = range(2004, 2027)
SEED = WorkingCalendar(seed_calendar_data(SEED_YEARS))
LAW = law_calendar()


def naive_add(calendar: WorkingCalendar, start: date, n: int) -> date:
    """Day-by-day reference: the n-th working day after `start`."""
    day = start
    while n:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            n -= 1
    return day


# -- is_working_day ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 1, 26),  # Sun, make-up day for 春节 2025
        date(2025, 2, 8),  # Sat, 春节 2025
        date(2025, 4, 27),  # Sun, 劳动节 2025
        date(2025, 9, 28),  # Sun, 国庆 2025
        date(2025, 10, 11),  # Sat, 国庆 2025
        date(2026, 1, 4),  # Sun, 元旦 2026
        date(2026, 2, 14),  # Sat, 春节 2026
        date(2026, 2, 28),  # Sat, 春节 2026
        date(2026, 5, 9),  # Sat, 劳动节 2026
        date(2026, 9, 20),  # Sun, 国庆 2026
        date(2026, 10, 10),  # Sat, 国庆 2026
    ],
)
@pytest.mark.parametrize("calendar", [LAW, SEED], ids=["law", "seed"])
def test_is_working_day_make_up_weekend_days_are_working_days(calendar, day):
    assert day.weekday() >= 5
    assert calendar.is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 1, 1),  # Wed, 元旦
        date(2025, 1, 28),  # Tue, 除夕
        date(2025, 2, 3),  # Mon, swapped day inside the 春节 block
        date(2025, 2, 4),  # Tue, last day of the block
        date(2025, 4, 4),  # Fri, 清明
        date(2025, 5, 5),  # Mon, 劳动节 block
        date(2025, 6, 2),  # Mon, 端午 block
        date(2025, 10, 6),  # Mon, 中秋 inside 国庆
        date(2025, 10, 8),  # Wed, last day of 国庆 2025
        date(2026, 1, 2),  # Fri, 元旦 2026
        date(2026, 2, 16),  # Mon, 除夕 2026
        date(2026, 2, 23),  # Mon, last day of 春节 2026
        date(2026, 4, 6),  # Mon, 清明 2026
        date(2026, 5, 5),  # Tue, 劳动节 2026
        date(2026, 6, 19),  # Fri, 端午 2026
        date(2026, 9, 25),  # Fri, 中秋 2026
        date(2026, 10, 7),  # Wed, 国庆 2026
    ],
)
@pytest.mark.parametrize("calendar", [LAW, SEED], ids=["law", "seed"])
def test_is_working_day_holidays_are_not(calendar, day):
    assert day.weekday() < 5
    assert not calendar.is_working_day(day)


def test_is_working_day_ordinary_week():
    assert LAW.is_working_day(date(2025, 3, 3))  # Mon
    assert LAW.is_working_day(date(2025, 3, 7))  # Fri
    assert not LAW.is_working_day(date(2025, 3, 8))  # Sat
    assert not LAW.is_working_day(date(2025, 3, 9))  # Sun


def test_law_arrangements_agree_with_the_chinesecalendar_seed():
    for day in _days(date(2025, 1, 1), date(2026, 12, 31)):
        assert LAW.is_working_day(day) == SEED.is_working_day(day), day


def test_seed_agrees_with_chinesecalendar_on_every_day():
    for day in _days(date(2004, 1, 1), date(2026, 12, 31)):
        assert SEED.is_working_day(day) == chinese_calendar.is_workday(day), day


# -- add_working_days / working_days_between ----------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 3, 3), 0, date(2025, 3, 3)),  # n = 0 is the start itself
        (date(2025, 3, 8), 0, date(2025, 3, 8)),  # even on a Saturday
        (date(2025, 3, 7), 1, date(2025, 3, 10)),  # Fri -> Mon
        (date(2025, 3, 8), 1, date(2025, 3, 10)),  # Sat -> Mon
        # Fri 9-26: d1 Sun 9-28 (make-up), d2 9-29, d3 9-30, 10-01..08 off, d4 Thu 10-09
        (date(2025, 9, 26), 4, date(2025, 10, 9)),
        # ... d5 10-10, d6 Sat 10-11 (make-up), d7 Mon 10-13 (Art 30 notice from 9-26)
        (date(2025, 9, 26), 7, date(2025, 10, 13)),
        # ... d12 Mon 10-20, d17 Mon 10-27, d20 Thu 10-30
        (date(2025, 9, 26), 20, date(2025, 10, 30)),
        # Wed 10-01 (holiday): d1 Thu 10-09 ... d20 Tue 11-04
        (date(2025, 10, 1), 20, date(2025, 11, 4)),
        # Mon 1-27-2025: 1-28..2-04 off, d1 Wed 2-05, d4 Sat 2-08, d19 Fri 2-28, d20 Mon 3-03
        (date(2025, 1, 27), 20, date(2025, 3, 3)),
        # Fri 2026-02-13: d1 Sat 2-14, 2-15..23 off, d2 Tue 2-24, d6 Sat 2-28, d20 Thu 3-19
        (date(2026, 2, 13), 20, date(2026, 3, 19)),
        # Wed 2025-12-31: 1-01..03 off, d1 Sun 2026-01-04 (make-up), d20 Thu 2026-01-29
        (date(2025, 12, 31), 20, date(2026, 1, 29)),
        # Mon 2025-03-03 + 40: d20 Mon 3-31, d39 Sun 4-27 (make-up), d40 Mon 4-28
        (date(2025, 3, 3), 40, date(2025, 4, 28)),
    ],
)
def test_add_working_days_table(start, n, expected):
    assert LAW.add_working_days(start, n) == expected
    assert SEED.add_working_days(start, n) == expected
    assert LAW.nth_working_day_after(start, n) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (date(2025, 9, 26), date(2025, 10, 30), 20),
        (date(2025, 9, 30), date(2025, 10, 9), 1),  # the whole 国庆 block in between
        (date(2025, 10, 1), date(2025, 10, 8), 0),  # inside the block
        (date(2025, 9, 27), date(2025, 9, 28), 1),  # Sat -> make-up Sun
        (date(2026, 2, 13), date(2026, 2, 24), 2),  # make-up Sat 2-14 and Tue 2-24
        (date(2025, 3, 10), date(2025, 3, 10), 0),  # b == a
        (date(2025, 3, 10), date(2025, 3, 3), 0),  # b < a
        (date(2025, 12, 31), date(2026, 1, 4), 1),  # across the year, make-up Sun 1-04
    ],
)
def test_working_days_between_table(a, b, expected):
    assert LAW.working_days_between(a, b) == expected


def test_next_working_day():
    assert LAW.next_working_day(date(2025, 9, 27)) == date(2025, 9, 28)
    assert LAW.next_working_day(date(2025, 9, 30)) == date(2025, 10, 9)


def test_working_day_numbers_round_trip():
    day = date(2025, 9, 28)
    assert LAW.working_day_by_number(LAW.working_day_number(day)) == day
    # A non-working day shares the number of the last working day before it.
    assert LAW.working_day_number(date(2025, 10, 5)) == LAW.working_day_number(date(2025, 9, 30))


@given(
    start=st.dates(min_value=date(2004, 1, 1), max_value=date(2027, 12, 31)),
    n=st.integers(min_value=0, max_value=60),
)
def test_add_working_days_matches_a_day_by_day_loop(start, n):
    expected = naive_add(SEED, start, n)
    assert SEED.add_working_days(start, n) == expected
    if n:
        assert SEED.is_working_day(expected)
    assert SEED.working_days_between(start, expected) == n


@given(
    a=st.dates(min_value=date(2004, 1, 1), max_value=date(2027, 12, 31)),
    span=st.integers(min_value=-10, max_value=80),
)
def test_working_days_between_matches_a_day_by_day_count(a, span):
    b = a + timedelta(days=span)
    expected = sum(1 for day in _days(a + timedelta(days=1), b) if SEED.is_working_day(day))
    assert SEED.working_days_between(a, b) == expected


# -- errors and range ---------------------------------------------------------------------


def test_add_working_days_refuses_negative_n():
    with pytest.raises(ValueError, match="negative"):
        LAW.add_working_days(date(2025, 3, 3), -1)


def test_add_working_days_refuses_absurd_n():
    assert LAW.add_working_days(date(2025, 3, 3), MAX_WORKING_DAYS) > date(2032, 1, 1)
    with pytest.raises(ValueError, match="refusing"):
        LAW.add_working_days(date(2025, 3, 3), MAX_WORKING_DAYS + 1)


def test_dates_before_the_calendar_are_refused_in_chinese():
    with pytest.raises(OutsideCalendar, match="2024-12-31 超出工作日日历的范围"):
        LAW.is_working_day(date(2024, 12, 31))
    with pytest.raises(ValueError, match=r"（2004年1月1日至2099年12月31日），无法计算工作日"):
        SEED.add_working_days(date(2003, 12, 31), 5)


def test_outside_the_calendar_is_invalid_input_for_the_faces():
    with pytest.raises(InvalidInput) as excinfo:
        SEED.working_days_between(date(2025, 1, 1), date(2100, 1, 4))
    assert excinfo.value.message.startswith("日期 2100-01-04 超出工作日日历的范围")
    with pytest.raises(InvalidInput, match="2100-01-01 超出"):
        SEED.add_working_days(date(2099, 12, 20), 20)  # the count would run into 2100


def test_an_official_last_supported_year_does_not_break_the_calendar():
    calendar = WorkingCalendar(CalendarData(official_years=frozenset({2099})))
    assert calendar.last_year == 2099
    assert not calendar.is_provisional(date(2099, 6, 1))


def test_dates_after_the_prepared_range_extend_it_lazily():
    calendar = WorkingCalendar(law_calendar_data(), first_year=2025, last_year=2025)
    assert calendar.last_year == 2025
    assert calendar.add_working_days(date(2025, 12, 31), 20) == LAW.add_working_days(
        date(2025, 12, 31), 20
    )
    assert calendar.last_year >= 2026
    assert not calendar.is_working_day(date(2030, 10, 1))  # 国庆 estimated
    assert calendar.last_year >= 2030
    with pytest.raises(OutsideCalendar, match="2100-01-04"):
        calendar.is_working_day(date(2100, 1, 4))


def test_calendar_data_refuses_a_day_both_off_and_on():
    with pytest.raises(ValueError, match="both off and make-up"):
        CalendarData(
            holidays=frozenset({date(2025, 9, 28)}), makeup_workdays=frozenset({date(2025, 9, 28)})
        )


def test_calendar_years_are_checked():
    with pytest.raises(ValueError, match="first_year"):
        WorkingCalendar(CalendarData(), first_year=2027, last_year=2026)


# -- provisional years (DESIGN §4: never silently guessed) ---------------------------------


def test_is_provisional_for_years_without_a_notice():
    assert not LAW.is_provisional(date(2026, 12, 31))
    assert LAW.is_provisional(date(2027, 1, 1))
    assert LAW.spans_provisional(date(2026, 12, 14), date(2027, 1, 12))
    assert not LAW.spans_provisional(date(2026, 12, 14), date(2025, 1, 12))


def test_estimated_holidays_2027_are_the_statutory_days_only():
    assert estimated_holidays(2027) == frozenset(
        {
            date(2027, 1, 1),  # 元旦
            date(2027, 2, 5),  # 除夕
            date(2027, 2, 6),  # 春节 初一
            date(2027, 2, 7),  # 初二
            date(2027, 2, 8),  # 初三
            date(2027, 4, 5),  # 清明
            date(2027, 5, 1),  # 劳动节
            date(2027, 5, 2),
            date(2027, 6, 9),  # 端午
            date(2027, 9, 15),  # 中秋
            date(2027, 10, 1),  # 国庆
            date(2027, 10, 2),
            date(2027, 10, 3),
        }
    )


def test_provisional_2027_uses_weekends_and_estimated_holidays():
    # 国庆 2027: Fri 10-01 off, Sat/Sun 10-02/03 weekend; no 补假 or 调休 is guessed.
    assert not LAW.is_working_day(date(2027, 10, 1))
    assert not LAW.is_working_day(date(2027, 10, 2))
    assert not LAW.is_working_day(date(2027, 10, 3))
    assert LAW.is_working_day(date(2027, 10, 4))
    assert LAW.is_working_day(date(2027, 9, 30))
    # 春节 2027: 除夕 Fri 2-05 and 初三 Mon 2-08 off; Tue 2-09 is a working day in the estimate.
    assert not LAW.is_working_day(date(2027, 2, 5))
    assert not LAW.is_working_day(date(2027, 2, 8))
    assert LAW.is_working_day(date(2027, 2, 9))
    # Thu 2027-09-30: d1 Mon 10-04, d5 Fri 10-08, d10 10-15, d15 10-22, d20 Fri 10-29
    assert LAW.add_working_days(date(2027, 9, 30), 20) == date(2027, 10, 29)
    assert LAW.is_provisional(date(2027, 10, 29))


def test_estimated_holidays_2025_and_2026_are_days_off_in_the_official_notices():
    for year in (2025, 2026):
        estimate = estimated_holidays(year)
        assert len(estimate) == 13  # 《全国年节及纪念日放假办法》 (2024 revision): 13 days
        for day in estimate:
            assert not LAW.is_working_day(day), day


def test_estimated_holidays_outside_the_supported_years():
    with pytest.raises(ValueError, match="no holiday estimate"):
        estimated_holidays(2100)


# -- the seed against the `holidays` package (DESIGN §8: cross-check the seed) ---------------


def test_chinesecalendar_seed_agrees_with_the_holidays_package_2024_2026():
    years = range(2024, 2027)
    cn = holidays.country_holidays("CN", years=years)
    listed = [day for day in cn if day.year in years]
    assert len(listed) > 3 * 13
    # Every holiday the package lists (statutory days, substitutes, swapped days) is a day off.
    for day in listed:
        assert not chinese_calendar.is_workday(day), (day, cn[day])
        assert not SEED.is_working_day(day), day
    # Its make-up weekend days (调休上班) are exactly the seed's.
    assert {d for d in cn.weekend_workdays if d.year in years} == {
        d for d in chinese_calendar.constants.workdays if d.year in years
    }
    # And every single day agrees.
    for day in _days(date(2024, 1, 1), date(2026, 12, 31)):
        assert cn.is_working_day(day) == SEED.is_working_day(day), day
