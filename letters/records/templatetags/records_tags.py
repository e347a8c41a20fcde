"""{% case_records case %}: the responsive-records card on the case page."""

from __future__ import annotations

from django import template
from django.template import Context

from casework.models import Case
from casework.payloads import TemplateContext

register = template.Library()


@register.inclusion_tag("records/_case_records.html", takes_context=True)
def case_records(context: Context, case: Case) -> TemplateContext:
    from letters.records.selectors import current_set, records_of
    from letters.records.views import _busy

    records = list(records_of(case))
    release_set = current_set(case)
    return {
        "case": case,
        "records": records,
        "release_set": release_set,
        "busy": _busy(records, release_set),
        "request": context.get("request"),
    }


# The transitions whose forms show the decision's release (the proposal, review, sign-off).
DECISION_STEPS = ("propose", "check", "approve")


@register.inclusion_tag("records/_decision_review.html", takes_context=True)
def decision_review(context: Context, case: Case, name: str = "") -> TemplateContext:
    """The release set and warnings beside the review (check) and sign-off (approve) forms,
    on the case page (`name` empty: shown while the case is in review or approved) and on
    the action pages of propose, check and approve."""
    from letters.records.review_panel import decision_review_panel

    request = context.get("request")
    user = getattr(request, "user", None)
    show = name in DECISION_STEPS if name else case.status in ("review", "approved")
    return {"panel": decision_review_panel(case, user) if show else None, "case": case}
