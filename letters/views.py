"""Letter downloads: access-checked, never from a public folder."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from casework.errors import NotVisible
from casework.lifecycle.actors import staff_user
from casework.selectors import case_get_for_user
from letters.models import Letter


@login_required
def letter_pdf(request: HttpRequest, pk: int) -> FileResponse:
    letter = Letter.objects.select_related("case").filter(pk=pk).first()
    if letter is None:
        raise Http404
    try:
        case_get_for_user(
            user=request.user, number=letter.case.number
        )  # same 404 for missing and forbidden
    except NotVisible:
        raise Http404 from None
    response = FileResponse(
        letter.pdf.open("rb"),
        as_attachment=True,
        filename=f"{letter.number}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def letter_preview(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    """The exact PDF of a letter before it is issued, watermarked 样稿 (staff who see the case)."""
    from casework.errors import CaseworkError
    from letters.services import letter_preview_pdf

    try:
        case = case_get_for_user(user=request.user, number=number)
    except NotVisible:
        raise Http404 from None
    try:
        pdf = letter_preview_pdf(case=case, kind=kind)
    except CaseworkError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-{case.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def wording_review(request: HttpRequest) -> HttpResponse:
    """New wording versions waiting for the office head, each with its diff to the version in
    effect; the head approves one with a POST."""
    from django.contrib import messages
    from django.shortcuts import redirect, render
    from django.utils.translation import gettext as _

    from casework.choices import Role
    from casework.errors import CaseworkError
    from casework.permissions import user_roles
    from letters.services import wording_approve, wording_pending

    roles = user_roles(request.user)
    if not roles & {Role.OFFICE_HEAD, Role.REVIEWER, Role.ADMINISTRATOR}:
        raise Http404
    if request.method == "POST":
        try:
            wording = wording_approve(
                wording_id=int(request.POST.get("wording", "0") or 0), actor=staff_user(request)
            )
        except (CaseworkError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        else:
            messages.success(
                request,
                _("Approved: %(wording)s; letters use it from now on.") % {"wording": wording},
            )
        return redirect("letters:wording-review")
    return render(
        request,
        "letters/wording_review.html",
        {"pending": wording_pending(), "can_approve": Role.OFFICE_HEAD in roles},
    )


def _visible_letter(request: HttpRequest, pk: int) -> Letter:
    letter = Letter.objects.select_related("case").filter(pk=pk).first()
    if letter is None:
        raise Http404
    try:
        case_get_for_user(user=request.user, number=letter.case.number)
    except NotVisible:
        raise Http404 from None
    return letter


@login_required
def letter_service_proof(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable proof of service (送达回证) of a letter."""
    from letters.services import letter_service_proof_pdf

    letter = _visible_letter(request, pk)
    response = HttpResponse(letter_service_proof_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="service-{letter.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def letter_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """The delivery record of a letter (who, how, when, signed by) and the form to add one."""
    from django.contrib import messages
    from django.shortcuts import redirect, render
    from django.utils.translation import gettext as _

    from casework.errors import CaseworkError
    from letters.delivery_defaults import delivery_defaults
    from letters.models import DeliveryMethod
    from letters.services import letter_record_delivery

    letter = _visible_letter(request, pk)
    error = ""
    if request.method == "POST":
        try:
            letter_record_delivery(
                letter_id=letter.pk,
                actor=staff_user(request),
                method=request.POST.get("method", ""),
                delivered_on=request.POST.get("delivered_on", ""),
                signed_by=request.POST.get("signed_by", ""),
                address=request.POST.get("address", ""),
                tracking_number=request.POST.get("tracking_number", ""),
                note=request.POST.get("note", ""),
            )
        except CaseworkError as exc:
            error = exc.message
        else:
            messages.success(request, _("The delivery is recorded on the letter."))
            return redirect("letters:letter-delivery", pk=letter.pk)
    return render(
        request,
        "letters/delivery.html",
        {
            "letter": letter,
            "deliveries": letter.deliveries.select_related("recorded_by"),
            "methods": DeliveryMethod.choices,
            "error": error,
            "post": request.POST or delivery_defaults(letter),  # the applicant's choice
        },
        status=400 if error else 200,
    )


@login_required
def casefile_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The case file (案卷) of a case the user may see, made on demand (for archiving,
    reconsideration or litigation); the same 404 for missing and forbidden."""
    from django.utils import timezone

    from casework.lifecycle import display_name
    from letters.casefile import casefile_pdf as build

    try:
        case = case_get_for_user(user=request.user, number=number)
    except NotVisible:
        raise Http404 from None
    pdf = build(case, today=timezone.localdate(), generated_by=display_name(request.user))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="casefile-{case.number}.pdf"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def casefile_archived(request: HttpRequest, number: str) -> FileResponse:
    """The case file stored at archiving, as built (its SHA-256 is on the case page); the same
    404 for missing, forbidden and not yet built."""
    from letters.selectors import archived_casefile

    try:
        case = case_get_for_user(user=request.user, number=number)
    except NotVisible:
        raise Http404 from None
    casefile = archived_casefile(case)
    if casefile is None or casefile.status != casefile.Status.READY:
        raise Http404
    response = FileResponse(
        casefile.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"casefile-{case.number}-archived.pdf",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
