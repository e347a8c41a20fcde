"""Staff pages: thin views (fetch with an access check, call one service, respond)."""

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from casework.choices import Transition
from casework.errors import NotVisible
from casework.forms import CaseFilterForm
from casework.lifecycle import available_transitions
from casework.models import Division, Organ
from casework.permissions import sees_all_cases, user_division_ids
from casework.selectors import (
    case_clock,
    case_get_for_user,
    case_history,
    case_list_visible_to,
    case_warnings,
)

PAGE_SIZE = 50


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    divisions = Division.objects.filter(is_active=True).select_related("organ")
    if not sees_all_cases(user):
        divisions = divisions.filter(pk__in=user_division_ids(user))
    form = CaseFilterForm(request.GET or None, divisions=divisions)
    cases = case_list_visible_to(user=user)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            q = data["q"].strip()
            cases = cases.filter(Q(number__icontains=q) | Q(applicant__name__icontains=q))
        if data.get("status"):
            cases = cases.filter(status=data["status"])
        if data.get("division"):
            cases = cases.filter(lead_division=data["division"])
        if data.get("channel"):
            cases = cases.filter(channel=data["channel"])
        if data.get("received_from"):
            cases = cases.filter(received_on__gte=data["received_from"])
        if data.get("received_to"):
            cases = cases.filter(received_on__lte=data["received_to"])
    cases = apply_drilldown(cases, request.GET)
    cases = cases.order_by("-created_at", "-pk")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "casework/case_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    try:
        case = case_get_for_user(user=request.user, number=number)
    except NotVisible:
        raise Http404 from None
    return render(
        request,
        "casework/case_detail.html",
        {
            "case": case,
            "events": case_history(case=case),
            "attachments": case.attachments.all(),
            "co_divisions": case.co_divisions.all(),
            "clock": case_clock(case=case, today=timezone.localdate()),
            "warnings": case_warnings(case),
            "letters": case.letters.select_related("issued_by", "void").order_by("issued_at")
            if hasattr(case, "letters")
            else [],
            "actions": [
                (name, Transition(name).label)
                for name in available_transitions(case, request.user, now=timezone.now())
            ],
        },
    )


def apply_drilldown(cases: Any, params: Any) -> Any:
    """Filters behind the numbers of the supervision dashboard and the annual report."""
    from datetime import date as _date

    from casework.choices import OPEN_STATUSES
    from casework.selectors import working_calendar

    today = timezone.localdate()
    if params.get("open"):
        cases = cases.filter(status__in=OPEN_STATUSES)
    level = params.get("level")
    if level in ("overdue", "due_soon"):
        cases = cases.filter(status__in=OPEN_STATUSES)
        if level == "overdue":
            cases = cases.filter(reply_due_on__lt=today)
        else:
            soon = working_calendar().add_working_days(today, settings.DUE_SOON_WORKING_DAYS)
            cases = cases.filter(reply_due_on__gte=today, reply_due_on__lte=soon)
    if params.get("provisional"):
        cases = cases.filter(status__in=OPEN_STATUSES, dates_provisional=True)
    if params.get("division") == "none":
        cases = cases.filter(lead_division__isnull=True)
    try:
        if params.get("closed_from"):
            cases = cases.filter(closed_on__gte=_date.fromisoformat(params["closed_from"]))
        if params.get("closed_to"):
            cases = cases.filter(closed_on__lte=_date.fromisoformat(params["closed_to"]))
    except ValueError:
        return cases.none()
    if params.get("report"):
        from casework.annual_report import report_cell_cases

        try:
            year = int(params["report"])
        except ValueError:
            return cases.none()
        organ = Organ.objects.order_by("pk").first()
        if organ is None:
            return cases.none()
        cell = report_cell_cases(organ, year, params.get("row", ""), params.get("col", "total"))
        cases = cases.filter(pk__in=cell.values("pk"))
    return cases


@login_required
def attachment_download(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """An uploaded file of a case: same 404 for missing and forbidden, never inline."""
    try:
        case = case_get_for_user(user=request.user, number=number)
    except NotVisible:
        raise Http404 from None
    attachment = case.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
