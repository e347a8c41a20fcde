"""The process of one case in viewflow.workflow: viewflow's Process extended with the case."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from viewflow.workflow.models import Process

from casework.models import Case


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


from workflows.api.tokens import ApiToken  # noqa: E402 - the model lives with the API code

__all__ = ["ApiToken", "CaseProcess"]
