"""Letters: versioned wording, gap-free document numbers, and frozen issued letters.

An issued Letter never changes: its context snapshot, HTML, PDF and SHA-256 are stored at
issue. A correction voids it (LetterVoid) and issues a new one; both are case events.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import AppendOnlyError, Case, Organ
from letters.kinds import KINDS


def kind_choices() -> list[tuple[str, str]]:
    """The letter kinds (letters.kinds, declared in letters.registry), read when asked: a
    callable, so that adding a kind needs no migration (issue 23)."""
    return [(k.key, k.label) for k in KINDS.values()]


class LetterWording(models.Model):
    """The paragraphs of one kind of letter, as a Django template. Saving a change creates a
    new version; an issued letter keeps the version it used."""

    kind = models.CharField(_("kind"), max_length=60, choices=kind_choices)
    version = models.PositiveIntegerField(_("version"))
    body = models.TextField(
        _("wording"),
        help_text=_("One paragraph per block separated by a blank line; Django template syntax."),
    )
    note = models.CharField(_("reason for the change"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # A new version takes effect only once the head of the OGI office approves it (the
    # letters speak for the organ); until then letters keep the last approved version.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("letter wording")
        verbose_name_plural = _("letter wordings")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="wording_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class LetterNumberCounter(models.Model):
    """Gap-free document numbers (文号) per organ, year and series, advanced under a row lock
    in the issuing transaction."""

    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=30)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "year", "series"], name="letter_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series}〔{self.year}〕{self.last}"


def letter_upload_to(instance: Letter, filename: str) -> str:
    return f"letters/{instance.issued_at:%Y}/{uuid.uuid4().hex}.pdf"


def new_verification_code() -> str:
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud on the phone
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Letter(models.Model):
    """An issued, numbered, frozen document about a case."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="letters", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=60, choices=kind_choices)
    number = models.CharField(_("document number"), max_length=60)
    wording = models.ForeignKey(
        LetterWording, on_delete=models.PROTECT, related_name="+", verbose_name=_("wording version")
    )
    context = models.JSONField(_("context snapshot"))
    html = models.TextField(_("HTML"))
    pdf = models.FileField(_("PDF"), upload_to=letter_upload_to)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    verification_code = models.CharField(
        _("verification code"), max_length=14, unique=True, default=new_verification_code
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("issued by"),
        help_text=_("Empty when issued by scheduled work."),
    )
    issued_at = models.DateTimeField(_("issued at"))
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    # The step of the case the letter documents (letters.services.letter_step): one letter per
    # case, kind and step; a correction is the next generation, replacing the voided one.
    step = models.CharField(_("step"), max_length=60, default="")
    generation = models.PositiveSmallIntegerField(_("generation"), default=0)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "number"], name="letter_number_unique_per_case"
            ),
            models.UniqueConstraint(
                fields=["case", "kind", "step", "generation"], name="letter_once_per_step"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(
                _("An issued letter cannot be changed; void it and issue a new one.")
            )
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(_("An issued letter cannot be deleted; void it instead."))

    @property
    def is_void(self) -> bool:
        return hasattr(self, "void")

    @property
    def replacement(self) -> Letter | None:
        """The letter issued to replace this one (its correction), or None."""
        try:
            return self.replaced_by
        except Letter.DoesNotExist:  # the reverse accessor's error subclasses it
            return None

    @property
    def addressed_to(self) -> str:
        """Who the letter is addressed to: "applicant", "third_party" or "organ" (its kind's `to`)."""
        return KINDS[self.kind].to if self.kind in KINDS else ""


class LetterVoid(models.Model):
    """A voided letter: who, when, why. The letter itself stays as issued."""

    letter = models.OneToOneField(
        Letter, on_delete=models.PROTECT, related_name="void", verbose_name=_("letter")
    )
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voided by"),
    )
    voided_at = models.DateTimeField(_("voided at"))
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("voided letter")
        verbose_name_plural = _("voided letters")

    def __str__(self) -> str:
        return f"{self.letter} ✕"


SERIES_HELP = _(
    "Empty: the organ's short name and the default word (依回, 依补, 依延, 依征, 依费)."
)


class LetterSettings(models.Model):
    """An organ's settings for its letters: the contact line (附注), how fees are paid
    (国办函〔2020〕109号: the fee notice states how, where and by when to pay), and the number
    series of each kind of letter (letters.kinds.SERIES: e.g. 依复 for replies, 依补 for
    correction notices, 依延 for extension notices); an empty one takes its default."""

    organ = models.OneToOneField(
        Organ, on_delete=models.CASCADE, related_name="letter_settings", verbose_name=_("organ")
    )
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    fee_payee = models.CharField(_("fee payee"), max_length=100, blank=True)
    fee_bank = models.CharField(_("fee bank"), max_length=100, blank=True)
    fee_account = models.CharField(_("fee account"), max_length=50, blank=True)
    fee_how = models.CharField(
        _("how fees are paid"),
        max_length=200,
        blank=True,
        help_text=_("E.g. bank transfer, or in person at the office with a receipt."),
    )
    reply_series = models.CharField(_("number series of replies"), max_length=30, blank=True)
    acknowledgement_series = models.CharField(
        _("number series of acknowledgements"), max_length=30, blank=True, help_text=SERIES_HELP
    )
    correction_series = models.CharField(
        _("number series of correction notices"), max_length=30, blank=True, help_text=SERIES_HELP
    )
    extension_series = models.CharField(
        _("number series of extension notices"), max_length=30, blank=True, help_text=SERIES_HELP
    )
    consultation_series = models.CharField(
        _("number series of consultation letters"),
        max_length=30,
        blank=True,
        help_text=SERIES_HELP,
    )
    fee_series = models.CharField(
        _("number series of fee notices"), max_length=30, blank=True, help_text=SERIES_HELP
    )
    # Which kinds carry the seal, where it differs from the declaration (letters.registry:
    # the legally binding notices and the replies are sealed by default): {kind: true/false}.
    seal_overrides = models.JSONField(
        _("seal per kind of letter"),
        default=dict,
        blank=True,
        help_text=_(
            'Only where this organ differs from the default, e.g. {"acknowledgement": true}; '
            "legally binding notices and replies are sealed by default."
        ),
    )

    class Meta:
        verbose_name = _("letter settings")
        verbose_name_plural = _("letter settings")

    def __str__(self) -> str:
        return str(self.organ)

    def clean(self) -> None:
        """Each seal override names a kind of letter and says true or false."""
        overrides = self.seal_overrides
        if not isinstance(overrides, dict) or any(
            key not in KINDS or not isinstance(value, bool) for key, value in overrides.items()
        ):
            raise ValidationError(
                {
                    "seal_overrides": _(
                        "Name known kinds of letter, each with true or false: %(kinds)s."
                    )
                    % {"kinds": "、".join(KINDS)}
                }
            )


class DeliveryMethod(models.TextChoices):
    POST = "post", _("By post (邮寄送达)")
    IN_PERSON = "in_person", _("In person (直接送达)")


class LetterDelivery(models.Model):
    """The delivery of one letter (送达): how, when, to whom, who signed for it. The printable
    proof of service (送达回证) comes back signed and is recorded here; the record is kept on
    the letter and never edited (a correction is a new record)."""

    letter = models.ForeignKey(
        Letter, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("letter")
    )
    method = models.CharField(_("delivery method"), max_length=20, choices=DeliveryMethod.choices)
    delivered_on = models.DateField(_("delivered on"))
    signed_by = models.CharField(_("signed for by"), max_length=100)
    address = models.CharField(_("delivery address"), max_length=200, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("letter delivery")
        verbose_name_plural = _("letter deliveries")
        ordering = ["letter", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.letter} · {self.get_method_display()} · {self.delivered_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(_("A delivery record cannot be changed; record a new one."))
        super().save(*args, **kwargs)


def casefile_upload_to(instance: CaseFile, filename: str) -> str:
    return f"casefiles/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


class CaseFile(models.Model):
    """A stored case file (案卷, letters.casefile): built in a worker when the case is
    archived (Archives Law Art 14) and frozen once built, with its SHA-256. One archived case
    file per case; the on-demand download (reconsideration, litigation: Art 51) is not stored."""

    class Reason(models.TextChoices):
        ARCHIVE = "archive", _("Archiving")
        ON_DEMAND = "on_demand", _("On demand")

    class Status(models.TextChoices):
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="casefiles", verbose_name=_("case")
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.BUILDING
    )
    pdf = models.FileField(_("PDF"), upload_to=casefile_upload_to, blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    requested_at = models.DateTimeField(_("requested at"))
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(reason="archive"),
                name="casefile_one_archived_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.reason} {self.status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.READY:
                raise AppendOnlyError(_("A built case file cannot be changed."))
        super().save(*args, **kwargs)
