"""The office's list of popular topics (Art 44; the work plan's self-check of 依申请公开较为集中
的信息): groups of requests for the same information from at least three applicants within
12 months, per organ, with their cases and the routing suggestions' record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from casework.library.selectors import popular_topics, routing_stats
from casework.models import Organ
from casework.permissions import OFFICE_ROLES, user_roles


@login_required
def popular_topics_view(request: HttpRequest) -> HttpResponse:
    if not user_roles(request.user) & OFFICE_ROLES:
        raise Http404
    today = timezone.localdate()
    organs = [
        (organ, popular_topics(organ, today), routing_stats(organ))
        for organ in Organ.objects.order_by("pk")
    ]
    return render(request, "workflows/library/popular.html", {"organs": organs, "today": today})
