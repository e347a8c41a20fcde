"""/healthz: what a load balancer and a monitor need to know, and nothing personal.

Answers 200 while this app server can serve (the database answers and DATA_DIR has room),
503 otherwise, so a load balancer takes it out of rotation. A stale worker heartbeat or a
missing next-year calendar, or jobs still marked running past their lease (their worker died:
JOB_LEASE_SECONDS; the scheduler's round takes them up again), make the status "degraded" but
keep 200: the site still serves,
and taking every app server out because the workers stopped would make things worse.
"""

from __future__ import annotations

import shutil
import time
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from casework.models import CalendarYear
from casework.payloads import Payload

HEARTBEAT_KEY = "casework:worker-heartbeat"


def heartbeat_record(now: datetime | None = None) -> None:
    """Called by the heartbeat job on a worker (casework.tasks.heartbeat)."""
    cache.set(HEARTBEAT_KEY, (now or timezone.now()).timestamp(), timeout=None)


def _database() -> Payload:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database error means "cannot serve"
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _worker(now: datetime) -> Payload:
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception as exc:  # the cache is the database table or Redis
        return {"ok": False, "error": type(exc).__name__}
    if beat is None:
        return {"ok": False, "heartbeat_age_seconds": None}
    age = max(0, round(now.timestamp() - float(beat)))
    return {"ok": age <= settings.HEARTBEAT_MAX_AGE_SECONDS, "heartbeat_age_seconds": age}


def _jobs(now: datetime) -> Payload:
    """Jobs a worker claimed and never finished within their lease (started_at +
    JOB_LEASE_SECONDS): their worker died, and the next scheduled round retries them."""

    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    lease = settings.JOB_LEASE_SECONDS
    try:
        stuck = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=now - timedelta(seconds=lease)
        ).count()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": stuck == 0, "stuck_past_lease": stuck, "lease_seconds": lease}


def _calendar(today: date) -> Payload:
    """Art 33 counts working days: next year's State Council arrangement (published around
    November) must be loaded before dates run into it; from 1 November its absence is flagged."""

    next_year = today.year + 1
    try:
        loaded = CalendarYear.objects.filter(year=next_year).exists()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    due = today >= date(today.year, 11, 1)
    return {"ok": loaded or not due, "next_year": next_year, "loaded": loaded}


def _disk() -> Payload:
    try:
        usage = shutil.disk_usage(settings.DATA_DIR)
    except OSError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {
        "ok": usage.free >= settings.HEALTH_MIN_FREE_BYTES,
        "free_bytes": usage.free,
        "free_percent": round(usage.free / usage.total * 100, 1),
    }


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    checks = {
        "database": _database(),
        "worker": _worker(now),
        "jobs": _jobs(now),
        "calendar": _calendar(timezone.localdate(now)),
        "disk": _disk(),
    }
    serving = checks["database"]["ok"] and checks["disk"]["ok"]
    status = "ok" if all(c["ok"] for c in checks.values()) else "degraded" if serving else "fail"
    return JsonResponse(
        {"status": status, "mode": settings.CASEWORK_MODE, "checks": checks},
        status=200 if serving else 503,
        json_dumps_params={"ensure_ascii": False},
    )
