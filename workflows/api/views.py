"""REST API v1 for provincial one-stop platforms (一网通办): create an application, read a
case, fire a lifecycle transition. The same services and permission rules as the pages;
errors are JSON with a Chinese message and the matching status."""

from __future__ import annotations

from typing import Any

from django.db import OperationalError
from django.utils import timezone
from django.utils.translation import gettext as _

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from casework.errors import CaseworkError, InvalidInput, NotVisible
from casework.lifecycle import display_name
from casework.models import Case, Organ
from casework.selectors import case_clock, case_get_for_user
from workflows.api.serializers import CaseCreateIn, CaseOut, ErrorOut
from workflows.services import case_act, case_receive, open_tasks_of

ERRORS = {
    400: OpenApiResponse(ErrorOut),
    403: OpenApiResponse(ErrorOut),
    404: OpenApiResponse(ErrorOut),
    409: OpenApiResponse(ErrorOut),
}


def _error(
    code: str,
    message: str,
    status_code: int,
    *,
    field: str | None = None,
    errors: dict[str, list[str]] | None = None,
) -> Response:
    return Response(
        {"code": code, "message": message, "field": field, "errors": errors or {}},
        status=status_code,
    )


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Domain errors and DRF's own, as {code, message, field, errors} in Chinese."""
    if isinstance(exc, CaseworkError):
        code = {400: "invalid", 403: "forbidden", 404: "not_found", 409: "conflict"}[
            exc.status_code
        ]
        return _error(code, exc.message, exc.status_code, field=exc.field, errors=exc.errors)
    if isinstance(exc, OperationalError):  # a lock wait that timed out: a concurrent change won
        return _error(
            "conflict", _("The case was changed at the same time; please try again."), 409
        )
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        flat = _flatten(detail)
        field, messages = next(iter(flat.items()), (None, [_("Invalid input.")]))
        return _error(
            "invalid",
            messages[0],
            400,
            field=None if field == "non_field_errors" else field,
            errors=flat,
        )
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        code = {
            401: "unauthenticated",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
        }.get(response.status_code, "error")
        response.data = {"code": code, "message": str(exc.detail), "field": None, "errors": {}}
    return response


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    flat: dict[str, list[str]] = {}
    for key, value in detail.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = [str(v) for v in (value if isinstance(value, list) else [value])]
    return flat


def case_data(case: Case) -> dict[str, Any]:
    clock = case_clock(case=case, today=timezone.localdate())
    return {
        "number": case.number,
        "organ": case.organ.name,
        "status": case.status,
        "status_display": str(case.get_status_display()),
        "channel": case.channel,
        "arrived_at": case.arrived_at,
        "received_on": case.received_on,
        "reply_due_on": case.reply_due_on,
        "provisional": case.dates_provisional,
        "extension_days": case.extension_days,
        "remaining_working_days": clock.remaining,
        "supervision_level": clock.level,
        "lead_division": case.lead_division.name if case.lead_division else None,
        "assignee": display_name(case.assignee) if case.assignee else None,
        "disposition": case.disposition,
        "clock": [
            {k: step[k] for k in ("kind", "start", "end", "working_days", "text")}
            for step in clock.timeline
        ],
        "open_tasks": [
            {
                "task": t.flow_task.name,
                "title": str(t.flow_task.task_title),
                "status": t.status,
                "owner": display_name(t.owner) if t.owner else None,
                "division_id": int(t.owner_permission_obj_pk)
                if t.owner_permission_obj_pk
                else None,
            }
            for t in open_tasks_of(case)
        ],
        "letters": [],
    }


def _visible(request: Request, number: str) -> Case:
    try:
        return case_get_for_user(user=request.user, number=number)
    except NotVisible:
        raise NotVisible(_("No such case.")) from None


class CaseCreateView(APIView):
    @extend_schema(
        request=CaseCreateIn,
        responses={201: CaseOut, **ERRORS},
        summary="Record an application received through a channel",
    )
    def post(self, request: Request) -> Response:
        data = CaseCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organs = Organ.objects.all()
        if values.get("organ"):
            organs = organs.filter(name=values["organ"])
        organ_list = list(organs[:2])
        if len(organ_list) != 1:
            raise InvalidInput(_("Name the organ of the case."), field="organ")
        case = case_receive(
            organ=organ_list[0],
            actor=request.user,
            channel=values["channel"],
            arrived_at=values["arrived_at"],
            signed_on=values.get("signed_on"),
            applicant=values["applicant"],
            agent=values.get("agent"),
            request=values["request"],
        )
        return Response(CaseOut(case_data(case)).data, status=status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    @extend_schema(responses={200: CaseOut, **ERRORS}, summary="Read a case by its number")
    def get(self, request: Request, number: str) -> Response:
        return Response(CaseOut(case_data(_visible(request, number))).data)


class CaseTransitionView(APIView):
    """Fire one transition; the table's generated subclasses (workflows.api.transitions) set
    `transition` and its request body. This base answers 404 for names that are not offered."""

    transition = ""
    request_serializer: Any = None

    @extend_schema(exclude=True)
    def post(self, request: Request, number: str, name: str = "") -> Response:
        if not self.transition:
            raise NotVisible(_("There is no such action: %(name)s.") % {"name": name[:60]})
        case = _visible(request, number)
        if not isinstance(request.data, dict):
            raise InvalidInput(_("The body must be a JSON object."))
        body = self.request_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = {k: v for k, v in request.data.items() if k != "on"}
        case = case_act(
            number=case.number,
            organ=case.organ,
            name=self.transition,
            actor=request.user,
            on=body.validated_data.get("on"),
            fields=fields,
        )
        return Response(CaseOut(case_data(Case.objects.get(pk=case.pk))).data)
