"""{% decision_facts case name %}: the proposal being decided beside the review and sign-off
forms, or the return reason above a returned proposal's form; {% common_phrases case %}: the
常用语 the page's text areas offer (issue 24 points 1 and 9)."""

from __future__ import annotations

from django import template
from django.template import Context

from casework.models import Case
from casework.payloads import TemplateContext

register = template.Library()


@register.inclusion_tag("workflows/decide/_decision_facts.html", takes_context=True)
def decision_facts(context: Context, case: Case, name: str) -> TemplateContext:
    from workflows.decide.facts import DECIDING_STEPS, decision_facts, returned_proposal

    facts = decision_facts(case) if name in DECIDING_STEPS else None
    returned, reason = returned_proposal(case) if name == "propose" else (None, "")
    return {
        "case": case,
        "facts": facts,
        "returned": returned,
        "return_reason": reason,
        "request": context.get("request"),
    }


@register.inclusion_tag("workflows/decide/_common_phrases.html", takes_context=True)
def common_phrases(context: Context, case: Case) -> TemplateContext:
    from workflows.decide.phrases import phrases_for

    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "phrases": phrases_for(user=user, organ=case.organ) if user is not None else [],
        "request": request,
    }
