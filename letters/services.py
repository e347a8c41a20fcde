"""Issuing and voiding letters. Numbering, rendering and storage happen in the transaction
that records the case event: if anything fails, the number is given back (no gaps)."""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.choices import Role
from casework.choices import Transition as T
from casework.errors import InvalidInput, NotPermitted, NotVisible, WrongState
from casework.lifecycle import as_actor
from casework.lifecycle.actors import ActorLike, Staff
from casework.models import Case, Organ
from casework.payloads import Payload
from casework.permissions import OFFICE_ROLES, user_roles
from casework.selectors import consultations_from
from casework.services import case_transition
from casework.text import one_line
from letters.context import build_letter_context, check_fits, check_organ, letter_settings
from letters.fonts import check_printable, font_stacks
from letters.kinds import KINDS, Kind, default_wording
from letters.models import (
    Letter,
    LetterNumberCounter,
    LetterVoid,
    LetterWording,
    new_verification_code,
)
from letters.registry import LETTERS, declaration, sealed_by_organ
from letters.rendering import html_to_pdf, render_letter_html, seal_data_uri

if TYPE_CHECKING:
    from letters.models import LetterDelivery


class Fire(Protocol):
    """The transition function a letter fires: casework.services.case_transition, or the
    workflow's own (which also moves the case's flow)."""

    def __call__(
        self,
        *,
        number: str,
        organ: Organ | None = None,
        name: str,
        actor: ActorLike,
        on: date | None = None,
        fields: Mapping[str, object] | None = None,
        now: datetime | None = None,
        internal: bool = False,
    ) -> Case: ...


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
def wording_approve(*, wording_id: int, actor: Staff, now: datetime | None = None) -> LetterWording:
    """The head of the OGI office puts a new wording version into effect (the organ speaks
    through its letters; 国办公开办函 practice: the office head signs off wording)."""

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
    """The number series (文号 prefix) of a kind: the one the organ's letter settings name for
    what it documents (letters.kinds.SERIES: replies, acknowledgements, correction, extension,
    consultation and fee notices each their own); without it, replies keep the organ's
    prefix and each notice the organ's short name with its default word (e.g. 济退役军人依延)."""

    organ = case.organ
    series = declaration(kind.key).series
    own = getattr(letter_settings(case), series.field, "") or ""
    if own:
        return str(own)
    if declaration(kind.key).is_reply and organ.letter_number_prefix:
        return str(organ.letter_number_prefix)
    return f"{organ.short_name or organ.name}{series.default}"


def seal_allowed(case: Case, kind: Kind) -> bool:
    """The seal on a kind the organ seals (letters.registry: the legally binding notices and
    the replies by default, 文书设置 per organ), and only on a letter whose step the head of
    the OGI office approved: a reply after sign-off (审签, `approve`) or a decision the head
    took (abandonment); an extension (Art 33(2): the head's consent); other notices when the
    head fired their step."""

    spec = declaration(kind.key)
    if not sealed_by_organ(case, kind.key):
        return False
    event = case.events.filter(kind__in=spec.documents.seal_events).order_by("-seq").first()
    if event is None:
        return False
    if spec.is_reply and event.kind == T.APPROVE:
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


def letter_step(
    case: Case,
    spec: Kind,
    *,
    consultation_id: str | None = None,
    events: list[tuple[int, str, date, Payload]] | None = None,
) -> tuple[str, str | None]:
    """The step of the case a letter of `spec` documents, and the consultation it is about.

    Refuses (WrongState) when the step has not happened: a reply only after sign-off (or an
    on-the-spot reply or abandonment decided it), a consultation letter only while the
    consultation is open. Each notice documents the latest event of its step. `events` (the
    case's ledger as (seq, kind, on, payload) rows) may be passed when checking several kinds.
    """
    if events is None:
        events = _ledger_rows(case)

    def last(*kinds: str) -> tuple[int, Payload] | None:
        return next(
            ((seq, payload) for seq, kind, _on, payload in reversed(events) if kind in kinds), None
        )

    needs = spec.needs
    documents = declaration(spec.key).documents
    if needs == "receipt":
        return "receipt", None
    if needs == "consultation":
        opened = {
            c.consultation_id: c
            for c in consultations_from((kind, on, payload) for _seq, kind, on, payload in events)
            if c.closed_on is None
        }
        if consultation_id is None and len(opened) == 1:
            consultation_id = next(iter(opened))
        if consultation_id not in opened:
            raise WrongState(
                _("This letter does not fit the case: %(reason)s.")
                % {"reason": _("no consultation is open")}
            )
        party = opened[consultation_id].party
        if (spec.key == "consultation_third_party" and party != "third_party") or (
            spec.key == "consultation_organ" and party != "other_organ"
        ):
            raise WrongState(
                _("This letter does not fit the case: %(reason)s.")
                % {"reason": _("the consulted party is of another kind")}
            )
        return f"consultation:{consultation_id}", consultation_id
    if needs == "decision":
        decided = last(*documents.step_events)
        reopened = last(T.PROPOSE, T.RETURN_FOR_REVISION)
        if (
            decided is None
            or (reopened is not None and reopened[0] > decided[0])
            or case.status not in declaration(spec.key).states
        ):
            raise WrongState(
                _(
                    "The reply letter can be issued only after the head of the office has signed off the decision."
                )
            )
        return f"decision:{decided[0]}", None
    found = next(
        ((seq, kind) for seq, kind, _on, _p in reversed(events) if kind in documents.step_events),
        None,
    )
    if found is None:  # check_fits refused already; keeps the type narrow
        raise WrongState(
            _("This letter does not fit the case: %(reason)s.") % {"reason": documents.refusal}
        )
    return f"{found[1]}:{found[0]}", None


def _ledger_rows(case: Case) -> list[tuple[int, str, date, Payload]]:
    return list(case.events.order_by("seq").values_list("seq", "kind", "on", "payload"))


def letter_kinds_issuable(case: Case, user: Staff | None = None) -> list[str]:
    """The kinds that can be issued on the case now: its state is one its declaration names
    (letters.registry), `user` (when given) holds a role that issues it, they fit, their step
    happened, and no letter stands for that step yet (a voided one can be reissued). Only
    these are offered, on the letters page and in the API's `actions` (issue 24)."""
    declared = [
        key
        for key, d in LETTERS.items()
        if case.status in d.states and (user is None or d.may_issue(case, user))
    ]
    if not declared:
        return []
    events = _ledger_rows(case)  # read once for every kind
    kinds = {kind for _seq, kind, _on, _payload in events}
    issued = {(k, step) for k, step, void in _standing_letters(case) if not void}
    result = []
    for key in declared:
        spec = KINDS[key]
        try:
            check_fits(case, spec, kinds=kinds)
            step, _consultation = letter_step(case, spec, events=events)
        except (WrongState, InvalidInput):
            continue
        if (key, step) not in issued:
            result.append(key)
    return result


def _standing_letters(case: Case) -> list[tuple[str, str, bool]]:
    """(kind, step, voided) of the latest generation of each of the case's letters."""
    latest: dict[tuple[str, str], tuple[int, bool]] = {}
    for kind, step, generation, void_id in case.letters.values_list(
        "kind", "step", "generation", "void"
    ):
        if (kind, step) not in latest or generation > latest[(kind, step)][0]:
            latest[(kind, step)] = (generation, void_id is not None)
    return [(kind, step, void) for (kind, step), (_g, void) in latest.items()]


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
    actor: ActorLike,
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
    try:
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("organ", "applicant", "agent")
            .get(number=number)
        )
    except Case.DoesNotExist:
        raise NotVisible(_("No such case.")) from None
    # Under the case's row lock: parallel requests see each other's letter (once per step).
    declared = declaration(kind)
    if refusal := declared.state_refusal(case.status):
        raise WrongState(refusal)
    check_fits(case, spec)
    step, consultation_id = letter_step(case, spec, consultation_id=consultation_id)
    previous = (
        Letter.objects.filter(case=case, kind=kind, step=step).order_by("-generation").first()
    )
    if previous is not None and not previous.is_void:
        raise WrongState(
            _("This letter was already issued for this step (%(number)s); void it to correct it.")
            % {"number": previous.number}
        )
    if replaces is None:
        replaces = previous  # a correction is always the next generation of the voided one
    elif replaces != previous:
        raise WrongState(_("Only the latest voided letter of this step can be replaced."))
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
    # A correction names the letter it replaces (the old one stays on record as void).
    context["replaces_number"] = replaces.number if replaces is not None else ""
    check_printable([*context.values(), wording.body])  # no empty box for a rare character
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
    name = declared.recording_transition(case.status)
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
        step=step,
        generation=replaces.generation + 1 if replaces is not None else 0,
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
            attachment_path=letter.pdf.name,  # a storage name: any worker can open it
            attachment_name=f"{letter.number}.pdf",
        )
    return letter


@transaction.atomic
def letter_void(
    *,
    letter_id: int,
    actor: Staff,
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


# --- proof of service (送达回证) ------------------------------------------------------------


@transaction.atomic
def letter_record_delivery(
    *,
    letter_id: int,
    actor: Staff,
    method: str,
    delivered_on: date | str | None,
    signed_by: str,
    address: str = "",
    tracking_number: str = "",
    note: str = "",
    now: datetime | None = None,
) -> LetterDelivery:
    """Record how, when and to whom a letter was delivered and who signed the proof of service
    (国办公开办函〔2016〕235号: the delivery date is the signature date; for post, the date
    the addressee signs the receipt). Office staff of the case's organ only."""

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

    delivery = letter.deliveries.order_by("-recorded_at").first()
    html = render_to_string(
        "letters/service_proof.html",
        {"letter": letter, "c": letter.context, "d": delivery, "fonts": font_stacks()},
    )
    return html_to_pdf(html)
