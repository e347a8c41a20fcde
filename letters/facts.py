"""The procedural facts a letter states, read from the case's ledger (issue 21).

A letter that says "本机关已于X告知您补正…您于Y提交补正材料" or "本机关已于X就您申请的同一政府信息
作出答复（文号）" states facts of the procedure. Each is read here from the event that records it:
the decision's facts were checked when it was proposed (casework.decision_rules); this module
checks again, before a number is taken, that the events a letter's wording relies on are in the
ledger (a case decided before the rules, an abandonment, a notice), and gives the letter its
dates and numbers.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework.choices import Disposition as D
from casework.choices import Transition as T
from casework.decision_rules import case_events, correction_exchange
from casework.errors import WrongState
from casework.models import Case, Event
from casework.payloads import Payload
from casework.text import cn_date

_cn = cn_date  # 2026年3月5日, also from an ISO string (casework.text)


def _last(events: list[Event], kind: str) -> Event | None:
    return next((e for e in reversed(events) if e.kind == kind), None)


# The letters whose wording states a procedural fact that check_fits does not already require.
FACT_CHECKED_KINDS = frozenset(
    {
        "acknowledgement",
        f"reply.{D.UNABLE_UNCLEAR_AFTER_CORRECTION}",
        f"reply.{D.OTHER_NO_CORRECTION}",
        f"reply.{D.OTHER_FEE_UNPAID}",
    }
)


def missing_facts(kind_key: str, events: list[Event], kinds: set[str] | None = None) -> list[str]:
    """What the letter of `kind_key` states that the ledger does not record (empty: nothing).
    `kinds` (the case's event kinds) suffices for the acknowledgement."""
    kinds = {e.kind for e in events} if kinds is None else kinds
    missing: list[str] = []
    if kind_key == "acknowledgement" and T.REGISTER not in kinds:
        # "您的申请已登记，编号为…" (Art 45).
        missing.append(_("the application was not registered"))
    if kind_key == f"reply.{D.UNABLE_UNCLEAR_AFTER_CORRECTION}" and not correction_exchange(events):
        missing.append(_("no correction was both requested and received"))
    if kind_key == f"reply.{D.OTHER_NO_CORRECTION}":
        asked, abandoned = _last(events, T.REQUEST_CORRECTION), _last(events, T.ABANDON)
        if asked is None or abandoned is None or abandoned.seq < asked.seq:
            missing.append(_("no correction deadline passed unanswered"))
    if kind_key == f"reply.{D.OTHER_FEE_UNPAID}":
        notified, abandoned = _last(events, T.NOTIFY_FEE), _last(events, T.ABANDON)
        if notified is None or abandoned is None or abandoned.seq < notified.seq:
            missing.append(_("no fee deadline passed unpaid"))
    return missing


def check_letter_facts(case: Case, kind_key: str, kinds: set[str]) -> None:
    """Refuse (WrongState) a letter whose stated procedural facts are not in the ledger."""
    if kind_key not in FACT_CHECKED_KINDS:
        return
    events = [] if kind_key == "acknowledgement" else case_events(case)
    missing = missing_facts(kind_key, events, kinds if kind_key == "acknowledgement" else None)
    if missing:
        raise WrongState(
            _("This letter does not fit the case: %(reason)s.") % {"reason": "；".join(missing)}
        )


def decision_facts(events: list[Event], payload: Payload) -> Payload:
    """The dates and numbers a reply states, from the ledger and the decision's event."""
    facts: Payload = {}
    exchange = correction_exchange(events)
    asked = exchange[0] if exchange else _last(events, T.REQUEST_CORRECTION)
    facts["correction_on_cn"] = _cn(asked.on) if asked else ""
    facts["correction_received_on_cn"] = _cn(exchange[1].on) if exchange else ""
    facts["correction_deadline_cn"] = _cn(asked.payload.get("deadline_on")) if asked else ""
    fee = _last(events, T.NOTIFY_FEE)
    facts["fee_notice_on_cn"] = _cn(fee.on) if fee else ""
    abandoned = _last(events, T.ABANDON)
    facts["fee_deadline_cn"] = (
        _cn(abandoned.payload.get("deadline_on"))
        if abandoned and abandoned.payload.get("disposition") == D.OTHER_FEE_UNPAID
        else ""
    )
    for key in ("earlier_case_number", "earlier_letter_number"):
        facts[key] = str(payload.get(key, ""))
    facts["earlier_reply_on_cn"] = _cn(payload.get("earlier_reply_on"))
    facts["explanation_requested_on_cn"] = _cn(payload.get("explanation_requested_on"))
    for key in ("search_places", "search_systems", "search_period", "search_terms"):
        facts[key] = str(payload.get(key, ""))
    # The wording says "经检索本机关…": a place typed as "本机关档案室" loses the repeat.
    facts["search_places"] = facts["search_places"].strip().removeprefix("本机关")
    facts["responsible_unknown"] = str(payload.get("responsible_unknown", ""))
    return facts
