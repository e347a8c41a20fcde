from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfCheckConfig(AppConfig):
    name = "casework.selfcheck"
    label = "selfcheck"
    verbose_name = _("Self-check campaigns")
