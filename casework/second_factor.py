"""Who must pass the second factor, and its security-log lines (issue 16 point 1, issue 22).

The pages of the second step live in workflows.accounts; the rule and the log are here, so the
security log (casework.logging) can tell a finished log-in from a password-only one."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from casework.lifecycle.actors import Person
from casework.logging import client_address, security_log
from casework.permissions import user_roles


def second_factor_required(user: Person) -> bool:
    """Whether OTP_REQUIRED_GROUPS applies to this user (superusers too while it is on)."""
    groups = set(getattr(settings, "OTP_REQUIRED_GROUPS", ()))
    if not groups or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True

    return bool(user_roles(user) & groups)


def second_factor_logged(
    request: HttpRequest, user: Person, *, ok: bool, device: object = None
) -> None:
    """One security-log line per second-factor attempt; a success finishes the log-in, so
    "login" is written here for the users who need the second factor, not at the password."""
    name = user.get_username()
    client = client_address(request)
    if ok:
        kind = type(device).__name__ if device is not None else "-"
        security_log.info("second factor ok user=%s device=%s client=%s", name, kind, client)
        security_log.info("login user=%s client=%s", name, client)
    else:
        security_log.warning("second factor failed user=%s client=%s", name, client)
