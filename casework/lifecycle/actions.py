"""The actions a user may take on a case now, from the transition table: the case page, the
workbench and the API (`actions` in the case detail) all ask here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

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


def available_actions(case: Case, user: Any, *, now: datetime | None = None) -> list[Action]:
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


def available_transitions(case: Case, user: Any, *, now: datetime | None = None) -> list[str]:
    """The names of `available_actions`."""
    return [action.name for action in available_actions(case, user, now=now)]
