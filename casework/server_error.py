"""The answer to an uncaught exception (handler500): 503 when the database cannot be reached
(the request may simply be repeated later, and a load balancer may take the server out),
500 for everything else; in the API's error shape under /api/ (issue 22)."""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from casework.db_errors import is_database_unavailable


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context (nothing that may fail again: no user, no
    session, no database), like django.views.defaults.server_error."""
    unavailable = is_database_unavailable(sys.exc_info()[1] or Exception())
    status = 503 if unavailable else 500
    if request.path.startswith("/api/"):
        message = (
            _("The database cannot be reached at the moment. Please try again later.")
            if unavailable
            else _("Server error")
        )
        body: dict[str, object] = {
            "code": "unavailable" if unavailable else "error",
            "message": message,
            "field": None,
            "errors": {},
        }
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    html = loader.get_template("500.html").render({"unavailable": unavailable})
    response = HttpResponse(html, status=status)
    if unavailable:
        response["Retry-After"] = "60"
    return response
