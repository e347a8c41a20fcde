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
    """The latest wording of a kind; version 1 is templates/letters/wording/<kind>.txt."""
    wording = LetterWording.objects.filter(kind=kind).order_by("-version").first()
    if wording is None:
        wording, _created = LetterWording.objects.get_or_create(
            kind=kind, version=1, defaults={"body": default_wording(kind)}
        )
    return wording


def _kind(key: str) -> Kind:
    if key not in KINDS:
        raise InvalidInput(_("Unknown letter kind: %(kind)s.") % {"kind": key}, field="kind")
    return KINDS[key]


def _next_number(case: Case, year: int) -> str:
    organ = case.organ
    series = organ.letter_number_prefix or organ.short_name or organ.name
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
    document_number = _next_number(case, issued_on.year)
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
        seal=seal_data_uri(case.organ.seal.path if case.organ.seal else None),
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
