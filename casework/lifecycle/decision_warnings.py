"""Warnings where the law offers a better step than the decision proposed. They are warnings,
not blocks: the officer who proposes confirms an override with a reason, and the proposal's
event records it (shown in the history and to the reviewer).

- Art 30 before Art 36(4): a request that names nothing to search for (casework.vague_request)
  is corrected first (补正, one notice); "not held" for "所有文件" answers a question nobody could
  search.
- Art 37 and Art 32 before a refusal for third-party rights (Art 15): the separable part is
  provided (partial disclosure with the personal data redacted), and a third party whose rights
  disclosure would harm is consulted in writing; the reviewer sees whether it was and what it
  said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.choices import ConsultationOpinion, ConsultationParty, Disposition
from casework.choices import Transition as T
from casework.errors import InvalidInput
from casework.items import item_name
from casework.payloads import FormData, Payload
from casework.selectors import consultations_from
from casework.vague_request import is_vague

if TYPE_CHECKING:
    from casework.lifecycle.machine import CaseLifecycle
    from casework.models import Case, Event

VAGUE_NOT_HELD = "vague_not_held"
THIRD_PARTY_REFUSAL = "third_party_refusal"

# Refusals resting on a third party's rights or personal data (Art 15).
THIRD_PARTY_DISPOSITIONS: frozenset[str] = frozenset({Disposition.REFUSED_THIRD_PARTY_RIGHTS})


@dataclass(frozen=True)
class DecisionWarning:
    code: str
    message: str
    better_step: str = ""  # a transition the law offers instead (e.g. request_correction)
    details: list[str] = field(default_factory=list)


def consultation_lines(events: list[Event]) -> list[str]:
    """Art 32: each third-party consultation of the case, in words (party, sent, answer)."""

    summaries = {
        str(e.payload.get("consultation_id", "")): e.payload.get("summary", "")
        for e in events
        if e.kind == T.CLOSE_CONSULTATION
    }
    lines = []
    for c in consultations_from((e.kind, e.on, e.payload) for e in events):
        if c.party != ConsultationParty.THIRD_PARTY:
            continue
        if c.closed_on is None:
            answer = _("no answer yet")
        else:
            opinion = c.opinion if c.opinion in ConsultationOpinion.values else ""
            answer = str(ConsultationOpinion(opinion).label) if opinion else _("answered")
            if summaries.get(c.consultation_id):
                answer = f"{answer}：{summaries[c.consultation_id]}"
        lines.append(
            _("%(party)s, consulted on %(sent)s: %(answer)s")
            % {"party": c.party_name, "sent": c.sent_on.isoformat(), "answer": answer}
        )
    return lines


def warnings_for(case: Case, disposition: str, events: list[Event]) -> list[DecisionWarning]:
    """The warnings a proposal of `disposition` on `case` raises."""
    result = []
    corrected = any(e.kind == T.REQUEST_CORRECTION for e in events)
    if (
        disposition == Disposition.UNABLE_NOT_HELD
        and not corrected
        and is_vague(case.subject, case.description)
    ):
        result.append(
            DecisionWarning(
                VAGUE_NOT_HELD,
                _(
                    "The request “%(subject)s” names no document, period, place or subject to search for: Art 30 asks the office to guide the applicant to correct it (补正) before replying that the information is not held (Art 36(4))."
                )
                % {"subject": case.subject},
                better_step=T.REQUEST_CORRECTION,
            )
        )
    if disposition in THIRD_PARTY_DISPOSITIONS:
        lines = consultation_lines(events)
        result.append(
            DecisionWarning(
                THIRD_PARTY_REFUSAL,
                _(
                    "Art 37: if the third party's information can be separated, provide the rest with it redacted (partial disclosure) instead of refusing everything. Art 32: a third party whose rights disclosure would harm is consulted in writing."
                ),
                details=lines or [_("No third party was consulted on this case (Art 32).")],
            )
        )
    return result


# --- the override on the proposal's form (ProposeInput) --------------------------------------

# What the proposal's event records beyond the fields (labels of the history).
RECORDS = {"warnings_overridden": gettext_lazy("Warnings overridden")}


def override_fields() -> tuple[forms.Field, forms.Field]:
    return (
        forms.BooleanField(
            label=gettext_lazy("Noted; propose this decision anyway"),
            required=False,
            help_text=gettext_lazy(
                "Only when the form warns of a better step (correction first, partial "
                "disclosure, consulting the third party)."
            ),
        ),
        forms.CharField(
            label=gettext_lazy("Reason for proposing it anyway"),
            required=False,
            max_length=500,
            widget=forms.Textarea(attrs={"rows": 2}),
        ),
    )


def overrides(lc: CaseLifecycle, data: FormData) -> Payload:
    """At the proposal: refuse while a warning is not confirmed with a reason; return what the
    event records of the warnings overridden (nothing when there are none)."""
    if data.get("items"):  # several items: each warned item is confirmed in its own block
        return _item_overrides(lc, data["items"])
    warnings = warnings_for(lc.case, data.get("disposition") or "", lc.events())
    if not warnings:
        return {}
    reason = (data.get("override_reason") or "").strip()
    if not data.get("override_warnings") or not reason:
        text = " ".join(w.message for w in warnings)
        raise InvalidInput(
            _(
                "%(warnings)s To propose it anyway, tick “Noted; propose this decision anyway” and give the reason."
            )
            % {"warnings": text},
            field="override_warnings",
        )
    return {
        "warnings_overridden": [" ".join([w.message, *w.details]) for w in warnings],
        "override_reason": reason,
    }


def _item_overrides(lc: CaseLifecycle, decided: list[Payload]) -> Payload:
    """The warnings of a per-item proposal (casework.items), each confirmed with a reason in
    its item's block; the event records them under the item."""

    overridden = []
    for item in decided:
        warnings = warnings_for(lc.case, item.get("disposition") or "", lc.events())
        if not warnings:
            continue
        name = item_name(item.get("position", 0), item.get("text", ""))
        reason = (item.get("override_reason") or "").strip()
        if not item.get("override_warnings") or not reason:
            text = " ".join(w.message for w in warnings)
            raise InvalidInput(
                f"{name}："
                + _(
                    "%(warnings)s To propose it anyway, tick “Noted; propose this decision anyway” and give the reason."
                )
                % {"warnings": text},
                field="items",
            )
        overridden.append(
            f"{name}：" + " ".join(" ".join([w.message, *w.details]) for w in warnings)
        )
    return {"warnings_overridden": overridden} if overridden else {}
