"""The transition table: every transition of a case declared once (DESIGN §3).

Each transition is declared once, where its body is (casework.lifecycle.machine, with
`@transition(...)`), and registered here. One `TransitionSpec` per transition says its name
and label, the states it leaves and enters,
who may fire it, the form of its input, what its event records, which flow task it completes
and which letters it enables. From this table come the lifecycle's checks (casework.lifecycle
.machine), the staff pages' forms, the API request bodies and their OpenAPI schema, the history
labels, the actions offered to a user (`available_actions`) and the flow's task mapping.

`manage.py transitions` prints it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.utils.translation import gettext_lazy as _

from casework.choices import OPEN_STATUSES, CaseStatus
from casework.lifecycle.inputs import TransitionForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from casework.lifecycle.machine import CaseLifecycle
    from casework.lifecycle.periods import Period

NEW = ""  # a case being received has no status yet
OPEN: tuple[str, ...] = tuple(s for s in CaseStatus.values if s in OPEN_STATUSES)
CLOSED_WITH_DECISION: tuple[str, ...] = (
    CaseStatus.REPLIED,
    CaseStatus.ARCHIVED,
    CaseStatus.ABANDONED,
)

# What a transition does to the case's flow (workflows.services), beyond completing a task.
CLAIMS_TASK = "claim"
RELEASES_TASK = "release"
REASSIGNS_TASK = "reassign"
MOVES_TASK = "transfer"
ENDS_FLOW = "end"
RETURNS_TO_TRIAGE = "hand_back"  # the division's work is cancelled, a new triage task opens

Guard = Callable[["CaseLifecycle"], "StrOrPromise | None"]


@dataclass(frozen=True)
class TransitionSpec:
    name: str
    label_text: StrOrPromise  # a lazy translation
    source: tuple[str, ...]
    # A status (str); None: it stays; or viewflow's fsm.State.GET_STATE(...) (decided by the
    # case), which only viewflow reads.
    target: object
    roles: tuple[str, ...]
    form: type[TransitionForm]
    article: str = ""  # where the rule comes from, for the docs and `manage.py transitions`
    completes: tuple[str, ...] = ()  # flow tasks it completes (claiming them first)
    flow: str = ""  # one of the *_TASK / ENDS_FLOW effects above
    offered: bool = True  # False: fired only by a service (receipt, letters), never by name
    letters: tuple[str, ...] = ()  # letter kinds this step enables: written by letters.registry
    guards: tuple[Guard, ...] = field(default=())  # each returns a reason it cannot happen now
    period: Period | None = None  # the period the law sets for it (casework.lifecycle.periods)

    @property
    def label(self) -> str:
        return str(self.label_text)

    def payload_labels(self) -> dict[str, StrOrPromise | None]:
        labels: dict[str, StrOrPromise | None] = {
            key: f.label for key, f in self.form.base_fields.items()
        }
        labels.update(self.form.records)
        return labels


class TransitionOptions(TypedDict, total=False):
    """The optional fields of a TransitionSpec, as `@transition(...)` takes them."""

    article: str
    completes: tuple[str, ...]
    flow: str
    offered: bool
    letters: tuple[str, ...]
    guards: tuple[Guard, ...]
    period: Period | None


# The table, filled by the declarations in casework.lifecycle.machine (`@transition`), in
# their order: grouped by the state they leave, as the lifecycle reads.
TRANSITIONS: dict[str, TransitionSpec] = {}

# Event kinds that are not transitions: written by the system, never fired.
OTHER_EVENT_LABELS: dict[str, StrOrPromise] = {"recompute": _("Time limits recomputed")}


def register(spec: TransitionSpec) -> TransitionSpec:
    if spec.name in TRANSITIONS or spec.name in OTHER_EVENT_LABELS:
        raise ValueError(f"transition {spec.name} is declared twice")
    TRANSITIONS[spec.name] = spec
    return spec


def transition_spec(name: str) -> TransitionSpec | None:
    return TRANSITIONS.get(name)


def offered_transitions() -> list[TransitionSpec]:
    """The transitions a user may fire by name (pages and API), in the table's order."""
    return [spec for spec in TRANSITIONS.values() if spec.offered]


def event_kind_label(kind: str) -> str:
    """The Chinese label of an event kind (a transition, or a system event)."""
    spec = TRANSITIONS.get(kind)
    if spec is not None:
        return spec.label
    return str(OTHER_EVENT_LABELS.get(kind, kind))


def task_completed_by() -> dict[str, tuple[str, ...]]:
    """Flow task → the transitions that complete it."""
    result: dict[str, tuple[str, ...]] = {}
    for spec in TRANSITIONS.values():
        for task in spec.completes:
            result[task] = (*result.get(task, ()), spec.name)
    return result
