"""The reply to a request of several items (casework.items): one letter under one number that
answers item by item (LAW.md §1.8, "Multi-item requests": practice answers each item in one
reply).

Each item's answer is the wording of its own disposition (templates/letters/wording/
reply.<disposition>.txt, or the version an administrator approved) rendered with that item's
text, basis and reasons, without the wording's first paragraph when that is the receipt
sentence ("本机关于…收到您…申请获取“<the item>”。"), which the letter says once; a wording that
does not open with it is kept whole.
So the letter reads: the receipt sentence, "现对您申请的3项内容分别答复如下：", then
"一、关于“安置计划”：经审查，……", "二、关于“落实情况”：经检索，……", and the remedy clause once.

The remedy clause (行政复议法 Art 23(1)(4), 法释〔2025〕8号 Art 1): reconsideration first for
the whole reply when every item is a refusal under Arts 14-16; for "the part not disclosed"
(and the ordinary clause for the rest) when only some items are, or an item is 部分公开; the
ordinary clause when none is.

Everything is computed when the context is built, so an issued letter's frozen context holds
the paragraphs as printed.
"""

from __future__ import annotations

from casework.decision_rules import case_events
from casework.items import case_items, chinese_numeral
from casework.models import Case
from casework.payloads import Payload, TemplateContext
from letters.facts import decision_facts
from letters.kinds import REFUSAL_GROUNDS
from letters.layout import _reconsideration_first, wording_paragraphs
from letters.prose import set_officer_texts
from letters.provision import arrangement_context

# The per-item keys of a proposal that the item's wording reads.
ITEM_FIELDS = (
    "reasons",
    "withheld",
    "files",
    "where_published",
    "responsible_organ",
    "responsible_contact",
)


def item_by_item_context(case: Case, context: TemplateContext, proposal: Payload) -> Payload:
    """What a reply letter adds for a case of several items: the item paragraphs, the items'
    attachments, and which remedy clause applies. Empty for a case of one item."""
    decided = {item.get("position"): item for item in proposal.get("item_decisions") or []}
    items = case_items(case)
    if len(items) < 2 or not decided:
        return {}
    from letters.services import current_wording

    events = case_events(case)

    paragraphs = [f"现对您申请的{len(items)}项内容分别答复如下："]
    first: list[str] = []
    summary: list[Payload] = []
    for item in items:
        decision = decided.get(item.position, {})
        disposition = decision.get("disposition") or item.disposition
        item_context = {
            **context,
            "subject": item.text,
            "disposition": disposition,
            "basis": decision.get("basis") or item.basis,
            "refusal_ground": REFUSAL_GROUNDS.get(disposition, ""),
            **{key: decision.get(key, "") for key in ITEM_FIELDS},
        }
        # The facts this item's wording states (its search record, the earlier case …) and
        # the officer's text set as sentences, as for a letter of one item (letters.facts).
        item_context.update(decision_facts(events, decision))
        # How a providing item provides: an arranged inspection or posting, or what it names.
        item_context.update(arrangement_context(decision))
        if not context.get("attachments"):
            # No released files: what the item provides is said in its text, never a 附件 list.
            item_context["provided_items"] = decision.get("files", "")
            item_context["files"] = ""
        item_context = set_officer_texts(item_context)
        body = wording_paragraphs(current_wording(f"reply.{disposition}").body, item_context)
        if body and f"“{item.text}”" in body[0]:
            body = body[1:]  # the receipt sentence, said once for the whole letter
        head = f"{chinese_numeral(item.position)}、关于“{item.text}”："
        paragraphs.extend([head + (body[0] if body else ""), *body[1:]])
        if _reconsideration_first({"disposition": disposition}):
            first.append(disposition)
        summary.append(
            {
                "position": item.position,
                "text": item.text,
                "disposition": disposition,
                "basis": item_context["basis"],
            }
        )
    if not first:
        remedy = "none"
    elif len(first) == len(items) and "partial" not in first:
        remedy = "all"
    else:
        remedy = "some"
    return {
        "items": summary,
        "item_paragraphs": paragraphs,
        "remedy_reconsideration_first": remedy,
    }
