"""Issuing and voiding letters. Numbering, rendering and storage happen in the transaction
that records the case event: if anything fails, the number is given back (no gaps)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.choices import Transition as T
from casework.errors import InvalidInput, NotVisible, WrongState
from casework.models import Case
from casework.services import case_transition
from letters.context import build_letter_context, check_fits, check_organ
from letters.kinds import KINDS, Kind, default_wording
from letters.models import (
    Letter,
    LetterNumberCounter,
    LetterVoid,
    LetterWording,
    new_verification_code,
)
from letters.rendering import html_to_pdf, render_letter_html, seal_data_uri

Fire = Callable[..., Any]


def current_wording(kind: str) -> LetterWording:
    """The wording in effect: the version of the kind the office head approved last. Version 1
    is templates/letters/wording/<kind>.txt, in effect as shipped; a newer version waits for
    approval (wording_approve)."""
    wording = (
        LetterWording.objects.filter(kind=kind, approved_at__isnull=False)
        .order_by("-approved_at", "-version")
        .first()
    )
    if wording is None:
        # Nothing approved yet (a pending version never takes effect by default): the shipped
        # wording, approved as shipped, numbered after any pending version.
        last = LetterWording.objects.filter(kind=kind).order_by("-version").first()
        try:
            with transaction.atomic():
                wording = LetterWording.objects.create(
                    kind=kind,
                    version=(last.version + 1) if last else 1,
                    body=default_wording(kind),
                    approved_at=timezone.now(),
                )
        except IntegrityError:  # another process made it meanwhile: use theirs
            return current_wording(kind)
    return wording


def wording_pending() -> list[tuple[LetterWording, LetterWording | None, list[str]]]:
    """Versions waiting for approval, each with the version in effect and a line diff."""
    import difflib

    result = []
    for wording in LetterWording.objects.filter(approved_at__isnull=True).order_by(
        "kind", "version"
    ):
        current = (
            LetterWording.objects.filter(kind=wording.kind, approved_at__isnull=False)
            .order_by("-approved_at", "-version")
            .first()
        )
        before = (current.body if current else default_wording(wording.kind)).splitlines()
        diff = list(difflib.unified_diff(before, wording.body.splitlines(), lineterm="", n=1))[2:]
        result.append((wording, current, diff))
    return result


@transaction.atomic
def wording_approve(*, wording_id: int, actor: Any, now: datetime | None = None) -> LetterWording:
    """The head of the OGI office puts a new wording version into effect (the organ speaks
    through its letters; 国办公开办函 practice: the office head signs off wording)."""
    from casework.choices import Role
    from casework.errors import NotPermitted
    from casework.permissions import user_roles

    if Role.OFFICE_HEAD not in user_roles(actor):
        raise NotPermitted(_("Only the head of the OGI office approves a letter wording."))
    try:
        wording = LetterWording.objects.select_for_update().get(pk=wording_id)
    except LetterWording.DoesNotExist:
        raise NotVisible(_("No such wording.")) from None
    if wording.approved_at is not None:
        raise WrongState(_("This wording is already approved."))
    LetterWording.objects.filter(pk=wording.pk).update(
        approved_by=actor, approved_at=now or timezone.now()
    )
    wording.refresh_from_db()
    return wording


def _kind(key: str) -> Kind:
    if key not in KINDS:
        raise InvalidInput(_("Unknown letter kind: %(kind)s.") % {"kind": key}, field="kind")
    return KINDS[key]


def number_series(case: Case, kind: Kind) -> str:
    """The number series (文号 prefix) of a kind: the organ's letter settings name one for
    replies (e.g. 依复) and one for notices (e.g. 依告); without them, the organ's prefix."""
    organ = case.organ
    from letters.context import letter_settings

    row = letter_settings(case)
    own = (row.reply_series if kind.needs == "decision" else row.notice_series) if row else ""
    return own or organ.letter_number_prefix or organ.short_name or organ.name


def seal_allowed(case: Case, kind: Kind) -> bool:
    """The seal only on a letter whose step the head of the OGI office approved: a reply after
    sign-off (审签, `approve`) or a decision the head took (abandonment); an extension (Art
    33(2): the head's consent); other notices when the head fired their step."""
    from casework.choices import Role

    trigger = {
        "receipt": [T.RECEIVE, T.CONFIRM_RECEIPT],
        "correction": [T.REQUEST_CORRECTION],
        "extension": [T.EXTEND],
        "consultation": [T.OPEN_CONSULTATION],
        "fee": [T.NOTIFY_FEE],
        "decision": [T.APPROVE, T.ABANDON, T.REPLY_ON_THE_SPOT, T.PROPOSE],
    }[kind.needs]
    event = case.events.filter(kind__in=trigger).order_by("-seq").first()
    if event is None:
        return False
    if kind.needs == "decision" and event.kind == T.APPROVE:
        return True
    return bool(event.actor_role == Role.OFFICE_HEAD)


def _next_number(case: Case, year: int, series: str | None = None) -> str:
    organ = case.organ
    series = series or organ.letter_number_prefix or organ.short_name or organ.name
    try:
        with transaction.atomic():
            LetterNumberCounter.objects.get_or_create(organ=organ, year=year, series=series)
    except IntegrityError:
        pass
    counter = LetterNumberCounter.objects.select_for_update().get(
        organ=organ, year=year, series=series
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return str(settings.LETTER_NUMBER_FORMAT.format(prefix=series, year=year, seq=counter.last))


def letter_preview_html(*, case: Case, kind: str, now: datetime | None = None) -> str:
    """A draft: the letter as it would be issued today, unnumbered and marked as a draft."""
    spec = _kind(kind)
    check_fits(case, spec)
    issued_on = timezone.localdate(now or timezone.now())
    context = build_letter_context(
        case=case, kind=spec, number=_("(number assigned on issue)"), issued_on=issued_on
    )
    return render_letter_html(
        context=context, wording=current_wording(kind).body, verification_code="—", draft=True
    )


def letter_preview_pdf(*, case: Case, kind: str, now: datetime | None = None) -> bytes:
    """The exact PDF the letter would be if issued now, watermarked 样稿 (sample): the same
    layout, fonts and seal rule; the number's sequence and the verification code are left
    blank because they are assigned only on issue."""
    spec = _kind(kind)
    check_fits(case, spec)
    issued_on = timezone.localdate(now or timezone.now())
    series = number_series(case, spec)
    context = build_letter_context(
        case=case, kind=spec, number=f"{series}〔{issued_on.year}〕　号", issued_on=issued_on
    )
    html = render_letter_html(
        context=context,
        wording=current_wording(kind).body,
        verification_code="（签发时生成）",
        seal=seal_data_uri(case.organ.seal.path if case.organ.seal else None)
        if seal_allowed(case, spec)
        else None,
        draft=True,
    )
    return html_to_pdf(html)


@transaction.atomic
def letter_issue(
    *,
    number: str,
    kind: str,
    actor: Any,
    now: datetime | None = None,
    replaces: Letter | None = None,
    consultation_id: str | None = None,
    fire: Fire = case_transition,
) -> Letter:
    """Number, render, freeze and store a letter, and record it on the case.

    Reply letters (答复书) fire `issue_reply` (approved → replied); notices fire `issue_letter`.
    `fire` is the transition function (the workflow passes its own, which also completes the
    flow's task). Checks before numbering: the kind fits the case, the organ's settings are
    complete. Any failure rolls back the number, the files and the event.
    """
    now = now or timezone.now()
    spec = _kind(kind)
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("organ", "applicant", "agent")
        .get(number=number)
    )
    check_fits(case, spec)
    check_organ(case)
    issued_on = timezone.localdate(now)
    document_number = _next_number(case, issued_on.year, number_series(case, spec))
    wording = current_wording(kind)
    context = build_letter_context(
        case=case,
        kind=spec,
        number=document_number,
        issued_on=issued_on,
        consultation_id=consultation_id,
    )
    code = new_verification_code()
    html = render_letter_html(
        context=context,
        wording=wording.body,
        verification_code=code,
        seal=seal_data_uri(case.organ.seal.path if case.organ.seal else None)
        if seal_allowed(case, spec)
        else None,
    )
    pdf = html_to_pdf(html)
    digest = hashlib.sha256(pdf).hexdigest()
    name = (
        T.ISSUE_REPLY if spec.needs == "decision" and case.status == "approved" else T.ISSUE_LETTER
    )
    fields = (
        {"letter": document_number, "sha256": digest}
        if name == T.ISSUE_REPLY
        else {"kind": kind, "letter": document_number, "title": spec.label, "sha256": digest}
    )
    fire(
        number=case.number,
        organ=case.organ,
        name=name,
        actor=actor,
        on=issued_on,
        fields=fields,
        now=now,
        internal=True,
    )
    from casework.lifecycle import as_actor

    letter = Letter(
        case=case,
        kind=kind,
        number=document_number,
        wording=wording,
        context=context,
        html=html,
        sha256=digest,
        verification_code=code,
        issued_by=as_actor(actor).user,
        issued_at=now,
        replaces=replaces,
    )
    letter.pdf.save("letter.pdf", ContentFile(pdf), save=False)
    letter.save()
    if spec.to == "applicant" and case.applicant.email:
        from casework.notifications import notify_template

        notify_template(
            key=f"letter:{letter.pk}",
            to=[case.applicant.email],
            case=case,
            template="letter_issued",
            context={"letter": letter, "title": spec.title},
            attachment_path=letter.pdf.path,
            attachment_name=f"{letter.number}.pdf",
        )
    return letter


@transaction.atomic
def letter_void(
    *,
    letter_id: int,
    actor: Any,
    reason: str,
    now: datetime | None = None,
    reissue: bool = True,
    fire: Fire = case_transition,
) -> Letter | None:
    """Void an issued letter (recorded as an event) and, by default, issue its correction."""
    now = now or timezone.now()
    try:
        letter = Letter.objects.select_for_update().select_related("case").get(pk=letter_id)
    except Letter.DoesNotExist:
        raise NotVisible(_("No such letter.")) from None
    if letter.is_void:
        raise WrongState(_("This letter is already void."))
    if not reason.strip():
        raise InvalidInput(_("Please fill in: %(label)s.") % {"label": _("reason")}, field="reason")
    fire(
        number=letter.case.number,
        organ=letter.case.organ,
        name=T.VOID_LETTER,
        actor=actor,
        on=timezone.localdate(now),
        fields={"letter": letter.number, "reason": reason},
        now=now,
        internal=True,
    )
    LetterVoid.objects.create(letter=letter, voided_by=actor, voided_at=now, reason=reason)
    if not reissue:
        return None
    return letter_issue(
        number=letter.case.number,
        kind=letter.kind,
        actor=actor,
        now=now,
        replaces=letter,
        fire=fire,
    )


def letter_verify(code: str) -> Letter | None:
    """The letter with this verification code (for the applicant portal), or None."""
    return (
        Letter.objects.select_related("case").filter(verification_code=code.strip().upper()).first()
    )


# --- proof of service (送达回证) ------------------------------------------------------------


@transaction.atomic
def letter_record_delivery(
    *,
    letter_id: int,
    actor: Any,
    method: str,
    delivered_on: Any,
    signed_by: str,
    address: str = "",
    tracking_number: str = "",
    note: str = "",
    now: datetime | None = None,
) -> Any:
    """Record how, when and to whom a letter was delivered and who signed the proof of service
    (国办公开办函〔2016〕235号: the delivery date is the signature date; for post, the date
    the addressee signs the receipt). Office staff of the case's organ only."""
    from datetime import date

    from casework.errors import NotPermitted
    from casework.permissions import OFFICE_ROLES, user_roles
    from casework.text import one_line
    from letters.models import DeliveryMethod, LetterDelivery

    if not user_roles(actor) & OFFICE_ROLES:
        raise NotPermitted(_("Your role does not allow this action on this case."))
    try:
        letter = Letter.objects.select_related("case").get(pk=letter_id)
    except Letter.DoesNotExist:
        raise NotVisible(_("No such letter.")) from None
    if method not in DeliveryMethod.values:
        raise InvalidInput(_("Choose how the letter was delivered."), field="method")
    if isinstance(delivered_on, str):
        try:
            delivered_on = date.fromisoformat(delivered_on)
        except ValueError:
            raise InvalidInput(_("Enter a valid date."), field="delivered_on") from None
    now = now or timezone.now()
    if not isinstance(delivered_on, date) or delivered_on > timezone.localdate(now):
        raise InvalidInput(_("The effective date cannot be in the future."), field="delivered_on")
    if delivered_on < timezone.localdate(letter.issued_at):
        raise InvalidInput(
            _("A letter cannot be delivered before it was issued."), field="delivered_on"
        )
    signed_by = one_line(signed_by)
    if not signed_by:
        raise InvalidInput(
            _("Please fill in: %(label)s.") % {"label": _("signed for by")}, field="signed_by"
        )
    return LetterDelivery.objects.create(
        letter=letter,
        method=method,
        delivered_on=delivered_on,
        signed_by=signed_by,
        address=one_line(address),
        tracking_number=one_line(tracking_number),
        note=one_line(note),
        recorded_by=actor,
        recorded_at=now,
    )


def letter_service_proof_pdf(letter: Letter) -> bytes:
    """The proof of service (送达回证) of a letter, printable on A4: blank for the signature
    before delivery, filled in from the last delivery record after it."""
    from django.template.loader import render_to_string

    from letters.fonts import typefaces

    delivery = letter.deliveries.order_by("-recorded_at").first()
    html = render_to_string(
        "letters/service_proof.html",
        {"letter": letter, "c": letter.context, "d": delivery, "fonts": typefaces()},
    )
    return html_to_pdf(html)
