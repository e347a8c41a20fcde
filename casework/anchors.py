"""Published audit anchors (审计锚点): kept outside the database, so that a later
`verify_audit` can prove that no chain was cut short and that nothing appended since was
entered for a time before the anchor (issue 22, point 5).

Each anchor the daily digest sends to the OGI office is also written to the security log
(logger `casework.security`) and appended to `AUDIT_ANCHOR_FILE` (default
`DATA_DIR/anchors/anchors.log`, mode 0600, opened append-only): one line per anchor,
`<ISO time> <HASH>@<EVENT_ID> <chains>`. `verify_audit` checks the latest line by default.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from casework.ledger import Anchor
from casework.logging import security_log


def anchor_file() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def anchor_publish(anchor: Anchor) -> None:
    """Log the anchor and append it to the anchor file (created 0600, never rewritten).
    `anchor` is one just taken (`audit_anchor()`), so it carries its time."""
    if anchor.at is None:
        raise ValueError("only an anchor just taken, with its time, is published")
    security_log.info(
        "audit anchor %s at %s: %s chains", anchor, anchor.at.isoformat(), anchor.chains
    )
    path = anchor_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{anchor.at.isoformat()} {anchor} {anchor.chains}\n".encode("ascii"))
    finally:
        os.close(fd)


def anchor_published_on(day: date) -> bool:
    """Whether the latest published anchor was taken on `day` (local date)."""
    latest = anchor_latest_published()
    return latest is not None and latest.at is not None and timezone.localdate(latest.at) == day


def anchor_parse(text: str) -> Anchor:
    """`HASH@EVENT_ID`, optionally followed by `@ISO-TIME` (the time it was taken)."""
    digest, _, rest = text.strip().partition("@")
    last_id, _, at = rest.partition("@")
    if not last_id.isdigit() or len(digest) != 64:
        raise ValueError(text)
    return Anchor(
        digest=digest, last_id=int(last_id), chains=0, at=datetime.fromisoformat(at) if at else None
    )


def anchor_latest_published() -> Anchor | None:
    """The last anchor of the anchor file, or None when none was published yet."""
    path = anchor_file()
    if not path.exists():
        return None
    lines = [line for line in path.read_text("ascii").splitlines() if line.strip()]
    if not lines:
        return None
    at, anchor, chains = lines[-1].split()
    digest, _, last_id = anchor.partition("@")
    return Anchor(
        digest=digest, last_id=int(last_id), chains=int(chains), at=datetime.fromisoformat(at)
    )
