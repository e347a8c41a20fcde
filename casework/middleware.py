"""Request ids on every log line and response, and the security log of denials and exports."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from casework.logging import client_address, request_id_var, security_log

# A proxy-supplied id is kept only when it is short and plain (it ends up in the logs).
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives each request an id (the proxy's X-Request-ID when it is plain, else a new one),
    puts it on every log line of the request and returns it as X-Request-ID."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        supplied = request.headers.get("X-Request-ID", "")
        request_id = supplied if _SAFE_ID.match(supplied) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class SecurityLogMiddleware:
    """Writes permission denials (403) and exports and downloads (any response with a
    Content-Disposition: XLSX/CSV/PDF exports, letters, attachments) to the security log,
    whichever view answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        name = user.get_username() if user is not None and user.is_authenticated else "-"
        if response.status_code == 403:
            security_log.warning(
                "permission denied user=%s method=%s path=%s client=%s",
                name,
                request.method,
                request.path,
                client_address(request),
            )
        elif response.status_code == 200 and response.has_header("Content-Disposition"):
            security_log.info(
                "export user=%s path=%s query=%s client=%s",
                name,
                request.path,
                request.META.get("QUERY_STRING", ""),
                client_address(request),
            )
        return response
