"""The applicant's secret query code: shown once, kept as an HMAC, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

from casework.models import Case

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


def application_problems(
    applicant: dict[str, str], agent: dict[str, str] | None
) -> dict[str, list[str]]:
    """Every problem of an application's applicant and agent details at once, keyed by form
    field (`name`, `agent_name`, ...), one message per field: the same model checks the
    receiving service runs (Art 29(1)), so the applicant corrects everything in one go."""
    from django.core.exceptions import ValidationError

    from casework.models import Agent, Applicant

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
