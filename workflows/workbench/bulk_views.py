"""The case list's saved views (我的视图) and bulk actions (issue 14 point 5): thin views over
workflows.bulk. Actions are POSTs (the filter travels in the query string, as on the list); a bulk
action redirects to its result page, a GET that reloading cannot repeat."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from casework.lifecycle import TRANSITIONS
from casework.lifecycle.actors import staff_user
from casework.logging import client_address, security_log
from casework.selectors import case_list_visible_to
from workflows.bulk import (
    EXPORT,
    EXPORT_MAX_ROWS,
    XLSX_TYPE,
    BulkResult,
    bulk_act,
    export_cut_notice,
    export_xlsx,
    saved_view_create,
    saved_view_delete,
    saved_view_query,
)
from workflows.workbench.cases import bulk_action_form, case_list_page, filtered_cases
from workflows.workbench.filters import SavedViewForm

BULK_RESULTS = "workflows_bulk_results"  # session key: token → what a bulk action did
BULK_RESULTS_KEPT = 5


def _list_url(query: str) -> str:
    url = reverse("casework:case-list")
    return f"{url}?{query}" if query else url


@require_POST
@login_required
def saved_view_save(request: HttpRequest) -> HttpResponse:
    """Keep the filter in the query string under a name; errors show next to the name."""
    owner = staff_user(request)
    form = SavedViewForm(request.POST, owner=owner)
    if not form.is_valid():
        return case_list_page(request, view_form=form, status=400)
    view = saved_view_create(owner=owner, name=form.cleaned_data["name"], params=request.GET)
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return redirect(_list_url(view.query))


@require_POST
@login_required
def saved_view_remove(request: HttpRequest) -> HttpResponse:
    """Delete one of the user's own views (another user's view answers as a missing one)."""
    if saved_view_delete(owner=staff_user(request), pk=request.POST.get("view")):
        messages.success(request, _("View deleted."))
    else:
        messages.error(request, _("No such view."))
    return redirect(_list_url(saved_view_query(request.GET)))


@never_cache
@require_POST
@login_required
def case_bulk(request: HttpRequest) -> HttpResponse:
    """Claim, assign or urge the ticked cases one by one, or export them (all of the filtered
    list when none is ticked) as XLSX."""
    user = staff_user(request)
    form = bulk_action_form(user, request.POST)
    if not form.is_valid():
        return case_list_page(request, bulk_form=form, status=400)
    action = form.cleaned_data["action"]
    numbers = form.cleaned_data["numbers"]
    if action == EXPORT:
        return _export(request, numbers)
    fields: dict[str, object] = {}
    if action == "assign":
        fields = {"lead_division_id": form.cleaned_data["lead_division"].pk}
    elif action == "urge":
        fields = {"message": form.cleaned_data["message"].strip()}
    results = bulk_act(user=user, numbers=numbers, name=action, fields=fields)
    # Post/redirect/get: the result page is a GET of what was done, so reloading it shows the
    # same result and acts on nothing again. The last few results stay in the session.
    token = secrets.token_urlsafe(8)
    kept = request.session.get(BULK_RESULTS, {})
    kept[token] = {
        "action": action,
        "results": [[r.number, r.ok, r.message] for r in results],
        "back": _list_url(saved_view_query(request.GET)),
    }
    request.session[BULK_RESULTS] = dict(list(kept.items())[-BULK_RESULTS_KEPT:])
    return redirect("casework:case-bulk-result", token=token)


@never_cache
@login_required
def case_bulk_result(request: HttpRequest, token: str) -> HttpResponse:
    """What one bulk action did, case by case (from this session only)."""
    done = request.session.get(BULK_RESULTS, {}).get(token)
    if done is None:
        messages.info(request, _("That bulk action's result is no longer available."))
        return redirect("casework:case-list")
    results = [BulkResult(number, ok, message) for number, ok, message in done["results"]]
    return render(
        request,
        "workflows/bulk_result.html",
        {
            "label": TRANSITIONS[done["action"]].label,
            "results": results,
            "succeeded": sum(r.ok for r in results),
            "back": done["back"],
        },
    )


def _export(request: HttpRequest, numbers: list[str]) -> HttpResponse:
    user = staff_user(request)
    if numbers:
        # The ticked cases, still among those the user may see.
        cases = case_list_visible_to(user=user).filter(number__in=numbers)
    else:
        _form, cases = filtered_cases(user, request.GET)
    cases = cases.order_by("-created_at", "-pk")  # the list's own order
    total = cases.count()
    filters = saved_view_query(request.GET)
    content = export_xlsx(
        user=user,
        cases=cases[:EXPORT_MAX_ROWS],
        total=total,
        filters=filters,
        selected=bool(numbers),
    )
    security_log.info(
        "case list export user=%s rows=%s of=%s selected=%s filter=%s client=%s",
        user.get_username(),
        min(total, EXPORT_MAX_ROWS),
        total,
        len(numbers),
        filters,
        client_address(request),
    )
    if total > EXPORT_MAX_ROWS:
        messages.warning(request, export_cut_notice(total))
    response = HttpResponse(content, content_type=XLSX_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.xlsx"'
    if total > EXPORT_MAX_ROWS:
        response["X-Export-Truncated"] = str(total)
    return response
