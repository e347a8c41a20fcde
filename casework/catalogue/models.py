"""Catalogue items, their attachments and history, the categories (data, editable), the
record of items shown to applicants, and the versions of the disclosure guide."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models import AppendOnlyModel, AppendOnlyQuerySet, Case, Division, Organ

# The work plan's list (§2(一) and §3: 公示公告、工作进展、政策法规、文件解读、会议信息、财政预决算、
# 人大代表建议和政协提案办理), seeded by migration 0002 and editable in the admin.
DEFAULT_CATEGORIES: tuple[str, ...] = (
    "公示公告",
    "工作进展",
    "政策法规",
    "文件解读",
    "会议信息",
    "财政预决算",
    "人大代表建议和政协提案办理",
    "就业创业",
    "依申请公开转主动公开",
)


class Category(models.Model):
    """A heading of the catalogue (栏目). Data, not code: the office adds and renames them."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("catalogue category")
        verbose_name_plural = _("catalogue categories")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class SourceKind(models.TextChoices):
    MANUAL = "manual", _("Entered by the office")
    CASE = "case", _("From a request's released records")
    SELFCHECK = "selfcheck", _("From a self-check conclusion")
    POPULAR_TOPIC = "popular_topic", _("From a popular topic")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    PUBLISHED = "published", _("Published")


class Validity(models.TextChoices):
    VALID = "valid", _("In force")  # 有效
    INVALID = "invalid", _("No longer in force")  # 失效


class CatalogueItem(models.Model):
    """One piece of proactively disclosed information. A draft is written by the office or a
    division, submitted, and published when the head of the OGI office approves it; once
    published it stays listed (a 36(1) reply may point to it): withdrawal marks it 失效."""

    organ = models.ForeignKey(
        Organ, on_delete=models.PROTECT, related_name="catalogue_items", verbose_name=_("organ")
    )
    title = models.CharField(_("title"), max_length=200)
    doc_number = models.CharField(_("document number"), max_length=80, blank=True)  # 文号
    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuing division"),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("category"),
    )
    body = models.TextField(_("text"), blank=True)
    published_on = models.DateField(_("date issued"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    validity = models.CharField(
        _("validity"), max_length=8, choices=Validity.choices, default=Validity.VALID
    )
    source_kind = models.CharField(
        _("source"), max_length=16, choices=SourceKind.choices, default=SourceKind.MANUAL
    )
    # The source's own id as a string (a case number, a self-check conclusion's id, a popular
    # topic's key): no foreign key to models of other apps.
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["-published_on", "-pk"]
        indexes = [
            models.Index(fields=["organ", "status", "-published_on"], name="catalogue_public"),
            models.Index(fields=["source_kind", "source_ref"], name="catalogue_source"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == ItemStatus.PUBLISHED


def attachment_upload_to(instance: CatalogueAttachment, filename: str) -> str:
    return f"catalogue/{uuid.uuid4().hex}"


class CatalogueAttachment(models.Model):
    """A file of an item (checked and rebuilt like every upload, casework.attachments)."""

    item = models.ForeignKey(CatalogueItem, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(_("file"), upload_to=attachment_upload_to)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        verbose_name = _("catalogue attachment")
        verbose_name_plural = _("catalogue attachments")
        ordering = ["item", "position", "pk"]

    def __str__(self) -> str:
        return self.original_name


class HistoryKind(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    SUBMITTED = "submitted", _("Submitted for approval")
    RETURNED = "returned", _("Returned for revision")
    PUBLISHED = "published", _("Approved and published")
    WITHDRAWN = "withdrawn", _("Withdrawn (no longer in force)")


class ItemHistory(AppendOnlyModel):
    """The change history of an item: append-only, one row per write, in its transaction."""

    CHANGED = _("A history entry cannot be changed.")
    DELETED = _("A history entry cannot be deleted.")

    item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="history")
    kind = models.CharField(_("change"), max_length=12, choices=HistoryKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=30)
    at = models.DateTimeField(_("at"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)  # field: [before, after]

    objects = AppendOnlyQuerySet["ItemHistory"].as_manager()

    class Meta:
        verbose_name = _("catalogue item history")
        verbose_name_plural = _("catalogue item history")
        ordering = ["item", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind}"


class ItemShown(models.Model):
    """Catalogue items shown on /apply/ while the applicant typed the subject, recorded on the
    case the application became (issue 26 point 4: applications that followed anyway)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="catalogue_shown")
    item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="shown")
    shown_at = models.DateTimeField(_("shown at"))

    class Meta:
        verbose_name = _("catalogue item shown")
        verbose_name_plural = _("catalogue items shown")
        constraints = [
            models.UniqueConstraint(fields=["case", "item"], name="catalogue_shown_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.item_id}"


class ItemCited(models.Model):
    """A case answered by pointing to a catalogue item (Art 36(1): 已经主动公开), or whose
    released records were published to the catalogue: one row per case and item."""

    class Use(models.TextChoices):
        ALREADY_PUBLIC = "already_public", _("Reply pointed to the item (Art 36(1))")
        PUBLISHED_FROM = "published_from", _("Item made from the case's released records")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="catalogue_cited")
    item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="cited")
    use = models.CharField(_("use"), max_length=16, choices=Use.choices)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("catalogue item cited")
        verbose_name_plural = _("catalogue items cited")
        constraints = [
            models.UniqueConstraint(fields=["case", "item", "use"], name="catalogue_cited_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.item_id} ({self.use})"


class GuideStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")


class GuideVersion(models.Model):
    """One version of the disclosure guide (政府信息公开指南): the editable text of each
    section (the organ's data — office, address, postal code, phone, hours — is drawn from
    the Organ row when the version is approved and frozen with it). The latest approved
    version is the portal's guide; earlier ones stay readable."""

    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="guide_versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=GuideStatus.choices, default=GuideStatus.DRAFT
    )
    sections = models.JSONField(_("sections"), default=dict)  # key: text (editable parts)
    organ_facts = models.JSONField(_("organ's data as approved"), default=dict, blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    updated_on = models.DateField(_("date updated"), null=True, blank=True)  # 更新日期

    class Meta:
        verbose_name = _("guide version")
        verbose_name_plural = _("guide versions")
        ordering = ["organ", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["organ", "number"], name="guide_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organ_id} v{self.number}"
