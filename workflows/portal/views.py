"""The applicant's side: guidance, online application, tracking, letters, verification and
withdrawal. No staff account; a tracked case is opened by its number and secret query code."""

from __future__ import annotations

import math
import secrets

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.choices import OPEN_STATUSES, Transition
from casework.errors import CaseworkError, InvalidInput
from casework.lifecycle import APPLICANT
from casework.models import Case, Organ
from casework.portal import (
    application_problems,
    case_for_tracking,
    client_address,
    submissions_count,
    tracking_attempt,
    tracking_success_record,
)
from casework.selectors import correction_requested, organ_the_one
from letters.provision import provision_for_applicant as provided
from letters.records.models import ReleasedFile
from letters.records.selectors import released_files_for_applicant, released_files_for_letter
from letters.selectors import letter_for_applicant_download, letter_verify, letters_for_applicant
from workflows.catalogue.public import guide as managed_guide
from workflows.catalogue.public import shown_for_token
from workflows.portal import pending, receipts
from workflows.portal.forms import (
    ApplicationForm,
    CorrectionForm,
    ForgotCodeForm,
    TrackForm,
    VerifyForm,
    WithdrawForm,
)
from workflows.portal.services import application_submit, correction_submit
from workflows.services import case_act

TRACKED = "portal_tracked_cases"


def _organ(request: HttpRequest) -> Organ | None:
    return organ_the_one()


def guide(request: HttpRequest) -> HttpResponse:
    """The disclosure guide as managed content: its approved version with 更新日期
    (workflows.catalogue.public, issue 26 point 5)."""
    return managed_guide(request)


APPLICANT_KEYS = (
    "category",
    "name",
    "id_type",
    "id_number",
    "credit_code",
    "contact_person",
    "phone",
    "email",
    "address",
    "postal_code",
)
AGENT_KEYS = {
    "agent_name": "name",
    "agent_id_type": "id_type",
    "agent_id_number": "id_number",
    "agent_organisation": "organisation",
    "agent_phone": "phone",
}
UPLOAD_KINDS = {
    "id_proof": "applicant_id",
    "agent_id_proof": "agent_id",
    "power_of_attorney": "power_of_attorney",
    "other_file": "other",
}


def apply(request: HttpRequest) -> HttpResponse:
    """The online application. On an error every problem is shown at once next to its
    field, and the files already chosen are kept on the server for this attempt
    (workflows.portal.pending), since a browser never keeps a file input's selection."""
    organ = _organ(request)
    client = client_address(request)
    if request.method != "POST":
        token = secrets.token_urlsafe(24)
        receipts.token_issue(request, token)
        form = ApplicationForm(
            initial={"submission_token": token},
            captcha=submissions_count(client, add=False) >= settings.APPLY_FREE_SUBMISSIONS,
        )
        return render(request, "portal/apply.html", {"form": form, "organ": organ})
    token = request.POST.get("submission_token", "")[:64]
    # A form already submitted (double click, reload, back and post again): its receipt.
    if receipts.case_for_token(token) is not None:
        return _receipt_redirect(request, token)
    post_id = receipts.submitting_start(token)
    try:
        return _apply_post(request, organ, client, token, post_id)
    finally:
        receipts.submitting_end(token, post_id)


def _apply_post(
    request: HttpRequest, organ: Organ | None, client: str, token: str, post_id: str
) -> HttpResponse:
    # Every posted form counts, valid or not: past a few, a CAPTCHA; past the cap, a pause.
    posted = submissions_count(client, add=True)
    if posted > settings.APPLY_MAX_PER_HOUR:
        form = ApplicationForm(
            initial={"submission_token": secrets.token_urlsafe(24)}, captcha=True
        )
        error = _("Too many applications from your network. Please try again in an hour.")
        return render(
            request,
            "portal/apply.html",
            {"form": form, "organ": organ, "error": error},
            status=429,
        )
    for field in request.POST.getlist("replace"):
        pending.forget(request, token, field)
    kept = pending.kept(request, token)
    form = ApplicationForm(
        request.POST, request.FILES, kept=kept, captcha=posted > settings.APPLY_FREE_SUBMISSIONS
    )
    form.is_valid()
    for field in ApplicationForm.FILE_FIELDS:
        uploaded = request.FILES.get(field)
        if uploaded is None or field in form.errors:
            continue
        try:
            pending.keep(request, token, field, uploaded)
        except InvalidInput as exc:
            form.add_error(field, exc.message)
    _add_problems(form, request)
    kept = pending.kept(request, token)
    if form.errors and token and receipts.case_after_other_post(token, post_id) is not None:
        return _receipt_redirect(request, token)  # the other post of a double click won
    if not form.errors and organ is not None:
        code = receipts.receipt_code(token)  # the same code for every post of this form
        try:
            with pending.files(request, token) as files:
                application_submit(
                    organ=organ,
                    applicant=form.applicant(),
                    agent=form.agent(),
                    request=form.request(),
                    attachments=[(UPLOAD_KINDS[f], files[f]) for f in UPLOAD_KINDS if f in files],
                    submission_token=token,
                    now=timezone.now(),
                    query_code=code,
                    catalogue_shown=shown_for_token(request, token),
                )
        except InvalidInput as exc:
            if receipts.case_for_token(token) is not None:
                # The other post of a double click committed first (the token is unique).
                return _receipt_redirect(request, token)
            for field, errors in exc.errors.items():
                name = field.removeprefix("applicant.").replace("agent.", "agent_")
                target = name if name in form.fields else None
                if target is None or target not in form.errors:
                    form.add_error(target, errors[0])
        else:
            pending.forget_all(request, token)
            return _receipt_redirect(request, token)
    return render(
        request,
        "portal/apply.html",
        {"form": form, "organ": organ, "kept": kept},
        status=400,
    )


def _add_problems(form: ApplicationForm, request: HttpRequest) -> None:
    """The applicant's and agent's details checked as the service will check them, added to
    the fields that have no error yet (one message per field)."""
    post = request.POST
    applicant = {k: post.get(k, "").strip() for k in APPLICANT_KEYS}
    agent = None
    if post.get("agent_name", "").strip():
        agent = {model: post.get(k, "").strip() for k, model in AGENT_KEYS.items()}
        agent["id_type"] = agent["id_type"] or "resident_id"
    for field, problems in application_problems(applicant, agent).items():
        if field == "__all__":
            form.add_error(None, problems[0])
        elif field in form.fields and field not in form.errors:
            form.add_error(field, problems[0])


def _receipt_redirect(request: HttpRequest, token: str) -> HttpResponse:
    receipts.token_issue(request, token)  # this browser posted the form: it holds the token
    receipts.token_submitted(request, token)
    return redirect(f"/apply/done/?t={token}")


def apply_done(request: HttpRequest) -> HttpResponse:
    """The receipt, to the browser that submitted the form, for PORTAL_RECEIPT_SECONDS: the
    number and the query code (the same for every post of the form); then the look-up."""
    token = request.GET.get("t", "")[:64]
    age = receipts.receipt_age(request, token)
    case = receipts.case_for_token(token) if age is not None else None
    if case is None or age is None or age > settings.PORTAL_RECEIPT_SECONDS:
        return redirect("portal:track")
    tracked = request.session.setdefault(TRACKED, [])
    if case.number not in tracked:
        tracked.append(case.number)
        request.session.modified = True
    code = receipts.receipt_code_shown(token)
    return render(request, "portal/apply_done.html", {"number": case.number, "code": code})


def track_forgot(request: HttpRequest) -> HttpResponse:
    """忘记查询码: a new query code to the e-mail address given in the application, limited
    per case number and per client address. The same answer whether or not the details
    match, so the page tells nobody which cases exist. There is no SMS backend: a code is
    never sent by text message (the page says so)."""
    form = ForgotCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"].strip()
        if not receipts.reissue_allowed(client_address(request), number):
            form.add_error(None, _("Too many requests. Please try again later."))
            return render(request, "portal/track_forgot.html", {"form": form}, status=429)
        receipts.query_code_reissue(
            number=number, email=form.cleaned_data["email"], now=timezone.now()
        )
        return render(request, "portal/track_forgot.html", {"form": None, "sent": True})
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/track_forgot.html", {"form": form}, status=status)


def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"].strip()
        client = client_address(request)
        wait = tracking_attempt(client, number)
        if wait:
            form.add_error(
                None,
                _("Too many wrong attempts. Please try again in %(minutes)d minute(s).")
                % {"minutes": max(1, math.ceil(wait / 60))},
            )
            return render(request, "portal/track.html", {"form": form}, status=429)
        case = case_for_tracking(number, form.cleaned_data["code"])
        if case is None:
            # The same answer for an unknown number and a wrong code.
            form.add_error(None, _("The application number or the query code is not correct."))
        else:
            tracking_success_record(client, number)
            tracked = request.session.setdefault(TRACKED, [])
            if case.number not in tracked:
                tracked.append(case.number)
                request.session.modified = True
            return redirect("portal:track-case", number=case.number)
    return render(
        request,
        "portal/track.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _tracked_case(request: HttpRequest, number: str) -> Case | None:
    if number not in request.session.get(TRACKED, []):
        return None
    return Case.objects.select_related("organ", "applicant").filter(number=number).first()


def track_case(
    request: HttpRequest,
    number: str,
    withdraw_form: WithdrawForm | None = None,
    correction_form: CorrectionForm | None = None,
) -> HttpResponse:
    """The tracked case; a form that failed is shown again with its errors and what was typed."""
    case = _tracked_case(request, number)
    if case is None:
        return redirect("portal:track")
    letters = letters_for_applicant(case)
    return render(
        request,
        "portal/track_case.html",
        {
            "case": case,
            "letters": letters,
            "released_files": _released_files(case),
            "provided": provision_for_applicant(case),
            "can_withdraw": case.status in OPEN_STATUSES,
            "withdraw_form": withdraw_form or WithdrawForm(),
            "correction": correction_requested(case),
            "correction_form": correction_form or CorrectionForm(),
        },
        status=400 if withdraw_form is not None or correction_form is not None else 200,
    )


def track_correction(request: HttpRequest, number: str) -> HttpResponse:
    """The applicant sends the correction the office asked for (Art 30)."""
    case = _tracked_case(request, number)
    if case is None or request.method != "POST":
        return redirect("portal:track")
    form = CorrectionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            correction_submit(
                case=case,
                subject=form.cleaned_data["subject"],
                text=form.cleaned_data["text"],
                uploads=form.cleaned_data["files"],
            )
        except CaseworkError as exc:
            # An upload refused by its content: the typed text stays; files must be chosen again
            # (a browser never keeps a file choice).
            form.add_error("files" if exc.field in (None, "attachments") else None, exc.message)
        else:
            messages.success(request, _("Your correction was sent; the office will check it."))
            return redirect("portal:track-case", number=case.number)
    if request.FILES:
        form.add_error("files", _("Please choose the files again."))
    return track_case(request, number, correction_form=form)


def track_letter(request: HttpRequest, number: str, pk: int) -> HttpResponseBase:
    case = _tracked_case(request, number)
    if case is None:
        return redirect("portal:track")
    # Only a letter addressed to the applicant and not void is ever handed out.
    letter = letter_for_applicant_download(case, pk)
    if letter is None:
        raise Http404
    response = FileResponse(
        letter.pdf.open("rb"),
        as_attachment=True,
        filename=f"{letter.number}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Released records (letters.records): files released with the reply, never originals ---


def provision_for_applicant(case: Case) -> str:
    return provided(case)


def _released_files(case: Case) -> QuerySet[ReleasedFile]:
    return released_files_for_applicant(case)


def track_released(request: HttpRequest, number: str, pk: int) -> HttpResponseBase:
    """A file released with the reply, to the applicant who opened the case (others are sent
    back to the look-up form, as for letters)."""
    case = _tracked_case(request, number)
    released = _released_files(case).filter(pk=pk).first() if case is not None else None
    if released is None:
        return redirect("portal:track")
    response = FileResponse(
        released.file.open("rb"),
        as_attachment=True,
        filename=released.name,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def track_withdraw(request: HttpRequest, number: str) -> HttpResponse:
    case = _tracked_case(request, number)
    if case is None:
        return redirect("portal:track")
    form = WithdrawForm(request.POST)
    if not form.is_valid():  # a reason and the confirmation are needed
        return track_case(request, number, withdraw_form=form)
    try:
        case_act(
            number=case.number,
            organ=case.organ,
            name=Transition.WITHDRAW,
            actor=APPLICANT,
            fields={"reason": form.cleaned_data["reason"]},
        )
    except CaseworkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your application has been withdrawn."))
    return redirect("portal:track-case", number=case.number)


def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or request.GET or None)
    letter = None
    checked = False
    if form.is_bound and form.is_valid():
        checked = True
        letter = letter_verify(form.cleaned_data["code"])
    released: QuerySet[ReleasedFile] | list[ReleasedFile] = []
    if letter is not None:
        released = released_files_for_letter(letter)
    return render(
        request,
        "portal/verify.html",
        {"form": form, "letter": letter, "checked": checked, "released_files": released},
    )
