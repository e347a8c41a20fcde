from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = _("Letters")

    def ready(self) -> None:
        from casework.printable import register_unprintable_finder
        from letters import (
            fonts,  # registers the typeface system check
            registry,  # noqa: F401 - the letter kinds, and the table's letters=
        )

        # The intake forms refuse what the letter faces cannot print (casework.printable).
        register_unprintable_finder(fonts.unprintable_characters)
