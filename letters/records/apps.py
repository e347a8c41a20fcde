from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "letters.records"
    label = "records"
    verbose_name = _("Responsive records")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from letters.records import signals  # noqa: F401  (release with the reply letter)
