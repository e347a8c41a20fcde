"""What a queue row says about its case beyond the dates (issue 24 point 4): the channel, the
latest 催办 message or reason for a hand-back, and whether a consultation is open.

Each is a subquery of the page's one row query (annotate, not a query per row): the rows of a
page are 50 ids, so the subqueries run 50 times inside one statement."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict, TypeVar

from django.db.models import Case as SqlCase
from django.db.models import (
    IntegerField,
    JSONField,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext

from casework.choices import Channel
from casework.choices import Transition as Tr
from casework.models import Event

# The event kinds whose words the row shows, with the payload key that holds them, and the
# task (flow node) on which they still matter: the hand-back reason while the office routes
# the case again, the reviewer's reason while the division revises, an urge on any task.
SIGNALS: dict[str, tuple[str, frozenset[str] | None]] = {
    Tr.URGE: ("message", None),
    Tr.HAND_BACK: ("reason", frozenset({"triage"})),
    Tr.RETURN_FOR_REVISION: ("reason", frozenset({"revise", "investigate"})),
}
SIGNAL_LIMIT = 40  # characters shown in the row; the case page has the whole text

_M = TypeVar("_M", bound=Model)
_Row = TypeVar("_Row")


class RowFactValues(TypedDict):
    """The values of a row that row_facts reads: the case's channel and what with_row_facts
    annotates."""

    case_channel: str
    signal_kind: str | None
    signal_payload: object  # the signal event's payload: JSON, its shape checked where read
    open_consultations: int | None


def with_row_facts(rows: QuerySet[_M, _Row], case_path: str) -> QuerySet[_M, _Row]:
    """`rows` (the task values of one tab) with signal_kind, signal_payload and
    open_consultations annotated from the case's events."""
    case = OuterRef(case_path)
    latest = Event.objects.filter(case=case, kind__in=list(SIGNALS)).order_by("-seq")
    # Every close answers one open consultation (the lifecycle refuses any other), so the
    # opens less the closes is the number still waiting.
    balance = (
        Event.objects.filter(case=case, kind__in=[Tr.OPEN_CONSULTATION, Tr.CLOSE_CONSULTATION])
        .order_by()
        .values("case")
        .annotate(
            n=Sum(
                SqlCase(
                    When(kind=Tr.OPEN_CONSULTATION, then=Value(1)),
                    default=Value(-1),
                    output_field=IntegerField(),
                )
            )
        )
        .values("n")
    )
    annotated: QuerySet[_M, _Row] = rows.annotate(
        signal_kind=Subquery(latest.values("kind")[:1]),
        signal_payload=Subquery(latest.values("payload")[:1], output_field=JSONField()),
        open_consultations=Subquery(balance, output_field=IntegerField()),
    )
    return annotated


@dataclass(frozen=True)
class RowFacts:
    """The row's words: channel, the latest signal (label and text) and the badge."""

    channel: str = ""
    signal_label: str = ""
    signal_text: str = ""
    consulting: bool = False


def row_facts(task: RowFactValues, node: str, channels: dict[str, str]) -> RowFacts:
    """The facts of one row, from its annotated values (in memory)."""
    kind = task.get("signal_kind")
    label = text = ""
    if kind in SIGNALS:
        key, nodes = SIGNALS[kind]
        payload = task.get("signal_payload") or {}
        words = str(payload.get(key, "") if isinstance(payload, dict) else "").strip()
        if words and (nodes is None or node in nodes):
            labels: dict[str, str] = {
                Tr.URGE: gettext("Urged"),
                Tr.HAND_BACK: gettext("Handed back"),
                Tr.RETURN_FOR_REVISION: gettext("Returned for revision"),
            }
            label = labels[kind]
            text = words if len(words) <= SIGNAL_LIMIT else words[: SIGNAL_LIMIT - 1] + "…"
    return RowFacts(
        channel=channels.get(task.get("case_channel") or "", ""),
        signal_label=label,
        signal_text=text,
        consulting=(task.get("open_consultations") or 0) > 0,
    )


def channel_labels() -> dict[str, str]:
    """The channels' Chinese names, made once per page."""
    return {value: str(label) for value, label in Channel.choices}
