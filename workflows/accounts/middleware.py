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

from casework.second_factor import second_factor_required

__all__ = ["SecondFactorMiddleware", "SessionLimitMiddleware", "second_factor_required"]

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


# The one gate of the second factor: a session of a user of OTP_REQUIRED_GROUPS that is not
# verified by a device is a log-in half done. It reaches only the paths that finish (or end)
# the log-in; the staff pages send it to verification (or enrolment); on every other path,
# the API and the public portal included, the request is served as anonymous. So the API
# accepts such a session as no session at all (a token client is unaffected: its token, not
# the cookie, authenticates it), and a route added later is covered without being listed.
SECOND_FACTOR_PATHS = ("/login/", "/logout/", "/account/otp/", "/static/")
STAFF_PREFIXES = ("/work/", "/cases/", "/supervision/", "/letters/", "/admin/", "/account/")


def _anonymous(request: HttpRequest) -> None:
    """Serve this request as anonymous (the session itself stays, for the second step)."""
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    request.user = anonymous

    async def auser() -> AnonymousUser:
        return anonymous

    request.auser = auser


class SecondFactorMiddleware:
    """Holds a password-only session of a user of OTP_REQUIRED_GROUPS at the second step:
    staff pages redirect to the verification page (or to enrolment when the user has no
    device yet); every other path except the log-in's own sees an anonymous request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        path = request.path
        if (
            user is not None
            and user.is_authenticated
            and not path.startswith(SECOND_FACTOR_PATHS)
            and second_factor_required(user)
            and not user.is_verified()
        ):
            if path == "/" or path.startswith(STAFF_PREFIXES):
                from django_otp import user_has_device

                target = "accounts:otp-verify" if user_has_device(user) else "accounts:otp-setup"
                return HttpResponseRedirect(
                    reverse(target) + "?" + urlencode({"next": request.get_full_path()})
                )
            _anonymous(request)
        return self.get_response(request)
