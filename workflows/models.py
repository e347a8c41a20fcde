"""The process of one case in viewflow.workflow: viewflow's Process extended with the case."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Case
from workflows.viewflow_adapter import Process


class CaseProcess(Process):
    """The handling process of one case (依申请公开办理流程)."""

    case: models.OneToOneField[Case, Case] = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="process", verbose_name=_("case")
    )

    class Meta:
        verbose_name = _("case process")
        verbose_name_plural = _("case processes")

    def __str__(self) -> str:
        return str(self.case)


class IdNumberReveal(models.Model):
    """One showing of a full ID number (applicant's or agent's) to a staff member: who, when,
    which case (issue 16 point 2; PIPL Art 51: access to personal data is controlled and
    traceable). Written before the number is shown."""

    class Whose(models.TextChoices):
        APPLICANT = "applicant", _("applicant")
        AGENT = "agent", _("agent")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="id_reveals", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="id_reveals",
        verbose_name=_("user"),
    )

    class ShownIn(models.TextChoices):
        CASE_PAGE = "case_page", _("case page")
        CASE_FILE = "case_file", _("case file (PDF)")

    whose = models.CharField(_("whose ID number"), max_length=10, choices=Whose.choices)
    # Where the full number went: on the case page, or printed in an unmasked case file.
    shown_in = models.CharField(
        _("shown in"), max_length=10, choices=ShownIn.choices, default=ShownIn.CASE_PAGE
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("ID number reveal")
        verbose_name_plural = _("ID number reveals")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.case} {self.user} {self.at:%Y-%m-%d %H:%M}"


class SavedView(models.Model):
    """A named filter of the staff case list (我的视图, issue 14 point 5): only the filter's
    query string is kept. The cases are found again for the user every time the view is
    opened, so a view never shows a case its owner may no longer see."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=40)
    query = models.CharField(_("filter"), max_length=1000, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_owner_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


from workflows.api.tokens import ApiToken  # noqa: E402 - the model lives with the API code
from workflows.decide.phrases import CommonPhrase  # noqa: E402 - 常用语 (issue 24 point 9)
from workflows.demo import DemoMarker  # noqa: E402 - the demo marker lives with its check
from workflows.viewflow_adapter import QueueTaskRow  # noqa: E402 - viewflow's table, in its adapter

__all__ = [
    "ApiToken",
    "CaseProcess",
    "CommonPhrase",
    "DemoMarker",
    "IdNumberReveal",
    "QueueTaskRow",
    "SavedView",
]
