"""Request ids on every log line and response, and the security log of denials and exports;
web hardening (issue 16): input that can never be valid is refused with 400 and a Chinese
message before any view sees it, and every response carries the security headers that Django
does not set by itself."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from casework.attachments import UploadTooLarge
from casework.logging import client_address as log_client_address
from casework.logging import request_id_var, security_log


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """400 in the API's error shape for /api/, a plain Chinese page elsewhere."""
    if request.path.startswith("/api/"):
        body: dict[str, object] = {
            "code": "invalid",
            "message": message,
            "field": None,
            "errors": {},
        }
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    html = render_to_string("400.html", {"message": message}, request=request)
    return HttpResponse(html, status=400)


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in str(v) for v in values):
                return True
    if request.content_type == "application/json":
        # A JSON string may spell NUL as \u0000; PostgreSQL text cannot hold it.
        return b"\x00" in request.body or b"\\u0000" in request.body.lower()
    return False


def _has_lone_surrogate(data: object) -> bool:
    """Whether any key or string in parsed JSON holds a code point U+D800–U+DFFF."""
    if isinstance(data, str):
        return any("\ud800" <= ch <= "\udfff" for ch in data)
    if isinstance(data, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in data.items())
    if isinstance(data, list):
        return any(_has_lone_surrogate(v) for v in data)
    return False


class InputGuardMiddleware:
    """NUL bytes anywhere in the request, oversize bodies or uploads (the upload handler stops
    reading at the limit) and malformed JSON answer 400 instead of reaching the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            nul = _has_nul(request)
        except UploadTooLarge as exc:
            return bad_request(request, str(exc))
        except RequestDataTooBig:
            return bad_request(
                request,
                _("The request is too large: at most %(mb)d MB.")
                % {"mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)},
            )
        except TooManyFieldsSent:
            return bad_request(request, _("The request has too many fields."))
        except SuspiciousOperation:
            return bad_request(request, _("The request could not be read."))
        if nul:
            return bad_request(
                request, _("The input contains a NUL character, which is not allowed.")
            )
        if request.content_type == "application/json" and request.body:
            try:
                data = json.loads(request.body)
            except ValueError:
                return bad_request(request, _("The request body is not valid JSON."))
            if _has_lone_surrogate(data):
                # JSON may spell half of a UTF-16 pair (\ud800): no text can hold it, and
                # echoing it back in an error message cannot be encoded (a 500 before).
                return bad_request(
                    request, _("The input contains a character that is not allowed.")
                )
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Permissions-Policy for every response; Cache-Control: no-store for every page of a
    signed-in user and every page of the applicant portal's tracking, which show personal
    data (个人信息保护法 Art 51: take security measures against leaks, e.g. via shared caches)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        private = bool(user is not None and user.is_authenticated) or any(
            request.path.startswith(p) for p in settings.NO_STORE_PATH_PREFIXES
        )
        if private:
            response.headers["Cache-Control"] = "no-store"
            response.headers.setdefault("Pragma", "no-cache")
        return response


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
                log_client_address(request),
            )
        elif response.status_code == 200 and response.has_header("Content-Disposition"):
            security_log.info(
                "export user=%s path=%s query=%s client=%s",
                name,
                request.path,
                request.META.get("QUERY_STRING", ""),
                log_client_address(request),
            )
        return response
