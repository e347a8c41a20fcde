"""What follows which status: one rule, read by the lifecycle's offer (`actions_next_first`),
the workbench (the case page's primary action, the queue's deadlines), the letters (the letter
whose turn it is: the transition that records it is a step here; letters.registry says which
kinds it records) and the API (issue 23 point 2).

For each status: the flow's next steps, best first (DESIGN §3) — the only actions ever shown
as the primary one; every other action a user may take is secondary (withdrawal, correction
notices, delivery records on a closed case: issue 24 point 3) — and the internal deadlines
that run in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from casework.choices import CaseStatus as S
from casework.choices import Transition as T


@dataclass(frozen=True)
class Follows:
    steps: tuple[str, ...] = ()  # the flow's next steps, best first
    deadlines: tuple[str, ...] = ()  # the stored internal deadlines that run (Case fields)


FOLLOWS: dict[str, Follows] = {
    # Art 31(3)-(4): confirm first where the channel needs it, then register; Art 30's
    # correction notice is a side step (secondary), never the primary one.
    S.RECEIVED: Follows((T.CONFIRM_RECEIPT, T.REGISTER, T.REPLY_ON_THE_SPOT)),
    S.REGISTERED: Follows((T.ASSIGN,)),
    S.CORRECTION: Follows((T.RECEIVE_CORRECTION,), ("correction_deadline_on",)),
    S.HANDLING: Follows((T.CLAIM, T.GIVE_OPINION), ("division_due_on",)),
    S.INVESTIGATION: Follows(
        (T.PROPOSE, T.CLOSE_CONSULTATION, T.GIVE_OPINION), ("division_due_on",)
    ),
    S.AWAITING_FEE: Follows(
        (T.RECEIVE_FEE, T.CLOSE_CONSULTATION), ("division_due_on", "fee_due_on")
    ),
    S.REVIEW: Follows((T.APPROVE, T.CHECK, T.EXTEND, "reject_extension", T.CLOSE_CONSULTATION)),
    # The reply letter (letters.registry: the kinds `issue_reply` records), issued on the
    # letters page.
    S.APPROVED: Follows((T.ISSUE_REPLY,)),
    S.REPLIED: Follows((T.RECORD_DELIVERY, T.ARCHIVE)),
}


def next_steps(status: str) -> tuple[str, ...]:
    """The flow's next steps in `status`, best first."""
    return FOLLOWS.get(status, Follows()).steps


def deadline_states() -> dict[str, tuple[str, ...]]:
    """Each internal deadline and the statuses in which it runs."""
    result: dict[str, tuple[str, ...]] = {}
    for status, follows in FOLLOWS.items():
        for name in follows.deadlines:
            result[name] = (*result.get(name, ()), status)
    return result
