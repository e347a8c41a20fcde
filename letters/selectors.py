"""Reads of issued letters: which letters a reader may see, and their void and replacement
chain. No writes here.

A letter's addressee is its kind's `to` (letters.kinds): the applicant, a consulted third party
(Art 32) or another organ (Art 34). The applicant's pages show only letters addressed to the
applicant; the 征求意见书 to a third party or another organ stays with the office (Art 32: the
third party's identity and its opinion are weighed by the organ, not disclosed to the
applicant)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from casework.errors import NotVisible
from casework.lifecycle.actors import Person
from casework.models import Case
from casework.selectors import case_get_for_user
from letters.kinds import KINDS
from letters.models import CaseFile, Letter

APPLICANT_KINDS = frozenset(key for key, kind in KINDS.items() if kind.to == "applicant")


def letters_of_case(case: Case) -> QuerySet[Letter]:
    """Every letter of the case (the office's record), oldest first, with its void record,
    the letter it replaces and the letter that replaced it (no query per letter)."""
    return (
        Letter.objects.filter(case=case)
        .select_related("void", "replaces", "replaced_by")
        .order_by("issued_at", "pk")
    )


def letter_get_for_user(*, user: Person, pk: int) -> Letter:
    """One letter of a case the user may see, or NotVisible: the same answer for a missing
    letter and a letter of a case the user may not see."""
    letter = Letter.objects.select_related("case").filter(pk=pk).first()
    if letter is None:
        raise NotVisible(_("No such case."))
    case_get_for_user(user=user, number=letter.case.number)
    return letter


def letters_for_applicant(case: Case) -> QuerySet[Letter]:
    """The letters addressed to the applicant, voided ones included (shown as void, with
    their replacement); letters to a third party or another organ are left out."""
    return letters_of_case(case).filter(kind__in=APPLICANT_KINDS)


def letter_for_applicant_download(case: Case, pk: int) -> Letter | None:
    """The letter the applicant may download: addressed to the applicant and not void."""
    return letters_for_applicant(case).filter(pk=pk, void__isnull=True).first()


def letter_verify(code: str) -> Letter | None:
    """The letter with this verification code, with its void record and replacement, or None."""
    return (
        Letter.objects.select_related("case", "void", "replaces", "replaced_by")
        .filter(verification_code=code.strip().upper())
        .first()
    )


def archived_casefile(case: Case) -> CaseFile | None:
    """The case file stored when the case was archived (being built, built or failed), or None."""
    return CaseFile.objects.filter(case=case, reason=CaseFile.Reason.ARCHIVE).first()
