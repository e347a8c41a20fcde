"""Template context: whether this is the demonstration (every page shows a banner then), and
where the source code is offered (AGPL-3.0 section 13, README "Licence")."""

from django.conf import settings
from django.http import HttpRequest

from casework.payloads import TemplateContext


def mode(request: HttpRequest) -> TemplateContext:
    return {
        "DEMO_MODE": getattr(settings, "DEMO", False),
        "SOURCE_CODE_URL": getattr(settings, "SOURCE_CODE_URL", ""),
    }
