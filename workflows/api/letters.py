"""Issue a letter through the API: `POST /api/v1/cases/{number}/letters/{kind}/` (no body).
The case's `actions` list it as `letter:<kind>` exactly when letters.offer offers it to the
caller (issue 24: only actions that can succeed are offered, letters included)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.choices import Transition as T
from casework.errors import NotVisible
from casework.models import Case
from letters.registry import LETTERS
from letters.services import letter_issue
from workflows.api.serializers import CaseOut
from workflows.api.views import ERRORS, _visible, case_data
from workflows.services import case_act


class CaseLetterView(APIView):
    @extend_schema(
        request=None,
        responses={200: CaseOut, **ERRORS},
        summary=gettext_lazy("Issue a letter"),
        tags=["letters"],
    )
    def post(self, request: Request, number: str, kind: str) -> Response:
        case = _visible(request, number)
        if kind not in LETTERS:
            raise NotVisible(_("There is no such action: %(name)s.") % {"name": kind[:60]})
        if LETTERS[kind].recording_transition(case.status) == T.ISSUE_REPLY:
            # The reply of an approved decision also completes the flow's issue task.
            case_act(number=case.number, organ=case.organ, name=T.ISSUE_REPLY, actor=request.user)
        else:
            letter_issue(number=case.number, kind=kind, actor=request.user)
        return Response(CaseOut(case_data(Case.objects.get(pk=case.pk), request)).data)
