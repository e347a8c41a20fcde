"""The applicant portal's writes: an online application with its secret query code.

The portal's views only check access, call one function here and respond; which code belongs
to which submission (the session) stays in the view.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.files import File
from django.db import transaction

from casework.catalogue.services import catalogue_shown_record
from casework.choices import Channel
from casework.lifecycle import APPLICANT
from casework.models import Case, Organ
from casework.notifications import notify_template
from casework.portal import query_code_digest, query_code_new
from workflows.services import case_receive


@dataclass(frozen=True)
class Submission:
    """What the applicant is told after applying: the case and the query code to track it."""

    case: Case
    query_code: str
    created: bool


@transaction.atomic
def application_submit(
    *,
    organ: Organ,
    applicant: Mapping[str, object],
    request: Mapping[str, object],
    attachments: Sequence[tuple[str, File[bytes]]],
    submission_token: str,
    now: datetime,
    query_code: str | None = None,
    agent: Mapping[str, object] | None = None,
    catalogue_shown: Iterable[int] = (),
) -> Submission:
    """Receive an online application (channel 网上; received_on waits for the office's
    confirmation, Art 31), start its flow, tell the office, and bind the query code to it.
    `agent`: the 委托代理人's details when an agent applies (the power of attorney and the
    agent's identity proof come among the attachments).

    Only an HMAC of the code is stored (casework.portal). The applicant gets the number and
    the code by e-mail after commit (key `applied:<case>`). A repeated `submission_token`
    (double click, refresh) returns the first case and stores nothing new: `created` is False,
    and the code that counts is the one given with the first submission. `catalogue_shown`:
    the catalogue items the form showed while the subject was typed (recorded on the case,
    issue 26 point 4). Raises InvalidInput
    with every problem of the input; nothing is stored then.
    """
    code = query_code or query_code_new()
    case = case_receive(
        organ=organ,
        actor=APPLICANT,
        channel=Channel.ONLINE,
        arrived_at=now,
        applicant=dict(applicant),
        agent=dict(agent) if agent else None,
        request=dict(request),
        attachments=attachments,
        submission_token=submission_token,
        notify_office=True,
    )
    if case.query_code_digest:  # a repeated submission returns the first case
        return Submission(case=case, query_code=code, created=False)
    # The digest binds the code to the number, which exists only now.
    case.query_code_digest = query_code_digest(case.number, code)
    Case.objects.filter(pk=case.pk).update(query_code_digest=case.query_code_digest)
    if catalogue_shown:
        catalogue_shown_record(case=case, item_ids=catalogue_shown, now=now)
    if case.applicant.email:
        notify_template(
            key=f"applied:{case.pk}",
            to=[case.applicant.email],
            case=case,
            template="application_received",
            context={"organ": organ, "query_code": code},
        )
    return Submission(case=case, query_code=code, created=True)


@transaction.atomic
def correction_submit(
    *,
    case: Case,
    subject: str,
    text: str,
    uploads: Sequence[File[bytes]],
    now: datetime | None = None,
) -> Case:
    """The applicant's correction from the tracking page (Art 30): the files are stored as the
    corrected application, the text recorded on the case (submit_correction), and the office
    told to check it and record its receipt."""
    from django.contrib.auth import get_user_model

    from casework.attachments import attachment_add, correction_uploads_check
    from casework.choices import AttachmentKind, Role
    from casework.services import case_transition

    correction_uploads_check(case, len(uploads))
    names = []
    for uploaded in uploads:
        attachment_add(
            case=case, kind=AttachmentKind.CORRECTION, uploaded=uploaded, actor=APPLICANT
        )
        names.append(str(uploaded.name)[:100])
    case_transition(
        number=case.number,
        organ=case.organ,
        name="submit_correction",
        actor=APPLICANT,
        fields={"subject": subject, "text": text, "file_names": "、".join(names)},
        now=now,
        internal=True,
    )
    emails = (
        get_user_model()
        .objects.filter(groups__name=Role.REGISTRAR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    event_pk = case.events.order_by("-seq").values_list("pk", flat=True).first()
    notify_template(
        key=f"correction-online:{event_pk}",
        to=list(emails),
        case=case,
        template="correction_submitted",
        context={},
    )
    return case
