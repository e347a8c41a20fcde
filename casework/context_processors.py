"""Template context: whether this is the demonstration (every page shows a banner then)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def mode(request: HttpRequest) -> dict[str, Any]:
    return {"DEMO_MODE": getattr(settings, "DEMO", False)}
