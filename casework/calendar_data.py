"""Writes to the working-day calendar (SpecialDay, CalendarYear) from the `chinesecalendar`
package. Every change is followed by recomputing the open cases' dates elsewhere."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from casework.models import CalendarYear, SpecialDay

PACKAGE_SOURCE = "chinesecalendar {version}（国务院办公厅部分节假日安排通知）"


def package_years() -> list[int]:
    """Years the installed chinesecalendar package covers."""
    from chinese_calendar import constants

    return sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})


@transaction.atomic
def calendar_load_from_package(years: Iterable[int]) -> dict[int, int]:
    """Load the State Council's arrangement for `years` from chinesecalendar; return the number
    of special days per year. Replaces what the years had (idempotent)."""
    import chinese_calendar
    from chinese_calendar import constants

    available = set(package_years())
    source = PACKAGE_SOURCE.format(version=getattr(chinese_calendar, "__version__", "?"))
    counts: dict[int, int] = {}
    for year in years:
        if year not in available:
            raise ValueError(year)
        rows = [
            SpecialDay(day=day, kind=SpecialDay.Kind.HOLIDAY, name=str(name), source=source)
            for day, name in constants.holidays.items()
            if day.year == year
        ] + [
            SpecialDay(day=day, kind=SpecialDay.Kind.WORKDAY, name=str(name), source=source)
            for day, name in constants.workdays.items()
            if day.year == year
        ]
        existing = {
            (d.day, d.kind, d.name) for d in SpecialDay.objects.filter(day__year=year)
        }
        if existing != {(r.day, r.kind, r.name) for r in rows}:
            SpecialDay.objects.filter(day__year=year).delete()
            SpecialDay.objects.bulk_create(rows)
        entry, created = CalendarYear.objects.get_or_create(year=year, defaults={"source": source})
        if not created and entry.source != source:
            entry.source = source
            entry.save(update_fields=["source", "loaded_at"])
        counts[year] = len(rows)
    return counts
