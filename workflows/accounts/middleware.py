"""Session limits and the second-factor requirement for staff (issue 16 point 1).

Both run after Django's AuthenticationMiddleware and django-otp's OTPMiddleware.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

SESSION_STARTED = "casework_auth_started"
SESSION_SEEN = "casework_auth_seen"
SEEN_GRANULARITY = 60  # seconds


class SessionLimitMiddleware:
    """Logs a user out after SESSION_IDLE_SECONDS without a request, and in any case
    SESSION_ABSOLUTE_SECONDS after the log-in: a forgotten open session on a shared office
    computer does not stay usable for the cookie's whole life."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            started = request.session.get(SESSION_STARTED)
            seen = request.session.get(SESSION_SEEN)
            if started is None or seen is None:
                # A session from before this middleware (or force_login): start counting now.
                started = started if started is not None else now
                seen = seen if seen is not None else now
            if (
                now - seen > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_ABSOLUTE_SECONDS
            ):
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # anonymous now: the API answers 401/403
                return HttpResponseRedirect(
                    reverse("login") + "?" + urlencode({"next": request.get_full_path()})
                )
            if request.session.get(SESSION_STARTED) != started:
                request.session[SESSION_STARTED] = started
            # Written at most once a minute: most requests then leave the session unsaved.
            if request.session.get(SESSION_SEEN) is None or now - seen >= SEEN_GRANULARITY:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


def second_factor_required(user: object) -> bool:
    """Whether OTP_REQUIRED_GROUPS applies to this user (superusers too while it is on)."""
    groups = set(getattr(settings, "OTP_REQUIRED_GROUPS", ()))
    if not groups or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    from casework.permissions import user_roles

    return bool(user_roles(user) & groups)


# Paths a logged-in user without a verified device may still reach: logging in and out,
# the second-factor pages themselves, static files, the public portal (no account) and the
# API (its own tokens).
EXEMPT_PREFIXES = ("/login/", "/logout/", "/account/otp/", "/static/", "/api/")
STAFF_PREFIXES = ("/work/", "/cases/", "/supervision/", "/letters/", "/admin/", "/account/")


class SecondFactorMiddleware:
    """Sends a logged-in user of OTP_REQUIRED_GROUPS whose session is not verified by a
    device to the verification page, or to enrolment when the user has no device yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        path = request.path
        if (
            user is not None
            and user.is_authenticated
            and (path == "/" or path.startswith(STAFF_PREFIXES))
            and not path.startswith(EXEMPT_PREFIXES)
            and second_factor_required(user)
            and not user.is_verified()
        ):
            from django_otp import user_has_device

            target = "accounts:otp-verify" if user_has_device(user) else "accounts:otp-setup"
            return HttpResponseRedirect(
                reverse(target) + "?" + urlencode({"next": request.get_full_path()})
            )
        return self.get_response(request)
