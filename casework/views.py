"""Staff pages: thin views (fetch with an access check, call one service, respond)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from casework.choices import Transition
from casework.errors import NotVisible
from casework.forms import CaseFilterForm
from casework.lifecycle import available_transitions
from casework.models import Division
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
            "letters": case.letters.select_related("issued_by", "void").order_by("issued_at") if hasattr(case, "letters") else [],
            "actions": [(name, Transition(name).label) for name in available_transitions(case, request.user, now=timezone.now())],
        },
    )
