"""The catalogue's figures on the supervision dashboard (issue 26 point 6):
`{% load catalogue_tags %}{% catalogue_figures period_start period_end %}` — one include line
in the page, its own selector (casework.catalogue.selectors.catalogue_figures); the
dashboard's own counts are untouched."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from casework.catalogue.selectors import catalogue_figures as figures_of

register = template.Library()


@register.simple_tag(takes_context=True)
def catalogue_figures(context: Any, start: date | None, end: date | None) -> SafeString:
    # One installation answers for one organ to start (casework.models.Organ): the figures
    # of every organ together, in one query.
    return SafeString(
        render_to_string(
            "supervision/_catalogue.html",
            {"figures": figures_of(None, start=start, end=end), "start": start, "end": end},
            request=context.get("request"),
        )
    )
