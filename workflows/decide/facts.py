"""The proposal as the reviewer and the head read it beside their forms (issue 24 point 1):
its outcome per item, basis, reasons, search record and provision (Art 36-40), what changed
since the previous round after a 退回修改, and the values a returned proposal reopens with."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _

from casework.choices import Disposition, Transition
from casework.lifecycle.actors import display_name
from casework.models import Case, Event
from casework.payloads import Payload

# The transitions whose forms show the proposal being decided.
DECIDING_STEPS = frozenset({Transition.CHECK, Transition.RETURN_FOR_REVISION, Transition.APPROVE})

# The proposal's fields in the order a reader takes them in: outcome, basis, reasons, what is
# provided or withheld, the search record (Art 36(4)), other organs (Art 36(5)), the earlier
# case (Art 36(6)), the provision (Art 40) and a confirmed warning.
PROPOSAL_KEYS = (
    "disposition",
    "basis",
    "reasons",
    "withheld",
    "found",
    "files",
    "where_published",
    "search_places",
    "search_systems",
    "search_period",
    "search_terms",
    "searched",
    "responsible_organ",
    "responsible_contact",
    "responsible_unknown",
    "earlier_case_number",
    "earlier_reply_on",
    "earlier_letter_number",
    "explanation_requested_on",
    "arrangement",
    "arranged_on",
    "arranged_place",
    "override_reason",
)


@dataclass
class ItemFacts:
    position: int
    text: str
    rows: list[tuple[str, str]]


@dataclass
class DecisionFacts:
    """What the deciding forms show of the latest proposal."""

    proposal: Event | None = None  # the latest `propose` event
    rows: list[tuple[str, str]] = field(default_factory=list)
    items: list[ItemFacts] = field(default_factory=list)
    previous: Event | None = None  # the proposal before it, when one was returned
    return_reason: str = ""  # why it was returned (the 退回修改 between the two)
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    preview_kind: str = ""
    proposer: str = ""  # family name first

    @property
    def shown(self) -> bool:
        return self.proposal is not None


def _labels() -> dict[str, str]:
    from casework.lifecycle.inputs import ProposeInput

    labels = {key: str(f.label) for key, f in ProposeInput.base_fields.items()}
    labels.update({key: str(label) for key, label in ProposeInput.records.items()})
    return labels


def _choice_labels() -> dict[str, dict[str, str]]:
    from casework.lifecycle.inputs import ProposeInput

    result: dict[str, dict[str, str]] = {
        "disposition": {str(v): str(label) for v, label in Disposition.choices}
    }
    for key, f in ProposeInput.base_fields.items():
        choices = getattr(f, "choices", None)
        if choices and key != "disposition":
            result[key] = {str(v): str(label) for v, label in choices if v}
    return result


def shown_value(key: str, value: object, choices: dict[str, dict[str, str]] | None = None) -> str:
    """A stored value as words: choice labels, 是/否, dates and lists as text."""
    choices = choices if choices is not None else _choice_labels()
    if value in (None, "", [], {}):
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return "、".join(shown_value(key, v, choices) for v in value)
    text = str(value)
    return choices.get(key, {}).get(text, text)


def proposal_rows(payload: Payload) -> list[tuple[str, str]]:
    labels, choices = _labels(), _choice_labels()
    rows = []
    for key in PROPOSAL_KEYS:
        value = shown_value(key, payload.get(key), choices)
        if value:
            rows.append((labels.get(key, key), value))
    return rows


def _items(payload: Payload) -> list[Payload]:
    decided = payload.get("item_decisions") or []
    return sorted(
        (d for d in decided if isinstance(d, dict)), key=lambda d: int(d.get("position", 0))
    )


def proposal_changes(before: Payload, after: Payload) -> list[tuple[str, str, str]]:
    """(field, before, after) for every field the new proposal changed, labelled in words;
    an item's field is named with the item (一、…)."""
    from casework.items import item_name

    labels, choices = _labels(), _choice_labels()

    def compare(prefix: str, old: Payload, new: Payload) -> list[tuple[str, str, str]]:
        found = []
        for key in PROPOSAL_KEYS:
            was, now = (
                shown_value(key, old.get(key), choices),
                shown_value(key, new.get(key), choices),
            )
            if was != now:
                found.append((prefix + labels.get(key, key), was, now))
        return found

    changes = compare("", before, after)
    old_items = {int(d.get("position", 0)): d for d in _items(before)}
    for item in _items(after):
        position = int(item.get("position", 0))
        name = item_name(position, str(item.get("text", "")))
        changes += compare(f"{name} · ", old_items.get(position, {}), item)
    return changes


def decision_facts(case: Case) -> DecisionFacts:
    """The latest proposal of `case` (none before one is made), with the diff against the
    proposal it replaced after a return for revision."""
    events = list(
        case.events.filter(kind__in=(Transition.PROPOSE, Transition.RETURN_FOR_REVISION))
        .select_related("actor")
        .order_by("seq")
    )
    proposals = [e for e in events if e.kind == Transition.PROPOSE]
    facts = DecisionFacts()
    if not proposals:
        return facts
    latest = proposals[-1]
    payload = dict(latest.payload)
    facts.proposal = latest
    facts.proposer = display_name(latest.actor) if latest.actor is not None else latest.actor_name
    facts.rows = proposal_rows(payload)
    facts.items = [
        ItemFacts(int(d.get("position", 0)), str(d.get("text", "")), proposal_rows(d))
        for d in _items(payload)
    ]
    if len(proposals) > 1:
        facts.previous = proposals[-2]
        returns = [
            e
            for e in events
            if e.kind == Transition.RETURN_FOR_REVISION and facts.previous.seq < e.seq < latest.seq
        ]
        facts.return_reason = str(returns[-1].payload.get("reason", "")) if returns else ""
        facts.changes = proposal_changes(dict(facts.previous.payload), payload)
    if case.disposition:
        facts.preview_kind = f"reply.{case.disposition}"
    return facts


def returned_proposal(case: Case) -> tuple[Event | None, str]:
    """(the proposal, the reason) when the case's last decision step was a 退回修改 of a
    proposal, else (None, "")."""
    last = (
        case.events.filter(kind__in=(Transition.PROPOSE, Transition.RETURN_FOR_REVISION))
        .order_by("-seq")
        .first()
    )
    if last is None or last.kind != Transition.RETURN_FOR_REVISION:
        return None, ""
    proposal = (
        case.events.filter(kind=Transition.PROPOSE, seq__lt=last.seq).order_by("-seq").first()
    )
    return proposal, str(last.payload.get("reason", ""))


def prefill_values(payload: Payload, form: forms.Form) -> Payload:
    """The returned proposal's values as the propose form's initial data: the basis by its
    key (the select's value), each item's decision in its block."""
    values: Payload = {}
    for key, value in payload.items():
        if key in form.fields and key not in ("items", "basis", "on"):
            values[key] = value
    if "basis" in form.fields and payload.get("basis_key"):
        values["basis"] = payload["basis_key"]
    if "items" in form.fields and payload.get("item_decisions"):
        values["items"] = [{**d, "basis": d.get("basis_key", "")} for d in _items(payload)]
    return values
