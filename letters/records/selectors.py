"""Reads for responsive records. Staff reads go through the case's access check first
(casework.selectors.case_get_for_user: 404 for another division's case); the applicant's
reads see released files only, never an original."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from casework.errors import NotVisible
from casework.lifecycle.actors import Person
from casework.models import Case
from casework.payloads import Payload, TemplateContext
from casework.selectors import case_get_for_user
from letters.records.models import GROUND_REASON, Ground, Record, ReleasedFile, ReleaseSet

if TYPE_CHECKING:
    from letters.models import Letter


def case_for_records(*, user: Person, number: str) -> Case:
    return case_get_for_user(user=user, number=number)


def records_of(case: Case) -> QuerySet[Record]:
    return Record.objects.filter(case=case).select_related("division", "added_by").order_by("pk")


def record_get(*, case: Case, pk: int) -> Record:
    record = records_of(case).filter(pk=pk).first()
    if record is None:
        raise NotVisible("No such record.")
    return record


def current_set(case: Case) -> ReleaseSet | None:
    """The newest set that is not superseded (building, failed, in review, returned,
    approved or released)."""
    return (
        ReleaseSet.objects.filter(case=case)
        .exclude(status=ReleaseSet.Status.SUPERSEDED)
        .order_by("-pk")
        .first()
    )


def set_get(*, case: Case, pk: int) -> ReleaseSet:
    release_set = ReleaseSet.objects.filter(case=case, pk=pk).first()
    if release_set is None:
        raise NotVisible("No such release set.")
    return release_set


def released_files_for_applicant(case: Case) -> QuerySet[ReleasedFile]:
    """The files released with the reply: those of the case's released set only."""
    return ReleasedFile.objects.filter(
        release_set__case=case, release_set__status=ReleaseSet.Status.RELEASED
    ).order_by("release_set_id", "position")


def released_files_for_letter(letter: Letter) -> QuerySet[ReleasedFile]:
    """The files that went out with a letter (for /verify/)."""
    return ReleasedFile.objects.filter(
        release_set__letter=letter, release_set__status=ReleaseSet.Status.RELEASED
    ).order_by("position")


def statement_text(statement: list[Payload]) -> str:
    """The letter's statement of the withheld parts and their grounds (Art 37; Art 36(3)
    names the ground)."""
    parts = []
    for row in statement:
        where = []
        if row["pages"]:
            where.append(f"第{'、'.join(str(p) for p in row['pages'])}页共{row['boxes']}处")
        if row["whole_pages"]:
            where.append(f"第{'、'.join(str(p) for p in row['whole_pages'])}页整页")
        law = "；".join(n for n in row.get("notes", []) if n)
        basis = f"《中华人民共和国政府信息公开条例》{row['article']}" + (f"及{law}" if law else "")
        reason = GROUND_REASON[Ground(row["ground"])]
        parts.append(
            f"附件{row['position']}{'、'.join(where)}，{reason}，依据{basis}的规定不予公开"
        )
    return "；".join(parts) + ("。" if parts else "")


def proposal_withheld_text(case: Case) -> str:
    """The withheld statement of the case's latest built set, in review or approved (Art 37):
    what the propose form opens with, so the officer who built the set retypes nothing; the
    reply letter prints the approved set's, frozen at approval (letter_records_context). A set
    in review has no frozen statement yet: it is read from its redactions, as approval will."""
    from letters.records.services import withheld_statement

    release_set = (
        ReleaseSet.objects.filter(
            case=case,
            status__in=[
                ReleaseSet.Status.IN_REVIEW,
                ReleaseSet.Status.APPROVED,
                ReleaseSet.Status.RELEASED,
            ],
        )
        .order_by("-pk")
        .first()
    )
    if release_set is None:
        return ""
    return statement_text(release_set.statement or withheld_statement(release_set))


def letter_records_context(case: Case) -> TemplateContext:
    """The 附件 list and the withheld statement of the approved (or released) set, for the
    reply letter; empty when the case has no such set."""
    release_set = (
        ReleaseSet.objects.filter(
            case=case, status__in=[ReleaseSet.Status.APPROVED, ReleaseSet.Status.RELEASED]
        )
        .order_by("-pk")
        .first()
    )
    if release_set is None:
        return {}
    files = list(release_set.files.order_by("position"))
    attachments = [
        {"position": f.position, "name": f.record.title, "pages": f.pages, "sha256": f.sha256}
        for f in files
    ]
    listing = "；".join(
        f"附件{a['position']}《{a['name']}》（{a['pages']}页）" for a in attachments
    )
    context: TemplateContext = {"attachments": attachments, "files": listing}
    statement = statement_text(release_set.statement)
    if statement:
        context["withheld"] = statement
    return context
