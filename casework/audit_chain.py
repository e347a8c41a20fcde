"""The hash chain of the audit ledger (审计链): each event's hash covers its content and the
hash of the case's previous event, so a changed, removed or inserted event breaks the chain.

The chain is per case: the case's row lock, already held by every writer of events, is then
enough to keep it linear. The first event of a case links to `GENESIS`. The canonical form is
fixed: changing it needs a migration that re-hashes every event (see migration 0013).
This module imports no model, so migrations can use it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

GENESIS = "0" * 64


def _iso(value: date | datetime | str) -> str:
    if isinstance(value, datetime):
        # Databases hand back UTC; the writer may hold local time: hash the same instant.
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def event_digest(
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
    payload: Any,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of the event's canonical JSON: sorted keys, UTF-8 text, ISO dates."""
    canonical = json.dumps(
        {
            "case": case_id,
            "seq": seq,
            "kind": kind,
            "actor": actor_id,
            "actor_name": actor_name,
            "role": actor_role,
            "on": _iso(on),
            "entered_at": _iso(entered_at),
            "from": from_status,
            "to": to_status,
            "payload": payload,
            "prev": prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def event_digest_of(event: Any) -> str:
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
