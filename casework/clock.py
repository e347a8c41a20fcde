"""The statutory case clock (时限): due dates and their explanation from a case's events.

Pure: no ORM, no clock reads, no settings. Input is the case's events reduced to `ClockEvent`s
and a `WorkingCalendar`; output is a frozen `ClockResult` with every date and the segments that
produced it (DESIGN §4; OGI Regulations Arts 30–34; 国办函〔2020〕109号).

Segment kinds, in timeline order (`Segment.detail` keys in brackets):

- ``awaiting_confirmation``: the application arrived but the Art 31 receipt date is not fixed yet.
- ``receipt``: the legal receipt date, day 0 [correction_notice_due_on].
- ``correction``: a correction notice (Art 30) [deadline_on, notice_due_on, corrected_on].
- ``restart``: the corrected application was received; it is the new day 0 (Art 30).
- ``counting``: a stretch of counted working days [first_day, last_day] (numbers in the count).
- ``consultation``: a consultation (Arts 32, 34) and the working days it excludes [key, party,
  party_due_on, answered_on, excluded_until, first_excluded_on, last_excluded_on, open,
  moves_due].
- ``fee``: a fee notice (国办函〔2020〕109号) and, when it pauses the clock, the working days it
  excludes [notice_received_on, fee_due_on, paid_on, paused, open, first_excluded_on,
  last_excluded_on, moves_due].
- ``extension``: the approved extension (Art 33(2)) [days].
- ``due``: the reply due date (Art 33) [reply_days, extension_days, counted_days,
  excluded_working_days].
- ``closed``: a terminal event stopped the clock [event, in_time, late_working_days].
- ``provisional``: always last; years whose holiday arrangement is estimated [years].

`detail` values are str, int, bool, None, `date` or tuples of int; `explain` makes them JSON-safe.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Final, TypeAlias

from django.utils.translation import gettext, ngettext

from casework.payloads import JSONValue, Payload
from casework.text import cn_date
from casework.workdays import WorkingCalendar

__all__ = [
    "CLOCK_EVENT_KINDS",
    "TERMINAL_EVENT_KINDS",
    "ClockEvent",
    "ClockResult",
    "Consultation",
    "Segment",
    "compute_clock",
    "describe_segment",
    "explain",
    "format_date",
    "remaining_working_days",
    "supervision_level",
]

# Lifecycle transition names (DESIGN §3) the clock reacts to; every other kind is ignored.
RECEIVE: Final = "receive"
CONFIRM_RECEIPT: Final = "confirm_receipt"
REQUEST_CORRECTION: Final = "request_correction"
RECEIVE_CORRECTION: Final = "receive_correction"
OPEN_CONSULTATION: Final = "open_consultation"
CLOSE_CONSULTATION: Final = "close_consultation"
CONSULTATION_DELIVERED: Final = "record_consultation_delivery"
EXTEND: Final = "extend"
NOTIFY_FEE: Final = "notify_fee"
RECEIVE_FEE: Final = "receive_fee"
ISSUE_REPLY: Final = "issue_reply"
REPLY_ON_THE_SPOT: Final = "reply_on_the_spot"
WITHDRAW: Final = "withdraw"
ABANDON: Final = "abandon"
MERGE_DUPLICATE: Final = "merge_duplicate"
TERMINAL_EVENT_KINDS: Final = frozenset(
    {ISSUE_REPLY, REPLY_ON_THE_SPOT, WITHDRAW, ABANDON, MERGE_DUPLICATE}
)
CLOCK_EVENT_KINDS: Final = frozenset(
    {
        RECEIVE,
        CONFIRM_RECEIPT,
        REQUEST_CORRECTION,
        RECEIVE_CORRECTION,
        OPEN_CONSULTATION,
        CLOSE_CONSULTATION,
        CONSULTATION_DELIVERED,
        EXTEND,
        NOTIFY_FEE,
        RECEIVE_FEE,
    }
    | TERMINAL_EVENT_KINDS
)

THIRD_PARTY: Final = "third_party"  # Art 32
OTHER_ORGAN: Final = "other_organ"  # Art 34
PARTIES: Final = frozenset({THIRD_PARTY, OTHER_ORGAN})

DetailValue: TypeAlias = str | int | bool | date | tuple[int, ...] | None
"""A value of `Segment.detail` (the module docstring names the keys of each kind)."""

_EMPTY: Mapping[str, DetailValue] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class ClockEvent:
    """One lifecycle event as the clock needs it: transition name, effective date, payload.

    `payload` holds JSON-safe values (dates as ISO strings); see `compute_clock` for the keys.
    """

    kind: str
    on: date
    payload: Mapping[str, JSONValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Consultation:
    """A consultation of a third party (Art 32) or another organ (Art 34).

    `party_due_on` is the consulted party's own deadline, the 15th working day after it
    received the letter (Art 32; `delivered_on`), estimated from `sent_on` until the delivery
    is recorded (`estimated`); `excluded_until` is the last day the reply clock stands still for it: the answer
    day, capped at `party_due_on`, or `party_due_on` while no answer has arrived (`sent_on`
    itself when nothing is excluded).
    """

    key: str
    party: str
    sent_on: date
    party_due_on: date
    answered_on: date | None
    excluded_until: date
    delivered_on: date | None = None
    estimated: bool = True


@dataclass(frozen=True, slots=True)
class Segment:
    """One step of the clock's timeline; see the module docstring for kinds and detail keys."""

    kind: str
    start: date
    end: date | None
    working_days: int | None
    detail: Mapping[str, DetailValue]


@dataclass(frozen=True, slots=True)
class ClockResult:
    """Every date of a case's clock, with the segments that explain them.

    `reply_due_on` is None before the receipt date is known and while a correction is
    awaited (Art 30: the reply period only starts again with the corrected application).
    """

    started_on: date | None
    reply_due_on: date | None
    correction_notice_due_on: date | None
    correction_deadline_on: date | None
    fee_due_on: date | None
    extension_days: int
    consultations: tuple[Consultation, ...]
    excluded_working_days: int
    provisional: bool
    closed_on: date | None
    segments: tuple[Segment, ...]


def _as_date(value: object, what: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{what}: expected an ISO date, got {value!r}")


def _optional_date(payload: Mapping[str, JSONValue], key: str, what: str) -> date | None:
    value = payload.get(key)
    return None if value is None else _as_date(value, what)


class _OpenPeriod:
    """A consultation or fee period while events are replayed (mutable, internal)."""

    __slots__ = ("closed_on", "delivered", "key", "party", "received_on", "sent_on")

    def __init__(self, key: str, party: str, sent_on: date, received_on: date) -> None:
        self.key = key
        self.party = party
        self.sent_on = sent_on
        self.received_on = received_on  # the party's (or applicant's) receipt of the letter
        self.delivered = False  # whether that receipt is recorded or still the sending day
        self.closed_on: date | None = None


# Timeline order of segments that start on the same day.
_RANK: Final = {
    "awaiting_confirmation": 0,
    "receipt": 1,
    "correction": 2,
    "restart": 3,
    "counting": 4,
    "consultation": 5,
    "fee": 5,
    "extension": 6,
    "due": 7,
    "closed": 8,
}


def _segment_order(segment: Segment) -> tuple[date, int]:
    return segment.start, _RANK[segment.kind]


def compute_clock(
    events: Sequence[ClockEvent],
    calendar: WorkingCalendar,
    *,
    fee_pauses_clock: bool = True,
    reply_days: int = 20,
    correction_notice_days: int = 7,
    consultation_days: int = 15,
    fee_payment_days: int = 20,
    max_extension_days: int = 20,
) -> ClockResult:
    """Replay the clock events of one case (in their recorded order) and compute its dates.

    Event payloads (the contract with the lifecycle):
    ``receive`` [received_on when the channel fixes it at once], ``confirm_receipt``
    [received_on, Art 31], ``request_correction`` [deadline_on], ``receive_correction``,
    ``open_consultation`` [consultation_id, party], ``close_consultation`` [consultation_id],
    ``extend`` [days], ``notify_fee`` [notice_received_on, default `on`], ``receive_fee``; the
    terminal ``issue_reply``, ``reply_on_the_spot``, ``withdraw``, ``abandon``, ``merge_duplicate`` stop the
    clock on `on`. Other kinds are ignored.

    Counting (LAW §4.1): the receipt day is day 0, day 1 the first working day after it.
    - Art 33: the reply is due on the `reply_days`-th counted working day (+ the extension).
    - Art 30: the correction notice is due `correction_notice_days` working days after the
      original receipt; the corrected application's arrival is the new day 0.
    - Arts 32–34: the working days after the day a consultation is sent, up to and including
      the answer day — at most up to the party's deadline (`consultation_days` working days
      after sending), or up to that deadline while unanswered — are not counted. Overlapping
      consultations exclude a working day once. Exclusions only move the due date if they fall
      before it: due = the (reply_days + extension)-th non-excluded working day after day 0.
    - 国办函〔2020〕109号: the fee is due on the `fee_payment_days`-th working day after the
      applicant received the notice; when `fee_pauses_clock` (UNCONFIRMED rule, a setting), the
      notice-to-payment period is excluded like a consultation.

    Raises ValueError for an inconsistent history: a second extension or one outside
    1..`max_extension_days`, an unknown or repeated consultation id, a payment without notice,
    a malformed date.
    """
    if reply_days < 1 or correction_notice_days < 1 or consultation_days < 1:
        raise ValueError("statutory periods must be at least one working day")
    if fee_payment_days < 1 or max_extension_days < 0:
        raise ValueError("the fee period must be at least one working day, extensions >= 0")

    ledger = _replay(events, max_extension_days=max_extension_days)
    received_on = ledger.received_on
    if received_on is None:
        return _unconfirmed_result(ledger)

    number = calendar.working_day_number
    by_number = calendar.working_day_by_number
    correction_notice_due_on = by_number(number(received_on) + correction_notice_days)
    awaiting_correction = ledger.correction_on is not None and ledger.restarted_on is None
    started_on = None if awaiting_correction else (ledger.restarted_on or received_on)
    segments = _receipt_segments(ledger, received_on, correction_notice_due_on)

    # Exclusions as closed intervals of working-day numbers [lo, hi]; base = day 0's number.
    base = number(started_on) if started_on is not None else 0
    found = _exclusions(
        ledger,
        calendar,
        base=base,
        consultation_days=consultation_days,
        fee_payment_days=fee_payment_days,
        fee_pauses_clock=fee_pauses_clock,
    )
    latest = max(
        correction_notice_due_on,
        ledger.correction_deadline_on or correction_notice_due_on,
        found.latest or correction_notice_due_on,
    )

    reply_due_on: date | None = None
    excluded = 0
    due_n = 0
    if started_on is not None:
        target = reply_days + ledger.extension_days
        due_n, excluded, counting = _count(base, target, found.intervals, calendar)
        reply_due_on = by_number(due_n)
        segments.extend(counting)
        if reply_due_on > latest:
            latest = reply_due_on
        if ledger.extension_on is not None:
            days = ledger.extension_days
            segments.append(Segment("extension", ledger.extension_on, None, days, {"days": days}))
        segments.append(
            Segment(
                "due",
                reply_due_on,
                reply_due_on,
                target,
                {
                    "reply_days": reply_days,
                    "extension_days": ledger.extension_days,
                    "counted_days": target,
                    "excluded_working_days": excluded,
                },
            )
        )

    segments.extend(
        _exclusion_segments(
            found.excluders,
            calendar,
            due_n=due_n,
            started=started_on is not None,
            fee_pauses_clock=fee_pauses_clock,
        )
    )
    closed_on = ledger.closed_on
    if closed_on is not None:
        late = 0
        if reply_due_on is not None and closed_on > reply_due_on:
            # A reply on the weekend after a Friday due date is still late: at least 1.
            late = max(1, number(closed_on) - due_n)
        segments.append(_closed_segment(ledger.closed_kind, closed_on, reply_due_on, late))

    if found.excluders or ledger.extension_on is not None or closed_on is not None:
        segments.sort(key=_segment_order)  # otherwise built in timeline order already
    provisional = calendar.spans_provisional(received_on, latest)
    if provisional:
        segments.append(_provisional_segment(calendar, received_on, latest))

    return ClockResult(  # positional: this runs for every case on every recomputation
        started_on,
        reply_due_on,
        correction_notice_due_on,
        ledger.correction_deadline_on,
        found.fee_due_on,
        ledger.extension_days,
        tuple(found.consultations),
        excluded,
        provisional,
        closed_on,
        tuple(segments),
    )


# --- 1. replay: the ledger's clock facts, in recorded order ----------------------------------


class _Ledger:
    """What the clock needs from a case's events (mutable while replaying, internal)."""

    __slots__ = (
        "arrived_on",
        "closed_kind",
        "closed_on",
        "consultations",
        "correction_deadline_on",
        "correction_on",
        "extension_days",
        "extension_on",
        "fees",
        "received_on",
        "restarted_on",
    )

    def __init__(self) -> None:
        self.arrived_on: date | None = None
        self.received_on: date | None = None  # the original (Art 31) receipt date
        self.restarted_on: date | None = None  # the corrected application's receipt (Art 30)
        self.correction_on: date | None = None
        self.correction_deadline_on: date | None = None
        self.extension_days = 0
        self.extension_on: date | None = None
        self.consultations: dict[str, _OpenPeriod] = {}
        self.fees: list[_OpenPeriod] = []
        self.closed_on: date | None = None
        self.closed_kind = ""


def _replay(events: Sequence[ClockEvent], *, max_extension_days: int) -> _Ledger:
    """Replay the clock events; raise ValueError for an inconsistent history."""
    ledger = _Ledger()
    extension_seen = False
    for event in events:
        kind = event.kind
        if kind not in CLOCK_EVENT_KINDS:
            continue
        payload = event.payload
        if kind == RECEIVE:
            ledger.arrived_on = event.on
            value = payload.get("received_on")
            if value is not None:
                ledger.received_on = (
                    date.fromisoformat(value)
                    if type(value) is str and len(value) == 10
                    else _as_date(value, "receive.received_on")
                )
        elif kind == CONFIRM_RECEIPT:
            ledger.received_on = _as_date(payload.get("received_on"), "confirm_receipt.received_on")
        elif kind == REQUEST_CORRECTION:
            ledger.correction_on = event.on
            ledger.correction_deadline_on = _optional_date(
                payload, "deadline_on", "request_correction.deadline_on"
            )
            ledger.restarted_on = None
        elif kind == RECEIVE_CORRECTION:
            ledger.restarted_on = event.on
            # Art 30: a new count; an extension granted before it no longer applies.
            ledger.extension_days = 0
            ledger.extension_on = None
        elif kind == OPEN_CONSULTATION:
            key = str(payload.get("consultation_id", ""))
            if not key or key in ledger.consultations:
                raise ValueError(f"open_consultation: missing or repeated consultation_id {key!r}")
            party = str(payload.get("party", THIRD_PARTY))
            if party not in PARTIES:
                raise ValueError(f"open_consultation: unknown party {party!r}")
            ledger.consultations[key] = _OpenPeriod(key, party, event.on, event.on)
        elif kind == CLOSE_CONSULTATION:
            key = str(payload.get("consultation_id", ""))
            period = ledger.consultations.get(key)
            if period is None or period.closed_on is not None:
                raise ValueError(f"close_consultation: no open consultation {key!r}")
            period.closed_on = event.on
        elif kind == CONSULTATION_DELIVERED:
            # Art 32: the party's 15 working days run from its receipt of the letter.
            key = str(payload.get("consultation_id", ""))
            period = ledger.consultations.get(key)
            if period is None:
                raise ValueError(f"{kind}: no consultation {key!r}")
            period.received_on = event.on
            period.delivered = True
        elif kind == EXTEND:
            if extension_seen:
                raise ValueError("extend: the reply period may be extended only once (Art 33)")
            days = payload.get("days")
            if type(days) is not int or not 1 <= days <= max_extension_days:
                raise ValueError(
                    f"extend: days must be an integer in 1..{max_extension_days}, got {days!r}"
                )
            extension_seen = True
            ledger.extension_days = days
            ledger.extension_on = event.on
        elif kind == NOTIFY_FEE:
            notice_received_on = (
                _optional_date(payload, "notice_received_on", "notify_fee.notice_received_on")
                or event.on
            )
            ledger.fees.append(
                _OpenPeriod(str(len(ledger.fees) + 1), "", event.on, notice_received_on)
            )
        elif kind == RECEIVE_FEE:
            if not ledger.fees or ledger.fees[-1].closed_on is not None:
                raise ValueError("receive_fee: no fee notice awaiting payment")
            ledger.fees[-1].closed_on = event.on
        else:  # terminal: the first one stops the clock; nothing after it counts
            ledger.closed_on = event.on
            ledger.closed_kind = kind
            break
    return ledger


def _unconfirmed_result(ledger: _Ledger) -> ClockResult:
    """Art 31(3)-(4): no legal date of receipt yet, so no clock."""
    segments: list[Segment] = []
    if ledger.arrived_on is not None:
        segments.append(Segment("awaiting_confirmation", ledger.arrived_on, None, None, _EMPTY))
    if ledger.closed_on is not None:
        segments.append(_closed_segment(ledger.closed_kind, ledger.closed_on, None, 0))
    return ClockResult(
        started_on=None,
        reply_due_on=None,
        correction_notice_due_on=None,
        correction_deadline_on=ledger.correction_deadline_on,
        fee_due_on=None,
        extension_days=ledger.extension_days,
        consultations=(),
        excluded_working_days=0,
        provisional=False,
        closed_on=ledger.closed_on,
        segments=tuple(segments),
    )


def _receipt_segments(
    ledger: _Ledger, received_on: date, correction_notice_due_on: date
) -> list[Segment]:
    segments = [
        Segment(
            "receipt",
            received_on,
            received_on,
            0,
            {"correction_notice_due_on": correction_notice_due_on},
        )
    ]
    if ledger.correction_on is not None:
        segments.append(
            Segment(
                "correction",
                ledger.correction_on,
                ledger.restarted_on,
                None,
                {
                    "deadline_on": ledger.correction_deadline_on,
                    "notice_due_on": correction_notice_due_on,
                    "corrected_on": ledger.restarted_on,
                },
            )
        )
    if ledger.restarted_on is not None:
        segments.append(Segment("restart", ledger.restarted_on, ledger.restarted_on, 0, _EMPTY))
    return segments


# --- 2. exclusions: consultations (Arts 32–34) and fee periods (109号) --------------------------


# (kind, period, lo, hi, the party's or the fee's deadline, excluded_until)
_Excluder = tuple[str, _OpenPeriod, int, int, date, date]


class _Exclusions:
    __slots__ = ("consultations", "excluders", "fee_due_on", "intervals", "latest")

    def __init__(self) -> None:
        self.intervals: list[
            tuple[int, int]
        ] = []  # (lo, hi) of the exclusions that pause the clock
        self.excluders: list[_Excluder] = []
        self.consultations: list[Consultation] = []
        self.fee_due_on: date | None = None
        self.latest: date | None = None  # the latest deadline of a party or a fee

    def reach(self, day: date) -> None:
        if self.latest is None or day > self.latest:
            self.latest = day


def _bounded(
    period: _OpenPeriod, due_n: int, due_on: date, calendar: WorkingCalendar
) -> tuple[int, date]:
    """The last excluded working-day number and day: the answer (or payment) day, at most the
    period's own deadline; the deadline itself while it is open."""
    closed_on = period.closed_on
    if closed_on is None:
        hi, until = due_n, due_on
    else:
        closed_n = calendar.working_day_number(closed_on)
        hi = closed_n if closed_n < due_n else due_n
        until = closed_on if closed_on < due_on else due_on
    return hi, (until if until >= period.sent_on else period.sent_on)


def _exclusions(
    ledger: _Ledger,
    calendar: WorkingCalendar,
    *,
    base: int,
    consultation_days: int,
    fee_payment_days: int,
    fee_pauses_clock: bool,
) -> _Exclusions:
    """The working days that do not count: after the sending day up to the answer (at most the
    party's deadline); and, when `fee_pauses_clock`, from the fee notice to the payment."""
    number, by_number = calendar.working_day_number, calendar.working_day_by_number
    found = _Exclusions()
    for period in ledger.consultations.values():
        sent_n = number(period.sent_on)
        party_due_n = number(period.received_on) + consultation_days
        party_due_on = by_number(party_due_n)
        hi, excluded_until = _bounded(period, party_due_n, party_due_on, calendar)
        found.reach(party_due_on)
        found.consultations.append(
            Consultation(
                period.key,
                period.party,
                period.sent_on,
                party_due_on,
                period.closed_on,
                excluded_until,
                period.received_on if period.delivered else None,
                not period.delivered,
            )
        )
        lo = sent_n + 1 if sent_n >= base else base + 1
        found.excluders.append(("consultation", period, lo, hi, party_due_on, excluded_until))
        if hi >= lo:
            found.intervals.append((lo, hi))
    for period in ledger.fees:
        fee_due_n = number(period.received_on) + fee_payment_days
        fee_due_on = by_number(fee_due_n)
        found.fee_due_on = fee_due_on
        found.reach(fee_due_on)
        hi, excluded_until = _bounded(period, fee_due_n, fee_due_on, calendar)
        sent_n = number(period.sent_on)
        lo = sent_n + 1 if sent_n >= base else base + 1
        found.excluders.append(("fee", period, lo, hi, fee_due_on, excluded_until))
        if fee_pauses_clock and hi >= lo:
            found.intervals.append((lo, hi))
    return found


# --- 3. counting: the due date past the exclusions ---------------------------------------------


def _count(
    base: int, target: int, intervals: list[tuple[int, int]], calendar: WorkingCalendar
) -> tuple[int, int, list[Segment]]:
    """Count `target` working days after day 0 (number `base`), skipping the excluded
    intervals; a working day excluded twice (overlap) is skipped once. Returns the due day's
    number, the excluded working days that moved it, and the counting segments."""
    by_number = calendar.working_day_by_number
    segments: list[Segment] = []
    position = base  # the last working-day number already accounted for
    remaining = target
    counted = 0
    excluded = 0
    if len(intervals) > 1:
        intervals = sorted(intervals)
    for lo, hi in intervals:
        if hi <= position:
            continue  # inside a stretch already excluded (overlap)
        if lo <= position:
            lo = position + 1
        gap = lo - 1 - position
        if remaining <= gap:
            break  # this exclusion starts after the due date: it moves nothing
        if gap:
            segments.append(
                Segment(
                    "counting",
                    by_number(position + 1),
                    by_number(lo - 1),
                    gap,
                    {"first_day": counted + 1, "last_day": counted + gap},
                )
            )
            counted += gap
            remaining -= gap
        excluded += hi - lo + 1
        position = hi
    due_n = position + remaining
    segments.append(
        Segment(
            "counting",
            by_number(position + 1),
            by_number(due_n),
            remaining,
            {"first_day": counted + 1, "last_day": target},
        )
    )
    return due_n, excluded, segments


# --- 4. explanation: one segment per exclusion, and the provisional years ---------------------


def _exclusion_segments(
    excluders: list[_Excluder],
    calendar: WorkingCalendar,
    *,
    due_n: int,
    started: bool,
    fee_pauses_clock: bool,
) -> list[Segment]:
    by_number = calendar.working_day_by_number
    segments = []
    for excluder_kind, period, lo, hi, period_due_on, excluded_until in excluders:
        days = hi - lo + 1 if hi >= lo else 0
        is_open = period.closed_on is None
        end: date | None
        if excluder_kind == "consultation":
            detail: Payload = {
                "key": period.key,
                "party": period.party,
                "party_due_on": period_due_on,
                "answered_on": period.closed_on,
                "excluded_until": excluded_until,
                "delivered_on": period.received_on if period.delivered else None,
                "open": is_open,
            }
            end = excluded_until
        else:
            detail = {
                "notice_received_on": period.received_on,
                "fee_due_on": period_due_on,
                "paid_on": period.closed_on,
                "paused": fee_pauses_clock,
                "open": is_open,
            }
            if fee_pauses_clock:
                end = excluded_until
            else:
                days = 0
                end = period.closed_on
        if days:
            detail["first_excluded_on"] = by_number(lo)
            detail["last_excluded_on"] = by_number(hi)
            detail["moves_due"] = started and lo <= due_n
        else:
            detail["first_excluded_on"] = detail["last_excluded_on"] = None
            detail["moves_due"] = False
        segments.append(Segment(excluder_kind, period.sent_on, end, days, detail))
    return segments


def _provisional_segment(calendar: WorkingCalendar, earliest: date, latest: date) -> Segment:
    years = tuple(
        year
        for year in range(earliest.year, latest.year + 1)
        if calendar.is_provisional(date(year, 1, 1))
    )
    return Segment(
        "provisional", max(earliest, date(years[0], 1, 1)), latest, None, {"years": years}
    )


def _closed_segment(kind: str, closed_on: date, due_on: date | None, late: int) -> Segment:
    in_time = None if due_on is None else closed_on <= due_on
    return Segment(
        "closed",
        closed_on,
        closed_on,
        None,
        {"event": kind, "in_time": in_time, "late_working_days": late},
    )


def remaining_working_days(
    result: ClockResult, today: date, calendar: WorkingCalendar
) -> int | None:
    """Working days left to reply, for supervision (DESIGN §4).

    The working days after `today` up to and including the due date (0 on the due date
    itself); once the due date has passed, minus the working days after it up to `today`, and
    at least -1 (a weekend or holiday right after the due date is already overdue). None when
    there is no due date (no receipt yet, correction awaited) or the clock has stopped.
    """
    due = result.reply_due_on
    if due is None or result.closed_on is not None:
        return None
    if today <= due:
        return calendar.working_days_between(today, due)
    return -max(1, calendar.working_days_between(due, today))


def supervision_level(remaining: int | None, *, due_soon_within: int = 3) -> str:
    """ "on_track", "due_soon" (0 <= remaining <= due_soon_within), "overdue" (< 0) or "none"."""
    if remaining is None:
        return "none"
    if remaining < 0:
        return "overdue"
    if remaining <= due_soon_within:
        return "due_soon"
    return "on_track"


# -- explanation (lazy: never called by compute_clock) -------------------------------------


format_date = cn_date  # 2026年3月5日 (casework.text)


def _opt_date(value: object) -> str:
    return format_date(value) if isinstance(value, date) else ""


def _what(segment: Segment) -> str:
    if segment.kind == "fee":
        return gettext("The fee notice (国办函〔2020〕109号)")
    if segment.detail.get("party") == OTHER_ORGAN:
        return gettext("The consultation of another organ (Art 34)")
    return gettext("The third-party consultation (Art 32)")


def _describe_exclusion(segment: Segment) -> str:
    detail = segment.detail
    what = _what(segment)
    sent = format_date(segment.start)
    days = segment.working_days or 0
    if segment.kind == "fee" and not detail.get("paused"):
        return gettext(
            "{what} was sent on {sent}; payment is due by {fee_due}; the reply period keeps"
            " running meanwhile."
        ).format(what=what, sent=sent, fee_due=_opt_date(detail.get("fee_due_on")))
    if days == 0:
        return gettext(
            "{what} was sent on {sent}: no working day of the reply period is excluded."
        ).format(what=what, sent=sent)
    values = {
        "what": what,
        "sent": sent,
        "days": days,
        "first": _opt_date(detail.get("first_excluded_on")),
        "last": _opt_date(detail.get("last_excluded_on")),
        "answered": _opt_date(detail.get("answered_on") or detail.get("paid_on")),
        "deadline": _opt_date(detail.get("party_due_on") or detail.get("fee_due_on")),
    }
    if not detail.get("moves_due"):
        text = ngettext(
            "{what} was sent on {sent}: its {days} excluded working day falls after the due"
            " date and does not move it.",
            "{what} was sent on {sent}: its {days} excluded working days fall after the due"
            " date and do not move it.",
            days,
        )
    elif segment.kind == "fee" and detail.get("open"):
        text = ngettext(
            "{what} was sent on {sent} and the fee is not paid yet: until {deadline} at the"
            " latest, {days} working day ({first} to {last}) is not counted.",
            "{what} was sent on {sent} and the fee is not paid yet: until {deadline} at the"
            " latest, {days} working days ({first} to {last}) are not counted.",
            days,
        )
    elif segment.kind == "fee":
        text = ngettext(
            "{what} was sent on {sent} and the fee was paid on {answered}: {days} working day"
            " ({first} to {last}) is not counted.",
            "{what} was sent on {sent} and the fee was paid on {answered}: {days} working days"
            " ({first} to {last}) are not counted.",
            days,
        )
    elif detail.get("open"):
        text = ngettext(
            "{what} was sent on {sent} and is not answered yet: until {deadline} at the"
            " latest, {days} working day ({first} to {last}) is not counted.",
            "{what} was sent on {sent} and is not answered yet: until {deadline} at the"
            " latest, {days} working days ({first} to {last}) are not counted.",
            days,
        )
    else:
        text = ngettext(
            "{what} was sent on {sent} and answered on {answered}: {days} working day"
            " ({first} to {last}) is not counted.",
            "{what} was sent on {sent} and answered on {answered}: {days} working days"
            " ({first} to {last}) are not counted.",
            days,
        )
    text = text.format(**values)
    if segment.kind == "consultation" and detail.get("open"):
        delivered = detail.get("delivered_on")
        if not isinstance(delivered, date):  # None until the delivery is recorded
            text += gettext(
                " The party's deadline is an estimate from the sending day until its receipt of"
                " the letter is recorded (Art 32)."
            )
        else:
            text += gettext(" The party received the letter on {date} (Art 32).").format(
                date=format_date(delivered)
            )
    return text


def describe_segment(segment: Segment) -> str:
    """One translated sentence explaining a segment (English msgids, zh-hans catalogue)."""
    kind = segment.kind
    detail = segment.detail
    on = format_date(segment.start)
    if kind == "awaiting_confirmation":
        return gettext(
            "Arrived on {date}; the receipt date will be the day receipt is confirmed with the"
            " applicant (Art 31)."
        ).format(date=on)
    if kind == "receipt":
        return gettext("Received on {date} (day 0).").format(date=on)
    if kind == "restart":
        return gettext(
            "Corrected application received on {date}: the reply period restarts with this day"
            " as day 0 (Art 30)."
        ).format(date=on)
    if kind == "correction":
        if detail.get("corrected_on") is not None:
            return gettext(
                "Correction requested on {date} (Art 30); the corrected application was received"
                " on {corrected}."
            ).format(date=on, corrected=_opt_date(detail.get("corrected_on")))
        if detail.get("deadline_on") is not None:
            return gettext(
                "Correction requested on {date} (Art 30): the applicant has until {deadline}; the"
                " reply period restarts when the corrected application arrives."
            ).format(date=on, deadline=_opt_date(detail.get("deadline_on")))
        return gettext(
            "Correction requested on {date} (Art 30): the reply period restarts when the"
            " corrected application arrives."
        ).format(date=on)
    if kind == "counting":
        first, last = detail["first_day"], detail["last_day"]
        if first == last:
            return gettext("Working day {first} of the reply period is {start}.").format(
                first=first, start=on
            )
        return gettext(
            "Working days {first}–{last} of the reply period run from {start} to {end}."
        ).format(first=first, last=last, start=on, end=_opt_date(segment.end))
    if kind in ("consultation", "fee"):
        return _describe_exclusion(segment)
    if kind == "extension":
        days = segment.working_days or 0
        return ngettext(
            "An extension of {days} working day was approved on {date} (Art 33).",
            "An extension of {days} working days was approved on {date} (Art 33).",
            days,
        ).format(days=days, date=on)
    if kind == "due":
        excluded = detail.get("excluded_working_days", 0)
        counted = detail.get("counted_days", segment.working_days)
        if excluded:
            return gettext(
                "The reply is due on {date} (Art 33): working day {counted} of the count after"
                " day 0, with {excluded} excluded working days not counted."
            ).format(date=on, counted=counted, excluded=excluded)
        return gettext(
            "The reply is due on {date} (Art 33): working day {counted} of the count after day 0."
        ).format(date=on, counted=counted)
    if kind == "closed":
        return _describe_closed(segment)
    if kind == "provisional":
        listed = detail.get("years")
        years = "、".join(str(year) for year in listed) if isinstance(listed, tuple) else ""
        return gettext(
            "The holiday arrangement for {years} is not published yet: dates in it are estimated"
            " from weekends and statutory holidays and are provisional."
        ).format(years=years)
    raise ValueError(f"unknown segment kind {kind!r}")


def _describe_closed(segment: Segment) -> str:
    detail = segment.detail
    on = format_date(segment.start)
    event = detail.get("event")
    if event == REPLY_ON_THE_SPOT:
        return gettext("Replied on the spot on {date} (Art 33); the clock stops.").format(date=on)
    if event == WITHDRAW:
        return gettext("The application was withdrawn on {date}; the clock stops.").format(date=on)
    if event == ABANDON:
        return gettext("The application was deemed abandoned on {date}; the clock stops.").format(
            date=on
        )
    if event == MERGE_DUPLICATE:
        return gettext(
            "The application was merged into the same applicant's earlier request on {date};"
            " the clock stops."
        ).format(date=on)
    late = detail.get("late_working_days")
    if isinstance(late, int) and late:
        return ngettext(
            "The reply was issued on {date}, {late} working day after the due date; the clock"
            " stops.",
            "The reply was issued on {date}, {late} working days after the due date; the clock"
            " stops.",
            late,
        ).format(date=on, late=late)
    return gettext(
        "The reply was issued on {date}, within the time limit; the clock stops."
    ).format(date=on)


def _json_safe(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_json_safe(item) for item in value]
    return value


def explain(result: ClockResult) -> list[Payload]:
    """The timeline as JSON-safe dicts, for the API, the supervision view and letters."""
    return [
        {
            "kind": segment.kind,
            "start": segment.start.isoformat(),
            "end": None if segment.end is None else segment.end.isoformat(),
            "working_days": segment.working_days,
            "detail": {key: _json_safe(value) for key, value in segment.detail.items()},
            "text": describe_segment(segment),
        }
        for segment in result.segments
    ]
