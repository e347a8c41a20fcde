"""The event ledger: the one way an audit Event is written (DESIGN §3).

The lifecycle appends one event per transition; the bulk recompute appends many in one
statement. Both number events per case with `seq` (unique per case), under the case's row
lock held by the caller, and chain them per case: each event's hash covers its content and
the hash of the case's previous event (casework/audit_chain.py).

On PostgreSQL the database writes `seq`, the entry time and both hashes (a trigger, migration
0018): what the ledger computes here is overridden, and `event_append` reads the database's
values back. The lifecycle's `now` is then the effective logic's clock only; the recorded entry
time is the database's. SQLite has no trigger (and no roles): the values computed here stand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from casework.audit_chain import GENESIS, anchor_digest, event_digest_of
from casework.models import Case, Event
from casework.payloads import Payload

if TYPE_CHECKING:
    from casework.lifecycle.actors import Staff


@dataclass(frozen=True)
class EventRow:
    """One event to append to the ledger of case `case_id`."""

    case_id: int
    kind: str
    actor_user: Staff | None
    actor_name: str
    actor_role: str
    on: date
    entered_at: datetime
    from_status: str
    to_status: str
    payload: Payload


def _event(row: EventRow, seq: int, prev_hash: str) -> Event:
    event = Event(
        case_id=row.case_id,
        seq=seq,
        kind=row.kind,
        actor=row.actor_user,
        actor_name=row.actor_name,
        actor_role=row.actor_role,
        on=row.on,
        entered_at=row.entered_at,
        from_status=row.from_status,
        to_status=row.to_status,
        payload=row.payload,
        prev_hash=prev_hash,
    )
    event.hash = event_digest_of(event)
    return event


def event_append(row: EventRow) -> Event:
    """Append one event to the ledger of case `row.case_id` (the caller holds the case's row
    lock)."""
    last = Event.objects.filter(case_id=row.case_id).order_by("-seq")
    seq, prev = last.values_list("seq", "hash").first() or (0, GENESIS)
    event = _event(row, seq + 1, prev)
    event.save()
    event.refresh_from_db(fields=["seq", "entered_at", "prev_hash", "hash"])
    return event


def events_append_bulk(rows: list[EventRow], *, batch_size: int = 1000) -> None:
    """Append many events (at most one per case) in one statement per batch; the caller holds
    the row locks of their cases."""
    if not rows:
        return
    heads = _heads(case_id__in={r.case_id for r in rows})
    events = []
    for r in rows:
        seq, prev = heads.get(r.case_id, (0, GENESIS))
        event = _event(r, seq + 1, prev)
        heads[r.case_id] = (event.seq, event.hash)
        events.append(event)
    Event.objects.bulk_create(events, batch_size=batch_size)


def _heads(**filters: Any) -> dict[int, tuple[int, str]]:
    """The latest (seq, hash) of each case among the events matching `filters`."""
    latest = Event.objects.filter(case_id=OuterRef("case_id"), **filters).order_by("-seq")
    return {
        case_id: (seq, h)
        for case_id, seq, h in Event.objects.filter(
            seq=Subquery(latest.values("seq")[:1]), **filters
        ).values_list("case_id", "seq", "hash")
    }


@dataclass(frozen=True)
class Anchor:
    """The daily anchor: one hash over the heads of all chains up to event `last_id`, taken
    at `at` (the database's clock; None for an anchor given without its time)."""

    digest: str
    last_id: int
    chains: int
    at: datetime | None = None

    def __str__(self) -> str:
        return f"{self.digest}@{self.last_id}"


def audit_anchor(*, upto_id: int | None = None) -> Anchor:
    """The anchor over all chains as they stood at event id `upto_id` (default: now). Kept
    outside the database (the digest e-mail, the log), it reveals a chain cut short too."""
    at = None
    if upto_id is None:
        at = database_now()
        upto_id = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    heads = _heads(pk__lte=upto_id)
    return Anchor(
        digest=anchor_digest([(c, s, h) for c, (s, h) in heads.items()]),
        last_id=upto_id,
        chains=len(heads),
        at=at,
    )


def database_now() -> datetime:
    """The clock that stamps events: the database's on PostgreSQL (the chain trigger's
    `clock_timestamp()`), the server's on SQLite."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT clock_timestamp()")
            now: datetime = cursor.fetchone()[0]
            return now
    return timezone.now()


# Transactions that were open when an anchor was taken may commit events stamped a moment
# before it: an event appended after the anchor may be stamped at most this much earlier.
ANCHOR_GRACE = timedelta(minutes=10)


def entered_before_anchor(anchor: Anchor) -> list[BrokenLink]:
    """Events appended after `anchor` (id above its last id) whose entry time lies before
    the anchor was taken: an entry time the database would not have written (back-dated)."""
    if anchor.at is None:
        return []
    numbers = dict(Case.objects.values_list("pk", "number"))
    return [
        BrokenLink(
            numbers.get(e.case_id, f"#{e.case_id}"),
            e.seq,
            f"录入时间 {timezone.localtime(e.entered_at):%Y-%m-%d %H:%M:%S} 早于其后"
            f"才追加的锚点（{timezone.localtime(anchor.at):%Y-%m-%d %H:%M:%S}），"
            "录入时间被倒签",
        )
        for e in Event.objects.filter(
            pk__gt=anchor.last_id, entered_at__lt=anchor.at - ANCHOR_GRACE
        ).order_by("case_id", "seq")
    ]


@dataclass(frozen=True)
class BrokenLink:
    """The first place where a case's chain does not hold."""

    case_number: str
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"{self.case_number} 第 {self.seq} 号事件：{self.problem}"


def chains_verify(*, progress: Callable[[int, int], None] | None = None) -> list[BrokenLink]:
    """Walk every case's chain in order and name its first broken link: a missing seq (an
    event removed), a `prev_hash` that is not the previous event's hash (an event before it
    removed, inserted or re-hashed), or a hash that does not match the content (changed).
    `progress(done, total)` hears every 2,000 events (the ledger can hold millions)."""
    broken: list[BrokenLink] = []
    total = Event.objects.count() if progress is not None else 0
    done = 0
    numbers = dict(Case.objects.values_list("pk", "number"))
    seen: set[int] = set()
    case_id: int | None = None
    expected_seq, prev, failed = 1, GENESIS, False
    for event in Event.objects.order_by("case_id", "seq").iterator(chunk_size=2000):
        done += 1
        if progress is not None and done % 2000 == 0:
            progress(done, total)
        if event.case_id != case_id:
            case_id, expected_seq, prev, failed = event.case_id, 1, GENESIS, False
            seen.add(case_id)
        if failed:
            continue
        problem = ""
        if event.seq != expected_seq:
            problem = f"序号应为 {expected_seq}，实为 {event.seq}（有事件被删除）"
        elif event.prev_hash != prev:
            problem = (
                f"前一哈希 {event.prev_hash[:12]}… 与上一事件的哈希 {prev[:12]}… 不符"
                "（上一事件被修改、删除或插入）"
            )
        elif event.hash != event_digest_of(event):
            problem = f"内容与其哈希 {event.hash[:12]}… 不符（本事件被修改）"
        if problem:
            broken.append(
                BrokenLink(numbers.get(event.case_id, f"#{event.case_id}"), event.seq, problem)
            )
            failed = True
        expected_seq, prev = event.seq + 1, event.hash
    if progress is not None:
        progress(done, max(total, done))
    for pk in sorted(set(numbers) - seen):
        broken.append(BrokenLink(numbers[pk], 1, "没有任何事件（事件被删除）"))
    return broken
