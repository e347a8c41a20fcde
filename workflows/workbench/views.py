"""The officers' workbench and the action pages: thin views (access check, one service)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from csp.constants import SELF, UNSAFE_INLINE

from casework.choices import Transition
from casework.errors import CaseworkError, InvalidInput, NotVisible
from casework.lifecycle import TRANSITIONS, available_transitions
from casework.lifecycle.actors import Staff, staff_user
from casework.lifecycle.roles import acting_role
from casework.models import Case
from casework.permissions import OFFICE_ROLES, user_roles
from casework.selectors import (
    case_get_for_user,
    letter_due_next,
    note_mentions_for,
    organ_the_one,
    working_calendar,
)
from letters.kinds import KINDS
from letters.models import Letter
from letters.registry import declaration
from letters.services import letter_issue, letter_kinds_issuable, letter_preview_html, letter_void
from workflows.decide.prefill import prefill_returned_proposal
from workflows.portal.forms import StaffIntakeForm
from workflows.selectors import TABS, queue_rows, tab_counts, tabs_for, task_queue
from workflows.services import case_act, case_receive
from workflows.workbench.forms import cleaned_fields, transition_form
from workflows.workbench.landing import landing_elsewhere, landing_tab
from workflows.workbench.rows import queue_cells

PAGE_SIZE = 50


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """The queues. Without ?tab= it opens the first tab that has tasks (issue 14 point 2)."""
    user = staff_user(request)
    tabs = tabs_for(user)
    counts = tab_counts(user=user, tabs=tabs)
    tab = request.GET.get("tab")
    if not tab:
        elsewhere = landing_elsewhere(user, tabs, counts)
        if elsewhere is not None and request.GET.get("page") is None:
            return redirect(elsewhere)
        tab = landing_tab(tabs, counts)
    if tab not in TABS:
        tab = "mine"
    queue = task_queue(user=user, tab=tab, known_count=counts.get(tab))
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = queue_rows(list(page), calendar=working_calendar(), today=timezone.localdate(), tab=tab)
    # The quick forms' hidden inputs, made once for the page (one CSRF token per page is
    # what {% csrf_token %} in each form gave as well).
    hidden = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="next" value="{}">',
        get_token(request),
        request.get_full_path(),
    )
    return render(
        request,
        "workflows/workbench.html",
        {
            "tab": tab,
            "tabs": [(t, counts[t]) for t in tabs],
            "page": page,
            "rows": queue_cells(rows, hidden=hidden),
            "mentions": note_mentions_for(user=user),
        },
    )


def _case_or_404(request: HttpRequest, number: str) -> Case:
    try:
        return case_get_for_user(user=request.user, number=number)
    except NotVisible:
        raise Http404 from None


def _after_action(request: HttpRequest, case: Case) -> Case | str:
    """The case page, or the workbench when the step took the case out of the user's sight
    (a liaison's 退回分办: the case page answered 404, issue 24)."""
    try:
        return case_get_for_user(user=request.user, number=case.number)
    except NotVisible:
        return "workflows:workbench"


@login_required
def case_action(request: HttpRequest, number: str, name: str) -> HttpResponse:
    spec = TRANSITIONS.get(name)
    if spec is None or not spec.offered:
        raise Http404(_("There is no such action: %(name)s.") % {"name": name[:60]})
    case = _case_or_404(request, number)
    today = timezone.localdate()
    form = transition_form(
        name, case, request.POST if request.method == "POST" else None, today=today
    )
    if request.method != "POST" and name == Transition.PROPOSE:
        prefill_returned_proposal(case, form)  # issue 24 point 1: nothing retyped
    if request.method == "POST" and form.is_valid():
        try:
            case_act(
                number=case.number,
                organ=case.organ,
                name=name,
                actor=staff_user(request),
                on=form.cleaned_data["on"],
                fields=cleaned_fields(form),
            )
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except CaseworkError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": TRANSITIONS[name].label})
            return redirect(_after_action(request, case))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workflows/case_action.html",
        {
            "case": case,
            "name": name,
            "label": TRANSITIONS[name].label,
            "form": form,
            "allowed": name in available_transitions(case, staff_user(request), now=timezone.now()),
            # The form (it may carry the applicant's details) only for a role that may fire
            # this transition on this case at all (issue 16 point 2).
            "may_act": acting_role(TRANSITIONS[name].roles, case, staff_user(request)) is not None,
        },
        status=status,
    )


@login_required
@require_POST
def quick_action(request: HttpRequest, number: str, name: str) -> HttpResponse:
    """Claim or release from the workbench (no fields beyond today's date)."""
    if name not in (Transition.CLAIM, Transition.RELEASE):
        raise Http404
    case = _case_or_404(request, number)
    try:
        case_act(number=case.number, organ=case.organ, name=name, actor=staff_user(request))
    except CaseworkError as exc:
        if name == Transition.CLAIM and exc.status_code == 409:
            messages.error(
                request,
                _("Case %(number)s has just been claimed by someone else.")
                % {"number": case.number},
            )
        else:
            messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": TRANSITIONS[name].label})
    # Only a path on this site: next= pointing elsewhere would make us an open redirect.
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "workflows:workbench"
    return redirect(target)


@login_required
def letter_issue_view(request: HttpRequest, number: str) -> HttpResponse:
    """Issue a notice or the reply letter: choose the kind, preview the draft, issue."""
    case = _case_or_404(request, number)
    kinds = fitting_kinds(case, staff_user(request))
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    if request.method == "GET" and not kind:
        # A letter that moves the case (the approved decision's reply) is the one due: chosen
        # already (one click less).
        kind = next((k for k in kinds if _moves_case(case, k)), "")
    if request.method == "GET" and not kind:
        # Else the notice the case page warns is owed (the correction or extension notice),
        # or the letter to a party consulted and not yet written to.
        kind = due if (due := letter_due_next(case)) in kinds else ""
    if request.method == "GET" and request.GET.get("preview") and kind in kinds:
        response = HttpResponse(letter_preview_html(case=case, kind=kind))
        # The draft is the letter's print HTML (per-line letter-spacing in style attributes);
        # it holds no script, so only this response may use inline styles.
        setattr(response, "_csp_replace", {"style-src": [SELF, UNSAFE_INLINE]})  # noqa: B010
        return response
    error = ""
    if request.method == "POST":
        if kind not in kinds:
            error = _("Choose a kind of letter that fits this case.")
        else:
            try:
                if _moves_case(case, kind):
                    case_act(
                        number=case.number,
                        organ=case.organ,
                        name=Transition.ISSUE_REPLY,
                        actor=staff_user(request),
                    )
                else:
                    letter_issue(number=case.number, kind=kind, actor=staff_user(request))
            except CaseworkError as exc:
                error = exc.message
            else:
                messages.success(request, _("Issued: %(kind)s.") % {"kind": KINDS[kind].label})
                return redirect(case)
    return render(
        request,
        "workflows/letter_issue.html",
        {"case": case, "kinds": [(k, KINDS[k].label) for k in kinds], "kind": kind, "error": error},
        status=400 if error else 200,
    )


def fitting_kinds(case: Case, user: Staff | None = None) -> list[str]:
    """The kinds `user` can issue on the case now (letters.registry and the ledger)."""
    return letter_kinds_issuable(case, user)


def _moves_case(case: Case, kind: str) -> bool:
    """The letter is recorded by `issue_reply` (its declaration, letters.registry), which also
    completes the flow's issue task: it goes through case_act."""
    return declaration(kind).recording_transition(case.status) == Transition.ISSUE_REPLY


@login_required
@require_POST
def letter_void_view(request: HttpRequest, pk: int) -> HttpResponse:
    letter = Letter.objects.select_related("case").filter(pk=pk).first()
    if letter is None:
        raise Http404
    case = _case_or_404(request, letter.case.number)
    try:
        letter_void(
            letter_id=letter.pk,
            actor=staff_user(request),
            reason=request.POST.get("reason", ""),
            reissue=request.POST.get("reissue") == "1",
        )
    except CaseworkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Letter %(number)s is void.") % {"number": letter.number})
    return redirect(case)


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """The registrar's form for applications that did not come online (Art 31 receipt rules)."""
    if not user_roles(request.user) & OFFICE_ROLES:
        raise Http404
    organ = organ_the_one()
    if request.method == "POST":
        form = StaffIntakeForm(request.POST, request.FILES)
        if form.is_valid() and organ is not None:
            data = form.cleaned_data
            try:
                case = case_receive(
                    organ=organ,
                    actor=request.user,
                    channel=data["channel"],
                    arrived_at=data["arrived_at"],
                    signed_on=data.get("signed_on"),
                    applicant=form.applicant(),
                    agent=form.agent(),
                    request=form.request(),
                    attachments=form.uploads(),
                    submission_token=data["submission_token"],
                )
            except InvalidInput as exc:
                for field, errors in exc.errors.items():
                    name = field.replace("applicant.", "").replace("agent.", "agent_")
                    target = name if name in form.fields else None
                    for error in errors:
                        form.add_error(target, error)
            else:
                messages.success(request, _("Recorded as %(number)s.") % {"number": case.number})
                return redirect(case)
        return render(request, "workflows/intake.html", {"form": form}, status=400)
    form = StaffIntakeForm(
        initial={
            "submission_token": secrets.token_urlsafe(24),
            "arrived_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        }
    )
    return render(request, "workflows/intake.html", {"form": form})
