"""Logging helpers: the request id of the current request on every log line, and the
security log (logins, failed logins, second factors, ID reveals, permission denials,
exports)."""

from __future__ import annotations

import contextvars
import logging
from typing import TYPE_CHECKING

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

if TYPE_CHECKING:
    from collections.abc import Mapping

    from django.http import HttpRequest

    from casework.lifecycle.actors import Person

# The id of the request being served by this thread (or "-" outside a request: workers,
# commands). Set by casework.middleware.RequestIdMiddleware.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

security_log = logging.getLogger("casework.security")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, so the formatter can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


def client_address(request: HttpRequest | None) -> str:
    """The client's address from the one header the bureau trusts (casework.portal), the
    same one the rate limits and the login lock-out use."""
    if request is None:
        return "-"
    from casework.portal import client_address as trusted_address

    return trusted_address(request) or "-"


@receiver(user_logged_in)
def _logged_in(sender: object, request: HttpRequest, user: Person, **kwargs: object) -> None:
    from casework.second_factor import second_factor_required

    if second_factor_required(user):
        # Half a log-in: "login" is written when the second factor passes
        # (casework.second_factor.second_factor_logged).
        security_log.info(
            "password ok user=%s client=%s second factor pending",
            user.get_username(),
            client_address(request),
        )
        return
    security_log.info("login user=%s client=%s", user.get_username(), client_address(request))


def id_number_reveal_logged(request: HttpRequest, case_number: str, whose: list[str]) -> None:
    """A full ID number shown to an officer (issue 16 point 2; 个人信息保护法 Art 51)."""
    security_log.info(
        "id number revealed user=%s case=%s whose=%s client=%s",
        request.user.get_username(),
        case_number,
        ",".join(whose) or "-",
        client_address(request),
    )


@receiver(user_logged_out)
def _logged_out(
    sender: object, request: HttpRequest | None, user: Person | None, **kwargs: object
) -> None:
    name = user.get_username() if user is not None else "-"
    security_log.info("logout user=%s client=%s", name, client_address(request))


@receiver(user_login_failed)
def _login_failed(
    sender: object,
    credentials: Mapping[str, object],
    request: HttpRequest | None = None,
    **kwargs: object,
) -> None:
    # Django has already masked the password in `credentials`; log only the user name.
    security_log.warning(
        "login failed user=%s client=%s",
        credentials.get("username", "-"),
        client_address(request),
    )
