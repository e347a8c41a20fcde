"""The pages of issue 24 points 1 and 9: the draft reply beside the deciding forms, the 已办
list and the 办理审批单. Thin views: an access check, one selector or renderer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import CaseworkError, NotVisible
from casework.lifecycle.actors import staff_user
from casework.models import Case
from casework.permissions import user_roles
from casework.selectors import case_get_for_user, organ_the_one

DONE_PAGE_SIZE = 50


def _staff_case(request: HttpRequest, number: str) -> Case:
    # Staff only: the applicant's pages never reach a case's internal record.
    if not user_roles(request.user):
        raise Http404
    try:
        return case_get_for_user(user=request.user, number=number)
    except NotVisible:
        raise Http404 from None


def _no_decision() -> HttpResponse:
    return HttpResponse(
        _("No decision has been proposed on this case yet."),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@login_required
def decision_preview(request: HttpRequest, number: str) -> HttpResponse:
    """The reply letter of the proposed decision as the watermarked 样稿 PDF
    (letters.services.letter_preview_pdf), opened from the review and sign-off pages (which
    show it as an image, decision_preview_image); never framed, like every page here."""
    from letters.services import letter_preview_pdf

    case = _staff_case(request, number)
    if not case.disposition:
        return _no_decision()
    try:
        pdf = letter_preview_pdf(case=case, kind=f"reply.{case.disposition}")
    except CaseworkError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draft-{case.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def decision_preview_image(request: HttpRequest, number: str) -> HttpResponse:
    """The same draft as one PNG of its pages (workflows.decide.draft_image)."""
    from letters.services import letter_preview_pdf
    from workflows.decide.draft_image import pdf_pages_png

    case = _staff_case(request, number)
    if not case.disposition:
        return _no_decision()
    try:
        pdf = letter_preview_pdf(case=case, kind=f"reply.{case.disposition}")
    except CaseworkError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf_pages_png(pdf), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def done_list(request: HttpRequest) -> HttpResponse:
    """已办: the steps I took, newest first, 50 a page."""
    from workflows.decide.done import done_events, done_label

    if not user_roles(request.user):
        raise Http404
    page = Paginator(done_events(staff_user(request)), DONE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "event": event,
            "label": done_label(event.kind),
            "at": timezone.localtime(event.entered_at),
        }
        for event in page
    ]
    return render(request, "workflows/decide/done.html", {"page": page, "rows": rows})


@login_required
def approval_sheet(request: HttpRequest, number: str) -> HttpResponse:
    """The 办理审批单 of a case as a PDF (any case the user sees, in progress or not)."""
    from workflows.decide.approval_sheet import approval_sheet_pdf

    case = _staff_case(request, number)
    pdf = approval_sheet_pdf(case, now=timezone.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="approval-{case.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def phrases_page(request: HttpRequest) -> HttpResponse:
    """My 常用语: add and remove my own; the organ's are listed (the admin changes them)."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from casework.errors import InvalidInput
    from workflows.decide.phrases import CommonPhrase, phrase_add, phrase_remove

    if not user_roles(request.user):
        raise Http404
    organ = organ_the_one()
    error = ""
    if request.method == "POST":
        if request.POST.get("remove"):
            try:
                phrase_remove(user=staff_user(request), phrase_id=int(request.POST["remove"]))
            except ValueError:
                raise Http404 from None
            return redirect("workflows:phrases")
        if organ is None:  # no organ set up yet: nothing a phrase could belong to
            raise Http404
        try:
            phrase_add(user=staff_user(request), organ=organ, text=request.POST.get("text", ""))
        except InvalidInput as exc:
            error = exc.message
        else:
            messages.success(request, _("Saved."))
            return redirect("workflows:phrases")
    phrases = CommonPhrase.objects.filter(organ=organ)
    return render(
        request,
        "workflows/decide/phrases.html",
        {
            "own": phrases.filter(owner_id=request.user.pk),
            "shared": phrases.filter(owner__isnull=True),
            "error": error,
            "text": request.POST.get("text", "") if error else "",
        },
        status=400 if error else 200,
    )
