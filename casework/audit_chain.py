"""The hash chain of the audit ledger (审计链): each event's hash covers its content and the
hash of the case's previous event, so a changed, removed or inserted event breaks the chain.

The chain is per case: the case's row lock, already held by every writer of events, is then
enough to keep it linear. The first event of a case links to `GENESIS`.

On PostgreSQL the database writes the chain (migration 0018): a BEFORE INSERT trigger sets
the event's `seq`, its entry time (`entered_at`, the database's clock), `prev_hash` and `hash`,
whatever the application sent, so the application's role cannot choose them (docs/DEPLOY.md
§8). The trigger hashes `jsonb_build_object(...)::text`, jsonb's canonical text (keys sorted
by byte length, then bytes; `", "` and `": "` separators). This module computes the very same
text in Python: for SQLite (which has no roles and no trigger: the ledger computes the chain
there) and for `verify_audit`, which re-checks the database's hashes independently. The
canonical form is fixed: changing it needs a migration that re-hashes every event (see
migrations 0013 and 0018). This module imports no model, so migrations can use it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Protocol, TypedDict, Unpack

GENESIS = "0" * 64


def _on_text(value: date | str) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _entered_text(value: datetime | str) -> str:
    """The instant in UTC with microseconds, as the trigger's
    `to_char(entered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f")


def _number_text(value: float) -> str:
    """A JSON number as PostgreSQL's numeric prints it (no exponent)."""
    return format(Decimal(repr(value)), "f")


def jsonb_text(value: object) -> str:
    """`value` as PostgreSQL prints the jsonb it parses to (`jsonb::text`)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        keys = sorted((str(k) for k in value), key=lambda k: (len(k.encode()), k.encode()))
        items = {str(k): v for k, v in value.items()}
        return "{" + ", ".join(f"{jsonb_text(k)}: {jsonb_text(items[k])}" for k in keys) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(jsonb_text(v) for v in value) + "]"
    return jsonb_text(str(value))


def event_canonical(
    *,
    case_id: int,
    seq: int,
    kind: str,
    actor_id: int | None,
    actor_name: str,
    actor_role: str,
    on: date | str,
    entered_at: datetime | str,
    from_status: str,
    to_status: str,
    payload: object,
    prev_hash: str,
) -> str:
    """The event's canonical text: the trigger's `jsonb_build_object(...)::text`."""
    return jsonb_text(
        {
            "case": case_id,
            "seq": seq,
            "kind": kind,
            "actor": actor_id,
            "actor_name": actor_name,
            "role": actor_role,
            "on": _on_text(on),
            "entered_at": _entered_text(entered_at),
            "from": from_status,
            "to": to_status,
            "payload": payload,
            "prev": prev_hash,
        }
    )


class CanonicalFields(TypedDict):
    """The fields of an event that its canonical text covers (`event_canonical`)."""

    case_id: int
    seq: int
    kind: str
    actor_id: int | None
    actor_name: str
    actor_role: str
    on: date | str
    entered_at: datetime | str
    from_status: str
    to_status: str
    payload: object
    prev_hash: str


class ChainedEvent(Protocol):
    """An Event, or the historical model's instance a migration holds."""

    @property
    def case_id(self) -> int: ...
    @property
    def seq(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def actor_name(self) -> str: ...
    @property
    def actor_role(self) -> str: ...
    @property
    def on(self) -> date | str: ...
    @property
    def entered_at(self) -> datetime | str: ...
    @property
    def from_status(self) -> str: ...
    @property
    def to_status(self) -> str: ...
    @property
    def payload(self) -> object: ...
    @property
    def prev_hash(self) -> str: ...


def event_digest(**fields: Unpack[CanonicalFields]) -> str:
    """SHA-256 (hex) of the event's canonical text in UTF-8 (`event_canonical`)."""
    return hashlib.sha256(event_canonical(**fields).encode("utf-8")).hexdigest()


def event_digest_of(event: ChainedEvent) -> str:
    """The digest an Event (or a historical-model instance) should carry."""
    return event_digest(
        case_id=event.case_id,
        seq=event.seq,
        kind=event.kind,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        actor_role=event.actor_role,
        on=event.on,
        entered_at=event.entered_at,
        from_status=event.from_status,
        to_status=event.to_status,
        payload=event.payload,
        prev_hash=event.prev_hash,
    )


def anchor_digest(heads: list[tuple[int, int, str]]) -> str:
    """One hash over the heads (case id, seq, hash) of all chains: published daily, it makes
    the removal of a chain's latest events evident too."""
    lines = "\n".join(f"{case_id}:{seq}:{h}" for case_id, seq, h in sorted(heads))
    return hashlib.sha256(lines.encode("ascii")).hexdigest()
