"""The case lifecycle (DESIGN §3): the only writer of a case's status and dates.

- `table`: every transition declared once (states, roles, input form, flow task, letters);
- `machine`: the state machine, one body per transition, grouped by state;
- `inputs`: the input form of each transition; `roles`: who may fire it; `guards`: what else
  it needs; `actions`: what a user may do now;
- `clock_store`: the stored time limits; `recompute`: their bulk recomputation.
"""

from casework.lifecycle.actions import Action, available_actions, available_transitions
from casework.lifecycle.actors import APPLICANT, SYSTEM, Actor, as_actor, display_name
from casework.lifecycle.clock_store import (
    CLOCK_FIELDS,
    case_clock_refresh,
    clock_fields_apply,
    clock_values,
    working_days_before,
)
from casework.lifecycle.machine import CaseLifecycle, transition_method
from casework.lifecycle.recompute import RecomputeReport, cases_recompute_clocks
from casework.lifecycle.table import TRANSITIONS, TransitionSpec, offered_transitions

__all__ = [
    "APPLICANT",
    "CLOCK_FIELDS",
    "SYSTEM",
    "TRANSITIONS",
    "Action",
    "Actor",
    "CaseLifecycle",
    "RecomputeReport",
    "TransitionSpec",
    "as_actor",
    "available_actions",
    "available_transitions",
    "case_clock_refresh",
    "cases_recompute_clocks",
    "clock_fields_apply",
    "clock_values",
    "display_name",
    "offered_transitions",
    "transition_method",
    "working_days_before",
]
