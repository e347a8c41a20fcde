"""What a reply that provides information says it provides (Art 36(2), Art 37, Art 40), from
the proposal and the case's release: the 附件 list of the approved release set, an arranged
inspection or posting with its date, or where it is already published. The same facts make
the letter's wording and the tracking page's "information provided"."""

from __future__ import annotations

from datetime import date

from casework.lifecycle.release_gate import PROVIDING, Arrangement
from casework.models import Case
from casework.payloads import TemplateContext
from casework.text import cn_date

cn = cn_date  # 2026年3月5日 (casework.text)


def arrangement_context(payload: TemplateContext) -> TemplateContext:
    """The arrangement recorded with the proposal, for the letter's wording."""
    arrangement = payload.get("arrangement") or ""
    arranged_on = date.fromisoformat(payload["arranged_on"]) if arrangement else None
    return {
        "arrangement": arrangement,
        "arranged_on_cn": cn(arranged_on),
        "arranged_place": payload.get("arranged_place", ""),
    }


def provision_context(case: Case, disposition: str, payload: TemplateContext) -> TemplateContext:
    """The letter's 附件 list and withheld statement (from the approved or released set), and
    the arrangement. A providing decision without released files attaches nothing: the files
    the officer listed are what is provided, said in the text, never a 附件 list."""
    from letters.context import records_context

    context = dict(records_context(case))
    if disposition in PROVIDING:
        context.update(arrangement_context(payload))
        if not context.get("attachments"):
            context["files"] = ""
            context["provided_items"] = payload.get("files", "")
    return context


def provision_for_applicant(case: Case) -> str:
    """The tracking page's words for information provided other than as files (after the
    reply): where to inspect it and when, when it was posted, or where it is published."""
    if case.disposition not in PROVIDING or case.status not in ("replied", "archived"):
        return ""
    event = case.events.filter(kind="propose").order_by("-seq").first()
    payload = event.payload if event is not None else {}
    facts = arrangement_context(payload)
    if facts["arrangement"] == Arrangement.INSPECTION:
        return f"请您于{facts['arranged_on_cn']}到{facts['arranged_place']}查阅。"
    if facts["arrangement"] == Arrangement.POST:
        return f"该政府信息已于{facts['arranged_on_cn']}邮寄给您。"
    if payload.get("where_published"):
        return f"该政府信息已经公开，您可以通过以下途径获取：{payload['where_published']}。"
    return ""
