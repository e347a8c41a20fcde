"""Supervision (督办): the deadline dashboard, urging, exports, and the annual report pages.

Reads only: a fixed number of grouped queries whatever the number of divisions; remaining
working days are computed in memory on the shared calendar.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.annual_report import COLUMN_KEYS, report_as_data, report_format, table_3, table_4
from casework.choices import OPEN_STATUSES, CaseStatus
from casework.choices import Transition as T
from casework.models import CalendarYear, Case, Division, Event, Organ
from casework.permissions import sees_all_cases
from casework.selectors import working_calendar
from casework.workdays import WorkingCalendar


def _organ() -> Organ:
    organ = Organ.objects.order_by("pk").first()
    if organ is None:
        raise Http404
    return organ


def _require_supervision(request: HttpRequest) -> None:
    if not sees_all_cases(request.user):
        raise Http404


def due_soon_until(calendar: WorkingCalendar, today: date) -> date:
    """The last due date that counts as due soon (DUE_SOON_WORKING_DAYS working days ahead)."""
    return calendar.add_working_days(today, settings.DUE_SOON_WORKING_DAYS)


@dataclass
class DivisionStat:
    division_id: int | None
    name: str
    open: int
    overdue: int
    due_soon: int
    urged: int
    closed: int
    on_time: int
    avg_working_days: float | None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.closed, 1) if self.closed else None


def dashboard_data(
    *, organ: Organ, today: date, period_start: date, period_end: date
) -> dict[str, Any]:
    calendar = working_calendar()
    soon = due_soon_until(calendar, today)
    open_cases = Case.objects.filter(organ=organ, status__in=OPEN_STATUSES)
    by_status = dict(open_cases.values_list("status").annotate(n=Count("pk")).order_by())
    divisions: dict[int | None, DivisionStat] = {}
    for division_id, name, n, overdue, due_soon in (
        open_cases.values_list("lead_division_id", "lead_division__name")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=Q(reply_due_on__lt=today)),
            due_soon=Count("pk", filter=Q(reply_due_on__gte=today, reply_due_on__lte=soon)),
        )
        .order_by()
    ):
        divisions[division_id] = DivisionStat(
            division_id, name or _("Not routed yet"), n, overdue, due_soon, 0, 0, 0, None
        )
    for division_id, n in (
        Event.objects.filter(
            case__organ=organ, kind=T.URGE, on__gte=period_start, on__lte=period_end
        )
        .values_list("case__lead_division_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        divisions.setdefault(
            division_id, DivisionStat(division_id, "", 0, 0, 0, 0, 0, 0, None)
        ).urged = n
    # Handling time in working days, from day 0 of the (last) count to the day the case closed.
    spans: dict[int | None, list[int]] = {}
    closed = Case.objects.filter(
        organ=organ,
        closed_on__gte=period_start,
        closed_on__lte=period_end,
        reply_due_on__isnull=False,
    )
    for division_id, start, end, due in closed.values_list(
        "lead_division_id", "clock_started_on", "closed_on", "reply_due_on"
    ):
        if end is None or due is None:  # excluded by the filter; keeps the types exact
            continue
        stat = divisions.setdefault(
            division_id, DivisionStat(division_id, "", 0, 0, 0, 0, 0, 0, None)
        )
        stat.closed += 1
        stat.on_time += end <= due
        if start is not None:
            spans.setdefault(division_id, []).append(calendar.working_days_between(start, end))
    for division_id, name in Division.objects.filter(organ=organ).values_list("pk", "name"):
        if division_id in divisions and not divisions[division_id].name:
            divisions[division_id].name = name
    for division_id, values in spans.items():
        divisions[division_id].avg_working_days = round(sum(values) / len(values), 1)
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
    provisional = open_cases.filter(dates_provisional=True).count()
    next_year = today.year + 1
    calendar_missing = (
        today >= date(today.year, 11, 1)
        and not CalendarYear.objects.filter(year=next_year).exists()
    )
    stats = sorted(divisions.values(), key=lambda s: (-s.overdue, -s.open, s.name))
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
        "max_division": max((s.open for s in stats), default=0),
        "overdue": [r for r in rows if r["kind"] == "overdue"],
        "due_soon": [r for r in rows if r["kind"] == "due_soon"],
        "overdue_total": sum(s.overdue for s in stats),
        "due_soon_total": sum(s.due_soon for s in stats),
        "provisional": provisional,
        "calendar_missing": calendar_missing,
        "next_year": next_year,
        "urged_total": sum(s.urged for s in stats),
    }


def _period(request: HttpRequest, today: date) -> tuple[date, date]:
    try:
        start = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today - timedelta(days=90)
    try:
        end = date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = today
    return (start, end) if start <= end else (end, start)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_supervision(request)
    today = timezone.localdate()
    start, end = _period(request, today)
    data = dashboard_data(organ=_organ(), today=today, period_start=start, period_end=end)
    fmt = request.GET.get("format")
    if fmt == "csv":
        return _csv(data)
    if fmt == "xlsx":
        return _xlsx(data)
    from django.urls import reverse

    cases = reverse("casework:case-list")
    data["status_bars"] = [
        (label, n, f"{cases}?status={value}") for label, value, n in data["by_status"]
    ]
    data["lists"] = [(_("Overdue"), data["overdue"]), (_("Due soon"), data["due_soon"])]
    return render(request, "supervision/dashboard.html", data)


HEADERS = [
    "处室",
    "在办",
    "已超期",
    "即将到期",
    "催办次数",
    "期内办结",
    "按时办结",
    "按时率(%)",
    "平均办理工作日",
]


def _division_rows(data: dict[str, Any]) -> list[list[Any]]:
    return [
        [
            s.name,
            s.open,
            s.overdue,
            s.due_soon,
            s.urged,
            s.closed,
            s.on_time,
            "" if s.on_time_rate is None else s.on_time_rate,
            "" if s.avg_working_days is None else s.avg_working_days,
        ]
        for s in data["divisions"]
    ]


def _case_rows(data: dict[str, Any]) -> list[list[Any]]:
    return [
        [
            "已超期" if r["kind"] == "overdue" else "即将到期",
            r["case"].number,
            r["case"].subject,
            r["case"].lead_division.name if r["case"].lead_division else "",
            str(r["case"].reply_due_on),
            r["remaining"],
            (r["case"].assignee.last_name + r["case"].assignee.first_name)
            if r["case"].assignee
            else "",
        ]
        for r in [*data["overdue"], *data["due_soon"]]
    ]


def _csv(data: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="supervision-{data["today"]}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
    writer = csv.writer(response)
    writer.writerow(HEADERS)
    writer.writerows(_division_rows(data))
    writer.writerow([])
    writer.writerow(["类别", "编号", "所需信息", "主办处室", "答复期限", "剩余工作日", "承办人"])
    writer.writerows(_case_rows(data))
    return response


def _xlsx(data: dict[str, Any]) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "处室统计"
    sheet.append(HEADERS)
    for row in _division_rows(data):
        sheet.append(row)
    cases = book.create_sheet("超期与即将到期")
    cases.append(["类别", "编号", "所需信息", "主办处室", "答复期限", "剩余工作日", "承办人"])
    for row in _case_rows(data):
        cases.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="supervision-{data["today"]}.xlsx"'
    return response


# --- annual report ---------------------------------------------------------------------

# 三 and its groups （三）–（六） are labels spanning their rows in the official layout: no numbers.
GROUP_ROWS = frozenset({"results", "refused", "unable", "not_processed", "other"})


def _report_year(request: HttpRequest, today: date) -> int:
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        raise Http404 from None
    return year


@login_required
def annual_report(request: HttpRequest) -> HttpResponse:
    _require_supervision(request)
    today = timezone.localdate()
    year = _report_year(request, today)
    if year > today.year:
        return render(
            request,
            "supervision/annual_report.html",
            {
                "year": year,
                "error": _("The year %(year)d has not begun: there is no report for it yet.")
                % {"year": year},
            },
            status=400,
        )
    organ = _organ()
    fmt = report_format()
    t3 = table_3(organ, year)
    t4 = table_4(organ, year)
    kind = request.GET.get("format")
    if kind == "xlsx":
        return _report_xlsx(organ, year)
    if kind == "pdf":
        return _report_pdf(request, organ, year)
    return render(
        request,
        "supervision/annual_report.html",
        {
            "year": year,
            "organ": organ,
            "fmt": fmt,
            "t3": t3,
            "t4": t4,
            "columns": [*COLUMN_KEYS, "total"],
            "group_rows": GROUP_ROWS,
            "t4_groups": list(zip(fmt["table_4"]["groups"], t4.values(), strict=True)),
        },
    )


def _report_xlsx(organ: Organ, year: int) -> HttpResponse:
    from openpyxl import Workbook

    data = report_as_data(organ, year)
    book = Workbook()
    sheet = book.active
    sheet.title = "三、依申请公开"
    sheet.append(
        [data["table_3"]["check"]["rule"], *[c["label"] for c in data["table_3"]["columns"]]]
    )
    keys = [c["key"] for c in data["table_3"]["columns"]]
    for row in data["table_3"]["rows"]:
        sheet.append([row["label"], *[row["values"][k] for k in keys]])
    four = book.create_sheet("四、复议诉讼")
    for group in data["table_4"]["groups"]:
        four.append([group["label"], *group["columns"]])
        four.append(["", *group["values"]])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="annual-report-{year}.xlsx"'
    return response


def _report_pdf(request: HttpRequest, organ: Organ, year: int) -> HttpResponse:
    from django.template.loader import render_to_string

    from letters.rendering import html_to_pdf

    fmt = report_format()
    t4 = table_4(organ, year)
    html = render_to_string(
        "supervision/annual_report_print.html",
        {
            "year": year,
            "organ": organ,
            "fmt": fmt,
            "t3": table_3(organ, year),
            "columns": [*COLUMN_KEYS, "total"],
            "group_rows": GROUP_ROWS,
            "t4_groups": list(zip(fmt["table_4"]["groups"], t4.values(), strict=True)),
            "fonts": settings.LETTER_FONTS,
        },
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="annual-report-{year}.pdf"'
    return response
