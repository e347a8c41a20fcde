"""The 办理审批单 (issue 24 point 9): the paper form a bureau files with each case — every step's
opinion (the proposal, the review comment, the sign-off comment, an extension approval, a
division's opinion…), the person (family name first) and the time, on A4 in the GB/T 9704
manner (the letters' fonts and WeasyPrint, letters.rendering). It is printed from the events
alone, so it shows the case as recorded at the moment it is printed, in progress or not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.template.loader import render_to_string
from django.utils import timezone

from casework.choices import Transition
from casework.lifecycle.actors import display_name
from casework.models import Case, Event
from workflows.decide.done import done_label
from workflows.decide.facts import proposal_rows

# The opinion text an event carries, by payload key, in the order looked for.
_OPINION_KEYS = ("comment", "opinion", "reason", "summary", "message", "note", "matter")
# The steps that carry an opinion of the office (the form's boxes); other steps are listed
# in the record of handling below them.
OPINION_STEPS = (
    Transition.PROPOSE,
    Transition.CHECK,
    Transition.RETURN_FOR_REVISION,
    Transition.APPROVE,
    Transition.REQUEST_EXTENSION,
    Transition.EXTEND,
    Transition.GIVE_OPINION,
    Transition.CLOSE_CONSULTATION,
    Transition.HAND_BACK,
)


@dataclass
class SheetStep:
    label: str
    opinion: str
    person: str
    at: datetime
    on: date


def _person(event: Event) -> str:
    return display_name(event.actor) if event.actor is not None else event.actor_name


def _opinion(event: Event) -> str:
    payload = event.payload or {}
    if event.kind == Transition.PROPOSE:
        rows = proposal_rows(payload)
        for item in payload.get("item_decisions") or []:
            if isinstance(item, dict):
                inner = "；".join(f"{k}：{v}" for k, v in proposal_rows(item))
                rows.append((f"{item.get('position')}.{item.get('text', '')}", inner))
        return "；".join(f"{label}：{value}" for label, value in rows)
    parts = [str(payload[k]) for k in _OPINION_KEYS if payload.get(k)]
    if event.kind == Transition.EXTEND and payload.get("days"):
        parts.insert(0, f"延长{payload['days']}个工作日")
    if event.kind == Transition.CLOSE_CONSULTATION and payload.get("opinion"):
        from casework.choices import ConsultationOpinion

        labels = dict(ConsultationOpinion.choices)
        parts = [str(labels.get(payload["opinion"], payload["opinion"]))] + [
            str(payload[k]) for k in ("summary",) if payload.get(k)
        ]
    return "；".join(parts)


def sheet_steps(case: Case) -> tuple[list[SheetStep], list[SheetStep]]:
    """(the opinions, every step) of the case in order."""
    opinions: list[SheetStep] = []
    steps: list[SheetStep] = []
    for event in case.events.select_related("actor").order_by("seq"):
        step = SheetStep(
            label=done_label(event.kind),
            opinion=_opinion(event),
            person=_person(event),
            at=timezone.localtime(event.entered_at),
            on=event.on,
        )
        steps.append(step)
        if event.kind in OPINION_STEPS:
            opinions.append(step)
    return opinions, steps


def approval_sheet_html(case: Case, *, now: datetime) -> str:
    from letters.fonts import font_stacks

    opinions, steps = sheet_steps(case)
    return render_to_string(
        "workflows/decide/approval_sheet.html",
        {
            "case": case,
            "opinions": opinions,
            "steps": steps,
            "printed_at": timezone.localtime(now),
            "fonts": font_stacks(),
        },
    )


def approval_sheet_pdf(case: Case, *, now: datetime) -> bytes:
    from letters.rendering import html_to_pdf

    return html_to_pdf(approval_sheet_html(case, now=now))
