"""Supervision (督办): the deadline dashboard, urging, exports, and the annual report pages.

Reads only: a fixed number of grouped queries whatever the number of divisions; remaining
working days are computed in memory on the shared calendar.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.annual_report import COLUMN_KEYS, report_as_data, report_format, table_3, table_4
from casework.exports import SafeCsvWriter, xlsx_append
from casework.models import Organ
from casework.payloads import Payload
from casework.permissions import sees_all_cases
from casework.selectors import organ_the_one
from workflows.supervision.charts import division_chart, month_chart
from workflows.supervision.selectors import dashboard_data, dashboard_trends


def _organ() -> Organ:
    organ = organ_the_one()
    if organ is None:
        raise Http404
    return organ


def _require_supervision(request: HttpRequest) -> None:
    if not sees_all_cases(request.user):
        raise Http404


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
    organ = _organ()
    data = dashboard_data(organ=organ, today=today, period_start=start, period_end=end)
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
    data["trend"] = month_chart(dashboard_trends(organ=organ, last=end))
    data["on_time_chart"] = division_chart(data["divisions"], "on_time_rate")
    data["days_chart"] = division_chart(data["divisions"], "avg_working_days")
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


Cell = str | int | float  # a cell of the CSV and XLSX exports


def _division_rows(data: Payload) -> list[list[Cell]]:
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
        # the divisions, then the cases not routed yet (the office's) on their own line
        for s in [*data["divisions"], *([data["unrouted"]] if data.get("unrouted") else [])]
    ]


def _case_rows(data: Payload) -> list[list[Cell]]:
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


def _csv(data: Payload) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="supervision-{data["today"]}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
    writer = SafeCsvWriter(response)
    writer.writerow(HEADERS)
    writer.writerows(_division_rows(data))
    writer.writerow([])
    writer.writerow(["类别", "编号", "所需信息", "主办处室", "答复期限", "剩余工作日", "承办人"])
    writer.writerows(_case_rows(data))
    return response


def _xlsx(data: Payload) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "处室统计"
    xlsx_append(sheet, HEADERS)
    for row in _division_rows(data):
        xlsx_append(sheet, row)
    cases = book.create_sheet("超期与即将到期")
    xlsx_append(cases, ["类别", "编号", "所需信息", "主办处室", "答复期限", "剩余工作日", "承办人"])
    for row in _case_rows(data):
        xlsx_append(cases, row)
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


# The 2019 revision of the Regulations (国务院令第711号) set the report format used here; the
# annual_report command refuses earlier years for the same reason.
FIRST_REPORT_YEAR = 2019


def _report_year(request: HttpRequest, today: date) -> tuple[int, str]:
    """The report's year and, for a year we cannot report on, the client's error (400)."""
    raw = request.GET.get("year", str(today.year))
    try:
        year = int(raw)
    except ValueError:
        return today.year, _("The year must be a number such as %(year)d.") % {"year": today.year}
    if year < FIRST_REPORT_YEAR:
        return year, _("Reports start with %(first)d: earlier years used the old Regulations.") % {
            "first": FIRST_REPORT_YEAR
        }
    if year > today.year:
        return year, _("The year %(year)d has not begun: there is no report for it yet.") % {
            "year": year
        }
    return year, ""


@login_required
def annual_report(request: HttpRequest) -> HttpResponse:
    _require_supervision(request)
    today = timezone.localdate()
    year, error = _report_year(request, today)
    if error:
        return render(
            request,
            "supervision/annual_report.html",
            {"year": year, "error": error},
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
    xlsx_append(
        sheet,
        [data["table_3"]["check"]["rule"], *[c["label"] for c in data["table_3"]["columns"]]],
    )
    keys = [c["key"] for c in data["table_3"]["columns"]]
    for row in data["table_3"]["rows"]:
        xlsx_append(sheet, [row["label"], *[row["values"][k] for k in keys]])
    four = book.create_sheet("四、复议诉讼")
    for group in data["table_4"]["groups"]:
        xlsx_append(four, [group["label"], *group["columns"]])
        xlsx_append(four, ["", *group["values"]])
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

    from letters.fonts import font_stacks
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
            "fonts": font_stacks(),  # the letters' faces, with the rare-character fallback
        },
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="annual-report-{year}.pdf"'
    return response
