"""The catalogue's figures on the supervision dashboard (issue 26 point 6):
`{% load catalogue_tags %}{% catalogue_figures period_start period_end %}` — one include line
in the page, its own selector (casework.catalogue.selectors.catalogue_figures); the
dashboard's own counts are untouched."""

from __future__ import annotations

from datetime import date

from django import template
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from casework.catalogue.models import ItemCited
from casework.catalogue.selectors import catalogue_figures as figures_of
from casework.catalogue.services import may_edit
from casework.models import Case
from workflows.catalogue.from_case import release_set_for_catalogue

register = template.Library()


@register.simple_tag(takes_context=True)
def catalogue_figures(
    context: template.Context, start: date | None, end: date | None
) -> SafeString:
    # One installation answers for one organ to start (casework.models.Organ): the figures
    # of every organ together, in one query.
    return SafeString(
        render_to_string(
            "supervision/_catalogue.html",
            {"figures": figures_of(None, start=start, end=end), "start": start, "end": end},
            request=context.get("request"),
        )
    )


@register.simple_tag(takes_context=True)
def catalogue_case_link(context: template.Context, case: Case) -> SafeString:
    """On the case page (already access-checked): when the case's release set is approved or
    released and the user may write catalogue items of its division, the way to publish the
    released records to the catalogue (依申请公开转主动公开), and the items made from it."""
    request: HttpRequest | None = context.get("request")
    if request is None or not may_edit(request.user, case.lead_division):
        return SafeString("")
    cited = list(ItemCited.objects.filter(case=case).select_related("item"))
    release = release_set_for_catalogue(case)
    if release is None and not cited:
        return SafeString("")
    return SafeString(
        render_to_string(
            "catalogue/_case_link.html",
            {"case": case, "release": release, "cited": cited},
            request=request,
        )
    )
