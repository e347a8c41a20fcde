"""A log-in needs a known client address (issue 22): the lock-out (django-axes) is keyed on
account + address, and an unknown address would put every such caller under one key."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from casework.portal import client_ip


class KnownAddressBackend:
    """Authenticates nobody and has no get_user (so no session is ever bound to it); refuses the log-in (before any password is checked) when TRUSTED_PROXY_HEADER holds no
    IP address: a request that bypassed the proxy, or a proxy that does not set the header."""

    def authenticate(self, request: HttpRequest | None, **credentials: object) -> None:
        if request is not None and client_ip(request) is None:
            raise PermissionDenied
        return None
