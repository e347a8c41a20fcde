"""The case library's panel on the case page: `{% load library_tags %}{% library_panel case %}`
(one include line in the page; the page has already checked that the user may see the
case). Only office roles and the case's divisions see it."""

from __future__ import annotations

from django import template
from django.template import Context
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from casework.choices import Transition as T
from casework.library.selectors import library_panel as panel_of
from casework.lifecycle import TRANSITIONS
from casework.models import Case

register = template.Library()


@register.simple_tag(takes_context=True)
def library_panel(context: Context, case: Case) -> SafeString:
    today = timezone.localdate()
    return SafeString(
        render_to_string(
            "workflows/library/panel.html",
            {
                "case": case,
                "panel": panel_of(case, today),
                # The merge is offered where the transition leaves the case's state; the
                # action page checks the user's role (casework.lifecycle: merge_duplicate).
                "may_merge": case.status in TRANSITIONS[T.MERGE_DUPLICATE].source,
            },
            request=context.get("request"),
        )
    )
