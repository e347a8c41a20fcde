"""Faces of the self-check: fetch with an access check (404 for missing and forbidden alike),
call one service, render."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.clock import supervision_level
from casework.errors import CaseworkError
from casework.exports import xlsx_append
from casework.lifecycle.actors import staff_user
from casework.models import Organ
from casework.payloads import TemplateContext
from casework.selectors import working_calendar
from casework.selfcheck import services
from casework.selfcheck.models import Campaign, Item
from casework.selfcheck.selectors import (
    campaign_report,
    campaigns_of,
    is_head,
    is_office,
    item_history,
    items_visible_to,
    sees_campaigns,
)
from letters.fonts import font_stacks
from letters.rendering import html_to_pdf
from workflows.selfcheck.forms import ApproveForm, ConcludeForm, NoteForm, OpenForm, ReasonForm


def _campaign_or_404(request: HttpRequest, pk: int) -> Campaign:
    campaign = campaigns_of(request.user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def _remaining(item: Item, today: date) -> tuple[int, str]:
    """Working days left (negative when overdue) and the badge level, as for cases."""
    calendar = working_calendar()
    if today <= item.due_on:
        left = calendar.working_days_between(today, item.due_on)
    else:
        left = -max(1, calendar.working_days_between(item.due_on, today))
    return left, supervision_level(left).replace("_", "-")


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    if not sees_campaigns(request.user):
        raise Http404
    form = OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organ = Organ.objects.order_by("pk").first()
        if organ is None:
            raise Http404
        try:
            campaign = services.campaign_open(
                organ=organ,
                actor=staff_user(request),
                now=timezone.now(),
                title=form.cleaned_data["title"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                working_days=form.cleaned_data["working_days"],
            )
        except CaseworkError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("The self-check is open: %(n)s items sent to the divisions.")
                % {"n": campaign.items.count()},
            )
            return redirect("workflows:selfcheck:campaign", pk=campaign.pk)
    return render(
        request,
        "workflows/selfcheck/campaigns.html",
        {
            "campaigns": campaigns_of(request.user),
            "form": form,
            "may_open": is_office(request.user),
        },
    )


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign_or_404(request, pk)
    today = timezone.localdate()
    items = list(
        campaign.items.select_related("division", "case").order_by("division__name", "due_on", "pk")
    )
    rows = [(item, *_remaining(item, today)) for item in items]
    return render(
        request,
        "workflows/selfcheck/campaign.html",
        {
            "campaign": campaign,
            "rows": rows,
            "report": campaign_report(campaign),
            "may_close": is_head(request.user) and campaign.status == Campaign.Status.OPEN,
        },
    )


@login_required
@require_POST
def campaign_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign_or_404(request, pk)
    try:
        services.campaign_close(
            campaign_id=campaign.pk, actor=staff_user(request), now=timezone.now()
        )
        messages.success(request, _("The self-check is closed."))
    except CaseworkError as error:
        messages.error(request, error.message)
    return redirect("workflows:selfcheck:campaign", pk=campaign.pk)


def _item_or_404(request: HttpRequest, pk: int) -> Item:
    item = items_visible_to(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def _catalogue_link(item: Item) -> str:
    if item.catalogue_item_id is None:
        return ""
    return reverse("catalogue:item", args=[item.catalogue_item_id])


def _item_page(
    request: HttpRequest, item: Item, **forms: ConcludeForm | ApproveForm | ReasonForm | NoteForm
) -> HttpResponse:
    today = timezone.localdate()
    left, level = _remaining(item, today)
    waiting = item.status in (Item.Status.PENDING, Item.Status.RETURNED)
    open_ = item.campaign.status == Campaign.Status.OPEN
    context = {
        "item": item,
        "left": left,
        "level": level,
        "history": item_history(item),
        "may_conclude": open_ and waiting and services.may_conclude(request.user, item),
        "may_approve": open_ and item.status == Item.Status.CONCLUDED and is_head(request.user),
        "may_urge": open_ and waiting and sees_campaigns(request.user),
        "conclude_form": forms.get("conclude") or ConcludeForm(withheld=item.is_withheld),
        "approve_form": forms.get("approve")
        or ApproveForm(disclosing=item.conclusion in services.DISCLOSING),
        "return_form": forms.get("return") or ReasonForm(),
        "urge_form": forms.get("urge") or NoteForm(),
        "catalogue_link": _catalogue_link(item),
    }
    status = 400 if any(f.errors for f in forms.values()) else 200
    return render(request, "workflows/selfcheck/item.html", context, status=status)


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_page(request, _item_or_404(request, pk))


@login_required
@require_POST
def item_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = _item_or_404(request, pk)
    now = timezone.now()
    form: ConcludeForm | ApproveForm | ReasonForm | NoteForm
    call: Callable[[], Item]
    if action == "conclude":
        form = ConcludeForm(request.POST, withheld=item.is_withheld)
        if form.is_valid():
            data = form.cleaned_data

            def call() -> Item:
                return services.item_conclude(
                    item_id=item.pk,
                    actor=staff_user(request),
                    now=now,
                    conclusion=data["conclusion"],
                    ground_check=data.get("ground_check", ""),
                    reasons=data["reasons"],
                )
    elif action == "approve":
        form = ApproveForm(request.POST, disclosing=item.conclusion in services.DISCLOSING)
        if form.is_valid():

            def call() -> Item:
                return services.item_approve(
                    item_id=item.pk,
                    actor=staff_user(request),
                    now=now,
                    note=form.cleaned_data["note"],
                    category=form.cleaned_data.get("category"),
                )
    elif action == "return":
        form = ReasonForm(request.POST)
        if form.is_valid():

            def call() -> Item:
                return services.item_return(
                    item_id=item.pk,
                    actor=staff_user(request),
                    now=now,
                    reason=form.cleaned_data["reason"],
                )
    elif action == "urge":
        form = NoteForm(request.POST)
        if form.is_valid():

            def call() -> Item:
                return services.item_urge(
                    item_id=item.pk,
                    actor=staff_user(request),
                    now=now,
                    message=form.cleaned_data["note"],
                )
    else:
        raise Http404
    if form.is_valid():
        try:
            call()
        except CaseworkError as error:
            if error.status_code == 403:
                raise Http404 from None
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Recorded."))
            return redirect("workflows:selfcheck:item", pk=item.pk)
    item.refresh_from_db()
    return _item_page(request, item, **{action: form})


def _report_context(campaign: Campaign) -> TemplateContext:
    return {"campaign": campaign, "report": campaign_report(campaign)}


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign_or_404(request, pk)
    html = render_to_string(
        "workflows/selfcheck/report_print.html",
        {**_report_context(campaign), "fonts": font_stacks()},
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="selfcheck-{campaign.pk}.pdf"'
    return response


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from openpyxl import Workbook

    campaign = _campaign_or_404(request, pk)
    report = campaign_report(campaign)
    book = Workbook()
    sheet = book.active
    sheet.title = "按处室和结论"
    labels = [label or _("Self-check not concluded") for _key, label in report.conclusions]
    xlsx_append(sheet, [_("Division"), *labels, _("Total")])
    for name, counts, total in report.rows:
        xlsx_append(sheet, [name or _("No division"), *counts, total])
    xlsx_append(sheet, [_("Total"), *report.totals, report.total])
    kinds = book.create_sheet("来源")
    for label, n in report.by_kind:
        xlsx_append(kinds, [label, n])
    xlsx_append(kinds, [_("Catalogue items from self-checks"), report.catalogue["selfcheck"]])
    xlsx_append(
        kinds, [_("Catalogue items from popular topics"), report.catalogue["popular_topic"]]
    )
    detail = book.create_sheet("明细")
    xlsx_append(
        detail,
        [
            _("Kind"),
            _("Division"),
            _("Information"),
            _("Withholding ground"),
            _("Date of the reply"),
            _("Conclusion"),
            _("Reasons"),
            _("Status"),
        ],
    )
    for item in report.items:
        xlsx_append(
            detail,
            [
                item.get_kind_display(),
                item.division.name if item.division else "",
                item.title,
                item.ground,
                item.decided_on.isoformat() if item.decided_on else "",
                item.get_conclusion_display() if item.conclusion else "",
                item.reasons,
                item.get_status_display(),
            ],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="selfcheck-{campaign.pk}.xlsx"'
    return response
