"""REST API v1 for provincial one-stop platforms (一网通办): create an application, list and
read the cases and tasks the caller may see, fire a lifecycle transition, download a letter.
The same selectors, services and permission rules as the pages; errors are JSON with a
Chinese message and the matching status."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.conf import settings
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from casework.clock import supervision_level
from casework.db_errors import is_concurrent_change, is_database_unavailable
from casework.errors import CaseworkError, InvalidInput, NotVisible
from casework.lifecycle import available_actions, display_name
from casework.models import Case, Organ
from casework.payloads import Payload
from casework.selectors import (
    case_clock,
    case_deadlines,
    case_get_for_user,
    case_list_filter,
    case_list_visible_to,
    consultations_with_deadlines,
    working_calendar,
    working_days_left,
)
from casework.workdays import WorkingCalendar
from letters.kinds import KINDS
from letters.models import Letter
from letters.offer import letters_offered
from letters.selectors import letter_get_for_user, letters_of_case
from workflows.api.serializers import (
    CaseCreateIn,
    CaseListFilterIn,
    CaseListOut,
    CaseOut,
    ErrorOut,
    TaskListFilterIn,
    TaskListOut,
)
from workflows.selectors import queue_rows, tabs_for, task_list_visible_to
from workflows.services import case_act, case_receive, open_tasks_of
from workflows.viewflow_adapter import Task

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


def api_exception_handler(exc: Exception, context: dict[str, object]) -> Response | None:
    """Domain errors and DRF's own, as {code, message, field, errors} in Chinese."""
    if isinstance(exc, CaseworkError):
        code = {400: "invalid", 403: "forbidden", 404: "not_found", 409: "conflict"}[
            exc.status_code
        ]
        return _error(code, exc.message, exc.status_code, field=exc.field, errors=exc.errors)
    if is_concurrent_change(exc):  # a lock wait that timed out: a concurrent change won
        return _error(
            "conflict", _("The case was changed at the same time; please try again."), 409
        )
    if is_database_unavailable(exc):  # a dropped or refused connection: not the client's doing
        return _error(
            "unavailable",
            _("The database cannot be reached at the moment. Please try again later."),
            503,
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


def _flatten(detail: Mapping[str, object], prefix: str = "") -> dict[str, list[str]]:
    flat: dict[str, list[str]] = {}
    for key, value in detail.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = [str(v) for v in (value if isinstance(value, list) else [value])]
    return flat


def letter_actions(case: Case, request: Request) -> list[Payload]:
    """The letters the caller can issue on the case now (letters.offer), as entries of its
    `actions`: POST to `url` (workflows.api.letters) issues one (issue 24)."""
    return [
        {
            "name": f"letter:{key}",
            "label": KINDS[key].label,
            "fields": [],
            "url": _url(request, "api:case-letter", number=case.number, kind=key),
        }
        for key in letters_offered(case, request.user)[0]
    ]


def _url(request: Request, name: str, **kwargs: str | int) -> str:
    return str(request.build_absolute_uri(reverse(name, kwargs=kwargs)))


def letter_data(letter: Letter, request: Request) -> Payload:
    void = getattr(letter, "void", None)
    replacement = letter.replacement
    return {
        "id": letter.pk,
        "number": letter.number,
        "kind": letter.kind,
        "kind_label": str(letter.get_kind_display()),
        "title": str(letter.context.get("title", "")),
        "addressed_to": letter.addressed_to,
        "status": "void" if void else "issued",
        "issued_at": letter.issued_at,
        "voided_at": void.voided_at if void else None,
        "void_reason": void.reason if void else None,
        "replaces": letter.replaces.number if letter.replaces else None,
        "replaced_by": replacement.number if replacement else None,
        "sha256": letter.sha256,
        "download_url": _url(request, "api:letter-pdf", pk=letter.pk),
        "pdf_url": _url(request, "letters:letter-pdf", pk=letter.pk),
    }


def case_data(case: Case, request: Request) -> Payload:
    """The case as the caller sees it: clock, tasks, letters, consultations (with the ids
    that close them), time limits, and the actions the caller may take now."""
    today = timezone.localdate()
    clock = case_clock(case=case, today=today)
    number = case.number
    return {
        "number": number,
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
        "letters": [letter_data(letter, request) for letter in letters_of_case(case)],
        "consultations": [
            {
                "id": c.consultation.consultation_id,
                "party": c.consultation.party,
                "party_name": c.consultation.party_name,
                "matter": c.consultation.matter,
                "sent_on": c.consultation.sent_on,
                "party_deadline": {"due_on": c.party_due_on, "estimated": c.estimated},
                "closed": c.consultation.closed_on is not None,
                "closed_on": c.consultation.closed_on,
                "opinion": c.consultation.opinion,
            }
            for c in consultations_with_deadlines(case, clock.result)
        ],
        "deadlines": {
            name: (
                {"due_on": d.due_on, "remaining_working_days": d.remaining_working_days}
                if d
                else None
            )
            for name, d in case_deadlines(case, today=today).items()
        },
        "actions": [
            {
                "name": action.name,
                "label": action.label,
                "fields": list(action.fields),
                "url": _url(request, f"api:transition-{action.name}", number=number),
            }
            for action in available_actions(case, request.user)
        ]
        + letter_actions(case, request),
    }


def case_row(case: Case, request: Request, *, today: date, calendar: WorkingCalendar) -> Payload:
    """A row of the case list: what the list shows, computed in memory (no query per row)."""
    remaining = None if case.closed_on else working_days_left(case.reply_due_on, today, calendar)
    return {
        "number": case.number,
        "status": case.status,
        "status_display": str(case.get_status_display()),
        "channel": case.channel,
        "applicant": case.applicant.name,
        "subject": case.subject,
        "received_on": case.received_on,
        "reply_due_on": case.reply_due_on,
        "provisional": case.dates_provisional,
        "remaining_working_days": remaining,
        "supervision_level": supervision_level(
            remaining, due_soon_within=settings.DUE_SOON_WORKING_DAYS
        ),
        "lead_division": case.lead_division.name if case.lead_division else None,
        "lead_division_id": case.lead_division_id,
        "assignee": display_name(case.assignee) if case.assignee else None,
        "url": _url(request, "api:case-detail", number=case.number),
    }


class Pages(PageNumberPagination):
    """count / next / previous / results; `page_size` up to 100, default API_PAGE_SIZE."""

    page_size_query_param = "page_size"
    page_size_query_description = gettext_lazy("Rows per page (at most 100).")
    page_query_description = gettext_lazy("Page number, from 1.")
    max_page_size = 100

    def get_page_size(self, request: Request) -> int | None:
        self.page_size = settings.API_PAGE_SIZE
        size: int | None = super().get_page_size(request)
        return size


def _visible(request: Request, number: str) -> Case:
    try:
        return case_get_for_user(user=request.user, number=number)
    except NotVisible:
        raise NotVisible(_("No such case.")) from None


class CaseListCreateView(generics.GenericAPIView[Case]):
    pagination_class = Pages
    serializer_class = CaseListOut

    @extend_schema(
        parameters=[CaseListFilterIn],
        responses={200: CaseListOut(many=True), **ERRORS},
        summary=gettext_lazy("List the cases the caller may see"),
        description=gettext_lazy(
            "The office roles and supervision see every case; a division's officers see the"
            " cases whose lead division or co-division is theirs. Newest first, paginated."
        ),
    )
    def get(self, request: Request) -> Response:
        filters = CaseListFilterIn(data=request.query_params)
        filters.is_valid(raise_exception=True)
        cases = case_list_filter(case_list_visible_to(user=request.user), filters.validated_data)
        page = self.paginate_queryset(cases)
        today, calendar = timezone.localdate(), working_calendar()
        rows = [case_row(c, request, today=today, calendar=calendar) for c in page or []]
        return self.get_paginated_response(CaseListOut(rows, many=True).data)

    @extend_schema(
        request=CaseCreateIn,
        responses={201: CaseOut, **ERRORS},
        summary=gettext_lazy("Record an application received through a channel"),
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
        return Response(CaseOut(case_data(case, request)).data, status=status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    @extend_schema(
        responses={200: CaseOut, **ERRORS}, summary=gettext_lazy("Read a case by its number")
    )
    def get(self, request: Request, number: str) -> Response:
        return Response(CaseOut(case_data(_visible(request, number), request)).data)


class TaskPages(Pages):
    """The task list's pages also say which tab they show."""

    tab = ""

    def get_paginated_response(self, data: object) -> Response:
        response = super().get_paginated_response(data)
        response.data = {"tab": self.tab, **response.data}
        return response

    def get_paginated_response_schema(self, schema: Payload) -> Payload:
        paginated: Payload = super().get_paginated_response_schema(schema)
        paginated["properties"] = {
            "tab": {"type": "string", "enum": list(TaskListFilterIn().fields["tab"].choices)},
            **paginated["properties"],
        }
        return paginated


class TaskListView(generics.GenericAPIView[Task]):
    pagination_class = TaskPages
    serializer_class = TaskListOut

    @extend_schema(
        parameters=[TaskListFilterIn],
        responses={200: TaskListOut(many=True), **ERRORS},
        summary=gettext_lazy("List the open tasks of one of the caller's queues"),
        description=gettext_lazy(
            "The workbench's queues: the caller's claimed tasks, the unclaimed tasks of the"
            " caller's divisions or of the office, and the extension requests for the head."
            " Only tasks of cases the caller may see; by the reply due date, paginated."
        ),
    )
    def get(self, request: Request) -> Response:
        filters = TaskListFilterIn(data=request.query_params)
        filters.is_valid(raise_exception=True)
        tab = filters.validated_data.get("tab") or next(iter(tabs_for(request.user)), "mine")
        if isinstance(self.paginator, TaskPages):
            self.paginator.tab = tab
        page = self.paginate_queryset(task_list_visible_to(user=request.user, tab=tab))
        today, calendar = timezone.localdate(), working_calendar()
        rows = [
            {
                "id": row.task.pk,
                "task": row.task.flow_task.name,
                "title": row.title,
                "status": row.task.status,
                "owner": display_name(row.task.owner) if row.task.owner else None,
                "division_id": int(row.task.owner_permission_obj_pk)
                if row.task.owner_permission_obj_pk
                else None,
                "urges": getattr(row.task, "urges", None) or 0,
                "case": {
                    "number": row.case.number,
                    "status": row.case.status,
                    "status_display": str(row.case.get_status_display()),
                    "applicant": row.case.applicant.name,
                    "subject": row.case.subject,
                    "reply_due_on": row.case.reply_due_on,
                    "remaining_working_days": row.remaining,
                    "supervision_level": row.level,
                    "url": _url(request, "api:case-detail", number=row.case.number),
                },
            }
            for row in queue_rows(list(page or []), calendar=calendar, today=today)
        ]
        return self.get_paginated_response(TaskListOut(rows, many=True).data)


class LetterPdfView(APIView):
    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(description="PDF"), **ERRORS},
        summary=gettext_lazy("Download an issued letter"),
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        letter = letter_get_for_user(user=request.user, pk=pk)
        response = FileResponse(
            letter.pdf.open("rb"),
            as_attachment=True,
            filename=f"{letter.number}.pdf",
            content_type="application/pdf",
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class CaseTransitionView(APIView):
    """Fire one transition; the table's generated subclasses (workflows.api.transitions) set
    `transition` and its request body. This base answers 404 for names that are not offered."""

    transition = ""
    request_serializer: type[serializers.Serializer] = serializers.Serializer  # set per transition

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
        return Response(CaseOut(case_data(Case.objects.get(pk=case.pk), request)).data)
