"""The library's stored index: one entry per case, kept current by a background job
(`casework.library.index`), and the organ's settings for it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models import Case, Division, Organ


class LibraryEntry(models.Model):
    """A case as the library compares it: normalised text, facts, applicant keys, dates.
    Derived data: `manage.py library_rebuild` recreates it from the cases."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="library_entry"
    )
    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="+")
    applicant_keys = models.JSONField(_("applicant keys"), default=list)
    core_text = models.TextField(_("normalised text"))
    topic_text = models.TextField(_("subject text"))
    facts = models.JSONField(_("facts"), default=dict)
    received_on = models.DateField(_("date of receipt"))
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    division = models.ForeignKey(
        Division, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    suggested_division = models.ForeignKey(
        Division,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested division"),
    )
    indexed_at = models.DateTimeField(_("indexed at"))
    # casework.library.match.RULES_VERSION of the code that wrote it (0: before versions).
    rules_version = models.PositiveSmallIntegerField(_("rules version"), default=0)

    class Meta:
        verbose_name = _("library entry")
        verbose_name_plural = _("library entries")
        indexes = [models.Index(fields=["organ", "received_on"], name="library_organ_received")]

    def __str__(self) -> str:
        return str(self.case_id)


class LibrarySettings(models.Model):
    """Per organ: how many requests by one applicant within 12 months make the volume worth
    asking for reasons (Art 35: the organ may ask an applicant whose requests are
    unreasonable in number or frequency to state them)."""

    organ = models.OneToOneField(Organ, on_delete=models.CASCADE, related_name="library_settings")
    volume_threshold = models.PositiveSmallIntegerField(
        _("requests within 12 months before asking for reasons (Art 35)"), default=10
    )

    class Meta:
        verbose_name = _("library settings")
        verbose_name_plural = _("library settings")

    def __str__(self) -> str:
        return str(self.organ)


class LibraryPosting(models.Model):
    """One term of one case's entry (casework.library.postings): the inverted index that
    finds a request's candidates in a bounded number of rows on PostgreSQL. Derived data,
    written with the entry and by `library_rebuild`; plain ids, no foreign keys (a case's
    postings go with its entry)."""

    pk = models.CompositePrimaryKey("case_id", "term")
    case_id = models.BigIntegerField()
    term = models.BigIntegerField()
    organ_id = models.BigIntegerField()
    received_on = models.DateField()

    class Meta:
        verbose_name = _("library posting")
        verbose_name_plural = _("library postings")
        indexes = [
            models.Index(
                fields=["organ_id", "term", "received_on", "case_id"],
                name="library_posting_lookup",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.term}"
