"""The working-day calendar from the command line.

manage.py workdays load 2024 2025 2026     seed years from the chinesecalendar package
manage.py workdays import FILE [--year Y]  load a year from a JSON or CSV file
manage.py workdays years                   list loaded and missing years
manage.py workdays add 2025-09-28 20       the 20th working day after a date
manage.py workdays between A B             working days after A up to and including B
"""

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from casework.calendar_data import (
    CalendarImportError,
    calendar_import,
    calendar_load_from_package,
    package_years,
    parse_calendar_file,
)
from casework.lifecycle import cases_recompute_clocks
from casework.management.progress import ProgressBar
from casework.models import CalendarYear
from casework.selectors import working_calendar
from casework.workdays import MAX_WORKING_DAYS, OutsideCalendar


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"“{value}”不是有效日期，请使用“年-月-日”格式，如 2025-09-28。"
        ) from None


class Command(BaseCommand):
    help = "Working-day calendar: load, import, list years, add working days, count between dates."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="seed years from the chinesecalendar package")
        load.add_argument("years", nargs="+", type=int)
        imp = sub.add_parser("import", help="load a year from a JSON or CSV file")
        imp.add_argument("file", type=Path)
        imp.add_argument("--year", type=int)
        imp.add_argument("--source", default="")
        sub.add_parser("years", help="list loaded and missing years")
        add = sub.add_parser("add", help="the N-th working day after a date")
        add.add_argument("start")
        add.add_argument("days")
        between = sub.add_parser("between", help="working days after A up to and including B")
        between.add_argument("a")
        between.add_argument("b")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    def _recompute(self) -> None:
        report = cases_recompute_clocks(
            now=timezone.now(), progress=ProgressBar("重新计算办理时限")
        )
        self.stdout.write(f"已检查在办案件 {report.checked} 件，时限变化 {report.changed} 件。")

    def _load(self, years: list[int], **_: object) -> None:
        available = package_years()
        missing = [y for y in years if y not in available]
        if missing:
            raise CommandError(
                f"chinesecalendar 没有 {'、'.join(map(str, missing))} 年的数据（可用：{available[0]}–{available[-1]}）。"
                "请用 workdays import 载入国务院办公厅通知。"
            )
        counts = calendar_load_from_package(years)
        for year, count in counts.items():
            self.stdout.write(f"{year} 年：{count} 个特殊日")
        self._recompute()

    def _import(self, file: Path, year: int | None, source: str, **_: object) -> None:
        try:
            parsed = parse_calendar_file(file, year=year)
            count = calendar_import(parsed, source=source)
        except CalendarImportError as exc:
            raise CommandError("文件未载入：\n" + "\n".join(exc.errors)) from None
        self.stdout.write(f"{parsed.year} 年：已载入 {count} 个特殊日。")
        self._recompute()

    def _years(self, **_: object) -> None:
        loaded = {y.year: y for y in CalendarYear.objects.all()}
        today = timezone.localdate()
        for year in range(min(loaded, default=today.year), today.year + 2):
            entry = loaded.get(year)
            state = (
                f"已载入（{entry.source}）"
                if entry
                else "未载入：日期按双休日和法定节假日推算，为暂定"
            )
            self.stdout.write(f"{year}  {state}")

    def _add(self, start: str, days: str, **_: object) -> None:
        day = _date(start)
        try:
            n = int(days)
        except ValueError:
            raise CommandError(f"“{days}”不是整数。") from None
        if not 0 <= n <= MAX_WORKING_DAYS:
            raise CommandError(f"工作日数须在 0 至 {MAX_WORKING_DAYS} 之间。")
        calendar = working_calendar()
        try:
            result = calendar.add_working_days(day, n)
        except OutsideCalendar as exc:
            raise CommandError(exc.message) from None
        provisional = calendar.spans_provisional(day, result)
        self.stdout.write(result.isoformat() + (" provisional（暂定）" if provisional else ""))

    def _between(self, a: str, b: str, **_: object) -> None:
        first, last = _date(a), _date(b)
        calendar = working_calendar()
        try:
            count = calendar.working_days_between(first, last)
        except OutsideCalendar as exc:
            raise CommandError(exc.message) from None
        provisional = calendar.spans_provisional(min(first, last), max(first, last))
        self.stdout.write(str(count) + (" provisional（暂定）" if provisional else ""))
