from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "letters.records"
    label = "records"
    verbose_name = _("Responsive records")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from casework.lifecycle.release_gate import register_release_reader
        from letters.records import signals  # noqa: F401  (release with the reply letter)
        from letters.records.release_facts import release_facts_of

        register_release_reader(release_facts_of)
