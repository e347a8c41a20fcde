"""The receipt of an online application (issue 22, point 7): submitting twice is harmless.

The application form carries a one-time token (a hidden field). What belongs to the token is
kept on the server, shared by every worker process (the default cache: Redis in production,
the database cache in the demo), never in one process's memory:

- the query code of the submission, chosen once per token with the cache's atomic `add`, so
  two parallel posts of the same form bind and show the same code;
- the case made for it is found by the token itself (Case.submission_token is unique).

The receipt (number and code) is shown to the browser that was given the form (the token is
listed in its session) for PORTAL_RECEIPT_SECONDS after the submission; later the number
only. A lost code is never recovered (only its HMAC is stored, casework.portal): the
"forgot the query code" flow issues a new one to the applicant's e-mail address
(`query_code_reissue`), rate-limited per case and per client address.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from casework.models import Case
from casework.portal import query_code_digest, query_code_new

ISSUED = "portal_issued_tokens"
MAX_ISSUED = 10  # forms remembered per session; the oldest is dropped first


def _key(kind: str, value: str) -> str:
    return f"portal-receipt:{kind}:" + hashlib.sha256(value.encode()).hexdigest()[:40]


def token_issue(request: HttpRequest, token: str) -> None:
    """Remember in the session that this browser was given the form with `token`."""
    issued: dict[str, float | None] = request.session.get(ISSUED, {})
    issued.setdefault(token, None)
    while len(issued) > MAX_ISSUED:
        issued.pop(next(iter(issued)))
    request.session[ISSUED] = issued


def token_submitted(request: HttpRequest, token: str) -> None:
    """Record when this browser's form was submitted (the receipt's window starts then)."""
    issued: dict[str, float | None] = request.session.get(ISSUED, {})
    if not issued.get(token):
        issued[token] = time.time()
        request.session[ISSUED] = issued


def receipt_age(request: HttpRequest, token: str) -> float | None:
    """Seconds since this browser submitted the form with `token`; None if it never did."""
    at = request.session.get(ISSUED, {}).get(token) if token else None
    return None if not at else max(0.0, time.time() - float(at))


def receipt_code(token: str) -> str:
    """The query code of the submission with `token`: the first post chooses it, every
    repeat (parallel or later, within the window) gets the same one."""
    key = _key("code", token)
    cache.add(key, query_code_new(), settings.PORTAL_RECEIPT_SECONDS)
    code = cache.get(key)
    if code is None:  # evicted between add and get: choose again, atomically
        cache.add(key, query_code_new(), settings.PORTAL_RECEIPT_SECONDS)
        code = cache.get(key)
    return str(code)


def receipt_code_shown(token: str) -> str | None:
    """The code still shown on the receipt, or None once the window has passed."""
    code = cache.get(_key("code", token))
    return None if code is None else str(code)


def case_for_token(token: str) -> Case | None:
    return Case.objects.filter(submission_token=token).first() if token else None


def submitting_start(token: str) -> str:
    """A post of `token` begins: the first of parallel posts holds the mark (the cache's
    atomic `add`); returns this post's id for `submitting_end`."""
    post_id = secrets.token_hex(8)
    cache.add(_key("busy", token), post_id, settings.PORTAL_SUBMIT_WAIT_SECONDS * 2)
    return post_id


def submitting_end(token: str, post_id: str) -> None:
    key = _key("busy", token)
    if cache.get(key) == post_id:
        cache.delete(key)


def case_after_other_post(token: str, post_id: str) -> Case | None:
    """The case of `token` once another post of the same form, under way, has finished
    (waits at most PORTAL_SUBMIT_WAIT_SECONDS); None when no other post made it."""
    deadline = time.monotonic() + settings.PORTAL_SUBMIT_WAIT_SECONDS
    while True:
        case = case_for_token(token)
        holder = cache.get(_key("busy", token))
        if case is not None or holder is None or holder == post_id:
            return case
        if time.monotonic() > deadline:
            return None
        time.sleep(0.2)


def reissue_allowed(client: str, number: str) -> bool:
    """Count one request for a new code; False past PORTAL_REISSUE_MAX_PER_CASE per case
    number (a day) or PORTAL_REISSUE_MAX_PER_CLIENT per client address (an hour)."""
    from casework.portal import _incr
    from casework.portal import _key as limit_key

    per_case = _incr(limit_key("reissue-case", number.strip()), 24 * 3600)
    per_client = _incr(limit_key("reissue-client", client), 3600)
    return (
        per_case <= settings.PORTAL_REISSUE_MAX_PER_CASE
        and per_client <= settings.PORTAL_REISSUE_MAX_PER_CLIENT
    )


def query_code_reissue(*, number: str, email: str, now: datetime) -> bool:
    """Issue a new query code for case `number` and e-mail it to the applicant, when `email`
    is the address given in the application (compared without case). The old code stops
    working; the reissue is an event on the case (who: the applicant, by e-mail). Returns
    whether a code was sent; the caller answers the same either way. There is no SMS
    backend: a code is only ever sent by e-mail."""
    from casework.ledger import EventRow, event_append
    from casework.lifecycle.actors import APPLICANT_ROLE
    from casework.notifications import notify_template

    wanted = email.strip().lower()
    if not wanted:
        return False
    with transaction.atomic():
        case = (
            Case.objects.select_for_update()
            .select_related("applicant", "organ")
            .filter(number=number.strip())
            .first()
        )
        if case is None or not case.query_code_digest:
            return False
        if (case.applicant.email or "").strip().lower() != wanted:
            return False
        code = query_code_new()
        Case.objects.filter(pk=case.pk).update(
            query_code_digest=query_code_digest(case.number, code)
        )
        event = event_append(
            EventRow(
                case_id=case.pk,
                kind="query_code_reissued",
                actor_user=None,
                actor_name=case.applicant.name,
                actor_role=APPLICANT_ROLE,
                on=timezone.localdate(now),
                entered_at=now,
                from_status=case.status,
                to_status=case.status,
                payload={"sent_to": "email"},
            )
        )
        notify_template(
            key=f"code-reissued:{event.pk}",
            to=[case.applicant.email],
            case=case,
            template="query_code_reissued",
            context={"organ": case.organ, "query_code": code},
        )
    return True
