"""Domain data: organ, divisions, applicants, cases, attachments and the audit trail.

Models hold data and invariants only. A case's status and due dates are written by the
lifecycle (casework.lifecycle) alone; events are append-only.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.choices import (
    OPEN_STATUSES,
    ApplicantCategory,
    AttachmentKind,
    CaseStatus,
    Channel,
    DeliveryMethod,
    Disposition,
    IdType,
    ProvisionForm,
)
from casework.text import one_line
from casework.validators import (
    mask_id_number,
    normalize_id_number,
    validate_email,
    validate_phone,
    validate_postal_code,
    validate_resident_id,
    validate_uscc,
)

SEAL_MAX_BYTES = 1024 * 1024


def seal_upload_to(instance: Organ, filename: str) -> str:
    return f"seals/{uuid.uuid4().hex}"


def validate_seal_size(file: File[bytes]) -> None:
    if file.size > SEAL_MAX_BYTES:
        raise ValidationError(_("The seal image is too large (at most 1 MB)."))


def validate_seal_image(file: File[bytes]) -> None:
    """The seal must really be a PNG or JPEG image (checked by content, not by name)."""
    from PIL import Image, UnidentifiedImageError

    try:
        file.seek(0)
        with Image.open(file) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("The seal file is not a PNG or JPEG image.")) from None
    finally:
        file.seek(0)
    if kind not in ("PNG", "JPEG"):
        raise ValidationError(_("The seal file is not a PNG or JPEG image."))


class Organ(models.Model):
    """The body that answers applications (机关). One per installation to start, never hard-coded."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    office_name = models.CharField(_("receiving office"), max_length=100, blank=True)
    address = models.CharField(_("postal address"), max_length=200)
    postal_code = models.CharField(
        _("postal code"), max_length=6, validators=[validate_postal_code]
    )
    phone = models.CharField(_("phone"), max_length=40)
    email = models.EmailField(_("e-mail"), blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    reconsideration_organ = models.CharField(
        _("reconsideration organ"),
        max_length=100,
        help_text=_(
            "Named in the remedy clause of reply letters (Administrative Reconsideration Law Art 24)."
        ),
    )
    court = models.CharField(_("people's court"), max_length=100, blank=True)
    letter_number_prefix = models.CharField(_("letter number prefix"), max_length=30, blank=True)
    seal = models.ImageField(
        _("seal image"),
        upload_to=seal_upload_to,
        blank=True,
        validators=[validate_seal_size, validate_seal_image],
        help_text=_(
            "A scan of the organ's real seal (PNG with transparency preferred, at most 1 MB); never a drawn imitation."
        ),
    )

    class Meta:
        verbose_name = _("organ")
        verbose_name_plural = _("organs")

    def __str__(self) -> str:
        return self.name


class Division(models.Model):
    """A unit of the organ (处室). Liaison officers are members through an object permission."""

    organ = models.ForeignKey(
        Organ, on_delete=models.PROTECT, related_name="divisions", verbose_name=_("organ")
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=40)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        ordering = ["organ", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "code"], name="division_code_unique_per_organ"
            ),
            models.UniqueConstraint(
                fields=["organ", "name"], name="division_name_unique_per_organ"
            ),
        ]
        permissions = [("work_in_division", _("Work on the division's cases (liaison officer)"))]

    def __str__(self) -> str:
        return self.name


class Applicant(models.Model):
    """A person or organisation applying (申请人); the category is an annual-report column."""

    category = models.CharField(
        _("applicant category"), max_length=20, choices=ApplicantCategory.choices
    )
    name = models.CharField(_("name"), max_length=200)
    # Natural persons
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices, blank=True)
    id_number = models.CharField(_("ID number"), max_length=40, blank=True)
    # Organisations
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=100, blank=True)
    # Contact
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True, validators=[validate_email])
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=6, blank=True, validators=[validate_postal_code]
    )
    # An application imported from a mailbox carries only a name and an address: the office
    # completes the rest when it confirms receipt with the applicant (Art 31).
    incomplete = models.BooleanField(_("details to be completed"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        # The search box matches identity numbers in full (casework.search); the substring
        # indexes of the other fields are PostgreSQL-only (migration 0012).
        indexes = [
            models.Index(fields=["id_number"], name="applicant_id_number_idx"),
            models.Index(fields=["credit_code"], name="applicant_credit_code_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Natural persons carry an identity document; organisations a credit code and a
        contact person (Art 29(1): name, identity proof, contact details)."""

        for name in ("name", "contact_person", "address", "phone", "id_number", "credit_code"):
            setattr(self, name, one_line(getattr(self, name)))
        errors: dict[str, StrOrPromise] = {}
        if not self.phone and not self.incomplete:
            errors["phone"] = _("Enter a contact phone number.")
        if self.category == ApplicantCategory.NATURAL_PERSON:
            if not self.id_type:
                errors["id_type"] = _("Choose the type of identity document.")
            if not self.id_number:
                errors["id_number"] = _("Enter the identity document number.")
            elif self.id_type == IdType.RESIDENT_ID:
                self.id_number = normalize_id_number(self.id_number)
                try:
                    validate_resident_id(self.id_number)
                except ValidationError as exc:
                    errors["id_number"] = exc.messages[0]
        else:
            if not self.credit_code:
                errors["credit_code"] = _("Enter the unified social credit code.")
            else:
                self.credit_code = normalize_id_number(self.credit_code)
                try:
                    validate_uscc(self.credit_code)
                except ValidationError as exc:
                    errors["credit_code"] = exc.messages[0]
            if not self.contact_person:
                errors["contact_person"] = _("Enter the contact person of the organisation.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_natural_person(self) -> bool:
        return self.category == ApplicantCategory.NATURAL_PERSON

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class Agent(models.Model):
    """Someone applying for the applicant (委托代理人), e.g. a lawyer."""

    name = models.CharField(_("name"), max_length=100)
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices)
    id_number = models.CharField(_("ID number"), max_length=40)
    organisation = models.CharField(_("organisation (e.g. law firm)"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True, validators=[validate_email])
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def clean(self) -> None:
        for name in ("name", "organisation", "phone", "id_number"):
            if hasattr(self, name):
                setattr(self, name, one_line(getattr(self, name)))
        if self.id_type == IdType.RESIDENT_ID and self.id_number:
            self.id_number = normalize_id_number(self.id_number)
            try:
                validate_resident_id(self.id_number)
            except ValidationError as exc:
                raise ValidationError({"id_number": exc.messages[0]}) from None


class CaseNumberCounter(models.Model):
    """Gap-free sequence of case numbers per organ and year, advanced under a row lock
    inside the transaction that records the case (a rollback gives the number back)."""

    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organ", "year"], name="case_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organ_id}/{self.year}: {self.last}"


class Case(models.Model):
    """One application (申请). Status and due dates are written only by the lifecycle."""

    organ = models.ForeignKey(
        Organ, on_delete=models.PROTECT, related_name="cases", verbose_name=_("organ")
    )
    number = models.CharField(_("case number"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, db_index=True)

    # Receipt (Art 31)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    arrived_at = models.DateTimeField(_("arrived at"))
    received_on = models.DateField(_("date of receipt"), null=True, blank=True, db_index=True)

    applicant = models.ForeignKey(
        Applicant, on_delete=models.PROTECT, related_name="cases", verbose_name=_("applicant")
    )
    agent = models.ForeignKey(
        Agent,
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
        verbose_name=_("agent"),
    )

    # Request contents (Art 29)
    subject = models.CharField(_("information requested"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    provision_form = models.CharField(
        _("form of provision"), max_length=20, choices=ProvisionForm.choices
    )
    delivery_method = models.CharField(
        _("delivery method"), max_length=20, choices=DeliveryMethod.choices
    )

    # Routing and handling
    lead_division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        related_name="lead_cases",
        null=True,
        blank=True,
        verbose_name=_("lead division"),
    )
    co_divisions = models.ManyToManyField(
        Division, related_name="co_cases", blank=True, verbose_name=_("co-divisions")
    )
    division_due_on = models.DateField(
        _("internal due date for the divisions"), null=True, blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        null=True,
        blank=True,
        verbose_name=_("assignee"),
    )
    disposition = models.CharField(
        _("disposition"), max_length=40, choices=Disposition.choices, blank=True
    )
    disposition_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    # The clock (written by the lifecycle from the events; see casework.clock)
    clock_started_on = models.DateField(_("clock started on"), null=True, blank=True)
    reply_due_on = models.DateField(_("reply due on"), null=True, blank=True, db_index=True)
    correction_notice_due_on = models.DateField(
        _("correction notice due on"), null=True, blank=True
    )
    correction_deadline_on = models.DateField(_("correction deadline"), null=True, blank=True)
    fee_due_on = models.DateField(_("fee payment due on"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    dates_provisional = models.BooleanField(_("dates provisional"), default=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    # Applicant portal: the secret query code is shown once and kept only as an HMAC.
    query_code_digest = models.CharField(_("query code digest"), max_length=64, blank=True)
    # Idempotency: a form submitted twice, or a mail imported twice, makes one case.
    submission_token = models.CharField(
        _("submission token"), max_length=64, unique=True, null=True, blank=True
    )
    source_message_id = models.CharField(
        _("source message id"), max_length=300, unique=True, null=True, blank=True
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "number"], name="case_number_unique_per_organ"
            ),
        ]
        permissions = [
            ("triage_cases", _("Register, route and dispatch cases (OGI office)")),
            ("review_cases", _("Review proposed decisions (OGI office)")),
            ("sign_off_cases", _("Sign off decisions (head of the OGI office)")),
        ]
        indexes = [
            models.Index(fields=["lead_division", "status", "reply_due_on"], name="case_queue_idx"),
            models.Index(fields=["-created_at"], name="case_created_idx"),
            # The supervision dashboard (workflows.supervision): open cases by due date, with
            # what its counts group by (PostgreSQL keeps the INCLUDE columns in the index).
            # The plain due-date index walked 58,517 closed cases before the first overdue
            # open one at 100,000 cases.
            models.Index(
                fields=["organ", "reply_due_on"],
                include=["status", "lead_division"],
                condition=models.Q(status__in=sorted(OPEN_STATUSES)),
                name="case_open_due_idx",
            ),
            models.Index(fields=["organ", "closed_on"], name="case_closed_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("casework:case-detail", kwargs={"number": self.number})

    def clean(self) -> None:
        """The subject is one line: a line break in it would start a paragraph of a letter."""

        self.subject = one_line(self.subject)


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    # Random names: the original name is kept in the row, never in the path.

    return f"attachments/{instance.case.year}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file belonging to a case: application form, identity proofs, power of attorney..."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_upload_to)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete a row of an append-only model."""


class AppendOnlyModel(models.Model):
    """Rows written once and never changed or deleted (audit events, case notes, the catalogue's
    item history, the self-check audit): saving an existing row and deleting one are refused
    here, bulk update and delete by `AppendOnlyQuerySet`, and on PostgreSQL a trigger refuses
    both below the ORM (the models' migrations). CHANGED and DELETED are the messages."""

    CHANGED: ClassVar[StrOrPromise] = _("Audit events cannot be changed.")
    DELETED: ClassVar[StrOrPromise] = _("Audit events cannot be deleted.")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(self.CHANGED)
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(self.DELETED)


_Row = TypeVar("_Row", bound=AppendOnlyModel)


class AppendOnlyQuerySet(models.QuerySet[_Row]):
    """Bulk update and delete of an append-only model's rows are refused."""

    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError(self.model.CHANGED)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(self.model.DELETED)


class EventQuerySet(AppendOnlyQuerySet["Event"]):
    """Events are append-only: bulk update and delete are refused."""


class Event(AppendOnlyModel):
    """An append-only audit row (事件): who did what to a case, when, and on which effective date.

    Written by the lifecycle in the same transaction as the change it records. On PostgreSQL a
    trigger also rejects UPDATE and DELETE (migration 0002), and the application's database role
    holds no UPDATE, DELETE or TRUNCATE right on the table (docs/DEPLOY.md §8); another
    trigger writes `seq`, `entered_at` and the hashes on INSERT (migration 0018). Whatever
    gets past those (a table owner, raw SQL on SQLite) breaks the per-case hash chain.
    """

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="events", verbose_name=_("case")
    )
    seq = models.PositiveIntegerField(_("sequence"))
    # A transition's name or another event kind; labels come from the transition table, so a
    # new transition needs no migration here.
    kind = models.CharField(_("kind"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor name"), max_length=150)
    actor_role = models.CharField(_("role"), max_length=30)
    on = models.DateField(_("effective date"))
    entered_at = models.DateTimeField(_("entered at"))
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    # The hash chain (casework/audit_chain.py): the case's previous event's hash, and this
    # event's hash over its content and that link; `manage.py verify_audit` checks both.
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["case", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="event_seq_unique_per_case")
        ]
        indexes = [
            # The supervision dashboard's urges per division and steps taken late, in a period.
            models.Index(fields=["kind", "on"], name="event_kind_on_idx"),
            models.Index(
                fields=["-on"], condition=models.Q(payload__has_key="late"), name="event_late_idx"
            ),
            # The dashboard's steps recorded for an earlier day (补录/倒签), by entry time.
            models.Index(
                fields=["-entered_at"],
                condition=models.Q(payload__has_key="backdated"),
                name="event_backdated_idx",
            ),
            # The 已办 list: the steps one user took, newest first (workflows.decide.done).
            models.Index(fields=["actor", "-entered_at", "-id"], name="event_actor_entered_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.kind}"


class CalendarYear(models.Model):
    """A year of the working-day calendar whose State Council arrangement is loaded.

    A year without a row is "not loaded": dates in it are computed from weekends and the
    statutory holidays and flagged provisional (DESIGN §4).
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=300)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class SpecialDay(models.Model):
    """A day that differs from the Monday–Friday rule: a holiday on a weekday (or in a holiday
    block), or a weekend day that is a make-up working day (调休上班)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKDAY = "workday", _("Make-up working day")

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)
    source = models.CharField(_("source"), max_length=300)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"


class CalendarChange(models.Model):
    """Who changed the working-day calendar, when, how and why (append-only by convention:
    the admin offers no change or delete)."""

    class Action(models.TextChoices):
        LOAD = "load", _("Loaded from the package")
        IMPORT = "import", _("Imported from a file")
        ADD = "add", _("Day added")
        CHANGE = "change", _("Day changed")
        DELETE = "delete", _("Day deleted")

    at = models.DateTimeField(_("time"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    day = models.DateField(_("day"), null=True, blank=True)
    before = models.CharField(_("before"), max_length=100, blank=True)
    after = models.CharField(_("after"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.year} {self.action} {self.day or ''}"


class ClockRecompute(models.Model):
    """One run of recompute_deadlines: which calendar it used and what it changed. A finished
    run with the current calendar's fingerprint means every open case is up to date (the
    lifecycle always computes with the current calendar), so the next run has nothing to do."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    fingerprint = models.CharField(_("calendar fingerprint"), max_length=16)
    forced = models.BooleanField(_("forced"), default=False)
    checked = models.PositiveIntegerField(_("cases checked"), default=0)
    changed = models.PositiveIntegerField(_("cases changed"), default=0)

    class Meta:
        verbose_name = _("time-limit recomputation")
        verbose_name_plural = _("time-limit recomputations")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.fingerprint}"


class Notification(models.Model):
    """An e-mail waiting to be sent, written in the transaction that caused it and sent after
    commit; retried on failure; `dedupe_key` makes a second enqueue of the same message a
    no-op, and the sending claim makes a second send impossible."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    dedupe_key = models.CharField(_("key"), max_length=200, unique=True)
    to = models.JSONField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("case"),
    )
    attachment_path = models.CharField(_("attachment"), max_length=500, blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


NOTE_MAX_LENGTH = 2000  # characters of an internal note (the form, the service, the column)


class CaseNote(AppendOnlyModel):
    """An internal note on a case (案件备注): staff talk, never shown to the applicant, never in a
    letter or the case file. Not a status change, so not an event of the ledger (whose kinds
    are the lifecycle's transitions): notes are their own append-only records, written once by
    casework.services.case_note_add and never changed or deleted. Mentions reach the mentioned
    users and the liaison officers of the mentioned divisions (e-mail and the workbench)."""

    CHANGED = _("Case notes cannot be changed.")
    DELETED = _("Case notes cannot be deleted.")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="notes", verbose_name=_("case")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"), max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(_("created at"), db_index=True)
    mentioned_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="case_note_mentions",
        verbose_name=_("mentioned users"),
    )
    mentioned_divisions = models.ManyToManyField(
        Division,
        blank=True,
        related_name="case_note_mentions",
        verbose_name=_("mentioned divisions"),
    )

    objects = AppendOnlyQuerySet["CaseNote"].as_manager()

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["case", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.created_at:%Y-%m-%d %H:%M}"


from casework.case_counts import (  # noqa: E402, F401 - the dashboard's counts (issue 27)
    CaseCountsRebuild,
    CaseDayCount,
    OpenCaseCount,
)
from casework.items import RequestItem  # noqa: E402, F401 - a request's items (issue 21)

if TYPE_CHECKING:
    from django.core.files.base import File

    from django_stubs_ext import StrOrPromise
