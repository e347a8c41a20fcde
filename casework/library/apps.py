from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseLibraryConfig(AppConfig):
    name = "casework.library"
    label = "case_library"
    verbose_name = _("Case library")

    def ready(self) -> None:
        from casework.library import index

        index.connect_signals()
