"""Writes to the working-day calendar (SpecialDay, CalendarYear): seeding from the
`chinesecalendar` package, importing a year from a file, an administrator's single day. Every
write is recorded as a CalendarChange (who, when, why)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from casework.errors import InvalidInput
from casework.lifecycle.actors import Staff
from casework.models import CalendarChange, CalendarYear, SpecialDay
from casework.selectors import working_calendar_forget
from casework.tasks import enqueue_on_commit, recompute_deadlines
from casework.workdays import FIRST_CALENDAR_YEAR, LAST_SUPPORTED_YEAR, statutory_holidays

PACKAGE_SOURCE = "chinesecalendar {version}（国务院办公厅部分节假日安排通知）"


def package_years() -> list[int]:
    """Years the installed chinesecalendar package covers."""
    from chinese_calendar import constants

    return sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})


@transaction.atomic
def calendar_load_from_package(
    years: Iterable[int], *, user: Staff | None = None
) -> dict[int, int]:
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
        existing = {(d.day, d.kind, d.name) for d in SpecialDay.objects.filter(day__year=year)}
        if existing != {(r.day, r.kind, r.name) for r in rows}:
            SpecialDay.objects.filter(day__year=year).delete()
            SpecialDay.objects.bulk_create(rows)
            CalendarChange.objects.create(
                user=user,
                action=CalendarChange.Action.LOAD,
                year=year,
                after=f"{len(rows)}",
                reason=source,
            )
        entry, created = CalendarYear.objects.get_or_create(year=year, defaults={"source": source})
        if not created and entry.source != source:
            entry.source = source
            entry.save(update_fields=["source", "loaded_at"])
        counts[year] = len(rows)
    working_calendar_forget()
    return counts


class CalendarImportError(Exception):
    """A bad calendar file: every problem, each naming its line. Nothing was loaded."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ParsedYear:
    year: int
    source: str
    days: dict[date, tuple[str, str, int]] = field(
        default_factory=dict
    )  # day -> (kind, name, line)


def _line_of(text: str, needle: str) -> int:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 0


def _parse_day(value: object, line: int, errors: list[str]) -> date | None:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors.append(
            _("Line %(line)d: “%(value)s” is not a date (YYYY-MM-DD).")
            % {"line": line, "value": value}
        )
        return None


def _add_day(
    parsed: ParsedYear, day: date, kind: str, name: str, line: int, errors: list[str]
) -> None:
    if day.year != parsed.year:
        errors.append(
            _("Line %(line)d: %(day)s is not in the year %(year)d of the file.")
            % {"line": line, "day": day.isoformat(), "year": parsed.year}
        )
        return
    if kind == SpecialDay.Kind.WORKDAY and day.weekday() < 5:
        errors.append(
            _(
                "Line %(line)d: %(day)s is a weekday; a make-up working day must fall on a Saturday or Sunday."
            )
            % {"line": line, "day": day.isoformat()}
        )
        return
    previous = parsed.days.get(day)
    if previous is not None:
        if previous[0] != kind:
            errors.append(
                _(
                    "Line %(line)d: %(day)s is both a holiday and a make-up working day (see line %(other)d)."
                )
                % {"line": line, "day": day.isoformat(), "other": previous[2]}
            )
        else:
            errors.append(
                _("Line %(line)d: %(day)s is listed twice (see line %(other)d).")
                % {"line": line, "day": day.isoformat(), "other": previous[2]}
            )
        return
    parsed.days[day] = (kind, name, line)


def parse_calendar_file(path: Path, *, year: int | None = None) -> ParsedYear:
    """Read a year's arrangement from JSON or CSV (format in the README); raise
    CalendarImportError listing every problem with its line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CalendarImportError(
            [_("The file cannot be read: %(error)s") % {"error": exc}]
        ) from None
    errors: list[str] = []
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CalendarImportError(
                [
                    _("Line %(line)d: not valid JSON (%(msg)s).")
                    % {"line": exc.lineno, "msg": exc.msg}
                ]
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("year"), int):
            raise CalendarImportError(
                [_("Line 1: the file must be an object with a whole-number “year”.")]
            )
        file_year = data["year"]
        if year is not None and year != file_year:
            raise CalendarImportError(
                [
                    _("Line %(line)d: the file is for %(file)d, not %(year)d.")
                    % {"line": _line_of(text, '"year"'), "file": file_year, "year": year}
                ]
            )
        range_error = _year_out_of_range(file_year, _line_of(text, '"year"'))
        if range_error:
            raise CalendarImportError([range_error])
        parsed = ParsedYear(year=file_year, source=str(data.get("source") or "").strip())
        for item in data.get("holidays") or []:
            start_raw = item.get("from") if isinstance(item, dict) else item
            line = _line_of(text, str(start_raw))
            if not isinstance(item, dict):
                errors.append(
                    _("Line %(line)d: a holiday needs “from”, “to” and “name”.") % {"line": line}
                )
                continue
            start = _parse_day(item.get("from"), line, errors)
            end = _parse_day(item.get("to", item.get("from")), line, errors)
            if start is None or end is None:
                continue
            if end < start:
                errors.append(
                    _("Line %(line)d: the holiday ends before it starts.") % {"line": line}
                )
                continue
            if (end - start).days > 15:
                errors.append(
                    _("Line %(line)d: a holiday block of more than 16 days is not plausible.")
                    % {"line": line}
                )
                continue
            day = start
            while day <= end:
                _add_day(
                    parsed, day, SpecialDay.Kind.HOLIDAY, str(item.get("name", "")), line, errors
                )
                day += timedelta(days=1)
        for item in data.get("workdays") or []:
            raw = item.get("date") if isinstance(item, dict) else item
            line = _line_of(text, str(raw))
            workday = _parse_day(raw, line, errors)
            if workday is not None:
                name = str(item.get("name", "")) if isinstance(item, dict) else ""
                _add_day(parsed, workday, SpecialDay.Kind.WORKDAY, name, line, errors)
    else:
        if year is None:
            raise CalendarImportError([_("A CSV file needs the year: add --year.")])
        range_error = _year_out_of_range(year, 1)
        if range_error:
            raise CalendarImportError([range_error])
        parsed = ParsedYear(year=year, source="")
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or not {"date", "kind"} <= set(reader.fieldnames):
            raise CalendarImportError(
                [_("Line 1: the CSV header must name the columns date,kind,name.")]
            )
        for row in reader:
            line = reader.line_num
            row_day = _parse_day(row.get("date"), line, errors)
            kind = (row.get("kind") or "").strip()
            if kind not in SpecialDay.Kind.values:
                errors.append(
                    _("Line %(line)d: the kind must be “holiday” or “workday”, not “%(kind)s”.")
                    % {"line": line, "kind": kind}
                )
                continue
            if row_day is not None:
                _add_day(parsed, row_day, kind, (row.get("name") or "").strip(), line, errors)
    if not parsed.days and not errors:
        errors.append(_("The file lists no days."))
    errors.extend(statutory_holidays_missing(parsed))
    if errors:
        raise CalendarImportError(errors)
    return parsed


def _year_out_of_range(year: int, line: int) -> str:
    if FIRST_CALENDAR_YEAR <= year <= LAST_SUPPORTED_YEAR:
        return ""
    return _(
        "Line %(line)d: the year %(year)d is outside the working-day calendar (%(first)d to %(last)d)."
    ) % {"line": line, "year": year, "first": FIRST_CALENDAR_YEAR, "last": LAST_SUPPORTED_YEAR}


def statutory_holidays_missing(parsed: ParsedYear) -> list[str]:
    """The problem, if any, that the year's file leaves a statutory holiday a working day.

    《全国年节及纪念日放假办法》 (as amended 2024-11-10, from 2025: 元旦 1, 春节 4, 清明 1, 劳动节 2,
    端午 1, 中秋 1, 国庆 3 — 13 days; earlier years the rules then in force) fixes the statutory
    days; the State Council's notice only adds to them (substitute and swapped days). So every
    statutory day must be a holiday in the file; a holiday period may be longer. An incomplete
    notice would silently turn 春节 or 国庆 into working days and stop the year's dates being
    provisional, so it is refused, naming every missing day.
    """
    missing = [
        (day, name)
        for day, name in statutory_holidays(parsed.year).items()
        if parsed.days.get(day, ("",))[0] != SpecialDay.Kind.HOLIDAY
    ]
    if not missing:
        return []
    return [
        _(
            "The file leaves statutory holidays of %(year)d (《全国年节及纪念日放假办法》) as working days: %(days)s. A year is loaded only with all of them; until the State Council's notice is complete the year stays provisional."
        )
        % {
            "year": parsed.year,
            "days": "、".join(f"{day.isoformat()}（{name}）" for day, name in missing),
        }
    ]


def calendar_year_problems(parsed: ParsedYear) -> list[str]:
    """Why a parsed year cannot become official: a year outside the calendar, a make-up
    working day (调休上班) that is not a Saturday or Sunday, a statutory holiday missing."""
    problems = [p for p in [_year_out_of_range(parsed.year, 1)] if p]
    if problems:
        return problems
    problems += [
        _(
            "Line %(line)d: %(day)s is a weekday; a make-up working day must fall on a Saturday or Sunday."
        )
        % {"line": line, "day": day.isoformat()}
        for day, (kind, _name, line) in sorted(parsed.days.items())
        if kind == SpecialDay.Kind.WORKDAY and day.weekday() < 5
    ]
    return problems + statutory_holidays_missing(parsed)


@transaction.atomic
def calendar_import(parsed: ParsedYear, *, user: Staff | None = None, source: str = "") -> int:
    """Replace the year's special days with the parsed ones and mark the year official.

    Only a complete year becomes official (see `calendar_year_problems`); otherwise
    CalendarImportError and nothing is written.
    """
    problems = calendar_year_problems(parsed)
    if problems:
        raise CalendarImportError(problems)
    source = source or parsed.source or _("imported file")
    SpecialDay.objects.filter(day__year=parsed.year).delete()
    SpecialDay.objects.bulk_create(
        [
            SpecialDay(day=day, kind=kind, name=name, source=source)
            for day, (kind, name, _line) in sorted(parsed.days.items())
        ]
    )
    entry, created = CalendarYear.objects.get_or_create(
        year=parsed.year, defaults={"source": source}
    )
    if not created:
        entry.source = source
        entry.save(update_fields=["source", "loaded_at"])
    CalendarChange.objects.create(
        user=user,
        action=CalendarChange.Action.IMPORT,
        year=parsed.year,
        after=str(len(parsed.days)),
        reason=source,
    )
    working_calendar_forget()
    return len(parsed.days)


def _describe(day: SpecialDay) -> str:
    return f"{day.day} {day.kind} {day.name}"


def special_day_problems(*, day: date, kind: str) -> dict[str, str]:
    """Why a single special day cannot be saved, by form field: a day outside the calendar's
    years, a make-up working day (调休上班) that is not a Saturday or Sunday."""
    if not FIRST_CALENDAR_YEAR <= day.year <= LAST_SUPPORTED_YEAR:
        return {
            "day": _(
                "The working-day calendar covers %(first)d to %(last)d; %(day)s is outside it."
            )
            % {"first": FIRST_CALENDAR_YEAR, "last": LAST_SUPPORTED_YEAR, "day": day.isoformat()}
        }
    if kind == SpecialDay.Kind.WORKDAY and day.weekday() < 5:
        return {"kind": _("A make-up working day must fall on a Saturday or Sunday.")}
    return {}


def special_day_save(*, day: SpecialDay, actor: Staff, reason: str) -> CalendarChange:
    """Add or correct one special day (an administrator's edit); the open cases' time limits
    are then recomputed in the background.

    A make-up working day (调休上班) must be a Saturday or Sunday (the notices only ever move
    weekend days); otherwise InvalidInput. The change is recorded with its before and after
    and the reason (e.g. the notice's document number) in the same transaction. After commit,
    `casework.tasks.recompute_deadlines` is enqueued on the long queue: a worker recomputes
    every open case on the new calendar (Art 33: working days follow the State Council's
    arrangement), each move recorded as an event. With 100,000 open cases that is minutes of
    work, which must not hold the administrator's request (issue 15).
    """

    for field_name, message in special_day_problems(day=day.day, kind=day.kind).items():
        raise InvalidInput(message, field=field_name)
    with transaction.atomic():
        old = SpecialDay.objects.filter(pk=day.pk).first() if day.pk else None
        day.save()
        change = CalendarChange.objects.create(
            user=actor,
            action=CalendarChange.Action.CHANGE if old else CalendarChange.Action.ADD,
            year=day.day.year,
            day=day.day,
            before=_describe(old) if old else "",
            after=_describe(day),
            reason=reason,
        )
        transaction.on_commit(working_calendar_forget)
        enqueue_on_commit(recompute_deadlines)
    return change
