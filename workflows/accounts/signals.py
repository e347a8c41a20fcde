"""Marks the start of a log-in for the absolute session limit (SessionLimitMiddleware)."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from casework.lifecycle.actors import Person, Staff
from workflows.accounts.middleware import SESSION_SEEN, SESSION_STARTED


@receiver(user_logged_in)
def _session_started(
    sender: type[Staff], request: HttpRequest | None, user: Person, **kwargs: object
) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_STARTED] = now
        request.session[SESSION_SEEN] = now
