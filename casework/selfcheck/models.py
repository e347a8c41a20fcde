"""A self-check campaign (自查) and its items: the withheld decisions and withheld parts still in
force, and the popular topics of the case library, each with its division, deadline,
conclusion and approval; and the campaign's append-only audit rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models import AppendOnlyModel, AppendOnlyQuerySet, Case, Division, Organ


class Campaign(models.Model):
    """One self-check the office opens for a period (e.g. the first half of 2026)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Self-check in progress")
        CLOSED = "closed", _("Closed")

    organ = models.ForeignKey(
        Organ, on_delete=models.PROTECT, related_name="+", verbose_name=_("organ")
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(_("conclusions due on"))
    working_days = models.PositiveSmallIntegerField(_("working days for the divisions"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("self-check campaign")
        verbose_name_plural = _("self-check campaigns")
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Kind(models.TextChoices):
    WITHHELD = "withheld", _("Withheld decision")
    WITHHELD_PART = "withheld_part", _("Withheld part of a partial disclosure")
    POPULAR_TOPIC = "popular_topic", _("Popular topic")


class Conclusion(models.TextChoices):
    """What the division concludes (Art 44; the work plan: 应公开未公开的信息应当公开，可转为主动公开
    的应当主动公开)."""

    # A withheld item kept withheld (its ground re-checked), or a topic not converted.
    KEEP_WITHHELD = "keep_withheld", _("Keep as it is")
    DISCLOSE_NOW = "disclose_now", _("Disclose now")
    CONVERT_PROACTIVE = "convert_proactive", _("Convert to proactive disclosure")


class GroundCheck(models.TextChoices):
    """The withholding ground re-checked: whether it still holds, and if not, why."""

    STILL_HOLDS = "still_holds", _("The ground still holds")
    PROCESS_ENDED = (
        "process_ended",
        _("The process has ended: no longer process information (Art 16(2))"),
    )
    THIRD_PARTY_CONSENTED = "third_party_consented", _("The third party consented (Art 15)")
    SECRET_EXPIRED = "secret_expired", _("The secret's time limit has passed (Art 14)")
    OTHER_CHANGE = "other_change", _("Circumstances changed otherwise")
    NOT_APPLICABLE = "not_applicable", _("No ground (a popular topic)")


class Item(models.Model):
    """One thing the self-check reviews, in its division's queue."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the division's conclusion")
        RETURNED = "returned", _("Returned to the division")
        CONCLUDED = "concluded", _("Awaiting the head's approval")
        APPROVED = "approved", _("Conclusion approved")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="items", verbose_name=_("campaign")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What the item stands for, stable across campaigns: "case:12", "case:12:item:2",
    # "topic:<numbers of the topic's cases>".
    source_key = models.CharField(_("source"), max_length=200)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("item of the request"), null=True, blank=True)
    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("division"),
    )
    title = models.CharField(_("information"), max_length=500)
    ground = models.CharField(_("ground"), max_length=300, blank=True)
    withheld = models.TextField(_("what is withheld"), blank=True)
    reasons_then = models.TextField(_("reasons given then"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    topic_cases = models.JSONField(_("cases of the topic"), default=list, blank=True)
    applicants = models.PositiveSmallIntegerField(_("applicants"), default=0)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    conclusion = models.CharField(
        _("conclusion"), max_length=20, choices=Conclusion.choices, blank=True
    )
    ground_check = models.CharField(
        _("ground re-checked"), max_length=24, choices=GroundCheck.choices, blank=True
    )
    reasons = models.TextField(_("reasons"), blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    urges = models.PositiveSmallIntegerField(_("urged"), default=0)
    # The proactive-disclosure catalogue item made from the conclusion (casework.catalogue).
    catalogue_item_id = models.PositiveIntegerField(_("catalogue item"), null=True, blank=True)

    class Meta:
        verbose_name = _("self-check item")
        verbose_name_plural = _("self-check items")
        ordering = ["campaign", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "source_key"], name="selfcheck_item_source_once"
            )
        ]
        indexes = [models.Index(fields=["division", "status"], name="selfcheck_item_queue")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.pk} {self.title[:30]}"

    @property
    def is_withheld(self) -> bool:
        return self.kind in (Kind.WITHHELD, Kind.WITHHELD_PART)


ACTION_LABELS = {
    "opened": _("Self-check opened"),
    "concluded": _("Conclusion submitted"),
    "returned": _("Returned to the division"),
    "approved": _("Conclusion approved"),
    "urged": _("Urged"),
    "closed": _("Self-check closed"),
}


class AuditQuerySet(AppendOnlyQuerySet["Audit"]):
    """Bulk update and delete of the self-check audit are refused."""


class Audit(AppendOnlyModel):
    """Who did what to a campaign or one of its items, when (append-only: refused on save of
    an existing row here, and by a trigger on PostgreSQL)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="audit")
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="audit"
    )
    action = models.CharField(_("action"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("actor name"), max_length=150)
    at = models.DateTimeField(_("at"))
    payload = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-check audit row")
        verbose_name_plural = _("self-check audit rows")
        ordering = ["campaign", "pk"]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.action}"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))
