"""The actions a user may take on a case now, from the transition table: the case page, the
workbench and the API (`actions` in the case detail) all ask here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.lifecycle.actors import Staff
from casework.lifecycle.follows import FOLLOWS
from casework.lifecycle.machine import CaseLifecycle
from casework.lifecycle.table import TRANSITIONS, TransitionSpec
from casework.models import Case


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    fields: tuple[str, ...]  # the input fields, beyond the effective date

    @classmethod
    def of(cls, spec: TransitionSpec) -> Action:
        return cls(spec.name, spec.label, tuple(spec.form.base_fields))


def available_actions(case: Case, user: Staff, *, now: datetime | None = None) -> list[Action]:
    """The transitions `user` may fire on `case` in its current state and that its guards
    allow today, in the table's order (the flow's order). Services alone fire the others."""
    now = now or timezone.now()
    lifecycle = CaseLifecycle(case, actor=user, now=now, on=timezone.localdate(now))
    actions = []
    for spec in TRANSITIONS.values():
        if not spec.offered or lifecycle.acting_role(spec.name) is None:
            continue
        if not getattr(lifecycle, spec.name).can_proceed() or lifecycle.blocked_by(spec):
            continue
        actions.append(Action.of(spec))
    return actions


def available_transitions(case: Case, user: Staff, *, now: datetime | None = None) -> list[str]:
    """The names of `available_actions`."""
    return [action.name for action in available_actions(case, user, now=now)]


# The flow's next step in each state, best first: casework.lifecycle.follows (one rule for
# what follows which status). The case page offers the first of these the user can take as
# the primary action; any other action is secondary (the queue rows derive theirs from the
# task's flow node: workflows.selectors.next_steps).
NEXT_STEPS: dict[str, tuple[str, ...]] = {status: f.steps for status, f in FOLLOWS.items()}


def primary_action(case: Case, actions: list[Action]) -> Action | None:
    """The flow's next step for this user, or None: never a side or destructive action
    (withdrawal, a correction notice, a delivery record on a closed case) (issue 24)."""
    ordered = actions_next_first(case, actions)
    if ordered and ordered[0].name in NEXT_STEPS.get(case.status, ()):
        return ordered[0]
    return None


def actions_next_first(case: Case, actions: list[Action]) -> list[Action]:
    """The actions with the flow's next step for this user first. A replied case whose delivery
    is recorded is archived next (recording another delivery stays possible)."""
    steps = NEXT_STEPS.get(case.status, ())
    if case.status == "replied" and case.events.filter(kind="record_delivery").exists():
        steps = ("archive", "record_delivery")
    for name in steps:
        for index, action in enumerate(actions):
            if action.name == name:
                return [action, *actions[:index], *actions[index + 1 :]]
    return actions


def waiting_for(case: Case) -> str:
    """Whose turn it is, in words, for a user who has nothing to do on the case now."""

    status = case.status
    if status in ("received", "registered", "correction", "approved", "replied"):
        if status == "correction":
            return _("Waiting for the applicant's correction; then the OGI office records it.")
        return _("The OGI office handles the next step.")
    if status in ("handling", "investigation"):
        division = case.lead_division.name if case.lead_division else ""
        if case.assignee_id and case.assignee is not None:
            from casework.lifecycle.actors import display_name

            return _("With %(division)s: %(person)s handles it.") % {
                "division": division,
                "person": display_name(case.assignee),
            }
        return _("Waiting in the queue of %(division)s.") % {"division": division}
    if status == "awaiting_fee":
        return _("Waiting for the applicant's fee payment.")
    if status == "review":
        return _("Under review and sign-off by the OGI office.")
    return _("The case is closed.")
