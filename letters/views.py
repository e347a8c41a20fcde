"""Letter downloads: access-checked, never from a public folder."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import timezone

from casework.errors import NotVisible
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
def casefile_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The case file (案卷) of a case the user may see, made on demand (for archiving,
    reconsideration or litigation); the same 404 for missing and forbidden."""
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
