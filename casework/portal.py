"""The applicant's secret query code: shown once, kept as an HMAC, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from casework.models import Agent, Applicant, Case

_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def query_code_new() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def query_code_digest(number: str, code: str) -> str:
    normalized = code.strip().upper().replace(" ", "")
    if "-" not in normalized and len(normalized) == 8:
        normalized = f"{normalized[:4]}-{normalized[4:]}"
    message = f"{number}:{normalized}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def case_for_tracking(number: str, code: str) -> Case | None:
    """The case with this number and query code, or None for a wrong code and an unknown
    number alike (the caller answers both the same way)."""
    case = Case.objects.select_related("organ", "applicant").filter(number=number.strip()).first()
    expected = case.query_code_digest if case else "0" * 64
    given = query_code_digest(number, code)
    if case is None or not case.query_code_digest or not hmac.compare_digest(expected, given):
        return None
    return case


# --- Public pages' rate limits (issue 16) ----------------------------------------------------
# Counters live in the default cache, which settings make shared by all worker processes
# (Redis in production, the database cache in the demo), so five workers do not give five
# budgets.


def client_address(request: HttpRequest) -> str:
    """The client's address from the one request.META key the bureau trusts
    (TRUSTED_PROXY_HEADER, REMOTE_ADDR by default), or "" when that key holds no IP address.
    For a list header such as X-Forwarded-For, the right-most entry is the one the trusted
    proxy added itself. There is no fallback to REMOTE_ADDR: behind a proxy that is the
    proxy's own address, the same for every caller, and a limit keyed on it would hold the
    whole public back at once (issue 22)."""

    raw = str(request.META.get(settings.TRUSTED_PROXY_HEADER) or "")
    address = raw.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


def client_ip(request: HttpRequest) -> str | None:
    """`client_address`, or None when it is unknown (django-axes stores it in an IP column;
    a request made in code, such as a test client's force_login, has none). A log-in from an
    unknown address is refused (workflows.accounts.backends.KnownAddressBackend), so
    unknown addresses never share one lock-out."""
    return client_address(request) or None


def _key(*parts: str) -> str:
    # Hashed: case numbers and addresses become fixed-length, memcached/Redis-safe keys.
    return "portal:" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]


def _incr(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1


def tracking_attempt(client: str, number: str, *, now: float | None = None) -> int:
    """Count one tracking attempt and return the seconds this client must still wait
    (0: go ahead). Attempts are counted before the code is checked, with the cache's atomic
    increment (atomic in Redis), so parallel requests from several workers cannot slip
    through together. Past PORTAL_MAX_FAILURES attempts on one case number the (client,
    number) pair waits PORTAL_BACKOFF_BASE_SECONDS, doubling with each further attempt; past
    PORTAL_CLIENT_MAX_ATTEMPTS in the window the client waits whatever the number. Nobody
    else's attempts ever hold back the applicant who has the code; a success clears the pair."""
    now = time.time() if now is None else now
    window = settings.PORTAL_FAILURE_WINDOW_SECONDS
    if not client:
        return window  # an unknown address is refused, never counted with everyone else's
    if _incr(_key("client", client), window) > settings.PORTAL_CLIENT_MAX_ATTEMPTS:
        return window
    pair = _key("pair", client, number.strip())
    attempts = _incr(pair, settings.PORTAL_BACKOFF_MAX_SECONDS * 2)
    over = attempts - settings.PORTAL_MAX_FAILURES - 1
    if over >= 0:
        delay = min(
            settings.PORTAL_BACKOFF_BASE_SECONDS * 2**over, settings.PORTAL_BACKOFF_MAX_SECONDS
        )
        last = float(cache.get(pair + ":last") or 0.0)
        if now < last + delay:
            return math.ceil(last + float(delay) - now)
    cache.set(pair + ":last", now, settings.PORTAL_BACKOFF_MAX_SECONDS * 2)
    return 0


def tracking_success_record(client: str, number: str) -> None:
    pair = _key("pair", client, number.strip())
    cache.delete_many([pair, pair + ":last"])


def submissions_count(client: str, *, add: bool) -> int:
    """Online applications posted by this client in the last hour (counting this one). An
    unknown address counts as over the cap: refused alone, never counted with the others."""
    if not client:
        return settings.APPLY_MAX_PER_HOUR + 1
    key = _key("apply", client)
    if add:
        return _incr(key, 3600)
    return int(cache.get(key) or 0)


def application_problems(
    applicant: dict[str, str], agent: dict[str, str] | None
) -> dict[str, list[str]]:
    """Every problem of an application's applicant and agent details at once, keyed by form
    field (`name`, `agent_name`, ...), one message per field: the same model checks the
    receiving service runs (Art 29(1)), so the applicant corrects everything in one go."""

    problems: dict[str, list[str]] = {}
    checks: list[tuple[str, object]] = [("", Applicant(**applicant))]
    if agent:
        checks.append(("agent_", Agent(**agent)))
    for prefix, instance in checks:
        try:
            instance.full_clean()  # type: ignore[attr-defined]
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                key = f"{prefix}{field}" if field != "__all__" else "__all__"
                problems.setdefault(key, [messages[0]])
    return problems
