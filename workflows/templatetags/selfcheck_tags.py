"""{% selfcheck_panel %}: the self-check items waiting for the user on the workbench (the
division's queue for a liaison officer, the approvals for the head)."""

from __future__ import annotations

from django import template

from casework.payloads import TemplateContext
from casework.selfcheck.selectors import approval_queue, division_queue, sees_campaigns

register = template.Library()


@register.inclusion_tag("workflows/selfcheck/_panel.html", takes_context=True)
def selfcheck_panel(context: TemplateContext) -> TemplateContext:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    queue = division_queue(user)
    approvals = approval_queue(user)
    office = sees_campaigns(user)
    return {
        "show": bool(queue or approvals or office),
        "queue": queue,
        "approvals": approvals,
        "office": office,
    }
