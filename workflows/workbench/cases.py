"""The staff case pages (case list, case page, attachments): thin views over the selectors."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from casework.errors import InvalidInput, NotVisible
from casework.lifecycle import available_actions
from casework.lifecycle.actions import (
    NEXT_STEPS,
    Action,
    actions_next_first,
    primary_action,
    waiting_for,
)
from casework.lifecycle.actors import Person, Staff, staff_user
from casework.logging import id_number_reveal_logged
from casework.models import Case, Division
from casework.payloads import Payload
from casework.permissions import (
    may_reveal_id_number,
    sees_all_cases,
    sees_contact_details,
    user_division_ids,
)
from casework.search import case_page
from casework.selectors import (
    case_clock,
    case_get_for_user,
    case_history,
    case_internal_deadlines,
    case_list_drilldown,
    case_list_drilldown_error,
    case_list_filter,
    case_list_visible_to,
    case_notes,
    case_warnings,
)
from casework.services import case_note_add
from casework.validators import mask_email, mask_phone
from letters.drift import letters_out_of_step
from letters.offer import letters_offered
from letters.selectors import archived_casefile
from workflows.bulk import (
    BULK_MAX_CASES,
    EXPORT_MAX_ROWS,
    bulk_actions_for,
    saved_view_query,
    saved_views_of,
)
from workflows.models import IdNumberReveal
from workflows.workbench.filters import BulkActionForm, CaseFilterForm, SavedViewForm
from workflows.workbench.forms import CaseNoteForm, transition_form

PAGE_SIZE = 50


def _list_divisions(user: Person) -> QuerySet[Division]:
    divisions = Division.objects.filter(is_active=True).select_related("organ")
    if not sees_all_cases(user):
        divisions = divisions.filter(pk__in=user_division_ids(user))
    return divisions


def filtered_cases(user: Person, params: QueryDict) -> tuple[CaseFilterForm, QuerySet[Case]]:
    """The filter form and the cases it selects among those the user may see (visibility is
    computed for the user every time: a saved view stores only the filter)."""
    form = CaseFilterForm(params or None, divisions=_list_divisions(user))
    cases = case_list_visible_to(user=user)
    if form.is_valid():
        cases = case_list_filter(cases, form.cleaned_data)
    cases = case_list_drilldown(cases, params, today=timezone.localdate())
    return form, cases


def case_list_page(
    request: HttpRequest,
    *,
    view_form: SavedViewForm | None = None,
    bulk_form: BulkActionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case list for the filter in the query string; the save-view and bulk forms are
    given when they come back with errors."""
    user = staff_user(request)
    error = case_list_drilldown_error(request.GET)
    if error:  # a drill-down link typed or cut by hand: say so, in Chinese, with a 400
        messages.error(request, error)
        status = 400
    form, cases = filtered_cases(user, request.GET)
    searched = bool(form.is_valid() and form.cleaned_data.get("q"))
    page = case_page(cases, request.GET.get("page"), size=PAGE_SIZE, searched=searched)
    query = request.GET.copy()
    query.pop("page", None)
    current = saved_view_query(request.GET)
    views = list(saved_views_of(user))
    return render(
        request,
        "casework/case_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "view_form": view_form or SavedViewForm(owner=user),
            "saved_views": views,
            "current_view": next((v for v in views if v.query == current), None),
            "bulk_form": bulk_form or bulk_action_form(user),
            "ticked": set(bulk_form.numbers("cases")) if bulk_form is not None else set(),
            "bulk_max": BULK_MAX_CASES,
            "export_max": EXPORT_MAX_ROWS,
        },
        status=status,
    )


def bulk_action_form(user: Staff, data: QueryDict | None = None) -> BulkActionForm:
    divisions = Division.objects.filter(is_active=True).select_related("organ")
    return BulkActionForm(data, actions=bulk_actions_for(user), divisions=divisions)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    return case_list_page(request)


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    try:
        case = case_get_for_user(user=request.user, number=number)
    except NotVisible:
        raise Http404 from None
    return _case_page(request, case)


def _case_page(
    request: HttpRequest, case: Case, note_form: CaseNoteForm | None = None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    clock = case_clock(case=case, today=today)
    actions = actions_next_first(
        case, available_actions(case, staff_user(request), now=timezone.now())
    )
    primary = primary_action(case, actions)
    letter_kinds, reply_letter_due = letters_offered(case, staff_user(request))
    return render(
        request,
        "casework/case_detail.html",
        {
            "notes": case_notes(case=case),
            "note_form": note_form or CaseNoteForm(case=case),
            "case": case,
            "events": case_history(case=case),
            "attachments": case.attachments.all(),
            "co_divisions": case.co_divisions.all(),
            "clock": clock,
            "internal_deadlines": case_internal_deadlines(case=case, today=today, clock=clock),
            "warnings": case_warnings(case),
            "letters_out_of_step": letters_out_of_step(case),
            "letters": case.letters.select_related("issued_by", "void").order_by("issued_at")
            if hasattr(case, "letters")
            else [],
            "archived_casefile": archived_casefile(case),
            "actions": [(a.name, a.label) for a in actions],
            "next_form": None if reply_letter_due else _next_step_form(case, actions),
            "contact": _contact(request.user, case),
            "may_reveal_id": may_reveal_id_number(request.user),
            "id_reveals": case.id_reveals.select_related("user")[:20]
            if may_reveal_id_number(request.user)
            else [],
            "waiting_for": waiting_for(case),
            "reply_letter_due": reply_letter_due,
            "primary": "" if reply_letter_due or primary is None else primary.name,
            "letter_kinds": letter_kinds,
        },
        status=status,
    )


@require_POST
@login_required
def case_note_add_view(request: HttpRequest, number: str) -> HttpResponse:
    """Post an internal note (案件备注); the same 404 as the case page for a case not seen."""
    try:
        case = case_get_for_user(user=request.user, number=number)
    except NotVisible:
        raise Http404 from None
    form = CaseNoteForm(request.POST, case=case)
    if form.is_valid():
        try:
            case_note_add(
                number=case.number,
                actor=staff_user(request),
                text=form.cleaned_data["text"],
                user_ids=[u.pk for u in form.cleaned_data["mentioned_users"]],
                division_ids=[d.pk for d in form.cleaned_data["mentioned_divisions"]],
            )
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The note was added."))
            return redirect(reverse("casework:case-detail", args=[case.number]) + "#notes")
    return _case_page(request, case, note_form=form, status=400)


# A next step whose form is this short is done on the case page itself: one click (its
# button) instead of two (open the form, submit it). Longer forms keep their own page.
INLINE_FIELDS = 3


def _next_step_form(case: Case, actions: list[Action]) -> forms.Form | None:
    """The form of the flow's next step for this user (the first action, when it is one of
    NEXT_STEPS), if short enough to show on the case page; it posts to the action page."""
    if not actions or actions[0].name not in NEXT_STEPS.get(case.status, ()):
        return None
    if len(actions[0].fields) <= INLINE_FIELDS:
        form = transition_form(actions[0].name, case, today=timezone.localdate())
        form.auto_id = "next-%s"  # unique on the case page, which has other forms
        return form
    return None


def _contact(user: Person, case: Case) -> Payload:
    """Phone and e-mail as this user may see them: in full for the office and the case's
    divisions, masked for everyone else (issue 16 point 2)."""
    applicant = case.applicant
    agent = case.agent
    full = sees_contact_details(user, case)
    phone = (lambda v: v) if full else mask_phone
    email = (lambda v: v) if full else mask_email
    return {
        "phone": phone(applicant.phone) if applicant.phone else "",
        "email": email(applicant.email) if applicant.email else "",
        "agent_phone": phone(agent.phone) if agent and agent.phone else "",
        "full": full,
    }


def _record_reveal(case: Case, user: Staff, shown_in: str) -> list[tuple[str, str]]:
    """The full ID numbers of the case's applicant (and agent), after writing who sees them,
    when, for which case and where (issue 16 point 2; PIPL Art 51)."""
    shown = []
    if case.applicant.id_number:
        shown.append(("applicant", case.applicant.id_number))
    if case.agent and case.agent.id_number:
        shown.append(("agent", case.agent.id_number))
    IdNumberReveal.objects.bulk_create(
        IdNumberReveal(case=case, user=user, whose=whose, shown_in=shown_in) for whose, _n in shown
    )
    return shown


@never_cache
@require_POST
@login_required
def id_number_reveal(request: HttpRequest, number: str) -> HttpResponse:
    """Shows the full ID numbers of a case's applicant (and agent) to the roles that register
    and review, after recording who saw them, when, for which case (issue 16 point 2)."""
    try:
        case = case_get_for_user(user=request.user, number=number)
    except NotVisible:
        raise Http404 from None
    if not may_reveal_id_number(request.user):
        raise PermissionDenied
    shown = _record_reveal(case, staff_user(request), IdNumberReveal.ShownIn.CASE_PAGE)
    id_number_reveal_logged(request, case.number, [whose for whose, _n in shown])
    return render(
        request,
        "casework/id_number_reveal.html",
        {"case": case, "shown": [(IdNumberReveal.Whose(w).label, n) for w, n in shown]},
    )


@never_cache
@require_POST
@login_required
def casefile_with_id_numbers(request: HttpRequest, number: str) -> HttpResponse:
    """The case file (letters.casefile) with the full ID numbers, for the roles that may reveal
    them on the case page and on the same terms: the reveal is recorded (shown in the case
    file) before the file is made, and its cover names for whom it was made."""
    from casework.lifecycle import display_name
    from letters.casefile import casefile_pdf

    try:
        case = case_get_for_user(user=request.user, number=number)
    except NotVisible:
        raise Http404 from None
    if not may_reveal_id_number(request.user):
        raise PermissionDenied
    shown = _record_reveal(case, staff_user(request), IdNumberReveal.ShownIn.CASE_FILE)
    id_number_reveal_logged(request, case.number, [whose for whose, _n in shown])
    name = display_name(request.user)
    pdf = casefile_pdf(case, today=timezone.localdate(), generated_by=name, revealed_to=name)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="casefile-{case.number}-full-id.pdf"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


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
