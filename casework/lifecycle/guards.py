"""Conditions a transition needs beyond its source state, each answering why it cannot happen
now (a Chinese message) or None. The lifecycle raises WrongState with the message; the
actions offered to a user leave out what would fail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from casework.choices import CHANNELS_NEEDING_CONFIRMATION, CHANNELS_ON_THE_SPOT, CaseStatus
from casework.choices import Transition as T
from casework.library.selectors import earlier_open_requests

if TYPE_CHECKING:
    from casework.lifecycle.machine import CaseLifecycle
    from casework.models import Event


def receipt_unconfirmed(lc: CaseLifecycle) -> str | None:
    """Art 31(3)-(4): only ordinary letters, online, e-mail and fax wait for confirmation."""
    if lc.case.channel not in CHANNELS_NEEDING_CONFIRMATION or lc.case.received_on is not None:
        return _("The date of receipt of this application is already fixed.")
    return None


def receipt_known(lc: CaseLifecycle) -> str | None:
    if lc.case.received_on is None:
        return _("Confirm the receipt with the applicant before registering (Art 31).")
    return None


def at_the_counter(lc: CaseLifecycle) -> str | None:
    """Art 33(1): only an applicant standing at the counter is answered on the spot."""
    if lc.case.channel not in CHANNELS_ON_THE_SPOT:
        return _("Only applications handed in at the counter can be answered on the spot.")
    return None


def on_the_day_of_receipt(lc: CaseLifecycle) -> str | None:
    """Art 33(1): an on-the-spot reply is given on the day the application is received; on a
    later day it is not offered (its page and API answered 400: issue 24 point 2). Recording
    one given that day, later, names that day as the effective date."""
    if lc.case.received_on != lc.on:
        return _("An on-the-spot reply is given on the day of receipt.")
    return None


def no_correction_yet(lc: CaseLifecycle) -> str | None:
    """Art 30: one notice that lists everything (一次性告知)."""
    if lc.has_event(T.REQUEST_CORRECTION):
        return _("A correction can be requested only once (Art 30).")
    return None


def consultation_open(lc: CaseLifecycle) -> str | None:
    if not lc.open_consultations():
        return _("There is no open consultation with this id.")
    return None


def no_consultation_open(lc: CaseLifecycle) -> str | None:
    if lc.open_consultations():
        return _("Close the open consultations before proposing a decision.")
    return None


def not_extended(lc: CaseLifecycle) -> str | None:
    """Art 33(2): the reply period is extended once at most."""
    if lc.case.extension_days or lc.has_event(T.EXTEND):
        return _("The reply period can be extended only once (Art 33).")
    return None


def _since_last_assign(lc: CaseLifecycle) -> list[Event]:
    """The events since the case was last routed (a hand-back starts the routing over)."""
    events = lc.events()
    last = max((n for n, e in enumerate(events) if e.kind == T.ASSIGN), default=-1)
    return events[last + 1 :]


def opinion_owed(lc: CaseLifecycle) -> str | None:
    division = lc.actor_co_division()
    if division is None:
        return _("Your division is not a co-division of this case.")
    given = {
        e.payload.get("division_id") for e in _since_last_assign(lc) if e.kind == T.GIVE_OPINION
    }
    if division.pk in given:
        return _("Your division has already given its opinion.")
    return None


def not_proposed_yet(lc: CaseLifecycle) -> str | None:
    """A case is handed back before the division proposes a decision; after that the review
    (return_for_revision) or the office's transfer moves it."""
    if any(e.kind == T.PROPOSE for e in _since_last_assign(lc)):
        return _("A decision has already been proposed; the case can no longer be handed back.")
    return None


def no_consultation_pending(lc: CaseLifecycle) -> str | None:
    """Art 32/34: a consultation the division opened is closed before it gives the case up."""
    if lc.open_consultations():
        return _("Close the open consultations before handing the case back.")
    return None


def applicant_deadline_passed(lc: CaseLifecycle) -> str | None:
    """Art 30 / 109号: abandonment only after the applicant's own deadline."""
    deadline = (
        lc.case.correction_deadline_on
        if lc.source_status == CaseStatus.CORRECTION
        else lc.case.fee_due_on
    )
    if deadline is None or lc.on <= deadline:
        return _("The applicant's deadline has not passed yet.")
    return None


def _extension_pending(lc: CaseLifecycle) -> bool:
    """A request to extend that no approval or rejection has answered yet."""
    for event in reversed(lc.events()):
        if event.kind == T.REQUEST_EXTENSION:
            return True
        if event.kind in (T.EXTEND, "reject_extension"):
            return False
    return False


def no_extension_pending(lc: CaseLifecycle) -> str | None:
    if _extension_pending(lc):
        return _("An extension request is already waiting for the head of the office.")
    return None


def extension_pending(lc: CaseLifecycle) -> str | None:
    if not _extension_pending(lc):
        return _("There is no extension request to decide.")
    return None


def not_urged_today(lc: CaseLifecycle) -> str | None:
    """One urge per case, per supervisor, per day: more adds noise, not pressure."""
    user_id = getattr(lc.actor.user, "pk", None)
    if any(e.kind == T.URGE and e.actor_id == user_id and e.on == lc.on for e in lc.events()):
        return _("You have already urged this case today.")
    return None


def not_checked_yet(lc: CaseLifecycle) -> str | None:
    """审核 passes a proposal once; the next step is the head's sign-off."""
    for event in reversed(lc.events()):
        if event.kind == T.CHECK:
            return _("The proposal has already been reviewed; it waits for sign-off.")
        if event.kind == T.PROPOSE:
            return None
    return None


def earlier_request_open(lc: CaseLifecycle) -> str | None:
    """A duplicate is merged only into the same applicant's earlier request that is still
    open; once that one is answered, Art 36(6) applies instead (issue 25 point 2)."""
    if not earlier_open_requests(lc.case).exists():
        return _("The same applicant has no earlier request still open here to merge into.")
    return None
