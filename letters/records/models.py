"""Responsive records (the information itself), their redactions, the release set reviewed by
the OGI office, and the files released to the applicant with the reply (Art 37 区分处理).

Originals are internal: they are stored under random names and served only to staff who see
the case. Released files are frozen with their SHA-256 when the reply letter goes out.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models import AppendOnlyError, Case, Division


class Ground(models.TextChoices):
    """Why a part is withheld: the article of the Regulations (条例) it rests on."""

    ART14 = "art14", _("Art 14 (state secret, prohibited by law, security and stability)")
    ART15 = "art15", _("Art 15 (trade secret, personal privacy)")
    ART16_1 = "art16_1", _("Art 16(1) (internal affairs)")
    ART16_2 = "art16_2", _("Art 16(2) (process information, enforcement files)")
    OTHER_LAW = (
        "other_law",
        _("Art 36(3): a law or administrative regulation (name it in the note)"),
    )


# The short form painted inside a box and used in the letter's statement.
GROUND_SHORT = {
    Ground.ART14: "第十四条",
    Ground.ART15: "第十五条",
    Ground.ART16_1: "第十六条第一款",
    Ground.ART16_2: "第十六条第二款",
    Ground.OTHER_LAW: "第三十六条第（三）项",
}
GROUND_REASON = {
    Ground.ART14: "属于国家秘密、法律行政法规禁止公开或公开后可能危及“三安全一稳定”的信息",
    Ground.ART15: "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
    Ground.ART16_1: "属于内部事务信息",
    Ground.ART16_2: "属于过程性信息或行政执法案卷信息",
    Ground.OTHER_LAW: "属于法律、行政法规禁止公开的信息",
}


# Random names under records/: the original name is kept in the row, never in the path.
def original_upload_to(instance: Record, filename: str) -> str:
    return f"records/originals/{uuid.uuid4().hex}"


def pdf_upload_to(instance: Record, filename: str) -> str:
    return f"records/pdf/{uuid.uuid4().hex}.pdf"


def released_upload_to(instance: ReleasedFile, filename: str) -> str:
    return f"records/released/{uuid.uuid4().hex}.pdf"


class Record(models.Model):
    """One responsive record found by a division: the original (internal only) and the PDF
    the office works on (the same file for a PDF; converted for scans and office files)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be processed")
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="records", verbose_name=_("case")
    )
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="+", verbose_name=_("division")
    )
    title = models.CharField(_("title"), max_length=200)
    original = models.FileField(_("original"), upload_to=original_upload_to)
    original_name = models.CharField(_("original file name"), max_length=200)
    original_type = models.CharField(_("content type"), max_length=100)
    original_size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 of the original"), max_length=64)
    pdf = models.FileField(_("working PDF"), upload_to=pdf_upload_to, blank=True)
    pages_total = models.PositiveIntegerField(_("pages"), default=0)
    pages_done = models.PositiveIntegerField(_("pages processed"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    names = models.JSONField(_("names to look for"), default=list, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("responsive record")
        verbose_name_plural = _("responsive records")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return self.title


class Suggestion(models.Model):
    """Personal information found in a page's text layer or by OCR; a redaction only once
    accepted."""

    class Kind(models.TextChoices):
        ID_NUMBER = "id_number", _("ID number")
        MOBILE = "mobile", _("Mobile number")
        PHONE = "phone", _("Fixed phone number")
        BANK_CARD = "bank_card", _("Bank card number")
        EMAIL = "email", _("E-mail address")
        PLATE = "plate", _("Licence plate")
        NAME = "name", _("Listed name")

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="suggestions")
    page = models.PositiveIntegerField(_("page"))  # 1-based
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    value = models.CharField(_("text"), max_length=200)
    rects = models.JSONField(_("boxes"))  # [[x0, y0, x1, y1], ...] fractions of the page
    source = models.CharField(_("found in"), max_length=8)  # "text" or "ocr"
    accepted = models.BooleanField(_("accepted"), default=False)
    # Dismissed: the officer judged it not to be withheld, and said why (Art 37: what is
    # released is decided, never left open). Accepting it later clears the dismissal.
    dismissed_reason = models.CharField(_("reason for dismissal"), max_length=300, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("dismissed by"),
    )
    dismissed_at = models.DateTimeField(_("dismissed at"), null=True, blank=True)

    class Meta:
        ordering = ["record", "page", "pk"]

    def __str__(self) -> str:
        return f"{self.record_id} p{self.page} {self.kind}"

    @property
    def is_open(self) -> bool:
        """Neither accepted as a redaction nor dismissed with a reason."""
        return not self.accepted and self.dismissed_at is None


class Redaction(models.Model):
    """A part withheld: a box on a page (fractions of the page) or the whole page, with its
    ground and a note."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="redactions")
    page = models.PositiveIntegerField(_("page"))  # 1-based
    whole_page = models.BooleanField(_("whole page"), default=False)
    x0 = models.FloatField(default=0.0)
    y0 = models.FloatField(default=0.0)
    x1 = models.FloatField(default=1.0)
    y1 = models.FloatField(default=1.0)
    ground = models.CharField(_("ground"), max_length=12, choices=Ground.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="redactions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record", "page", "pk"]

    def __str__(self) -> str:
        return f"{self.record_id} p{self.page} {self.ground}"

    @property
    def short_ground(self) -> str:
        return GROUND_SHORT[Ground(self.ground)]


class ReleaseSet(models.Model):
    """The redacted files of a case, built together, reviewed together and released together
    with the reply. A returned set is kept (history); the next build is a new set."""

    class Status(models.TextChoices):
        BUILDING = "building", _("Being built")
        FAILED = "failed", _("Build failed")
        IN_REVIEW = "in_review", _("Awaiting review")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        RELEASED = "released", _("Released")
        SUPERSEDED = "superseded", _("Superseded")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="release_sets")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.BUILDING
    )
    pages_total = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=500, blank=True)
    # Frozen at approval: what the reply letter states about the withheld parts.
    statement = models.JSONField(default=list, blank=True)
    letter = models.ForeignKey(
        "letters.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} set {self.pk}"


class ReleasedFile(models.Model):
    """One redacted file of a set: frozen once written (SHA-256 kept)."""

    release_set = models.ForeignKey(ReleaseSet, on_delete=models.PROTECT, related_name="files")
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    file = models.FileField(upload_to=released_upload_to)
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField()
    size = models.PositiveBigIntegerField()
    redactions = models.PositiveIntegerField(default=0)
    withheld_pages = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["release_set", "position"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(_("A released file cannot be changed."))
        super().save(*args, **kwargs)


class RecordAudit(models.Model):
    """The records' own audit rows (who, when, what); append-only. The case events these
    should also become are listed for the lifecycle's transition table."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey(Record, on_delete=models.SET_NULL, null=True, blank=True)
    release_set = models.ForeignKey(ReleaseSet, on_delete=models.SET_NULL, null=True, blank=True)
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    at = models.DateTimeField(auto_now_add=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(_("Audit events cannot be changed."))
        super().save(*args, **kwargs)
