"""The letters offered to a user on a case: the kinds its declaration allows in the case's
state to the user's role, that fit the ledger and have no standing letter for their step
(letters.registry, letters.services.letter_kinds_issuable), and whether one of them is the
flow's next step (casework.lifecycle.follows: the transition that records it follows the
case's status). The case page, the letters page and the API's `actions` read it (issue 24:
only actions that can succeed are offered)."""

from __future__ import annotations

from casework.lifecycle.actors import Staff
from casework.lifecycle.follows import next_steps
from casework.models import Case
from letters.registry import declaration
from letters.services import letter_kinds_issuable


def letters_offered(case: Case, user: Staff) -> tuple[list[str], bool]:
    """The kinds `user` can issue on `case` now, and whether one is the flow's next step."""
    kinds = letter_kinds_issuable(case, user)
    steps = next_steps(case.status)
    due = any(declaration(key).recording_transition(case.status) in steps for key in kinds)
    return kinds, due
